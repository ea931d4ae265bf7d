/*
 * chromium.h -- a PDF of an HTML page, printed by headless Chromium (Debian's
 * `chromium`), the engine the report's print styles are written and tested
 * for (tests/browser).
 *
 * Chromium runs as an external program: found on PATH, started without a
 * shell (posix_spawnp) in a process group of its own, with a fresh profile
 * folder, no network services (background networking, component updates,
 * sync and first-run tasks off), no GPU, and the sandbox off only when
 * running as root, where Chromium refuses it.  It gets at most
 * EVS_CHROMIUM_TIMEOUT seconds; its exit status is checked and its output
 * must be a whole PDF.
 */
#ifndef EVS_CHROMIUM_H
#define EVS_CHROMIUM_H

#include <stdbool.h>

#include "evsynth/error.h"

#define EVS_CHROMIUM_TIMEOUT 120 /* seconds */

/* Is a `chromium` program on PATH? */
bool evs_chromium_available(void);

/*
 * Print the HTML file html_path to pdf_path (A4, the page's own @page rules,
 * no header or footer of Chromium's own).  scratch_dir is a folder for the
 * profile and Chromium's messages, removed afterwards.  date, "YYYY-MM-DD"
 * or NULL, becomes the PDF's creation and modification date, so that the
 * same page gives the same bytes (Chromium writes the clock there and
 * nowhere else).  Returns EVS_OK, or EVS_EIO with err saying whether
 * Chromium is missing, failed (with the first of its messages) or timed out.
 */
evs_status evs_chromium_pdf(const char *html_path, const char *pdf_path, const char *scratch_dir,
                            const char *date, evs_error *err);

#endif
