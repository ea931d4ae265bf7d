/*
 * report.h -- the outputs of `evsynth report` from a synthesis: the
 * results JSON, the report document (rendered to Markdown and HTML), the
 * CSV tables and the gnuplot script of the figures.
 *
 * Everything here is a pure function of its inputs: no clock, no absolute
 * paths, no environment, so the same review gives byte-identical outputs.
 */
#ifndef EVS_REPORT_H
#define EVS_REPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "report/doc.h"
#include "report/strbuf.h"
#include "review/decisions.h"
#include "review/screening.h"
#include "review/synthesis.h"

/* One input file and its SHA-256, for results.json. */
typedef struct evs_input_digest {
    const char *name; /* as shown: "review.ini" */
    char sha256[65];
} evs_input_digest;

typedef struct evs_report_info {
    const char *version;
    const evs_input_digest *inputs;
    size_t ninputs;
    bool figures;              /* false: gnuplot failed or was not found */
    const char *figures_error; /* why there are no figures */
    const json_t *previous;    /* results.json of the last review, or NULL (named by its
                                  SHA-256 only: a path could be a local one) */
    const char *previous_sha256; /* the SHA-256 of that file, or NULL */
    const evs_prisma *prisma;    /* the flow of the screening log, or NULL without one */
    const evs_decision_log *decisions; /* decisions.csv, or NULL */
    const char *pdf_error; /* --pdf asked for, and why it cannot be made; or NULL */
} evs_report_info;

typedef enum evs_figure_kind {
    EVS_FIGURE_OVER_TIME,  /* of trajectory `index` */
    EVS_FIGURE_FOREST,     /* of analysis `index` */
    EVS_FIGURE_CUMULATIVE, /* of analysis `index`, k >= 3 */
    EVS_FIGURE_FUNNEL,     /* of analysis `index`, k >= egger_min_k */
    EVS_FIGURE_PRISMA,      /* the flow diagram (report_prisma.c) */
    EVS_FIGURE_ROB_TRAFFIC, /* risk of bias of tool `index`: traffic-light plot */
    EVS_FIGURE_ROB_SUMMARY  /* risk of bias of tool `index`: weighted summary */
} evs_figure_kind;

typedef struct evs_figure {
    evs_figure_kind kind;
    size_t index;
    char name[128]; /* file name without extension; never cut (see review_io.c) */
    char caption[300];
    char *svg;     /* the drawn SVG, set by the caller (freed with the list), or NULL */
} evs_figure;

/* The figures of a report, in the order the script draws them. */
typedef struct evs_figure_list {
    size_t n;
    evs_figure *items;
} evs_figure_list;

/* The figures the synthesis has.  EVS_EIO if out of memory. */
evs_status evs_report_figures(const evs_synthesis *s, evs_figure_list *figs);
void evs_figure_list_free(evs_figure_list *figs);

/*
 * The gnuplot script drawing every figure as dir/NAME.png and dir/NAME.svg.
 * Text from the review reaches the script only as quoted strings.
 */
void evs_report_plot_script(const evs_synthesis *s, const evs_figure_list *figs,
                            const char *dir, evs_buf *out);

/*
 * The version of results.json's layout, its first key.  reports/results.schema.json
 * (JSON Schema, draft 7) documents every key of this version; a change that
 * removes, renames or retypes a key raises it.
 */
#define EVS_RESULTS_SCHEMA_VERSION 1

/* results.json: every number, setting and input digest.  NULL if out of memory. */
json_t *evs_report_json(const evs_synthesis *s, const evs_report_info *info);

/* The report document. */
void evs_report_doc(const evs_synthesis *s, const evs_report_info *info,
                    const evs_figure_list *figs, const json_t *results, evs_doc *d);

/* CSV tables: summary of findings, study rows of every analysis, criteria. */
void evs_report_csv_findings(const evs_synthesis *s, evs_buf *out);
void evs_report_csv_studies(const evs_synthesis *s, evs_buf *out);
void evs_report_csv_criteria(const evs_synthesis *s, evs_buf *out);

/* Append a CSV field, quoted, with a leading = + - @ (a formula) neutralised. */
void evs_csv_field(evs_buf *b, const char *s);

/* Append a number with 10 significant digits; nothing for NaN or an infinity. */
void evs_csv_number(evs_buf *b, double x);

/*
 * "What changed since the last review", from two results.json objects, as
 * document blocks (a heading level given): the input files that changed,
 * studies added and removed, pooled estimates and certainty, the update
 * signals with their numbers and the update status (review/update.h).
 * old_sha256 (may be NULL) is the SHA-256 of the old file, to name it
 * without its path.  Returns the number of changes.
 */
size_t evs_report_diff(const json_t *old, const json_t *new, const char *old_sha256, int level,
                       evs_doc *d);

/* True when both are results of one review (the same id); else false with why filled. */
bool evs_report_same_review(const json_t *old, const json_t *new, char *why, size_t cap);

/*
 * The sentences of the ratings and verdicts (report_grade.c,
 * report_criteria.c), appended to b.  The rules that decide them are in
 * src/review; these only say in words what the data hold.
 */
/* Why a GRADE rating starts where it does: "randomised trials hold 100% of the participants". */
void evs_text_grade_start(const evs_analysis *a, evs_buf *b);
/* What a domain's rule found for analysis a, with its numbers and thresholds. */
void evs_text_grade_rule(const evs_synthesis *s, const evs_analysis *a, evs_grade_domain d,
                         evs_buf *b);
/* The domain's reason as rated: the reviewer's judgement when overridden, else the rule's. */
void evs_text_grade_reason(const evs_synthesis *s, const evs_analysis *a, evs_grade_domain d,
                           evs_buf *b);

/*
 * GRADE's plain-language statement of an analysis (Santesso et al. 2020),
 * without a final period: "Vertebroplasty likely results in little to no
 * difference in pain (1 to 6 months) compared with sham procedure"; the time
 * window only when `window`.  Nothing when it was not pooled.
 */
void evs_text_statement(const evs_synthesis *s, const evs_analysis *a, bool window, evs_buf *b);
/* The review's technology for a sentence: its first letter lowered unless at the start. */
void evs_text_technology(const evs_synthesis *s, bool start, evs_buf *b);

/* A difference per 1,000 in words: "40 fewer", "14 more", "no difference". */
void evs_text_per_1000(double x, evs_buf *b);
/* The pooled effect as a summary of findings states it: "5.02 (3.87 to 6.16)"; for a
 * comparison of events the relative effect and the absolute effects per 1,000. */
void evs_text_effect(const evs_synthesis *s, const evs_analysis *a, evs_buf *b);
/* Its two parts: "RR 1.20 (0.35 to 4.10)" (or the estimate and CI of any other
 * analysis), and for a comparison of events "per 1,000: 20 with the control,
 * 24 with the intervention (7 to 81), 4 more (13 fewer to 62 more)". */
void evs_text_relative(const evs_synthesis *s, const evs_analysis *a, evs_buf *b);
void evs_text_absolute(const evs_analysis *a, evs_buf *b);
/* The Bayesian model of an analysis (has_bayes) in a sentence, its prior, credible and
 * predictive intervals, P(beyond the MCID), and which result is primary. */
void evs_text_bayes(const evs_synthesis *s, const evs_analysis *a, evs_buf *b);

/* The comparator classes of an analysis's control arms, "sham procedure and usual care":
 * which 0 all, 1 those in the review's question, 2 those outside it. */
void evs_text_comparators(const evs_synthesis *s, const evs_analysis *a, int which, evs_buf *b);
/* The review's established alternatives, "non-surgical care or physiotherapy"; nothing if none. */
void evs_text_established(const evs_synthesis *s, evs_buf *b);
/* The GRADE risk-of-bias domain from the appraisals: "62% of the weight (2 of 5
 * studies) from studies at high risk of bias (threshold 50%): D2 and D4" (report_rob.c). */
void evs_text_rob_grade(const evs_rob_grade *g, evs_buf *b);

/*
 * Risk of bias (report_rob.c): the report's section (tables per tool with
 * each judgement's support, the figures of figs when figures is set), and
 * results.json's appraisals, an analysis's risk-of-bias rule and a pooled
 * row's appraisal (NULL if out of memory).
 */
void evs_report_rob_section(const evs_synthesis *s, const evs_figure_list *figs, bool figures,
                            evs_doc *d);
void evs_report_rob_methods(const evs_synthesis *s, evs_doc *d);
json_t *evs_rob_json(const evs_synthesis *s);
json_t *evs_rob_grade_json(const evs_rob_grade *g);
json_t *evs_rob_row_json(const evs_synthesis *s, const evs_analysis *a, size_t m);

/* The short title of criterion i (0..4). */
const char *evs_criterion_title(int i);
/* The name of a criterion's reason in results.json: "no_important_benefit". */
const char *evs_criterion_reason_name(evs_criterion_reason r);
/* The evidence of criterion i as decided (the reviewer's judgement when overridden). */
void evs_text_criterion(const evs_synthesis *s, int i, evs_buf *b);
/* The evidence as the rule gave it. */
void evs_text_criterion_rule(const evs_synthesis *s, int i, evs_buf *b);
/* What would change criterion i; nothing when it is met. */
void evs_text_criterion_needed(const evs_synthesis *s, int i, evs_buf *b);
/* The conclusion: "X is investigational: criteria 1 and 2 are not met, ..." */
void evs_text_conclusion(const evs_synthesis *s, evs_buf *b);
/* "no randomised trial; 1 comparative cohort with 34 controls" */
void evs_text_comparative(const evs_synthesis *s, evs_buf *b);
/*
 * The PRISMA 2020 flow diagram (report_prisma.c): its figure, appended to
 * the list (EVS_EIO if out of memory); the gnuplot script drawing it as
 * dir/NAME.svg and dir/NAME.png; its counts for results.json (NULL if out
 * of memory); and the report's section, with the figure when figures is
 * true.
 */
evs_status evs_report_figures_add_prisma(evs_figure_list *figs);
void evs_report_prisma_script(const evs_prisma *p, const evs_review *rv, const char *dir,
                              const char *name, evs_buf *out);
json_t *evs_report_prisma_json(const evs_prisma *p, const evs_review *rv);
void evs_report_prisma_doc(const evs_prisma *p, const evs_review *rv,
                           const evs_figure_list *figs, bool figures, int level, evs_doc *d);

/* records.csv: the header and every record of the log (report_records.c). */
void evs_report_records_csv(const evs_screening_log *log, evs_buf *out);

/* Round every real in the tree to 10 significant digits (platform-independent output). */
void evs_json_round(json_t *v);

#endif
