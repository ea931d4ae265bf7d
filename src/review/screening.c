/*
 * screening.c -- the screening log, deduplication keys and the PRISMA 2020
 * counts (see screening.h).
 */
#include "review/screening.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * The log
 */

evs_screening_log *evs_screening_log_alloc(void)
{
    return calloc(1, sizeof(evs_screening_log));
}

/* The string fields of a record, for clearing and initialising. */
#define RECORD_STRINGS(r)                                                                   \
    {&(r)->id,       &(r)->source,       &(r)->search,       &(r)->date_added, &(r)->pmid,  \
     &(r)->doi,      &(r)->first_author, &(r)->title,        &(r)->journal,    &(r)->pub_type, \
     &(r)->abstract, &(r)->duplicate_of, &(r)->ft_reason,    &(r)->study,      &(r)->note,  \
     &(r)->imported_from}

void evs_record_clear(evs_record *r)
{
    char **s[] = RECORD_STRINGS(r);
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        free(*s[i]);
        *s[i] = NULL;
    }
}

bool evs_record_set(char **field, const char *s)
{
    char *copy = strdup(s != NULL ? s : "");
    if (copy == NULL)
        return false;
    free(*field);
    *field = copy;
    return true;
}

void evs_screening_log_free(evs_screening_log *log)
{
    if (log == NULL)
        return;
    for (size_t i = 0; i < log->n; i++)
        evs_record_clear(&log->records[i]);
    free(log->records);
    free(log->file);
    free(log);
}

evs_record *evs_screening_log_add(evs_screening_log *log)
{
    if (log->n == log->cap) {
        size_t cap = log->cap ? 2 * log->cap : 64;
        evs_record *r = realloc(log->records, cap * sizeof *r);
        if (r == NULL)
            return NULL;
        log->records = r;
        log->cap = cap;
    }
    evs_record *r = &log->records[log->n];
    memset(r, 0, sizeof *r);
    char **s[] = RECORD_STRINGS(r);
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        if (!evs_record_set(s[i], "")) {
            evs_record_clear(r);
            return NULL;
        }
    }
    log->n++;
    return r;
}

long evs_screening_find(const evs_screening_log *log, const char *id)
{
    for (size_t i = 0; i < log->n; i++)
        if (strcmp(log->records[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* ---------------------------------------------------------------------------
 * Name tables
 */

static const char *const source_type_names[EVS_SOURCE_TYPE_COUNT] = {"database", "register",
                                                                     "other"};
static const char *const ta_names[EVS_TA_COUNT] = {"", "include", "exclude"};
static const char *const ft_names[EVS_FT_COUNT] = {"", "include", "exclude", "not_retrieved"};
static const char *const match_names[EVS_MATCH_COUNT] = {"", "pmid", "doi", "title"};
static const char *const match_labels[EVS_MATCH_COUNT] = {"", "PMID", "DOI",
                                                          "title, year and first author"};

static bool from_name(const char *const *names, int count, const char *name, int *out)
{
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0) {
            *out = i;
            return true;
        }
    return false;
}

const char *evs_source_type_name(evs_source_type t)
{
    return (unsigned)t < EVS_SOURCE_TYPE_COUNT ? source_type_names[t] : "";
}

bool evs_source_type_from_name(const char *name, evs_source_type *t)
{
    int i;
    if (!from_name(source_type_names, EVS_SOURCE_TYPE_COUNT, name, &i))
        return false;
    *t = (evs_source_type)i;
    return true;
}

const char *evs_ta_name(evs_ta_decision d)
{
    return (unsigned)d < EVS_TA_COUNT ? ta_names[d] : "";
}

bool evs_ta_from_name(const char *name, evs_ta_decision *d)
{
    int i;
    if (!from_name(ta_names, EVS_TA_COUNT, name, &i))
        return false;
    *d = (evs_ta_decision)i;
    return true;
}

const char *evs_ft_name(evs_ft_decision d)
{
    return (unsigned)d < EVS_FT_COUNT ? ft_names[d] : "";
}

bool evs_ft_from_name(const char *name, evs_ft_decision *d)
{
    int i;
    if (!from_name(ft_names, EVS_FT_COUNT, name, &i))
        return false;
    *d = (evs_ft_decision)i;
    return true;
}

const char *evs_match_name(evs_match m)
{
    return (unsigned)m < EVS_MATCH_COUNT ? match_names[m] : "";
}

bool evs_match_from_name(const char *name, evs_match *m)
{
    int i;
    if (!from_name(match_names, EVS_MATCH_COUNT, name, &i))
        return false;
    *m = (evs_match)i;
    return true;
}

const char *evs_match_label(evs_match m)
{
    return (unsigned)m < EVS_MATCH_COUNT ? match_labels[m] : "";
}

static const char *const column_names[EVS_RC_COUNT] = {
    "id",           "source",      "source_type", "search",           "date_added",
    "pmid",         "doi",         "first_author", "year",            "title",
    "journal",      "publication_type", "duplicate_of", "duplicate_match", "ta_decision",
    "ft_decision",  "ft_reason",   "study",       "note",             "imported_from",
    "abstract"};

const char *evs_record_column_name(evs_record_column c)
{
    return (unsigned)c < EVS_RC_COUNT ? column_names[c] : "";
}

const char *evs_record_cell(const evs_record *r, evs_record_column c, char *buf, size_t cap)
{
    switch (c) {
    case EVS_RC_ID: return r->id;
    case EVS_RC_SOURCE: return r->source;
    case EVS_RC_SOURCE_TYPE: return evs_source_type_name(r->source_type);
    case EVS_RC_SEARCH: return r->search;
    case EVS_RC_DATE_ADDED: return r->date_added;
    case EVS_RC_PMID: return r->pmid;
    case EVS_RC_DOI: return r->doi;
    case EVS_RC_FIRST_AUTHOR: return r->first_author;
    case EVS_RC_YEAR:
        if (r->year <= 0)
            return "";
        snprintf(buf, cap, "%d", r->year);
        return buf;
    case EVS_RC_TITLE: return r->title;
    case EVS_RC_JOURNAL: return r->journal;
    case EVS_RC_PUB_TYPE: return r->pub_type;
    case EVS_RC_DUPLICATE_OF: return r->duplicate_of;
    case EVS_RC_DUPLICATE_MATCH: return evs_match_name(r->duplicate_match);
    case EVS_RC_TA: return evs_ta_name(r->ta);
    case EVS_RC_FT: return evs_ft_name(r->ft);
    case EVS_RC_FT_REASON: return r->ft_reason;
    case EVS_RC_STUDY: return r->study;
    case EVS_RC_NOTE: return r->note;
    case EVS_RC_IMPORTED_FROM: return r->imported_from;
    case EVS_RC_ABSTRACT: return r->abstract;
    default: return "";
    }
}

/* ---------------------------------------------------------------------------
 * Keys
 */

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool starts_with_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (lower(*s) != *prefix)
            return false;
    return true;
}

/* Append n bytes to out if they fit (keeping room for the NUL). */
static void put(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
    if (*len + n < cap) {
        memcpy(out + *len, s, n);
        *len += n;
    }
}

size_t evs_key_doi(const char *doi, char *out, size_t cap)
{
    size_t n = evs_doi_bare(doi, out, cap);
    for (size_t i = 0; i < n; i++)
        out[i] = lower(out[i]);
    return n;
}

size_t evs_doi_bare(const char *doi, char *out, size_t cap)
{
    static const char *const prefixes[] = {"https://doi.org/", "http://doi.org/",
                                           "https://dx.doi.org/", "http://dx.doi.org/",
                                           "doi.org/", "doi:"};
    const char *s = doi;
    while (*s == ' ' || *s == '\t')
        s++;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (starts_with_ci(s, prefixes[i])) {
            s += strlen(prefixes[i]);
            break;
        }
    while (*s == ' ')
        s++;
    size_t end = strlen(s);
    /* A DOI copied from a sentence keeps its full stop; no DOI suffix ends in one. */
    while (end > 0 && strchr(" \t.,;", s[end - 1]) != NULL)
        end--;
    out[0] = '\0';
    if (end < 4 || strncmp(s, "10.", 3) != 0 || cap == 0)
        return 0;
    size_t len = 0;
    put(out, cap, &len, s, end);
    out[len] = '\0';
    return len;
}

size_t evs_key_pmid(const char *pmid, char *out, size_t cap)
{
    const char *s = pmid;
    while (*s == ' ')
        s++;
    size_t n = strspn(s, "0123456789");
    size_t rest = n;
    while (s[rest] == ' ')
        rest++;
    out[0] = '\0';
    if (n == 0 || s[rest] != '\0' || cap == 0)
        return 0;
    while (n > 1 && *s == '0') {
        s++;
        n--;
    }
    if (*s == '0')
        return 0; /* PMIDs start at 1 */
    size_t len = 0;
    put(out, cap, &len, s, n);
    out[len] = '\0';
    return len;
}

/*
 * Latin-1 supplement letters U+00C0..U+00FF folded to ASCII; "" drops the
 * character (the multiplication and division signs).
 */
static const char *const latin1_fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y"};

/* Length of the UTF-8 sequence starting with byte c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
    return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

size_t evs_key_text(const char *text, char *out, size_t cap)
{
    size_t len = 0;
    const unsigned char *s = (const unsigned char *)text;
    if (cap == 0)
        return 0;
    while (*s) {
        if (*s < 0x80) {
            /* Markup some databases leave in titles: <i>, </sup>... */
            if (*s == '<') {
                const unsigned char *t = s + 1 + (s[1] == '/');
                size_t n = 0;
                while ((t[n] >= 'a' && t[n] <= 'z') || (t[n] >= 'A' && t[n] <= 'Z'))
                    n++;
                if (n > 0 && n <= 4 && t[n] == '>') {
                    s = t + n + 1;
                    continue;
                }
            }
            char c = (char)*s++;
            if (is_alnum(c)) {
                c = lower(c);
                put(out, cap, &len, &c, 1);
            }
            continue;
        }
        size_t n = utf8_len(*s);
        for (size_t i = 1; i < n; i++)
            if (s[i] == '\0')
                n = i;
        unsigned cp = 0;
        if (n == 2)
            cp = ((unsigned)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
        else if (n == 3)
            cp = ((unsigned)(s[0] & 0x0f) << 12) | ((unsigned)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
        if (cp >= 0xc0 && cp <= 0xff) {
            const char *f = latin1_fold[cp - 0xc0];
            put(out, cap, &len, f, strlen(f));
        } else if (cp == 0x152 || cp == 0x153) {
            put(out, cap, &len, "oe", 2);
        } else if ((cp >= 0x80 && cp < 0xc0) || (cp >= 0x2000 && cp <= 0x206f) ||
                   (cp >= 0x3000 && cp <= 0x303f)) {
            /* Spaces, dashes, quotes and other punctuation: not part of the key. */
        } else {
            /* Other scripts: kept as they are, so that such titles still differ. */
            put(out, cap, &len, (const char *)s, n);
        }
        s += n;
    }
    out[len] = '\0';
    return len;
}

/* True when s is initials: "ME", "M.E.", "M-E", at most 6 characters. */
static bool initials(const char *s, size_t n)
{
    if (n == 0 || n > 6)
        return false;
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 'A' && s[i] <= 'Z')
            letters++;
        else if (s[i] != '.' && s[i] != '-')
            return false;
    }
    return letters > 0;
}

size_t evs_key_author(const char *author, char *out, size_t cap)
{
    char family[256];
    const char *comma = strchr(author, ',');
    size_t n;
    if (comma != NULL) {
        n = (size_t)(comma - author);
    } else {
        /* "Frey ME": the family name, then the initials (MEDLINE's AU). */
        n = strlen(author);
        while (n > 0 && author[n - 1] == ' ')
            n--;
        size_t last = n;
        while (last > 0 && author[last - 1] != ' ')
            last--;
        if (last > 0 && initials(author + last, n - last))
            n = last;
    }
    if (n >= sizeof family)
        n = sizeof family - 1;
    memcpy(family, author, n);
    family[n] = '\0';
    return evs_key_text(family, out, cap);
}

/* ---------------------------------------------------------------------------
 * Deduplication
 */

enum { ITEM_LOG, ITEM_STUDY, ITEM_NEW };

/* Something known: a log record, a study, or an earlier record of the import. */
typedef struct item {
    int kind;
    long index;
    char pmid[24];
    char *doi;      /* key, or NULL */
    char *title;    /* "title|year|author" key, or NULL (studies have none) */
    char *citation; /* studies: key of the citation, or NULL */
    char author[96];
    int year;
    long linked;     /* studies: the log record of the study, or -1 */
    long linked_new; /* studies: the record of this import that is the study's, or -1 */
} item;

/* Open addressing with linear probing; a slot holds an item index + 1 (0: empty). */
typedef struct table {
    size_t cap, used;
    size_t *slot;
} table;

struct evs_dedup {
    size_t n, cap;
    item *items;
    table pmid, doi, title;
    size_t *studies; /* items that are studies, for the title-in-citation scan */
    size_t nstudies;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211u;
    }
    return h;
}

static const char *item_key(const item *it, const table *t, const evs_dedup *d)
{
    if (t == &d->pmid)
        return it->pmid;
    return t == &d->doi ? it->doi : it->title;
}

static bool table_grow(evs_dedup *d, table *t)
{
    size_t cap = t->cap ? 2 * t->cap : 256;
    size_t *slot = calloc(cap, sizeof *slot);
    if (slot == NULL)
        return false;
    for (size_t i = 0; i < t->cap; i++) {
        if (t->slot[i] == 0)
            continue;
        const char *key = item_key(&d->items[t->slot[i] - 1], t, d);
        size_t j = hash(key) & (cap - 1);
        while (slot[j] != 0)
            j = (j + 1) & (cap - 1);
        slot[j] = t->slot[i];
    }
    free(t->slot);
    t->slot = slot;
    t->cap = cap;
    return true;
}

static bool table_put(evs_dedup *d, table *t, size_t index)
{
    if (2 * (t->used + 1) > t->cap && !table_grow(d, t))
        return false;
    const char *key = item_key(&d->items[index], t, d);
    size_t j = hash(key) & (t->cap - 1);
    while (t->slot[j] != 0)
        j = (j + 1) & (t->cap - 1);
    t->slot[j] = index + 1;
    t->used++;
    return true;
}

/* Two records are different reports when both have a PMID, or a DOI, that differ. */
static bool conflict(const item *a, const item *b, bool by_doi)
{
    if (a->pmid[0] && b->pmid[0] && strcmp(a->pmid, b->pmid) != 0)
        return true;
    return by_doi && a->doi && b->doi && strcmp(a->doi, b->doi) != 0;
}

/* The first item with this key in t that does not conflict with q; -1 if none. */
static long table_find(const evs_dedup *d, const table *t, const char *key, const item *q,
                       bool by_doi)
{
    if (t->cap == 0)
        return -1;
    for (size_t j = hash(key) & (t->cap - 1); t->slot[j] != 0; j = (j + 1) & (t->cap - 1)) {
        const item *it = &d->items[t->slot[j] - 1];
        if (strcmp(item_key(it, t, d), key) == 0 && !conflict(it, q, by_doi))
            return (long)(t->slot[j] - 1);
    }
    return -1;
}

static void item_free(item *it)
{
    free(it->doi);
    free(it->title);
    free(it->citation);
}

/* Fill an item from the fields of a record or a study; false if out of memory. */
static bool item_fill(item *it, const char *pmid, const char *doi, const char *title,
                      const char *author, int year, const char *citation)
{
    char buf[4096];
    memset(it, 0, sizeof *it);
    evs_key_pmid(pmid ? pmid : "", it->pmid, sizeof it->pmid);
    if (doi && evs_key_doi(doi, buf, sizeof buf) > 0 && (it->doi = strdup(buf)) == NULL)
        return false;
    evs_key_author(author ? author : "", it->author, sizeof it->author);
    it->year = year;
    if (title && it->author[0] && year > 0) {
        size_t n = evs_key_text(title, buf, sizeof buf - 128);
        if (n > 0) {
            snprintf(buf + n, sizeof buf - n, "|%d|%s", year, it->author);
            if ((it->title = strdup(buf)) == NULL)
                return false;
        }
    }
    if (citation && evs_key_text(citation, buf, sizeof buf) > 0 &&
        (it->citation = strdup(buf)) == NULL)
        return false;
    return true;
}

/* Add an item (taking its strings) and index its keys. */
static bool add_item(evs_dedup *d, item *it)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 256;
        item *items = realloc(d->items, cap * sizeof *items);
        if (items == NULL)
            return false;
        d->items = items;
        d->cap = cap;
    }
    size_t i = d->n++;
    d->items[i] = *it;
    if (it->pmid[0] && !table_put(d, &d->pmid, i))
        return false;
    if (it->doi && !table_put(d, &d->doi, i))
        return false;
    if (it->title && !table_put(d, &d->title, i))
        return false;
    return true;
}

void evs_dedup_free(evs_dedup *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->n; i++)
        item_free(&d->items[i]);
    free(d->items);
    free(d->pmid.slot);
    free(d->doi.slot);
    free(d->title.slot);
    free(d->studies);
    free(d);
}

evs_dedup *evs_dedup_alloc(const evs_screening_log *log, const evs_evidence *ev)
{
    evs_dedup *d = calloc(1, sizeof *d);
    if (d == NULL)
        return NULL;
    item it;
    /* Log records first: a record found again is a duplicate of its record. */
    for (size_t i = 0; log != NULL && i < log->n; i++) {
        const evs_record *r = &log->records[i];
        if (r->duplicate_of[0] != '\0')
            continue;
        if (!item_fill(&it, r->pmid, r->doi, r->title, r->first_author, r->year, NULL) ||
            (it.kind = ITEM_LOG, it.index = (long)i, !add_item(d, &it))) {
            item_free(&it);
            evs_dedup_free(d);
            return NULL;
        }
    }
    if (ev != NULL && ev->nstudies > 0) {
        d->studies = malloc(ev->nstudies * sizeof *d->studies);
        if (d->studies == NULL) {
            evs_dedup_free(d);
            return NULL;
        }
    }
    for (size_t i = 0; ev != NULL && i < ev->nstudies; i++) {
        const evs_study *s = &ev->studies[i];
        if (s->parent >= 0)
            continue; /* arms share their study's publication */
        bool filled = item_fill(&it, s->pmid, s->doi, NULL, s->author, s->year, s->citation);
        it.kind = ITEM_STUDY;
        it.index = (long)i;
        it.linked = -1;
        it.linked_new = -1;
        for (size_t k = 0; log != NULL && k < log->n && it.linked < 0; k++)
            if (log->records[k].duplicate_of[0] == '\0' &&
                strcmp(log->records[k].study, s->id) == 0)
                it.linked = (long)k;
        if (!filled || !add_item(d, &it)) {
            item_free(&it);
            evs_dedup_free(d);
            return NULL;
        }
        d->studies[d->nstudies++] = d->n - 1;
    }
    return d;
}

/* Shortest title key compared with a study's citation: shorter ones ("Sacroplasty") are too generic. */
#define CITATION_TITLE_MIN 20

evs_status evs_dedup_check(evs_dedup *d, const evs_record *r, size_t index, evs_dup *out)
{
    item q;
    *out = (evs_dup){EVS_MATCH_NONE, false, -1, -1, -1};
    if (!item_fill(&q, r->pmid, r->doi, r->title, r->first_author, r->year, NULL)) {
        item_free(&q);
        return EVS_ENOMEM;
    }
    long hit = -1;
    evs_match how = EVS_MATCH_NONE;
    if (q.pmid[0] && (hit = table_find(d, &d->pmid, q.pmid, &q, false)) >= 0)
        how = EVS_MATCH_PMID;
    else if (q.doi && (hit = table_find(d, &d->doi, q.doi, &q, false)) >= 0)
        how = EVS_MATCH_DOI;
    else if (q.title && (hit = table_find(d, &d->title, q.title, &q, true)) >= 0)
        how = EVS_MATCH_TITLE;
    else if (q.title) {
        /* Against studies.csv: the title within the citation, same year and author. */
        size_t tlen = (size_t)(strchr(q.title, '|') - q.title);
        char *title = tlen >= CITATION_TITLE_MIN ? strndup(q.title, tlen) : NULL;
        for (size_t k = 0; title != NULL && k < d->nstudies && hit < 0; k++) {
            const item *s = &d->items[d->studies[k]];
            if (s->citation && s->year == q.year && strcmp(s->author, q.author) == 0 &&
                !conflict(s, &q, true) && strstr(s->citation, title) != NULL) {
                hit = (long)d->studies[k];
                how = EVS_MATCH_TITLE;
            }
        }
        free(title);
    }
    if (hit >= 0) {
        item *it = &d->items[hit];
        out->match = how;
        out->duplicate = true;
        if (it->kind == ITEM_LOG) {
            out->log_record = it->index;
        } else if (it->kind == ITEM_NEW) {
            out->new_record = it->index;
        } else {
            /* A study's publication: its record is the log's, or the first of this import. */
            out->study = it->index;
            out->log_record = it->linked;
            out->new_record = it->linked < 0 ? it->linked_new : -1;
            out->duplicate = it->linked >= 0 || it->linked_new >= 0;
            if (!out->duplicate)
                it->linked_new = (long)index;
        }
        if (out->duplicate) {
            item_free(&q);
            return EVS_OK;
        }
    }
    q.kind = ITEM_NEW;
    q.index = (long)index;
    if (!add_item(d, &q)) {
        item_free(&q);
        return EVS_ENOMEM;
    }
    return EVS_OK;
}

/* ---------------------------------------------------------------------------
 * PRISMA counts
 */

/* A set of study units (pointers to ids or overlap groups), small enough to scan. */
typedef struct unit_set {
    size_t n, cap;
    const char **id;
} unit_set;

static bool unit_has(const unit_set *u, const char *id)
{
    for (size_t i = 0; i < u->n; i++)
        if (strcmp(u->id[i], id) == 0)
            return true;
    return false;
}

static bool unit_add(unit_set *u, const char *id)
{
    if (unit_has(u, id))
        return true;
    if (u->n == u->cap) {
        size_t cap = u->cap ? 2 * u->cap : 32;
        const char **p = realloc((void *)u->id, cap * sizeof *p);
        if (p == NULL)
            return false;
        u->id = p;
        u->cap = cap;
    }
    u->id[u->n++] = id;
    return true;
}

/* The study a report counts towards: its overlap group, else its study. */
static const char *unit_of(const evs_evidence *ev, const char *study)
{
    if (ev == NULL)
        return study;
    long s = evs_evidence_find(ev, study);
    if (s >= 0 && ev->studies[s].overlap_group[0] != '\0')
        return ev->studies[s].overlap_group;
    return study;
}

static void tally_source(evs_prisma_column *c, const char *name, evs_source_type type)
{
    for (size_t i = 0; i < c->nsources; i++)
        if (strcmp(c->sources[i].name, name) == 0) {
            c->sources[i].n++;
            return;
        }
    if (c->nsources < EVS_PRISMA_MAX_SOURCES) {
        c->sources[c->nsources].name = name;
        c->sources[c->nsources].type = type;
        c->sources[c->nsources++].n = 1;
    } else {
        /* Beyond the limit, the last line gathers the rest. */
        c->sources[EVS_PRISMA_MAX_SOURCES - 1].name = "other sources";
        c->sources[EVS_PRISMA_MAX_SOURCES - 1].n++;
    }
}

static void tally_reason(evs_prisma_column *c, const char *id)
{
    for (size_t i = 0; i < c->nreasons; i++)
        if (strcmp(c->reasons[i].id, id) == 0) {
            c->reasons[i].n++;
            return;
        }
    if (c->nreasons < EVS_PRISMA_MAX_REASONS) {
        c->reasons[c->nreasons].id = id;
        c->reasons[c->nreasons++].n = 1;
    } else {
        c->reasons[EVS_PRISMA_MAX_REASONS - 1].id = "other reasons";
        c->reasons[EVS_PRISMA_MAX_REASONS - 1].n++;
    }
}

/* One record of the current search through its column of the flow. */
static void count_record(evs_prisma_column *c, const evs_record *r)
{
    c->identified++;
    tally_source(c, r->source, r->source_type);
    if (r->source_type == EVS_SOURCE_REGISTER)
        c->registers++;
    if (r->duplicate_of[0] != '\0') {
        c->duplicates++;
        return;
    }
    if (r->source_type != EVS_SOURCE_OTHER) {
        /* PRISMA 2020: records from databases and registers are screened first. */
        c->screened++;
        if (r->ta == EVS_TA_PENDING)
            c->screen_pending++;
        if (r->ta != EVS_TA_INCLUDE) {
            c->screen_excluded += r->ta == EVS_TA_EXCLUDE;
            return;
        }
    }
    c->sought++;
    switch (r->ft) {
    case EVS_FT_PENDING:
        c->assess_pending++;
        break;
    case EVS_FT_NOT_RETRIEVED:
        c->not_retrieved++;
        break;
    case EVS_FT_EXCLUDE:
        c->assessed++;
        c->excluded++;
        tally_reason(c, r->ft_reason[0] ? r->ft_reason : "no reason given");
        break;
    case EVS_FT_INCLUDE:
        c->assessed++;
        c->reports_included++;
        break;
    default:
        break;
    }
}

evs_status evs_prisma_count(const evs_screening_log *log, const evs_evidence *ev,
                            const char *current_search, const char *const *reasons,
                            size_t nreasons, evs_prisma *out)
{
    memset(out, 0, sizeof *out);
    const char *current = current_search;
    for (size_t i = 0; current == NULL && i < log->n; i++)
        if (log->records[i].search[0] != '\0')
            current = log->records[i].search;
    for (size_t i = 0; current_search == NULL && i < log->n; i++)
        if (strcmp(log->records[i].search, current) > 0)
            current = log->records[i].search;
    out->search = current ? current : "";
    /* Declared reasons first, in their order, each with its count (0 included). */
    for (size_t i = 0; i < nreasons && i < EVS_PRISMA_MAX_REASONS; i++) {
        out->databases.reasons[i].id = reasons[i];
        out->other.reasons[i].id = reasons[i];
    }
    out->databases.nreasons = out->other.nreasons =
        nreasons < EVS_PRISMA_MAX_REASONS ? nreasons : EVS_PRISMA_MAX_REASONS;

    unit_set previous = {0}, now = {0};
    bool ok = true;
    for (size_t i = 0; i < log->n && ok; i++) {
        const evs_record *r = &log->records[i];
        bool earlier = strcmp(r->search, out->search) < 0;
        bool included = r->duplicate_of[0] == '\0' && r->ft == EVS_FT_INCLUDE &&
                        (r->source_type == EVS_SOURCE_OTHER || r->ta == EVS_TA_INCLUDE);
        if (earlier) {
            out->update = true;
            if (included) {
                out->previous_reports++;
                ok = unit_add(&previous, unit_of(ev, r->study));
            }
            continue;
        }
        count_record(r->source_type == EVS_SOURCE_OTHER ? &out->other : &out->databases, r);
        if (included)
            ok = unit_add(&now, unit_of(ev, r->study));
    }
    if (ok) {
        out->previous_studies = previous.n;
        out->new_reports = out->databases.reports_included + out->other.reports_included;
        size_t fresh = 0;
        for (size_t i = 0; i < now.n; i++)
            fresh += !unit_has(&previous, now.id[i]);
        out->new_studies = fresh;
        out->total_studies = previous.n + fresh;
        out->total_reports = out->previous_reports + out->new_reports;
        const evs_prisma_column *c[] = {&out->databases, &out->other};
        out->complete = true;
        for (int k = 0; k < 2; k++)
            out->complete &= c[k]->screen_pending == 0 && c[k]->assess_pending == 0;
    }
    free((void *)previous.id);
    free((void *)now.id);
    return ok ? EVS_OK : EVS_ENOMEM;
}
