/*
 * numfmt.h -- the one rule for numbers in committee-facing text: the
 * report's sentences and tables, the figures, the GRADE reasons and the
 * criteria evidence (README, "How numbers are written").
 *
 *   effects, CIs and prediction intervals   2 decimals on a points scale
 *                                           ("5.02"), 1 decimal and a
 *                                           percent sign on a rate scale
 *                                           ("12.3%"); the same everywhere
 *   statistics (tau2, Q, z, t)              2 decimals
 *   shares (I2, participants' shares)       whole percent ("91%")
 *   p-values                                3 decimals, "< 0.001" below
 *   counts (studies, participants, events)  whole numbers with a comma
 *                                           between thousands ("1,234")
 *   settings (MCID, thresholds, levels, r)  as written in review.ini, in
 *                                           the shortest fixed form ("2",
 *                                           "0.5", "95")
 *
 * Never scientific notation; a value that rounds to zero is written without
 * a minus sign; a missing value (NaN) is "-".  results.json and the CSV
 * tables keep full precision and do not follow this rule.
 *
 * Every function writes a NUL-terminated string into buf (truncated to cap)
 * and returns buf, so that calls can be arguments of a printf.  EVS_NUM_TEXT
 * bytes hold any value these functions write for |x| < 1e15.
 */
#ifndef EVS_NUMFMT_H
#define EVS_NUMFMT_H

#include <stdbool.h>
#include <stddef.h>

#define EVS_NUM_TEXT 48

/* x with `decimals` decimals (0 to 6) in fixed notation. */
char *evs_num_fixed(double x, int decimals, char *buf, size_t cap);

/* An effect or interval bound: "5.02", or "12.3%" when percent. */
char *evs_num_effect(double x, bool percent, char *buf, size_t cap);

/* "lb to ub" on the effect's scale; "-" when either bound is missing. */
char *evs_num_interval(double lb, double ub, bool percent, char *buf, size_t cap);

/* "est (lb to ub)"; only "est" when a bound is missing. */
char *evs_num_estimate_ci(double est, double lb, double ub, bool percent, char *buf,
                          size_t cap);

/* A statistic: 2 decimals. */
char *evs_num_stat(double x, char *buf, size_t cap);

/* A share in percent, whole: "91%". */
char *evs_num_share(double percent, char *buf, size_t cap);

/* A p-value with its relation: "= 0.042", "< 0.001"; "= NA" when missing. */
char *evs_num_p(double p, char *buf, size_t cap);

/* A count: "1,234"; "-" when missing. */
char *evs_num_count(double n, char *buf, size_t cap);

/* A setting: fixed notation, up to 4 decimals, trailing zeros dropped. */
char *evs_num_setting(double x, char *buf, size_t cap);

#endif
