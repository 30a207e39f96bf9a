/* example_analyze.c — the smallest complete scarscore program: analyse one
 * photo and print its regions. Uses only the public header.
 *
 *   example_analyze PHOTO.jpg [PX_PER_MM]
 *
 * Build against an installed scarscore (see samples/README.md):
 *   cc example_analyze.c $(pkg-config --cflags --libs scarscore) -o example_analyze
 */
#include <stdio.h>
#include <stdlib.h>

#include <scarscore.h>

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s PHOTO [PX_PER_MM]\n", argv[0]);
        return 2;
    }
    /* Header and library must agree on the major version (the soname does
     * this at link time; this catches a mismatched LD_LIBRARY_PATH). */
    if (scar_version_number() / 1000000 != SCAR_VERSION_MAJOR) {
        fprintf(stderr, "example_analyze: library %s, header %s\n",
                scar_version(), SCAR_VERSION_STRING);
        return 1;
    }

    scar_analyze_options opts;
    scar_analyze_options_init(&opts); /* defaults, and struct_size */
    if (argc == 3) {
        char *end = NULL;
        opts.px_per_mm = strtod(argv[2], &end);
        if (!end || *end || !(opts.px_per_mm > 0)) {
            fprintf(stderr, "example_analyze: PX_PER_MM '%s' is not a positive number\n",
                    argv[2]);
            return 2;
        }
    }

    scar_image *img = NULL;
    scar_result *res = NULL;
    int rc = 1;
    /* Every failure carries a message naming the function, file and reason. */
    if (scar_image_load(argv[1], NULL, &img) != SCAR_OK ||
        scar_analyze(img, NULL, &opts, &res) != SCAR_OK) {
        fprintf(stderr, "example_analyze: %s\n", scar_last_error());
        goto done;
    }

    uint32_t n = scar_result_region_count(res);
    printf("%s: %ux%u, %u region%s, %g px/mm%s\n", argv[1],
           scar_image_width(img), scar_image_height(img), n, n == 1 ? "" : "s",
           scar_result_px_per_mm(res),
           scar_result_scale_assumed(res) ? " (assumed)" : "");
    printf("  id   area_mm2   centroid_x centroid_y   L_in   L_ring  dE00  class\n");
    for (uint32_t i = 0; i < n; i++) {
        scar_region r;
        r.struct_size = sizeof r; /* lets newer libraries append fields */
        if (scar_result_region(res, i, &r) != SCAR_OK) {
            fprintf(stderr, "example_analyze: %s\n", scar_last_error());
            goto done;
        }
        printf("  %-4u %9.2f %11.1f %10.1f %7.2f %7.2f %5.2f  %s\n", r.id,
               r.area_mm2, r.centroid_x, r.centroid_y, r.lab_inside[0],
               r.lab_ring[0], r.delta_e00,
               scar_pigment_class_name((scar_pigment_class)r.pigment_class));
    }
    rc = 0;
done:
    scar_result_free(res); /* both accept NULL */
    scar_image_free(img);
    return rc;
}
