/*
 * test_options.c -- the table-driven option parser of the CLI.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/exit_codes.h"
#include "cli/options.h"
#include "evs_test.h"

enum { O_MEASURE, O_JSON, O_HELP };

static const evs_option table[] = {
    {O_MEASURE, "measure", 'm', "M", "effect measure"},
    {O_JSON, "json", 0, NULL, "JSON output"},
    {O_HELP, "help", 'h', NULL, "help"},
};

typedef struct seen {
    char log[256];
} seen;

static evs_status record(int id, const char *value, void *ctx, evs_error *err)
{
    seen *s = ctx;
    (void)err;
    char buf[64];
    snprintf(buf, sizeof buf, "%d=%s;", id, value ? value : "-");
    strncat(s->log, buf, sizeof s->log - strlen(s->log) - 1);
    return EVS_OK;
}

static evs_status parse(int argc, char **argv, seen *s, int *nops, evs_error *err)
{
    memset(s, 0, sizeof *s);
    evs_error_clear(err);
    return evs_options_parse(argc, argv, table, 3, record, s, nops, err);
}

/* -mPLO: a short option's value attached, as getopt() reads it. */
static void test_attached_short_value(void **state)
{
    (void)state;
    char a0[] = "-mPLO", a1[] = "x.csv", a2[] = "-m-";
    char *argv[] = {a0, a1, a2};
    seen s;
    int nops;
    evs_error err;
    assert_int_equal(parse(3, argv, &s, &nops, &err), EVS_OK);
    assert_string_equal(s.log, "0=PLO;0=-;");
    assert_int_equal(nops, 1);
    assert_string_equal(argv[0], "x.csv");
}

/* The nearest name: case first, then up to two edits, and none on a tie. */
static void test_nearest_name(void **state)
{
    (void)state;
    static const char *const methods[] = {"FE", "DL", "HE", "HS", "SJ", "ML", "REML", "EB", "PM"};
    static const char *const measures[] = {"SMD", "SMCC", "SMCR", "MC", "MN"};
    assert_string_equal(evs_nearest_name("reml", methods, 9), "REML");
    assert_string_equal(evs_nearest_name("RMEL", methods, 9), "REML"); /* two edits */
    assert_null(evs_nearest_name("RML", methods, 9));  /* REML and ML: one edit each */
    assert_null(evs_nearest_name("XYZW", methods, 9)); /* nothing within two edits */
    assert_null(evs_nearest_name("SMCX", measures, 5)); /* SMCC or SMCR: a tie */
    assert_string_equal(evs_nearest_name("SMDD", measures, 5), "SMD");
}

static void test_forms(void **state)
{
    (void)state;
    char a0[] = "--measure", a1[] = "PLO", a2[] = "in.csv", a3[] = "--json",
         a4[] = "--measure=MD", a5[] = "-m", a6[] = "OR", a7[] = "-", a8[] = "--",
         a9[] = "--json";
    char *argv[] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9};
    seen s;
    int nops;
    evs_error err;
    assert_int_equal(parse(10, argv, &s, &nops, &err), EVS_OK);
    assert_string_equal(s.log, "0=PLO;1=-;0=MD;0=OR;");
    assert_int_equal(nops, 3);
    assert_string_equal(argv[0], "in.csv");
    assert_string_equal(argv[1], "-");       /* standard input */
    assert_string_equal(argv[2], "--json");  /* after "--": an operand */
}

typedef struct bad {
    const char *arg1, *arg2;
    const char *message;
} bad;

static void test_errors(void **state)
{
    (void)state;
    static const bad cases[] = {
        {"--meausre", "PLO", "unknown option '--meausre'; did you mean '--measure'?"},
        {"-x", NULL, "unknown option '-x'"},
        {"-xPLO", NULL, "unknown option '-x' (in '-xPLO')"},
        {"-hx", NULL, "option '-h' takes no value (in '-hx')"},
        {"--meausre", NULL, "unknown option '--meausre'; did you mean '--measure'?"},
        {"--jsn", NULL, "unknown option '--jsn'; did you mean '--json'?"},
        {"--Measure", NULL, "unknown option '--Measure'; did you mean '--measure'?"},
        {"--colour", NULL, "unknown option '--colour'"},
        {"--json=yes", NULL, "option '--json' takes no value"},
        {"--measure", NULL, "option '--measure' needs a value (M)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char a[64], b[64];
        snprintf(a, sizeof a, "%s", cases[i].arg1);
        snprintf(b, sizeof b, "%s", cases[i].arg2 ? cases[i].arg2 : "");
        char *argv[] = {a, b};
        seen s;
        int nops;
        evs_error err;
        assert_int_equal(parse(cases[i].arg2 ? 2 : 1, argv, &s, &nops, &err), EVS_EINVAL);
        assert_string_equal(err.message, cases[i].message);
    }
}

static void test_help_text(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    evs_options_help(out, table, 3);
    fclose(out);
    assert_string_equal(buf, "  -m, --measure M  effect measure\n"
                             "      --json       JSON output\n"
                             "  -h, --help       help\n"
                             "      --version    show the version and exit\n");
    free(buf);
}

/* The one table from library status to exit code (README "Exit status"). */
static void test_exit_codes(void **state)
{
    (void)state;
    static const struct {
        evs_status st;
        int code;
    } want[] = {{EVS_OK, 0},     {EVS_EDATA, 1},  {EVS_ENOCONV, 1},
                {EVS_EINVAL, 2}, {EVS_ENOMEM, 3}, {EVS_EIO, 3}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_int_equal(evs_exit_code(want[i].st), want[i].code);
    /* status values are not exit codes, so a status returned unmapped shows */
    assert_int_not_equal((int)EVS_EDATA, 1);
    assert_int_not_equal((int)EVS_EINVAL, 2);
    assert_int_not_equal((int)EVS_EIO, 3);
    assert_int_equal(evs_exit_code((evs_status)999), 3);
    for (size_t i = 0; i < evs_exit_ndocs; i++)
        assert_int_equal(evs_exit_docs[i].code, (int)i);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_attached_short_value),
        cmocka_unit_test(test_nearest_name),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_help_text),
        cmocka_unit_test(test_exit_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
