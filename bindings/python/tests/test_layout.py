"""The ctypes structures match the C header: sizes written by the library's
own *_init functions, and every field offset as a C compiler lays it out
(compiled from include/scarscore.h when a C compiler is available)."""
import ctypes
import json
import shutil
import subprocess

import pytest

from conftest import INCLUDE
from scarscore import _lib


@pytest.mark.parametrize("init,struct", [
    ("scar_load_options_init", _lib.LoadOptions),
    ("scar_analyze_options_init", _lib.AnalyzeOptions),
    ("scar_chromophore_options_init", _lib.ChromophoreOptions),
])
def test_init_writes_our_struct_size(init, struct):
    # A buffer larger than ours, so a bigger C struct would show, not crash.
    buf = (ctypes.c_uint8 * (ctypes.sizeof(struct) + 256))()
    getattr(_lib.lib(), init)(ctypes.cast(buf, ctypes.POINTER(struct)))
    assert struct.from_buffer(buf).struct_size == ctypes.sizeof(struct)


def test_offsets_match_c_compiler(tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        pytest.skip("no C compiler to lay out the header's structs")
    lines = ['#include <stdio.h>', '#include <stddef.h>', '#include "scarscore.h"',
             'int main(void) {', 'printf("{");']
    first = True
    for cname, struct in _lib.STRUCTS.items():
        for fname, _ in struct._fields_:
            lines.append('printf("%s\\"%s.%s\\":%%zu", offsetof(%s, %s));'
                         % ("" if first else ",", cname, fname, cname, fname))
            first = False
        lines.append('printf(",\\"%s\\":%%zu", sizeof(%s));' % (cname, cname))
    lines += ['printf("}\\n");', 'return 0; }']
    src = tmp_path / "layout.c"
    src.write_text("\n".join(lines))
    exe = tmp_path / "layout"
    subprocess.run([cc, "-std=c11", "-I", str(INCLUDE), "-o", str(exe), str(src)], check=True)
    c = json.loads(subprocess.run([str(exe)], check=True, capture_output=True,
                                  text=True).stdout)
    for cname, struct in _lib.STRUCTS.items():
        assert c[cname] == ctypes.sizeof(struct), cname
        for fname, _ in struct._fields_:
            assert c["%s.%s" % (cname, fname)] == getattr(struct, fname).offset, (cname, fname)
