/*
 * plot_canvas.c -- the text layer of a figure and the script around its
 * graph (see plot_canvas.h).
 *
 * The advance widths are DejaVu Sans Book and Bold (the fonts fontconfig
 * gives for "sans-serif" and "sans-serif:bold" on Debian), in thousandths of
 * an em, for the printable ASCII characters; they were measured in Chromium
 * (canvas measureText at 1000 px, 'sans-serif') and agree with the fonts'
 * hmtx tables.  Other characters count as the widest common letters.
 */
#include "report/plot_canvas.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/gnuplot_script.h"

static const unsigned short width_normal[95] = {
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838};
static const unsigned short width_bold[95] = {
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365,
    696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580,
    1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
    733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500,
    500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687,
    716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838};

/* Size and weight of each style; align and colour for the script. */
static const struct {
    double size;
    bool bold;
    const char *align, *colour;
    int rotate; /* degrees */
} styles[EVS_TEXT_STYLES] = {
    [EVS_TEXT_LEFT] = {EVS_FONT_BODY, false, "left", "#111111", 0},
    [EVS_TEXT_RIGHT] = {EVS_FONT_BODY, false, "right", "#111111", 0},
    [EVS_TEXT_CENTRE] = {EVS_FONT_BODY, false, "center", "#111111", 0},
    [EVS_TEXT_BOLD_LEFT] = {EVS_FONT_BODY, true, "left", "#111111", 0},
    [EVS_TEXT_BOLD_RIGHT] = {EVS_FONT_BODY, true, "right", "#111111", 0},
    [EVS_TEXT_BOLD_CENTRE] = {EVS_FONT_BODY, true, "center", "#111111", 0},
    [EVS_TEXT_TITLE] = {EVS_FONT_TITLE, true, "left", "#111111", 0},
    [EVS_TEXT_SMALL_LEFT] = {EVS_FONT_SMALL, false, "left", "#333333", 0},
    [EVS_TEXT_SMALL_CENTRE] = {EVS_FONT_SMALL, false, "center", "#333333", 0},
    [EVS_TEXT_SMALL_RIGHT] = {EVS_FONT_SMALL, false, "right", "#333333", 0},
    [EVS_TEXT_MUTED_CENTRE] = {EVS_FONT_SMALL, false, "center", "#555555", 0},
    [EVS_TEXT_MCID_CENTRE] = {EVS_FONT_SMALL, false, "center", "#b22222", 0},
    [EVS_TEXT_VERTICAL] = {EVS_FONT_BODY, false, "center", "#111111", 90},
    [EVS_TEXT_VERTICAL_BOLD] = {EVS_FONT_BODY, true, "center", "#111111", 90},
    [EVS_TEXT_SERIES1] = {EVS_FONT_BODY, true, "left", "#1f4e79", 0},
    [EVS_TEXT_SERIES2] = {EVS_FONT_BODY, true, "left", "#b8860b", 0},
    [EVS_TEXT_INVERSE_CENTRE] = {EVS_FONT_BODY, true, "center", "#ffffff", 0},
};

void evs_canvas_init(evs_canvas *c, double width)
{
    memset(c, 0, sizeof *c);
    c->width = width;
    evs_buf_init(&c->text);
    evs_buf_init(&c->rules);
    evs_buf_init(&c->discs);
    evs_buf_init(&c->boxes);
}

void evs_canvas_free(evs_canvas *c)
{
    evs_buf_free(&c->text);
    evs_buf_free(&c->rules);
    evs_buf_free(&c->discs);
    evs_buf_free(&c->boxes);
}

/* The next code point of UTF-8 text and its length in bytes (1 for a stray byte). */
static unsigned long next_char(const char *s, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80 || (u[0] & 0xe0) == 0x80) {
        *len = 1;
        return u[0];
    }
    size_t n = u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : 2;
    unsigned long cp = u[0] & (0xff >> (n + 1));
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80) {
            *len = i;
            return 0xfffd;
        }
        cp = (cp << 6) | (u[i] & 0x3f);
    }
    *len = n;
    return cp;
}

static double char_width(unsigned long cp, bool bold)
{
    if (cp >= 32 && cp < 127)
        return bold ? width_bold[cp - 32] : width_normal[cp - 32];
    switch (cp) {
    case 0x00b2: /* superscript two */
    case 0x00b3:
        return bold ? 438 : 401;
    case 0x2013: /* en dash */
        return 500;
    case 0x2014: /* em dash, ellipsis */
    case 0x2026:
        return 1000;
    case 0x2009: /* thin space */
        return 200;
    default:
        /* arrows, relations, Greek and accented letters: as wide as the widest
         * common ones (the arrow and >= are 838) */
        return bold ? 850 : 838;
    }
}

double evs_text_width(const char *s, double size, bool bold)
{
    double w = 0;
    for (size_t len; s != NULL && *s; s += len)
        w += char_width(next_char(s, &len), bold);
    return w * size / 1000;
}

void evs_canvas_text(evs_canvas *c, double x, double y, evs_text_style st, const char *s)
{
    if (s == NULL || *s == '\0')
        return;
    evs_buf_printf(&c->text, "%.2f\t%.2f\t%d\t", x, y, (int)st);
    evs_gp_data_text(&c->text, s);
    evs_buf_add(&c->text, "\n");
    c->used |= 1u << st;
}

/*
 * Bytes of s (from start) that fit in max_width: whole words when a space
 * allows, else as many characters as fit (at least one).  *next is where the
 * next line starts (after the space).
 */
static size_t fit_line(const char *s, double size, bool bold, double max_width, size_t *next)
{
    double w = 0;
    size_t i = 0, last_space = 0, len;
    bool seen_space = false;
    while (s[i] != '\0') {
        unsigned long cp = next_char(s + i, &len);
        double cw = char_width(cp, bold) * size / 1000;
        if (w + cw > max_width && i > 0) {
            if (seen_space) {
                *next = last_space + 1;
                return last_space;
            }
            *next = i;
            return i;
        }
        if (cp == ' ') {
            last_space = i;
            seen_space = true;
        }
        w += cw;
        i += len;
    }
    *next = i;
    return i;
}

size_t evs_text_fit(const char *s, evs_text_style st, double max_width, size_t *next)
{
    return fit_line(s, styles[st].size, styles[st].bold, max_width, next);
}

size_t evs_canvas_wrap(evs_canvas *c, double x, double y, evs_text_style st, double max_width,
                       double line_height, size_t max_lines, const char *s)
{
    if (s == NULL)
        return 0;
    double size = styles[st].size;
    bool bold = styles[st].bold;
    size_t lines = 0;
    while (*s == ' ')
        s++;
    while (*s != '\0' && lines < max_lines) {
        size_t next, n = fit_line(s, size, bold, max_width, &next);
        bool last = lines + 1 == max_lines && s[next] != '\0';
        char line[1024];
        if (n >= sizeof line - 4)
            n = sizeof line - 4;
        if (last) {
            /* no room for the rest: cut this line so that an ellipsis fits */
            double ell = char_width(0x2026, bold) * size / 1000;
            size_t m = fit_line(s, size, bold, max_width - ell, &next);
            n = m < n ? m : n;
        }
        memcpy(line, s, n);
        while (n > 0 && line[n - 1] == ' ')
            n--;
        if (last) {
            memcpy(line + n, "\u2026", 3);
            n += 3;
        }
        line[n] = '\0';
        if (c != NULL)
            evs_canvas_text(c, x, y + (double)lines * line_height, st, line);
        lines++;
        s += next;
        while (*s == ' ')
            s++;
    }
    return lines;
}

void evs_canvas_rule(evs_canvas *c, double x1, double y1, double x2, double y2)
{
    evs_buf_printf(&c->rules, "%.2f\t%.2f\t%.2f\t%.2f\n", x1, y1, x2, y2);
}

void evs_canvas_disc(evs_canvas *c, double x, double y, double r, unsigned rgb)
{
    evs_buf_printf(&c->discs, "%.2f\t%.2f\t%.2f\t%u\n", x, y, r, rgb & 0xffffffu);
}

void evs_canvas_box(evs_canvas *c, double x1, double y1, double x2, double y2, unsigned rgb,
                    bool outlined)
{
    evs_buf_printf(&c->boxes, "%.2f\t%.2f\t%.2f\t%.2f\t%u\t%d\n", (x1 + x2) / 2, (y1 + y2) / 2,
                   fabs(x2 - x1) / 2, fabs(y2 - y1) / 2, rgb & 0xffffffu, outlined ? 1 : 0);
}

void evs_canvas_plot_area(const evs_canvas *c, evs_buf *b, double left, double top, double right,
                          double bottom)
{
    evs_buf_printf(b,
                   "set lmargin at screen %.5f\nset rmargin at screen %.5f\n"
                   "set tmargin at screen %.5f\nset bmargin at screen %.5f\n",
                   left / c->width, right / c->width, 1 - top / c->height,
                   1 - bottom / c->height);
}

/*
 * The text layer: the page's pixels as axes, every style a `with labels`
 * clause.  pt is the size of a pixel in the terminal's font unit.
 */
static void text_layer(const evs_canvas *c, evs_buf *b, double pt)
{
    if (c->used == 0 && c->rules.len == 0 && c->discs.len == 0 && c->boxes.len == 0)
        return;
    evs_buf_add(b, "set lmargin at screen 0\nset rmargin at screen 1\n"
                   "set tmargin at screen 1\nset bmargin at screen 0\n"
                   "unset arrow\nunset label\nunset object\nunset grid\nunset key\n"
                   "unset title\nunset xlabel\nunset ylabel\nunset x2label\nunset y2label\n"
                   "unset xtics\nunset ytics\nunset x2tics\nunset y2tics\nunset mxtics\n"
                   "unset mytics\nset border 0\nunset logscale\n");
    evs_buf_printf(b, "set xrange [0:%.2f]\nset yrange [%.2f:0]\n", c->width, c->height);
    evs_buf_add(b, "set datafile separator \"\\t\"\nplot ");
    const char *sep = "";
    /* Shapes first, under the rules and the text; boxes with an outline drawn twice. */
    if (c->boxes.len > 0) {
        evs_buf_add(b, "$evs_boxes using 1:2:3:4:5 with boxxyerror fs solid 1.0 noborder "
                       "lc rgb variable notitle, \\\n  $evs_boxes using 1:($6>0?$2:NaN):3:4 "
                       "with boxxyerror fs empty border lc rgb '#404040' lw 0.8 notitle");
        sep = ", \\\n  ";
    }
    if (c->discs.len > 0) {
        evs_buf_printf(b, "%s$evs_discs using 1:2:3:4 with circles fs solid 1.0 noborder "
                          "lc rgb variable notitle, \\\n  $evs_discs using 1:2:3 with circles "
                          "fs empty border lc rgb '#404040' lw 0.8 notitle",
                       sep);
        sep = ", \\\n  ";
    }
    if (c->rules.len > 0) {
        evs_buf_add(b, sep);
        evs_buf_add(b, "$evs_rules using 1:2:($3-$1):($4-$2) with vectors nohead lw 1 "
                       "lc rgb '#999999' notitle");
        sep = ", \\\n  ";
    }
    for (int st = 0; st < EVS_TEXT_STYLES; st++) {
        if (!(c->used & (1u << st)))
            continue;
        evs_buf_printf(b,
                       "%s$evs_text using 1:($3==%d?$2:NaN):4 with labels %s rotate by %d "
                       "font 'sans-serif%s,%g' textcolor rgb '%s' notitle",
                       sep, st, styles[st].align, styles[st].rotate,
                       styles[st].bold ? ":Bold" : "", styles[st].size * pt, styles[st].colour);
        sep = ", \\\n  ";
    }
    evs_buf_add(b, "\nset datafile separator whitespace\n");
}

/*
 * The terminal of one format.  The SVG terminal's font sizes are pixels (SVG
 * user units); pngcairo's are points at 96 dots per inch, so there a pixel is
 * 0.75 of a font unit, and returned in *pt.
 */
static void output(evs_buf *b, const evs_canvas *c, const char *dir, const char *name,
                   const char *ext, double *pt)
{
    int w = (int)ceil(c->width), h = (int)ceil(c->height);
    *pt = strcmp(ext, "svg") == 0 ? 1.0 : 0.75;
    if (strcmp(ext, "svg") == 0)
        evs_buf_printf(b, "set terminal svg size %d,%d font 'sans-serif,%g' noenhanced "
                          "background '#ffffff'\n",
                       w, h, EVS_FONT_BODY);
    else
        evs_buf_printf(b, "set terminal pngcairo size %d,%d font 'sans-serif,%g' noenhanced "
                          "background '#ffffff'\n",
                       w, h, EVS_FONT_BODY * *pt);
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
    evs_buf_add(b, "set output ");
    evs_gp_quote(b, path);
    evs_buf_add(b, "\n");
}

void evs_canvas_draw(const evs_canvas *c, const char *dir, const char *name, const char *setup,
                     const char *plot, evs_buf *out)
{
    evs_buf_add(out, "$evs_text << EOD\n");
    evs_buf_add(out, c->text.len ? c->text.data : "");
    evs_buf_add(out, "EOD\n$evs_rules << EOD\n");
    evs_buf_add(out, c->rules.len ? c->rules.data : "");
    evs_buf_add(out, "EOD\n");
    if (c->discs.len > 0) {
        evs_buf_add(out, "$evs_discs << EOD\n");
        evs_buf_add(out, c->discs.data);
        evs_buf_add(out, "EOD\n");
    }
    if (c->boxes.len > 0) {
        evs_buf_add(out, "$evs_boxes << EOD\n");
        evs_buf_add(out, c->boxes.data);
        evs_buf_add(out, "EOD\n");
    }
    if (c->text.failed || c->rules.failed || c->discs.failed || c->boxes.failed)
        out->failed = true;
    for (int e = 0; e < 2; e++) {
        double pt;
        output(out, c, dir, name, e == 0 ? "svg" : "png", &pt);
        evs_buf_add(out, "set multiplot\n");
        if (plot != NULL) {
            evs_buf_add(out, setup ? setup : "");
            evs_buf_add(out, plot);
            evs_buf_add(out, "\n");
        }
        text_layer(c, out, pt);
        evs_buf_add(out, "unset multiplot\nunset output\nreset\n");
    }
}
