"""analyze(): the binding's numbers equal the CLI's JSON on the same image,
labels/skin_mask agree with the regions, arguments are checked before C,
library errors surface as scarscore.Error, and 1000 calls do not leak."""
import json
import math
import subprocess
import tempfile

import numpy as np
import pytest

import scarscore
from conftest import DATA, SAMPLES, cli_path

SKIN = SAMPLES / "skin_sample.jpg"
needs_sample = pytest.mark.skipif(not SKIN.exists(), reason="samples/skin_sample.jpg absent")


def _same(a, b):
    """JSON numbers carry 12 significant digits (relative rounding <= 5e-12);
    null stands for NaN."""
    if b is None:
        return isinstance(a, float) and math.isnan(a)
    return a == pytest.approx(b, rel=6e-12, abs=1e-12)


def _check_against_json(res, doc):
    assert res.summary == doc["image"]
    assert len(res.regions) == len(doc["regions"]) == doc["image"]["region_count"]
    for r, j in zip(res.regions, doc["regions"]):
        assert r["id"] == j["id"] and r["class"] == j["class"]
        assert [r["bbox_x0"], r["bbox_y0"], r["bbox_x1"], r["bbox_y1"]] == j["bbox"]
        pairs = [(r["area_px"], j["area_px"]), (r["area_mm2"], j["area_mm2"]),
                 (r["centroid_x"], j["centroid"][0]), (r["centroid_y"], j["centroid"][1]),
                 (r["delta_e00"], j["delta_e00"]), (r["ring_area_px"], j["ring_area_px"])]
        pairs += list(zip((r["L_inside"], r["a_inside"], r["b_inside"]), j["lab_inside"]))
        pairs += list(zip((r["L_ring"], r["a_ring"], r["b_ring"]), j["lab_ring"]))
        for ours, theirs in pairs:
            assert _same(ours, theirs), (r["id"], ours, theirs)


@needs_sample
@pytest.mark.parametrize("args,kw", [([], {}), (["--px-per-mm", "12.5"], {"px_per_mm": 12.5}),
                                     (["--single-lesion"], {"single_lesion": True}),
                                     (["--px-per-mm", "30"], {"px_per_mm": 30}),
                                     (["--px-per-mm", "30", "--analysis-px-per-mm", "0"],
                                      {"px_per_mm": 30, "analysis_px_per_mm": 0})])
def test_equals_cli_json(args, kw):
    cli = cli_path()
    if not cli:
        pytest.skip("no CLI: set SCARSCORE_BUILD_DIR or SCARSCORE_CLI")
    out = subprocess.run([cli, "analyze", str(SKIN), "--json", "-"] + args,
                         check=True, capture_output=True, text=True).stdout
    res = scarscore.analyze(SKIN, **kw)
    assert res.to_json() == out  # same library, same bytes
    _check_against_json(res, json.loads(out))


@needs_sample
@pytest.mark.parametrize("kw,shrink", [({}, 2), ({"px_per_mm": 30}, 6),
                                       ({"px_per_mm": 30, "analysis_px_per_mm": 0}, 1)])
def test_regions_agree_with_label_map_and_inputs_agree(kw, shrink):
    res = scarscore.analyze(SKIN, **kw)
    labels, skin = res.labels, res.skin_mask
    s = res.summary
    assert s["analysis_shrink"] == shrink  # the maps stay at the input's size
    assert s["analysis_px_per_mm"] == s["px_per_mm"] / shrink
    assert labels.shape == skin.shape == (s["height"], s["width"])
    assert labels.dtype == np.int32 and skin.dtype == np.uint8
    assert not labels.flags.writeable
    assert int(skin.sum()) == s["skin_area_px"]
    counts = np.bincount(labels.ravel(), minlength=len(res.regions) + 1)
    for r in res.regions:
        assert counts[r["id"]] == r["area_px"]
        ys, xs = np.nonzero(labels == r["id"])
        assert (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1) == (
            r["bbox_x0"], r["bbox_y0"], r["bbox_x1"], r["bbox_y1"])
        assert r["centroid_x"] == pytest.approx(xs.mean(), rel=1e-12)
    # path, Image and ndarray give the same result
    img = scarscore.load(SKIN)
    same = [scarscore.analyze(img, **kw).to_json(),
            scarscore.analyze(img.array.copy(), **kw).to_json()]
    assert same == [res.to_json()] * 2


@needs_sample
def test_measure_given_regions_equals_cli():
    """measure(): an analysis' label map given back (array, with ids 10x)
    gives the same regions and areas at full resolution; the same bytes as
    `scarscore analyze --regions`."""
    res = scarscore.analyze(SKIN, analysis_px_per_mm=0)
    labels = res.labels.astype(np.uint16) * 10
    m = scarscore.measure(SKIN, labels)
    assert m.summary["regions_given"] is True and res.summary["regions_given"] is False
    assert m.summary["analysis_shrink"] == 1
    np.testing.assert_array_equal(m.labels, res.labels)
    assert [r["area_px"] for r in m.regions] == [r["area_px"] for r in res.regions]
    assert [r["delta_e00"] for r in m.regions] == pytest.approx(
        [r["delta_e00"] for r in res.regions], rel=1e-9)
    cli = cli_path()
    if cli:
        with tempfile.TemporaryDirectory() as d:
            lab = d + "/l.png"
            subprocess.run([cli, "analyze", str(SKIN), "--analysis-px-per-mm", "0",
                            "--labels", lab], check=True, capture_output=True)
            out = subprocess.run([cli, "analyze", str(SKIN), "--regions", lab, "--json", "-"],
                                 check=True, capture_output=True, text=True).stdout
            assert scarscore.measure(SKIN, lab).to_json() == out
    # as photographed: gain 1 and no reference; the same as the CLI flag
    flat = scarscore.measure(SKIN, labels, as_photographed=True)
    assert flat.summary["exposure_reference_Y"] is None
    assert {r["exposure_gain"] for r in flat.regions} == {1.0}
    assert m.summary["exposure_reference_Y"] > 0
    assert any(r["exposure_gain"] != 1.0 for r in m.regions)
    if cli:
        with tempfile.TemporaryDirectory() as d:
            lab = d + "/l.png"
            subprocess.run([cli, "analyze", str(SKIN), "--analysis-px-per-mm", "0",
                            "--labels", lab], check=True, capture_output=True)
            out = subprocess.run([cli, "analyze", str(SKIN), "--regions", lab,
                                  "--as-photographed", "--json", "-"],
                                 check=True, capture_output=True, text=True).stdout
            assert scarscore.measure(SKIN, lab, as_photographed=True).to_json() == out
    with pytest.raises(ValueError):
        scarscore.measure(SKIN, labels[:10])
    with pytest.raises(TypeError):
        scarscore.measure(SKIN, labels.astype(float))
    with pytest.raises(TypeError):
        scarscore.measure(SKIN, labels, z_high=4)


@needs_sample
def test_views_outlive_result_and_roi():
    res = scarscore.analyze(SKIN)
    labels = res.labels
    expected = labels.copy()
    del res
    np.testing.assert_array_equal(labels, expected)
    img = scarscore.load(SKIN)
    roi = np.zeros((img.height, img.width), bool)
    roi[100:400, 100:500] = True
    r = scarscore.analyze(img, roi=roi)
    assert r.summary["skin_area_px"] <= roi.sum()
    assert not r.skin_mask[~roi].any()


@needs_sample
def test_keys_csv_and_json_agree():
    L = scarscore._lib.lib()
    assert scarscore.REGION_KEYS == tuple(L.scar_csv_header(1).decode().strip().split(","))
    assert scarscore.IMAGE_KEYS == tuple(L.scar_csv_header(0).decode().strip().split(","))
    res = scarscore.analyze(SKIN)
    doc = json.loads(res.to_json())
    assert doc["schema_version"] == "0.6"
    rows = res.to_csv("regions").splitlines()
    assert rows[0].split(",") == list(scarscore.REGION_KEYS)
    assert len(rows) == 1 + len(res.regions)
    for line, r, j in zip(rows[1:], res.regions, doc["regions"]):
        for k, v in zip(scarscore.REGION_KEYS, line.split(",")):
            if isinstance(r[k], str):
                assert v == r[k]
            elif v == "":
                assert math.isnan(r[k])
            else:
                assert _same(r[k], float(v)), (k, r[k], v)
        # flat JSON keys hold the same numbers
        for k in ("delta_L", "delta_e00_sd", "glcm_contrast_inside", "lbp_chi2",
                  "roughness_ring", "solidity", "circularity", "mi_inside"):
            assert _same(r[k], j[k]), k
    img = res.to_csv("images").splitlines()
    assert img[0].split(",") == list(scarscore.IMAGE_KEYS) and len(img) == 2
    vals = dict(zip(scarscore.IMAGE_KEYS, img[1].split(",")))
    assert int(vals["region_count"]) == doc["image"]["region_count"] == len(res.regions)
    assert _same(float(vals["skin_ita_deg"]), doc["image"]["skin_ita_deg"])
    # the detection limits: grouped by area in JSON and the summary, one
    # CSV column each, positive and falling with the patch's area
    for c in ("dL", "da", "db"):
        lim = res.summary["detection_limit_" + c]
        assert list(lim) == ["1mm2", "10mm2", "100mm2"]
        assert lim["1mm2"] > lim["10mm2"] > lim["100mm2"] > 0
        for a, v in lim.items():
            assert _same(float(vals["detection_limit_%s_%s" % (c, a)]), v)


def test_library_errors_surface():
    gray = np.full((64, 64), 128, np.uint8)
    with pytest.raises(scarscore.Error) as e:
        scarscore.analyze(gray)
    assert e.value.status == 13 and e.value.message.startswith("scar_analyze")
    with pytest.raises(scarscore.Error) as e:
        scarscore.analyze(DATA / "does_not_exist.jpg")
    assert e.value.status == 10 and "does_not_exist.jpg" in e.value.message


def test_bad_arguments_raise_before_c():
    rgb = np.zeros((32, 32, 3), np.uint8)
    for bad in (0, -1, float("nan"), float("inf"), 1e5):
        with pytest.raises(ValueError):
            scarscore.analyze(rgb, px_per_mm=bad)
    with pytest.raises(TypeError):
        scarscore.analyze(rgb, px_per_mm="10")
    with pytest.raises(TypeError):
        scarscore.analyze(12)
    with pytest.raises(TypeError):
        scarscore.analyze(rgb.astype(np.float32))
    with pytest.raises(ValueError):
        scarscore.analyze(rgb, roi=np.ones((31, 32), bool))
    with pytest.raises(TypeError):
        scarscore.analyze(rgb, z_hihg=3)
    with pytest.raises(ValueError):
        scarscore.analyze(rgb, z_high=float("nan"))


def _rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def _small_skin():
    if SKIN.exists():
        return scarscore.load(SKIN).array[200:296, 300:396].copy()
    rng = np.random.default_rng(6)
    base = np.array([190, 140, 120], np.uint8)
    img = np.clip(base + rng.normal(0, 4, (96, 96, 3)), 0, 255).astype(np.uint8)
    img[40:56, 40:56] = (150, 100, 90)
    return img


def test_no_leak_over_1000_analyze_calls():
    img = scarscore.Image.from_array(_small_skin())
    for _ in range(50):  # warm-up: allocator pools, numpy, ctypes caches
        r = scarscore.analyze(img)
        r.regions, r.summary, r.labels, r.skin_mask
    before = _rss_bytes()
    for _ in range(1000):
        r = scarscore.analyze(img, px_per_mm=8)
        r.regions, r.summary, r.labels, r.skin_mask
        r.to_json()
    grown = _rss_bytes() - before
    # One result of a 96x96 image is ~50 KB: a per-call leak would add
    # ~50 MB; allow 4 MB for allocator noise.
    assert grown < 4 * 1024 * 1024, "RSS grew by %d bytes" % grown
