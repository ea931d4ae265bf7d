/*
 * numparse.c -- strict, locale-independent number parsing (see numparse.h).
 *
 * The grammar is checked here by hand; the conversion itself is done by
 * Clinger's exact fast path when it applies, otherwise by
 * strtod() under the "C" locale (selected for this thread with uselocale(),
 * POSIX.1-2008), so that the result is correctly rounded and does not depend
 * on LC_NUMERIC.  Checking the grammar first also keeps strtod() from
 * accepting what it would otherwise take: hexadecimal, "nan", "inf", and
 * trailing garbage.
 */
#include "io/numparse.h"

#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Case-insensitive comparison of [s, s+n) with a lower-case word. */
static bool word_is(const char *s, size_t n, const char *word)
{
    if (strlen(word) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != word[i])
            return false;
    }
    return true;
}

/*
 * Length of the longest prefix of s that matches the number grammar, or 0.
 */
static size_t match_number(const char *s)
{
    size_t i = 0, digits = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    while (is_digit(s[i])) {
        i++;
        digits++;
    }
    if (s[i] == '.') {
        i++;
        while (is_digit(s[i])) {
            i++;
            digits++;
        }
    }
    if (digits == 0)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1, exp_digits = 0;
        if (s[j] == '+' || s[j] == '-')
            j++;
        while (is_digit(s[j])) {
            j++;
            exp_digits++;
        }
        if (exp_digits == 0)
            return 0;
        i = j;
    }
    return i;
}

/*
 * Clinger's fast path (1990): a number whose digits, read as an integer M,
 * fit in 53 bits and whose decimal exponent E is at most 22 in magnitude is
 * M * 10^E or M / 10^-E with both operands exact, so one correctly rounded
 * operation gives what strtod() would.  Most cells of a data file qualify
 * and are read here in one scan, grammar included; anything else (other
 * numbers, errors, "NA", empty cells) goes to the full path below.
 */
static bool fast_decimal(const char *s, double *out)
{
#if FLT_EVAL_METHOD == 0
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    while (is_blank(*s))
        s++;
    bool negative = false;
    if (*s == '+' || *s == '-')
        negative = *s++ == '-';
    uint64_t m = 0;
    int scale = 0, sig = 0, digits = 0; /* scale: digits after the point; sig: in m */
    bool point = false;
    for (;; s++) {
        if (*s == '.' && !point) {
            point = true;
            continue;
        }
        if (!is_digit(*s))
            break;
        digits++;
        scale += point;
        if (m == 0 && *s == '0') /* leading zeros add nothing to m */
            continue;
        if (++sig > 19)
            return false;
        m = m * 10 + (uint64_t)(*s - '0');
    }
    if (digits == 0)
        return false;
    int e = 0;
    if (*s == 'e' || *s == 'E') {
        bool eneg = false;
        s++;
        if (*s == '+' || *s == '-')
            eneg = *s++ == '-';
        if (!is_digit(*s))
            return false;
        for (; is_digit(*s); s++) {
            if (e > 1000)
                return false;
            e = e * 10 + (*s - '0');
        }
        if (eneg)
            e = -e;
    }
    while (is_blank(*s))
        s++;
    if (*s != '\0')
        return false;
    e -= scale;
    if (m > ((uint64_t)1 << 53) || e < -22 || e > 22)
        return false;
    double x = (double)m;
    x = e < 0 ? x / p10[-e] : x * p10[e];
    *out = negative ? -x : x;
    return true;
#else
    (void)s;
    (void)out;
    return false;
#endif
}

evs_num_status evs_parse_number(const char *s, double *out)
{
    if (fast_decimal(s, out))
        return EVS_NUM_OK;
    *out = NAN;
    while (is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    if (n == 0 || (n == 2 && s[0] == 'N' && s[1] == 'A'))
        return EVS_NUM_EMPTY;

    size_t m = match_number(s);
    if (m != n) {
        const char *t = s;
        size_t tn = n;
        if (*t == '+' || *t == '-') {
            t++;
            tn--;
        }
        if (word_is(t, tn, "nan") || word_is(t, tn, "inf") || word_is(t, tn, "infinity"))
            return EVS_NUM_NONFINITE;
        if (memchr(s, ',', n) != NULL)
            return EVS_NUM_COMMA;
        if (m > 0 && (s[m] == ' ' || s[m] == '\t'))
            return EVS_NUM_SPACE;
        return EVS_NUM_SYNTAX;
    }

    pthread_once(&c_locale_once, c_locale_init);
    locale_t old = (locale_t)0;
    if (c_locale != (locale_t)0)
        old = uselocale(c_locale);
    errno = 0;
    char *end = NULL;
    double x = strtod(s, &end);
    int saved_errno = errno;
    if (old != (locale_t)0)
        uselocale(old);

    if (end != s + n)
        return EVS_NUM_SYNTAX;
    /* ERANGE also flags underflow; a denormal or zero result is a fine value. */
    if (saved_errno == ERANGE && isinf(x))
        return EVS_NUM_RANGE;
    *out = x;
    return EVS_NUM_OK;
}

const char *evs_num_status_hint(evs_num_status st)
{
    switch (st) {
    case EVS_NUM_OK:
        return "a number";
    case EVS_NUM_EMPTY:
        return "missing";
    case EVS_NUM_COMMA:
        return "use '.' as the decimal separator and no thousands separators";
    case EVS_NUM_SPACE:
        return "numbers must not contain spaces (thousands separators)";
    case EVS_NUM_NONFINITE:
        return "NaN and infinite values are not allowed; leave the cell empty if the value is missing";
    case EVS_NUM_RANGE:
        return "the value is too large to represent";
    case EVS_NUM_SYNTAX:
        break;
    }
    return "expected a number such as 12, -0.5 or 1.2e-3";
}

bool evs_is_whole(double x)
{
    return isfinite(x) && floor(x) == x;
}
