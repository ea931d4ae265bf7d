/*
 * screening.h -- the screening log of a review (records.csv): every record a
 * literature search found, its duplicates, the title/abstract and full-text
 * decisions, and the study an included report belongs to; and the counts of
 * the PRISMA 2020 flow diagram that follow from it.
 *
 * References: Page MJ, McKenzie JE, Bossuyt PM, et al. The PRISMA 2020
 * statement: an updated guideline for reporting systematic reviews. BMJ
 * 2021;372:n71 (Figure 1: the flow diagrams for new and for updated reviews,
 * with identification via databases and registers and via other methods).
 * The box names follow the PRISMA2020 R package (Haddaway et al. 2022,
 * Campbell Syst Rev 18:e1230), whose data names are used in results.json.
 *
 * Deduplication compares, in this order (the order of certainty):
 *   1. the PubMed id;
 *   2. the DOI, case-insensitively and without a resolver prefix
 *      (DOIs are case-insensitive: ISO 26324, DOI Handbook 2.4);
 *   3. the title with everything but letters and digits removed, case and
 *      Latin-1 accents folded, with the year and the first author's family
 *      name, normalised the same way.
 * Two records with different PubMed ids are never duplicates (an erratum or
 * a comment can share a title), nor are two records with different DOIs by
 * their title.  Against studies.csv, which has no title column, the title
 * must appear within the study's `citation`, with the same year and author.
 *
 * No I/O here: readers fill the log (src/io/records_io.c, search_export.c).
 */
#ifndef EVS_SCREENING_H
#define EVS_SCREENING_H

#include <stdbool.h>
#include <stddef.h>

#include "review/evidence.h"
#include "evsynth/error.h"

/* Where a record was found (PRISMA 2020's two columns, and registers). */
typedef enum evs_source_type {
    EVS_SOURCE_DATABASE, /* bibliographic databases: PubMed, Embase... */
    EVS_SOURCE_REGISTER, /* trial registers: ClinicalTrials.gov... */
    EVS_SOURCE_OTHER,    /* other methods: citation searching, websites... */
    EVS_SOURCE_TYPE_COUNT
} evs_source_type;

/* Title/abstract screening (records from databases and registers only). */
typedef enum evs_ta_decision {
    EVS_TA_PENDING, /* not screened yet */
    EVS_TA_INCLUDE, /* the report is sought for retrieval */
    EVS_TA_EXCLUDE,
    EVS_TA_COUNT
} evs_ta_decision;

/* Full-text assessment of a report sought for retrieval. */
typedef enum evs_ft_decision {
    EVS_FT_PENDING,
    EVS_FT_INCLUDE,       /* a report of an included study */
    EVS_FT_EXCLUDE,       /* with a reason the review declares */
    EVS_FT_NOT_RETRIEVED, /* sought but not retrieved */
    EVS_FT_COUNT
} evs_ft_decision;

/* How a duplicate was recognised. */
typedef enum evs_match {
    EVS_MATCH_NONE,
    EVS_MATCH_PMID,
    EVS_MATCH_DOI,
    EVS_MATCH_TITLE, /* title, year and first author */
    EVS_MATCH_COUNT
} evs_match;

typedef struct evs_record {
    char *id;         /* "r0001"; NULL for a record not yet in the log */
    char *source;     /* "PubMed", "Embase", "BCBSM policy reference list" */
    evs_source_type source_type;
    char *search;     /* date (YYYY-MM-DD) of the search that found it */
    char *date_added; /* date it was imported */
    char *pmid, *doi; /* as given ("" when unknown) */
    char *first_author, *title, *journal, *pub_type, *abstract;
    int year;           /* 0 when unknown */
    char *duplicate_of; /* a record id, or "study:ID"; "" when not a duplicate */
    evs_match duplicate_match;
    evs_ta_decision ta;
    evs_ft_decision ft;
    char *ft_reason;     /* id of a reason of the review; "" */
    char *study;         /* study id in studies.csv; "" */
    char *note;
    char *imported_from; /* "pubmed.nbib:12": the export file (base name) and line */
    long line;           /* line in records.csv, or in the export file */
} evs_record;

/* The columns of records.csv, in the order evsynth writes them. */
typedef enum evs_record_column {
    EVS_RC_ID, EVS_RC_SOURCE, EVS_RC_SOURCE_TYPE, EVS_RC_SEARCH, EVS_RC_DATE_ADDED, EVS_RC_PMID,
    EVS_RC_DOI, EVS_RC_FIRST_AUTHOR, EVS_RC_YEAR, EVS_RC_TITLE, EVS_RC_JOURNAL, EVS_RC_PUB_TYPE,
    EVS_RC_DUPLICATE_OF, EVS_RC_DUPLICATE_MATCH, EVS_RC_TA, EVS_RC_FT, EVS_RC_FT_REASON,
    EVS_RC_STUDY, EVS_RC_NOTE, EVS_RC_IMPORTED_FROM, EVS_RC_ABSTRACT, EVS_RC_COUNT
} evs_record_column;

/* "id", "source", ... "abstract". */
const char *evs_record_column_name(evs_record_column c);

/* The text of a record's cell in column c (the year as digits, "" for 0). */
const char *evs_record_cell(const evs_record *r, evs_record_column c, char *buf, size_t cap);

/* The records of a log, in file order. */
typedef struct evs_screening_log {
    size_t n, cap;
    evs_record *records;
    char *file; /* path of records.csv, for messages (owned) */
} evs_screening_log;

evs_screening_log *evs_screening_log_alloc(void);
void evs_screening_log_free(evs_screening_log *log);

/* Append a zeroed record with every string "" (NULL if out of memory). */
evs_record *evs_screening_log_add(evs_screening_log *log);

/* Free the strings of a record and set them to NULL. */
void evs_record_clear(evs_record *r);

/* Set a string field of a record to a copy of s (false if out of memory). */
bool evs_record_set(char **field, const char *s);

/* Index of the record with this id, or -1. */
long evs_screening_find(const evs_screening_log *log, const char *id);

/* Name tables in the vocabulary of records.csv ("database", "include"...). */
const char *evs_source_type_name(evs_source_type t);
bool evs_source_type_from_name(const char *name, evs_source_type *t);
const char *evs_ta_name(evs_ta_decision d);
bool evs_ta_from_name(const char *name, evs_ta_decision *d);
const char *evs_ft_name(evs_ft_decision d);
bool evs_ft_from_name(const char *name, evs_ft_decision *d);
const char *evs_match_name(evs_match m); /* "pmid", "doi", "title" */
bool evs_match_from_name(const char *name, evs_match *m);
const char *evs_match_label(evs_match m); /* "PMID", "DOI", "title, year and first author" */

/* ---------------------------------------------------------------------------
 * Keys of deduplication (see the top of this file).  Each writes a
 * NUL-terminated key into out (cap bytes, truncated) and returns its length;
 * 0 when the input gives no key.
 */

/* "https://doi.org/10.1000/ABC." -> "10.1000/abc"; 0 unless it starts "10." */
size_t evs_key_doi(const char *doi, char *out, size_t cap);

/* The DOI as it is written, without a resolver prefix: "10.1000/ABC"; 0 as above. */
size_t evs_doi_bare(const char *doi, char *out, size_t cap);

/* PubMed id: digits only, without leading zeros; 0 if anything else. */
size_t evs_key_pmid(const char *pmid, char *out, size_t cap);

/* Letters and digits of a title, lower case, Latin-1 accents folded. */
size_t evs_key_text(const char *text, char *out, size_t cap);

/*
 * The family name of an author as the key: "Frey ME", "Frey, Michael E.",
 * "Frey M.E." and "FREY, M" all give "frey"; "De Palma MJ" gives "depalma".
 */
size_t evs_key_author(const char *author, char *out, size_t cap);

/* ---------------------------------------------------------------------------
 * Deduplication of new records
 */

typedef struct evs_dedup evs_dedup;

/*
 * An index of what is already known: the log's records that are not
 * duplicates themselves, and the whole studies of the evidence (either may
 * be NULL).  NULL if out of memory.
 */
evs_dedup *evs_dedup_alloc(const evs_screening_log *log, const evs_evidence *ev);
void evs_dedup_free(evs_dedup *d);

/*
 * What a new record matches.  A duplicate matches a record of the log or an
 * earlier record of the import.  A record that matches a study of
 * studies.csv duplicates the record of that study (the log's, or an earlier
 * one of the import); when the study has none (its studies.csv row was
 * written before the log was kept), the new record is that study's record:
 * not a duplicate, with `study` set.
 */
typedef struct evs_dup {
    evs_match match;   /* EVS_MATCH_NONE: matches nothing */
    bool duplicate;    /* removed before screening */
    long log_record;   /* index into the log, or -1 */
    long study;        /* index into the evidence's studies, or -1 */
    long new_record;   /* index of an earlier record of the same import, or -1 */
} evs_dup;

/*
 * Look up new record r (number `index` of the import).  When it is not a
 * duplicate it is added to the index, so that later records of the import
 * are compared with it.  Returns EVS_ENOMEM when out of memory.
 */
evs_status evs_dedup_check(evs_dedup *d, const evs_record *r, size_t index, evs_dup *out);

/* ---------------------------------------------------------------------------
 * PRISMA 2020 counts
 */

#define EVS_PRISMA_MAX_SOURCES 32
#define EVS_PRISMA_MAX_REASONS 32

typedef struct evs_prisma_source {
    const char *name;     /* points into the log */
    evs_source_type type; /* of its first record */
    size_t n;             /* records identified, duplicates included */
} evs_prisma_source;

typedef struct evs_prisma_reason {
    const char *id; /* points into the review's reasons, or the log */
    size_t n;
} evs_prisma_reason;

/* One column of the flow: databases and registers, or other methods. */
typedef struct evs_prisma_column {
    size_t nsources;
    evs_prisma_source sources[EVS_PRISMA_MAX_SOURCES]; /* in order of first appearance */
    size_t identified;      /* records, duplicates included */
    size_t registers;       /* of which from registers (databases column) */
    size_t duplicates;      /* removed before screening */
    size_t screened;        /* title/abstract (databases column) */
    size_t screen_excluded;
    size_t screen_pending;  /* not yet screened */
    size_t sought, not_retrieved, assessed, excluded, assess_pending;
    size_t nreasons;
    evs_prisma_reason reasons[EVS_PRISMA_MAX_REASONS]; /* reports excluded, per reason */
    size_t reports_included; /* reports (records) included at full text */
} evs_prisma_column;

typedef struct evs_prisma {
    bool update;        /* records of an earlier search exist: the updated-review template */
    const char *search; /* date of the current search ("" when unknown) */
    size_t previous_studies, previous_reports;
    evs_prisma_column databases, other; /* identification of new studies */
    size_t new_studies, new_reports;     /* included from the current search */
    size_t total_studies, total_reports; /* previous and new together */
    bool complete; /* every record of the current search is decided */
} evs_prisma;

/*
 * Count the flow from the log.  Records of the search of current_search (a
 * date; NULL: the latest search in the log) are the new ones; with records
 * of earlier searches, update is true and their included studies and
 * reports are the previous version's.  A study is
 * counted once for all its reports: the reports of one study, and reports
 * of studies in one overlap group of studies.csv, are one study.  ev may be
 * NULL (then each study id is its own study).  reasons (n ids) gives the
 * order of the reasons; reasons not in it follow in order of appearance.
 * Returns EVS_ENOMEM when out of memory.
 */
evs_status evs_prisma_count(const evs_screening_log *log, const evs_evidence *ev,
                            const char *current_search, const char *const *reasons,
                            size_t nreasons, evs_prisma *out);

#endif
