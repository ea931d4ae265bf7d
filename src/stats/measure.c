/*
 * measure.c -- effect sizes and sampling variances (see measure.h).
 *
 * Formulas follow metafor 3.8 escalc() with its defaults (vtype = "LS",
 * add = 1/2, to = "only0", drop00 = FALSE):
 *
 *   MD    yi = m1 - m2,  vi = sd1^2/n1 + sd2^2/n2
 *   SMD   yi = J(n1+n2-2) (m1 - m2)/sp,  sp^2 = ((n1-1)sd1^2 + (n2-1)sd2^2)/(n1+n2-2),
 *         vi = 1/n1 + 1/n2 + yi^2/(2(n1+n2))          (Hedges 1982, eq. 8)
 *   RR    yi = log(a/n1) - log(c/n2),  vi = 1/a - 1/n1 + 1/c - 1/n2
 *   OR    yi = log(ad/bc),  vi = 1/a + 1/b + 1/c + 1/d
 *   RD    yi = a/n1 - c/n2,  vi = p1(1-p1)/n1 + p2(1-p2)/n2
 *   MC    yi = m1 - m2,  vi = (sd1^2 + sd2^2 - 2 r sd1 sd2)/n
 *   SMCC  yi = J(n-1) (m1 - m2)/sdc,  sdc^2 = sd1^2 + sd2^2 - 2 r sd1 sd2,
 *         vi = 1/n + yi^2/(2n)                         (Gibbons et al. 1993)
 *   SMCR  yi = J(n-1) (m1 - m2)/sd1,  vi = 2(1-r)/n + yi^2/(2n)   (Becker 1988, eq. 13)
 *   MN    yi = m,  vi = sd^2/n
 *   PR    yi = p,  vi = p(1-p)/n
 *   PLO   yi = log(p/(1-p)),  vi = 1/x + 1/(n-x)
 *   PAS   yi = asin(sqrt(p)),  vi = 1/(4n)
 *   PFT   yi = (asin(sqrt(x/(n+1))) + asin(sqrt((x+1)/(n+1))))/2,  vi = 1/(4n+2)
 *         (Freeman and Tukey 1950)
 *
 * where J(m) = exp(lgamma(m/2) - log(sqrt(m/2)) - lgamma((m-1)/2)) is the
 * exact small-sample correction (Hedges 1981).  With to = "only0", 1/2 is
 * added to every cell of a study that has a zero cell (2x2 tables: a, b, c, d;
 * proportions: x and n - x); the corrected counts are used for both yi and vi.
 * PAS and PFT need no correction and get none unless asked.
 */
#include "evsynth/measure.h"

#include <math.h>
#include <string.h>

typedef enum var_kind {
    KIND_FREE,  /* any finite value: yi, means */
    KIND_COUNT, /* whole number >= 0 */
    KIND_SIZE,  /* whole number > 0 */
    KIND_SD,    /* > 0 */
    KIND_VAR,   /* > 0 */
    KIND_COR    /* in [-1, 1] */
} var_kind;

/* What kind of value each input variable holds, for checking. */
static const var_kind var_kind_of[EVS_VAR_COUNT] = {
    [EVS_VAR_YI] = KIND_FREE,   [EVS_VAR_VI] = KIND_VAR,    [EVS_VAR_SEI] = KIND_VAR,
    [EVS_VAR_AI] = KIND_COUNT,  [EVS_VAR_BI] = KIND_COUNT,  [EVS_VAR_CI] = KIND_COUNT,
    [EVS_VAR_DI] = KIND_COUNT,  [EVS_VAR_N1I] = KIND_SIZE,  [EVS_VAR_N2I] = KIND_SIZE,
    [EVS_VAR_M1I] = KIND_FREE,  [EVS_VAR_M2I] = KIND_FREE,  [EVS_VAR_SD1I] = KIND_SD,
    [EVS_VAR_SD2I] = KIND_SD,   [EVS_VAR_NI] = KIND_SIZE,   [EVS_VAR_RI] = KIND_COR,
    [EVS_VAR_XI] = KIND_COUNT,  [EVS_VAR_MI] = KIND_FREE,   [EVS_VAR_SDI] = KIND_SD,
};

#define NONE EVS_VAR_COUNT
#define MAX_INPUTS 6

typedef struct measure_info {
    const char *name;
    const char *description;
    evs_var input[MAX_INPUTS]; /* required inputs, NONE-terminated */
    evs_var alt[MAX_INPUTS];   /* an alternative for each input, or NONE */
    bool transformed;          /* pooled values are shown back-transformed */
    bool counts;               /* zero-cell correction applies */
    double default_add;
} measure_info;

#define MEANS2 {EVS_VAR_M1I, EVS_VAR_M2I, EVS_VAR_SD1I, EVS_VAR_SD2I, EVS_VAR_N1I, EVS_VAR_N2I}
#define TABLE2 {EVS_VAR_AI, EVS_VAR_BI, EVS_VAR_CI, EVS_VAR_DI, NONE}
#define TABLE2_ALT {NONE, EVS_VAR_N1I, NONE, EVS_VAR_N2I, NONE}
#define CHANGE {EVS_VAR_M1I, EVS_VAR_M2I, EVS_VAR_SD1I, EVS_VAR_SD2I, EVS_VAR_NI, EVS_VAR_RI}
#define NO_ALT {NONE, NONE, NONE, NONE, NONE, NONE}
#define PROP {EVS_VAR_XI, EVS_VAR_NI, NONE}

static const measure_info measures[EVS_MEASURE_COUNT] = {
    [EVS_MEASURE_GEN] = {"GEN", "generic outcome (yi with vi or sei)",
                         {EVS_VAR_YI, EVS_VAR_VI, NONE}, {NONE, EVS_VAR_SEI, NONE},
                         false, false, 0.0},
    [EVS_MEASURE_MD] = {"MD", "raw mean difference", MEANS2, NO_ALT, false, false, 0.0},
    [EVS_MEASURE_SMD] = {"SMD", "standardized mean difference (Hedges' g)", MEANS2,
                         NO_ALT, false, false, 0.0},
    [EVS_MEASURE_RR] = {"RR", "log risk ratio", TABLE2, TABLE2_ALT, true, true, 0.5},
    [EVS_MEASURE_OR] = {"OR", "log odds ratio", TABLE2, TABLE2_ALT, true, true, 0.5},
    [EVS_MEASURE_RD] = {"RD", "risk difference", TABLE2, TABLE2_ALT, false, true, 0.5},
    [EVS_MEASURE_MC] = {"MC", "raw mean change", CHANGE, NO_ALT, false, false, 0.0},
    [EVS_MEASURE_SMCC] = {"SMCC", "standardized mean change (change-score standardization)",
                          CHANGE, NO_ALT, false, false, 0.0},
    [EVS_MEASURE_SMCR] = {"SMCR", "standardized mean change (raw-score standardization)",
                          {EVS_VAR_M1I, EVS_VAR_M2I, EVS_VAR_SD1I, EVS_VAR_NI, EVS_VAR_RI, NONE},
                          NO_ALT, false, false, 0.0},
    [EVS_MEASURE_MN] = {"MN", "raw mean", {EVS_VAR_MI, EVS_VAR_SDI, EVS_VAR_NI, NONE},
                        NO_ALT, false, false, 0.0},
    [EVS_MEASURE_PR] = {"PR", "raw proportion", PROP, NO_ALT, false, true, 0.5},
    [EVS_MEASURE_PLO] = {"PLO", "logit transformed proportion", PROP, NO_ALT, true, true, 0.5},
    [EVS_MEASURE_PAS] = {"PAS", "arcsine square root transformed proportion", PROP, NO_ALT,
                         true, true, 0.0},
    [EVS_MEASURE_PFT] = {"PFT", "Freeman-Tukey double arcsine transformed proportion", PROP,
                         NO_ALT, true, true, 0.0},
};

const char *evs_measure_name(evs_measure m)
{
    return (unsigned)m < EVS_MEASURE_COUNT ? measures[m].name : "?";
}

const char *evs_measure_description(evs_measure m)
{
    return (unsigned)m < EVS_MEASURE_COUNT ? measures[m].description : "?";
}

bool evs_measure_from_name(const char *name, evs_measure *m)
{
    for (int i = 0; i < EVS_MEASURE_COUNT; i++) {
        if (strcmp(name, measures[i].name) == 0) {
            *m = (evs_measure)i;
            return true;
        }
    }
    return false;
}

const char *evs_measure_names(void)
{
    return "GEN MD SMD RR OR RD MC SMCC SMCR MN PR PLO PAS PFT";
}

size_t evs_measure_inputs(evs_measure m, evs_var *vars, size_t n)
{
    size_t count = 0;
    if ((unsigned)m >= EVS_MEASURE_COUNT)
        return 0;
    for (size_t j = 0; j < MAX_INPUTS && measures[m].input[j] != NONE; j++) {
        if (count < n)
            vars[count] = measures[m].input[j];
        count++;
    }
    return count;
}

evs_var evs_measure_alternative(evs_measure m, evs_var v)
{
    if ((unsigned)m >= EVS_MEASURE_COUNT)
        return NONE;
    for (size_t j = 0; j < MAX_INPUTS && measures[m].input[j] != NONE; j++)
        if (measures[m].input[j] == v)
            return measures[m].alt[j];
    return NONE;
}

bool evs_measure_uses(evs_measure m, evs_var v)
{
    if ((unsigned)m >= EVS_MEASURE_COUNT)
        return false;
    for (size_t j = 0; j < MAX_INPUTS && measures[m].input[j] != NONE; j++)
        if (measures[m].input[j] == v || measures[m].alt[j] == v)
            return true;
    return false;
}

bool evs_measure_is_transformed(evs_measure m)
{
    return (unsigned)m < EVS_MEASURE_COUNT && measures[m].transformed;
}

void evs_escalc_options_default(evs_escalc_options *opt)
{
    opt->add = NAN;
    opt->to = EVS_ADD_ONLY0;
}

double evs_hedges_correction(double m)
{
    if (!(m > 1))
        return NAN;
    return exp(lgamma(m / 2) - log(sqrt(m / 2)) - lgamma((m - 1) / 2));
}

/* ---------------------------------------------------------------------------
 * Reading and checking one row
 */

typedef struct row {
    double v[EVS_VAR_COUNT]; /* NaN where absent or missing */
} row;

static long line_of(const evs_studies *in, size_t i)
{
    return in->line[i];
}

static evs_status bad_value(const evs_studies *in, size_t i, evs_var v,
                            const char *what, evs_error *err)
{
    return evs_error_set(err, EVS_EDATA, line_of(in, i), in->column[v],
                         "%s must be %s (got %.15g)", evs_var_name(v), what,
                         in->x[v][i]);
}

/* Check one present value against the rules for its kind of variable. */
static evs_status check_value(const evs_studies *in, size_t i, evs_var v,
                              evs_measure m, evs_error *err)
{
    double x = in->x[v][i];
    switch (var_kind_of[v]) {
    case KIND_FREE:
        return isfinite(x) ? EVS_OK : bad_value(in, i, v, "finite", err);
    case KIND_COUNT:
        if (!(x >= 0) || floor(x) != x || !isfinite(x))
            return bad_value(in, i, v, "a whole number of events, 0 or more", err);
        return EVS_OK;
    case KIND_SIZE:
        if (!(x > 0) || floor(x) != x || !isfinite(x))
            return bad_value(in, i, v, "a whole number greater than 0", err);
        return EVS_OK;
    case KIND_SD:
        /* metafor's shortcut for a reported SD of the change: sd1i = SD of
         * the change, sd2i = 0, ri = 0.  Only sd2i of MC and SMCC may be 0. */
        if (x == 0 && v == EVS_VAR_SD2I && (m == EVS_MEASURE_MC || m == EVS_MEASURE_SMCC))
            return EVS_OK;
        return (x > 0 && isfinite(x)) ? EVS_OK : bad_value(in, i, v, "greater than 0", err);
    case KIND_VAR:
        return (x > 0 && isfinite(x)) ? EVS_OK : bad_value(in, i, v, "greater than 0", err);
    case KIND_COR:
        return (x >= -1 && x <= 1) ? EVS_OK : bad_value(in, i, v, "between -1 and 1", err);
    }
    return EVS_OK;
}

static double cell(const evs_studies *in, evs_var v, size_t i)
{
    return in->x[v] ? in->x[v][i] : (double)NAN;
}

/*
 * Gather row i.  Returns EVS_OK with *missing = -1 when every input is
 * present, EVS_OK with *missing set when one is not, or an error for an
 * impossible value.
 */
static evs_status read_row(evs_measure m, const evs_studies *in, size_t i, row *r,
                           int *missing, evs_error *err)
{
    const measure_info *mi = &measures[m];
    *missing = -1;
    for (int v = 0; v < EVS_VAR_COUNT; v++)
        r->v[v] = NAN;
    for (size_t j = 0; j < MAX_INPUTS && mi->input[j] != NONE; j++) {
        evs_var a = mi->input[j], b = mi->alt[j];
        double xa = cell(in, a, i);
        double xb = b != NONE ? cell(in, b, i) : (double)NAN;
        if (!isnan(xa)) {
            evs_status st = check_value(in, i, a, m, err);
            if (st != EVS_OK)
                return st;
            r->v[a] = xa;
        }
        if (!isnan(xb)) {
            evs_status st = check_value(in, i, b, m, err);
            if (st != EVS_OK)
                return st;
            r->v[b] = xb;
        }
        if (isnan(xa) && isnan(xb) && *missing < 0)
            *missing = (int)a;
    }
    return EVS_OK;
}

/* Complete a 2x2 table (a, b, c, d) from b or n1, d or n2, checking consistency. */
static evs_status complete_table(const evs_studies *in, size_t i, row *r,
                                 evs_error *err)
{
    static const evs_var cells[2][3] = {{EVS_VAR_AI, EVS_VAR_BI, EVS_VAR_N1I},
                                        {EVS_VAR_CI, EVS_VAR_DI, EVS_VAR_N2I}};
    for (int g = 0; g < 2; g++) {
        evs_var ev = cells[g][0], nev = cells[g][1], nv = cells[g][2];
        double e = r->v[ev], ne = r->v[nev], n = r->v[nv];
        if (!isnan(n) && e > n)
            return evs_error_set(err, EVS_EDATA, line_of(in, i), in->column[ev],
                                 "%s (%.15g) is larger than %s (%.15g)", evs_var_name(ev),
                                 e, evs_var_name(nv), n);
        if (!isnan(ne) && !isnan(n) && e + ne != n)
            return evs_error_set(err, EVS_EDATA, line_of(in, i), in->column[nv],
                                 "%s (%.15g) is not %s + %s (%.15g)", evs_var_name(nv), n,
                                 evs_var_name(ev), evs_var_name(nev), e + ne);
        if (isnan(ne))
            r->v[nev] = n - e;
    }
    return EVS_OK;
}

static bool has_zero_cell(evs_measure m, const row *r)
{
    if (m == EVS_MEASURE_RR || m == EVS_MEASURE_OR || m == EVS_MEASURE_RD)
        return r->v[EVS_VAR_AI] == 0 || r->v[EVS_VAR_BI] == 0 || r->v[EVS_VAR_CI] == 0 ||
               r->v[EVS_VAR_DI] == 0;
    return r->v[EVS_VAR_XI] == 0 || r->v[EVS_VAR_XI] == r->v[EVS_VAR_NI];
}

/* Cross-checks between inputs of one row, before any correction. */
static evs_status check_row(evs_measure m, const evs_studies *in, size_t i, row *r,
                            evs_error *err)
{
    const measure_info *mi = &measures[m];
    if (m == EVS_MEASURE_RR || m == EVS_MEASURE_OR || m == EVS_MEASURE_RD)
        return complete_table(in, i, r, err);
    if (mi->counts && r->v[EVS_VAR_XI] > r->v[EVS_VAR_NI])
        return evs_error_set(err, EVS_EDATA, line_of(in, i), in->column[EVS_VAR_XI],
                             "xi (%.15g) is larger than ni (%.15g)", r->v[EVS_VAR_XI],
                             r->v[EVS_VAR_NI]);
    if (m == EVS_MEASURE_SMD && r->v[EVS_VAR_N1I] + r->v[EVS_VAR_N2I] < 4)
        return evs_error_set(err, EVS_EDATA, line_of(in, i), in->column[EVS_VAR_N1I],
                             "SMD needs n1i + n2i of at least 4 for its bias correction "
                             "(got %.15g)",
                             r->v[EVS_VAR_N1I] + r->v[EVS_VAR_N2I]);
    if ((m == EVS_MEASURE_SMCC || m == EVS_MEASURE_SMCR) && r->v[EVS_VAR_NI] < 3)
        return evs_error_set(err, EVS_EDATA, line_of(in, i), in->column[EVS_VAR_NI],
                             "%s needs ni of at least 3 for its bias correction (got %.15g)",
                             mi->name, r->v[EVS_VAR_NI]);
    return EVS_OK;
}

/* ---------------------------------------------------------------------------
 * The formulas
 */

static evs_status compute(evs_measure m, const evs_studies *in, size_t i, const row *r,
                          double add, bool correct, double *yi, double *vi, double *ni,
                          evs_error *err)
{
    const double *v = r->v;
    double y = NAN, var = NAN, n = NAN;
    switch (m) {
    case EVS_MEASURE_GEN:
        y = v[EVS_VAR_YI];
        var = !isnan(v[EVS_VAR_VI]) ? v[EVS_VAR_VI] : v[EVS_VAR_SEI] * v[EVS_VAR_SEI];
        break;
    case EVS_MEASURE_MD:
    case EVS_MEASURE_SMD: {
        double m1 = v[EVS_VAR_M1I], m2 = v[EVS_VAR_M2I];
        double s1 = v[EVS_VAR_SD1I], s2 = v[EVS_VAR_SD2I];
        double n1 = v[EVS_VAR_N1I], n2 = v[EVS_VAR_N2I];
        n = n1 + n2;
        if (m == EVS_MEASURE_MD) {
            y = m1 - m2;
            var = s1 * s1 / n1 + s2 * s2 / n2;
        } else {
            double df = n1 + n2 - 2;
            double sp = sqrt(((n1 - 1) * s1 * s1 + (n2 - 1) * s2 * s2) / df);
            y = evs_hedges_correction(df) * (m1 - m2) / sp;
            var = 1 / n1 + 1 / n2 + y * y / (2 * n);
        }
        break;
    }
    case EVS_MEASURE_RR:
    case EVS_MEASURE_OR:
    case EVS_MEASURE_RD: {
        double a = v[EVS_VAR_AI], b = v[EVS_VAR_BI], c = v[EVS_VAR_CI], d = v[EVS_VAR_DI];
        n = a + b + c + d;
        if (correct) {
            a += add;
            b += add;
            c += add;
            d += add;
        }
        double n1 = a + b, n2 = c + d, p1 = a / n1, p2 = c / n2;
        if (m == EVS_MEASURE_RR) {
            y = log(p1) - log(p2);
            var = 1 / a - 1 / n1 + 1 / c - 1 / n2;
        } else if (m == EVS_MEASURE_OR) {
            y = log(p1 / (1 - p1)) - log(p2 / (1 - p2));
            var = 1 / a + 1 / b + 1 / c + 1 / d;
        } else {
            y = p1 - p2;
            var = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2;
        }
        break;
    }
    case EVS_MEASURE_MC:
    case EVS_MEASURE_SMCC:
    case EVS_MEASURE_SMCR: {
        double m1 = v[EVS_VAR_M1I], m2 = v[EVS_VAR_M2I], s1 = v[EVS_VAR_SD1I];
        double rho = v[EVS_VAR_RI];
        n = v[EVS_VAR_NI];
        if (m == EVS_MEASURE_SMCR) {
            y = evs_hedges_correction(n - 1) * (m1 - m2) / s1;
            var = 2 * (1 - rho) / n + y * y / (2 * n);
            break;
        }
        double s2 = v[EVS_VAR_SD2I];
        double vchange = s1 * s1 + s2 * s2 - 2 * rho * s1 * s2;
        if (!(vchange > 0))
            return evs_error_set(err, EVS_EDATA, line_of(in, i), in->column[EVS_VAR_RI],
                                 "the SD of the change is 0 (sd1i = sd2i and ri = 1)");
        if (m == EVS_MEASURE_MC) {
            y = m1 - m2;
            var = vchange / n;
        } else {
            y = evs_hedges_correction(n - 1) * (m1 - m2) / sqrt(vchange);
            var = 1 / n + y * y / (2 * n);
        }
        break;
    }
    case EVS_MEASURE_MN:
        n = v[EVS_VAR_NI];
        y = v[EVS_VAR_MI];
        var = v[EVS_VAR_SDI] * v[EVS_VAR_SDI] / n;
        break;
    case EVS_MEASURE_PR:
    case EVS_MEASURE_PLO:
    case EVS_MEASURE_PAS:
    case EVS_MEASURE_PFT: {
        double x = v[EVS_VAR_XI], nx = v[EVS_VAR_NI] - x;
        n = v[EVS_VAR_NI];
        if (correct) {
            x += add;
            nx += add;
        }
        double nn = x + nx, p = x / nn;
        if (m == EVS_MEASURE_PR) {
            y = p;
            var = p * (1 - p) / nn;
        } else if (m == EVS_MEASURE_PLO) {
            y = log(p / (1 - p));
            var = 1 / x + 1 / nx;
        } else if (m == EVS_MEASURE_PAS) {
            y = asin(sqrt(p));
            var = 1 / (4 * nn);
        } else {
            y = 0.5 * (asin(sqrt(x / (nn + 1))) + asin(sqrt((x + 1) / (nn + 1))));
            var = 1 / (4 * nn + 2);
        }
        break;
    }
    case EVS_MEASURE_COUNT:
        break;
    }
    /* Without a correction, a zero cell can make yi infinite or vi zero. */
    if (!isfinite(y) || !(var > 0) || !isfinite(var))
        return evs_error_set(err, EVS_EDATA, line_of(in, i), 0,
                             "cannot compute %s for this row (yi = %g, vi = %g); "
                             "a zero cell needs a continuity correction",
                             measures[m].name, y, var);
    *yi = y;
    *vi = var;
    *ni = n;
    return EVS_OK;
}

evs_status evs_escalc(evs_measure m, const evs_studies *in,
                      const evs_escalc_options *opt, evs_effects *out, evs_error *err)
{
    if ((unsigned)m >= EVS_MEASURE_COUNT)
        return evs_error_set(err, EVS_EINVAL, 0, 0, "unknown measure");
    const measure_info *mi = &measures[m];

    /* Every input needs a column (or its alternative's). */
    for (size_t j = 0; j < MAX_INPUTS && mi->input[j] != NONE; j++) {
        evs_var a = mi->input[j], b = mi->alt[j];
        if (in->x[a] == NULL && (b == NONE || in->x[b] == NULL)) {
            if (b != NONE)
                return evs_error_set(err, EVS_EDATA, 1, 0,
                                     "measure %s needs a column \"%s\" or \"%s\"", mi->name,
                                     evs_var_name(a), evs_var_name(b));
            return evs_error_set(err, EVS_EDATA, 1, 0, "measure %s needs a column \"%s\"",
                                 mi->name, evs_var_name(a));
        }
    }

    evs_escalc_options defaults;
    if (opt == NULL) {
        evs_escalc_options_default(&defaults);
        opt = &defaults;
    }
    double add = isnan(opt->add) ? mi->default_add : opt->add;

    /* With to = "if0all" the correction depends on every row: look first. */
    bool any_zero = false;
    if (mi->counts && opt->to == EVS_ADD_IF0ALL) {
        for (size_t i = 0; i < in->k; i++) {
            row r;
            int missing;
            evs_status st = read_row(m, in, i, &r, &missing, err);
            if (st != EVS_OK)
                return st;
            if (missing < 0 && (st = check_row(m, in, i, &r, err)) != EVS_OK)
                return st;
            if (missing < 0 && has_zero_cell(m, &r))
                any_zero = true;
        }
    }

    for (size_t i = 0; i < in->k; i++) {
        row r;
        int missing;
        out->yi[i] = out->vi[i] = out->ni[i] = NAN;
        out->corrected[i] = false;
        evs_status st = read_row(m, in, i, &r, &missing, err);
        if (st != EVS_OK)
            return st;
        out->missing[i] = missing;
        if (missing >= 0)
            continue;
        if ((st = check_row(m, in, i, &r, err)) != EVS_OK)
            return st;
        bool correct = false;
        if (mi->counts && add != 0) {
            switch (opt->to) {
            case EVS_ADD_ONLY0:
                correct = has_zero_cell(m, &r);
                break;
            case EVS_ADD_ALL:
                correct = true;
                break;
            case EVS_ADD_IF0ALL:
                correct = any_zero;
                break;
            case EVS_ADD_NONE:
                break;
            }
        }
        st = compute(m, in, i, &r, add, correct, &out->yi[i], &out->vi[i], &out->ni[i], err);
        if (st != EVS_OK)
            return st;
        out->corrected[i] = correct;
    }
    return EVS_OK;
}
