#!/usr/bin/env python3
"""`scarscore report` (issue 7): one self-contained HTML file from a batch.
Static checks always (no network or external file references, expected
sections, one table row per image, one thumbnail per scored image, one
inline SVG plot per varying score). With SCARSCORE_CHROMIUM set, the file is
also rendered by headless Chromium: --dump-dom must contain the same
elements after parsing, and --screenshot must produce a PNG."""
import base64
import os
import re
import subprocess
import tempfile
from html.parser import HTMLParser

from clitest import check, finish, phantoms, png_size, read_csv, run, scratch

# cli_report and cli_report_chromium run this script concurrently under
# ctest -j: each needs its own scratch folder.
work = scratch("report-chromium" if os.environ.get("SCARSCORE_CHROMIUM") else "report")
photos = os.path.join(work, "photos")
os.makedirs(photos)
names = phantoms(photos, [81, 82, 83, 84, 85, 86])
with open(os.path.join(photos, "zz_bad.jpg"), "wb") as f:
    f.write(b"not an image")
manifest = os.path.join(work, "m.csv")
with open(manifest, "w") as f:
    f.write("path,subject,visit\n")
    for i, n in enumerate(names):
        f.write(f"photos/{n},<S{i // 2}>,{['baseline', 'week8'][i % 2]}\n")
    f.write("photos/zz_bad.jpg,<S9>,baseline\n")
out = os.path.join(work, "out")
run("batch", manifest, "-o", out, "-q", expect=3)
_, rows = read_csv(os.path.join(out, "images.csv"))
n_ok = sum(1 for r in rows if r[-2] == "ok")
html_path = os.path.join(work, "report.html")
run("report", out, "-o", html_path, "--title", "Trial <A> & B", expect=0)
with open(html_path, encoding="utf-8") as f:
    html = f.read()


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []  # (tag, attrs dict, path of open tags)
        self.stack = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs), list(self.stack)))
        if tag not in ("img", "meta", "line", "circle", "polyline", "br"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass


def elements(doc):
    c = Collect()
    c.feed(doc)
    return c.tags


def check_structure(doc, where):
    tags = elements(doc)
    ids = {a.get("id") for t, a, _ in tags if a.get("id")}
    check({"summary", "summary-table", "overlays", "subjects"} <= ids,
          f"{where}: sections present: {sorted(ids)}")
    trs = [1 for t, a, p in tags if t == "tr" and "tbody" in p]
    check(len(trs) == len(rows), f"{where}: one table row per image ({len(trs)})")
    failed = [1 for t, a, p in tags if t == "tr" and a.get("class") == "failed"]
    check(len(failed) == 1, f"{where}: the failed image is marked")
    imgs = [a for t, a, p in tags if t == "img"]
    check(len(imgs) == n_ok, f"{where}: one thumbnail per scored image ({len(imgs)})")
    for a in imgs:
        src = a.get("src", "")
        check(src.startswith("data:image/png;base64,"), f"{where}: inline thumbnail")
        png = base64.b64decode(src.split(",", 1)[1])
        check(png[:8] == b"\x89PNG\r\n\x1a\n", f"{where}: thumbnail decodes as PNG")
        w = int.from_bytes(png[16:20], "big")
        check(0 < w <= 320 and str(w) == a.get("width"), f"{where}: thumbnail width {w}")
    svgs = [1 for t, a, p in tags if t == "svg"]
    check(len(svgs) >= 2, f"{where}: per-subject SVG plots ({len(svgs)})")
    lines = [1 for t, a, p in tags if t == "polyline"]
    check(len(lines) == 3 * len(svgs), f"{where}: one line per subject (3) per plot")
    return tags


check_structure(html, "report.html")
# Self-contained: nothing fetched, no external reference of any kind.
check(not re.search(r"<(link|script|iframe|object|embed)\b", html, re.I),
      "no link/script/iframe elements")
srcs = re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', html)
check(all(s.startswith("data:") for s in srcs), f"only data: URIs: {srcs[:3]}")
check("url(" not in html and "@import" not in html, "no CSS fetches")
no_ns = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
check("http:" not in no_ns and "https:" not in no_ns, "no http(s) addresses")
check("Trial &lt;A&gt; &amp; B" in html and "&lt;S0&gt;" in html, "text is escaped")
check("<S0>" not in html, "no raw '<S0>' in the HTML")
run("report", os.path.join(work, "nowhere"), "-o", os.path.join(work, "x.html"), expect=1)

chromium = os.environ.get("SCARSCORE_CHROMIUM")
if chromium:
    profile = tempfile.mkdtemp(prefix="chromium-", dir=work)
    base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--user-data-dir=" + profile]
    url = "file://" + os.path.abspath(html_path)
    dom = subprocess.run(base + ["--dump-dom", url], capture_output=True, text=True,
                         timeout=120)
    check(dom.returncode == 0 and "<html" in dom.stdout,
          f"chromium --dump-dom ran: {dom.returncode} {dom.stderr[-300:]}")
    if dom.returncode == 0:
        check_structure(dom.stdout, "chromium DOM")
    shot = os.path.join(work, "report.png")
    s = subprocess.run(base + ["--screenshot=" + shot, "--window-size=1200,1600", url],
                       capture_output=True, text=True, timeout=120)
    check(s.returncode == 0 and os.path.exists(shot), f"chromium --screenshot: {s.stderr[-300:]}")
    if os.path.exists(shot):
        check(png_size(shot) == (1200, 1600), f"screenshot size {png_size(shot)}")
        check(os.path.getsize(shot) > 20000, "screenshot is not blank")
else:
    print("SCARSCORE_CHROMIUM not set: rendering skipped")
finish()
