/*
 * strbuf.c -- a growable text buffer (see strbuf.h).
 */
#include "report/strbuf.h"

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

void evs_buf_clear(evs_buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

const char *evs_buf_str(const evs_buf *b)
{
    return b->data != NULL ? b->data : "";
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
 * x is scaled by an exact power of ten (10^0 to 10^22 are doubles) to s in
 * [1e9, 1e10): one correctly rounded operation, so s is within half an ulp
 * (< 1e-6) of the exact product.  Rounding s to an integer then gives
 * printf's correctly rounded 10 digits unless s lies within 4e-6 of a
 * half-integer; those rare cases, zero, and scales beyond 10^22 (|x| below
 * about 1e-13 or above 1e31) go to snprintf.  tests/unit/report/test_strbuf.c
 * compares the two on millions of numbers.
 */
static int format_g10_fast(char *out, double x)
{
#if FLT_EVAL_METHOD == 0
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const int nmax = (int)(sizeof p10 / sizeof p10[0]) - 1;
    if (!isfinite(x) || x == 0)
        return -1;
    double ax = fabs(x), sv = 0;
    /* log10(2) times the binary exponent: the decimal one, or one below. */
    int e = (int)floor((ilogb(x) + 1) * 0.30102999566398120) - 1;
    for (int tries = 0; tries < 3; tries++) {
        int sh = 9 - e;
        if (sh > nmax || -sh > nmax)
            return -1;
        sv = sh >= 0 ? ax * p10[sh] : ax / p10[-sh];
        if (sv < 1e9)
            e--;
        else if (sv >= 1e10)
            e++;
        else
            break;
    }
    if (!(sv >= 1e9 && sv < 1e10))
        return -1;
    double whole = floor(sv), frac = sv - whole;
    if (fabs(frac - 0.5) < 4e-6)
        return -1;
    unsigned long long m = (unsigned long long)whole + (frac > 0.5);
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
