/*
 * meta_notes.c -- the warnings of a meta-analysis result as sentences.
 */
#include "report/meta_notes.h"

#include <stdio.h>
#include <string.h>

void evs_meta_notes(const evs_meta *meta, evs_note_fn fn, void *ctx)
{
    const evs_studies *s = meta->studies;
    char buf[512];

    for (size_t i = 0; i < s->k; i++) {
        int v = meta->effects.missing[i];
        if (v < 0)
            continue;
        snprintf(buf, sizeof buf, "%s (line %ld) left out: %s is missing", s->label[i],
                 s->line[i], evs_var_name((evs_var)v));
        fn(buf, ctx);
    }
    for (size_t i = 0; i < s->k; i++) {
        if (!meta->effects.corrected[i])
            continue;
        snprintf(buf, sizeof buf,
                 "%s (line %ld): a continuity correction was added to its counts", s->label[i],
                 s->line[i]);
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
