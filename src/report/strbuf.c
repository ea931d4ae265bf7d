/*
 * strbuf.c -- a growable text buffer (see strbuf.h).
 */
#include "strbuf.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void evs_buf_init(evs_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

void evs_buf_free(evs_buf *b)
{
    free(b->data);
    evs_buf_init(b);
}

static bool reserve(evs_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *d = realloc(b->data, cap);
    if (d == NULL) {
        b->failed = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

void evs_buf_addn(evs_buf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void evs_buf_add(evs_buf *b, const char *s)
{
    evs_buf_addn(b, s, strlen(s));
}

void evs_buf_printf(evs_buf *b, const char *fmt, ...)
{
    /* One pass into the spare room; a second only when the text is longer. */
    if (!reserve(b, 64))
        return;
    va_list ap;
    va_start(ap, fmt);
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->data + b->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n >= room) {
        if (!reserve(b, (size_t)n)) {
            b->data[b->len] = '\0';
            return;
        }
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

/*
 * %.10g without printf, for the millions of numbers of `evsynth batch`.
 *
 * x is scaled by an exact power of ten to s in [1e9, 1e10) in long double
 * (64-bit significand on x86-64): one rounding, so s is within 1e10 * 2^-64
 * = 5.4e-10 of the exact product.  Rounding s to an integer then gives
 * printf's correctly rounded 10 digits unless s lies within 1e-6 of a
 * half-integer; those rare cases, zero, and exponents beyond the table go
 * to snprintf.  tests/unit/test_strbuf.c compares the two on millions of
 * numbers.
 */
static int format_g10_fast(char *out, double x)
{
#if LDBL_MANT_DIG >= 64
    static const long double p10[] = {
        1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
        1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
        1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};
    const int nmax = (int)(sizeof p10 / sizeof p10[0]) - 1;
    if (!isfinite(x) || x == 0)
        return -1;
    long double ax = fabsl((long double)x), sv = 0;
    /* log10(2) times the binary exponent: the decimal one, or one below. */
    int e = (int)floor((ilogb(x) + 1) * 0.30102999566398120) - 1;
    for (int tries = 0; tries < 3; tries++) {
        int sh = 9 - e;
        if (sh > nmax || -sh > nmax)
            return -1;
        sv = sh >= 0 ? ax * p10[sh] : ax / p10[-sh];
        if (sv < 1e9L)
            e--;
        else if (sv >= 1e10L)
            e++;
        else
            break;
    }
    if (!(sv >= 1e9L && sv < 1e10L))
        return -1;
    long double whole = floorl(sv), frac = sv - whole;
    if (fabsl(frac - 0.5L) < 1e-6L)
        return -1;
    unsigned long long m = (unsigned long long)whole + (frac > 0.5L);
    if (m == 10000000000ULL) {
        m = 1000000000ULL;
        e++;
    }
    char dig[10];
    for (int i = 9; i >= 0; i--, m /= 10)
        dig[i] = (char)('0' + m % 10);
    int nd = 10;
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    char *p = out;
    if (x < 0)
        *p++ = '-';
    if (e < -4 || e >= 10) {
        *p++ = dig[0];
        if (nd > 1) {
            *p++ = '.';
            memcpy(p, dig + 1, (size_t)nd - 1);
            p += nd - 1;
        }
        int ae = e < 0 ? -e : e;
        *p++ = 'e';
        *p++ = e < 0 ? '-' : '+';
        if (ae >= 100)
            *p++ = (char)('0' + ae / 100);
        *p++ = (char)('0' + ae / 10 % 10);
        *p++ = (char)('0' + ae % 10);
    } else if (e >= 0) {
        int i = 0;
        for (; i <= e; i++)
            *p++ = i < nd ? dig[i] : '0';
        if (nd > e + 1) {
            *p++ = '.';
            memcpy(p, dig + e + 1, (size_t)(nd - e - 1));
            p += nd - e - 1;
        }
    } else {
        *p++ = '0';
        *p++ = '.';
        for (int i = 0; i < -e - 1; i++)
            *p++ = '0';
        memcpy(p, dig, (size_t)nd);
        p += nd;
    }
    *p = '\0';
    return (int)(p - out);
#else
    (void)out;
    (void)x;
    return -1;
#endif
}

int evs_format_g10(char out[32], double x)
{
    int n = format_g10_fast(out, x);
    return n >= 0 ? n : snprintf(out, 32, "%.10g", x);
}
