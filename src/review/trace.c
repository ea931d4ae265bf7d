/*
 * trace.c -- traceability of pooled numbers to their quotes (see trace.h).
 *
 * The check follows the brief every extraction sheet states ("copy the
 * sentence the number came from into quote") and makes it mechanical: a
 * number an analysis pools is either written in its quote or derived, with
 * the arithmetic, from numbers that are.
 */
#include "review/trace.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review/compare.h"
#include "review/dataset.h"

/* ---------------------------------------------------------------------------
 * Numbers in text
 */

static bool same(double a, double b)
{
    return fabs(a - b) <= 1e-12 * fmax(1.0, fabs(b));
}

/* English number words: 0..19, the tens, and the multipliers. */
static const char *const units[] = {"zero",    "one",     "two",       "three",    "four",
                                    "five",    "six",     "seven",     "eight",    "nine",
                                    "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                    "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
static const char *const tens[] = {"twenty", "thirty", "forty",  "fifty",
                                   "sixty",  "seventy", "eighty", "ninety"};

/* The value of one lower-case word, or -1; *mult is set for hundred/thousand. */
static int word_value(const char *w, size_t len, int *mult)
{
    *mult = 0;
    for (int i = 0; i < 20; i++)
        if (strlen(units[i]) == len && strncmp(w, units[i], len) == 0)
            return i;
    for (int i = 0; i < 8; i++)
        if (strlen(tens[i]) == len && strncmp(w, tens[i], len) == 0)
            return 20 + 10 * i;
    if (len == 7 && strncmp(w, "hundred", 7) == 0)
        *mult = 100;
    else if (len == 8 && strncmp(w, "thousand", 8) == 0)
        *mult = 1000;
    return *mult ? 0 : -1;
}

/*
 * Scan text for the numbers it writes and report whether one equals v.
 * Words: a phrase of number words joined by spaces, hyphens and "and"
 * ("Two hundred and forty-three") is one number.
 */
static bool scan(const char *text, double v)
{
    const char *p = text;
    long total = 0, current = 0;
    bool in_words = false;
    while (*p != '\0') {
        unsigned char ch = (unsigned char)*p;
        if (isdigit(ch)) {
            if (in_words && same((double)(total + current), v))
                return true;
            in_words = false;
            total = current = 0;
            const char *start = p;
            while (isdigit((unsigned char)*p))
                p++;
            char buf[64];
            size_t n = (size_t)(p - start);
            if (n >= sizeof buf - 8) {
                continue; /* too long to be a number anyone reports */
            }
            memcpy(buf, start, n);
            buf[n] = '\0';
            if ((*p == '.' || *p == ',') && isdigit((unsigned char)p[1])) {
                const char *frac = p + 1, *q = frac;
                while (isdigit((unsigned char)*q))
                    q++;
                size_t m = (size_t)(q - frac);
                if (n + 1 + m < sizeof buf) {
                    buf[n] = '.';
                    memcpy(buf + n + 1, frac, m);
                    buf[n + 1 + m] = '\0';
                    if (same(strtod(buf, NULL), v))
                        return true;
                    /* "1,155": also a thousands separator */
                    if (*p == ',' && m == 3) {
                        char whole[64];
                        memcpy(whole, start, n);
                        memcpy(whole + n, frac, 3);
                        whole[n + 3] = '\0';
                        if (same(strtod(whole, NULL), v))
                            return true;
                    }
                }
                p = q;
                continue;
            }
            if (same(strtod(buf, NULL), v))
                return true;
            continue;
        }
        if (isalpha(ch)) {
            char w[16];
            size_t len = 0;
            while (isalpha((unsigned char)*p)) {
                if (len < sizeof w)
                    w[len] = (char)tolower((unsigned char)*p);
                len++;
                p++;
            }
            int mult;
            int val = len <= sizeof w ? word_value(w, len, &mult) : -1;
            if (val >= 0) {
                if (mult == 100)
                    current = (current ? current : 1) * 100;
                else if (mult == 1000) {
                    total += (current ? current : 1) * 1000;
                    current = 0;
                } else
                    current += val;
                in_words = true;
                continue;
            }
            bool joiner = in_words && len == 3 && strncmp(w, "and", 3) == 0;
            if (!joiner) {
                if (in_words && same((double)(total + current), v))
                    return true;
                in_words = false;
                total = current = 0;
            }
            continue;
        }
        /* Spaces and hyphens join number words; anything else ends a phrase. */
        if (in_words && ch != ' ' && ch != '-') {
            if (same((double)(total + current), v))
                return true;
            in_words = false;
            total = current = 0;
        }
        p++;
    }
    return in_words && same((double)(total + current), v);
}

bool evs_trace_in_text(const char *text, double value)
{
    if (text == NULL || isnan(value))
        return false;
    return scan(text, fabs(value));
}

bool evs_trace_phrase_in_text(const char *text, const char *phrase, size_t len)
{
    if (text == NULL || phrase == NULL || len == 0)
        return false;
    for (const char *t = text; *t != '\0'; t++) {
        size_t i = 0;
        while (i < len && t[i] != '\0' &&
               tolower((unsigned char)t[i]) == tolower((unsigned char)phrase[i]))
            i++;
        if (i == len)
            return true;
    }
    return false;
}

/* ---------------------------------------------------------------------------
 * Derivations
 */

typedef struct parser {
    const char *p;
    evs_derivation *d;
    const char *err;
} parser;

static void skip_space(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
}

static double expr(parser *ps);

static double factor(parser *ps)
{
    skip_space(ps);
    if (*ps->p == '(') {
        ps->p++;
        double x = expr(ps);
        skip_space(ps);
        if (*ps->p != ')') {
            ps->err = "a '(' without its ')'";
            return NAN;
        }
        ps->p++;
        return x;
    }
    if (*ps->p == '-') {
        ps->p++;
        return -factor(ps);
    }
    if (!isdigit((unsigned char)*ps->p)) {
        ps->err = "expected a number";
        return NAN;
    }
    char *end;
    double x = strtod(ps->p, &end);
    ps->p = end;
    if (ps->d->noperands == EVS_DERIVATION_MAX_OPERANDS) {
        ps->err = "too many numbers";
        return NAN;
    }
    ps->d->operands[ps->d->noperands++] = x;
    return x;
}

static double term(parser *ps)
{
    double x = factor(ps);
    for (;;) {
        skip_space(ps);
        char op = *ps->p;
        if (ps->err != NULL || (op != '*' && op != '/'))
            return x;
        ps->p++;
        double y = factor(ps);
        x = op == '*' ? x * y : x / y;
    }
}

static double expr(parser *ps)
{
    double x = term(ps);
    for (;;) {
        skip_space(ps);
        char op = *ps->p;
        if (ps->err != NULL || (op != '+' && op != '-'))
            return x;
        ps->p++;
        double y = term(ps);
        x = op == '+' ? x + y : x - y;
    }
}

/* One item, up to ';' or the end; returns false with ps->err set. */
static bool item(parser *ps)
{
    evs_derivation *d = ps->d;
    memset(d, 0, sizeof *d);
    skip_space(ps);
    const char *name = ps->p;
    while (isalnum((unsigned char)*ps->p) || *ps->p == '_')
        ps->p++;
    size_t len = (size_t)(ps->p - name);
    int field = -1;
    for (int f = 0; f < EVS_OBS_FIELD_COUNT; f++) {
        const char *fn = evs_obs_field_name((evs_obs_field)f);
        if (strlen(fn) == len && strncmp(fn, name, len) == 0)
            field = f;
    }
    if (field < 0) {
        ps->err = "expected a number column (n, mean, sd, ..., events, percent) before '='";
        return false;
    }
    d->field = (evs_obs_field)field;
    skip_space(ps);
    if (*ps->p != '=') {
        ps->err = "expected '=' after the column name";
        return false;
    }
    ps->p++;
    d->value = expr(ps);
    if (ps->err != NULL)
        return false;
    skip_space(ps);
    if (strncmp(ps->p, "from", 4) == 0 && !isalnum((unsigned char)ps->p[4])) {
        ps->p += 4;
        skip_space(ps);
        if (*ps->p != '"') {
            ps->err = "expected a quoted phrase after 'from'";
            return false;
        }
        const char *start = ++ps->p;
        while (*ps->p != '\0' && *ps->p != '"')
            ps->p++;
        if (*ps->p != '"' || ps->p == start) {
            ps->err = "the phrase after 'from' needs its closing '\"' and some text";
            return false;
        }
        d->phrase = start;
        d->phrase_len = (size_t)(ps->p - start);
        ps->p++;
        skip_space(ps);
    }
    if (*ps->p == '(') { /* a comment, to its closing ')' */
        int depth = 0;
        do {
            if (*ps->p == '(')
                depth++;
            else if (*ps->p == ')')
                depth--;
            ps->p++;
        } while (*ps->p != '\0' && depth > 0);
        if (depth != 0) {
            ps->err = "a comment '(' without its ')'";
            return false;
        }
        skip_space(ps);
    }
    if (*ps->p != '\0' && *ps->p != ';') {
        ps->err = "unexpected text after the expression (a comment goes in parentheses)";
        return false;
    }
    return true;
}

int evs_derivation_parse(const char *text, evs_derivation *items, size_t max, char *msg,
                         size_t msg_cap)
{
    if (text == NULL)
        return 0;
    parser ps = {.p = text};
    size_t n = 0;
    skip_space(&ps);
    if (*ps.p == '\0')
        return 0;
    for (;;) {
        if (n == max) {
            snprintf(msg, msg_cap, "more than %zu items", max);
            return -1;
        }
        ps.d = &items[n];
        if (!item(&ps)) {
            snprintf(msg, msg_cap, "%s (at \"%.20s\")", ps.err, ps.p);
            return -1;
        }
        n++;
        if (*ps.p == '\0')
            return (int)n;
        ps.p++; /* ';' */
        skip_space(&ps);
        if (*ps.p == '\0')
            return (int)n;
    }
}

/* ---------------------------------------------------------------------------
 * The check
 */

#define MAX_ITEMS 8

static long col_of(const long *field_col, evs_obs_field f)
{
    return field_col != NULL ? field_col[f] : 0;
}

/* Mark the observations a dataset pools. */
static void mark(const evs_dataset *ds, bool *used)
{
    for (size_t i = 0; i < ds->nrows; i++) {
        if (ds->rows[i].before >= 0)
            used[ds->rows[i].before] = true;
        if (ds->rows[i].after >= 0)
            used[ds->rows[i].after] = true;
    }
}

/* Build one selection's dataset and mark what it pools; false on failure. */
static bool mark_build(const evs_review *rv, const evs_evidence *ev, size_t outcome, long window,
                       const evs_dataset_select *sel, bool *used, evs_problems *problems)
{
    evs_error err;
    evs_error_clear(&err);
    evs_dataset *ds = evs_dataset_build_sel(rv, ev, outcome, window, NAN, sel, &err);
    if (ds == NULL) {
        evs_problems_add_error(problems, &err);
        return false;
    }
    mark(ds, used);
    evs_dataset_free(ds);
    return true;
}

/*
 * Mark every observation the report pools (synthesis.h): each outcome's
 * analyses, the pools matched to published reviews (compare.h), each named
 * sensitivity analysis (where a study left out lets another report of its
 * overlap group step in), and the control arms' mean scores of the pain
 * over time (each included control arm's latest observation in each window
 * and at baseline).
 */
static bool mark_pooled(const evs_review *rv, const evs_evidence *ev, bool *used,
                        evs_problems *problems)
{
    long windows[EVS_MAX_WINDOWS + 1];
    for (size_t o = 0; o < rv->noutcomes; o++) {
        size_t nw = evs_dataset_windows(rv, o, windows, EVS_MAX_WINDOWS + 1);
        for (size_t w = 0; w < nw; w++)
            if (!mark_build(rv, ev, o, windows[w], NULL, used, problems))
                return false;
        if (rv->outcomes[o].type != EVS_OUTCOME_CHANGE)
            continue;
        for (size_t j = 0; j < ev->nstudies; j++) {
            const evs_study *st = &ev->studies[j];
            if (st->arm != EVS_ARM_CONTROL || !st->included ||
                (st->parent >= 0 && !ev->studies[st->parent].included))
                continue;
            for (size_t w = 0; w <= nw; w++) {
                long best = evs_dataset_latest(rv, ev, j, rv->outcomes[o].data, false,
                                               w < nw ? windows[w] : EVS_WINDOW_BASELINE);
                if (best >= 0)
                    used[best] = true;
            }
        }
    }
    evs_compare_match m;
    for (size_t j = 0; j < ev->nobs; j++)
        if (evs_compare_match_obs(rv, ev, j, &m) &&
            !mark_build(rv, ev, m.outcome, m.window, &m.sel, used, problems))
            return false;
    if (rv->nsensitivities == 0)
        return true;
    bool *drop = calloc(ev->nstudies ? ev->nstudies : 1, sizeof *drop);
    if (drop == NULL) {
        evs_problems_add(problems, EVS_ENOMEM, ev->outcomes_file, 0, 0, "out of memory");
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < rv->nsensitivities && ok; i++) {
        evs_dataset_select sel;
        evs_dataset_select_init(&sel);
        evs_dataset_sensitivity_drop(rv, ev, i, drop);
        sel.drop = drop;
        for (size_t o = 0; o < rv->noutcomes && ok; o++) {
            size_t nw = evs_dataset_windows(rv, o, windows, EVS_MAX_WINDOWS + 1);
            for (size_t w = 0; w < nw && ok; w++)
                ok = mark_build(rv, ev, o, windows[w], &sel, used, problems);
        }
    }
    free(drop);
    return ok;
}

void evs_trace_check(const evs_review *rv, const evs_evidence *ev, const long *field_col,
                     long derivation_col, evs_problems *problems)
{
    const char *file = ev->outcomes_file;
    bool *used = calloc(ev->nobs ? ev->nobs : 1, sizeof *used);
    if (used == NULL) {
        evs_problems_add(problems, EVS_ENOMEM, file, 0, 0, "out of memory");
        return;
    }
    if (rv->quotes_required && !mark_pooled(rv, ev, used, problems)) {
        free(used);
        return;
    }
    for (size_t i = 0; i < ev->nobs; i++) {
        const evs_obs *o = &ev->obs[i];
        evs_derivation d[MAX_ITEMS];
        char msg[160];
        int nd = evs_derivation_parse(o->derivation, d, MAX_ITEMS, msg, sizeof msg);
        if (nd < 0) {
            evs_problems_add(problems, EVS_EDATA, file, o->line, derivation_col,
                             "derivation: %s", msg);
            nd = 0;
        }
        bool derived[EVS_OBS_FIELD_COUNT] = {false};
        for (int k = 0; k < nd; k++) {
            const char *fn = evs_obs_field_name(d[k].field);
            double v = o->v[d[k].field];
            derived[d[k].field] = true;
            if (isnan(v)) {
                evs_problems_add(problems, EVS_EDATA, file, o->line, derivation_col,
                                 "derivation gives %s, but the row has no %s", fn, fn);
                continue;
            }
            if (!(fabs(d[k].value - v) <= 1e-9 * fmax(1.0, fabs(v))))
                evs_problems_add(problems, EVS_EDATA, file, o->line, derivation_col,
                                 "derivation: %s = %.10g, not the row's %.10g", fn, d[k].value,
                                 v);
            if (d[k].phrase != NULL) {
                if (!evs_trace_phrase_in_text(o->quote, d[k].phrase, d[k].phrase_len))
                    evs_problems_add(problems, EVS_EDATA, file, o->line, derivation_col,
                                     "derivation of %s: \"%.*s\" is not in the quote", fn,
                                     (int)d[k].phrase_len, d[k].phrase);
                continue;
            }
            for (size_t j = 0; j < d[k].noperands; j++)
                if (!evs_trace_in_text(o->quote, d[k].operands[j]))
                    evs_problems_add(problems, EVS_EDATA, file, o->line, derivation_col,
                                     "derivation of %s: %.10g is not in the quote", fn,
                                     d[k].operands[j]);
        }
        if (!used[i])
            continue;
        for (int f = 0; f < EVS_OBS_FIELD_COUNT; f++) {
            double v = o->v[f];
            if (isnan(v) || derived[f] || evs_trace_in_text(o->quote, v))
                continue;
            evs_problems_add(problems, EVS_EDATA, file, o->line, col_of(field_col, f),
                             "%s %.10g is pooled but is not in the quote, and no derivation "
                             "gives it",
                             evs_obs_field_name((evs_obs_field)f), v);
        }
    }
    free(used);
}
