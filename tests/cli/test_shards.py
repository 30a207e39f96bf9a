#!/usr/bin/env python3
"""`batch --shard K/N` + `merge` (issue 7): the shards are disjoint, cover
every input, and merging them gives byte-identical images.csv and
regions.csv to one batch over everything; overlapping shards are refused
with a message naming both folders."""
import os

from clitest import check, finish, phantoms, read_bytes, read_csv, run, scratch

work = scratch("shards")
photos = os.path.join(work, "photos")
os.makedirs(photos)
names = phantoms(photos, range(51, 59))  # 8 photos
manifest = os.path.join(work, "m.csv")
with open(manifest, "w") as f:
    f.write("path,subject,visit\n")
    for i, n in enumerate(names):
        f.write(f"photos/{n},P{i // 2},{i % 2}\n")

whole = os.path.join(work, "whole")
run("batch", manifest, "-o", whole, "-q", expect=0)
n = 3
shard_dirs = []
seen = []
for k in range(1, n + 1):
    d = os.path.join(work, f"shard{k}")
    shard_dirs.append(d)
    run("batch", manifest, "-o", d, "--shard", f"{k}/{n}", "-q", "-j", "1", expect=0)
    _, rows = read_csv(os.path.join(d, "images.csv"))
    seen += [r[0] for r in rows]
check(sorted(seen) == sorted("photos/" + x for x in names),
      f"shards are disjoint and cover all inputs: {sorted(seen)}")
check(len(set(seen)) == len(seen), "no input in two shards")

merged = os.path.join(work, "merged")
run("merge", merged, *shard_dirs, expect=0)
for t in ("images.csv", "regions.csv"):
    check(read_bytes(os.path.join(merged, t)) == read_bytes(os.path.join(whole, t)),
          f"merged {t} equals the whole run")
check(sorted(os.listdir(os.path.join(merged, "overlays"))) ==
      sorted(os.listdir(os.path.join(whole, "overlays"))), "merged overlays")
# A merged folder resumes as a whole run (records carried over).
rc, _, err = run("batch", manifest, "-o", merged, "--resume", expect=0)
check("8 from an earlier run" in err, "resume on merged output redoes nothing: " + err[-200:])

rc, _, err = run("merge", os.path.join(work, "bad"), shard_dirs[0], shard_dirs[0])
check(rc == 1 and "shard1" in err and "both" in err, f"overlap refused: {rc} {err!r}")
rc, _, err = run("merge", os.path.join(work, "bad2"), shard_dirs[0], photos)
check(rc == 1 and "images.csv" in err, f"non-batch folder refused: {err!r}")
finish()
