/*
 * meta_notes.c -- the warnings of a meta-analysis result as sentences.
 */
#include "report/meta_notes.h"

#include <stdio.h>
#include <string.h>

/*
 * Row i as a note names it: its label and where it comes from, "Frey 2017
 * (outcomes.csv:27)", as an error names a place (FILE:LINE); "line 27" when
 * the rows have no file name, and no place when the line is unknown.
 */
static void row_name(const evs_studies *s, size_t i, char *buf, size_t cap)
{
    char fallback[EVS_LABEL_DEFAULT_MAX];
    const char *label = evs_studies_label(s, i, fallback); /* "Study N" without one */
    long line = s->line != NULL ? s->line[i] : 0;
    if (line <= 0)
        snprintf(buf, cap, "%s", label);
    else if (s->source != NULL)
        snprintf(buf, cap, "%s (%s:%ld)", label, s->source, line);
    else
        snprintf(buf, cap, "%s (line %ld)", label, line);
}

void evs_meta_notes(const evs_meta *meta, evs_note_fn fn, void *ctx)
{
    const evs_studies *s = meta->studies;
    char buf[4608], name[4400];

    for (size_t i = 0; i < s->k; i++) {
        int v = meta->effects.missing[i];
        if (v < 0)
            continue;
        row_name(s, i, name, sizeof name);
        snprintf(buf, sizeof buf, "%s left out: %s is missing", name, evs_var_name((evs_var)v));
        fn(buf, ctx);
    }
    for (size_t i = 0; i < s->k; i++) {
        if (!meta->effects.corrected[i])
            continue;
        row_name(s, i, name, sizeof name);
        snprintf(buf, sizeof buf, "%s: a continuity correction was added to its counts", name);
        fn(buf, ctx);
    }
    if (!meta->fit.converged)
        fn(evs_fit_warning_text(EVS_WARN_NOT_CONVERGED), ctx);
    for (int b = 0; b < EVS_WARN_COUNT_; b++) {
        unsigned bit = 1u << b;
        if ((meta->fit.warnings & bit) && bit != EVS_WARN_NOT_CONVERGED)
            fn(evs_fit_warning_text(bit), ctx);
    }
}
