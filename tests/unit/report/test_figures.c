/*
 * test_figures.c -- the figures of `evsynth report` and their HTML:
 *
 *  - any text reaches gnuplot as data and comes out of it unchanged: two
 *    adjacent apostrophes, percent signs (gnuplot formats), quotes,
 *    backslashes, backquotes, macros, "EOD" (issue 15.14), drawn by a real
 *    gnuplot (skipped when none is installed);
 *  - file paths with apostrophes reach gnuplot's `set output` intact;
 *  - the SVG finishing: unique ids with their references, bold that browsers
 *    resolve, a title and an aria-label (issue 19);
 *  - the forest plot's rules: rows by year with undated studies last, the
 *    intervention's arm first and "Favours" labels on a comparison, no test
 *    for overall effect on a single-group rate, arrows and a note for an
 *    interval beyond the scale;
 *  - wrapping: no line wider than its column;
 *  - HTML for print: repeated table headers, unique figure ids, the title in
 *    the page margin escaped for CSS.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "evs_test.h"
#include "review_fixture.h"
#include "io/gnuplot.h"
#include "io/review_io.h"
#include "report/figure_svg.h"
#include "report/gnuplot_script.h"
#include "report/plot_canvas.h"
#include "report/report.h"
#include "review/synthesis.h"

typedef evs_review_fixture loaded;

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    evs_buf b;
    evs_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        evs_buf_addn(&b, chunk, n);
    fclose(f);
    return b.data;
}

static bool have_gnuplot(void)
{
    const char *path = getenv("PATH");
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path ? path : "");
    for (char *save = NULL, *dir = strtok_r(buf, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        char p[4200];
        snprintf(p, sizeof p, "%s/gnuplot", dir);
        if (access(p, X_OK) == 0)
            return true;
    }
    return false;
}

/* The script of the synthesis's figures, drawn by gnuplot into dir. */
static void draw(const evs_synthesis *s, const char *dir, evs_figure_list *figs)
{
    assert_int_equal(evs_report_figures(s, figs), EVS_OK);
    evs_buf script;
    evs_buf_init(&script);
    evs_report_plot_script(s, figs, dir, &script);
    assert_false(script.failed);
    evs_error err;
    evs_error_clear(&err);
    if (evs_gnuplot_run(script.data, dir, &err) != EVS_GNUPLOT_OK)
        fail_msg("gnuplot: %s", err.message);
    evs_buf_free(&script);
}

static void remove_figures(const char *dir, const evs_figure_list *figs)
{
    for (size_t i = 0; i < figs->n; i++)
        for (int e = 0; e < 2; e++) {
            char p[500];
            snprintf(p, sizeof p, "%s/%s.%s", dir, figs->items[i].name, e ? "png" : "svg");
            unlink(p);
        }
}

/* Text as gnuplot's SVG writes it: '&' and '<' escaped. */
static void svg_text(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 6 < cap; s++) {
        const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : NULL;
        if (e) {
            memcpy(out + n, e, strlen(e));
            n += strlen(e);
        } else {
            out[n++] = *s;
        }
    }
    out[n] = '\0';
}

static const char *const nasty[] = {
    "O''Brien 2019",         "it's ''quoted''",      "(50% of cases)",      "(100%)",
    "%s %d %n 50%",          "\"double\" quotes",    "back\\slash \\n \\0042", "`touch x` @x",
    "EOD",                   "<b>&amp;</b>",         "{/:Bold x}^2_a",      "'leading",
    "a''s 50% \"q\" \\n @f", "x",
};
#define NNASTY (sizeof nasty / sizeof nasty[0])

/*
 * Every label, window label and name reaches the figures exactly as written:
 * the four studies of the pain analysis take the nasty labels four at a time.
 */
static void test_text_as_data(void **state)
{
    (void)state;
    if (!have_gnuplot())
        skip();
    static const char *const ids[] = {"alpha2010", "beta2012", "gamma2015", "delta2018"};
    for (size_t batch = 0; batch * 4 < NNASTY; batch++) {
        char dir[] = "/tmp/evsynth-fig-XXXXXX";
        assert_non_null(mkdtemp(dir));
        loaded l;
        evs_review_fixture_load("observational", &l);
        for (size_t i = 0; i < 4 && batch * 4 + i < NNASTY; i++)
            l.ev->studies[evs_evidence_find(l.ev, ids[i])].label = nasty[batch * 4 + i];
        free(l.rv->windows[0].label);
        l.rv->windows[0].label = strdup("(50% of cases) ''x''");
        free(l.rv->intervention_label);
        l.rv->intervention_label = strdup("Tech''s 100%");
        evs_review_fixture_synthesize(&l);
        evs_figure_list figs;
        draw(l.s, dir, &figs);

        char path[600], want[400];
        snprintf(path, sizeof path, "%s/forest_pain_early.svg", dir);
        char *svg = read_file(path);
        assert_non_null(svg);
        for (size_t i = 0; i < 4 && batch * 4 + i < NNASTY; i++) {
            svg_text(nasty[batch * 4 + i], want, sizeof want);
            if (strstr(svg, want) == NULL)
                fail_msg("label \"%s\" is not in the figure as \"%s\"", nasty[batch * 4 + i],
                         want);
        }
        assert_non_null(strstr(svg, "(50% of cases) ''x''")); /* the title, with the window */
        free(svg);
        snprintf(path, sizeof path, "%s/over_time_pain.svg", dir);
        svg = read_file(path);
        assert_non_null(svg);
        assert_non_null(strstr(svg, "(50% of cases) ''x''")); /* a window below the axis */
        assert_non_null(strstr(svg, "Tech''s 100% (pooled)"));  /* the legend */
        free(svg);
        remove_figures(dir, &figs);
        evs_figure_list_free(&figs);
        assert_int_equal(rmdir(dir), 0);
        evs_review_fixture_free(&l);
    }
}

/* A folder with two adjacent apostrophes in its name: gnuplot writes into it. */
static void test_path_quotes(void **state)
{
    (void)state;
    if (!have_gnuplot())
        skip();
    char base[] = "/tmp/evsynth-q-XXXXXX";
    assert_non_null(mkdtemp(base));
    char dir[300];
    snprintf(dir, sizeof dir, "%s/it''s `x` %%d", base);
    assert_int_equal(mkdir(dir, 0700), 0);
    evs_buf b;
    evs_buf_init(&b);
    evs_buf_add(&b, "set terminal svg\nset output ");
    char file[400];
    snprintf(file, sizeof file, "%s/out.svg", dir);
    evs_gp_quote(&b, file);
    evs_buf_add(&b, "\nplot x\nunset output\n");
    evs_error err;
    evs_error_clear(&err);
    if (evs_gnuplot_run(b.data, base, &err) != EVS_GNUPLOT_OK)
        fail_msg("gnuplot: %s", err.message);
    struct stat st;
    assert_int_equal(stat(file, &st), 0);
    assert_true(st.st_size > 0);
    unlink(file);
    rmdir(dir);
    assert_int_equal(rmdir(base), 0);
    evs_buf_free(&b);
}

/* The data encoding, byte by byte. */
static void test_data_text(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"plain", "plain"},
        {"a\"b", "a\\0042b"},
        {"\"x", "\\0042x"},
        {"back\\n", "back\\\\n"},
        {"tab\there\nnew", "tab here new"},
        {"it''s 50%", "it''s 50%"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        evs_buf b;
        evs_buf_init(&b);
        evs_gp_data_text(&b, cases[i][0]);
        assert_string_equal(b.data, cases[i][1]);
        evs_buf_free(&b);
    }
}

static void test_svg_finish(void **state)
{
    (void)state;
    const char *in =
        "<?xml version=\"1.0\"?>\n<svg \n width=\"10\" height=\"10\">\n<title>Gnuplot</title>\n"
        "<g id=\"gnuplot_canvas\">\n<defs><rect id='gpPt4' x='-1'/></defs>\n"
        "<use xlink:href='#gpPt4' transform='x'/>\n<g filter=\"url(#textbox)\">\n"
        "<g id=\"gnuplot_plot_1\" ><title>$evs_seg using 1:2</title>\n"
        "<g transform=\"translate(1,2)\" font-family=\"sans-serif:Bold\" font-size=\"14.00\">"
        "<text>Study</text></g>\n"
        "<g font-family=\"sans-serif\" font-size=\"14.00\"><text>x</text></g>\n</g></g></svg>\n";
    evs_buf b;
    evs_buf_init(&b);
    evs_figure_svg(in, "forest_a", "Forest plot: \"pain\" & <more>", &b);
    assert_false(b.failed);
    const char *out = b.data;
    assert_non_null(strstr(out, "<svg role=\"img\" aria-label=\"Forest plot: &quot;pain&quot; "
                                "&amp; &lt;more&gt;\" \n width="));
    assert_non_null(strstr(out, "<title id=\"forest_a-title\">Forest plot: &quot;pain&quot;"));
    assert_null(strstr(out, "Gnuplot"));
    assert_null(strstr(out, "$evs_seg")); /* plot titles dropped */
    assert_non_null(strstr(out, "<g id=\"forest_a-gnuplot_canvas\">"));
    assert_non_null(strstr(out, "<rect id='forest_a-gpPt4'"));
    assert_non_null(strstr(out, "xlink:href='#forest_a-gpPt4'"));
    assert_non_null(strstr(out, "url(#forest_a-textbox)"));
    assert_non_null(strstr(out, "<g id=\"forest_a-gnuplot_plot_1\" >"));
    assert_non_null(
        strstr(out, "font-family=\"sans-serif\" font-weight=\"bold\" font-size=\"14.00\""));
    assert_null(strstr(out, "sans-serif:Bold"));
    assert_non_null(strstr(out, "<g font-family=\"sans-serif\" font-size=\"14.00\"><text>x"));
    evs_buf_free(&b);
}

/*
 * The first row of the script's text datablock that is exactly s (and, if
 * at_y is not NULL, at that height): true with its position in *x and *y
 * (either may be NULL), false if there is none.
 */
static bool find_text(const char *script, const char *s, const double *at_y, double *x_out,
                      double *y_out)
{
    const char *p = strstr(script, "$evs_text << EOD\n");
    if (p == NULL)
        return false;
    const char *end = strstr(p, "\nEOD\n");
    for (p = strchr(p, '\n') + 1; p && p < end; p = strchr(p, '\n') + 1) {
        double x, y;
        int style, off = 0;
        if (sscanf(p, "%lf\t%lf\t%d\t%n", &x, &y, &style, &off) != 3 || off == 0 ||
            (at_y != NULL && y != *at_y))
            continue;
        const char *t = p + off, *nl = strchr(t, '\n');
        if ((size_t)(nl - t) == strlen(s) && strncmp(t, s, strlen(s)) == 0) {
            if (x_out != NULL)
                *x_out = x;
            if (y_out != NULL)
                *y_out = y;
            return true;
        }
    }
    return false;
}

/* The y of the first text row of the script's text datablock that is exactly s, or NaN. */
static double text_y(const char *script, const char *s)
{
    double y;
    return find_text(script, s, NULL, NULL, &y) ? y : (double)NAN;
}

/* The script of one figure (by name) in a synthesis, in out. */
static void figure_script(const evs_synthesis *s, const char *name, evs_buf *out)
{
    evs_figure_list figs;
    assert_int_equal(evs_report_figures(s, &figs), EVS_OK);
    evs_figure_list one = {0, NULL};
    for (size_t i = 0; i < figs.n; i++)
        if (strcmp(figs.items[i].name, name) == 0) {
            one.n = 1;
            one.items = &figs.items[i];
        }
    if (one.n == 0)
        fail_msg("no figure %s", name);
    evs_report_plot_script(s, &one, ".", out);
    assert_false(out->failed);
    evs_figure_list_free(&figs);
}

static void test_forest_rules(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("observational", &l);
    /* Beta 2012 loses its year: it goes last, after the dated studies by year. */
    size_t beta = (size_t)evs_evidence_find(l.ev, "beta2012");
    l.ev->studies[beta].year = 0;
    evs_review_fixture_synthesize(&l);
    evs_buf b;
    evs_buf_init(&b);
    figure_script(l.s, "forest_pain_early", &b);
    double ya = text_y(b.data, "Alpha 2010"), yg = text_y(b.data, "Gamma 2015"),
           yd = text_y(b.data, "Delta 2018"), yb = text_y(b.data, "Beta 2012");
    if (!(ya < yg && yg < yd && yd < yb))
        fail_msg("rows not by year, undated last: alpha %g, gamma %g, delta %g, beta %g", ya,
                 yg, yd, yb);
    assert_false(isnan(text_y(b.data, "Studies in order of publication year, studies without "
                                      "a year last.")));
    assert_non_null(strstr(b.data, "\tTest for overall effect: t = ")); /* a change has a null */
    evs_buf_free(&b);

    /* A single-group rate: no test against 50%. */
    evs_buf_init(&b);
    figure_script(l.s, "forest_leakage_all", &b);
    assert_null(strstr(b.data, "Test for overall effect"));
    assert_false(isnan(text_y(b.data, "Rate (95% CI)")));
    evs_buf_free(&b);

    /* A scale of 0 to 4: the change's prediction interval runs beyond 4, cut with an arrow. */
    l.rv->outcomes[0].scale_max = 4;
    evs_buf_init(&b);
    figure_script(l.s, "forest_pain_early", &b);
    assert_non_null(strstr(b.data, "$evs_arrow << EOD"));
    assert_non_null(strstr(b.data, "The prediction interval ("));
    assert_non_null(strstr(b.data, "runs beyond the values the measure can take"));
    evs_buf_free(&b);
    evs_review_fixture_free(&l);

    /* A comparison: the intervention's arm first, Favours either side. */
    evs_review_fixture_load("randomised", &l);
    evs_review_fixture_synthesize(&l);
    evs_buf_init(&b);
    figure_script(l.s, "forest_pain_vs_control_early", &b);
    assert_false(isnan(text_y(b.data, "Favours control")));
    char fav[300];
    snprintf(fav, sizeof fav, "Favours %s", l.rv->intervention_label);
    assert_false(isnan(text_y(b.data, fav)));
    /* the intervention's mean 3.0 of Trial One 2014 comes before the control's 6.1 */
    const char *i3 = strstr(b.data, "\t3.0\n"), *c6 = strstr(b.data, "\t6.1\n");
    assert_non_null(i3);
    assert_non_null(c6);
    double xi, xc;
    const char *li = i3, *lc = c6;
    while (li > b.data && li[-1] != '\n')
        li--;
    while (lc > b.data && lc[-1] != '\n')
        lc--;
    assert_int_equal(sscanf(li, "%lf", &xi), 1);
    assert_int_equal(sscanf(lc, "%lf", &xc), 1);
    assert_true(xi < xc);
    evs_buf_free(&b);
    evs_review_fixture_free(&l);
}

/*
 * The control arm under its comparator's name (tests/fixtures/reviews/
 * reported: [comparator.sham] arm_label = sham, the outcome's comparators =
 * sham): the arm's header "Sham" and "Favours sham", not the review-wide
 * "control".  A2018 and B2019 report only the difference between the arms,
 * C2020 the arms' means (5.1 and 6.0): the first two show "n.r." for the
 * means and SDs, and a note says what it means.  Without C2020, no row has
 * arm means: the Mean and SD columns go, the arms keep their totals (A2018:
 * 50 and 50), and the note says that the trials report the difference.
 */
static void test_forest_arms(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("reported", &l);
    evs_review_fixture_synthesize(&l);
    evs_buf b;
    evs_buf_init(&b);
    figure_script(l.s, "forest_pain_vs_sham_early", &b);
    assert_false(isnan(text_y(b.data, "Sham")));
    assert_false(isnan(text_y(b.data, "Favours sham")));
    assert_true(isnan(text_y(b.data, "Favours control")));
    assert_true(isnan(text_y(b.data, "Control")));
    assert_false(isnan(text_y(b.data, "n.r.")));
    assert_false(isnan(text_y(b.data, "5.1")));
    assert_false(isnan(text_y(b.data, "Mean")));
    assert_non_null(strstr(b.data, "n.r.: not reported; that trial reports the difference"));
    evs_buf_free(&b);
    evs_review_fixture_free(&l);

    evs_review_fixture_load("reported", &l);
    for (size_t i = 0; i < l.ev->nstudies; i++)
        if (strncmp(l.ev->studies[i].id, "c2020", 5) == 0)
            l.ev->studies[i].included = false;
    evs_review_fixture_synthesize(&l);
    evs_buf_init(&b);
    figure_script(l.s, "forest_pain_vs_sham_early", &b);
    assert_true(isnan(text_y(b.data, "Mean")));
    assert_true(isnan(text_y(b.data, "SD")));
    assert_true(isnan(text_y(b.data, "n.r.")));
    assert_false(isnan(text_y(b.data, "Total")));
    assert_false(isnan(text_y(b.data, "50")));
    assert_non_null(strstr(b.data, "The trials report the difference between the arms"));
    evs_buf_free(&b);
    evs_review_fixture_free(&l);
}

/* Whether the script's text datablock has a row exactly s at height y. */
static bool text_at_y(const char *script, const char *s, double y)
{
    return find_text(script, s, &y, NULL, NULL);
}

/*
 * The cumulative plot's "Studies" counts studies, not rows: with Gamma 2015
 * and Delta 2018 made two arms of Alpha 2010 (which then has no row of its
 * own: its arms are its rows), the early pain window's rows by year are Beta
 * 2012, Gamma 2015 and Delta 2018, which have pooled 1, 2 and 2 studies
 * (issue 20: an arm is not a study), where counting rows gives 1, 2, 3.
 */
static void test_cumulative_counts_studies(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("observational", &l);
    long alpha = evs_evidence_find(l.ev, "alpha2010"), gamma = evs_evidence_find(l.ev, "gamma2015"),
         delta = evs_evidence_find(l.ev, "delta2018");
    assert_true(alpha >= 0 && gamma >= 0 && delta >= 0);
    l.ev->studies[gamma].parent = l.ev->studies[delta].parent = alpha;
    evs_review_fixture_synthesize(&l);
    evs_buf b;
    evs_buf_init(&b);
    figure_script(l.s, "cumulative_pain_early", &b);
    double yb = text_y(b.data, "Beta 2012"), yg = text_y(b.data, "Gamma 2015"),
           yd = text_y(b.data, "Delta 2018");
    assert_true(yb < yg && yg < yd);
    assert_true(text_at_y(b.data, "1", yb));
    assert_true(text_at_y(b.data, "2", yg));
    assert_true(text_at_y(b.data, "2", yd));
    assert_false(text_at_y(b.data, "3", yd));
    evs_buf_free(&b);
    evs_review_fixture_free(&l);
}

/* The x of the first text row of the script's text datablock that is exactly s, or NaN. */
static double text_x(const char *script, const char *s)
{
    double x;
    return find_text(script, s, NULL, &x, NULL) ? x : (double)NAN;
}

/*
 * Comparisons of events (tests/fixtures/reviews/established): ratios on a
 * log axis, as metafor's forest() draws them (atransf = exp), so that 0.5
 * and 2 lie as far from 1.  The responders' rows run from RR 1.14 to 3.90
 * and no effect is 1: in logs 0 to 1.361, padded by 4% of the span (0.054)
 * to -0.054 to 1.415, ratios 0.947 to 4.12.  1-2-5 gives two tics there (1,
 * 2), fewer than four, so 1-1.5-2-3-5-7 does: 1, 1.5, 2, 3 at 0, ln 1.5 =
 * 0.405465, ln 2 = 0.693147, ln 3 = 1.098612.  The pooled row counts the
 * events of each arm: 20 + 34 + 31 + 47 = 132 and 10 + 18 + 17 + 26 = 71.
 * The harm (serious adverse events): fewer events, left of 1, favour the
 * intervention.  No MCID line on a ratio axis (the MCID is in percentage
 * points), in the cumulative plot either.
 */
static void test_forest_events(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("established", &l);
    evs_review_fixture_synthesize(&l);
    evs_buf b;
    evs_buf_init(&b);
    figure_script(l.s, "forest_responder_all", &b);
    assert_non_null(strstr(b.data, "set xtics nomirror out scale 0.6 (\"1\" 0, \"1.5\" "
                                   "0.4054651081, \"2\" 0.6931471806, \"3\" 1.098612289)\n"));
    assert_non_null(strstr(b.data, "set arrow from 0, graph 0 to 0, graph 1 nohead dt 2"));
    assert_false(isnan(text_y(b.data, "132")));
    assert_false(isnan(text_y(b.data, "71")));
    char fav[300];
    snprintf(fav, sizeof fav, "Favours %s", l.rv->intervention_label);
    char favc[300];
    snprintf(favc, sizeof favc, "Favours %s", l.rv->comparator_label);
    assert_true(text_x(b.data, favc) < text_x(b.data, fav)); /* more responders: right */
    assert_null(strstr(b.data, "MCID"));
    evs_buf_free(&b);

    evs_buf_init(&b);
    figure_script(l.s, "forest_sae_all", &b);
    assert_true(text_x(b.data, fav) < text_x(b.data, favc)); /* fewer harms: left */
    evs_buf_free(&b);

    evs_buf_init(&b);
    figure_script(l.s, "cumulative_responder_all", &b);
    assert_non_null(strstr(b.data, "set xtics nomirror out scale 0.6 (\"1\" 0, "));
    assert_null(strstr(b.data, "MCID"));
    assert_null(strstr(b.data, "mean difference"));
    evs_buf_free(&b);

    /* A risk difference stays on a linear axis in percentage points, and has
     * a null (0) to test against: the responders' RD 24.21 (15.91 to 32.51)
     * (metafor, reference.csv) has an SE of (32.505 - 15.909) / (2 x 1.95996)
     * = 4.2339 and z = 24.207 / 4.2339 = 5.72. */
    evs_review_fixture_free(&l);
    evs_review_fixture_load("established", &l);
    size_t k = 0;
    while (strcmp(l.rv->outcomes[k].id, "responder") != 0)
        k++;
    l.rv->outcomes[k].measure = EVS_MEASURE_RD;
    evs_review_fixture_synthesize(&l);
    evs_buf_init(&b);
    figure_script(l.s, "forest_responder_all", &b);
    assert_non_null(strstr(b.data, "set xtics nomirror out scale 0.6 format '%g' "));
    /* its cells in percentage points, as the summary of findings writes it:
     * 24.21 (15.91 to 32.51) under "RD, % points", no % sign */
    assert_false(isnan(text_y(b.data, "RD, % points (95% CI)")));
    assert_false(isnan(text_y(b.data, "24.21 (15.91 to 32.51)")));
    assert_null(strstr(b.data, "24.2%"));
    assert_non_null(strstr(b.data, "\tTest for overall effect: z = 5.72, p < 0.001\n"));
    evs_buf_free(&b);
    evs_review_fixture_free(&l);
}

/* Wrapped text: each line fits its width; a long label takes more lines. */
static void test_wrap(void **state)
{
    (void)state;
    const char *label = "Reliability series of percutaneous sacroplasty (year not stated)";
    double w = 150;
    size_t lines = evs_canvas_wrap(NULL, 0, 0, EVS_TEXT_LEFT, w, 18, 5, label);
    assert_true(lines >= 2);
    evs_canvas c;
    evs_canvas_init(&c, 960);
    assert_int_equal(evs_canvas_wrap(&c, 0, 0, EVS_TEXT_LEFT, w, 18, 5, label), lines);
    /* every line of the datablock fits, and together they are the label */
    char joined[400] = "";
    for (const char *p = c.text.data; p && *p; p = strchr(p, '\n') + 1) {
        const char *nl = strchr(p, '\n'), *t = p;
        for (int tabs = 0; tabs < 3; tabs++)
            t = strchr(t, '\t') + 1;
        char line[200];
        snprintf(line, sizeof line, "%.*s", (int)(nl - t), t);
        assert_true(evs_text_width(line, EVS_FONT_BODY, false) <= w + 0.01);
        if (joined[0])
            strcat(joined, " ");
        strcat(joined, line);
    }
    assert_string_equal(joined, label);
    evs_canvas_free(&c);
    /* the widths: DejaVu Sans Bold "Study" at 14 px is 14 * (720+478+712+716+652)/1000 */
    assert_close(evs_text_width("Study", 14, true), 14 * 3.278, 1e-12, 0);
    /* two lines at most: the rest ends in an ellipsis */
    evs_canvas_init(&c, 960);
    assert_int_equal(evs_canvas_wrap(&c, 0, 0, EVS_TEXT_LEFT, 80, 18, 2, label), 2);
    assert_non_null(strstr(c.text.data, "\u2026\n"));
    evs_canvas_free(&c);
}

/* The SVGs of test_html_print: a figure as wide as a forest plot, and the PRISMA flow's shape. */
static const char *print_svg(const char *name, void *ctx)
{
    (void)ctx;
    if (strcmp(name, "forest_x") == 0)
        return "<?xml?>\n<svg role=\"img\"\n width=\"960\" height=\"552\"\n viewBox=\"0 0 960 552\">"
               "</svg>";
    if (strcmp(name, "prisma_x") == 0)
        return "<svg role=\"img\" width=\"686\" height=\"654\" viewBox=\"0 0 686 654\"></svg>";
    return NULL;
}

static void test_html_print(void **state)
{
    (void)state;
    evs_doc d;
    evs_doc_init(&d);
    evs_doc_heading(&d, 2, "Summary of findings");
    static const char *const head[] = {"a", "b", "c", "d", "e", "f"};
    evs_doc_table(&d, 6, 0, head);
    evs_doc_row(&d, head);
    evs_doc_para(&d, NULL, "note");
    evs_doc_heading(&d, 2, "Methods");
    evs_doc_para(&d, NULL, "text");
    evs_doc_table(&d, 3, 0, head);
    evs_doc_heading(&d, 2, "Figures");
    evs_doc_figure(&d, "forest_x", "caption");
    evs_doc_heading(&d, 2, "Study selection");
    evs_doc_para(&d, NULL, "the flow");
    evs_doc_figure(&d, "prisma_x", "caption");
    evs_doc_heading(&d, 2, "Missing");
    evs_doc_figure(&d, "gone", "caption");
    evs_buf h;
    evs_buf_init(&h);
    evs_doc_html(&d, "T </style><script>x</script> \"q\"", print_svg, NULL, &h);
    const char *s = h.data;
    assert_non_null(strstr(s, "<table class=\"wide\">\n<thead>\n<tr><th scope=\"col\">a</th>"));
    assert_non_null(strstr(s, "</thead>\n<tbody>\n"));
    assert_non_null(strstr(s, "<h2 class=\"wide\">Summary of findings</h2>"));
    assert_non_null(strstr(s, "<p class=\"wide\">note</p>"));
    assert_non_null(strstr(s, "<h2>Methods</h2>")); /* followed by a narrow table */
    assert_non_null(strstr(s, "<table>\n<thead>"));
    assert_non_null(strstr(s, "<h2 class=\"wide\">Figures</h2>"));
    /* wider than tall (552 <= 0.62 x 960): landscape with its heading */
    assert_non_null(strstr(s, "<figure id=\"fig-forest_x\" class=\"wide\">"));
    /* 654 > 0.62 x 686: a portrait page, its heading and lead-in paragraph
     * with it, the paragraph kept on the figure's page */
    assert_non_null(strstr(s, "<h2>Study selection</h2>\n<p class=\"keep\">the flow</p>"));
    assert_non_null(strstr(s, "<figure id=\"fig-prisma_x\">"));
    /* a figure whose SVG is missing: its message on a landscape page, as before */
    assert_non_null(strstr(s, "<h2 class=\"wide\">Missing</h2>"));
    assert_non_null(strstr(s, "<figure id=\"fig-gone\" class=\"wide\">"));
    assert_non_null(strstr(s, ".wide{page:wide}"));
    assert_non_null(strstr(s, "p.keep{break-after:avoid"));
    assert_non_null(strstr(s, "counter(page)"));
    /* the title in the page margin: nothing ends the CSS string or the style element */
    const char *style_end = strstr(s, "</style>");
    assert_non_null(style_end);
    assert_null(strstr(style_end + 1, "</style>"));
    assert_non_null(strstr(s, "content:\"T \\3c \\2f style\\3e \\3c script\\3e x"));
    evs_buf_free(&h);
    evs_doc_free(&d);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_as_data), cmocka_unit_test(test_path_quotes),
        cmocka_unit_test(test_data_text),    cmocka_unit_test(test_svg_finish),
        cmocka_unit_test(test_forest_rules), cmocka_unit_test(test_forest_events),
        cmocka_unit_test(test_forest_arms), cmocka_unit_test(test_cumulative_counts_studies),
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_html_print),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
