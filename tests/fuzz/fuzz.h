/*
 * fuzz.h -- the entry point every fuzz target defines (libFuzzer's), and a
 * check that aborts, so that a broken invariant is a crash the fuzzer sees.
 *
 * The targets are built two ways: with clang -fsanitize=fuzzer for fuzzing
 * (scripts/fuzz), and with fuzz_replay.c's main() by any compiler, as ctest
 * tests that replay the committed corpus and every crash ever found.
 */
#ifndef EVS_FUZZ_H
#define EVS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "evsynth/fit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * Abort unless a fit that returned EVS_OK keeps its promises: converged or
 * flagged as not converged, and when converged, finite estimates with
 * ordered intervals, tau2 >= 0, I2 in [0, 100], p-values in [0, 1].
 * tau2_ci: the Q-profile CI was asked for (missing bounds must be flagged).
 */
void fuzz_check_fit(const evs_fit *f, bool tau2_ci);

#define FUZZ_CHECK(cond)                                                          \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, \
                    #cond);                                                       \
            abort();                                                              \
        }                                                                         \
    } while (0)

#endif
