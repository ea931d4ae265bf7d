/*
 * records_io.c -- records.csv and decisions.csv (see records_io.h).
 */
#include "io/records_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/numparse.h"
#include "io/table.h"

typedef struct ctx {
    const evs_table *t;
    evs_problems *problems;
    size_t row;
    long col[EVS_RC_COUNT]; /* also the columns of decisions.csv */
    bool oom;
} ctx;

#define cell_problem(c, col, ...) \
    evs_table_problem((c)->problems, (c)->t, (c)->row, (col), __VA_ARGS__)

/*
 * A cell's text ("" when the column is absent).  evsynth writes a leading
 * apostrophe before = + - @ so that a spreadsheet does not run the cell as
 * a formula; it is not part of the value.
 */
static const char *cell(const ctx *c, long col)
{
    if (col < 0)
        return "";
    const char *s = evs_table_cell(c->t, c->row, (size_t)col);
    if (s[0] == '\'' && s[1] != '\0' && strchr("=+-@\t", s[1]) != NULL)
        return s + 1;
    return s;
}

/*
 * DIR/NAME, a file a review folder may lack, read into *t with its path in
 * path[4200].  NULL in *t (and false) when the folder has no such file, or
 * when it cannot be read, which is then a problem.
 */
static bool read_optional(const char *dir, const char *name, char path[4200], evs_table **t,
                          evs_problems *problems)
{
    *t = NULL;
    snprintf(path, 4200, "%s/%s", dir, name);
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT)
        return false;
    evs_error err;
    evs_error_clear(&err);
    if ((*t = evs_table_read(path, &err)) == NULL)
        evs_problems_add_error(problems, &err);
    return *t != NULL;
}

/* ---------------------------------------------------------------------------
 * records.csv
 */

static const bool record_required[EVS_RC_COUNT] = {
    [EVS_RC_ID] = true, [EVS_RC_SOURCE] = true, [EVS_RC_SOURCE_TYPE] = true,
    [EVS_RC_SEARCH] = true, [EVS_RC_TITLE] = true,
};

static bool keep(ctx *c, evs_record *r, char **field, evs_record_column col)
{
    (void)r;
    if (!evs_record_set(field, cell(c, c->col[col]))) {
        c->oom = true;
        return false;
    }
    return true;
}

/* One row: the values where they stand. */
static void read_record(ctx *c, evs_screening_log *log, const evs_review *rv)
{
    evs_record *r = evs_screening_log_add(log);
    if (r == NULL) {
        c->oom = true;
        return;
    }
    const long *col = c->col;
    r->line = evs_table_line(c->t, c->row);
    struct {
        char **field;
        evs_record_column col;
    } text[] = {
        {&r->id, EVS_RC_ID},           {&r->source, EVS_RC_SOURCE},
        {&r->search, EVS_RC_SEARCH},   {&r->date_added, EVS_RC_DATE_ADDED},
        {&r->pmid, EVS_RC_PMID},       {&r->doi, EVS_RC_DOI},
        {&r->first_author, EVS_RC_FIRST_AUTHOR}, {&r->title, EVS_RC_TITLE},
        {&r->journal, EVS_RC_JOURNAL}, {&r->pub_type, EVS_RC_PUB_TYPE},
        {&r->duplicate_of, EVS_RC_DUPLICATE_OF}, {&r->ft_reason, EVS_RC_FT_REASON},
        {&r->study, EVS_RC_STUDY},     {&r->note, EVS_RC_NOTE},
        {&r->imported_from, EVS_RC_IMPORTED_FROM}, {&r->abstract, EVS_RC_ABSTRACT},
    };
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        if (!keep(c, r, text[i].field, text[i].col))
            return;

    if (!evs_name_valid(r->id))
        cell_problem(c, col[EVS_RC_ID], "id \"%s\" must be letters, digits, '_' or '-'", r->id);
    if (r->source[0] == '\0')
        cell_problem(c, col[EVS_RC_SOURCE], "source is empty: name the database, register or "
                                            "other source (e.g. PubMed)");
    const char *type = cell(c, col[EVS_RC_SOURCE_TYPE]);
    if (!evs_source_type_from_name(type, &r->source_type))
        cell_problem(c, col[EVS_RC_SOURCE_TYPE],
                     "source_type \"%s\" is not database, register or other", type);
    if (!evs_date_valid(r->search))
        cell_problem(c, col[EVS_RC_SEARCH],
                     "search \"%s\" is not a date (the date of the search, YYYY-MM-DD)",
                     r->search);
    else if (rv != NULL && rv->literature_search != NULL &&
             strcmp(r->search, rv->literature_search) > 0)
        cell_problem(c, col[EVS_RC_SEARCH],
                     "search %s is later than the review's literature_search (%s in review.ini)",
                     r->search, rv->literature_search);
    if (r->date_added[0] != '\0' && !evs_date_valid(r->date_added))
        cell_problem(c, col[EVS_RC_DATE_ADDED], "date_added \"%s\" is not a date (YYYY-MM-DD)",
                     r->date_added);
    char key[512];
    if (r->pmid[0] != '\0' && evs_key_pmid(r->pmid, key, sizeof key) == 0)
        cell_problem(c, col[EVS_RC_PMID], "pmid \"%s\" is not a PubMed id (digits only)",
                     r->pmid);
    if (r->doi[0] != '\0' && evs_key_doi(r->doi, key, sizeof key) == 0)
        cell_problem(c, col[EVS_RC_DOI], "doi \"%s\" is not a DOI (it starts with \"10.\")",
                     r->doi);
    const char *year = cell(c, col[EVS_RC_YEAR]);
    double y;
    evs_num_status ys = evs_parse_number(year, &y);
    if (ys == EVS_NUM_OK && evs_is_whole(y) && y >= 1800 && y <= 2200)
        r->year = (int)y;
    else if (ys != EVS_NUM_EMPTY)
        cell_problem(c, col[EVS_RC_YEAR], "year \"%s\" is not a year", year);
    if (r->title[0] == '\0')
        cell_problem(c, col[EVS_RC_TITLE], "title is empty: a record needs a title to be "
                                           "screened");

    const char *match = cell(c, col[EVS_RC_DUPLICATE_MATCH]);
    if (!evs_match_from_name(match, &r->duplicate_match))
        cell_problem(c, col[EVS_RC_DUPLICATE_MATCH],
                     "duplicate_match \"%s\" is not pmid, doi or title", match);
    else if (match[0] != '\0' && r->duplicate_of[0] == '\0')
        cell_problem(c, col[EVS_RC_DUPLICATE_MATCH], "duplicate_match without duplicate_of");

    const char *ta = cell(c, col[EVS_RC_TA]);
    const char *ft = cell(c, col[EVS_RC_FT]);
    bool ta_ok = evs_ta_from_name(ta, &r->ta), ft_ok = evs_ft_from_name(ft, &r->ft);
    if (!ta_ok)
        cell_problem(c, col[EVS_RC_TA], "ta_decision \"%s\" is not include or exclude (or empty: "
                                        "not screened yet)",
                     ta);
    if (!ft_ok)
        cell_problem(c, col[EVS_RC_FT], "ft_decision \"%s\" is not include, exclude or "
                                        "not_retrieved (or empty: not assessed yet)",
                     ft);
    if (!ta_ok || !ft_ok)
        return;

    if (r->duplicate_of[0] != '\0') {
        if (r->ta != EVS_TA_PENDING || r->ft != EVS_FT_PENDING)
            cell_problem(c, col[r->ta != EVS_TA_PENDING ? EVS_RC_TA : EVS_RC_FT],
                         "a duplicate is removed before screening: leave ta_decision and "
                         "ft_decision empty, or clear duplicate_of");
        if (r->ft_reason[0] != '\0' || r->study[0] != '\0')
            cell_problem(c, col[r->ft_reason[0] != '\0' ? EVS_RC_FT_REASON : EVS_RC_STUDY],
                         "a duplicate has no %s: the record it duplicates has it",
                         r->ft_reason[0] != '\0' ? "ft_reason" : "study");
        return;
    }
    if (r->source_type == EVS_SOURCE_OTHER && r->ta != EVS_TA_PENDING)
        cell_problem(c, col[EVS_RC_TA],
                     "a record from other methods (source_type other) is not screened on its "
                     "title and abstract in PRISMA 2020: leave ta_decision empty and give "
                     "ft_decision");
    if (r->source_type != EVS_SOURCE_OTHER && r->ft != EVS_FT_PENDING &&
        r->ta != EVS_TA_INCLUDE)
        cell_problem(c, col[EVS_RC_FT],
                     "ft_decision %s for a record %s on title and abstract: only records "
                     "included at that stage are sought in full text",
                     r->ft == EVS_FT_NOT_RETRIEVED ? "not_retrieved" : evs_ft_name(r->ft),
                     r->ta == EVS_TA_EXCLUDE ? "excluded" : "not screened");
    if (r->ft == EVS_FT_EXCLUDE) {
        if (r->ft_reason[0] == '\0')
            cell_problem(c, col[EVS_RC_FT_REASON] >= 0 ? col[EVS_RC_FT_REASON] : col[EVS_RC_FT],
                         "an excluded full text needs a reason (ft_reason, one of "
                         "[exclusion_reasons] in review.ini)");
        else if (rv != NULL && evs_review_find_reason(rv, r->ft_reason) < 0)
            cell_problem(c, col[EVS_RC_FT_REASON],
                         "ft_reason \"%s\" is not one of the reasons the review declares "
                         "([exclusion_reasons] in review.ini)",
                         r->ft_reason);
    } else if (r->ft_reason[0] != '\0') {
        cell_problem(c, col[EVS_RC_FT_REASON], "ft_reason without ft_decision = exclude");
    }
    if (r->ft == EVS_FT_INCLUDE && r->study[0] == '\0')
        cell_problem(c, col[EVS_RC_STUDY] >= 0 ? col[EVS_RC_STUDY] : col[EVS_RC_FT],
                     "an included full text names its study (study, an id of studies.csv)");
}

/* The row of a record's cell, for cross-row messages. */
static void row_problem(evs_problems *p, const evs_table *t, const evs_record *r, long col,
                        const char *msg)
{
    evs_problems_add(p, EVS_EDATA, evs_table_source(t), r->line, col + 1, "%s", msg);
}

/* Checks across rows, and against studies.csv. */
static void check_log(const evs_table *t, const long *col, const evs_screening_log *log,
                      const evs_evidence *ev, evs_problems *problems)
{
    char msg[EVS_ERROR_MESSAGE_MAX];
    for (size_t i = 0; i < log->n; i++) {
        const evs_record *r = &log->records[i];
        for (size_t j = 0; j < i; j++)
            if (strcmp(log->records[j].id, r->id) == 0) {
                snprintf(msg, sizeof msg, "duplicate id \"%s\" (also on line %ld)", r->id,
                         log->records[j].line);
                row_problem(problems, t, r, col[EVS_RC_ID], msg);
                break;
            }
        if (r->duplicate_of[0] != '\0') {
            if (strncmp(r->duplicate_of, "study:", 6) == 0) {
                if (ev != NULL && evs_evidence_find(ev, r->duplicate_of + 6) < 0) {
                    snprintf(msg, sizeof msg, "duplicate_of %s: no study \"%s\" in studies.csv",
                             r->duplicate_of, r->duplicate_of + 6);
                    row_problem(problems, t, r, col[EVS_RC_DUPLICATE_OF], msg);
                }
            } else {
                long k = evs_screening_find(log, r->duplicate_of);
                if (k < 0 || (size_t)k == i)
                    snprintf(msg, sizeof msg, "duplicate_of \"%s\" is not %s record id",
                             r->duplicate_of, k < 0 ? "a" : "another");
                else if (log->records[k].duplicate_of[0] != '\0')
                    snprintf(msg, sizeof msg,
                             "duplicate_of %s, which is itself a duplicate (of %s): refer to "
                             "the record that is kept",
                             r->duplicate_of, log->records[k].duplicate_of);
                else
                    msg[0] = '\0';
                if (msg[0] != '\0')
                    row_problem(problems, t, r, col[EVS_RC_DUPLICATE_OF], msg);
            }
            continue;
        }
        /* The same record twice, not marked as a duplicate: decided twice. */
        char a[512], b[512];
        for (size_t j = 0; j < i; j++) {
            const evs_record *o = &log->records[j];
            if (o->duplicate_of[0] != '\0')
                continue;
            const char *what = NULL;
            long where = -1;
            if (evs_key_pmid(r->pmid, a, sizeof a) > 0 && evs_key_pmid(o->pmid, b, sizeof b) > 0 &&
                strcmp(a, b) == 0) {
                what = "PMID";
                where = col[EVS_RC_PMID];
            } else if (evs_key_doi(r->doi, a, sizeof a) > 0 &&
                       evs_key_doi(o->doi, b, sizeof b) > 0 && strcmp(a, b) == 0) {
                what = "DOI";
                where = col[EVS_RC_DOI];
            }
            if (what == NULL)
                continue;
            bool differ = r->ta != o->ta || r->ft != o->ft || strcmp(r->study, o->study) != 0 ||
                          strcmp(r->ft_reason, o->ft_reason) != 0;
            snprintf(msg, sizeof msg,
                     "%s has the same %s as %s (line %ld)%s: mark one as duplicate_of the "
                     "other",
                     r->id, what, o->id, o->line,
                     differ ? " and is decided differently" : "");
            row_problem(problems, t, r, where, msg);
            break;
        }
        if (ev == NULL || r->study[0] == '\0')
            continue;
        long s = evs_evidence_find(ev, r->study);
        if (s < 0) {
            snprintf(msg, sizeof msg, "study \"%s\" is not an id of studies.csv", r->study);
            row_problem(problems, t, r, col[EVS_RC_STUDY], msg);
            continue;
        }
        const evs_study *st = &ev->studies[s];
        if (st->parent >= 0) {
            snprintf(msg, sizeof msg, "study %s is an arm of %s: a record belongs to the whole "
                                      "study",
                     st->id, ev->studies[st->parent].id);
            row_problem(problems, t, r, col[EVS_RC_STUDY], msg);
            continue;
        }
        if (r->ft != EVS_FT_INCLUDE || st->included)
            continue;
        /* A report of an excluded study is included only as a report of its overlap group. */
        bool group = false;
        for (size_t k = 0; k < ev->nstudies && st->overlap_group[0] != '\0' && !group; k++)
            group = ev->studies[k].parent < 0 && ev->studies[k].included &&
                    strcmp(ev->studies[k].overlap_group, st->overlap_group) == 0;
        if (!group) {
            snprintf(msg, sizeof msg,
                     "included at full text, but study %s is excluded in studies.csv (%.200s)",
                     st->id, st->exclusion_reason);
            row_problem(problems, t, r, col[EVS_RC_FT], msg);
        }
    }
    /*
     * Every study of the analysis has its record, once the log is screened
     * (while records wait for a decision, the study's may be among them).
     */
    size_t pending = 0;
    for (size_t i = 0; i < log->n; i++) {
        const evs_record *r = &log->records[i];
        if (r->duplicate_of[0] != '\0')
            continue;
        if (r->source_type != EVS_SOURCE_OTHER && r->ta == EVS_TA_PENDING)
            pending++;
        else if ((r->source_type == EVS_SOURCE_OTHER || r->ta == EVS_TA_INCLUDE) &&
                 r->ft == EVS_FT_PENDING)
            pending++;
    }
    for (size_t s = 0; ev != NULL && pending == 0 && s < ev->nstudies; s++) {
        const evs_study *st = &ev->studies[s];
        if (st->parent >= 0 || !st->included)
            continue;
        bool found = false;
        for (size_t i = 0; i < log->n && !found; i++)
            found = log->records[i].ft == EVS_FT_INCLUDE &&
                    log->records[i].duplicate_of[0] == '\0' &&
                    strcmp(log->records[i].study, st->id) == 0;
        if (!found)
            evs_problems_add(problems, EVS_EDATA, ev->studies_file ? ev->studies_file : "studies.csv",
                             st->line, 1,
                             "study %s is included, but no record of records.csv is included "
                             "for it (ft_decision include, study %s)",
                             st->id, st->id);
    }
}

evs_status evs_records_load(const char *dir, const evs_review *rv, const evs_evidence *ev,
                            evs_screening_log **out, evs_problems *problems)
{
    *out = NULL;
    char path[4200];
    size_t before = problems->n;
    evs_table *t;
    if (!read_optional(dir, "records.csv", path, &t, problems))
        return evs_problems_status(problems);
    evs_screening_log *log = evs_screening_log_alloc();
    ctx c = {.t = t, .problems = problems};
    evs_column_spec spec[EVS_RC_COUNT];
    for (int j = 0; j < EVS_RC_COUNT; j++)
        spec[j] = (evs_column_spec){evs_record_column_name((evs_record_column)j),
                                    record_required[j]};
    evs_table_columns(t, spec, EVS_RC_COUNT, c.col, problems);
    c.oom = log == NULL || (log->file = strdup(path)) == NULL;
    bool columns_ok = problems->n == before;
    if (columns_ok)
        for (c.row = 0; c.row < evs_table_nrows(t) && !c.oom; c.row++)
            read_record(&c, log, rv);
    if (!c.oom && columns_ok)
        check_log(t, c.col, log, ev, problems);
    evs_table_free(t);
    if (c.oom)
        evs_problems_add(problems, EVS_ENOMEM, path, 0, 0, "out of memory");
    if (problems->n > before) {
        evs_screening_log_free(log);
        return evs_problems_status(problems);
    }
    *out = log;
    return EVS_OK;
}

/* ---------------------------------------------------------------------------
 * decisions.csv
 */

enum { D_DATE, D_BODY, D_DECISION, D_EFFECTIVE, D_NEXT_REVIEW, D_SHA, D_NOTE, D_COUNT };

static const evs_column_spec decision_columns[D_COUNT] = {
    {"date", true},         {"body", true},           {"decision", true}, {"effective", false},
    {"next_review", false}, {"results_sha256", false}, {"note", false}};

static bool sha256_ok(const char *s)
{
    size_t n = strspn(s, "0123456789abcdef");
    return n == 64 && s[64] == '\0';
}

evs_status evs_decisions_load(const char *dir, evs_decision_log **out, evs_problems *problems)
{
    *out = NULL;
    char path[4200];
    size_t before = problems->n;
    evs_table *t;
    if (!read_optional(dir, "decisions.csv", path, &t, problems))
        return evs_problems_status(problems);
    ctx c = {.t = t, .problems = problems};
    evs_table_columns(t, decision_columns, D_COUNT, c.col, problems);
    evs_decision_log *log = calloc(1, sizeof *log);
    size_t n = evs_table_nrows(t);
    if (log == NULL || (log->items = calloc(n, sizeof *log->items)) == NULL ||
        (log->file = strdup(path)) == NULL)
        c.oom = true;
    bool columns_ok = problems->n == before;
    for (c.row = 0; columns_ok && c.row < n && !c.oom; c.row++) {
        evs_decision *d = &log->items[log->n++];
        d->line = evs_table_line(t, c.row);
        char **s[D_COUNT] = {&d->date,        &d->body,           &d->decision, &d->effective,
                             &d->next_review, &d->results_sha256, &d->note};
        for (int j = 0; j < D_COUNT && !c.oom; j++)
            c.oom = (*s[j] = strdup(cell(&c, c.col[j]))) == NULL;
        if (c.oom)
            break;
        if (!evs_date_valid(d->date))
            cell_problem(&c, c.col[D_DATE], "date \"%s\" is not a date (YYYY-MM-DD or YYYY-MM)",
                         d->date);
        if (d->body[0] == '\0')
            cell_problem(&c, c.col[D_BODY], "body is empty: who decided (a committee, a "
                                            "medical director)");
        if (d->decision[0] == '\0')
            cell_problem(&c, c.col[D_DECISION], "decision is empty: what was decided");
        if (d->effective[0] != '\0' && !evs_date_valid(d->effective))
            cell_problem(&c, c.col[D_EFFECTIVE], "effective \"%s\" is not a date", d->effective);
        if (d->next_review[0] != '\0' && !evs_date_valid(d->next_review))
            cell_problem(&c, c.col[D_NEXT_REVIEW], "next_review \"%s\" is not a date",
                         d->next_review);
        if (d->results_sha256[0] != '\0' && !sha256_ok(d->results_sha256))
            cell_problem(&c, c.col[D_SHA],
                         "results_sha256 \"%.80s\" is not a SHA-256 (64 lower-case hexadecimal "
                         "digits; sha256sum results.json prints it)",
                         d->results_sha256);
    }
    evs_table_free(t);
    if (c.oom)
        evs_problems_add(problems, EVS_ENOMEM, path, 0, 0, "out of memory");
    if (problems->n > before) {
        evs_decision_log_free(log);
        return evs_problems_status(problems);
    }
    *out = log;
    return EVS_OK;
}
