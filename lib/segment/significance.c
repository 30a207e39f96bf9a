/* significance.c — region-level test: a candidate region is kept only when
 * its mean contrast is significant against healthy skin's own variability
 * at the region's size; see segment.h and docs/segment.md.
 *
 * A pixel threshold cannot be scale-invariant: a 12 MP photo holds ~30x
 * more skin than a 400x300 one, so the same per-pixel false-alarm rate
 * gives ~30x more false regions, and mm-scale mottling is spatially
 * correlated, so a blob of many "significant" pixels is no stronger
 * evidence than one. The test here works on whole regions, as a scan
 * statistic (Kulldorff 1997) with a Bonferroni bound:
 *
 *  - the null distribution of the statistic at area A is sampled on boxes
 *    of side sqrt(A) placed on a low-discrepancy lattice (R2 sequence,
 *    Roberts 2018) over the skin; scales are a geometric ladder;
 *  - colour statistic: mean (zL, za, zb) over the region, each channel
 *    centred by the median of the box means at that scale and scaled by
 *    their robust sd (robust_sd: MAD, or the 99th percentile when the tail
 *    is heavier), combined as a Euclidean norm (chi(3) under Gaussian
 *    texture); or, when larger, the norm whitened by the correlation of
 *    the box means: healthy mottling moves L* and b* together, so a
 *    change across that direction (a shaded wall: darker and less
 *    chromatic) is rarer than each channel's spread says. Not whitened
 *    alone: that would discount the melanin direction, exactly the
 *    direction of pigment lesions. Box pixels inside candidate regions
 *    are skipped (lesions would inflate the null in small photos). The
 *    per-channel norm is also taken of the region's local contrast, its
 *    mean minus the mean over its ring (skin SIG_RING_IN_MM ..
 *    SIG_RING_OUT_MM from it, outside every candidate), against the same
 *    difference for each box and the square frame around it at those
 *    distances, and the smaller of the two is the colour statistic: a
 *    lesion stands out from the skin at large and from its own
 *    surroundings, where a mottle of healthy skin that stands out from
 *    the skin at large fades into its ring (a region without a ring, or
 *    a scale without enough framed boxes: the first alone);
 *  - shading statistic: the dipole of zL along the dominant light axis
 *    (mean over the lit half minus the shaded half, halves split through
 *    the centroid), robust-z'd against the boxes' dipoles (half-normal).
 *    A pit or bump under directional light is a lit/shaded pair whose mean
 *    colour can be nil; the light axis is the major eigenvector of the
 *    structure tensor of zL gradients over the skin (micro-relief is lit
 *    by the same light; Bigun & Granlund 1987);
 *  - a region of area A is one of N = skin area / A disjoint candidates,
 *    so it is kept when either statistic, or their joint norm (chi(4)),
 *    exceeds the level whose tail probability is ALPHA / N (expected
 *    ~ALPHA false regions per scale and test per image, whatever the image
 *    size); a ragged region (solidity < 0.6)
 *    must exceed it by 30 %: its outline followed the noise, which biases
 *    its mean upward against the box null;
 *  - whatever its statistics, a region whose outline follows the JPEG
 *    block grid (blockgrid.c) is a compression artefact (the chroma
 *    blocks' grid: unless its luma difference alone is significant), one
 *    whose outline runs along the skin mask's edge (skinedge.c; a glare
 *    spot's outline, and where step 4 kept a cut out of its halo, only
 *    for a region lighter than the skin) is that edge,
 *    one whose pixels are mostly excluded ones it closed over is their
 *    halo, one that differs from its surroundings by less blood only
 *    (blanching, below) is skin between flushed areas, a compact pale one
 *    without relief whose lightness profile is peaked, with no plateau
 *    (plateau.c), is a bump of the skin's mottling, and a thin, long
 *    line is a hair or a crease: all are dropped;
 *  - then the regions that failed are judged again against a null that
 *    also leaves out the skin within NULL_HALO_MM of those that passed
 *    (null_without_halos): a confirmed lesion's surroundings are not
 *    healthy skin. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "morph/morph.h"
#include "segment/robust.h"
#include "segment/segment.h"

#define SIG_ALPHA 0.05          /* false regions per image and scale */
#define SIG_BOXES 1536          /* boxes sampled per scale */
#define SIG_BOX_SAMPLES 16      /* samples per box side (stride) */
#define SIG_BOX_VALID 0.5       /* valid fraction for a box to count */
#define SIG_MIN_BOXES 48        /* fewer: the scale borrows a neighbour's */
#define SIG_SCALE_STEP 1.41421356237 /* box sides grow by sqrt 2 */
#define SIG_MIN_SIDE 2.0        /* px */
/* Local contrast: a region against its ring, a box against its frame.
 * The ring is the measurement's default perilesional ring (1 to 3 mm:
 * past the lesion's soft edge, near enough to share its skin). On the
 * benchmark phantoms with real skin texture, precision 0.525 -> 0.575
 * (cluster 0.852 -> 0.879) at the same recall (docs/segment.md). */
#define SIG_RING_IN_MM 1.0
#define SIG_RING_OUT_MM 3.0
#define SIG_FRAME_SAMPLES 16    /* samples per frame side (stride) */
#define SIG_FRAME_VALID 0.25    /* valid fraction for a frame to count */
/* Frames are sampled around the first this many boxes of the sequence
 * (low-discrepancy: they cover the skin evenly); a frame costs about as
 * much as its box, and 1536 of them added 13 % to the analysis of a 12 MP
 * photo. */
#define SIG_FRAME_BOXES 512
/* Whitened colour statistic: box means within this many robust sd in
 * every channel make the correlation (as the anomaly map's covariance). */
#define SIG_WHITEN_INLIER 3.0
/* The null's sd is at least its 99th percentile of |x - median| over the
 * normal's 2.5758: box means of mottled or JPEG-quantised skin are
 * heavier-tailed than the MAD says (docs/segment.md). */
#define SIG_TAIL_Q 0.99
#define SIG_TAIL_Z 2.57582930355
/* Block-grid artefacts (blockgrid.c): a natural outline has 1/8 (1/16) of
 * its boundary edges on the 8-px (16-px) grid; JPEG chroma blocks have
 * nearly all. Measured on the 60 benchmark phantoms: at these levels 1440
 * of 2279 false regions and 2 of 316 matched lesions lie on the grid. */
#define GRID16_MAX 0.4
#define GRID8_MAX 0.55
/* On a photo shrunk by 2 (analysis resolution) the grids are 4 and 8 px:
 * chance doubles, and a soft chroma edge that the decoder's upsampling
 * spread over 2 px now falls on the grid. Measured on the benchmark
 * phantoms (docs/segment.md), among regions that pass the colour test:
 * shrunk by 2, 345 of 371 grid-following false regions are dropped and 2
 * of 195 lesion regions (7 at the full-resolution levels); shrunk by 4
 * only the 16-px grid (now 4 px, chance 1/4) is tested, and 0.6 drops 164
 * of 201 false regions and 2 of 69 lesion regions. */
#define GRID16_MAX_SHRUNK2 0.5
#define GRID8_MAX_SHRUNK2 0.65
#define GRID16_MAX_SHRUNK4 0.6
/* Shrunk by 3, the 16-px grid lines fall between analysed pixel edges; an
 * outline follows the edge nearest each line (blockgrid.c), chance 3/16:
 * between the levels of 2 and 4. */
#define GRID16_MAX_SHRUNK3 0.55
/* Within +-1 px of the 16-px grid (chance 3/16), for regions of at most 8
 * chroma blocks (16x16 px): 165 of the remaining 840 false regions, no
 * matched lesion (larger lesions with block-quantised chroma reach it). */
#define GRID16_NEAR_MAX 0.7
#define GRID_NEAR_MAX_BLOCKS 8.0
/* Ragged regions: a hysteresis outline that follows the noise selects
 * pixels for their value, so its mean overstates what the box null
 * (drawn on fixed shapes) would see. A region whose evidence is within
 * this factor of the threshold and whose solidity (area / convex area) is
 * below RAGGED_SOLIDITY is dropped. On the 60 benchmark phantoms: 28
 * regions fewer, 2 of them lesions (docs/segment.md). */
#define RAGGED_MAX_RATIO 1.3
#define RAGGED_SOLIDITY 0.6
/* Blanching: a region lighter than its surroundings, less red and more
 * yellow, whose lightness changes less than twice its chroma, differs
 * from them mainly by less blood (haemoglobin absorbs green: less of it
 * raises L* and lowers a*; melanin loss, scar tissue and vitiligo lower
 * b* on light skin and, on dark skin, raise L* several times more than
 * the chroma). In the phantom's optics a change of blood alone moves L*
 * 0.54-0.63 times the chroma, one of melanin alone (in this octant) 3.3
 * times or more, on every skin tone it draws
 * (tests/reference/gen_chromophore_ref.py); 2 lies between. None of the kinds scarscore looks for
 * is that: these are the gaps between the skin's flushed areas and the
 * pale spots of its mottling, and they are dropped (docs/segment.md).
 * BLANCH_L_MAX is the largest ratio of the L* difference to the chroma
 * difference. */
#define BLANCH_L_MAX 2.0
/* Peaked pale regions (plateau.c): a compact region (major / minor axis
 * below PEAKED_MAX_ELONGATION: striae are bands) lighter than its ring,
 * whose relief statistic is below PEAKED_MAX_RELIEF of its level (a
 * raised scar's or a boxcar's lit side shows relief), is a bump of the
 * skin's mottling when less than PLATEAU_MIN of its area above a quarter
 * of its contrast stands above half of it (0.5 for a Gaussian bump; a
 * patch's plateau keeps most). On the benchmark phantoms (a one-off
 * script over session 27's outputs, docs/segment.md) the pale false
 * regions' ratio is 0.46 (median; 0.34-0.54 for the middle half), the
 * hypopigmented patches' 0.73 (0.63-0.78); relief below its full level
 * (1) instead of half lost 4 more hypertrophic scars. */
#define PLATEAU_MIN 0.5
#define PEAKED_MAX_ELONGATION 3.0
#define PEAKED_MAX_RELIEF 0.5
/* Regions with this fraction of their outline on excluded pixels run along
 * the edge of the skin mask (skinedge.c, docs/segment.md). */
#define SKIN_EDGE_MAX 0.25
/* Glare lights the skin around it, less with distance: a region along
 * glare is its halo when it is lighter than the skin just beyond it (mean
 * zL over the skin SIG_NEAR_RING_IN_MM .. SIG_NEAR_RING_OUT_MM from it,
 * outside every candidate). A scar beside or inside a glare spot is lit
 * like the skin around it and is not lighter than it: its outline along
 * the glare is then no skin edge. On the benchmark phantoms (a one-off
 * scratch build's traces of the regions dropped as skin edges, lighter
 * than the model, docs/segment.md) the lesions were at -2.0 to +0.2 sd
 * of zL against that skin (one at +0.7), the false regions at -0.3 (a
 * speck) and +0.3 to +2, most above +0.5. */
#define SIG_NEAR_RING_IN_MM 0.3
#define SIG_NEAR_RING_OUT_MM 0.9
#define HALO_MIN_LIFT 0.0
/* A region whose pixels are mostly what the skin mask left out, holes it
 * closed over (a glare spot in the middle of its bright, bluish halo), is
 * the halo of what was left out. On the 60 benchmark phantoms: 2 regions
 * fewer, no lesion lost; on the cluster layout 4 fewer, 1 lesion of 1971
 * (docs/segment.md). */
#define EXCLUDED_MAX 0.3
/* Second pass: the null leaves out the skin within this many mm of the
 * regions that passed the first. On the 60 benchmark phantoms 1 mm gave
 * recall 0.725 -> 0.746 and precision 0.770 -> 0.759, 2 mm 0.748 / 0.749
 * (docs/segment.md). */
#define NULL_HALO_MM 1.0
/* A line thinner than this (minor axis of the moment ellipse, 1.15x the
 * width of a band) and at least THIN_ELONGATION times as long is a hair
 * or a crease the hair mask missed: the scars, striae and patches looked
 * for are wider. On the benchmark phantoms: 8 false regions of 440 and 6
 * of 1548 (cluster) dropped, no lesion; on the acne photos at 5 px/mm two
 * hairs (docs/segment.md). */
#define THIN_MINOR_MM 0.6
#define THIN_ELONGATION 4.0
/* A line at least DARK_LINE_ELONGATION times as long as wide (moment
 * axes) that is darker than the skin and changes its chroma by at most
 * DARK_LINE_MAX_CHROMA times its L* is a hair or a skin crease: both
 * darken the skin like a shadow, without the redness of a stria rubra,
 * the lightness of a stria alba or the yellow of pigment. On the
 * benchmark phantoms (docs/segment.md) the elongated false regions of
 * hairs had chroma / |dL*| 0.06-0.33, the striae and boxcar walls
 * kept 0.38 and more. */
#define DARK_LINE_ELONGATION 4.0
#define DARK_LINE_MAX_CHROMA 0.35

/* Whether the mean residual v (z units; sd: the z unit of each channel in
 * L*a*b*) is a blanching: dL > 0, da < 0, db > 0, dL <= BLANCH_L_MAX *
 * |(da, db)|. */
static int blanching(const double v[3], const float sd[3])
{
    double dl = v[0] * sd[0], da = v[1] * sd[1], db = v[2] * sd[2];
    return dl > 0 && da < 0 && db > 0 &&
           dl <= BLANCH_L_MAX * sqrt(da * da + db * db);
}

typedef struct scale_null {
    int ok;
    double mu[3], icov[3][3];   /* colour: centre, diagonal 1 / sd^2 */
    double dmed, dsd;           /* dipole: median, robust sd */
    int wok;                    /* winv valid */
    double winv[3][3];          /* inverse correlation of the box means */
    int lok;                    /* local contrast sampled (else: means) */
    double lmu[3], lsd[3];      /* box minus frame: median, robust sd */
} scale_null;

int scar__shadow_coloured(const double v[3], const float sd[3])
{
    double dl = v[0] * sd[0];
    double chroma = hypot(v[1] * sd[1], v[2] * sd[2]);
    return dl < 0.0 && chroma <= DARK_LINE_MAX_CHROMA * -dl;
}

/* Whether a region of mean residual v (z units; sd: the z unit of each
 * channel) and moment axes r is a dark line (DARK_LINE_*). */
static int dark_line(const double v[3], const float sd[3],
                     const scar__region *r)
{
    return scar__shadow_coloured(v, sd) && r->major_axis_length > 0.0 &&
           r->major_axis_length >= DARK_LINE_ELONGATION * r->minor_axis_length;
}

/* Upper tail of chi with 3 degrees of freedom: P(chi3 > t)
 * = erfc(t / sqrt 2) + sqrt(2 / pi) t exp(-t^2 / 2). */
static double chi3_sf(double t)
{
    return erfc(t / sqrt(2.0)) + 0.79788456080286535588 /* sqrt(2 / pi) */ * t * exp(-0.5 * t * t);
}

/* Upper tail of chi(4): exp(-t^2 / 2) (1 + t^2 / 2). */
static double chi4_sf(double t) { return exp(-0.5 * t * t) * (1.0 + 0.5 * t * t); }

/* Upper tail of the half-normal |N(0,1)|: erfc(t / sqrt 2). */
static double halfnormal_sf(double t) { return erfc(t / sqrt(2.0)); }

/* t with sf(t) = p (sf decreasing), by bisection on [0, 40]. */
static double inverse_sf(double (*sf)(double), double p)
{
    double lo = 0.0, hi = 40.0;
    for (int i = 0; i < 100; i++) {
        double mid = 0.5 * (lo + hi);
        if (sf(mid) > p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* Robust sd of box statistics from their absolute deviations dev[0..n-1]
 * (reordered): the larger of 1.4826 MAD and the 99th percentile over the
 * normal's 2.5758, so a heavy tail is not hidden by a small MAD. */
static double robust_sd(float *dev, size_t n)
{
    double mad = SCAR__MAD_TO_SIGMA * scar__median_inplace(dev, n);
    double tail = (double)scar__select_kth(
                      dev, n, (size_t)(SIG_TAIL_Q * (double)(n - 1))) /
                  SIG_TAIL_Z;
    return tail > mad ? tail : mad;
}

/* One sampled box: its corner and its index in the R2 sequence. */
typedef struct sig_box {
    uint32_t x0, y0, i;
} sig_box;

/* Raster order of the box corners: boxes visited in this order share rows
 * (pages, cache lines) with their predecessors; the statistics are taken
 * per box and gathered in sequence order, so they do not depend on it. */
static int box_raster_cmp(const void *pa, const void *pb)
{
    const sig_box *a = pa, *b = pb;
    if (a->y0 != b->y0)
        return a->y0 < b->y0 ? -1 : 1;
    if (a->x0 != b->x0)
        return a->x0 < b->x0 ? -1 : 1;
    return a->i < b->i ? -1 : (a->i > b->i);
}

/* Mean (zL, za, zb) over the square frame around the s x s box at
 * (x0, y0): pixels whose Chebyshev distance to the box is in [a, b] px,
 * sampled with a stride of (s + 2b) / SIG_FRAME_SAMPLES, skipping what the
 * box statistics skip. 0 when fewer than SIG_FRAME_VALID of the samples
 * (those off the photo included) are valid. */
static int frame_mean(const scar__anomaly_maps *m, const scar__mask *valid,
                      uint32_t x0, uint32_t y0, uint32_t s, double a, double b,
                      double mean[3])
{
    int64_t B = (int64_t)floor(b), A = (int64_t)ceil(a);
    int64_t W = valid->width, H = valid->height;
    int64_t X0 = (int64_t)x0, Y0 = (int64_t)y0, S = (int64_t)s;
    int64_t t = (S + 2 * B) / SIG_FRAME_SAMPLES;
    if (t < 1)
        t = 1;
    if (A > B)
        return 0;
    /* the sample grid x = X0 - B + k t; beside the box (rows closer than
     * A to it) only its two side bands: k up to kl, and from kr on */
    int64_t kl = (B - A) / t;
    int64_t kr = (S - 1 + A + B + t - 1) / t;
    int64_t kn = (S + 2 * B + t - 1) / t;
    double sum[3] = {0, 0, 0}, cnt = 0, total = 0;
    for (int64_t y = Y0 - B; y < Y0 + S + B; y += t) {
        int64_t dy = y < Y0 ? Y0 - y : (y >= Y0 + S ? y - (Y0 + S - 1) : 0);
        int beside = dy < A;
        int row_ok = y >= 0 && y < H;
        const uint8_t *ok = row_ok ? scar__mask_row(valid, (uint32_t)y) : NULL;
        const float *zl = row_ok ? scar__planef_row(&m->zL, (uint32_t)y) : NULL;
        const float *za = row_ok ? scar__planef_row(&m->za, (uint32_t)y) : NULL;
        const float *zb = row_ok ? scar__planef_row(&m->zb, (uint32_t)y) : NULL;
        for (int64_t k = 0; k < kn; k++) {
            if (beside && k > kl && k < kr)
                k = kr;
            int64_t x = X0 - B + k * t;
            if (x >= X0 + S + B)
                break;
            total += 1;
            if (!row_ok || x < 0 || x >= W || !ok[x])
                continue;
            sum[0] += zl[x];
            sum[1] += za[x];
            sum[2] += zb[x];
            cnt += 1;
        }
    }
    if (cnt < 4 || cnt < SIG_FRAME_VALID * total)
        return 0;
    for (int c = 0; c < 3; c++)
        mean[c] = sum[c] / cnt;
    return 1;
}

/* Inverse of the correlation matrix of the standardised box means
 * (mv - med) / sd, over the boxes with all three within SIG_WHITEN_INLIER;
 * 0 when fewer than 16 or singular. */
static int box_correlation(const double *mv, size_t n, const double med[3],
                           const double sd[3], double winv[3][3])
{
    double s2[3][3] = {{0}}, cnt = 0;
    for (size_t i = 0; i < n; i++) {
        double u[3];
        int in = 1;
        for (int c = 0; c < 3; c++) {
            u[c] = (mv[3 * i + c] - med[c]) / sd[c];
            in &= fabs(u[c]) < SIG_WHITEN_INLIER;
        }
        if (!in)
            continue;
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                s2[a][b] += u[a] * u[b];
        cnt += 1;
    }
    if (cnt < 16)
        return 0;
    double r[3][3], d[3];
    for (int a = 0; a < 3; a++)
        d[a] = sqrt(s2[a][a] / cnt);
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            r[a][b] = s2[a][b] / cnt / (d[a] * d[b]);
    return d[0] > 0 && d[1] > 0 && d[2] > 0 && scar__inv3(r, winv);
}

/* Null statistics for boxes of side `side` px, with frames at ring_in ..
 * ring_out px (ring_out 0: none). `boxes` holds SIG_BOXES; `buf` holds
 * 7 SIG_BOXES doubles and SIG_BOXES floats. */
static int sample_scale(const scar__anomaly_maps *m, const scar__mask *valid,
                        double side, double ux, double uy, double ring_in,
                        double ring_out, double *buf, sig_box *boxes,
                        scale_null *out)
{
    uint32_t w = valid->width, h = valid->height;
    uint32_t s = (uint32_t)lround(side);
    memset(out, 0, sizeof *out);
    if (s < 1 || s > w || s > h)
        return 0;
    uint32_t t = s / SIG_BOX_SAMPLES;
    if (t < 1)
        t = 1;
    uint32_t per = (s + t - 1) / t;
    double need = SIG_BOX_VALID * (double)per * (double)per;
    /* R2 low-discrepancy sequence (Roberts 2018): plastic number g */
    const double g = 1.32471795724474602596;
    const double a1 = 1.0 / g, a2 = 1.0 / (g * g);
    double *mv = buf, *dv = buf + 3 * SIG_BOXES, *lv = buf + 4 * SIG_BOXES;
    double half = 0.5 * (double)(s - 1);
    for (int i = 0; i < SIG_BOXES; i++) {
        double fx = fmod(0.5 + a1 * (i + 1), 1.0);
        double fy = fmod(0.5 + a2 * (i + 1), 1.0);
        boxes[i].x0 = (uint32_t)(fx * (double)(w - s + 1));
        boxes[i].y0 = (uint32_t)(fy * (double)(h - s + 1));
        boxes[i].i = (uint32_t)i;
    }
    qsort(boxes, SIG_BOXES, sizeof *boxes, box_raster_cmp);
    /* box_ok[i]: box i (sequence order) kept; its statistics go to slot i */
    uint8_t box_ok[SIG_BOXES], frame_ok[SIG_BOXES];
    memset(box_ok, 0, sizeof box_ok);
    memset(frame_ok, 0, sizeof frame_ok);
    for (int b = 0; b < SIG_BOXES; b++) {
        const uint32_t x0 = boxes[b].x0, y0 = boxes[b].y0, i = boxes[b].i;
        double sum[3] = {0, 0, 0}, sp = 0, sn = 0;
        double cnt = 0, np = 0, nn = 0;
        for (uint32_t yy = 0; yy < s; yy += t) {
            const uint8_t *ok = scar__mask_row(valid, y0 + yy) + x0;
            const float *zl = scar__planef_row(&m->zL, y0 + yy) + x0;
            const float *za = scar__planef_row(&m->za, y0 + yy) + x0;
            const float *zb = scar__planef_row(&m->zb, y0 + yy) + x0;
            double dy = (double)yy - half;
            for (uint32_t xx = 0; xx < s; xx += t) {
                if (!ok[xx])
                    continue;
                sum[0] += zl[xx];
                sum[1] += za[xx];
                sum[2] += zb[xx];
                cnt += 1;
                double pr = ((double)xx - half) * ux + dy * uy;
                if (pr > 0) {
                    sp += zl[xx];
                    np += 1;
                } else if (pr < 0) {
                    sn += zl[xx];
                    nn += 1;
                }
            }
        }
        if (cnt < need || np < 1 || nn < 1)
            continue;
        for (int c = 0; c < 3; c++)
            mv[3 * i + c] = sum[c] / cnt;
        dv[i] = sp / np - sn / nn;
        box_ok[i] = 1;
        double fm[3];
        if (ring_out > 0 && i < SIG_FRAME_BOXES &&
            frame_mean(m, valid, x0, y0, s, ring_in, ring_out, fm)) {
            for (int c = 0; c < 3; c++)
                lv[3 * i + c] = mv[3 * i + c] - fm[c];
            frame_ok[i] = 1;
        }
    }
    /* gather the kept boxes in sequence order (slot n <= i: in place) */
    size_t n = 0, nl = 0;
    for (size_t i = 0; i < SIG_BOXES; i++) {
        if (frame_ok[i]) {
            for (int c = 0; c < 3; c++)
                lv[3 * nl + c] = lv[3 * i + c];
            nl++;
        }
        if (!box_ok[i])
            continue;
        for (int c = 0; c < 3; c++)
            mv[3 * n + c] = mv[3 * i + c];
        dv[n] = dv[i];
        n++;
    }
    if (n < SIG_MIN_BOXES)
        return 0;
    /* robust centre and scale per channel */
    float *tmp = (float *)(buf + 7 * SIG_BOXES);
    out->lok = nl >= SIG_MIN_BOXES;
    for (int c = 0; c < 3 && out->lok; c++) {
        for (size_t i = 0; i < nl; i++)
            tmp[i] = (float)lv[3 * i + c];
        out->lmu[c] = scar__median_inplace(tmp, nl);
        for (size_t i = 0; i < nl; i++)
            tmp[i] = (float)fabs(lv[3 * i + c] - out->lmu[c]);
        out->lsd[c] = robust_sd(tmp, nl);
        if (!(out->lsd[c] > 1e-6))
            out->lsd[c] = 1e-6;
    }
    double med[3], sd[3];
    for (int c = 0; c < 3; c++) {
        for (size_t i = 0; i < n; i++)
            tmp[i] = (float)mv[3 * i + c];
        med[c] = scar__median_inplace(tmp, n);
        for (size_t i = 0; i < n; i++)
            tmp[i] = (float)fabs(mv[3 * i + c] - med[c]);
        sd[c] = robust_sd(tmp, n);
        if (!(sd[c] > 1e-6))
            sd[c] = 1e-6;
    }
    memset(out->icov, 0, sizeof out->icov);
    for (int c = 0; c < 3; c++) {
        out->mu[c] = med[c];
        out->icov[c][c] = 1.0 / (sd[c] * sd[c]);
    }
    out->wok = box_correlation(mv, n, med, sd, out->winv);
    for (size_t i = 0; i < n; i++)
        tmp[i] = (float)dv[i];
    out->dmed = scar__median_inplace(tmp, n);
    for (size_t i = 0; i < n; i++)
        tmp[i] = (float)fabs(dv[i] - out->dmed);
    out->dsd = robust_sd(tmp, n);
    if (!(out->dsd > 1e-6))
        out->dsd = 1e-6;
    out->ok = 1;
    return 0;
}

/* The ladder's nulls as build_null samples them: each rung at most once,
 * `own` its own validity (a borrowed null does not count). */
typedef struct null_ladder {
    const scar__anomaly_maps *maps;
    const scar__mask *valid;
    double ux, uy, ppm;
    double *buf;
    sig_box *boxes;
    scale_null *nul;
    uint8_t sampled[64], own[64];
} null_ladder;

static void ladder_sample(null_ladder *l, int k)
{
    if (l->sampled[k])
        return;
    sample_scale(l->maps, l->valid, SIG_MIN_SIDE * pow(SIG_SCALE_STEP, k),
                 l->ux, l->uy, SIG_RING_IN_MM * l->ppm,
                 SIG_RING_OUT_MM * l->ppm, l->buf, l->boxes, &l->nul[k]);
    l->sampled[k] = 1;
    l->own[k] = (uint8_t)l->nul[k].ok;
}

/* The pixels the null may sample: skin, no candidate (label 0) and all
 * three z finite. One byte per pixel, so that the boxes and frames, whose
 * samples are strided and miss the cache, read one plane to skip a pixel
 * rather than five. */
static void null_valid(const scar__anomaly_maps *m, const scar__mask *skin,
                       const scar__labels *labels, scar__mask *valid)
{
    for (uint32_t y = 0; y < skin->height; y++) {
        const uint8_t *sk = scar__mask_row(skin, y);
        const int32_t *lb = scar__labels_row(labels, y);
        const float *zl = scar__planef_row(&m->zL, y);
        const float *za = scar__planef_row(&m->za, y);
        const float *zb = scar__planef_row(&m->zb, y);
        uint8_t *o = scar__mask_row(valid, y);
        for (uint32_t x = 0; x < skin->width; x++)
            o[x] = sk[x] && !lb[x] && isfinite(zl[x]) && isfinite(za[x]) &&
                   isfinite(zb[x]);
    }
}

/* The null at the scales with use[k] set (sample_scale), over the pixels
 * of `valid` (null_valid). A used scale without enough boxes borrows the
 * nearest smaller valid one, else the nearest larger, those sampled as
 * the search reaches them: the nulls every scale would get from sampling
 * the whole ladder and borrowing along it, at the cost of the scales the
 * regions use (nsc <= 64). */
static void build_null(const scar__anomaly_maps *maps,
                       const scar__mask *valid, double ux, double uy,
                       double ppm, double *buf, sig_box *boxes,
                       scale_null *nul, const uint8_t *use, int nsc)
{
    null_ladder l = {maps, valid, ux, uy, ppm, buf, boxes, nul, {0}, {0}};
    for (int k = 0; k < nsc; k++)
        if (use[k])
            ladder_sample(&l, k);
    for (int k = 0; k < nsc; k++) {
        if (!use[k] || l.own[k])
            continue;
        int lender = -1;
        for (int j = k - 1; j >= 0 && lender < 0; j--) {
            ladder_sample(&l, j);
            if (l.own[j])
                lender = j;
        }
        for (int j = k + 1; j < nsc && lender < 0; j++) {
            ladder_sample(&l, j);
            if (l.own[j])
                lender = j;
        }
        if (lender >= 0)
            nul[k] = nul[lender];
    }
}

/* The null again at the scales with need[k] set (into nul; a scale
 * without enough boxes keeps its null), with the skin within NULL_HALO_MM
 * of the regions that passed (keep[label] > 0) skipped as well as what
 * `valid` skips (every candidate): a lesion's soft tail, below the
 * hysteresis' low level, is not healthy skin, and where lesions are many
 * their tails widen the null's spread. */
static int null_without_halos(const scar__anomaly_maps *maps,
                              const scar__mask *valid,
                              const scar__segment_params *p, const char *ctx,
                              const scar__labels *labels, const int32_t *keep,
                              double ux, double uy, double *buf,
                              sig_box *boxes, scale_null *nul,
                              const uint8_t *need, int nsc)
{
    uint32_t w = valid->width, h = valid->height;
    scar__mask halo = {0};
    int st = scar__mask_alloc(w, h, ctx, &halo);
    if (st)
        return st;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        uint8_t *o = scar__mask_row(&halo, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = l[x] > 0 && keep[l[x]] > 0;
    }
    uint32_t r = (uint32_t)lround(NULL_HALO_MM * p->px_per_mm);
    if (r > 0)
        st = scar__dilate_disk(&halo, r, &halo);
    if (!st) {
        /* the halo mask becomes the pixels to sample: valid, not halo */
        for (uint32_t y = 0; y < h; y++) {
            const uint8_t *v = scar__mask_row(valid, y);
            uint8_t *o = scar__mask_row(&halo, y);
            for (uint32_t x = 0; x < w; x++)
                o[x] = v[x] && !o[x];
        }
        for (int k = 0; k < nsc; k++) {
            if (!need[k])
                continue;
            scale_null z;
            sample_scale(maps, &halo, SIG_MIN_SIDE * pow(SIG_SCALE_STEP, k),
                         ux, uy, SIG_RING_IN_MM * p->px_per_mm,
                         SIG_RING_OUT_MM * p->px_per_mm, buf, boxes, &z);
            if (z.ok)
                nul[k] = z;
        }
    }
    scar__plane_free(halo.data);
    return st;
}

/* The rung of the scale ladder (0..nsc - 1) for a region of `area` px. */
static int scale_of(uint64_t area, int nsc)
{
    double side = sqrt((double)area);
    int k = (int)lround(log(side / SIG_MIN_SIDE) / log(SIG_SCALE_STEP));
    if (k < 0)
        k = 0;
    if (k >= nsc)
        k = nsc - 1;
    return k;
}

/* Per region: sums of zL, za, zb and their count (0-3), of zL on the
 * positive and the negative side of the light axis and their counts
 * (4-7), of zL, za, zb over its ring and their count (8-11). */
#define SIG_SUMS 12

/* What step 6 needs to judge the regions (built once per call). */
typedef struct sig_ctx {
    const double *acc;          /* per region: SIG_SUMS sums (see below) */
    const double *grid;         /* per region: 5 fractions / counts */
    const scar__region *props;
    const scale_null *nul;
    int nsc;
    int32_t n;
    uint64_t nskin;
    double g8_max, g16_max, block16;
    const float *sd;            /* the z unit of zL, za, zb */
    double ppm;                 /* px per mm of the analysed photo */
    const uint8_t *pit;         /* per region: holds a pit pixel */
    const double *plateau;      /* per region: plateau ratio or NaN */
    const double *lift;         /* per region: its mean zL minus its near
                                 * ring's, NaN when unknown (NULL: none) */
} sig_ctx;

/* Sums of zL, za, zb over each region's ring (skin SIG_RING_IN_MM ..
 * SIG_RING_OUT_MM from it, outside every candidate: ring.c) into
 * acc[SIG_SUMS i + 8 .. 11]. */
static int ring_sums(const scar__anomaly_maps *maps, const scar__mask *skin,
                     const scar__labels *labels, int32_t n, double ppm,
                     const char *ctx, double *acc)
{
    scar__rings rings;
    int st = scar__rings_compute(labels, n, skin, SIG_RING_IN_MM * ppm,
                                 SIG_RING_OUT_MM * ppm, ctx, &rings);
    if (st)
        return st;
    uint32_t w = skin->width;
    for (int32_t i = 0; i < n; i++) {
        double *q = acc + (size_t)i * SIG_SUMS;
        for (size_t j = rings.off[i]; j < rings.off[i + 1]; j++) {
            uint32_t y = rings.idx[j] / w, x = rings.idx[j] % w;
            float l = scar__planef_row(&maps->zL, y)[x];
            float a = scar__planef_row(&maps->za, y)[x];
            float b = scar__planef_row(&maps->zb, y)[x];
            if (!isfinite(l) || !isfinite(a) || !isfinite(b))
                continue;
            q[8] += l;
            q[9] += a;
            q[10] += b;
            q[11] += 1;
        }
    }
    scar__rings_free(&rings);
    return SCAR_OK;
}

/* For each region whose outline would make it a skin edge by its glare
 * and excluded edges (grid3 >= SKIN_EDGE_MAX), its mean zL minus that of
 * its near ring (ring.c: the skin SIG_NEAR_RING_IN_MM ..
 * SIG_NEAR_RING_OUT_MM from it, outside every candidate); NaN for the
 * others and where either mean is unknown. *out stays NULL when no
 * region needs it. */
static int halo_lifts(const scar__anomaly_maps *maps, const scar__mask *skin,
                      const scar__labels *labels, int32_t n, double ppm,
                      const double *acc, const double *grid3,
                      const char *ctx, double **out)
{
    *out = NULL;
    uint8_t *want = malloc((size_t)n + 1);
    if (!want)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (halo)", ctx);
    int32_t need = 0;
    for (int32_t i = 0; i < n; i++) {
        const double *q = acc + (size_t)i * SIG_SUMS;
        want[i] = grid3[i] >= SKIN_EDGE_MAX && q[3] > 0;
        need += want[i];
    }
    if (need == 0) {
        free(want);
        return SCAR_OK;
    }
    double *lift = malloc((size_t)n * sizeof *lift);
    scar__rings rings = {0};
    int st = lift ? SCAR_OK
                  : scar__fail(SCAR_E_NOMEM, "%s: out of memory (halo)", ctx);
    if (!st)
        st = scar__rings_compute_some(labels, n, want, skin,
                                      SIG_NEAR_RING_IN_MM * ppm,
                                      SIG_NEAR_RING_OUT_MM * ppm, ctx, &rings);
    uint32_t w = skin->width;
    for (int32_t i = 0; i < n && !st; i++) {
        const double *q = acc + (size_t)i * SIG_SUMS;
        double sum = 0.0, cnt = 0.0;
        for (size_t j = rings.off[i]; j < rings.off[i + 1]; j++) {
            uint32_t y = rings.idx[j] / w, x = rings.idx[j] % w;
            float l = scar__planef_row(&maps->zL, y)[x];
            if (isfinite(l)) {
                sum += l;
                cnt += 1.0;
            }
        }
        lift[i] = want[i] && cnt > 0 ? q[0] / q[3] - sum / cnt : NAN;
    }
    scar__rings_free(&rings);
    free(want);
    if (st) {
        free(lift);
        return st;
    }
    *out = lift;
    return SCAR_OK;
}

/* 1 when region i (0-based) passes step 6 against the null c->nul. */
/* The verdict on region i (index, label i + 1): SCAR__SIG_KEPT or the
 * first test it fails, in the order of scar__sig_verdict; *evidence: its
 * evidence r (NaN when the null or the region has no statistic). */
static scar__sig_verdict region_verdict(const sig_ctx *c, int32_t i,
                                        double *evidence)
{
    const double *acc = c->acc, *grid = c->grid;
    const scar__region *props = c->props;
    int32_t n = c->n;
    uint64_t nskin = c->nskin;
    double g8_max = c->g8_max, g16_max = c->g16_max, block16 = c->block16;
    const double *q = acc + (size_t)i * SIG_SUMS;
    const scale_null *z = &c->nul[scale_of(props[i].area, c->nsc)];
    scar__sig_verdict why = SCAR__SIG_KEPT;
    int luma = 0, lighter = 1;
    *evidence = NAN;
    if (z->ok && q[3] > 0) {
        double v[3] = {q[0] / q[3] - z->mu[0], q[1] / q[3] - z->mu[1],
                       q[2] / q[3] - z->mu[2]};
        double d2 = 0;
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                d2 += v[a] * z->icov[a][b] * v[b];
        if (z->wok) {
            /* or whitened: a direction healthy skin's mottling does not
             * take (a shaded wall: darker, less chromatic) */
            double u[3], w2 = 0;
            for (int a = 0; a < 3; a++)
                u[a] = v[a] * sqrt(z->icov[a][a]);
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                    w2 += u[a] * z->winv[a][b] * u[b];
            d2 = fmax(d2, w2);
        }
        if (z->lok && q[11] > 0) {
            /* and against its ring: the smaller of the two counts */
            double l2 = 0;
            for (int a = 0; a < 3; a++) {
                double l = (q[a] / q[3] - q[8 + a] / q[11] - z->lmu[a]) /
                           z->lsd[a];
                l2 += l * l;
            }
            d2 = fmin(d2, l2);
        }
        double dc = d2 > 0 ? sqrt(d2) : 0;
        double dd = 0;
        if (q[5] > 0 && q[7] > 0)
            dd = fabs(q[4] / q[5] - q[6] / q[7] - z->dmed) / z->dsd;
        double ntests = (double)nskin / (double)props[i].area;
        if (ntests < 1)
            ntests = 1;
        double pv = SIG_ALPHA / ntests;
        /* evidence: the larger of the two statistics over its
         * threshold */
        double rc = dc / inverse_sf(chi3_sf, pv);
        double rd = dd / inverse_sf(halfnormal_sf, pv);
        /* a scar shows both colour and relief: their joint norm is
         * chi(4) when both are null (independent chi(3), chi(1)) */
        double rj = sqrt(dc * dc + dd * dd) / inverse_sf(chi4_sf, pv);
        double r = fmax(rj, fmax(rc, rd));
        *evidence = r;
        /* JPEG (4:2:0) codes luma in 8x8 blocks of full resolution and
         * chroma in 16x16: a region whose luma difference alone passes
         * (half-normal tail) is not a chroma-block artefact */
        luma = fabs(v[0]) * sqrt(z->icov[0][0]) >=
               inverse_sf(halfnormal_sf, pv);
        lighter = v[0] > 0;
        if (r < 1.0)
            why = SCAR__SIG_STATISTIC;
        else if (r < RAGGED_MAX_RATIO && props[i].solidity < RAGGED_SOLIDITY)
            why = SCAR__SIG_RAGGED;
        else if (blanching(v, c->sd))
            why = SCAR__SIG_BLANCHING;
        else if (dark_line(v, c->sd, &props[i]))
            why = SCAR__SIG_DARK_LINE;
        else if (rd < PEAKED_MAX_RELIEF && c->plateau[i] < PLATEAU_MIN)
            why = SCAR__SIG_PEAKED;
    }
    if (why != SCAR__SIG_KEPT)
        return why;
    int chroma_grid = grid[n + i] >= g16_max ||
                      (grid[2 * n + i] >= GRID16_NEAR_MAX &&
                       (double)props[i].area <=
                           GRID_NEAR_MAX_BLOCKS * block16 * block16);
    /* a pit (a pixel dark at score >= SCAR__PIT_Z) is no luma block: a
     * JPEG block's error is a few L* */
    if (grid[i] >= g8_max && !c->pit[i])
        return SCAR__SIG_LUMA_GRID;
    if (chroma_grid && !luma)
        return SCAR__SIG_CHROMA_GRID;
    /* glare only adds light: its halo is lighter than the skin, and a
     * darker region beside a glare spot is no halo */
    /* ... and a lighter one not lighter than the skin around it is lit
     * by the glare like that skin, not its halo */
    int halo = lighter && !(c->lift && c->lift[i] <= HALO_MIN_LIFT);
    if (grid[(halo ? 3 : 5) * (size_t)n + i] >= SKIN_EDGE_MAX)
        return SCAR__SIG_SKIN_EDGE;
    if (grid[4 * (size_t)n + i] >= EXCLUDED_MAX * (double)props[i].area)
        return SCAR__SIG_EXCLUDED;
    double minor = props[i].minor_axis_length;
    if (minor < THIN_MINOR_MM * c->ppm &&
        props[i].major_axis_length >= THIN_ELONGATION * minor)
        return SCAR__SIG_THIN;
    return SCAR__SIG_KEPT;
}

const double SCAR__LIMIT_AREA_MM2[SCAR__LIMIT_AREAS] = {1.0, 10.0, 100.0};

/* The rung of each limit's patch area, on the ladder of `ppm` px/mm. */
static void limit_rungs(double ppm, int rung[SCAR__LIMIT_AREAS])
{
    for (int j = 0; j < SCAR__LIMIT_AREAS; j++)
        rung[j] = scale_of((uint64_t)ceil(SCAR__LIMIT_AREA_MM2[j] * ppm * ppm),
                           64);
}

/* The inverse of region_verdict's colour test, for a uniform round patch of
 * SCAR__LIMIT_AREA_MM2[j] mm^2 whose mean z differs from healthy skin's by
 * d in channel c alone: its box statistic is |d| / sd_c, or whitened
 * |d| / sd_c * sqrt(winv_cc) (not smaller: winv inverts a correlation
 * matrix), its local contrast |d| / lsd_c (on flat skin the patch differs
 * from its ring by d), and it is kept when the smaller of the two reaches
 * the chi(3) level of its area. The nulls' centres are healthy skin's own
 * level, from which the contrast counts. `unit`: the L*a*b* size of a z
 * unit. */
static void limits_from_null(const scale_null *nul, const int *rung,
                             uint64_t nskin, double ppm, const float unit[3],
                             double limit[SCAR__LIMIT_AREAS][3])
{
    for (int j = 0; j < SCAR__LIMIT_AREAS; j++) {
        const scale_null *z = &nul[rung[j]];
        for (int c = 0; c < 3; c++)
            limit[j][c] = NAN;
        if (!z->ok || nskin == 0)
            continue;
        double ntests = (double)nskin / (SCAR__LIMIT_AREA_MM2[j] * ppm * ppm);
        if (ntests < 1)
            ntests = 1;
        double t = inverse_sf(chi3_sf, SIG_ALPHA / ntests);
        for (int c = 0; c < 3; c++) {
            double box = 1.0 / sqrt(z->icov[c][c]);
            if (z->wok && z->winv[c][c] > 1.0)
                box /= sqrt(z->winv[c][c]);
            double d = z->lok ? fmax(box, z->lsd[c]) : box;
            limit[j][c] = t * d * unit[c];
        }
    }
}

int scar__region_significance(const scar__anomaly_maps *maps,
                              const scar__mask *skin,
                              const scar__segment_params *p, const char *ctx,
                              scar__labels *labels, int32_t *count)
{
    return scar__region_significance_limits(maps, skin, p, ctx, labels, count,
                                            NULL);
}

int scar__region_significance_limits(const scar__anomaly_maps *maps,
                                     const scar__mask *skin,
                                     const scar__segment_params *p,
                                     const char *ctx, scar__labels *labels,
                                     int32_t *count,
                                     double limit[SCAR__LIMIT_AREAS][3])
{
    int32_t n = *count;
    if (limit)
        for (int j = 0; j < SCAR__LIMIT_AREAS; j++)
            limit[j][0] = limit[j][1] = limit[j][2] = NAN;
    if (n < 0 || (n == 0 && !limit))
        return SCAR_OK;
    uint32_t w = skin->width, h = skin->height;
    scar__region *props = NULL;
    int st = n > 0 ? scar__regionprops(labels, n, 1, &props) : SCAR_OK;
    if (st)
        return st;
    double ux, uy;
    scar__maps_light(maps, skin, p->px_per_mm, &ux, &uy, NULL);
    uint64_t nskin = 0;
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *s = scar__mask_row(skin, y);
        for (uint32_t x = 0; x < w; x++)
            nskin += s[x] != 0;
    }
    /* scale ladder up to the largest region */
    double smax = SIG_MIN_SIDE;
    for (int32_t i = 0; i < n; i++) {
        double s = sqrt((double)props[i].area);
        if (s > smax)
            smax = s;
    }
    int nsc = 1;
    while (SIG_MIN_SIDE * pow(SIG_SCALE_STEP, nsc - 1) < smax && nsc < 64)
        nsc++;
    /* the limits' patches are judged on the same ladder */
    int rung[SCAR__LIMIT_AREAS];
    limit_rungs(p->px_per_mm, rung);
    for (int j = 0; limit && j < SCAR__LIMIT_AREAS; j++)
        if (rung[j] + 1 > nsc)
            nsc = rung[j] + 1;
    scale_null *nul = calloc((size_t)nsc, sizeof *nul);
    double *buf = malloc(sizeof(double) * 7 * SIG_BOXES +
                         sizeof(float) * SIG_BOXES);
    sig_box *boxes = malloc(SIG_BOXES * sizeof *boxes);
    double *acc = calloc((size_t)n * SIG_SUMS, sizeof *acc);
    double *grid = calloc((size_t)n * 6, sizeof *grid);
    uint8_t *pit = calloc((size_t)n, 1);
    double *plateau = NULL, *base = NULL, *lift = NULL;
    uint8_t *wantp = NULL;
    scar__mask valid = {0};
    if (!nul || !buf || !boxes || (n > 0 && (!acc || !grid || !pit))) {
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (significance)", ctx);
        goto done;
    }
    st = scar__mask_alloc(w, h, ctx, &valid);
    if (st)
        goto done;
    null_valid(maps, skin, labels, &valid);
    /* the scales the test reads: the regions' and the limits' */
    uint8_t use[64] = {0};
    for (int32_t i = 0; i < n; i++)
        use[scale_of(props[i].area, nsc)] = 1;
    for (int j = 0; limit && j < SCAR__LIMIT_AREAS; j++)
        use[rung[j]] = 1;
    if (n == 0) { /* no candidate: only the limits, against all the skin */
        build_null(maps, &valid, ux, uy, p->px_per_mm, buf, boxes, nul,
                   use, nsc);
        limits_from_null(nul, rung, nskin, p->px_per_mm, maps->sd, limit);
        goto done;
    }
    uint32_t shrink = p->shrink ? p->shrink : 1;
    double block16 = 16.0 / shrink; /* a chroma block's side, analysed px */
    /* untested grids have fraction 0 (blockgrid.c) */
    double g8_max = shrink == 1 ? GRID8_MAX : GRID8_MAX_SHRUNK2;
    double g16_max = shrink == 1   ? GRID16_MAX
                     : shrink == 2 ? GRID16_MAX_SHRUNK2
                     : shrink == 3 ? GRID16_MAX_SHRUNK3
                                   : GRID16_MAX_SHRUNK4;
    st = scar__block_grid_fraction(labels, n, shrink, ctx, grid, grid + n,
                                   grid + 2 * (size_t)n);
    if (!st)
        st = scar__skin_edge_fraction(labels, skin, p->glare, n, ctx,
                                      grid + 3 * (size_t)n,
                                      grid + 5 * (size_t)n);
    if (st)
        goto done;
    build_null(maps, &valid, ux, uy, p->px_per_mm, buf, boxes, nul,
               use, nsc);
    /* per region: sums of z and of zL on each side of the centroid */
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        const uint8_t *sk = scar__mask_row(skin, y);
        const float *zl = scar__planef_row(&maps->zL, y);
        const float *za = scar__planef_row(&maps->za, y);
        const float *zb = scar__planef_row(&maps->zb, y);
        const float *score = scar__planef_row(&maps->score, y);
        for (uint32_t x = 0; x < w; x++) {
            int32_t k = l[x];
            if (k > 0 && !sk[x]) /* excluded, inside the region */
                grid[4 * (size_t)n + (size_t)(k - 1)] += 1;
            if (k > 0 && sk[x] && zl[x] < 0.0f && score[x] >= SCAR__PIT_Z)
                pit[k - 1] = 1;
            if (k <= 0 || !sk[x] || !isfinite(zl[x]) || !isfinite(za[x]) ||
                !isfinite(zb[x]))
                continue;
            double *q = acc + (size_t)(k - 1) * SIG_SUMS;
            q[0] += zl[x];
            q[1] += za[x];
            q[2] += zb[x];
            q[3] += 1;
            const scar__region *rg = &props[k - 1];
            double pr = ((double)x - rg->centroid_x) * ux +
                        ((double)y - rg->centroid_y) * uy;
            if (pr > 0) {
                q[4] += zl[x];
                q[5] += 1;
            } else if (pr < 0) {
                q[6] += zl[x];
                q[7] += 1;
            }
        }
    }
    st = ring_sums(maps, skin, labels, n, p->px_per_mm, ctx, acc);
    if (st)
        goto done;
    /* the plateau test of compact regions lighter than their ring */
    plateau = malloc((size_t)n * sizeof *plateau);
    base = malloc((size_t)n * sizeof *base);
    wantp = calloc((size_t)n, 1);
    if (!plateau || !base || !wantp) {
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (significance)", ctx);
        goto done;
    }
    for (int32_t i = 0; i < n; i++) {
        const double *q = acc + (size_t)i * SIG_SUMS;
        double minor = props[i].minor_axis_length;
        base[i] = q[11] > 0 ? q[8] / q[11] : NAN;
        wantp[i] = q[3] > 0 && q[11] > 0 && q[0] / q[3] > base[i] &&
                   props[i].major_axis_length <
                       PEAKED_MAX_ELONGATION * minor;
    }
    st = scar__plateau_ratio(&maps->zL, skin, labels, props, n, base, wantp,
                             p->px_per_mm, ctx, plateau);
    if (!st)
        st = halo_lifts(maps, skin, labels, n, p->px_per_mm, acc,
                        grid + 3 * (size_t)n, ctx, &lift);
    if (st)
        goto done;
    int32_t *keep = calloc((size_t)n + 1, sizeof *keep);
    /* each candidate's verdict and evidence, for an observer */
    uint8_t *why = calloc((size_t)n, 1);
    double *evid = calloc((size_t)n, sizeof *evid);
    if (!keep || !why || !evid) {
        free(keep);
        free(why);
        free(evid);
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (significance)", ctx);
        goto done;
    }
    sig_ctx sc = {acc, grid, props, nul, nsc, n, nskin, g8_max, g16_max,
                  block16, maps->sd, p->px_per_mm, pit, plateau, lift};
    int32_t kept = 0;
    for (int32_t i = 0; i < n; i++) {
        why[i] = (uint8_t)region_verdict(&sc, i, &evid[i]);
        keep[i + 1] = why[i] == SCAR__SIG_KEPT ? ++kept : 0;
    }
    /* the limits' rungs are sampled again with the rest: their null is
     * then the one the last judgement used (regions at those rungs that
     * passed are not judged again) */
    if (kept > 0 && (kept < n || limit)) {
        /* second pass: the confirmed regions' surroundings are not healthy
         * skin either; the null without them, at the scales of the regions
         * that failed, judges those again */
        uint8_t *need = calloc((size_t)nsc, 1);
        if (!need)
            st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (significance)",
                            ctx);
        for (int32_t i = 0; i < n && !st; i++)
            if (!keep[i + 1])
                need[scale_of(props[i].area, nsc)] = 1;
        for (int j = 0; limit && !st && j < SCAR__LIMIT_AREAS; j++)
            need[rung[j]] = 1;
        if (!st)
            st = null_without_halos(maps, &valid, p, ctx, labels, keep, ux, uy,
                                    buf, boxes, nul, need, nsc);
        free(need);
        if (st) {
            free(keep);
            free(why);
            free(evid);
            goto done;
        }
        for (int32_t i = 0; i < n; i++) {
            if (keep[i + 1])
                continue;
            why[i] = (uint8_t)region_verdict(&sc, i, &evid[i]);
            keep[i + 1] = why[i] == SCAR__SIG_KEPT;
        }
        kept = 0;
        for (int32_t i = 0; i < n; i++)
            keep[i + 1] = keep[i + 1] ? ++kept : 0;
    }
    for (uint32_t y = 0; y < h; y++) {
        int32_t *l = scar__labels_row(labels, y);
        for (uint32_t x = 0; x < w; x++)
            if (l[x] > 0)
                l[x] = keep[l[x]];
    }
    if (p->trace && p->trace->verdict)
        for (int32_t i = 0; i < n; i++)
            p->trace->verdict(p->trace->user, i + 1,
                              (scar__sig_verdict)why[i], evid[i], keep[i + 1]);
    free(keep);
    free(why);
    free(evid);
    *count = kept;
    if (limit)
        limits_from_null(nul, rung, nskin, p->px_per_mm, maps->sd, limit);
done:
    free(lift);
    free(nul);
    free(buf);
    free(boxes);
    free(acc);
    free(grid);
    free(pit);
    free(plateau);
    free(base);
    free(wantp);
    scar__plane_free(valid.data);
    scar__regionprops_free(props);
    return st;
}
