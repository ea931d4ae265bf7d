/*
 * search_export.c -- MEDLINE and RIS exports to screening records (see
 * search_export.h).
 *
 * One pass over the lines: a line is a tag line, a continuation, or blank.
 * The fields of the record being read are collected (tag, text, line) and
 * turned into a record when it ends: at a blank line (MEDLINE), at "ER"
 * (RIS), or at the end of the file.
 */
#include "io/search_export.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/files.h"
#include "io/utf8.h"

/* Longest value accepted (an abstract is a few thousand bytes). */
#define FIELD_MAX ((size_t)1 << 20)

typedef struct field {
    char tag[8];
    char *text;
    size_t len, cap;
    long line;
    bool too_long; /* reported once; later continuations are dropped */
} field;

typedef struct parser {
    const char *name;
    char base[256]; /* base name of the file, for imported_from */
    evs_export_format format;
    evs_screening_log *out;
    evs_problems *problems;
    size_t before; /* problems before this file */
    bool oom;

    bool open;      /* inside a record */
    long rec_line;  /* its first line */
    size_t nfields, cap;
    field *fields;
} parser;

const char *evs_export_format_name(evs_export_format f)
{
    return f == EVS_EXPORT_MEDLINE ? "MEDLINE" : f == EVS_EXPORT_RIS ? "RIS" : "unknown";
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void problem(parser *p, long line, const char *fmt, ...)
{
    char msg[EVS_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    evs_problems_add(p->problems, EVS_EDATA, p->name, line, 0, "%s", msg);
}

/* ---------------------------------------------------------------------------
 * Fields of the current record
 */

static bool append(parser *p, field *f, const char *s, size_t n)
{
    if (f->len + n + 1 > f->cap) {
        size_t cap = f->cap ? f->cap : 128;
        while (cap < f->len + n + 1)
            cap *= 2;
        char *t = realloc(f->text, cap);
        if (t == NULL) {
            p->oom = true;
            return false;
        }
        f->text = t;
        f->cap = cap;
    }
    memcpy(f->text + f->len, s, n);
    f->len += n;
    f->text[f->len] = '\0';
    return true;
}

static void trim_end(field *f)
{
    while (f->len > 0 && (f->text[f->len - 1] == ' ' || f->text[f->len - 1] == '\t'))
        f->text[--f->len] = '\0';
}

static void add_field(parser *p, const char *tag, const char *value, size_t n, long line)
{
    if (p->nfields == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 32;
        field *f = realloc(p->fields, cap * sizeof *f);
        if (f == NULL) {
            p->oom = true;
            return;
        }
        p->fields = f;
        p->cap = cap;
    }
    field *f = &p->fields[p->nfields++];
    memset(f, 0, sizeof *f);
    snprintf(f->tag, sizeof f->tag, "%s", tag);
    f->line = line;
    while (n > 0 && (*value == ' ' || *value == '\t')) {
        value++;
        n--;
    }
    append(p, f, value, n);
    if (f->text == NULL)
        append(p, f, "", 0);
    trim_end(f);
}

/* A continuation line: joined to the last value with one space. */
static void continue_field(parser *p, const char *s, size_t n, long line)
{
    field *f = &p->fields[p->nfields - 1];
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    if (n == 0 || f->too_long)
        return;
    if (f->len + n > FIELD_MAX) {
        problem(p, line, "%s: value longer than %zu bytes", f->tag, FIELD_MAX);
        f->too_long = true;
        return;
    }
    if (f->len > 0)
        append(p, f, " ", 1);
    append(p, f, s, n);
    trim_end(f);
}

static void drop_fields(parser *p)
{
    for (size_t i = 0; i < p->nfields; i++)
        free(p->fields[i].text);
    p->nfields = 0;
}

/* The first value of the first tag in tags[] that the record has; NULL if none. */
static const field *first(const parser *p, const char *const *tags, size_t ntags)
{
    for (size_t t = 0; t < ntags; t++)
        for (size_t i = 0; i < p->nfields; i++)
            if (strcmp(p->fields[i].tag, tags[t]) == 0 && p->fields[i].len > 0)
                return &p->fields[i];
    return NULL;
}

#define FIRST(p, ...)                                                                       \
    first((p), (const char *const[]){__VA_ARGS__},                                          \
          sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

/* The year in a date such as "2007 Jul 1", "2007/07/01/" or "Summer 2007". */
static int year_of(const char *s)
{
    for (; *s; s++) {
        if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
            isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
            !isdigit((unsigned char)s[4])) {
            int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
            if (y >= 1800 && y <= 2200)
                return y;
        }
        while (isdigit((unsigned char)*s))
            s++;
        if (*s == '\0')
            break;
    }
    return 0;
}

static bool contains_ci(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (; *s; s++)
        if (strncasecmp(s, word, n) == 0)
            return true;
    return false;
}

/* "10.1097/BRS.0b013e318074d4c7 [doi]" -> the DOI; NULL when not marked [doi]. */
static bool marked_doi(const char *s, char *out, size_t cap)
{
    const char *mark = strstr(s, "[doi]");
    if (mark == NULL)
        return false;
    size_t n = (size_t)(mark - s);
    while (n > 0 && s[n - 1] == ' ')
        n--;
    if (n == 0 || n >= cap)
        return false;
    memcpy(out, s, n);
    out[n] = '\0';
    return true;
}

/* ---------------------------------------------------------------------------
 * Records
 */

static bool set(parser *p, char **field_ptr, const char *s)
{
    if (!evs_record_set(field_ptr, s)) {
        p->oom = true;
        return false;
    }
    return true;
}

/* Values of a repeated tag, joined with "; " (publication types). */
static void join_all(parser *p, const char *tag, char **dst)
{
    size_t total = 0;
    for (size_t i = 0; i < p->nfields; i++)
        if (strcmp(p->fields[i].tag, tag) == 0 && p->fields[i].len > 0)
            total += p->fields[i].len + 2;
    if (total == 0)
        return;
    char *s = malloc(total + 1);
    if (s == NULL) {
        p->oom = true;
        return;
    }
    s[0] = '\0';
    for (size_t i = 0; i < p->nfields; i++)
        if (strcmp(p->fields[i].tag, tag) == 0 && p->fields[i].len > 0) {
            if (s[0] != '\0')
                strcat(s, "; ");
            strcat(s, p->fields[i].text);
        }
    free(*dst);
    *dst = s;
}

static const char *ris_type_label(const char *ty)
{
    static const struct {
        const char *code, *label;
    } types[] = {
        {"JOUR", "Journal Article"}, {"ABST", "Abstract"},       {"CONF", "Conference Proceeding"},
        {"CPAPER", "Conference Paper"}, {"BOOK", "Book"},        {"CHAP", "Book Section"},
        {"RPRT", "Report"},          {"THES", "Thesis"},         {"ELEC", "Web Page"},
        {"GEN", "Generic"},          {"EJOUR", "Electronic Article"}, {"NEWS", "Newspaper Article"},
        {"MGZN", "Magazine Article"}, {"DATA", "Dataset"},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(types[i].code, ty) == 0)
            return types[i].label;
    return ty;
}

/* PMID and DOI from a URL of PubMed or doi.org. */
static void from_url(const char *url, char *pmid, size_t pcap, char *doi, size_t dcap)
{
    const char *s;
    if ((s = strstr(url, "pubmed.ncbi.nlm.nih.gov/")) != NULL) {
        s += strlen("pubmed.ncbi.nlm.nih.gov/");
        size_t n = strspn(s, "0123456789");
        if (n > 0 && n < pcap && (s[n] == '\0' || s[n] == '/' || s[n] == '?')) {
            memcpy(pmid, s, n);
            pmid[n] = '\0';
        }
    } else if ((s = strstr(url, "doi.org/10.")) != NULL) {
        s += strlen("doi.org/");
        size_t n = strcspn(s, " ?#");
        if (n < dcap) {
            memcpy(doi, s, n);
            doi[n] = '\0';
        }
    }
}

/* The record of the fields collected, appended to the output (unless there are problems). */
static void end_record(parser *p, long end_line)
{
    (void)end_line;
    if (!p->open)
        return;
    p->open = false;
    if (p->nfields == 0)
        return;
    bool medline = p->format == EVS_EXPORT_MEDLINE;
    const field *title = medline ? FIRST(p, "TI", "BTI", "TT") : FIRST(p, "TI", "T1", "CT");
    if (title == NULL) {
        const field *id = medline ? FIRST(p, "PMID") : NULL;
        if (id != NULL)
            problem(p, p->rec_line, "the record of PMID %s has no title (TI); a record needs "
                                    "a title to be screened",
                    id->text);
        else
            problem(p, p->rec_line, "the record that starts here has no title (%s); a record "
                                    "needs a title to be screened",
                    medline ? "TI" : "TI or T1");
        drop_fields(p);
        return;
    }
    if (p->problems->n > p->before) {
        drop_fields(p); /* nothing is kept from a file with problems */
        return;
    }
    evs_record *r = evs_screening_log_add(p->out);
    if (r == NULL) {
        p->oom = true;
        drop_fields(p);
        return;
    }
    r->line = p->rec_line;
    r->source_type = EVS_SOURCE_DATABASE;
    char where[300];
    snprintf(where, sizeof where, "%s:%ld", p->base, p->rec_line);
    set(p, &r->imported_from, where);
    set(p, &r->title, title->text);

    char pmid[32] = "", doi[512] = "";
    const field *f;
    if (medline) {
        set(p, &r->source, "PubMed");
        if ((f = FIRST(p, "PMID")) != NULL)
            snprintf(pmid, sizeof pmid, "%s", f->text);
        if ((f = FIRST(p, "AB")) != NULL)
            set(p, &r->abstract, f->text);
        if ((f = FIRST(p, "AU", "FAU", "CN")) != NULL)
            set(p, &r->first_author, f->text);
        if ((f = FIRST(p, "DP")) != NULL)
            r->year = year_of(f->text);
        if ((f = FIRST(p, "JT", "TA")) != NULL)
            set(p, &r->journal, f->text);
        join_all(p, "PT", &r->pub_type);
        for (int pass = 0; pass < 2 && doi[0] == '\0'; pass++)
            for (size_t i = 0; i < p->nfields && doi[0] == '\0'; i++)
                if (strcmp(p->fields[i].tag, pass == 0 ? "AID" : "LID") == 0)
                    marked_doi(p->fields[i].text, doi, sizeof doi);
    } else {
        const field *db = FIRST(p, "DB", "DP");
        if (db != NULL)
            set(p, &r->source, db->text);
        if ((f = FIRST(p, "AB", "N2")) != NULL)
            set(p, &r->abstract, f->text);
        if ((f = FIRST(p, "AU", "A1")) != NULL)
            set(p, &r->first_author, f->text);
        if ((f = FIRST(p, "PY", "Y1", "DA")) != NULL)
            r->year = year_of(f->text);
        if ((f = FIRST(p, "JF", "JO", "T2", "JA", "J2")) != NULL)
            set(p, &r->journal, f->text);
        if ((f = FIRST(p, "M3")) != NULL)
            set(p, &r->pub_type, f->text);
        else if ((f = FIRST(p, "TY")) != NULL)
            set(p, &r->pub_type, ris_type_label(f->text));
        if ((f = FIRST(p, "DO")) != NULL)
            snprintf(doi, sizeof doi, "%s", f->text);
        /* An accession number is a PMID only in an export of PubMed or MEDLINE. */
        const field *dp = FIRST(p, "DP");
        bool pubmed = (db != NULL && (contains_ci(db->text, "pubmed") ||
                                      contains_ci(db->text, "medline"))) ||
                      (dp != NULL && (contains_ci(dp->text, "pubmed") ||
                                      contains_ci(dp->text, "medline")));
        if (pubmed && (f = FIRST(p, "AN")) != NULL && f->len > 0 &&
            strspn(f->text, "0123456789") == f->len)
            snprintf(pmid, sizeof pmid, "%s", f->text);
        for (size_t i = 0; i < p->nfields; i++) {
            if (strcmp(p->fields[i].tag, "UR") != 0)
                continue;
            char upmid[32] = "", udoi[512] = "";
            from_url(p->fields[i].text, upmid, sizeof upmid, udoi, sizeof udoi);
            if (pmid[0] == '\0')
                snprintf(pmid, sizeof pmid, "%s", upmid);
            if (doi[0] == '\0')
                snprintf(doi, sizeof doi, "%s", udoi);
        }
    }
    char bare[512];
    set(p, &r->pmid, pmid);
    set(p, &r->doi, evs_doi_bare(doi, bare, sizeof bare) > 0 ? bare : doi);
    drop_fields(p);
}

/* ---------------------------------------------------------------------------
 * Lines
 */

/* MEDLINE: "TAG - value" with the tag padded to four characters ("PMID- ", "TI  - "). */
static bool medline_tag(const char *s, size_t n, char tag[8])
{
    if (n < 5 || s[4] != '-' || (n > 5 && s[5] != ' '))
        return false;
    size_t k = 0;
    while (k < 4 && ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= '0' && s[k] <= '9')))
        k++;
    if (k == 0)
        return false;
    for (size_t i = k; i < 4; i++)
        if (s[i] != ' ')
            return false;
    memcpy(tag, s, k);
    tag[k] = '\0';
    return true;
}

/* RIS: "XX  - value" (two capitals or a capital and a digit, two spaces; one is tolerated). */
static bool ris_tag(const char *s, size_t n, char tag[8], size_t *value_at)
{
    if (n < 4 || !(s[0] >= 'A' && s[0] <= 'Z') ||
        !((s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= '0' && s[1] <= '9')))
        return false;
    size_t i = 2;
    while (i < n && i < 4 && s[i] == ' ')
        i++;
    if (i == 2 || i >= n || s[i] != '-' || (i + 1 < n && s[i + 1] != ' '))
        return false;
    tag[0] = s[0];
    tag[1] = s[1];
    tag[2] = '\0';
    *value_at = i + 2 <= n ? i + 2 : n;
    return true;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

static void medline_line(parser *p, const char *s, size_t n, long line)
{
    char tag[8];
    if (blank(s, n)) {
        end_record(p, line);
        return;
    }
    if (medline_tag(s, n, tag)) {
        /* Files joined without a blank line: a second PMID starts a new record. */
        if (p->open && strcmp(tag, "PMID") == 0 && FIRST(p, "PMID") != NULL)
            end_record(p, line);
        if (!p->open) {
            p->open = true;
            p->rec_line = line;
        }
        add_field(p, tag, s + 5, n - 5, line);
        return;
    }
    if ((s[0] == ' ' || s[0] == '\t') && p->open && p->nfields > 0) {
        continue_field(p, s, n, line);
        return;
    }
    if (s[0] == ' ' || s[0] == '\t')
        problem(p, line, "a continuation line (indented) outside a record");
    else
        problem(p, line, "not a MEDLINE line: expected \"TAG - value\" (a tag of up to four "
                         "capitals, padded to four characters) or a continuation indented "
                         "by six spaces");
}

static void ris_line(parser *p, const char *s, size_t n, long line)
{
    char tag[8];
    size_t at;
    if (ris_tag(s, n, tag, &at)) {
        if (strcmp(tag, "TY") == 0) {
            if (p->open) {
                problem(p, p->rec_line, "the record that starts here has no end "
                                        "(\"ER  - \") before the next record on line %ld",
                        line);
                drop_fields(p);
            }
            p->open = true;
            p->rec_line = line;
            add_field(p, tag, s + at, n - at, line);
            return;
        }
        if (!p->open) {
            problem(p, line, "%s outside a record: a RIS record starts with \"TY  - \"", tag);
            return;
        }
        if (strcmp(tag, "ER") == 0) {
            end_record(p, line);
            return;
        }
        add_field(p, tag, s + at, n - at, line);
        return;
    }
    if (blank(s, n))
        return;
    if (p->open && p->nfields > 0) {
        /* Exporters wrap long values (abstracts) onto lines without a tag. */
        continue_field(p, s, n, line);
        return;
    }
    problem(p, line, "not a RIS line: expected \"XX  - value\" (a two-character tag, two "
                     "spaces, a hyphen) outside a record");
}

/* True when some line of the buffer starts with prefix. */
static bool has_line(const char *data, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i + n <= len; i++)
        if ((i == 0 || data[i - 1] == '\n' || data[i - 1] == '\r') &&
            memcmp(data + i, prefix, n) == 0)
            return true;
    return false;
}

/*
 * The format, from the first line that is not blank: "TY  - " starts a RIS
 * file and "PMID- " a PubMed one.  Any other first tag is looked at in the
 * light of the whole file, since a RIS line ("AU  - ") is also a well-formed
 * MEDLINE line: a file with RIS's record delimiters is RIS.
 */
static evs_export_format detect(const char *s, size_t n, const char *data, size_t len)
{
    char tag[8];
    size_t at;
    if (ris_tag(s, n, tag, &at) && strcmp(tag, "TY") == 0)
        return EVS_EXPORT_RIS;
    if (medline_tag(s, n, tag) && strcmp(tag, "PMID") == 0)
        return EVS_EXPORT_MEDLINE;
    if (has_line(data, len, "TY  -") || has_line(data, len, "ER  -"))
        return EVS_EXPORT_RIS;
    if (medline_tag(s, n, tag))
        return EVS_EXPORT_MEDLINE;
    return EVS_EXPORT_UNKNOWN;
}

/* The line holding byte offset off. */
static long line_of(const char *data, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == off || data[i + 1] != '\n')))
            line++;
    return line;
}

evs_status evs_export_read_buffer(const char *data, size_t len, const char *name,
                                  evs_screening_log *out, evs_problems *problems,
                                  evs_export_format *format)
{
    parser p = {.name = name, .out = out, .problems = problems, .before = problems->n};
    const char *slash = strrchr(name, '/');
    snprintf(p.base, sizeof p.base, "%s", slash ? slash + 1 : name);
    size_t first_record = out->n;
    if (format)
        *format = EVS_EXPORT_UNKNOWN;

    if (len >= 2 && (((unsigned char)data[0] == 0xff && (unsigned char)data[1] == 0xfe) ||
                     ((unsigned char)data[0] == 0xfe && (unsigned char)data[1] == 0xff))) {
        problem(&p, 1, "the file is UTF-16; export it (or save it) as UTF-8");
        return evs_problems_status(problems);
    }
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
        data += 3;
        len -= 3;
    }
    size_t bad;
    if (!evs_utf8_text_valid(data, len, &bad)) {
        if (data[bad] == '\0')
            problem(&p, line_of(data, bad), "the file contains a NUL byte (is it a binary or "
                                            "UTF-16 file?)");
        else
            problem(&p, line_of(data, bad), "not valid UTF-8 (byte 0x%02X); export the file "
                                            "as UTF-8",
                    (unsigned)(unsigned char)data[bad]);
        return evs_problems_status(problems);
    }

    long line = 1;
    size_t i = 0;
    while (i < len && !p.oom) {
        size_t end = i;
        while (end < len && data[end] != '\n' && data[end] != '\r')
            end++;
        const char *s = data + i;
        size_t n = end - i;
        if (p.format == EVS_EXPORT_UNKNOWN && !blank(s, n)) {
            p.format = detect(s, n, data, len);
            if (p.format == EVS_EXPORT_UNKNOWN) {
                problem(&p, line, "not a PubMed (MEDLINE) or RIS export: its first line "
                                  "should start with \"PMID- \" or \"TY  - \"");
                break;
            }
        }
        if (n > FIELD_MAX)
            problem(&p, line, "line longer than %zu bytes", FIELD_MAX);
        else if (p.format == EVS_EXPORT_MEDLINE)
            medline_line(&p, s, n, line);
        else if (p.format == EVS_EXPORT_RIS)
            ris_line(&p, s, n, line);
        if (end < len && data[end] == '\r' && end + 1 < len && data[end + 1] == '\n')
            end++;
        i = end + 1;
        line++;
    }
    if (p.open && p.format == EVS_EXPORT_RIS) {
        problem(&p, p.rec_line, "the record that starts here has no end (\"ER  - \") before "
                                "the end of the file");
        drop_fields(&p);
        p.open = false;
    }
    end_record(&p, line);
    if (p.format == EVS_EXPORT_UNKNOWN && problems->n == p.before)
        problem(&p, 1, "the file is empty: no records");
    else if (problems->n == p.before && out->n == first_record)
        problem(&p, 1, "no records in the file");
    drop_fields(&p);
    free(p.fields);
    if (format)
        *format = p.format;
    if (p.oom)
        evs_problems_add(problems, EVS_ENOMEM, name, 0, 0, "out of memory");
    if (problems->n > p.before) {
        /* A file with any problem gives no records. */
        while (out->n > first_record)
            evs_record_clear(&out->records[--out->n]);
    }
    return evs_problems_status(problems);
}

/* Largest export read: about 100,000 records with their abstracts. */
#define EXPORT_MAX ((size_t)512 << 20)

evs_status evs_export_read_file(const char *path, evs_screening_log *out,
                                evs_problems *problems, evs_export_format *format)
{
    char *data = NULL;
    size_t len = 0;
    evs_error err;
    evs_error_clear(&err);
    if (evs_input_read_all(path, EXPORT_MAX, &data, &len, &err) != EVS_OK) {
        evs_problems_add_error(problems, &err);
        return evs_problems_status(problems);
    }
    evs_status st = evs_export_read_buffer(data, len, path, out, problems, format);
    free(data);
    return st;
}
