/*
 * report_files.c -- every file of a report, rendered into memory (see
 * report_files.h): results.json first, since the document reads from it,
 * then the document as Markdown and HTML, then the CSV tables.
 */
#include "report/report_files.h"

#include <stdlib.h>
#include <string.h>

const char *const evs_report_file_names[EVS_REPORT_NFILES] = {
    "report.md",   "report.html", "results.json", "summary_of_findings.csv",
    "studies.csv", "criteria.csv"};

typedef struct lookup {
    const evs_figure_list *figs;
} lookup;

static const char *svg_lookup(const char *name, void *ctx)
{
    const evs_figure_list *figs = ((const lookup *)ctx)->figs;
    for (size_t i = 0; i < figs->n; i++)
        if (strcmp(figs->items[i].name, name) == 0)
            return figs->items[i].svg;
    return NULL;
}

evs_status evs_report_render(const evs_synthesis *s, const evs_report_info *info,
                             const evs_figure_list *figs, const char *title,
                             evs_report_files *out)
{
    for (size_t i = 0; i < EVS_REPORT_NFILES; i++)
        evs_buf_init(&out->file[i]);
    evs_doc doc;
    evs_doc_init(&doc);
    evs_status st = EVS_OK;
    lookup figures = {figs};
    json_t *results = evs_report_json(s, info);
    char *json_text = results ? json_dumps(results, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    if (json_text == NULL) {
        st = EVS_ENOMEM;
        goto done;
    }
    evs_buf_add(&out->file[EVS_REPORT_JSON], json_text);
    evs_buf_add(&out->file[EVS_REPORT_JSON], "\n");
    free(json_text);
    evs_report_doc(s, info, figs, results, &doc);
    evs_doc_markdown(&doc, "figures", &out->file[EVS_REPORT_MD]);
    evs_doc_html(&doc, title, svg_lookup, &figures, &out->file[EVS_REPORT_HTML]);
    evs_report_csv_findings(s, &out->file[EVS_REPORT_FINDINGS]);
    evs_report_csv_studies(s, &out->file[EVS_REPORT_STUDIES]);
    evs_report_csv_criteria(s, &out->file[EVS_REPORT_CRITERIA]);
    if (doc.failed)
        st = EVS_ENOMEM;
    for (size_t i = 0; i < EVS_REPORT_NFILES; i++)
        if (out->file[i].failed)
            st = EVS_ENOMEM;
done:
    evs_doc_free(&doc);
    json_decref(results);
    if (st != EVS_OK)
        evs_report_files_free(out);
    return st;
}

void evs_report_files_free(evs_report_files *f)
{
    for (size_t i = 0; i < EVS_REPORT_NFILES; i++)
        evs_buf_free(&f->file[i]);
}
