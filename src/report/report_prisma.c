/*
 * report_prisma.c -- the PRISMA 2020 flow diagram of a review (see
 * report.h): its gnuplot script, its counts in results.json, and the
 * report's "Study selection" section.
 *
 * The boxes and their words are those of Page MJ et al., The PRISMA 2020
 * statement, BMJ 2021;372:n71, Figure 1: the template for new reviews, and
 * the one for updated reviews (with "Previous studies" and the "Total"
 * box), each with identification via databases and registers and, when the
 * log has such records, via other methods.  The JSON names are the data
 * names of the PRISMA2020 R package (Haddaway et al. 2022), so that the
 * counts can be drawn there too.
 *
 * Layout of the figure: columns of boxes (previous studies; databases and
 * registers; other methods), each with a main box per stage and, to its
 * right, the box of what leaves the flow at that stage; rows sized to their
 * longest box; the stages (Identification, Screening, Included) as bars on
 * the left.  Every line of text is placed here in pixels and drawn from
 * data by plot_canvas.h (no text on a gnuplot command line), in the
 * sans-serif font of the other figures, wrapped with its measured widths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/numfmt.h"
#include "report/plot_canvas.h"
#include "report/report.h"

/* ---------------------------------------------------------------------------
 * Words
 */

static const char *reason_label(const evs_review *rv, const char *id)
{
    long i = evs_review_find_reason(rv, id);
    return i >= 0 ? rv->reasons[i].label : id;
}

/* "Records screened (n = 1,234)", with no-break spaces in "(n = 1,234)". */
static void with_n(char *buf, size_t cap, const char *what, size_t n)
{
    char c[EVS_NUM_TEXT];
    snprintf(buf, cap, "%s (n\u00a0=\u00a0%s)", what, evs_num_count((double)n, c, sizeof c));
}

/* ---------------------------------------------------------------------------
 * Boxes
 */

#define BOX_LINES 48
#define LINE_PX 17.0
#define PAD_PX 9.0
#define BOX_TEXT EVS_TEXT_SMALL_LEFT    /* a box's lines */
#define TITLE_TEXT EVS_TEXT_BOLD_CENTRE /* a column's title */

typedef struct box {
    double x, w; /* pixels from the left */
    int row;
    size_t n;
    char line[BOX_LINES][160];
    int indent[BOX_LINES]; /* levels of 14 pixels: an item, and the rest of a wrapped line */
    bool used;
} box;

/*
 * Add text to a box, wrapped at word boundaries to the box's width less
 * reserve pixels, measured in the style's font.
 */
static void add_wrapped(box *b, const char *text, bool indent, evs_text_style st, double reserve)
{
    double width = b->w - 2 * PAD_PX - reserve;
    const char *s = text;
    while (*s && b->n < BOX_LINES) {
        size_t next, cut = evs_text_fit(s, st, width, &next);
        snprintf(b->line[b->n], sizeof b->line[b->n], "%.*s", (int)cut, s);
        b->indent[b->n] = (indent ? 1 : 0) + (s != text ? 1 : 0);
        b->n++;
        s += next;
        while (*s == ' ')
            s++;
    }
    b->used = true;
}

/* Lines of a box: an item indented or not, its wrapped rest one level further. */
static void add(box *b, const char *text, bool indent)
{
    add_wrapped(b, text, indent, BOX_TEXT, indent ? 28 : 14);
}

/* A column's title, centred: nothing to indent. */
static void add_title(box *b, const char *text)
{
    add_wrapped(b, text, false, TITLE_TEXT, 0);
}

static void add_n(box *b, const char *what, size_t n, bool indent)
{
    char t[400];
    with_n(t, sizeof t, what, n);
    add(b, t, indent);
}

/* What leaves at full text: "Reports excluded:" and a line per reason with reports. */
static void add_reasons(box *b, const evs_review *rv, const evs_prisma_column *c)
{
    add_n(b, "Reports excluded", c->excluded, false);
    for (size_t i = 0; i < c->nreasons; i++)
        if (c->reasons[i].n > 0)
            add_n(b, reason_label(rv, c->reasons[i].id), c->reasons[i].n, true);
    if (c->assess_pending > 0)
        add_n(b, "Awaiting assessment", c->assess_pending, false);
}

static void add_sources(box *b, const evs_prisma_column *c, evs_source_type type)
{
    for (size_t i = 0; i < c->nsources; i++)
        if (c->sources[i].type == type)
            add_n(b, c->sources[i].name, c->sources[i].n, true);
}

/* ---------------------------------------------------------------------------
 * The figure
 */

enum { ROW_HEAD, ROW_IDENT, ROW_SCREEN, ROW_SOUGHT, ROW_ASSESS, ROW_NEW, ROW_TOTAL, ROWS };

typedef struct layout {
    double top[ROWS], height[ROWS];
    double total_h;
} layout;

/* Coordinates: pixels (x from the left, y from the top) to gnuplot screen
 * units for the boxes and arrows (b), and the page for the text. */
typedef struct canvas {
    double w, h;
    evs_buf *b;
    evs_canvas *page;
} canvas;

static double sx(const canvas *c, double x) { return x / c->w; }
static double sy(const canvas *c, double y) { return 1 - y / c->h; }

static void rect(const canvas *c, double x1, double y1, double x2, double y2, const char *fill,
                 bool border)
{
    evs_buf_printf(c->b,
                   "set object rect from screen %.5f,%.5f to screen %.5f,%.5f back fc rgb '%s' "
                   "fs solid 1.0 %s\n",
                   sx(c, x1), sy(c, y2), sx(c, x2), sy(c, y1), fill,
                   border ? "border lc rgb '#000000' lw 1" : "noborder");
}

static void text(const canvas *c, const char *s, double x, double y, evs_text_style st)
{
    evs_canvas_text(c->page, x, y, st, s);
}

static void arrow(const canvas *c, double x1, double y1, double x2, double y2, bool head)
{
    /* Heads 10 pixels long, whatever the width of the figure. */
    char style[64];
    if (head)
        snprintf(style, sizeof style, "head filled size screen %.5f,25", 10.0 / c->w);
    else
        snprintf(style, sizeof style, "nohead");
    evs_buf_printf(c->b,
                   "set arrow from screen %.5f,%.5f to screen %.5f,%.5f %s lw 1.2 lc rgb "
                   "'#000000' front\n",
                   sx(c, x1), sy(c, y1), sx(c, x2), sy(c, y2), style);
}

static void draw_box(const canvas *c, const layout *L, const box *x)
{
    if (!x->used)
        return;
    double y1 = L->top[x->row], h = L->height[x->row];
    rect(c, x->x, y1, x->x + x->w, y1 + h, "#ffffff", true);
    /* Text block centred vertically in the row's height (gnuplot centres each label). */
    double y = y1 + (h - x->n * LINE_PX) / 2 + LINE_PX / 2;
    for (size_t i = 0; i < x->n; i++, y += LINE_PX)
        text(c, x->line[i], x->x + PAD_PX + 14 * x->indent[i], y, BOX_TEXT);
}

/* A column's title: bold, centred, wrapped to the column's width. */
static void header_box(const canvas *c, const layout *L, const box *t, const char *fill)
{
    double y1 = L->top[ROW_HEAD], h = L->height[ROW_HEAD];
    rect(c, t->x, y1, t->x + t->w, y1 + h, fill, true);
    double y = y1 + (h - t->n * LINE_PX) / 2 + LINE_PX / 2;
    for (size_t i = 0; i < t->n; i++, y += LINE_PX)
        text(c, t->line[i], t->x + t->w / 2, y, TITLE_TEXT);
}

static void stage_bar(const canvas *c, const layout *L, int from, int to, const char *title)
{
    double y1 = L->top[from], y2 = L->top[to] + L->height[to];
    rect(c, 12, y1, 40, y2, "#bdd7ee", true);
    text(c, title, 26, (y1 + y2) / 2, EVS_TEXT_VERTICAL_BOLD);
}

void evs_report_prisma_script(const evs_prisma *p, const evs_review *rv, const char *dir,
                              const char *name, evs_buf *out)
{
    const evs_prisma_column *d = &p->databases, *o = &p->other;
    bool other = o->identified > 0, update = p->update;
    /* Without records from databases or registers, the other methods take their column. */
    bool dbcol = d->identified > 0 || !other;
    box *bx = calloc(14, sizeof *bx);
    if (bx == NULL) {
        out->failed = true;
        return;
    }
    /*
     * Columns, left to right, in pixels, sized so that the whole diagram is
     * about 1,000 pixels wide (the width of the report's text column, where
     * the HTML shows it at its own size) however many columns it has.
     */
    double prev_w = 180, main_w = 300, side_w = 300, oth_main_w = 200, oth_side_w = 200;
    if (update && other && dbcol) {
        prev_w = 150;
        main_w = 210;
        side_w = 200;
        oth_main_w = oth_side_w = 170;
    } else if (update) {
        main_w = 260;
        side_w = 250;
    } else if (other && dbcol) {
        main_w = 240;
        side_w = 230;
    }
    double gap = 24, x = 52;
    double prev_x = x;
    if (update)
        x += prev_w + 18;
    double db_x = x;
    double db_side_x = db_x + main_w + gap;
    x = db_side_x + side_w + gap;
    double oth_x = x;
    double oth_side_x = oth_x + oth_main_w + 18;
    if (!dbcol) {
        oth_x = db_x;
        oth_main_w = main_w;
        oth_side_x = db_side_x;
        oth_side_w = side_w;
    }
    double width = other && dbcol ? oth_side_x + oth_side_w + 10 : db_side_x + side_w + 10;

    enum { B_PREV, B_IDENT, B_DUP, B_SCREEN, B_SCREX, B_SOUGHT, B_NOTRET, B_ASSESS, B_EXCL,
           B_NEW, B_TOTAL, B_O_IDENT, B_O_SOUGHT, B_O_NOTRET };
    box *prev = &bx[B_PREV], *ident = &bx[B_IDENT], *dup = &bx[B_DUP], *scr = &bx[B_SCREEN],
        *screx = &bx[B_SCREX], *sought = &bx[B_SOUGHT], *notret = &bx[B_NOTRET],
        *assess = &bx[B_ASSESS], *excl = &bx[B_EXCL], *fresh = &bx[B_NEW],
        *total = &bx[B_TOTAL], *oident = &bx[B_O_IDENT], *osought = &bx[B_O_SOUGHT],
        *onotret = &bx[B_O_NOTRET];
    box oassess = {0}, oexcl = {0};
    struct {
        box *b;
        double x, w;
        int row;
    } place[] = {
        {prev, prev_x, prev_w, ROW_IDENT},      {ident, db_x, main_w, ROW_IDENT},
        {dup, db_side_x, side_w, ROW_IDENT},    {scr, db_x, main_w, ROW_SCREEN},
        {screx, db_side_x, side_w, ROW_SCREEN}, {sought, db_x, main_w, ROW_SOUGHT},
        {notret, db_side_x, side_w, ROW_SOUGHT}, {assess, db_x, main_w, ROW_ASSESS},
        {excl, db_side_x, side_w, ROW_ASSESS},  {fresh, db_x, main_w, ROW_NEW},
        {total, db_x, main_w, ROW_TOTAL},       {oident, oth_x, oth_main_w, ROW_IDENT},
        {osought, oth_x, oth_main_w, ROW_SOUGHT}, {onotret, oth_side_x, oth_side_w, ROW_SOUGHT},
        {&oassess, oth_x, oth_main_w, ROW_ASSESS}, {&oexcl, oth_side_x, oth_side_w, ROW_ASSESS},
    };
    for (size_t i = 0; i < sizeof place / sizeof place[0]; i++) {
        place[i].b->x = place[i].x;
        place[i].b->w = place[i].w;
        place[i].b->row = place[i].row;
    }

    if (update) {
        add_n(prev, "Studies included in previous version of review", p->previous_studies, false);
        add_n(prev, "Reports of studies included in previous version of review",
              p->previous_reports, false);
    }
    if (dbcol) {
        add(ident, "Records identified from:", false);
        add_n(ident, "Databases", d->identified - d->registers, false);
        add_sources(ident, d, EVS_SOURCE_DATABASE);
        add_n(ident, "Registers", d->registers, false);
        add_sources(ident, d, EVS_SOURCE_REGISTER);
        add(dup, "Records removed before screening:", false);
        add_n(dup, "Duplicate records removed", d->duplicates, true);
        add_n(scr, "Records screened", d->screened, false);
        add_n(screx, "Records excluded", d->screen_excluded, false);
        if (d->screen_pending > 0)
            add_n(screx, "Awaiting screening", d->screen_pending, false);
        add_n(sought, "Reports sought for retrieval", d->sought, false);
        add_n(notret, "Reports not retrieved", d->not_retrieved, false);
        add_n(assess, "Reports assessed for eligibility", d->assessed, false);
        add_reasons(excl, rv, d);
    }
    if (update) {
        add_n(fresh, "New studies included in review", p->new_studies, false);
        add_n(fresh, "Reports of new included studies", p->new_reports, false);
        add_n(total, "Total studies included in review", p->total_studies, false);
        add_n(total, "Reports of total included studies", p->total_reports, false);
    } else {
        add_n(fresh, "Studies included in review", p->new_studies, false);
        add_n(fresh, "Reports of included studies", p->new_reports, false);
    }
    if (other) {
        add(oident, "Records identified from:", false);
        add_sources(oident, o, EVS_SOURCE_OTHER);
        if (o->duplicates > 0)
            add_n(oident, "Duplicates of other records", o->duplicates, false);
        add_n(osought, "Reports sought for retrieval", o->sought, false);
        add_n(onotret, "Reports not retrieved", o->not_retrieved, false);
        add_n(&oassess, "Reports assessed for eligibility", o->assessed, false);
        add_reasons(&oexcl, rv, o);
    }

    /* The columns' titles. */
    box titles[3] = {{.x = prev_x, .w = prev_w},
                     {.x = db_x, .w = db_side_x + side_w - db_x},
                     {.x = oth_x, .w = oth_side_x + oth_side_w - oth_x}};
    if (update)
        add_title(&titles[0], "Previous studies");
    if (dbcol)
        add_title(&titles[1], update ? "Identification of new studies via databases and registers"
                                     : "Identification of studies via databases and registers");
    if (other)
        add_title(&titles[dbcol ? 2 : 1], update
                                              ? "Identification of new studies via other methods"
                                              : "Identification of studies via other methods");

    /* Rows: the tallest box of each, plus padding. */
    layout L = {0};
    L.height[ROW_HEAD] = 34;
    for (int t = 0; t < 3; t++)
        if (titles[t].n * LINE_PX + 14 > L.height[ROW_HEAD])
            L.height[ROW_HEAD] = titles[t].n * LINE_PX + 14;
    for (size_t i = 0; i < sizeof place / sizeof place[0]; i++) {
        double h = place[i].b->n * LINE_PX + 2 * PAD_PX;
        if (place[i].b->used && h > L.height[place[i].row])
            L.height[place[i].row] = h;
    }
    int last = update ? ROW_TOTAL : ROW_NEW;
    /* Each stage bar as tall as its rotated title ("Identification": about 110 px). */
    static const struct {
        int from, to;
        double need;
    } stages[] = {{ROW_IDENT, ROW_IDENT, 120}, {ROW_NEW, ROW_TOTAL, 80}};
    for (size_t k = 0; k < sizeof stages / sizeof stages[0]; k++) {
        int to = stages[k].to < last ? stages[k].to : last;
        double span = 0;
        for (int r = stages[k].from; r <= to; r++)
            span += L.height[r] + (r < to ? 34 : 0);
        if (span < stages[k].need)
            L.height[stages[k].from] += stages[k].need - span;
    }
    double y = 12;
    for (int r = 0; r <= last; r++) {
        L.top[r] = y;
        if (L.height[r] > 0) /* no screening row without databases */
            y += L.height[r] + (r == ROW_HEAD ? 18 : 34);
    }
    double height = y - 34 + 14;

    evs_canvas page;
    evs_canvas_init(&page, width);
    page.height = height;
    evs_buf setup;
    evs_buf_init(&setup);
    canvas c = {width, height, &setup, &page};
    evs_buf_add(&setup, "unset border\nunset tics\nunset key\nset margins 0,0,0,0\n"
                        "set xrange [0:1]\nset yrange [0:1]\n");
    if (update)
        header_box(&c, &L, &titles[0], "#d9d9d9");
    if (dbcol)
        header_box(&c, &L, &titles[1], "#ffe699");
    if (other)
        header_box(&c, &L, &titles[dbcol ? 2 : 1], "#d9d9d9");
    stage_bar(&c, &L, ROW_IDENT, ROW_IDENT, "Identification");
    stage_bar(&c, &L, ROW_SCREEN, ROW_ASSESS, "Screening");
    stage_bar(&c, &L, ROW_NEW, last, "Included");
    for (size_t i = 0; i < sizeof place / sizeof place[0]; i++)
        if (place[i].row <= last)
            draw_box(&c, &L, place[i].b);

    /* Arrows: down the main boxes, right into what leaves. */
    double mid = db_x + main_w / 2;
    for (int r = dbcol ? ROW_IDENT : ROW_NEW; r < last; r++)
        arrow(&c, mid, L.top[r] + L.height[r], mid, L.top[r + 1], true);
    for (int r = ROW_IDENT; dbcol && r <= ROW_ASSESS; r++) {
        double yc = L.top[r] + L.height[r] / 2;
        arrow(&c, db_x + main_w, yc, db_side_x, yc, true);
    }
    if (other) {
        double om = oth_x + oth_main_w / 2;
        arrow(&c, om, L.top[ROW_IDENT] + L.height[ROW_IDENT], om, L.top[ROW_SOUGHT], true);
        arrow(&c, om, L.top[ROW_SOUGHT] + L.height[ROW_SOUGHT], om, L.top[ROW_ASSESS], true);
        for (int r = ROW_SOUGHT; r <= ROW_ASSESS; r++) {
            double yc = L.top[r] + L.height[r] / 2;
            arrow(&c, oth_x + oth_main_w, yc, oth_side_x, yc, true);
        }
        /* From the other methods' assessed reports into the included box. */
        double yc = L.top[ROW_NEW] + L.height[ROW_NEW] / 2;
        if (dbcol) {
            arrow(&c, om, L.top[ROW_ASSESS] + L.height[ROW_ASSESS], om, yc, false);
            arrow(&c, om, yc, db_x + main_w, yc, true);
        } else {
            arrow(&c, om, L.top[ROW_ASSESS] + L.height[ROW_ASSESS], om, L.top[ROW_NEW], true);
        }
    }
    if (update) {
        double pm = prev_x + prev_w / 2;
        double yc = L.top[ROW_TOTAL] + L.height[ROW_TOTAL] / 2;
        arrow(&c, pm, L.top[ROW_IDENT] + L.height[ROW_IDENT], pm, yc, false);
        arrow(&c, pm, yc, db_x, yc, true);
    }
    /* The boxes and arrows as the graph, the text over them. */
    evs_buf_add(out, "# PRISMA 2020 flow diagram\n");
    if (setup.failed)
        out->failed = true;
    evs_canvas_draw(&page, dir, name, setup.data, "plot NaN notitle", out);
    evs_buf_free(&setup);
    evs_canvas_free(&page);
    free(bx);
}

/* ---------------------------------------------------------------------------
 * results.json
 */

static json_t *sources_json(const evs_prisma_column *c, int type, bool *ok)
{
    json_t *a = json_array();
    for (size_t i = 0; i < c->nsources; i++) {
        if (type >= 0 && c->sources[i].type != (evs_source_type)type)
            continue;
        json_t *x = json_pack("{s:s, s:I}", "source", c->sources[i].name, "n",
                              (json_int_t)c->sources[i].n);
        if (x == NULL || json_array_append_new(a, x) != 0)
            *ok = false;
    }
    return a;
}

static json_t *reasons_json(const evs_review *rv, const evs_prisma_column *c, bool *ok)
{
    json_t *a = json_array();
    for (size_t i = 0; i < c->nreasons; i++) {
        json_t *x = json_pack("{s:s, s:s, s:I}", "reason", c->reasons[i].id, "label",
                              reason_label(rv, c->reasons[i].id), "n",
                              (json_int_t)c->reasons[i].n);
        if (x == NULL || json_array_append_new(a, x) != 0)
            *ok = false;
    }
    return a;
}

static void set_n(json_t *o, const char *key, size_t n, bool *ok)
{
    if (json_object_set_new(o, key, json_integer((json_int_t)n)) != 0)
        *ok = false;
}

static void set_v(json_t *o, const char *key, json_t *v, bool *ok)
{
    if (v == NULL || json_object_set_new(o, key, v) != 0)
        *ok = false;
}

json_t *evs_report_prisma_json(const evs_prisma *p, const evs_review *rv)
{
    const evs_prisma_column *d = &p->databases, *o = &p->other;
    bool ok = true;
    json_t *x = json_object();
    if (x == NULL)
        return NULL;
    set_v(x, "template", json_string(p->update ? "updated review" : "new review"), &ok);
    set_v(x, "search", json_string(p->search), &ok);
    set_v(x, "complete", json_boolean(p->complete), &ok);
    if (p->update) {
        set_n(x, "previous_studies", p->previous_studies, &ok);
        set_n(x, "previous_reports", p->previous_reports, &ok);
    }
    set_n(x, "database_results", d->identified - d->registers, &ok);
    set_v(x, "database_specific_results", sources_json(d, EVS_SOURCE_DATABASE, &ok), &ok);
    set_n(x, "register_results", d->registers, &ok);
    set_v(x, "register_specific_results", sources_json(d, EVS_SOURCE_REGISTER, &ok), &ok);
    set_n(x, "duplicates", d->duplicates, &ok);
    set_n(x, "records_screened", d->screened, &ok);
    set_n(x, "records_excluded", d->screen_excluded, &ok);
    set_n(x, "records_awaiting_screening", d->screen_pending, &ok);
    set_n(x, "dbr_sought_reports", d->sought, &ok);
    set_n(x, "dbr_notretrieved_reports", d->not_retrieved, &ok);
    set_n(x, "dbr_assessed", d->assessed, &ok);
    set_n(x, "dbr_excluded", d->excluded, &ok);
    set_v(x, "dbr_excluded_reasons", reasons_json(rv, d, &ok), &ok);
    set_n(x, "dbr_awaiting_assessment", d->assess_pending, &ok);
    set_n(x, "dbr_included_reports", d->reports_included, &ok);
    set_n(x, "other_results", o->identified, &ok);
    set_v(x, "other_specific_results", sources_json(o, -1, &ok), &ok);
    set_n(x, "other_duplicates", o->duplicates, &ok);
    set_n(x, "other_sought_reports", o->sought, &ok);
    set_n(x, "other_notretrieved_reports", o->not_retrieved, &ok);
    set_n(x, "other_assessed", o->assessed, &ok);
    set_n(x, "other_excluded", o->excluded, &ok);
    set_v(x, "other_excluded_reasons", reasons_json(rv, o, &ok), &ok);
    set_n(x, "other_awaiting_assessment", o->assess_pending, &ok);
    set_n(x, "other_included_reports", o->reports_included, &ok);
    set_n(x, "new_studies", p->new_studies, &ok);
    set_n(x, "new_reports", p->new_reports, &ok);
    set_n(x, "total_studies", p->total_studies, &ok);
    set_n(x, "total_reports", p->total_reports, &ok);
    if (!ok) {
        json_decref(x);
        return NULL;
    }
    return x;
}

/* ---------------------------------------------------------------------------
 * The report's section
 */

evs_status evs_report_figures_add_prisma(evs_figure_list *figs)
{
    evs_figure *f = realloc(figs->items, (figs->n + 1) * sizeof *f);
    if (f == NULL)
        return EVS_ENOMEM;
    figs->items = f;
    f = &figs->items[figs->n++];
    memset(f, 0, sizeof *f);
    f->kind = EVS_FIGURE_PRISMA;
    snprintf(f->name, sizeof f->name, "prisma_flow");
    snprintf(f->caption, sizeof f->caption,
             "PRISMA 2020 flow diagram of the selection of studies");
    return EVS_OK;
}

/* A row of the table: the stage and its counts in the columns that are shown. */
typedef struct table_cols {
    bool db, other;
} table_cols;

static void count_row(evs_doc *d, table_cols t, const char *what, size_t db, size_t other)
{
    char a[EVS_NUM_TEXT], b[EVS_NUM_TEXT];
    const char *row[3] = {what, NULL, NULL};
    size_t k = 1;
    if (t.db)
        row[k++] = evs_num_count((double)db, a, sizeof a);
    if (t.other)
        row[k++] = evs_num_count((double)other, b, sizeof b);
    evs_doc_row(d, row);
}

void evs_report_prisma_doc(const evs_prisma *p, const evs_review *rv,
                           const evs_figure_list *figs, bool figures, int level, evs_doc *d)
{
    const evs_prisma_column *db = &p->databases, *o = &p->other;
    char a[EVS_NUM_TEXT], b[EVS_NUM_TEXT], c[EVS_NUM_TEXT], e[EVS_NUM_TEXT];
    evs_doc_heading(d, level, "Study selection (PRISMA 2020)");
    evs_doc_para(d, NULL,
                 "The flow of the records identified on %s through screening, from the "
                 "review's screening log (records.csv), drawn on the PRISMA 2020 template for %s "
                 "(Page et al. 2021, BMJ 372:n71).",
                 p->search[0] ? p->search : "an unrecorded date",
                 p->update ? "updated reviews" : "new reviews");
    if (!p->complete) {
        size_t ft = db->assess_pending + o->assess_pending;
        evs_doc_para(d, "Screening is not finished:",
                     "%s record%s await%s title and abstract screening and %s full text%s "
                     "await%s assessment. The counts are provisional.",
                     evs_num_count((double)db->screen_pending, a, sizeof a),
                     db->screen_pending == 1 ? "" : "s", db->screen_pending == 1 ? "s" : "",
                     evs_num_count((double)ft, b, sizeof b), ft == 1 ? "" : "s",
                     ft == 1 ? "s" : "");
    }
    for (size_t i = 0; figures && i < figs->n; i++)
        if (figs->items[i].kind == EVS_FIGURE_PRISMA)
            evs_doc_figure(d, figs->items[i].name, "%s", figs->items[i].caption);
    /* The columns of the figure: databases and registers, other methods, or both. */
    table_cols t = {db->identified > 0 || o->identified == 0, o->identified > 0};
    const char *head[3] = {"Stage", NULL, NULL};
    size_t k = 1;
    if (t.db)
        head[k++] = "Databases and registers";
    if (t.other)
        head[k++] = "Other methods";
    evs_doc_table(d, k, (1u << 1) | (1u << 2), head);
    count_row(d, t, "Records identified", db->identified, o->identified);
    count_row(d, t, "Duplicate records removed", db->duplicates, o->duplicates);
    if (t.db) {
        count_row(d, t, "Records screened (title and abstract)", db->screened, 0);
        count_row(d, t, "Records excluded", db->screen_excluded, 0);
    }
    count_row(d, t, "Reports sought for retrieval", db->sought, o->sought);
    count_row(d, t, "Reports not retrieved", db->not_retrieved, o->not_retrieved);
    count_row(d, t, "Reports assessed for eligibility", db->assessed, o->assessed);
    count_row(d, t, "Reports excluded", db->excluded, o->excluded);
    for (size_t i = 0; i < db->nreasons; i++) {
        if (db->reasons[i].n == 0 && o->reasons[i].n == 0)
            continue;
        char what[300];
        snprintf(what, sizeof what, "Excluded: %s", reason_label(rv, db->reasons[i].id));
        count_row(d, t, what, db->reasons[i].n, i < o->nreasons ? o->reasons[i].n : 0);
    }
    count_row(d, t, "Reports included", db->reports_included, o->reports_included);
    if (!t.db)
        evs_doc_para(d, NULL, "No record of the log comes from a database or register.");
    if (p->update)
        evs_doc_para(d, NULL,
                     "Studies included: %s in the previous version of the review, %s new, %s "
                     "in total (%s reports).",
                     evs_num_count((double)p->previous_studies, a, sizeof a),
                     evs_num_count((double)p->new_studies, b, sizeof b),
                     evs_num_count((double)p->total_studies, c, sizeof c),
                     evs_num_count((double)p->total_reports, e, sizeof e));
    else
        evs_doc_para(d, NULL,
                     "Studies included: %s, from %s reports. A study counts once for all its "
                     "reports, and the reports of one cohort (an overlap group of studies.csv) "
                     "are one study.",
                     evs_num_count((double)p->total_studies, a, sizeof a),
                     evs_num_count((double)p->total_reports, b, sizeof b));
}
