/*
 * review_io.c -- reading and checking a review folder (see review_io.h).
 *
 * The three files are read in turn and every problem is collected.  Values
 * are checked where they stand (a date, a number, a name from a
 * vocabulary); then across rows (unique ids, known parents, no duplicate
 * observations) and across files (observations of known studies, scores
 * inside the scale the review sets, and, where the review requires it, every
 * pooled number traced to its quote: review/trace.h).
 */
#include "io/review_io.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/appraisal_io.h"
#include "io/ini_file.h"
#include "io/numparse.h"
#include "io/table.h"
#include "review/plausibility.h"
#include "review/trace.h"

/* ---------------------------------------------------------------------------
 * review.ini
 */

typedef struct ini_ctx {
    evs_ini *ini;
    evs_problems *problems;
    const char *section; /* the section being read, for helpers that need it */
    bool oom;
} ini_ctx;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void ini_problem(ini_ctx *c, const evs_ini_entry *e, const char *fmt, ...)
{
    char msg[EVS_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    evs_problems_add(c->problems, EVS_EDATA, c->ini->file, e->line, e->column, "%s", msg);
}

/*
 * A problem with setting `key` of section `sec`: at the setting's value
 * when it is in the file, else at the section's header (section_line).
 */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void key_problem(ini_ctx *c, const char *sec, const char *key, long section_line,
                        const char *fmt, ...)
{
    char msg[EVS_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const evs_ini_entry *e = evs_ini_get(c->ini, sec, key);
    if (e != NULL)
        evs_problems_add(c->problems, EVS_EDATA, c->ini->file, e->line, e->column, "%s", msg);
    else
        evs_problems_add(c->problems, EVS_EDATA, c->ini->file, section_line, 1, "%s", msg);
}

static char *copy(ini_ctx *c, const char *s)
{
    char *p = strdup(s);
    if (p == NULL)
        c->oom = true;
    return p;
}

/* A text value; required ones missing are reported at the section's first line. */
static char *get_text(ini_ctx *c, const char *section, const char *name, bool required,
                      long section_line)
{
    evs_ini_entry *e = evs_ini_get(c->ini, section, name);
    if (e == NULL || e->value[0] == '\0') {
        if (required)
            evs_problems_add(c->problems, EVS_EDATA, c->ini->file, section_line, 1,
                             "[%s] needs '%s'", section, name);
        return NULL;
    }
    return copy(c, e->value);
}

static char *get_date(ini_ctx *c, const char *section, const char *name, bool required,
                      long section_line)
{
    evs_ini_entry *e = evs_ini_get(c->ini, section, name);
    if (e == NULL || e->value[0] == '\0') {
        if (required)
            evs_problems_add(c->problems, EVS_EDATA, c->ini->file, section_line, 1,
                             "[%s] needs '%s'", section, name);
        return NULL;
    }
    if (!evs_date_valid(e->value)) {
        ini_problem(c, e, "%s: \"%s\" is not a date (expected YYYY-MM-DD or YYYY-MM)", name,
                    e->value);
        return NULL;
    }
    return copy(c, e->value);
}

static double get_number(ini_ctx *c, const char *section, const char *name, double fallback,
                         bool required, long section_line)
{
    evs_ini_entry *e = evs_ini_get(c->ini, section, name);
    if (e == NULL || e->value[0] == '\0') {
        if (required)
            evs_problems_add(c->problems, EVS_EDATA, c->ini->file, section_line, 1,
                             "[%s] needs '%s'", section, name);
        return fallback;
    }
    double x;
    evs_num_status st = evs_parse_number(e->value, &x);
    if (st != EVS_NUM_OK) {
        ini_problem(c, e, "%s: \"%s\" is not a number: %s", name, e->value,
                    evs_num_status_hint(st));
        return fallback;
    }
    return x;
}

static bool get_bool(ini_ctx *c, const char *section, const char *name, bool fallback,
                     bool required, long section_line)
{
    evs_ini_entry *e = evs_ini_get(c->ini, section, name);
    if (e == NULL || e->value[0] == '\0') {
        if (required)
            evs_problems_add(c->problems, EVS_EDATA, c->ini->file, section_line, 1,
                             "[%s] needs '%s'", section, name);
        return fallback;
    }
    if (strcmp(e->value, "yes") == 0)
        return true;
    if (strcmp(e->value, "no") == 0)
        return false;
    ini_problem(c, e, "%s: expected yes or no, not \"%s\"", name, e->value);
    return fallback;
}

/* The value of an enumeration: index in names[], or fallback. */
static int get_choice(ini_ctx *c, const char *section, const char *name,
                      const char *const *names, int count, int fallback, bool required,
                      long section_line)
{
    evs_ini_entry *e = evs_ini_get(c->ini, section, name);
    if (e == NULL || e->value[0] == '\0') {
        if (required)
            evs_problems_add(c->problems, EVS_EDATA, c->ini->file, section_line, 1,
                             "[%s] needs '%s'", section, name);
        return fallback;
    }
    for (int i = 0; i < count; i++)
        if (strcmp(e->value, names[i]) == 0)
            return i;
    char list[256] = "";
    for (int i = 0; i < count; i++) {
        strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, names[i], sizeof list - strlen(list) - 1);
    }
    ini_problem(c, e, "%s: \"%s\" is not one of: %s", name, e->value, list);
    return fallback;
}

/* First line of a section (the line of its first value), for messages. */
static long section_line(const evs_ini *ini, const char *section)
{
    for (size_t i = 0; i < ini->n; i++)
        if (strcmp(ini->entries[i].section, section) == 0)
            return ini->entries[i].line;
    return 0;
}

/* Split "a, b, c" into up to max trimmed items in buf (modified); returns the count. */
static size_t split_list(char *buf, char **items, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ' || *tok == '\t')
            tok++;
        char *end = tok + strlen(tok);
        while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
            *--end = '\0';
        if (*tok == '\0')
            continue;
        if (n < max)
            items[n] = tok;
        n++;
    }
    return n;
}

/*
 * The sections PREFIX.NAME in the order they first appear, each once: start
 * with *pos = 0 and call again for the next; NULL at the end.
 */
static const char *next_section(const evs_ini *ini, const char *prefix, size_t *pos)
{
    size_t n = strlen(prefix);
    for (; *pos < ini->n; (*pos)++) {
        const char *sec = ini->entries[*pos].section;
        if (strncmp(sec, prefix, n) != 0)
            continue;
        bool earlier = false;
        for (size_t j = 0; j < *pos && !earlier; j++)
            earlier = strcmp(ini->entries[j].section, sec) == 0;
        if (!earlier) {
            (*pos)++;
            return sec;
        }
    }
    return NULL;
}

/* array (n elements of size bytes) with one more, zeroed; NULL if out of memory. */
static void *grow(ini_ctx *c, void *array, size_t n, size_t size)
{
    char *p = realloc(array, (n + 1) * size);
    if (p == NULL) {
        c->oom = true;
        return NULL;
    }
    memset(p + n * size, 0, size);
    return p;
}

/* NAME of section PREFIX.NAME, which must be a name (what: "a window", for messages). */
static char *section_id(ini_ctx *c, const char *sec, size_t prefix, const char *what, long line)
{
    char *id = copy(c, sec + prefix);
    if (id != NULL && !evs_name_valid(id))
        evs_problems_add(c->problems, EVS_EDATA, c->ini->file, line, 2,
                         "[%s]: %s name may use only letters, digits, '_' and '-'", sec, what);
    return id;
}

/*
 * [design.ID], [population.ID], [comparator.ID], [setting.ID]: the review's
 * vocabularies.  A kind with no section gets evsynth's defaults (review.c).
 */
static void read_vocabulary(ini_ctx *c, evs_review *r, evs_vocab_kind k)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "%s.", evs_vocab_name(k));
    size_t plen = strlen(prefix);
    evs_vocabulary *v = &r->vocab[k];
    const char *sec;
    for (size_t pos = 0; (sec = next_section(c->ini, prefix, &pos)) != NULL;) {
        long line = section_line(c->ini, sec);
        v->declared = true;
        if (v->n == EVS_MAX_CLASSES) {
            evs_problems_add(c->problems, EVS_EDATA, c->ini->file, line, 1,
                             "[%s]: at most %d %s classes", sec, EVS_MAX_CLASSES,
                             evs_vocab_name(k));
            return;
        }
        char *id = section_id(c, sec, plen, "a class", line);
        if (id == NULL)
            return;
        size_t i = evs_review_add_class(r, k, id);
        free(id);
        if (i == EVS_NO_CLASS) {
            c->oom = true;
            return;
        }
        evs_class *cl = &v->items[i];
        cl->line = line;
        char *label = get_text(c, sec, "label", false, line);
        if (label != NULL) {
            free(cl->label);
            cl->label = label;
        }
        int nroles = evs_vocab_roles(k);
        if (nroles > 0) {
            const char *names[8];
            for (int j = 0; j < nroles; j++)
                names[j] = evs_vocab_role_name(k, j);
            cl->role = get_choice(c, sec, "role", names, nroles, 0, true, line);
        }
        if (k == EVS_VOCAB_DESIGN)
            cl->retrospective = get_bool(c, sec, "retrospective", false, false, line);
        if (k == EVS_VOCAB_POPULATION || k == EVS_VOCAB_COMPARATOR)
            cl->in_question = get_bool(c, sec, "in_question", true, false, line);
        if (k == EVS_VOCAB_POPULATION)
            cl->covers_all = get_bool(c, sec, "covers_all", false, false, line);
        if (k == EVS_VOCAB_COMPARATOR) {
            bool usual = cl->role == EVS_COMPARATOR_USUAL_CARE;
            cl->established = get_bool(c, sec, "established", usual, false, line);
            cl->arm_label = get_text(c, sec, "arm_label", false, line);
            if (cl->established && cl->role != EVS_COMPARATOR_USUAL_CARE &&
                cl->role != EVS_COMPARATOR_ACTIVE)
                key_problem(c, sec, "established", line,
                            "[%s]: a %s comparator is never an established alternative; only "
                            "usual_care and active ones can be",
                            sec, evs_comparator_role_name((evs_comparator_role)cl->role));
        }
    }
    if (!v->declared && !evs_review_default_vocabulary(r, k))
        c->oom = true;
}

/* [outcome.ID] comparators = a, b: a difference outcome's rows by their control arm. */
static void read_outcome_comparators(ini_ctx *c, const evs_review *r, evs_outcome_spec *o)
{
    evs_ini_entry *e = evs_ini_get(c->ini, c->section, "comparators");
    if (e == NULL)
        return;
    if (o->type != EVS_OUTCOME_DIFFERENCE) {
        ini_problem(c, e, "comparators: only a difference outcome compares arms");
        return;
    }
    char *buf = copy(c, e->value);
    if (buf == NULL)
        return;
    char *items[EVS_MAX_CLASSES];
    size_t n = split_list(buf, items, EVS_MAX_CLASSES);
    o->comparator_filter = true;
    for (size_t i = 0; i < n && i < EVS_MAX_CLASSES; i++) {
        size_t k = evs_review_find_class(r, EVS_VOCAB_COMPARATOR, items[i]);
        if (k == EVS_NO_CLASS)
            ini_problem(c, e, "comparators: \"%s\" is not a comparator of this review", items[i]);
        else
            o->comparators[k] = true;
    }
    free(buf);
}

static const char *const outcome_types[] = {"change", "proportion", "difference"};
static const char *const roles[] = {"benefit", "harm"};
static const char *const unstated_names[] = {"separate", "exclude"};

static void read_windows(ini_ctx *c, evs_review *r)
{
    const char *sec;
    for (size_t pos = 0; (sec = next_section(c->ini, "window.", &pos)) != NULL;) {
        evs_window *w = grow(c, r->windows, r->nwindows, sizeof *w);
        if (w == NULL)
            return;
        r->windows = w;
        w = &r->windows[r->nwindows++];
        long line = section_line(c->ini, sec);
        w->line = line;
        w->id = section_id(c, sec, 7, "a window", line);
        if (w->id == NULL)
            return;
        w->label = get_text(c, sec, "label", true, line);
        w->after = get_number(c, sec, "after", 0, true, line);
        w->until = get_number(c, sec, "until", INFINITY, false, line);
        if (!(w->after >= 0))
            key_problem(c, sec, "after", line, "[%s]: 'after' must be 0 or more weeks", sec);
        if (!(w->until > w->after))
            key_problem(c, sec, "until", line, "[%s]: 'until' must be later than 'after'", sec);
    }
}

static void read_outcome_windows(ini_ctx *c, evs_review *r, evs_outcome_spec *o,
                                 const char *sec)
{
    evs_ini_entry *e = evs_ini_get(c->ini, sec, "windows");
    if (e == NULL)
        return;
    char *buf = copy(c, e->value);
    if (buf == NULL)
        return;
    char *items[EVS_MAX_WINDOWS];
    size_t n = split_list(buf, items, EVS_MAX_WINDOWS);
    if (n > EVS_MAX_WINDOWS) {
        ini_problem(c, e, "windows: at most %d windows", EVS_MAX_WINDOWS);
        n = EVS_MAX_WINDOWS;
    }
    for (size_t i = 0; i < n; i++) {
        long w = evs_review_find_window(r, items[i]);
        if (w < 0) {
            ini_problem(c, e, "windows: no section [window.%s]", items[i]);
            continue;
        }
        for (size_t j = 0; j < o->nwindows; j++) {
            const evs_window *a = &r->windows[o->windows[j]], *b = &r->windows[w];
            if (a->after < b->until && b->after < a->until)
                ini_problem(c, e, "windows: %s and %s overlap", a->id, b->id);
        }
        o->windows[o->nwindows++] = (size_t)w;
    }
    free(buf);
}

static void read_correlations(ini_ctx *c, evs_outcome_spec *o, const char *sec)
{
    evs_ini_entry *e = evs_ini_get(c->ini, sec, "correlation_sensitivity");
    if (e == NULL)
        return;
    char *buf = copy(c, e->value);
    if (buf == NULL)
        return;
    char *items[EVS_MAX_CORRELATIONS];
    size_t n = split_list(buf, items, EVS_MAX_CORRELATIONS);
    if (n > EVS_MAX_CORRELATIONS) {
        ini_problem(c, e, "correlation_sensitivity: at most %d values", EVS_MAX_CORRELATIONS);
        n = EVS_MAX_CORRELATIONS;
    }
    for (size_t i = 0; i < n; i++) {
        double x;
        if (evs_parse_number(items[i], &x) != EVS_NUM_OK || !(x >= -1 && x <= 1)) {
            ini_problem(c, e, "correlation_sensitivity: \"%s\" is not a correlation between -1 "
                              "and 1", items[i]);
            continue;
        }
        o->correlations[o->ncorrelations++] = x;
    }
    free(buf);
}

/* [grade]: the thresholds of the GRADE rules. */
static void read_grade_settings(ini_ctx *c, evs_review *r)
{
    evs_grade_settings *g = &r->grade;
    evs_grade_settings_default(g);
    long line = section_line(c->ini, "grade");
    struct {
        const char *name;
        double *value, max;
    } items[] = {
        {"start_share", &g->start_share, 100},
        {"rob_uncontrolled_share", &g->rob_uncontrolled_share, 100},
        {"rob_retrospective_share", &g->rob_retrospective_share, 100},
        {"rob_critical_share", &g->rob_critical_share, 100},
        {"rob_high_share", &g->rob_high_share, 100},
        {"rob_unclear_share", &g->rob_unclear_share, 100},
        {"i2_serious", &g->i2_serious, 100},
        {"i2_very_serious", &g->i2_very_serious, 100},
        {"direct_share", &g->direct_share, 100},
        {"ois_alpha", &g->ois_alpha, 1},
        {"ois_power", &g->ois_power, 1},
        {"ois_rrr", &g->ois_rrr, 100},
        {"ois_far_below", &g->ois_far_below, 100},
        {"egger_min_k", &g->egger_min_k, (double)INFINITY},
        {"egger_alpha", &g->egger_alpha, 1},
    };
    evs_ini_entry *old = evs_ini_get(c->ini, "grade", "ois");
    if (old != NULL) {
        old->used = true;
        ini_problem(c, old, "ois: the optimal information size is computed for each outcome "
                            "now; to fix one, set ois in its [outcome.NAME] section");
    }
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        double x = get_number(c, "grade", items[i].name, *items[i].value, false, line);
        if (!(x >= 0 && x <= items[i].max)) {
            evs_ini_entry *e = evs_ini_get(c->ini, "grade", items[i].name);
            if (isfinite(items[i].max))
                ini_problem(c, e, "%s must be between 0 and %g", items[i].name, items[i].max);
            else
                ini_problem(c, e, "%s must be 0 or more", items[i].name);
            continue;
        }
        *items[i].value = x;
    }
    if (g->i2_very_serious < g->i2_serious)
        key_problem(c, "grade", "i2_very_serious", line,
                    "[grade]: i2_very_serious must not be below i2_serious");
    static const char *const open_unit[] = {"ois_alpha", "ois_power", "ois_rrr"};
    double *open_value[] = {&g->ois_alpha, &g->ois_power, &g->ois_rrr};
    for (size_t i = 0; i < 3; i++)
        if (*open_value[i] == 0 || *open_value[i] == (i == 2 ? 100 : 1)) {
            key_problem(c, "grade", open_unit[i], line, "[grade]: %s must be above 0 and below %s",
                        open_unit[i], i == 2 ? "100" : "1");
            evs_grade_settings gd;
            evs_grade_settings_default(&gd);
            *open_value[i] = i == 0 ? gd.ois_alpha : i == 1 ? gd.ois_power : gd.ois_rrr;
        }
}

/* The tools' overall rules (review/appraisal.h): [appraisal]. */
static void read_rob_settings(ini_ctx *c, evs_review *r)
{
    evs_rob_settings *s = &r->rob;
    evs_rob_settings_default(s);
    struct {
        const char *section, *name;
        double *value, max;
    } items[] = {
        {"appraisal", "rob2_some_concerns_high", &s->rob2_some_concerns_high, 5},
        {"appraisal", "jbi_low_share", &s->jbi_low_share, 100},
        {"appraisal", "jbi_moderate_share", &s->jbi_moderate_share, 100},
    };
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        long line = section_line(c->ini, items[i].section);
        double x = get_number(c, items[i].section, items[i].name, *items[i].value, false, line);
        if (!(x >= 0 && x <= items[i].max)) {
            ini_problem(c, evs_ini_get(c->ini, items[i].section, items[i].name),
                        "%s must be between 0 and %g", items[i].name, items[i].max);
            continue;
        }
        *items[i].value = x;
    }
    long line = section_line(c->ini, "appraisal");
    if (s->rob2_some_concerns_high != (double)(int)s->rob2_some_concerns_high ||
        s->rob2_some_concerns_high == 1)
        key_problem(c, "appraisal", "rob2_some_concerns_high", line,
                    "rob2_some_concerns_high: a number of domains, 2 to 5 (0: never)");
    if (s->jbi_moderate_share > s->jbi_low_share)
        key_problem(c, "appraisal",
                    evs_ini_get(c->ini, "appraisal", "jbi_moderate_share") != NULL
                        ? "jbi_moderate_share"
                        : "jbi_low_share",
                    line, "[appraisal]: jbi_low_share (%g) must not be below jbi_moderate_share (%g)",
                    s->jbi_low_share, s->jbi_moderate_share);
    evs_ini_entry *e = evs_ini_get(c->ini, "appraisal", "jbi_critical_items");
    if (e == NULL)
        return;
    char *buf = copy(c, e->value);
    if (buf == NULL)
        return;
    char *items_text[10];
    size_t n = split_list(buf, items_text, 10);
    for (size_t i = 0; i < n && i < 10; i++) {
        const char *q = items_text[i];
        int item = 0;
        if (q[0] == 'Q' && q[1] >= '1' && q[1] <= '9' && q[2] == '\0')
            item = q[1] - '0';
        else if (strcmp(q, "Q10") == 0)
            item = 10;
        if (item == 0)
            ini_problem(c, e, "jbi_critical_items: \"%s\" is not an item Q1 to Q10", q);
        else
            s->jbi_critical_items |= 1u << (item - 1);
    }
    if (n > 10)
        ini_problem(c, e, "jbi_critical_items: at most the 10 items");
    free(buf);
}

/*
 * [grade.OUTCOME]: a reviewer's rating of a domain, replacing the rule, with
 * its justification: risk_of_bias = 1 and risk_of_bias_reason = text.
 */
static void read_grade_overrides(ini_ctx *c, evs_outcome_spec *o)
{
    char sec[256];
    snprintf(sec, sizeof sec, "grade.%s", o->id);
    for (int d = 0; d < EVS_GRADE_DOMAINS; d++) {
        const char *name = evs_grade_domain_name((evs_grade_domain)d);
        char reason_name[64];
        snprintf(reason_name, sizeof reason_name, "%s_reason", name);
        evs_grade_override *g = &o->grade[d];
        g->levels = -1;
        evs_ini_entry *e = evs_ini_get(c->ini, sec, name);
        evs_ini_entry *why = evs_ini_get(c->ini, sec, reason_name);
        if (e == NULL) {
            if (why != NULL)
                ini_problem(c, why, "%s without %s", reason_name, name);
            continue;
        }
        g->line = e->line;
        if (strcmp(e->value, "0") == 0 || strcmp(e->value, "1") == 0 ||
            strcmp(e->value, "2") == 0)
            g->levels = e->value[0] - '0';
        else
            ini_problem(c, e, "%s: the levels to rate down, 0, 1 or 2, not \"%s\"", name,
                        e->value);
        if (why == NULL || why->value[0] == '\0')
            ini_problem(c, e, "%s: a reviewer's rating needs its justification in %s", name,
                        reason_name);
        else
            g->reason = copy(c, why->value);
    }
}

/* [criteria]: what the technology-evaluation criteria need, and overrides. */
static void read_criteria(ini_ctx *c, evs_review *r)
{
    evs_criteria_settings *cs = &r->criteria;
    long line = section_line(c->ini, "criteria");
    evs_criteria_settings_default(cs);
    evs_ini_entry *e = evs_ini_get(c->ini, "criteria", "min_certainty");
    if (e != NULL && !evs_certainty_from_name(e->value, &cs->min_certainty))
        ini_problem(c, e, "min_certainty: \"%s\" is not one of: very_low, low, moderate, high",
                    e->value);
    cs->min_studies = get_number(c, "criteria", "min_studies", 3, false, line);
    cs->min_studies_conclusions =
        get_number(c, "criteria", "min_studies_conclusions", 2, false, line);
    if (!(cs->min_studies_conclusions >= 1))
        key_problem(c, "criteria", "min_studies_conclusions", line,
                    "[criteria]: min_studies_conclusions must be 1 or more");
    if (!(cs->min_studies >= 1))
        key_problem(c, "criteria", "min_studies", line, "[criteria]: min_studies must be 1 or more");
    cs->established_share = get_number(c, "criteria", "established_share", cs->established_share,
                                       false, line);
    if (!(cs->established_share > 0 && cs->established_share <= 100))
        key_problem(c, "criteria", "established_share", line,
                    "[criteria]: established_share must be above 0 and at most 100");
    cs->no_alternative = !get_bool(c, "criteria", "established_alternatives", true, false, line);
    cs->usual_practice_required =
        get_bool(c, "criteria", "usual_practice_required", false, false, line);
    for (int i = 0; i < EVS_CRITERIA; i++) {
        char name[32], reason_name[48];
        snprintf(name, sizeof name, "criterion_%d", i + 1);
        snprintf(reason_name, sizeof reason_name, "criterion_%d_reason", i + 1);
        evs_ini_entry *v = evs_ini_get(c->ini, "criteria", name);
        evs_ini_entry *why = evs_ini_get(c->ini, "criteria", reason_name);
        if (v == NULL) {
            if (why != NULL)
                ini_problem(c, why, "%s without %s", reason_name, name);
            continue;
        }
        cs->override_line[i] = v->line;
        if (!evs_verdict_from_name(v->value, &cs->override[i])) {
            ini_problem(c, v, "%s: \"%s\" is not one of: met, not_met, undetermined", name,
                        v->value);
            continue;
        }
        cs->has_override[i] = true;
        if (why == NULL || why->value[0] == '\0')
            ini_problem(c, v, "%s: a reviewer's verdict needs its justification in %s", name,
                        reason_name);
        else
            cs->override_reason[i] = copy(c, why->value);
    }
}

static void read_outcomes(ini_ctx *c, evs_review *r)
{
    const char *sec;
    for (size_t pos = 0; (sec = next_section(c->ini, "outcome.", &pos)) != NULL;) {
        evs_outcome_spec *o = grow(c, r->outcomes, r->noutcomes, sizeof *o);
        if (o == NULL)
            return;
        r->outcomes = o;
        o = &r->outcomes[r->noutcomes++];
        long line = section_line(c->ini, sec);
        o->line = line;
        o->id = section_id(c, sec, 8, "an outcome", line);
        if (o->id == NULL)
            return;
        o->label = get_text(c, sec, "label", true, line);
        o->data = get_text(c, sec, "data", true, line);
        o->unit = get_text(c, sec, "unit", false, line);
        if (o->unit == NULL)
            o->unit = copy(c, "patients");
        o->mcid_source = get_text(c, sec, "mcid_source", false, line);
        o->score_label = get_text(c, sec, "score_label", false, line);
        if (o->score_label == NULL && o->label != NULL)
            o->score_label = copy(c, o->label);
        o->noun = get_text(c, sec, "noun", false, line);
        if (o->noun == NULL && o->data != NULL) {
            o->noun = copy(c, o->data);
            for (char *p = o->noun; p != NULL && *p; p++)
                if (*p == '_')
                    *p = ' ';
        }
        o->type = (evs_outcome_type)get_choice(c, sec, "type", outcome_types, 3, 0, true, line);
        o->role = (evs_role)get_choice(c, sec, "role", roles, 2, 0, false, line);
        o->primary = get_bool(c, sec, "primary", false, false, line);
        /* Which way is better, for the plain-language statements. */
        static const char *const better[] = {"lower", "higher"};
        int better_set = get_choice(c, sec, "better", better, 2, -1, false, line);
        o->unstated = (evs_unstated)get_choice(c, sec, "unstated", unstated_names, 2,
                                               EVS_UNSTATED_SEPARATE, false, line);

        static const char *const change_measures[] = {"MC", "SMCR", "SMCC"};
        static const char *const prop_measures[] = {"PLO", "PR", "PAS", "PFT"};
        static const char *const diff_measures[] = {"MD", "SMD", "RR", "OR", "RD"};
        const char *const *measures = o->type == EVS_OUTCOME_CHANGE       ? change_measures
                                      : o->type == EVS_OUTCOME_PROPORTION ? prop_measures
                                                                          : diff_measures;
        int nmeasures = o->type == EVS_OUTCOME_CHANGE       ? 3
                        : o->type == EVS_OUTCOME_PROPORTION ? 4
                                                            : 5;
        int m = get_choice(c, sec, "measure", measures, nmeasures, 0, true, line);
        evs_measure_from_name(measures[m], &o->measure);
        /* Default: scores are coded so that a fall is good (as pain); fewer
         * harms are good, and more of a good event. */
        o->lower_better = better_set >= 0 ? better_set == 0
                          : evs_outcome_binary(o) ? o->role == EVS_ROLE_HARM
                                                  : true;
        static const char *const methods[EVS_METHOD_COUNT] = {
            "FE", "DL", "HE", "HS", "SJ", "ML", "REML", "EB", "PM", "HSk", "PMM"};
        o->method = (evs_method)get_choice(c, sec, "method", methods, EVS_METHOD_COUNT,
                                           EVS_METHOD_REML, false, line);
        static const char *const tests[EVS_TEST_COUNT] = {"z", "knha", "adhoc", "IQWiG6"};
        o->test = (evs_test)get_choice(c, sec, "test", tests, EVS_TEST_COUNT, EVS_TEST_Z, false,
                                       line);

        o->scale_min = get_number(c, sec, "scale_min", NAN, false, line);
        o->scale_max = get_number(c, sec, "scale_max", NAN, false, line);
        if (!isnan(o->scale_min) && !isnan(o->scale_max) && !(o->scale_min < o->scale_max))
            key_problem(c, sec, "scale_max", line, "[%s]: scale_min must be below scale_max", sec);
        o->mcid = get_number(c, sec, "mcid", NAN, true, line);
        if (o->mcid < 0)
            key_problem(c, sec, "mcid", line, "[%s]: mcid must not be negative", sec);
        bool binary = evs_outcome_binary(o);
        if (binary && o->mcid > 100)
            key_problem(c, sec, "mcid", line,
                        "[%s]: mcid of %s is a percentage (0 to 100)", sec,
                        o->type == EVS_OUTCOME_PROPORTION ? "a proportion"
                                                          : "a risk difference, in points,");
        o->control_risk = get_number(c, sec, "control_risk", NAN, false, line);
        if (!isnan(o->control_risk) && !(binary && o->type == EVS_OUTCOME_DIFFERENCE))
            key_problem(c, sec, "control_risk", line,
                        "[%s]: control_risk is for a between-arm comparison of events (RR, OR, RD)",
                        sec);
        else if (!isnan(o->control_risk) && !(o->control_risk > 0 && o->control_risk < 100))
            key_problem(c, sec, "control_risk", line,
                        "[%s]: control_risk is a percentage above 0 and below 100", sec);
        static const char *const models[EVS_POOL_MODELS] = {"rma"};
        o->model = (evs_pool_model)get_choice(c, sec, "model", models, EVS_POOL_MODELS,
                                              EVS_POOL_RMA, false, line);
        o->correlation = get_number(c, sec, "correlation", 0.5, false, line);
        if (!(o->correlation >= -1 && o->correlation <= 1))
            key_problem(c, sec, "correlation", line, "[%s]: correlation must be between -1 and 1",
                        sec);
        o->ois = get_number(c, sec, "ois", NAN, false, line);
        if (o->ois < 0)
            key_problem(c, sec, "ois", line, "[%s]: ois must be 0 or more participants", sec);
        o->ois_rrr = get_number(c, sec, "ois_rrr", r->grade.ois_rrr, false, line);
        if (!(o->ois_rrr > 0 && o->ois_rrr < 100))
            key_problem(c, sec, "ois_rrr", line, "[%s]: ois_rrr must be above 0 and below 100",
                        sec);
        static const char *const bayes_uses[] = {"auto", "yes", "no"};
        o->bayes = (evs_bayes_use)get_choice(c, sec, "bayes", bayes_uses, 3, EVS_BAYES_AUTO,
                                             false, line);
        o->bayes_primary = get_bool(c, sec, "bayes_primary", false, false, line);
        if (o->bayes_primary && o->bayes == EVS_BAYES_NEVER)
            key_problem(c, sec, "bayes_primary", line,
                        "[%s]: bayes_primary = yes needs the Bayesian model (bayes = auto or "
                        "yes)",
                        sec);
        static const char *const priors[] = {"half-normal", "half-Cauchy"};
        o->tau_prior = (evs_tau_prior)get_choice(c, sec, "tau_prior", priors, 2,
                                                 EVS_TAU_PRIOR_HALFNORMAL, false, line);
        o->tau_scale = get_number(c, sec, "tau_scale", NAN, false, line);
        if (!isnan(o->tau_scale) && !(o->tau_scale > 0 && isfinite(o->tau_scale)))
            key_problem(c, sec, "tau_scale", line,
                        "[%s]: tau_scale must be a number above 0 (the scale of the prior on "
                        "tau, on the analysis scale)",
                        sec);
        read_correlations(c, o, sec);
        read_outcome_windows(c, r, o, sec);
        c->section = sec;
        read_outcome_comparators(c, r, o);
        read_grade_overrides(c, o);
        if (o->type != EVS_OUTCOME_PROPORTION && !binary && o->nwindows == 0 &&
            o->unstated == EVS_UNSTATED_EXCLUDE)
            key_problem(c, sec, "windows", line,
                        "[%s]: a change or difference outcome needs windows (or "
                        "unstated = separate)",
                        sec);
    }
}

static void read_policies(ini_ctx *c, evs_review *r)
{
    const char *sec;
    for (size_t pos = 0; (sec = next_section(c->ini, "policy.", &pos)) != NULL;) {
        evs_policy *p = grow(c, r->policies, r->npolicies, sizeof *p);
        if (p == NULL)
            return;
        r->policies = p;
        p = &r->policies[r->npolicies++];
        long line = section_line(c->ini, sec);
        p->line = line;
        p->id = copy(c, sec + 7);
        p->name = get_text(c, sec, "name", true, line);
        p->issuer = get_text(c, sec, "issuer", false, line);
        p->codes = get_text(c, sec, "codes", false, line);
        p->statement = get_text(c, sec, "statement", true, line);
        p->effective = get_date(c, sec, "effective", false, line);
        p->last_review = get_date(c, sec, "last_review", false, line);
        p->next_review_note = get_text(c, sec, "next_review_note", false, line);
        p->literature_search = get_date(c, sec, "literature_search", false, line);
    }
}

/*
 * [sensitivity.ID]: label, exclude (study ids), exclude_overlap, reason.  The
 * ids are checked against studies.csv once it is read (resolve_sensitivities).
 */
static void read_sensitivities(ini_ctx *c, evs_review *r)
{
    const char *sec;
    for (size_t pos = 0; (sec = next_section(c->ini, "sensitivity.", &pos)) != NULL;) {
        evs_sensitivity *x = grow(c, r->sensitivities, r->nsensitivities, sizeof *x);
        if (x == NULL)
            return;
        r->sensitivities = x;
        x = &r->sensitivities[r->nsensitivities++];
        memset(x, 0, sizeof *x);
        long line = section_line(c->ini, sec);
        const evs_ini_entry *ex = evs_ini_get(c->ini, sec, "exclude");
        x->line = ex != NULL ? ex->line : line; /* where an unknown id is reported */
        x->id = section_id(c, sec, strlen("sensitivity."), "a sensitivity analysis", line);
        x->label = get_text(c, sec, "label", true, line);
        x->reason = get_text(c, sec, "reason", true, line);
        x->exclude = get_text(c, sec, "exclude", false, line);
        x->exclude_overlap = get_bool(c, sec, "exclude_overlap", false, false, line);
        if (x->exclude == NULL && !x->exclude_overlap)
            key_problem(c, sec, "exclude", line,
                        "[%s]: say which studies to leave out (exclude = ids, or "
                        "exclude_overlap = yes)",
                        sec);
    }
}

/*
 * [exclusion_reasons]: NAME = label, one line per reason a full-text report
 * may be excluded for (records.csv's ft_reason), in the order the PRISMA
 * flow diagram lists them.
 */
static void read_reasons(ini_ctx *c, evs_review *r)
{
    for (size_t i = 0; i < c->ini->n && !c->oom; i++) {
        evs_ini_entry *e = &c->ini->entries[i];
        if (strcmp(e->section, "exclusion_reasons") != 0)
            continue;
        e->used = 1;
        if (!evs_name_valid(e->name)) {
            evs_problems_add(c->problems, EVS_EDATA, c->ini->file, e->line, 1,
                             "[exclusion_reasons] %s: a reason's name may use only letters, "
                             "digits, '_' and '-'",
                             e->name);
            continue;
        }
        if (e->value[0] == '\0') {
            ini_problem(c, e, "[exclusion_reasons] %s needs a label (the text shown in the "
                              "PRISMA flow diagram)",
                        e->name);
            continue;
        }
        evs_exclusion_reason *x = grow(c, r->reasons, r->nreasons, sizeof *x);
        if (x == NULL)
            return;
        r->reasons = x;
        x = &r->reasons[r->nreasons++];
        x->id = copy(c, e->name);
        x->label = copy(c, e->value);
        x->line = e->line;
    }
}

/*
 * Figures are named KIND_OUTCOME_WINDOW (report/report_plots.c), and '_' may
 * be part of a name, so outcome "a_b" in window "c" and outcome "a" in
 * window "b_c" would write the same file.  Refuse such pairs here, where the
 * sections have lines.  The windows include the two every outcome has,
 * "all" and "unstated".
 */
static void check_figure_names(ini_ctx *c, const evs_review *r)
{
    size_t nw = r->nwindows + 2;
    for (size_t a = 0; a < r->noutcomes; a++)
        for (size_t b = a + 1; b < r->noutcomes; b++)
            for (size_t i = 0; i < nw; i++)
                for (size_t j = 0; j < nw; j++) {
                    const char *oa = r->outcomes[a].id, *ob = r->outcomes[b].id;
                    const char *wa = i < r->nwindows ? r->windows[i].id
                                     : i == r->nwindows ? "all" : "unstated";
                    const char *wb = j < r->nwindows ? r->windows[j].id
                                     : j == r->nwindows ? "all" : "unstated";
                    if (oa == NULL || ob == NULL || wa == NULL || wb == NULL)
                        continue;
                    char x[256], y[256];
                    snprintf(x, sizeof x, "%s_%s", oa, wa);
                    snprintf(y, sizeof y, "%s_%s", ob, wb);
                    if (strcmp(x, y) != 0)
                        continue;
                    char sec[128];
                    snprintf(sec, sizeof sec, "outcome.%s", ob);
                    long line = section_line(c->ini, sec);
                    evs_problems_add(c->problems, EVS_EDATA, c->ini->file, line, 1,
                                     "[outcome.%s] in window %s and [outcome.%s] in window "
                                     "%s would give figures the same name (%s); rename one",
                                     oa, wa, ob, wb, x);
                }
}

/* Whether a path has a ".." component. */
static bool has_dotdot(const char *path)
{
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return true;
        p += n;
        while (*p == '/')
            p++;
    }
    return false;
}

static evs_review *read_review(const char *path, evs_problems *problems)
{
    evs_ini *ini = evs_ini_read(path, problems);
    evs_review *r = calloc(1, sizeof *r);
    if (ini == NULL || r == NULL) {
        evs_ini_free(ini);
        free(r);
        return NULL;
    }
    ini_ctx c = {.ini = ini, .problems = problems};
    r->file = copy(&c, path);
    if (ini->n == 0) {
        evs_ini_free(ini);
        for (int k = 0; k < EVS_VOCABS; k++)
            if (!evs_review_default_vocabulary(r, (evs_vocab_kind)k)) {
                evs_review_free(r);
                return NULL;
            }
        return r; /* unreadable or empty: the problem is already reported */
    }

    long line = section_line(ini, "review");
    if (line == 0)
        evs_problems_add(problems, EVS_EDATA, path, 1, 1, "no [review] section");
    r->id = get_text(&c, "review", "id", true, line);
    r->title = get_text(&c, "review", "title", true, line);
    r->question = get_text(&c, "review", "question", false, line);
    r->population = get_text(&c, "review", "population", false, line);
    r->intervention = get_text(&c, "review", "intervention", false, line);
    r->comparator = get_text(&c, "review", "comparator", false, line);
    /* A date of a search, or at least of when the evidence was assembled: the report
       labels each as what it is. */
    r->literature_search = get_date(&c, "review", "literature_search", false, line);
    r->evidence_assembled = get_date(&c, "review", "evidence_assembled", false, line);
    r->search = get_text(&c, "review", "search", false, line);
    static const char *const quote_rules[] = {"optional", "required"};
    r->quotes_required = get_choice(&c, "review", "quotes", quote_rules, 2, 0, false, line) == 1;
    if (line != 0 && evs_ini_get(ini, "review", "literature_search") == NULL &&
        evs_ini_get(ini, "review", "evidence_assembled") == NULL)
        evs_problems_add(problems, EVS_EDATA, path, line, 1,
                         "[review] needs 'literature_search' (the date of the last search) or "
                         "'evidence_assembled' (the date the evidence base was assembled)");
    r->review_date = get_date(&c, "review", "review_date", false, line);
    r->last_review = get_date(&c, "review", "last_review", false, line);
    r->next_review = get_date(&c, "review", "next_review", false, line);
    r->previous = get_text(&c, "review", "previous", false, line);
    if (r->previous != NULL && (r->previous[0] == '/' || has_dotdot(r->previous)))
        key_problem(&c, "review", "previous", line,
                    "previous must name a file inside the review folder (a relative path "
                    "without \"..\")");
    r->technology = get_text(&c, "review", "technology", false, line);
    r->intervention_label = get_text(&c, "review", "intervention_label", false, line);
    if (r->intervention_label == NULL && r->technology != NULL)
        r->intervention_label = copy(&c, r->technology);
    r->comparator_label = get_text(&c, "review", "comparator_label", false, line);
    if (r->comparator_label == NULL)
        r->comparator_label = copy(&c, "control");
    static const char *const orders[] = {"year", "label", "effect", "weight", "file"};
    r->study_order = (evs_study_order)get_choice(&c, "review", "study_order", orders,
                                                 EVS_ORDER_COUNT, EVS_ORDER_YEAR, false, line);
    evs_ini_entry *level = evs_ini_get(c.ini, "review", "level");
    r->level = evs_level_percent(get_number(&c, "review", "level", 95, false, line));
    if (isnan(r->level)) {
        ini_problem(&c, level, "level: \"%s\" is not a confidence level (expected a "
                               "percentage such as 95, or a fraction such as 0.95)",
                    level->value);
        r->level = 95;
    }
    if (r->technology == NULL && r->title != NULL)
        r->technology = copy(&c, r->title);
    if (r->id != NULL && !evs_name_valid(r->id))
        key_problem(&c, "review", "id", line,
                    "[review] id may use only letters, digits, '_' and '-'");

    long rline = section_line(ini, "regulatory");
    r->regulatory_approved = get_bool(&c, "regulatory", "approved", false, true, rline ? rline : 1);
    r->regulatory_status = get_text(&c, "regulatory", "status", true, rline ? rline : 1);
    r->regulatory_source = get_text(&c, "regulatory", "source", false, rline);

    read_policies(&c, r);
    read_windows(&c, r);
    for (int k = 0; k < EVS_VOCABS; k++)
        read_vocabulary(&c, r, (evs_vocab_kind)k);
    read_grade_settings(&c, r);
    read_rob_settings(&c, r);
    read_criteria(&c, r);
    read_outcomes(&c, r);
    read_reasons(&c, r);
    read_sensitivities(&c, r);
    check_figure_names(&c, r);
    if (r->noutcomes == 0)
        evs_problems_add(problems, EVS_EDATA, path, 0, 0,
                         "no [outcome.NAME] section: nothing to analyse");

    /* Anything not read above is a typo or an unknown setting. */
    for (size_t i = 0; i < ini->n; i++) {
        const evs_ini_entry *e = &ini->entries[i];
        if (e->used)
            continue;
        const char *known = strcmp(e->section, "review") == 0 ||
                                    strcmp(e->section, "regulatory") == 0 ||
                                    strncmp(e->section, "policy.", 7) == 0 ||
                                    strncmp(e->section, "outcome.", 8) == 0 ||
                                    strncmp(e->section, "window.", 7) == 0 ||
                                    strcmp(e->section, "grade") == 0 ||
                                    (strncmp(e->section, "grade.", 6) == 0 &&
                                     evs_review_find_outcome(r, e->section + 6) >= 0) ||
                                    strcmp(e->section, "criteria") == 0 ||
                                    strncmp(e->section, "design.", 7) == 0 ||
                                    strncmp(e->section, "population.", 11) == 0 ||
                                    strncmp(e->section, "comparator.", 11) == 0 ||
                                    strncmp(e->section, "setting.", 8) == 0 ||
                                    strcmp(e->section, "appraisal") == 0 ||
                                    strncmp(e->section, "sensitivity.", 12) == 0
                                ? "unknown setting"
                                : "unknown section";
        evs_problems_add(problems, EVS_EDATA, path, e->line, 1, "%s: [%s] %s", known,
                         e->section, e->name);
    }
    evs_ini_free(ini);
    if (c.oom) {
        evs_review_free(r);
        return NULL;
    }
    return r;
}

/* ---------------------------------------------------------------------------
 * studies.csv and outcomes.csv
 */

typedef struct csv_ctx {
    const evs_table *t;
    evs_evidence *ev;
    evs_problems *problems;
    size_t row;
    bool oom;
} csv_ctx;

#define cell_problem(c, col, ...) \
    evs_table_problem((c)->problems, (c)->t, (c)->row, (col), __VA_ARGS__)

/*
 * For a time written with a unit ("1 month", "6 wk", "2 years"): "; time is
 * in weeks: write 4.35 for 1 month" (issue 15.20), else "".  Months and
 * years are Julian (365.25 days / 12 and 365.25 days).
 */
static const char *time_hint(const char *text, char *buf, size_t size)
{
    static const struct {
        const char *unit;
        double weeks;
    } units[] = {{"day", 1.0 / 7}, {"d", 1.0 / 7}, {"week", 1}, {"wk", 1}, {"w", 1},
                 {"month", 365.25 / 7 / 12}, {"mo", 365.25 / 7 / 12},
                 {"year", 365.25 / 7}, {"yr", 365.25 / 7}, {"y", 365.25 / 7}};
    buf[0] = '\0';
    char *end;
    double x = strtod(text, &end);
    if (end == text || !(x > 0) || !isfinite(x))
        return buf;
    while (*end == ' ')
        end++;
    size_t len = strlen(end);
    if (len > 1 && end[len - 1] == 's') /* plural */
        len--;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
        if (len > 0 && strlen(units[u].unit) == len && strncasecmp(end, units[u].unit, len) == 0) {
            snprintf(buf, size, "; time is in weeks: write %.3g for %s", x * units[u].weeks, text);
            break;
        }
    return buf;
}

/* Text of a cell ("" when the column is absent). */
static const char *cell(csv_ctx *c, long col)
{
    return col >= 0 ? evs_table_cell(c->t, c->row, (size_t)col) : "";
}

static const char *keep(csv_ctx *c, long col)
{
    const char *s = evs_evidence_strdup(c->ev, cell(c, col));
    if (s == NULL)
        c->oom = true;
    return s ? s : "";
}

/* A number cell: NaN when empty; a problem when not a number. */
static double number(csv_ctx *c, long col)
{
    double x;
    if (col < 0)
        return NAN;
    evs_num_status st = evs_parse_number(cell(c, col), &x);
    if (st == EVS_NUM_OK || st == EVS_NUM_EMPTY)
        return x;
    cell_problem(c, col, "%s: \"%.40s\" is not a number: %s", evs_table_name(c->t, (size_t)col),
                 cell(c, col), evs_num_status_hint(st));
    return NAN;
}

enum {
    S_ID, S_LABEL, S_PARENT, S_ARM, S_AUTHOR, S_YEAR, S_CITATION, S_DESIGN, S_POPULATION,
    S_TECHNIQUE, S_GUIDANCE, S_COMPARATOR, S_SETTING, S_N, S_N_SOURCE, S_OVERLAP, S_INCLUDED,
    S_REASON, S_PMID, S_DOI, S_URL, S_POLICY_REF, S_NOTE, S_PUBLICATION, S_COUNT
};

static const evs_column_spec study_columns[S_COUNT] = {
    {"id", true},         {"label", true},       {"parent", false},     {"arm", false},
    {"author", false},    {"year", false},       {"citation", false},   {"design", true},
    {"population", true}, {"technique", false},  {"guidance", false},   {"comparator", false},
    {"setting", false},   {"n", false},          {"n_source", false},   {"overlap_group", false}, {"included", true},
    {"exclusion_reason", false}, {"pmid", false}, {"doi", false},      {"url", false},
    {"policy_ref", false}, {"note", false},  {"publication", false},
};

static void read_study_row(csv_ctx *c, const long *col)
{
    evs_study *s = evs_evidence_add_study(c->ev);
    if (s == NULL) {
        c->oom = true;
        return;
    }
    s->line = evs_table_line(c->t, c->row);
    s->id = keep(c, col[S_ID]);
    s->label = keep(c, col[S_LABEL]);
    s->author = keep(c, col[S_AUTHOR]);
    s->citation = keep(c, col[S_CITATION]);
    s->technique = keep(c, col[S_TECHNIQUE]);
    s->guidance = keep(c, col[S_GUIDANCE]);
    s->overlap_group = keep(c, col[S_OVERLAP]);
    s->exclusion_reason = keep(c, col[S_REASON]);
    s->pmid = keep(c, col[S_PMID]);
    s->doi = keep(c, col[S_DOI]);
    s->url = keep(c, col[S_URL]);
    s->policy_ref = keep(c, col[S_POLICY_REF]);
    s->note = keep(c, col[S_NOTE]);

    /* Design, population, comparator and setting are resolved with the
     * parents (resolve_classes): an arm's empty cell is its study's. */
    if (!evs_name_valid(s->id))
        cell_problem(c, col[S_ID], "id \"%s\" must be letters, digits, '_' or '-' (and not empty)",
                     s->id);
    /* A missing required column is reported once, not on every row. */
    if (s->label[0] == '\0' && col[S_LABEL] >= 0)
        cell_problem(c, col[S_LABEL], "empty label");
    if (!evs_arm_from_name(cell(c, col[S_ARM]), &s->arm))
        cell_problem(c, col[S_ARM], "arm \"%s\" is not empty, intervention or control",
                     cell(c, col[S_ARM]));

    double year = number(c, col[S_YEAR]);
    if (!isnan(year) && !(evs_is_whole(year) && year >= 1900 && year <= 2100))
        cell_problem(c, col[S_YEAR], "year %s is not a year between 1900 and 2100",
                     cell(c, col[S_YEAR]));
    else
        s->year = isnan(year) ? 0 : (int)year;
    s->n = number(c, col[S_N]);
    if (!isnan(s->n) && !(evs_is_whole(s->n) && s->n > 0))
        cell_problem(c, col[S_N], "n must be a whole number greater than 0 (got %s)",
                     cell(c, col[S_N]));
    const char *ns = cell(c, col[S_N_SOURCE]);
    if (strcmp(ns, "secondary") == 0)
        s->n_secondary = true;
    else if (ns[0] != '\0' && strcmp(ns, "primary") != 0)
        cell_problem(c, col[S_N_SOURCE], "n_source \"%s\" is not primary or secondary", ns);
    const char *pub = cell(c, col[S_PUBLICATION]);
    if (strcmp(pub, "abstract") == 0)
        s->abstract = true;
    else if (pub[0] != '\0' && strcmp(pub, "paper") != 0)
        cell_problem(c, col[S_PUBLICATION], "publication \"%s\" is not paper or abstract", pub);

    const char *inc = cell(c, col[S_INCLUDED]);
    if (col[S_INCLUDED] < 0)
        return;
    if (strcmp(inc, "yes") == 0)
        s->included = true;
    else if (strcmp(inc, "no") != 0)
        cell_problem(c, col[S_INCLUDED], "included must be yes or no (got \"%s\")", inc);
    if (!s->included && s->exclusion_reason[0] == '\0')
        cell_problem(c, col[S_REASON] >= 0 ? col[S_REASON] : col[S_INCLUDED],
                     "an excluded study needs an exclusion_reason");
}

/* The ids of a vocabulary, for a message: "a, b, c". */
static void class_list(const evs_review *rv, evs_vocab_kind k, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; i < rv->vocab[k].n; i++) {
        strncat(buf, i ? ", " : "", size - strlen(buf) - 1);
        strncat(buf, rv->vocab[k].items[i].id, size - strlen(buf) - 1);
    }
}

/*
 * The class of kind k named in column `col` of study i's row: an arm's empty
 * cell is its parent's; a whole study's empty cell is `fallback` (or a
 * problem when the field is required).  An open vocabulary (populations not
 * declared) takes every value it sees.
 */
static size_t resolve_class(const evs_table *t, evs_review *rv, evs_evidence *ev, size_t i,
                            long col, evs_vocab_kind k, size_t inherited, size_t fallback,
                            bool required, evs_problems *problems)
{
    const evs_study *s = &ev->studies[i];
    const char *file = evs_table_source(t);
    const char *text = col >= 0 ? evs_table_cell(t, i, (size_t)col) : "";
    if (text[0] == '\0') {
        if (s->parent >= 0)
            return inherited;
        if (required && col >= 0)
            evs_problems_add(problems, EVS_EDATA, file, s->line, col + 1, "empty %s",
                             evs_vocab_name(k));
        return fallback;
    }
    size_t c = evs_review_find_class(rv, k, text);
    if (c == EVS_NO_CLASS && rv->vocab[k].open) {
        if (!evs_name_valid(text)) {
            evs_problems_add(problems, EVS_EDATA, file, s->line, col + 1,
                             "%s \"%s\" must be letters, digits, '_' or '-'", evs_vocab_name(k),
                             text);
            return fallback;
        }
        c = evs_review_add_class(rv, k, text);
        if (c == EVS_NO_CLASS)
            evs_problems_add(problems, EVS_EDATA, file, s->line, col + 1,
                             "more than %d %ss: declare them in review.ini", EVS_MAX_CLASSES,
                             evs_vocab_name(k));
        return c == EVS_NO_CLASS ? fallback : c;
    }
    if (c == EVS_NO_CLASS) {
        char list[1024];
        class_list(rv, k, list, sizeof list);
        evs_problems_add(problems, EVS_EDATA, file, s->line, col + 1,
                         "%s \"%s\" is not one of: %s (or declare [%s.%s] in review.ini)",
                         evs_vocab_name(k), text, list, evs_vocab_name(k), text);
        return fallback;
    }
    return c;
}

/* An arm's descriptive fields, where empty, are its study's. */
static void inherit_text(evs_study *arm, const evs_study *p)
{
    const char **mine[] = {&arm->author, &arm->citation, &arm->technique, &arm->guidance};
    const char *const theirs[] = {p->author, p->citation, p->technique, p->guidance};
    for (size_t j = 0; j < sizeof mine / sizeof mine[0]; j++)
        if ((*mine[j])[0] == '\0')
            *mine[j] = theirs[j];
    if (arm->year == 0)
        arm->year = p->year;
}

/* Design, population, comparator and setting of every record, whole studies first. */
static void resolve_classes(const evs_table *t, evs_review *rv, evs_evidence *ev, const long *col,
                            evs_problems *problems)
{
    const char *file = evs_table_source(t);
    size_t none = EVS_NO_CLASS;
    for (size_t i = 0; i < rv->vocab[EVS_VOCAB_COMPARATOR].n && none == EVS_NO_CLASS; i++)
        if (rv->vocab[EVS_VOCAB_COMPARATOR].items[i].role == EVS_COMPARATOR_NONE)
            none = i;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < ev->nstudies; i++) {
            evs_study *s = &ev->studies[i];
            if ((s->parent >= 0) != (pass == 1))
                continue;
            const evs_study *p = s->parent >= 0 ? &ev->studies[s->parent] : s;
            if (s->parent >= 0)
                inherit_text(s, p);
            s->design = resolve_class(t, rv, ev, i, col[S_DESIGN], EVS_VOCAB_DESIGN, p->design,
                                      EVS_NO_CLASS, true, problems);
            s->population = resolve_class(t, rv, ev, i, col[S_POPULATION], EVS_VOCAB_POPULATION,
                                          p->population, EVS_NO_CLASS, true, problems);
            s->comparator = resolve_class(t, rv, ev, i, col[S_COMPARATOR], EVS_VOCAB_COMPARATOR,
                                          p->comparator, none, false, problems);
            s->setting = resolve_class(t, rv, ev, i, col[S_SETTING], EVS_VOCAB_SETTING,
                                       p->setting, EVS_NO_CLASS, false, problems);
            if (s->parent >= 0 && s->design != p->design && s->design != EVS_NO_CLASS &&
                p->design != EVS_NO_CLASS)
                evs_problems_add(problems, EVS_EDATA, file, s->line, col[S_DESIGN] + 1,
                                 "an arm has its study's design (%s): leave it empty",
                                 evs_review_class(rv, EVS_VOCAB_DESIGN, p->design)->id);
            if (s->arm == EVS_ARM_CONTROL &&
                (s->comparator == EVS_NO_CLASS ||
                 evs_review_class(rv, EVS_VOCAB_COMPARATOR, s->comparator)->role ==
                     EVS_COMPARATOR_NONE))
                evs_problems_add(problems, EVS_EDATA, file, s->line,
                                 (col[S_COMPARATOR] >= 0 ? col[S_COMPARATOR] : col[S_ARM]) + 1,
                                 "a control arm needs the comparator it received (sham, usual "
                                 "care...), here or on its study");
            if (s->included && s->design != EVS_NO_CLASS &&
                evs_review_class(rv, EVS_VOCAB_DESIGN, s->design)->role == EVS_DESIGN_BENCHMARK)
                evs_problems_add(problems, EVS_EDATA, file, s->line, col[S_INCLUDED] + 1,
                                 "a systematic review is a benchmark and is never pooled: set "
                                 "included to no");
        }
}

/* Checks across the rows of studies.csv. */
static void check_studies(const evs_table *t, evs_review *rv, evs_evidence *ev, const long *col,
                          evs_problems *problems)
{
    const char *file = evs_table_source(t);
    for (size_t i = 0; i < ev->nstudies; i++) {
        evs_study *s = &ev->studies[i];
        for (size_t j = 0; j < i; j++)
            if (strcmp(ev->studies[j].id, s->id) == 0)
                evs_problems_add(problems, EVS_EDATA, file, s->line, col[S_ID] + 1,
                                 "duplicate id \"%s\" (also on line %ld)", s->id,
                                 ev->studies[j].line);
    }
    for (size_t i = 0; i < ev->nstudies; i++) {
        evs_study *s = &ev->studies[i];
        const char *parent = evs_table_cell(t, i, (size_t)(col[S_PARENT] >= 0 ? col[S_PARENT] : 0));
        if (col[S_PARENT] < 0 || parent[0] == '\0') {
            if (s->arm != EVS_ARM_WHOLE)
                evs_problems_add(problems, EVS_EDATA, file, s->line, col[S_ARM] + 1,
                                 "an arm needs a parent study");
            continue;
        }
        long p = evs_evidence_find(ev, parent);
        if (p < 0) {
            evs_problems_add(problems, EVS_EDATA, file, s->line, col[S_PARENT] + 1,
                             "unknown study id \"%s\"", parent);
            continue;
        }
        if (ev->studies[p].parent >= 0 || (size_t)p == i) {
            evs_problems_add(problems, EVS_EDATA, file, s->line, col[S_PARENT] + 1,
                             "the parent \"%s\" must be a whole study", parent);
            continue;
        }
        s->parent = p;
        if (s->arm == EVS_ARM_WHOLE)
            evs_problems_add(problems, EVS_EDATA, file, s->line, col[S_ARM] + 1,
                             "a row with a parent is an arm: set arm to intervention or control");
        if (s->included && !ev->studies[p].included)
            evs_problems_add(problems, EVS_EDATA, file, s->line, col[S_INCLUDED] + 1,
                             "included, but its parent %s is not", ev->studies[p].id);
    }
    resolve_classes(t, rv, ev, col, problems);
    /* Overlapping populations contribute once: several reports of a group may be
       included, and each analysis uses one of them (dataset.h). */
}

enum {
    O_STUDY, O_OUTCOME, O_TIME, O_TIME_LABEL, O_SCALE, O_UNIT, O_DEFINITION, O_N, O_MEAN, O_SD,
    O_SE, O_CI_LB, O_CI_UB, O_MEDIAN, O_Q1, O_Q3, O_MIN, O_MAX, O_EVENTS, O_PERCENT, O_SOURCE,
    O_URL, O_QUOTE, O_NOTE, O_DERIVATION, O_CERTAINTY, O_COUNT
};

static const evs_column_spec obs_columns[O_COUNT] = {
    {"study", true},   {"outcome", true}, {"time", true},     {"time_label", false},
    {"scale", false},  {"unit", false},   {"definition", false}, {"n", false},
    {"mean", false},   {"sd", false},     {"se", false},      {"ci_lb", false},
    {"ci_ub", false},  {"median", false}, {"q1", false},      {"q3", false},
    {"min", false},    {"max", false},    {"events", false},  {"percent", false},
    {"source", false}, {"url", false},    {"quote", false},   {"note", false},
    {"derivation", false}, {"certainty", false},
};

/* Column of each value field, in evs_obs_field order. */
static const int obs_field_column[EVS_OBS_FIELD_COUNT] = {
    O_N, O_MEAN, O_SD, O_SE, O_CI_LB, O_CI_UB, O_MEDIAN, O_Q1, O_Q3, O_MIN, O_MAX, O_EVENTS,
    O_PERCENT,
};

static void read_obs_row(csv_ctx *c, const long *col)
{
    evs_obs *o = evs_evidence_add_obs(c->ev);
    if (o == NULL) {
        c->oom = true;
        return;
    }
    o->line = evs_table_line(c->t, c->row);
    const char *study = cell(c, col[O_STUDY]);
    long s = evs_evidence_find(c->ev, study);
    if (s < 0) {
        cell_problem(c, col[O_STUDY], "unknown study id \"%s\"", study);
        o->study = (size_t)-1;
    } else {
        o->study = (size_t)s;
    }
    o->outcome = keep(c, col[O_OUTCOME]);
    if (!evs_name_valid(o->outcome))
        cell_problem(c, col[O_OUTCOME], "outcome \"%s\" must be letters, digits, '_' or '-'",
                     o->outcome);
    o->time_label = keep(c, col[O_TIME_LABEL]);
    o->scale = keep(c, col[O_SCALE]);
    o->unit = keep(c, col[O_UNIT]);
    if (o->unit[0] == '\0')
        o->unit = "patients";
    o->definition = keep(c, col[O_DEFINITION]);
    o->url = keep(c, col[O_URL]);
    o->quote = keep(c, col[O_QUOTE]);
    o->note = keep(c, col[O_NOTE]);
    o->derivation = keep(c, col[O_DERIVATION]);
    o->certainty = keep(c, col[O_CERTAINTY]);
    if (o->certainty[0] != '\0' && !evs_published_certainty(o->certainty, NULL, NULL))
        cell_problem(c, col[O_CERTAINTY],
                     "certainty \"%s\" is not high, moderate, low, very_low, two of them "
                     "joined by '-' (a range: high-moderate), or not_stated",
                     o->certainty);

    const char *time = cell(c, col[O_TIME]);
    if (strcmp(time, "baseline") == 0) {
        o->time = EVS_TIME_BASELINE;
    } else if (strcmp(time, "unstated") == 0) {
        o->time = EVS_TIME_UNSTATED;
    } else {
        o->time = EVS_TIME_WEEKS;
        char hint[160];
        if (evs_parse_number(time, &o->weeks) != EVS_NUM_OK || !(o->weeks > 0))
            cell_problem(c, col[O_TIME],
                         "time \"%s\" is not baseline, unstated or a number of weeks above 0%s",
                         time, time_hint(time, hint, sizeof hint));
    }
    const char *source = cell(c, col[O_SOURCE]);
    if (strcmp(source, "secondary") == 0)
        o->secondary = true;
    else if (source[0] != '\0' && strcmp(source, "primary") != 0)
        cell_problem(c, col[O_SOURCE], "source \"%s\" is not primary or secondary", source);

    bool any = false;
    for (int f = 0; f < EVS_OBS_FIELD_COUNT; f++) {
        o->v[f] = number(c, col[obs_field_column[f]]);
        any |= !isnan(o->v[f]) && f != EVS_OBS_N;
    }
    const double *v = o->v;
#define COL(f) col[obs_field_column[f]]
    if (!any && o->certainty[0] == '\0')
        cell_problem(c, col[O_OUTCOME], "no value: give a mean, median, events or percent");
    if (!isnan(v[EVS_OBS_N]) && !(evs_is_whole(v[EVS_OBS_N]) && v[EVS_OBS_N] > 0))
        cell_problem(c, COL(EVS_OBS_N), "n must be a whole number greater than 0 (got %s)",
                     cell(c, COL(EVS_OBS_N)));
    if (!isnan(v[EVS_OBS_EVENTS])) {
        if (!(evs_is_whole(v[EVS_OBS_EVENTS]) && v[EVS_OBS_EVENTS] >= 0))
            cell_problem(c, COL(EVS_OBS_EVENTS), "events must be a whole number, 0 or more");
        else if (isnan(v[EVS_OBS_N]))
            cell_problem(c, COL(EVS_OBS_EVENTS), "events without n");
        else if (v[EVS_OBS_EVENTS] > v[EVS_OBS_N])
            cell_problem(c, COL(EVS_OBS_EVENTS), "events (%s) are more than n (%s)",
                         cell(c, COL(EVS_OBS_EVENTS)), cell(c, COL(EVS_OBS_N)));
    }
    if (!isnan(v[EVS_OBS_PERCENT]) && !(v[EVS_OBS_PERCENT] >= 0 && v[EVS_OBS_PERCENT] <= 100))
        cell_problem(c, COL(EVS_OBS_PERCENT), "percent must be between 0 and 100");
    if (!isnan(v[EVS_OBS_SD]) && !(v[EVS_OBS_SD] > 0))
        cell_problem(c, COL(EVS_OBS_SD), "sd must be greater than 0 (got %s)",
                     cell(c, COL(EVS_OBS_SD)));
    if (!isnan(v[EVS_OBS_SE]) && !(v[EVS_OBS_SE] > 0))
        cell_problem(c, COL(EVS_OBS_SE), "se must be greater than 0 (got %s)",
                     cell(c, COL(EVS_OBS_SE)));
    if (isnan(v[EVS_OBS_CI_LB]) != isnan(v[EVS_OBS_CI_UB]))
        cell_problem(c, COL(isnan(v[EVS_OBS_CI_LB]) ? EVS_OBS_CI_UB : EVS_OBS_CI_LB),
                     "give both bounds of the confidence interval");
    else if (!isnan(v[EVS_OBS_CI_LB]) && !(v[EVS_OBS_CI_LB] < v[EVS_OBS_CI_UB]))
        cell_problem(c, COL(EVS_OBS_CI_LB), "ci_lb must be below ci_ub");
    static const evs_obs_field order[] = {EVS_OBS_MIN, EVS_OBS_Q1, EVS_OBS_MEDIAN, EVS_OBS_Q3,
                                          EVS_OBS_MAX};
    double last = -INFINITY;
    evs_obs_field last_f = EVS_OBS_MIN;
    for (size_t i = 0; i < 5; i++) {
        double x = v[order[i]];
        if (isnan(x))
            continue;
        if (x < last)
            cell_problem(c, COL(order[i]), "%s (%s) is below %s (%s)",
                         evs_obs_field_name(order[i]), cell(c, COL(order[i])),
                         evs_obs_field_name(last_f), cell(c, COL(last_f)));
        last = x;
        last_f = order[i];
    }
#undef COL
}

/* Observations: duplicates, and scores inside the scale the review sets. */
static void check_obs(const evs_table *t, const evs_evidence *ev, const evs_review *rv,
                      const long *col, evs_problems *problems)
{
    const char *file = evs_table_source(t);
    for (size_t i = 0; i < ev->nobs; i++) {
        const evs_obs *o = &ev->obs[i];
        for (size_t j = 0; j < i; j++) {
            const evs_obs *p = &ev->obs[j];
            if (p->study == o->study && strcmp(p->outcome, o->outcome) == 0 &&
                p->time == o->time && (o->time != EVS_TIME_WEEKS || p->weeks == o->weeks) &&
                strcmp(p->unit, o->unit) == 0) {
                evs_problems_add(problems, EVS_EDATA, file, o->line, col[O_TIME] + 1,
                                 "duplicate row: same study, outcome and time as line %ld",
                                 p->line);
                break;
            }
        }
        if (rv == NULL)
            continue;
        if (o->certainty[0] != '\0' && o->study < ev->nstudies &&
            evs_review_class(rv, EVS_VOCAB_DESIGN, ev->studies[o->study].design)->role !=
                EVS_DESIGN_BENCHMARK)
            evs_problems_add(problems, EVS_EDATA, file, o->line, col[O_CERTAINTY] + 1,
                             "certainty is a published review's rating: %s is not a "
                             "systematic review (a design with role benchmark)",
                             ev->studies[o->study].id);
        for (size_t k = 0; k < rv->noutcomes; k++) {
            const evs_outcome_spec *spec = &rv->outcomes[k];
            if (spec->data == NULL || isnan(spec->scale_min) || isnan(spec->scale_max))
                continue;
            size_t n = strlen(spec->data);
            bool level = strcmp(o->outcome, spec->data) == 0;
            bool prefix = strncmp(o->outcome, spec->data, n) == 0;
            bool diff = prefix && strcmp(o->outcome + n, "_difference") == 0;
            bool change = diff || (prefix && strcmp(o->outcome + n, "_change") == 0);
            if (!level && !change)
                continue;
            double span = spec->scale_max - spec->scale_min;
            double lo = change ? -span : spec->scale_min, hi = change ? span : spec->scale_max;
            static const evs_obs_field scored[] = {EVS_OBS_MEAN, EVS_OBS_MEDIAN, EVS_OBS_Q1,
                                                   EVS_OBS_Q3,   EVS_OBS_MIN,    EVS_OBS_MAX,
                                                   EVS_OBS_CI_LB, EVS_OBS_CI_UB};
            for (size_t f = 0; f < sizeof scored / sizeof scored[0]; f++) {
                double x = o->v[scored[f]];
                if (!isnan(x) && (x < lo || x > hi))
                    evs_problems_add(problems, EVS_EDATA, file, o->line,
                                     col[obs_field_column[scored[f]]] + 1,
                                     "%s %g is outside the scale of %s%s (%g to %g)",
                                     evs_obs_field_name(scored[f]), x, spec->id,
                                     diff     ? " for a difference"
                                     : change ? " for a change"
                                              : "",
                                     lo, hi);
            }
        }
    }
}

static evs_table *read_csv(const char *path, evs_problems *problems)
{
    evs_error err;
    evs_error_clear(&err);
    evs_table *t = evs_table_read(path, &err);
    if (t == NULL)
        evs_problems_add_error(problems, &err);
    return t;
}

/* [sensitivity.ID] exclude: each id a study of studies.csv (review.ini's line). */
static void resolve_sensitivities(evs_review *rv, const evs_evidence *ev, evs_problems *problems)
{
    for (size_t i = 0; i < rv->nsensitivities; i++) {
        evs_sensitivity *x = &rv->sensitivities[i];
        if (x->exclude == NULL)
            continue;
        char *buf = strdup(x->exclude);
        if (buf == NULL) {
            evs_problems_add(problems, EVS_ENOMEM, rv->file, x->line, 0, "out of memory");
            return;
        }
        char *items[EVS_MAX_SENSITIVITY_STUDIES];
        size_t n = split_list(buf, items, EVS_MAX_SENSITIVITY_STUDIES);
        if (n > EVS_MAX_SENSITIVITY_STUDIES)
            evs_problems_add(problems, EVS_EDATA, rv->file, x->line, 1,
                             "[sensitivity.%s] exclude: at most %d studies", x->id,
                             EVS_MAX_SENSITIVITY_STUDIES);
        for (size_t j = 0; j < n && j < EVS_MAX_SENSITIVITY_STUDIES; j++) {
            long s = evs_evidence_find(ev, items[j]);
            if (s < 0)
                evs_problems_add(problems, EVS_EDATA, rv->file, x->line, 1,
                                 "[sensitivity.%s] exclude: \"%s\" is not a study of "
                                 "studies.csv",
                                 x->id, items[j]);
            else
                x->studies[x->nstudies++] = (size_t)s;
        }
        free(buf);
    }
}

evs_status evs_review_load(const char *dir, evs_review **review, evs_evidence **evidence,
                           evs_problems *problems)
{
    char path[4096];
    *review = NULL;
    *evidence = NULL;
    size_t before = evs_problems_errors(problems); /* warnings do not stop a review */

    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        evs_problems_add(problems, EVS_EIO, dir, 0, 0, "cannot open the review folder: %s",
                         stat(dir, &st) != 0 ? strerror(errno) : "not a folder");
        return evs_problems_status(problems);
    }

    snprintf(path, sizeof path, "%s/review.ini", dir);
    evs_review *rv = read_review(path, problems);

    evs_evidence *ev = evs_evidence_alloc();
    evs_table *studies = NULL, *outcomes = NULL;
    bool oom = rv == NULL || ev == NULL;
    if (!oom) {
        snprintf(path, sizeof path, "%s/studies.csv", dir);
        studies = read_csv(path, problems);
        snprintf(path, sizeof path, "%s/outcomes.csv", dir);
        outcomes = read_csv(path, problems);
    }
    bool studies_ok = false;
    if (studies != NULL) {
        long col[S_COUNT];
        evs_table_columns(studies, study_columns, S_COUNT, col, problems);
        ev->studies_file = evs_evidence_strdup(ev, evs_table_source(studies));
        csv_ctx c = {.t = studies, .ev = ev, .problems = problems};
        if (col[S_ID] >= 0)
            for (c.row = 0; c.row < evs_table_nrows(studies) && !c.oom; c.row++)
                read_study_row(&c, col);
        oom |= c.oom;
        if (!oom && col[S_ID] >= 0)
            check_studies(studies, rv, ev, col, problems);
        studies_ok = col[S_ID] >= 0;
        if (!oom)
            resolve_sensitivities(rv, ev, problems);
    }
    if (outcomes != NULL && studies != NULL) {
        long col[O_COUNT];
        evs_table_columns(outcomes, obs_columns, O_COUNT, col, problems);
        ev->outcomes_file = evs_evidence_strdup(ev, evs_table_source(outcomes));
        csv_ctx c = {.t = outcomes, .ev = ev, .problems = problems};
        if (col[O_STUDY] >= 0 && col[O_OUTCOME] >= 0 && col[O_TIME] >= 0) {
            for (c.row = 0; c.row < evs_table_nrows(outcomes) && !c.oom; c.row++)
                read_obs_row(&c, col);
            oom |= c.oom;
            long field_col[EVS_OBS_FIELD_COUNT];
            for (int f = 0; f < EVS_OBS_FIELD_COUNT; f++)
                field_col[f] = col[obs_field_column[f]] + 1;
            if (!oom) {
                check_obs(outcomes, ev, rv, col, problems);
                evs_plausibility_values(rv, ev, field_col, problems);
            }
            /* Traceability and the effects' plausibility need the datasets, so
             * only a review without other errors. */
            if (!oom && evs_problems_errors(problems) == before) {
                evs_trace_check(rv, ev, field_col, col[O_DERIVATION] + 1, problems);
                if (evs_problems_errors(problems) == before)
                    evs_plausibility_effects(rv, ev, field_col, problems);
            }
        }
    }
    evs_table_free(studies);
    evs_table_free(outcomes);
    /* appraisal.csv is optional; it is read once the studies it names are known. */
    snprintf(path, sizeof path, "%s/appraisal.csv", dir);
    if (!oom && studies_ok && access(path, F_OK) == 0)
        ev->appraisal = evs_appraisal_read(path, rv, ev, problems);
    if (oom)
        evs_problems_add(problems, EVS_ENOMEM, dir, 0, 0, "out of memory");
    if (evs_problems_errors(problems) > before || oom) {
        evs_review_free(rv);
        evs_evidence_free(ev);
        return evs_problems_status(problems);
    }
    *review = rv;
    *evidence = ev;
    return EVS_OK;
}
