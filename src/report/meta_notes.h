/*
 * meta_notes.h -- the warnings and notes a meta-analysis result carries, as
 * sentences, for every writer to show the same ones.
 */
#ifndef EVS_META_NOTES_H
#define EVS_META_NOTES_H

#include "evsynth/meta.h"

typedef void (*evs_note_fn)(const char *text, void *ctx);

/*
 * Call fn once per warning, in a fixed order: rows left out for missing
 * data, rows whose counts got a continuity correction, then the fit's
 * EVS_WARN_* flags.
 */
void evs_meta_notes(const evs_meta *meta, evs_note_fn fn, void *ctx);

#endif
