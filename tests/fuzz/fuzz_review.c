/*
 * fuzz_review.c -- the review-folder reader, the synthesis and the report
 * writers (everything `evsynth report` does except running gnuplot).
 *
 * The input holds the three files of a review folder, in this order,
 * separated by a line "%%%%":  review.ini, studies.csv, outcomes.csv.
 * They are written to a private temporary folder, read and checked as
 * `evsynth check` does; a review without problems is synthesised and its
 * report rendered in memory (JSON, Markdown, HTML, CSV, gnuplot script).
 */
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "io/review_io.h"
#include "report/report.h"

static const char *const file_names[] = {"review.ini", "studies.csv", "outcomes.csv"};
enum { NFILES = sizeof file_names / sizeof file_names[0] };
static const char separator[] = "\n%%%%\n";

static char folder[] = "/tmp/evs-fuzz-review-XXXXXX";

static void remove_folder(void)
{
    char path[sizeof folder + 32];
    for (int i = 0; i < NFILES; i++) {
        snprintf(path, sizeof path, "%s/%s", folder, file_names[i]);
        unlink(path);
    }
    rmdir(folder);
}

/* The first occurrence of needle in hay[0..len), or NULL. */
static const uint8_t *find(const uint8_t *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

static void write_file(int i, const uint8_t *data, size_t len)
{
    char path[sizeof folder + 32];
    snprintf(path, sizeof path, "%s/%s", folder, file_names[i]);
    FILE *fp = fopen(path, "wb");
    FUZZ_CHECK(fp != NULL);
    FUZZ_CHECK(fwrite(data, 1, len, fp) == len);
    FUZZ_CHECK(fclose(fp) == 0);
}

static void render(const evs_synthesis *syn)
{
    evs_figure_list figs;
    if (evs_report_figures(syn, &figs) != EVS_OK)
        return;
    evs_buf out[5];
    for (int i = 0; i < 5; i++)
        evs_buf_init(&out[i]);
    evs_report_plot_script(syn, &figs, "/nonexistent", &out[0]);
    evs_report_info info = {.version = "fuzz", .figures = false, .figures_error = "fuzzing"};
    json_t *results = evs_report_json(syn, &info);
    if (results != NULL) {
        evs_doc doc;
        evs_doc_init(&doc);
        evs_report_doc(syn, &info, &figs, results, &doc);
        evs_doc_markdown(&doc, "figures", &out[1]);
        evs_doc_html(&doc, "fuzz", NULL, NULL, &out[2]);
        evs_doc_free(&doc);
        json_decref(results);
    }
    evs_report_csv_findings(syn, &out[3]);
    evs_report_csv_studies(syn, &out[4]);
    evs_report_csv_criteria(syn, &out[4]);
    for (int i = 0; i < 5; i++)
        evs_buf_free(&out[i]);
    evs_figure_list_free(&figs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        FUZZ_CHECK(mkdtemp(folder) != NULL);
        atexit(remove_folder);
        ready = 1;
    }
    const uint8_t *p = data, *end = data + size;
    for (int i = 0; i < NFILES; i++) {
        const uint8_t *sep = i + 1 < NFILES ? find(p, (size_t)(end - p), separator) : NULL;
        const uint8_t *stop = sep != NULL ? sep : end;
        write_file(i, p, (size_t)(stop - p));
        p = sep != NULL ? sep + strlen(separator) : end;
    }

    evs_review *rv = NULL;
    evs_evidence *ev = NULL;
    evs_problems problems;
    evs_problems_init(&problems);
    evs_status st = evs_review_load(folder, &rv, &ev, &problems);
    FUZZ_CHECK((st == EVS_OK) == (rv != NULL && ev != NULL));
    if (st == EVS_OK) {
        evs_error err;
        evs_synthesis *syn = evs_synthesize(rv, ev, &err);
        if (syn != NULL) {
            render(syn);
            evs_synthesis_free(syn);
        } else {
            FUZZ_CHECK(err.message[0] != '\0');
        }
        evs_review_free(rv);
        evs_evidence_free(ev);
    }
    evs_problems_free(&problems);
    return 0;
}
