/*
 * cmd_meta.c -- "evsynth meta": pool the studies of one CSV file.
 */
#include <stdbool.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "meta.h"
#include "meta_json.h"
#include "meta_text.h"
#include "numparse.h"
#include "options.h"
#include "studies_io.h"
#include "table.h"

enum { OPT_MEASURE, OPT_METHOD, OPT_TEST, OPT_LEVEL, OPT_LOCAL_MAX, OPT_JSON, OPT_HELP };

static const evs_option meta_options[] = {
    {OPT_MEASURE, "measure", 0, "M", "effect measure (default GEN; see below)"},
    {OPT_METHOD, "method", 0, "T", "tau^2 estimator, or FE (default REML; see below)"},
    {OPT_TEST, "test", 0, "z|knha", "inference: normal (z, default) or Knapp-Hartung (knha)"},
    {OPT_LEVEL, "level", 0, "L", "confidence level in percent (default 95)"},
    {OPT_LOCAL_MAX, "local-max", 0, NULL,
     "ML, REML: stop at a local maximum at tau^2 = 0, as metafor does"},
    {OPT_JSON, "json", 0, NULL, "print one JSON object instead of the summary"},
    {OPT_HELP, "help", 'h', NULL, "show this help and exit"},
};

#define NOPTIONS (sizeof meta_options / sizeof meta_options[0])

typedef struct meta_args {
    evs_measure measure;
    evs_fit_options fit;
    bool json, help;
} meta_args;

static evs_status on_option(int id, const char *value, void *ctx, evs_error *err)
{
    meta_args *a = ctx;
    double level;
    switch (id) {
    case OPT_MEASURE:
        if (!evs_measure_from_name(value, &a->measure))
            return evs_error_set(err, EVS_EUSAGE, 0, 0, "unknown measure '%s' (expected one of: %s)",
                                 value, evs_measure_names());
        break;
    case OPT_METHOD:
        if (!evs_method_from_name(value, &a->fit.method))
            return evs_error_set(err, EVS_EUSAGE, 0, 0, "unknown method '%s' (expected one of: %s)",
                                 value, evs_method_names());
        break;
    case OPT_TEST:
        if (!evs_test_from_name(value, &a->fit.test))
            return evs_error_set(err, EVS_EUSAGE, 0, 0, "unknown test '%s' (expected z or knha)",
                                 value);
        break;
    case OPT_LEVEL:
        if (evs_parse_number(value, &level) != EVS_NUM_OK ||
            isnan(a->fit.level = evs_level_percent(level)))
            return evs_error_set(err, EVS_EUSAGE, 0, 0,
                                 "invalid level '%s' (expected a percentage such as 95, "
                                 "or a fraction such as 0.95)",
                                 value);
        break;
    case OPT_LOCAL_MAX:
        a->fit.local_max = true;
        break;
    case OPT_JSON:
        a->json = true;
        break;
    case OPT_HELP:
        a->help = true;
        break;
    }
    return EVS_OK;
}

static void meta_help(FILE *out)
{
    fprintf(out,
            "Usage: evsynth meta [--measure M] [--method T] [--test z|knha] [--level L]\n"
            "                    [--local-max] [--json] FILE.csv\n\n"
            "Compute effect sizes from the columns of FILE.csv (named as metafor's\n"
            "escalc() arguments: yi vi sei ai bi ci di n1i n2i m1i m2i sd1i sd2i ni ri\n"
            "xi mi sdi; an optional 'study' column labels the rows), fit a common- or\n"
            "random-effects model, and print the result.  FILE.csv may be '-' for\n"
            "standard input.\n\nOptions:\n");
    evs_options_help(out, meta_options, NOPTIONS);
    fprintf(out, "\nMeasures (metafor escalc() names):\n");
    for (int m = 0; m < EVS_MEASURE_COUNT; m++)
        fprintf(out, "  %-5s %s\n", evs_measure_name((evs_measure)m),
                evs_measure_description((evs_measure)m));
    fprintf(out, "\nMethods (metafor rma() names):\n");
    for (int m = 0; m < EVS_METHOD_COUNT; m++)
        fprintf(out, "  %-5s %s\n", evs_method_name((evs_method)m),
                evs_method_description((evs_method)m));
    fprintf(out, "\nExit status: 0 success, 1 data or analysis error, 2 usage error, 3 file\n"
                 "or output error.\n");
}

int evs_cmd_meta(int argc, char **argv)
{
    meta_args a = {.measure = EVS_MEASURE_GEN};
    evs_fit_options_default(&a.fit);
    evs_error err;
    evs_error_clear(&err);
    int nops = 0;

    if (evs_options_parse(argc, argv, meta_options, NOPTIONS, on_option, &a, &nops, &err) !=
        EVS_OK)
        return evs_report_error("meta", &err);
    if (a.help) {
        meta_help(stdout);
        return 0;
    }
    if (nops != 1) {
        evs_error_set(&err, EVS_EUSAGE, 0, 0,
                      nops == 0 ? "missing input file" : "expected one input file, got %d",
                      nops);
        return evs_report_error("meta", &err);
    }

    int status = EVS_OK;
    evs_table *table = NULL;
    evs_studies *studies = NULL;
    evs_meta *meta = NULL;
    if ((table = evs_table_read(argv[0], &err)) == NULL ||
        (studies = evs_studies_from_table(table, a.measure, &err)) == NULL ||
        (meta = evs_meta_run(studies, a.measure, NULL, &a.fit, NULL, &err)) == NULL) {
        status = evs_report_error("meta", &err);
        goto done;
    }

    if (a.json) {
        json_t *obj = evs_meta_json(meta, true);
        if (obj == NULL || evs_json_dump(obj, stdout, true) != 0) {
            evs_error_set(&err, EVS_EIO, 0, 0, "cannot write the JSON output");
            status = evs_report_error("meta", &err);
        }
        json_decref(obj);
    } else if (evs_meta_write_text(meta, stdout) != 0) {
        evs_error_set(&err, EVS_EIO, 0, 0, "cannot write the output");
        status = evs_report_error("meta", &err);
    }
    if (status == EVS_OK && fflush(stdout) != 0) {
        evs_error_set(&err, EVS_EIO, 0, 0, "cannot write the output");
        status = evs_report_error("meta", &err);
    }

done:
    evs_meta_free(meta);
    evs_studies_free(studies);
    evs_table_free(table);
    return status;
}
