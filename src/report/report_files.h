/*
 * report_files.h -- the files of `evsynth report`, rendered into memory.
 *
 * One call renders every text file of the report folder from the
 * synthesis, the figure list (with each figure's SVG, to inline in the
 * HTML) and the run's facts.  Nothing here touches a file: the io layer
 * writes the buffers into the new version of the folder (io/outdir.h).
 * report.md links the figures as figures/NAME.png, beside it.
 */
#ifndef EVS_REPORT_FILES_H
#define EVS_REPORT_FILES_H

#include "report/report.h"

/* The files, in the order they are written. */
enum {
    EVS_REPORT_MD,
    EVS_REPORT_HTML,
    EVS_REPORT_JSON,
    EVS_REPORT_FINDINGS,
    EVS_REPORT_STUDIES,
    EVS_REPORT_CRITERIA,
    EVS_REPORT_NFILES
};

/* Their names in the folder: report.md, report.html, results.json, ... */
extern const char *const evs_report_file_names[EVS_REPORT_NFILES];

typedef struct evs_report_files {
    evs_buf file[EVS_REPORT_NFILES];
} evs_report_files;

/*
 * Render every file.  title is the HTML page's title.  Returns EVS_OK, or
 * EVS_ENOMEM when out of memory, with *out then empty.  The caller frees *out
 * with evs_report_files_free.
 */
evs_status evs_report_render(const evs_synthesis *s, const evs_report_info *info,
                             const evs_figure_list *figs, const char *title,
                             evs_report_files *out);

void evs_report_files_free(evs_report_files *f);

#endif
