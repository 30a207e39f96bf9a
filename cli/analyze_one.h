/* analyze_one.h — load one photo (and its optional ROI mask) and analyse
 * it: the single place where the commands call scar_analyze(). */
#ifndef SCAR_CLI_ANALYZE_ONE_H
#define SCAR_CLI_ANALYZE_ONE_H

#include <stddef.h>

#include "scarscore.h"

/* Flags of cli_analyze_file. */
#define CLI_ANALYZE_SINGLE_LESION 1u    /* scar_analyze_options.single_lesion */
#define CLI_ANALYZE_AS_PHOTOGRAPHED 2u  /* exposure_normalize = 0 */

/* px_per_mm 0 = unknown (the library's default is assumed and reported).
 * analysis_px_per_mm < 0 (CLI_ANALYSIS_DEFAULT) = the library's default
 * analysis resolution, 0 = always full resolution, else the resolution
 * to analyse at (scar_analyze_options.analysis_px_per_mm). regions_file
 * not NULL: a label PNG whose regions are measured instead of found
 * (scar_measure). On success *res (and *img when img is not NULL; the caller frees both)
 * are set and 0 returned; on failure -1 with the library's message (which
 * names the file and the reason) in err. */
int cli_analyze_file(const char *file, const char *roi_file,
                     const char *regions_file, double px_per_mm,
                     double analysis_px_per_mm, unsigned flags,
                     scar_image **img, scar_result **res, char *err,
                     size_t errsz);

/* Save a PNG of the photo with the contour of every region drawn in the
 * colour of its pigment class (docs/cli.md): 8-bit RGB, same size as the
 * analysed image, written atomically. An 8-bit RGB `img` is drawn on in
 * place (its pixels change: call it last); others are converted to a
 * copy. Returns 0 or -1 with err set. */
int cli_overlay_save(scar_image *img, const scar_result *res,
                     const char *path, char *err, size_t errsz);

#endif
