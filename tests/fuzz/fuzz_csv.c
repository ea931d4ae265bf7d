/*
 * fuzz_csv.c -- the CSV reader and the study-table reader.
 *
 * Byte 0 chooses the measure; the rest is the CSV file.  The file is read
 * into a table, its columns into study data for that measure, and, when
 * that succeeds, the effect sizes are computed and pooled (REML, Q-profile
 * CI).  Every error must carry a message; every fit keeps fuzz_check_fit's
 * promises.
 */
#include "evsynth/meta.h"
#include "fuzz.h"
#include "io/studies_io.h"
#include "io/table.h"

static void check_error(const evs_error *err)
{
    FUZZ_CHECK(err->code != EVS_OK);
    FUZZ_CHECK(err->message[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    evs_measure m = (evs_measure)(data[0] % EVS_MEASURE_COUNT);
    evs_error err;
    evs_table *t = evs_table_read_buffer((const char *)data + 1, size - 1, "fuzz.csv", &err);
    if (t == NULL) {
        check_error(&err);
        return 0;
    }
    FUZZ_CHECK(evs_table_nrows(t) > 0 && evs_table_ncols(t) > 0);
    evs_studies *s = evs_studies_from_table(t, m, &err);
    if (s == NULL) {
        check_error(&err);
    } else {
        evs_escalc_options eo;
        evs_escalc_options_default(&eo);
        evs_fit_options fo;
        evs_fit_options_default(&fo);
        evs_meta *meta = evs_meta_run(s, m, &eo, &fo, NULL, &err);
        if (meta == NULL) {
            check_error(&err);
        } else {
            fuzz_check_fit(&meta->fit, true);
            evs_meta_free(meta);
        }
        evs_studies_free(s);
    }
    evs_table_free(t);
    return 0;
}
