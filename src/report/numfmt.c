/*
 * numfmt.c -- the number rule of committee-facing text (see numfmt.h).
 *
 * Everything goes through fixed(): printf's %.*f, which never writes an
 * exponent, with a "-0.00" that rounding left turned into "0.00".
 */
#include "report/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static char *missing(char *buf, size_t cap)
{
    snprintf(buf, cap, "-");
    return buf;
}

char *evs_num_fixed(double x, int decimals, char *buf, size_t cap)
{
    if (cap == 0)
        return buf;
    if (isnan(x))
        return missing(buf, cap);
    if (isinf(x)) {
        snprintf(buf, cap, "%s", x > 0 ? "infinity" : "-infinity");
        return buf;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    snprintf(buf, cap, "%.*f", decimals, x);
    /* A negative value that rounds to zero: no minus sign. */
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
    return buf;
}

char *evs_num_effect(double x, bool percent, char *buf, size_t cap)
{
    evs_num_fixed(x, percent ? 1 : 2, buf, cap);
    if (percent && !isnan(x)) {
        size_t len = strlen(buf);
        if (len + 1 < cap) {
            buf[len] = '%';
            buf[len + 1] = '\0';
        }
    }
    return buf;
}

char *evs_num_interval(double lb, double ub, bool percent, char *buf, size_t cap)
{
    if (isnan(lb) || isnan(ub))
        return missing(buf, cap);
    char l[EVS_NUM_TEXT], u[EVS_NUM_TEXT];
    snprintf(buf, cap, "%s to %s", evs_num_effect(lb, percent, l, sizeof l),
             evs_num_effect(ub, percent, u, sizeof u));
    return buf;
}

char *evs_num_estimate_ci(double est, double lb, double ub, bool percent, char *buf,
                          size_t cap)
{
    char e[EVS_NUM_TEXT], ci[2 * EVS_NUM_TEXT + 8];
    evs_num_effect(est, percent, e, sizeof e);
    if (isnan(est) || isnan(lb) || isnan(ub))
        snprintf(buf, cap, "%s", e);
    else
        snprintf(buf, cap, "%s (%s)", e, evs_num_interval(lb, ub, percent, ci, sizeof ci));
    return buf;
}

char *evs_num_stat(double x, char *buf, size_t cap)
{
    return evs_num_fixed(x, 2, buf, cap);
}

char *evs_num_share(double percent, char *buf, size_t cap)
{
    evs_num_fixed(percent, 0, buf, cap);
    if (!isnan(percent)) {
        size_t len = strlen(buf);
        if (len + 1 < cap) {
            buf[len] = '%';
            buf[len + 1] = '\0';
        }
    }
    return buf;
}

char *evs_num_p(double p, char *buf, size_t cap)
{
    char v[EVS_NUM_TEXT];
    if (isnan(p))
        snprintf(buf, cap, "= NA");
    else if (p < 0.001)
        snprintf(buf, cap, "< 0.001");
    else
        snprintf(buf, cap, "= %s", evs_num_fixed(p, 3, v, sizeof v));
    return buf;
}

char *evs_num_count(double n, char *buf, size_t cap)
{
    char digits[EVS_NUM_TEXT];
    evs_num_fixed(n, 0, digits, sizeof digits);
    if (isnan(n) || isinf(n))
        return evs_num_fixed(n, 0, buf, cap);
    const char *d = digits;
    size_t out = 0;
    if (*d == '-' && out + 1 < cap)
        buf[out++] = *d++;
    size_t len = strlen(d);
    for (size_t i = 0; i < len && out + 1 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0) {
            buf[out++] = ',';
            if (out + 1 >= cap)
                break;
        }
        buf[out++] = d[i];
    }
    if (cap > 0)
        buf[out < cap ? out : cap - 1] = '\0';
    return buf;
}

char *evs_num_setting(double x, char *buf, size_t cap)
{
    evs_num_fixed(x, 4, buf, cap);
    if (strchr(buf, '.') != NULL) {
        size_t len = strlen(buf);
        while (len > 0 && buf[len - 1] == '0')
            buf[--len] = '\0';
        if (len > 0 && buf[len - 1] == '.')
            buf[--len] = '\0';
    }
    return buf;
}
