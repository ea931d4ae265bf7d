/*
 * utf8.c -- UTF-8 validation following the well-formed byte sequences table
 * of the Unicode Standard (chapter 3, table 3-7).
 */
#include "io/utf8.h"

static bool valid(const char *s, size_t len, bool nul_ok, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        size_t need;
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        if (c < 0x80) {
            if (c == 0 && !nul_ok)
                goto fail;
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0; /* no overlong forms */
            else if (c == 0xED)
                hi = 0x9F; /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F; /* nothing above U+10FFFF */
        } else {
            goto fail;
        }
        if (len - i <= need)
            goto fail;
        if (p[i + 1] < lo || p[i + 1] > hi)
            goto fail;
        for (size_t j = 2; j <= need; j++)
            if (p[i + j] < 0x80 || p[i + j] > 0xBF)
                goto fail;
        i += need + 1;
    }
    return true;
fail:
    if (bad != NULL)
        *bad = i;
    return false;
}

bool evs_utf8_valid(const char *s, size_t len, size_t *bad)
{
    return valid(s, len, true, bad);
}

bool evs_utf8_text_valid(const char *s, size_t len, size_t *bad)
{
    return valid(s, len, false, bad);
}
