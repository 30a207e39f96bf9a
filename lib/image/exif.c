/* exif.c — the EXIF Orientation tag, read from a JPEG APP1 payload.
 *
 * Layout (EXIF 2.3, CIPA DC-008 §4.5; TIFF 6.0 §2): "Exif\0\0", then a TIFF
 * header — byte order "II" (little-endian) or "MM" (big-endian), the number
 * 42, and the 32-bit offset of IFD0 counted from the start of the TIFF
 * header. An IFD is a 16-bit entry count followed by 12-byte entries:
 * tag(2) type(2) count(4) value-or-offset(4). A SHORT (type 3) value with
 * count 1 sits left-justified in the value field. Orientation is tag 0x0112
 * in IFD0, values 1-8.
 *
 * The input is untrusted (it comes straight from the file): every read is
 * checked against `size` with arithmetic that cannot overflow, and anything
 * unexpected gives 1 ("upright, as stored") rather than a failure, because a
 * damaged EXIF block must not stop a photo from loading. */
#include "image_internal.h"

#include <string.h>

#define EXIF_PREFIX_SIZE 6      /* "Exif\0\0" */
#define TIFF_HEADER_SIZE 8
#define IFD_ENTRY_SIZE 12
#define TAG_ORIENTATION 0x0112
#define TYPE_SHORT 3

struct tiff {
    const uint8_t *p; /* first byte of the TIFF header */
    size_t size;      /* bytes available from p */
    int big_endian;
};

static uint32_t rd16(const struct tiff *t, size_t off)
{
    const uint8_t *b = t->p + off;
    return t->big_endian ? (uint32_t)b[0] << 8 | b[1]
                         : (uint32_t)b[1] << 8 | b[0];
}

static uint32_t rd32(const struct tiff *t, size_t off)
{
    const uint8_t *b = t->p + off;
    return t->big_endian
               ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
                     (uint32_t)b[2] << 8 | b[3]
               : (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 |
                     (uint32_t)b[1] << 8 | b[0];
}

/* True when [off, off + len) lies inside the TIFF data. Written as
 * off <= size && len <= size - off so that no sum can wrap. */
static int fits(const struct tiff *t, size_t off, size_t len)
{
    return off <= t->size && len <= t->size - off;
}

uint32_t scar__exif_orientation(const uint8_t *app1, size_t size)
{
    static const uint8_t prefix[EXIF_PREFIX_SIZE] = {'E', 'x', 'i', 'f', 0, 0};
    if (!app1 || size < EXIF_PREFIX_SIZE + TIFF_HEADER_SIZE ||
        memcmp(app1, prefix, EXIF_PREFIX_SIZE) != 0)
        return 1;
    struct tiff t = {app1 + EXIF_PREFIX_SIZE, size - EXIF_PREFIX_SIZE, 0};
    if (t.p[0] == 'M' && t.p[1] == 'M')
        t.big_endian = 1;
    else if (!(t.p[0] == 'I' && t.p[1] == 'I'))
        return 1;
    if (rd16(&t, 2) != 42)
        return 1;
    uint32_t ifd0 = rd32(&t, 4);
    if (!fits(&t, ifd0, 2))
        return 1;
    uint32_t count = rd16(&t, ifd0);
    /* Entries start right after the count; only whole entries inside the
     * block are examined (a count larger than the block is not trusted). */
    size_t entry = (size_t)ifd0 + 2;
    for (uint32_t i = 0; i < count && fits(&t, entry, IFD_ENTRY_SIZE);
         i++, entry += IFD_ENTRY_SIZE) {
        if (rd16(&t, entry) != TAG_ORIENTATION)
            continue;
        if (rd16(&t, entry + 2) != TYPE_SHORT || rd32(&t, entry + 4) != 1)
            return 1;
        uint32_t v = rd16(&t, entry + 8);
        return v >= 1 && v <= 8 ? v : 1;
    }
    return 1;
}
