/*
 * image_check.c -- whole PNG and SVG files (see image_check.h).
 */
#include "io/image_check.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>


/* Whether s ends with suffix (lowercase ASCII), in any case. */
static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m)
        return false;
    for (size_t i = 0; i < m; i++) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return false;
    }
    return true;
}

/* CRC-32 of PNG (ISO 3309, polynomial 0xEDB88320 reflected), bit by bit:
 * figures are checked once, so speed does not matter here. */
static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static evs_status incomplete(evs_error *err, const char *name, size_t len, const char *what)
{
    return evs_error_set(err, EVS_EIO, 0, 0,
                         "%s is not a complete image (%zu bytes: %s); is the disk full?", name,
                         len, what);
}

static evs_status check_png(const char *name, const unsigned char *d, size_t len,
                            evs_error *err)
{
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (len < 8 || memcmp(d, signature, 8) != 0)
        return incomplete(err, name, len, "no PNG signature");
    size_t at = 8;
    bool first = true;
    for (;;) {
        if (len - at < 12)
            return incomplete(err, name, len, "it ends inside a chunk, before IEND");
        uint32_t n = be32(d + at);
        if (n > len - at - 12)
            return incomplete(err, name, len, "it ends inside a chunk, before IEND");
        const unsigned char *type = d + at + 4;
        uint32_t crc = crc32_update(0xFFFFFFFFu, type, 4 + (size_t)n) ^ 0xFFFFFFFFu;
        if (crc != be32(type + 4 + n))
            return incomplete(err, name, len, "a chunk's CRC is wrong");
        if (first && memcmp(type, "IHDR", 4) != 0)
            return incomplete(err, name, len, "the first chunk is not IHDR");
        first = false;
        at += 12 + (size_t)n;
        if (memcmp(type, "IEND", 4) == 0)
            break;
    }
    if (at != len)
        return incomplete(err, name, len, "bytes after IEND");
    return EVS_OK;
}

static evs_status check_svg(const char *name, const unsigned char *d, size_t len,
                            evs_error *err)
{
    if (len == 0)
        return incomplete(err, name, len, "empty");
    if (memchr(d, '\0', len) != NULL)
        return incomplete(err, name, len, "a NUL byte in the text");
    size_t start = 0;
    if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
        start = 3;
    while (start < len && (d[start] == ' ' || d[start] == '\n' || d[start] == '\r' ||
                           d[start] == '\t'))
        start++;
    if (!(len - start >= 5 && memcmp(d + start, "<?xml", 5) == 0) &&
        !(len - start >= 4 && memcmp(d + start, "<svg", 4) == 0))
        return incomplete(err, name, len, "it does not start as SVG");
    size_t end = len;
    while (end > start && (d[end - 1] == ' ' || d[end - 1] == '\n' || d[end - 1] == '\r' ||
                           d[end - 1] == '\t'))
        end--;
    if (end - start < 6 || memcmp(d + end - 6, "</svg>", 6) != 0)
        return incomplete(err, name, len, "it does not end with </svg>");
    return EVS_OK;
}

evs_status evs_image_check_buffer(const char *name, const unsigned char *data, size_t len,
                                  evs_error *err)
{
    if (has_suffix(name, ".png"))
        return check_png(name, data, len, err);
    if (has_suffix(name, ".svg"))
        return check_svg(name, data, len, err);
    return evs_error_set(err, EVS_EIO, 0, 0, "%s: not a .png or .svg name", name);
}
