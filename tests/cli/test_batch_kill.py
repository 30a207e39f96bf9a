#!/usr/bin/env python3
"""Crash safety of `scarscore batch --resume` (issue 7): a batch is killed
with SIGKILL at random moments several times, then resumed to the end; the
final images.csv and regions.csv must equal, byte for byte, those of an
uninterrupted run: no row lost, none duplicated, none half-written. The
random seed is printed (set SCAR_KILL_SEED to replay a run)."""
import os
import random
import signal
import subprocess
import time

from clitest import (CLI, check, finish, phantoms, read_bytes, read_csv, run,
                     scratch)

seed = int(os.environ.get("SCAR_KILL_SEED", str(int(time.time() * 1000) % 100000)))
print("SCAR_KILL_SEED =", seed)
rng = random.Random(seed)

work = scratch("batch-kill")
photos = os.path.join(work, "photos")
os.makedirs(photos)
names = phantoms(photos, range(31, 43))  # 12 photos
with open(os.path.join(photos, "corrupt.png"), "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)

ref = os.path.join(work, "ref")
t0 = time.monotonic()
run("batch", photos, "-o", ref, "-j", "2", "-q", expect=3)
full = time.monotonic() - t0

out = os.path.join(work, "out")
kills = runs = 0
# Six kills, in at most 15 runs: a run that ends before its kill time
# (resumed runs have half the work; the reference run may have been timed
# on a busier machine) does not count, so the number of kills does not
# depend on the machine's load.
for attempt in range(15):
    if kills == 6:
        break
    args = [CLI, "batch", photos, "-o", out, "-j", "2", "-q"]
    if attempt:
        args.append("--resume")
        # Forget a random half of the finished images, as if the kill had
        # come earlier (a JSON or overlay without its record is a state a
        # kill leaves too), so every run has work left to interrupt.
        # A kill in the first milliseconds may come before the output
        # folders exist: that is a state to resume from too.
        recs = os.path.join(out, "records")
        done = sorted(os.listdir(recs)) if os.path.isdir(recs) else []
        for f in done:
            if rng.random() < 0.5:
                os.remove(os.path.join(recs, f))
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    runs += 1
    # Anywhere from start-up to a little past the full run time: kills land
    # in loading, analysis, record writes and the final CSV assembly.
    time.sleep(rng.uniform(0.0, full * 0.6))
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
        kills += 1
    p.wait()
print(f"killed {kills} of {runs} runs (full run {full:.2f} s)")
check(kills >= 3, "at least three runs were killed mid-way")

# Any tables a killed run left are complete files (never partial).
for t in ("images.csv", "regions.csv"):
    pth = os.path.join(out, t)
    if os.path.exists(pth):
        data = read_bytes(pth)
        check(data.endswith(b"\n"), f"{t} left by a killed run is complete")

run("batch", photos, "-o", out, "-j", "2", "-q", "--resume", expect=3)
for t in ("images.csv", "regions.csv"):
    check(read_bytes(os.path.join(out, t)) == read_bytes(os.path.join(ref, t)),
          f"{t} after kills + resume equals the uninterrupted run")
header, rows = read_csv(os.path.join(out, "images.csv"))
paths = [r[0] for r in rows]
check(len(paths) == len(names) + 1 and len(set(paths)) == len(paths),
      f"every image exactly once: {len(paths)} rows, {len(set(paths))} distinct")
for sub in ("records", "json", "overlays", "."):
    left = [f for f in os.listdir(os.path.join(out, sub)) if ".tmp." in f]
    check(not left, f"{sub}: no temporary files left: {left}")
check(len(os.listdir(os.path.join(out, "records"))) == len(names) + 1,
      "one record per image")
finish()
