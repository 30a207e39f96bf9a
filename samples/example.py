#!/usr/bin/python3
"""example.py — analyse one photo from Python and print its regions.

    SCARSCORE_BUILD_DIR=build /usr/bin/python3 samples/example.py samples/skin_sample.jpg [PX_PER_MM]

Runs from the source tree without installing (it adds bindings/python to
sys.path when the package is not installed). With pandas installed the
regions are also shown as a DataFrame.
"""
import os
import sys

import numpy as np

try:
    import scarscore
except ImportError:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "bindings", "python"))
    import scarscore


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: example.py PHOTO [PX_PER_MM]", file=sys.stderr)
        return 2
    px_per_mm = float(argv[2]) if len(argv) == 3 else None
    try:
        image = scarscore.load(argv[1])
        result = scarscore.analyze(image, px_per_mm=px_per_mm)
    except scarscore.Error as e:  # the library's message names file and reason
        print("example.py: %s" % e, file=sys.stderr)
        return 1

    s = result.summary
    print("%s: %dx%d, %d regions, %g px/mm%s, skin %.1f mm2" % (
        argv[1], s["width"], s["height"], s["region_count"], s["px_per_mm"],
        " (assumed)" if s["scale_assumed"] else "", s["skin_area_mm2"]))
    for r in result.regions:
        print("  %3d %9.2f mm2 at (%6.1f, %6.1f)  dE00 %5.2f  %s" % (
            r["id"], r["area_mm2"], r["centroid_x"], r["centroid_y"],
            r["delta_e00"], r["class"]))

    # The building blocks work on numpy arrays: e.g. the median ITA of the
    # analysed skin, from the image's CIELAB and the result's skin mask.
    lab = scarscore.image_to_lab(image, mask=result.skin_mask)  # NaN off-skin
    L_med, b_med = np.nanmedian(lab[..., 0]), np.nanmedian(lab[..., 2])
    ita = scarscore.ita(L_med, b_med)
    print("skin tone: median L* %.1f, b* %.1f, ITA %.1f deg (%s)"
          % (L_med, b_med, ita, scarscore.ita_category(ita)))

    try:
        import pandas
    except ImportError:
        return 0
    print(pandas.DataFrame(result.regions).head())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
