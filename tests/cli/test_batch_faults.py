#!/usr/bin/env python3
"""Output faults of `scarscore batch` and `scarscore analyze` (issue 10).

A full disk is simulated with RLIMIT_FSIZE: past the limit write() fails
with EFBIG ("File too large") exactly where ENOSPC would (SIGXFSZ is
ignored so the process is not killed). A failed rename is made by putting
a folder where a file must go. Unwritable output folders: a path whose
parent is a regular file (ENOTDIR) and one under /proc (fails for root
too, so the test holds when run as root).

Checked after every fault: exit status 1 (docs/cli.md), standard error names
the file and the system's reason and says what to do; no file in the output
folder is partial (every JSON parses, every PNG has valid chunks up to IEND,
every record's byte counts match, no *.tmp.* file is left) and no
images.csv / regions.csv exists unless complete; then a `--resume` without
the limit gives tables and per-photo files byte-identical to a clean run,
and photos committed before the fault are not redone."""
import json
import os
import resource
import shutil
import signal
import subprocess
import zlib

from clitest import (CLI, check, finish, phantoms, read_bytes, run, scratch)

work = scratch("batch-faults")
photos = os.path.join(work, "photos")
os.makedirs(photos)
names = phantoms(photos, [51, 52, 53, 54, 55], width=320, height=240)
with open(os.path.join(photos, "corrupt.png"), "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)


def run_limited(args, limit):
    """Run the CLI with files limited to `limit` bytes (RLIMIT_FSIZE)."""
    def cap():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    p = subprocess.run([CLI, *args], capture_output=True, text=True,
                       preexec_fn=cap)
    no_sanitizer_report(p.stderr, " ".join(args))
    return p.returncode, p.stdout, p.stderr


def no_sanitizer_report(err, what):
    """A sanitizer build exits 1 on a finding, like a file error: look."""
    check("Sanitizer" not in err and "runtime error:" not in err,
          f"{what}: no sanitizer report: {err.strip()[-600:]}")


def run_checked(*args, **kw):
    rc, out, err = run(*args, **kw)
    no_sanitizer_report(err, " ".join(args))
    return rc, out, err


def png_complete(path):
    """True when the file is a PNG whose chunks all have valid CRCs and
    end with IEND, with nothing after it."""
    data = read_bytes(path)
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return False
    i = 8
    while i + 12 <= len(data):
        n = int.from_bytes(data[i:i + 4], "big")
        kind = data[i + 4:i + 8]
        body = data[i + 4:i + 8 + n]
        if i + 12 + n > len(data):
            return False
        crc = int.from_bytes(data[i + 8 + n:i + 12 + n], "big")
        if zlib.crc32(body) & 0xFFFFFFFF != crc:
            return False
        i += 12 + n
        if kind == b"IEND":
            return i == len(data)
    return False


def record_complete(path):
    """A record's header line gives the byte counts of what follows."""
    data = read_bytes(path)
    nl = data.find(b"\n")
    head = data[:nl].split()
    if nl < 0 or len(head) != 6 or head[0] != b"scarscore-record":
        return False
    return nl + 1 + int(head[4]) + int(head[5]) == len(data)


def csv_complete(path):
    """A table is complete when it ends with a line break and every row has
    as many fields as the header."""
    import csv
    import io
    text = read_bytes(path).decode()
    rows = list(csv.reader(io.StringIO(text)))
    return text.endswith("\n") and all(len(r) == len(rows[0]) for r in rows)


def check_no_partial(out, what, tables_allowed=False):
    """Every file under out is complete; no temporary file is left."""
    for root, _, files in os.walk(out):
        for f in files:
            p = os.path.join(root, f)
            rel = os.path.relpath(p, out)
            if ".tmp." in f:
                check(False, f"{what}: temporary file left: {rel}")
            elif f.endswith(".json"):
                try:
                    with open(p) as fh:
                        json.load(fh)
                except ValueError as e:
                    check(False, f"{what}: {rel} is not complete JSON: {e}")
            elif f.endswith(".png"):
                check(png_complete(p), f"{what}: {rel} is not a complete PNG")
            elif f.endswith(".rec"):
                check(record_complete(p), f"{what}: {rel} is a partial record")
            elif f in ("images.csv", "regions.csv"):
                check(tables_allowed, f"{what}: {rel} written by a failed run")
                check(csv_complete(p), f"{what}: {rel} is a partial table")
            else:
                check(False, f"{what}: unexpected file {rel}")


def tree(out):
    """{relative path: bytes} of every file under out."""
    files = {}
    for root, _, fs in os.walk(out):
        for f in fs:
            p = os.path.join(root, f)
            files[os.path.relpath(p, out)] = read_bytes(p)
    return files


def check_fault_message(err, what, needles):
    check(any(n in err for n in needles),
          f"{what}: stderr names the file ({needles}): {err.strip()[-400:]}")
    check("File too large" in err or "No space" in err,
          f"{what}: stderr gives the system's reason: {err.strip()[-400:]}")
    check("--resume" in err and "free some space" in err,
          f"{what}: stderr says what to do: {err.strip()[-400:]}")


# The clean run every faulty run must end up equal to.
ref = os.path.join(work, "ref")
run_checked("batch", photos, "-o", ref, "-j", "1", "-q", expect=3)
ref_files = tree(ref)
check(len([f for f in ref_files if f.startswith("records/")]) == 6,
      "reference run has one record per photo")

# Sizes of each photo's files in path order: the limit for a mid-run fault
# is the largest file of the first photos, so that (with one thread, in
# path order) they are committed and the next photo's larger file fails.
stems = sorted({os.path.splitext(os.path.basename(f))[0]
                for f in ref_files if f.startswith("records/")})
largest = [max(len(ref_files[f"{d}/{s}{e}"])
               for d, e in (("json", ".json"), ("overlays", ".png"),
                            ("records", ".rec"))
               if f"{d}/{s}{e}" in ref_files) for s in stems]
mid = next((k for k in range(2, len(largest))
            if largest[k] > max(largest[:k])), None)
check(mid is not None, f"some photo after the second has a larger file: {largest}")
mid_limit = max(largest[:mid]) if mid else 1 << 30
tables_size = min(len(ref_files["images.csv"]), len(ref_files["regions.csv"]))

cases = [
    ("tiny limit: the first write fails", 1, "1"),
    ("a record fits, a JSON does not", 600, "1"),
    ("mid-run: %d photos commit, then an overlay or JSON fails" % (mid or 0),
     mid_limit, "1"),
    ("mid-run, two threads", mid_limit, "2"),
]
for what, limit, jobs in cases:
    out = os.path.join(work, f"out-{limit}-{jobs}")
    rc, _, err = run_limited(["batch", photos, "-o", out, "-j", jobs, "-q"], limit)
    check(rc == 1, f"{what}: exit 1, got {rc}: {err.strip()[-300:]}")
    check_fault_message(err, what, [out + "/json/", out + "/overlays/",
                                    out + "/records/"])
    check_no_partial(out, what)
    if jobs == "1" and limit == mid_limit and mid:
        committed = sorted(os.listdir(os.path.join(out, "records")))
        check(committed == [s + ".rec" for s in stems[:mid]],
              f"{what}: exactly the first {mid} photos committed: {committed}")
    before = {f: os.stat(os.path.join(out, "records", f)).st_mtime_ns
              for f in os.listdir(os.path.join(out, "records"))}
    # A retry still under the limit fails the same way and loses nothing.
    rc, _, err = run_limited(["batch", photos, "-o", out, "-j", jobs, "-q",
                              "--resume"], limit)
    check(rc == 1, f"{what}, resumed under the limit: exit 1, got {rc}")
    check_no_partial(out, what + ", resumed under the limit")
    rc, _, err = run_checked("batch", photos, "-o", out, "-j", jobs, "-q", "--resume")
    check(rc == 3, f"{what}: --resume after the fault: exit 3 (the corrupt "
          f"photo), got {rc}: {err.strip()[-300:]}")
    got = tree(out)
    check(got == ref_files,
          f"{what}: after --resume the output equals a clean run; differing: "
          f"{sorted(k for k in set(got) | set(ref_files) if got.get(k) != ref_files.get(k))}")
    for f, t in before.items():
        if f.startswith("corrupt"):
            continue  # failed photos are retried by design
        check(os.stat(os.path.join(out, "records", f)).st_mtime_ns == t,
              f"{what}: {f} committed before the fault was not redone")

# The tables are written last. Resuming a finished batch writes only the
# retried corrupt photo's small record and the tables: a limit between the
# two makes the table write fail, and neither table may be left behind.
out = os.path.join(work, "out-tables")
shutil.copytree(ref, out)
os.remove(os.path.join(out, "images.csv"))
os.remove(os.path.join(out, "regions.csv"))
small = max(len(v) for k, v in ref_files.items() if k.startswith("records/corrupt"))
limit = small + 64
check(limit < tables_size, f"a record ({small} B) is smaller than the tables")
rc, _, err = run_limited(["batch", photos, "-o", out, "-q", "--resume"], limit)
check(rc == 1, f"tables over the limit: exit 1, got {rc}")
check_fault_message(err, "tables over the limit", [out + "/regions.csv",
                                                   out + "/images.csv"])
check_no_partial(out, "tables over the limit")
rc, _, err = run_checked("batch", photos, "-o", out, "-q", "--resume")
check(rc == 3 and tree(out) == ref_files, "--resume after the tables failed "
      "equals a clean run")

# A failed rename: a folder stands where images.csv must go. regions.csv
# (written first) must not stay beside an older or missing images.csv.
out = os.path.join(work, "out-rename")
os.makedirs(os.path.join(out, "images.csv", "blocker"))
rc, _, err = run_checked("batch", photos, "-o", out, "-q")
check(rc == 1, f"images.csv rename fails: exit 1, got {rc}")
check(out + "/images.csv" in err and "renaming" in err and "--resume" in err,
      "rename failure names the file, the step and what to do: " + err.strip()[-300:])
check(not os.path.exists(os.path.join(out, "regions.csv")),
      "no regions.csv left without its images.csv")
os.rmdir(os.path.join(out, "images.csv", "blocker"))
os.rmdir(os.path.join(out, "images.csv"))
rc, _, err = run_checked("batch", photos, "-o", out, "-q", "--resume")
check(rc == 3 and tree(out) == ref_files, "--resume after a failed rename "
      "equals a clean run")

# A record that cannot be committed (its name is taken by a folder) stops
# the batch; the photo is not reported as a failed photo.
out = os.path.join(work, "out-record")
blocked = os.path.join(out, "records", stems[1] + ".rec")
os.makedirs(os.path.join(blocked, "blocker"))
rc, _, err = run_checked("batch", photos, "-o", out, "-q", "-j", "1")
check(rc == 1 and blocked in err and "stopped" in err,
      f"record write fails: exit 1 naming the record, got {rc}: {err.strip()[-300:]}")
check(not os.path.exists(os.path.join(out, "images.csv")),
      "no images.csv after a failed record")
os.rmdir(os.path.join(blocked, "blocker"))
os.rmdir(blocked)
check_no_partial(out, "record write fails")
rc, _, err = run_checked("batch", photos, "-o", out, "-q", "--resume")
check(rc == 3 and tree(out) == ref_files, "--resume after a failed record "
      "equals a clean run")

# Output folders that cannot be created, even by root.
afile = os.path.join(work, "a-file")
with open(afile, "w") as f:
    f.write("not a folder\n")
for outdir, reason in [(os.path.join(afile, "out"), "Not a directory"),
                       (afile, "File exists"),
                       ("/proc/self/nonexistent-dir", "No such file"),
                       ("/proc/version/out", "Not a directory")]:
    listing = sorted(os.listdir(work))
    rc, out_text, err = run_checked("batch", photos, "-o", outdir, "-q")
    check(rc == 1, f"batch -o {outdir}: exit 1, got {rc}")
    check(outdir in err and reason in err and "(" in err,
          f"batch -o {outdir}: names the path, the reason ({reason}) and "
          f"what to do: {err.strip()}")
    check("Sanitizer" not in err and "Traceback" not in err,
          f"batch -o {outdir}: no crash")
    check(sorted(os.listdir(work)) == listing, f"batch -o {outdir}: nothing written")
check(read_bytes(afile) == b"not a folder\n", "the file in the way is untouched")
# A subfolder of OUTDIR taken by a file.
out = os.path.join(work, "out-sub")
os.makedirs(out)
with open(os.path.join(out, "records"), "w") as f:
    f.write("x")
rc, _, err = run_checked("batch", photos, "-o", out, "-q")
check(rc == 1 and out + "/records" in err and "File exists" in err,
      f"records taken by a file: exit 1 naming it: {err.strip()}")

# analyze writes its outputs the same way: a full disk leaves no truncated
# R.json / R.csv / O.png, and an older R.json stays whole.
photo = os.path.join(photos, names[0])
ad = scratch("analyze-faults")
rj, rcsv, ov = (os.path.join(ad, n) for n in ("r.json", "r.csv", "o.png"))
rc, _, _ = run_checked("analyze", photo, "--json", rj, "--csv", rcsv, "--overlay", ov,
               expect=0)
full = {p: read_bytes(p) for p in (rj, rcsv, ov)}
old_json = b'{"old": true}\n'
with open(rj, "wb") as f:
    f.write(old_json)
os.remove(rcsv)
os.remove(ov)
rc, _, err = run_limited(["analyze", photo, "--json", rj, "--csv", rcsv,
                          "--overlay", ov], len(full[rj]) // 2)
check(rc == 1, f"analyze --json under the limit: exit 1, got {rc}")
check(rj in err and "File too large" in err,
      "analyze names the JSON file and the reason: " + err.strip())
check(read_bytes(rj) == old_json, "the older R.json is untouched")
check(not os.path.exists(rcsv) and not os.path.exists(ov),
      "nothing after the failed JSON is written")
check(not [f for f in os.listdir(ad) if ".tmp." in f], "no temporary file left")
# JSON and CSV fit, the overlay does not.
limit = max(len(full[rj]), len(full[rcsv])) + 16
if limit < len(full[ov]):
    rc, _, err = run_limited(["analyze", photo, "--json", rj, "--csv", rcsv,
                              "--overlay", ov], limit)
    check(rc == 1 and ov in err and "File too large" in err,
          f"analyze --overlay under the limit: exit 1 naming it: {err.strip()}")
    check(read_bytes(rj) == full[rj] and read_bytes(rcsv) == full[rcsv],
          "JSON and CSV written before the overlay are complete")
    check(not os.path.exists(ov), "no partial overlay")
    check(not [f for f in os.listdir(ad) if ".tmp." in f], "no temporary file left")

finish()
