/*
 * options.c -- table-driven option parsing (see options.h).
 *
 * Written here rather than with getopt_long() so that parsing has no global
 * state, reports errors in our own words, and can be tested as a function.
 */
#include "cli/options.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "io/numparse.h"

static const evs_option *find_long(const evs_option *table, size_t n, const char *name,
                                   size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(table[i].name) == len && strncmp(table[i].name, name, len) == 0)
            return &table[i];
    return NULL;
}

static const evs_option *find_short(const evs_option *table, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        if (table[i].short_name != 0 && table[i].short_name == c)
            return &table[i];
    return NULL;
}

evs_status evs_options_parse(int argc, char **argv, const evs_option *table, size_t n,
                             evs_option_fn fn, void *ctx, int *noperands, evs_error *err)
{
    int nops = 0;
    bool only_operands = false;
    for (int i = 0; i < argc; i++) {
        char *arg = argv[i];
        if (only_operands || arg[0] != '-' || arg[1] == '\0') {
            argv[nops++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_operands = true;
            continue;
        }
        const evs_option *opt;
        const char *value = NULL;
        if (arg[1] == '-') {
            const char *name = arg + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            opt = find_long(table, n, name, len);
            if (opt == NULL)
                return evs_error_set(err, EVS_EUSAGE, 0, 0, "unknown option '--%.*s'",
                                     (int)len, name);
            if (eq != NULL) {
                if (opt->value == NULL)
                    return evs_error_set(err, EVS_EUSAGE, 0, 0,
                                         "option '--%s' takes no value", opt->name);
                value = eq + 1;
            }
        } else {
            if (arg[2] != '\0')
                return evs_error_set(err, EVS_EUSAGE, 0, 0, "unknown option '%s'", arg);
            opt = find_short(table, n, arg[1]);
            if (opt == NULL)
                return evs_error_set(err, EVS_EUSAGE, 0, 0, "unknown option '%s'", arg);
        }
        if (opt->value != NULL && value == NULL) {
            if (i + 1 >= argc)
                return evs_error_set(err, EVS_EUSAGE, 0, 0, "option '--%s' needs a value (%s)",
                                     opt->name, opt->value);
            value = argv[++i];
        }
        evs_status st = fn(opt->id, value, ctx, err);
        if (st != EVS_OK)
            return st;
    }
    *noperands = nops;
    return EVS_OK;
}

/* Help column: option names up to HELP_NAME_MAX characters share the line
 * with their help; longer ones put the help on the next line.  A '\n' in a
 * help text continues it on a new line in the same column. */
enum { HELP_NAME_MAX = 22 };

static void print_help_text(FILE *out, const char *text, int column)
{
    for (const char *p = text; *p; p++) {
        fputc(*p, out);
        if (*p == '\n')
            fprintf(out, "%*s", column, "");
    }
    fputc('\n', out);
}

void evs_options_help(FILE *out, const evs_option *table, size_t n)
{
    int width = 0;
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        int len = snprintf(buf, sizeof buf, "--%s%s%s", table[i].name,
                           table[i].value ? " " : "", table[i].value ? table[i].value : "");
        if (len > width && len <= HELP_NAME_MAX)
            width = len;
    }
    int column = 6 + width + 2;
    for (size_t i = 0; i < n; i++) {
        int len = snprintf(buf, sizeof buf, "--%s%s%s", table[i].name,
                           table[i].value ? " " : "", table[i].value ? table[i].value : "");
        if (table[i].short_name)
            fprintf(out, "  -%c, ", table[i].short_name);
        else
            fputs("      ", out);
        if (len > width)
            fprintf(out, "%s\n%*s", buf, column, "");
        else
            fprintf(out, "%-*s  ", width, buf);
        print_help_text(out, table[i].help, column);
    }
}

evs_status evs_option_measure(const char *value, evs_measure *m, evs_error *err)
{
    if (evs_measure_from_name(value, m))
        return EVS_OK;
    return evs_error_set(err, EVS_EUSAGE, 0, 0, "unknown measure '%s' (expected one of: %s)",
                         value, evs_measure_names());
}

evs_status evs_option_method(const char *value, evs_method *m, evs_error *err)
{
    if (evs_method_from_name(value, m))
        return EVS_OK;
    return evs_error_set(err, EVS_EUSAGE, 0, 0, "unknown method '%s' (expected one of: %s)",
                         value, evs_method_names());
}

evs_status evs_option_test(const char *value, evs_test *t, evs_error *err)
{
    if (evs_test_from_name(value, t))
        return EVS_OK;
    return evs_error_set(err, EVS_EUSAGE, 0, 0, "unknown test '%s' (expected z or knha)", value);
}

evs_status evs_option_level(const char *value, double *level, evs_error *err)
{
    double x;
    if (evs_parse_number(value, &x) == EVS_NUM_OK && !isnan(evs_level_percent(x))) {
        *level = evs_level_percent(x);
        return EVS_OK;
    }
    return evs_error_set(err, EVS_EUSAGE, 0, 0,
                         "invalid level '%s' (expected a percentage such as 95, or a fraction "
                         "such as 0.95)",
                         value);
}

evs_status evs_option_threads(const char *value, unsigned *threads, evs_error *err)
{
    double x;
    if (evs_parse_number(value, &x) != EVS_NUM_OK || !evs_is_whole(x) || x < 1 ||
        x > EVS_MAX_THREADS)
        return evs_error_set(err, EVS_EUSAGE, 0, 0,
                             "invalid number of threads '%s' (expected 1 to %d)", value,
                             EVS_MAX_THREADS);
    *threads = (unsigned)x;
    return EVS_OK;
}
