/*
 * numparse.h -- strict, locale-independent parsing of numbers in CSV cells.
 *
 * A cell holds a number in the plain decimal notation that R's write.csv and
 * spreadsheets in an English locale produce:
 *
 *     [+|-] digits [. digits] [(e|E) [+|-] digits]     (or  [+|-] . digits ...)
 *
 * surrounded by optional spaces.  Anything else is rejected with a reason that
 * names the likely mistake: a decimal comma ("1,5"), a thousands separator
 * ("1,000" or "1 000"), NaN or infinity, hexadecimal, or a value outside the
 * range of a double.  Parsing does not depend on the process locale.
 */
#ifndef EVS_NUMPARSE_H
#define EVS_NUMPARSE_H

#include <stdbool.h>

typedef enum evs_num_status {
    EVS_NUM_OK = 0,
    EVS_NUM_EMPTY,      /* empty, blank, or "NA": a missing value */
    EVS_NUM_COMMA,      /* contains a comma: decimal comma or thousands separator */
    EVS_NUM_SPACE,      /* digits separated by spaces: thousands separator */
    EVS_NUM_NONFINITE,  /* NaN, Inf, Infinity */
    EVS_NUM_RANGE,      /* overflows a double */
    EVS_NUM_SYNTAX      /* anything else */
} evs_num_status;

/* Parse s into *out.  *out is set to NaN unless the status is EVS_NUM_OK. */
evs_num_status evs_parse_number(const char *s, double *out);

/*
 * A short explanation of a status for an error message, e.g.
 * "use '.' as the decimal separator and no thousands separators".
 */
const char *evs_num_status_hint(evs_num_status st);

/* True when x is a whole number (no fractional part), e.g. a count. */
bool evs_is_whole(double x);

#endif
