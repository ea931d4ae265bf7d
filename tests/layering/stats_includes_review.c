/*
 * stats_includes_review.c -- a probe that must NOT compile: engine code
 * (built with evsynth_stats' include paths) including a header of the
 * review layer above it.  ctest `layering_compile` builds it and passes only
 * when the compiler reports that review/grade.h cannot be found, which shows
 * that src/CMakeLists.txt enforces the dependency rule.
 */
#include "evsynth/fit.h"
#include "review/grade.h"

int evs_layering_probe(void);
int evs_layering_probe(void) { return 0; }
