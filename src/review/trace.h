/*
 * trace.h -- is every number an analysis pools traceable to its source?
 *
 * Each row of outcomes.csv carries the sentence its numbers were read from
 * (`quote`).  A number is traced when it is written in that quote, or when
 * the row's `derivation` says how it was obtained from numbers or words that
 * are.  A derivation is a list of items separated by ';':
 *
 *     events = 34 + 15 (mild plus significant improvement)
 *     events = 0 from "No major complications"
 *
 * FIELD is an outcomes.csv number column (n, mean, sd, se, ci_lb, ci_ub,
 * median, q1, q3, min, max, events, percent).  Without `from`, every number
 * of the expression (+ - * / and parentheses) must be in the quote; with
 * `from "PHRASE"` the phrase must be (case aside), and the expression may be
 * a plain value such as 0.  Either way the expression must equal the
 * field's value.  A parenthesised comment may follow.
 *
 * In a quote a number may be written in digits, with '.' or a decimal comma
 * ("8,3"), with trailing zeros ("9.0" is 9), or in English words ("Twenty-two",
 * "Two hundred and forty-three"); "1,155" is read both as 1.155 and 1155.
 * Signs are not compared: a quote says "decreased by 7.6" for a change of
 * -7.6.
 */
#ifndef EVS_TRACE_H
#define EVS_TRACE_H

#include <stdbool.h>
#include <stddef.h>

#include "review/evidence.h"
#include "review/problems.h"
#include "review/review.h"

/* Is |value| written in text (in digits or in words)?  NULL text: false. */
bool evs_trace_in_text(const char *text, double value);

/* Is phrase in text, ignoring ASCII case?  An empty phrase is not. */
bool evs_trace_phrase_in_text(const char *text, const char *phrase, size_t len);

#define EVS_DERIVATION_MAX_OPERANDS 16

typedef struct evs_derivation {
    evs_obs_field field;
    double value;                 /* what the expression evaluates to */
    const char *phrase;           /* the text after `from`, inside its quotes; or NULL */
    size_t phrase_len;
    size_t noperands;             /* the numbers written in the expression */
    double operands[EVS_DERIVATION_MAX_OPERANDS];
} evs_derivation;

/*
 * Parse a derivation.  Returns the number of items written to `items` (at
 * most max), or -1 with a message in msg when the text is not a derivation.
 * An empty text has 0 items.
 */
int evs_derivation_parse(const char *text, evs_derivation *items, size_t max, char *msg,
                         size_t msg_cap);

/*
 * Check a review's traceability.  Every derivation is checked (its field has
 * a value, the expression gives it, its numbers or phrase are in the quote).
 * When rv->quotes_required, every number of every observation that an
 * analysis pools must be in its quote or derived: the outcomes' analyses,
 * the pools matched to published reviews (compare.h), the named sensitivity
 * analyses and the control arms' mean scores of the pain over time.  Problems name
 * outcomes.csv, the line and the column: field_col[f] is the 1-based column
 * of field f (0 if absent) and derivation_col that of `derivation`.
 */
void evs_trace_check(const evs_review *rv, const evs_evidence *ev, const long *field_col,
                     long derivation_col, evs_problems *problems);

#endif
