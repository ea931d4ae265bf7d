/*
 * decisions.c -- the decision log (see decisions.h).
 */
#include "review/decisions.h"

#include <stdlib.h>

void evs_decision_log_free(evs_decision_log *log)
{
    if (log == NULL)
        return;
    for (size_t i = 0; i < log->n; i++) {
        evs_decision *d = &log->items[i];
        char *s[] = {d->date,           d->body, d->decision, d->effective, d->next_review,
                     d->results_sha256, d->note};
        for (size_t j = 0; j < sizeof s / sizeof s[0]; j++)
            free(s[j]);
    }
    free(log->items);
    free(log->file);
    free(log);
}
