/*
 * records_io.h -- reading and checking a review's screening log
 * (REVIEW_DIR/records.csv) and decision log (REVIEW_DIR/decisions.csv).
 *
 * Both files are optional.  Their format is documented for analysts in
 * data/README.md.  Every problem is reported as FILE:LINE:COLUMN: message.
 * The checks of records.csv:
 *
 *   - each value where it stands: a unique record id, a known source type,
 *     dates, a PMID of digits, a DOI that starts "10.", a title;
 *   - the flow: a duplicate refers to a record of the log or a study
 *     ("study:ID") and has no decisions (it is removed before screening); a
 *     record from a database or register is screened on title and abstract
 *     before its full text is assessed, one from other methods is not
 *     (PRISMA 2020); an excluded full text has a reason the review declares
 *     in [exclusion_reasons]; an included full text names its study;
 *   - across rows: no record decided twice (two rows that are not marked
 *     duplicates with the same PMID or DOI);
 *   - across files: the study of an included record is a whole study of
 *     studies.csv that is included, or in an overlap group whose report is
 *     included; once no record waits for a decision, every included study
 *     has an included record; no record is of a search later than the
 *     review's literature_search.
 */
#ifndef EVS_RECORDS_IO_H
#define EVS_RECORDS_IO_H

#include "review/decisions.h"
#include "review/evidence.h"
#include "review/problems.h"
#include "review/review.h"
#include "review/screening.h"

/*
 * Read and check REVIEW_DIR/records.csv.  rv and ev (either may be NULL)
 * enable the checks against review.ini and studies.csv.  *log is the log,
 * owned by the caller, or NULL when the folder has no records.csv (not a
 * problem) or on problems.  Returns evs_problems_status(problems).
 */
evs_status evs_records_load(const char *dir, const evs_review *rv, const evs_evidence *ev,
                            evs_screening_log **log, evs_problems *problems);

/* The same for REVIEW_DIR/decisions.csv. */
evs_status evs_decisions_load(const char *dir, evs_decision_log **log, evs_problems *problems);

#endif
