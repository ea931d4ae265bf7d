/*
 * doc.c -- blocks of a report and their Markdown and HTML renderings (see
 * doc.h).
 */
#include "report/doc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void evs_doc_init(evs_doc *d)
{
    memset(d, 0, sizeof *d);
}

void evs_doc_free(evs_doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        evs_block *b = &d->blocks[i];
        free(b->lead);
        free(b->text);
        free(b->name);
        for (size_t j = 0; j < b->nrows * b->ncols; j++) {
            free(b->cells[j]);
            if (b->notes != NULL)
                free(b->notes[j]);
        }
        free(b->cells);
        free(b->notes);
    }
    free(d->blocks);
    memset(d, 0, sizeof *d);
}

static char *dup(evs_doc *d, const char *s)
{
    if (s == NULL)
        return NULL;
    char *p = strdup(s);
    if (p == NULL)
        d->failed = true;
    return p;
}

EVS_PRINTF(2, 0)
static char *vformat(evs_doc *d, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0) {
        d->failed = true;
        return NULL;
    }
    char *p = malloc((size_t)n + 1);
    if (p == NULL) {
        d->failed = true;
        return NULL;
    }
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

static evs_block *add(evs_doc *d, evs_block_kind kind)
{
    if (d->failed)
        return NULL;
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 64;
        evs_block *b = realloc(d->blocks, cap * sizeof *b);
        if (b == NULL) {
            d->failed = true;
            return NULL;
        }
        d->blocks = b;
        d->cap = cap;
    }
    evs_block *b = &d->blocks[d->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

void evs_doc_heading(evs_doc *d, int level, const char *fmt, ...)
{
    evs_block *b = add(d, EVS_BLOCK_HEADING);
    if (b == NULL)
        return;
    b->level = level;
    va_list ap;
    va_start(ap, fmt);
    b->text = vformat(d, fmt, ap);
    va_end(ap);
}

/* A paragraph or a list item: bold lead words, then the formatted text. */
EVS_PRINTF(4, 0)
static void text_block(evs_doc *d, evs_block_kind kind, const char *lead, const char *fmt,
                       va_list ap)
{
    evs_block *b = add(d, kind);
    if (b == NULL)
        return;
    b->lead = dup(d, lead);
    b->text = vformat(d, fmt, ap);
}

void evs_doc_para(evs_doc *d, const char *lead, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_block(d, EVS_BLOCK_PARAGRAPH, lead, fmt, ap);
    va_end(ap);
}

void evs_doc_item(evs_doc *d, const char *lead, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_block(d, EVS_BLOCK_ITEM, lead, fmt, ap);
    va_end(ap);
}

void evs_doc_figure(evs_doc *d, const char *name, const char *fmt, ...)
{
    evs_block *b = add(d, EVS_BLOCK_FIGURE);
    if (b == NULL)
        return;
    b->name = dup(d, name);
    va_list ap;
    va_start(ap, fmt);
    b->text = vformat(d, fmt, ap);
    va_end(ap);
}

void evs_doc_table(evs_doc *d, size_t ncols, unsigned right, const char *const *header)
{
    evs_block *b = add(d, EVS_BLOCK_TABLE);
    if (b == NULL)
        return;
    b->ncols = ncols;
    b->right_cols = right;
    evs_doc_row(d, header);
}

void evs_doc_row_notes(evs_doc *d, const char *const *cells, const char *const *notes)
{
    if (d->failed || d->n == 0 || d->blocks[d->n - 1].kind != EVS_BLOCK_TABLE)
        return;
    evs_block *b = &d->blocks[d->n - 1];
    if (b->nrows == b->cap_rows) {
        size_t cap = b->cap_rows ? 2 * b->cap_rows : 8;
        char **c = realloc(b->cells, cap * b->ncols * sizeof *c);
        if (c == NULL) {
            d->failed = true;
            return;
        }
        b->cells = c;
        if (b->notes != NULL) {
            char **n = realloc(b->notes, cap * b->ncols * sizeof *n);
            if (n == NULL) {
                d->failed = true;
                return;
            }
            b->notes = n;
        }
        b->cap_rows = cap;
    }
    if (notes != NULL && b->notes == NULL) {
        b->notes = calloc(b->cap_rows * b->ncols, sizeof *b->notes);
        if (b->notes == NULL) {
            d->failed = true;
            return;
        }
    }
    for (size_t j = 0; j < b->ncols; j++) {
        size_t at = b->nrows * b->ncols + j;
        b->cells[at] = dup(d, cells[j] ? cells[j] : "");
        if (b->notes != NULL)
            b->notes[at] = notes != NULL && notes[j] != NULL && notes[j][0] ? dup(d, notes[j])
                                                                            : NULL;
    }
    b->nrows++;
}

void evs_doc_row(evs_doc *d, const char *const *cells)
{
    evs_doc_row_notes(d, cells, NULL);
}

/* ---------------------------------------------------------------------------
 * Markdown
 */

/*
 * Plain text as GitHub-flavoured Markdown (GFM 0.29, as GitHub renders it):
 * nothing a user wrote may become markup.
 *
 *  - Inline markup (emphasis, code, links, images, raw HTML, table cells,
 *    entities, strikethrough, footnotes): its characters are
 *    backslash-escaped everywhere.
 *  - GFM's extended autolinks: the ':' of a scheme ("http://", "mailto:")
 *    and the '.' of "www." are escaped, which stops the inline match; an
 *    e-mail address is found after the inline pass, through escapes, so a
 *    zero-width space (&#8203;) goes before its '@'.  A ':' before a word is
 *    escaped too, so that ":smile:" is no emoji.
 *  - Blocks: when the text starts a line (block = true) a heading, list,
 *    quote, thematic break or ordered list ("1." or "1)") at its start is
 *    escaped, and leading spaces, which could make a code block, are dropped.
 *  - Line breaks become spaces, so a value stays one paragraph or table cell.
 */
static void md_text_in(evs_buf *b, const char *s, bool block)
{
    if (s == NULL)
        return;
    if (block) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s != '\0' && strchr("#+-=", *s) != NULL)
            evs_buf_add(b, "\\");
    }
    size_t digits = 0;
    for (const char *p = s; block && *p >= '0' && *p <= '9'; p++)
        digits++;
    for (const char *start = s; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n' || c == '\r' || c == '\t') {
            evs_buf_add(b, " ");
            continue;
        }
        if (c < 0x20 || c == 0x7f)
            continue;
        bool esc = strchr("\\`*_[]<>|~&", c) != NULL;
        /* "1." or "1)" starting the text: an ordered list */
        if (digits > 0 && digits <= 9 && s == start + digits && (c == '.' || c == ')'))
            esc = true;
        if (c == ':' && s[1] != '\0' && s[1] != ' ')
            esc = true;
        /* "#" before a space or the end: a heading's closing sequence */
        if (c == '#' && (s[1] == '\0' || s[1] == ' '))
            esc = true;
        if (c == '.' && s - start >= 3 && (s[-1] | 0x20) == 'w' && (s[-2] | 0x20) == 'w' &&
            (s[-3] | 0x20) == 'w')
            esc = true;
        if (c == '@')
            evs_buf_add(b, "&#8203;");
        if (esc)
            evs_buf_add(b, "\\");
        evs_buf_addn(b, s, 1);
    }
}

static void md_text(evs_buf *b, const char *s)
{
    md_text_in(b, s, true);
}

/* Text that does not start a line: a table cell, the text after a bold lead. */
static void md_inline(evs_buf *b, const char *s)
{
    md_text_in(b, s, false);
}

/* The bold lead words, if any; returns true when there were some. */
static bool md_lead(evs_buf *b, const evs_block *k)
{
    if (k->lead == NULL)
        return false;
    evs_buf_add(b, "**");
    md_inline(b, k->lead);
    evs_buf_add(b, "** ");
    return true;
}

void evs_doc_markdown(const evs_doc *d, const char *fig_dir, evs_buf *out)
{
    for (size_t i = 0; i < d->n; i++) {
        const evs_block *k = &d->blocks[i];
        switch (k->kind) {
        case EVS_BLOCK_HEADING:
            for (int l = 0; l < k->level; l++)
                evs_buf_add(out, "#");
            evs_buf_add(out, " ");
            md_text(out, k->text);
            evs_buf_add(out, "\n\n");
            break;
        case EVS_BLOCK_PARAGRAPH:
            md_text_in(out, k->text, !md_lead(out, k));
            evs_buf_add(out, "\n\n");
            break;
        case EVS_BLOCK_ITEM:
            evs_buf_add(out, "- ");
            md_text_in(out, k->text, !md_lead(out, k));
            evs_buf_add(out, "\n");
            if (i + 1 == d->n || d->blocks[i + 1].kind != EVS_BLOCK_ITEM)
                evs_buf_add(out, "\n");
            break;
        case EVS_BLOCK_FIGURE:
            evs_buf_add(out, "![");
            md_text(out, k->text);
            evs_buf_printf(out, "](%s/%s.png)\n\n*", fig_dir, k->name);
            md_text(out, k->text);
            evs_buf_add(out, "*\n\n");
            break;
        case EVS_BLOCK_TABLE:
            for (size_t r = 0; r < k->nrows; r++) {
                evs_buf_add(out, "|");
                for (size_t j = 0; j < k->ncols; j++) {
                    evs_buf_add(out, " ");
                    md_inline(out, k->cells[r * k->ncols + j]);
                    evs_buf_add(out, " |");
                }
                evs_buf_add(out, "\n");
                if (r == 0) {
                    evs_buf_add(out, "|");
                    for (size_t j = 0; j < k->ncols; j++)
                        evs_buf_add(out, (k->right_cols >> j) & 1u ? "---:|" : "---|");
                    evs_buf_add(out, "\n");
                }
            }
            evs_buf_add(out, "\n");
            break;
        }
    }
}

/* ---------------------------------------------------------------------------
 * HTML
 */

void evs_html_escape(evs_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            evs_buf_add(b, "&amp;");
            break;
        case '<':
            evs_buf_add(b, "&lt;");
            break;
        case '>':
            evs_buf_add(b, "&gt;");
            break;
        case '"':
            evs_buf_add(b, "&quot;");
            break;
        case '\'':
            evs_buf_add(b, "&#39;");
            break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                break;
            evs_buf_addn(b, s, 1);
        }
    }
}

/*
 * Screen: one column of at most 72rem (the figures are 960 px wide and shown
 * at that size on a 1280 px screen), paragraphs of a readable measure.
 * Print (and the PDF made from this page): A4, the report's title at the top
 * of every page and "Page n of N" at the foot (CSS page-margin boxes), table
 * headers repeated on every page (thead), headings kept with what follows
 * and a figure with the paragraph that leads to it,
 * rows and figures never split; wide tables (6 columns or more) and figures
 * that are wider than tall on landscape pages, where they keep their screen
 * size (wide_block).
 */
static const char html_style[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,"
    "sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;"
    "line-height:1.45}\n"
    "p,li{max-width:52rem}\n"
    "h1{font-size:1.6rem;border-bottom:2px solid #1f4e79;padding-bottom:.3rem}\n"
    "h2{font-size:1.3rem;color:#1f4e79;margin-top:2rem}\n"
    "h3{font-size:1.1rem}\n"
    "h1,h2,h3,h4,p.keep{break-after:avoid;page-break-after:avoid}\n"
    "table{border-collapse:collapse;margin:1rem 0;font-size:.9rem;width:100%}\n"
    "th,td{border:1px solid #bbb;padding:.3rem .5rem;vertical-align:top;text-align:left;"
    "overflow-wrap:break-word}\n"
    "th{background:#e8eef5;overflow-wrap:normal}\n"
    "td.num{text-align:right;white-space:nowrap;overflow-wrap:normal}\n"
    "td.note{cursor:help;text-decoration:underline dotted #888}\n"
    "thead{display:table-header-group}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n"
    "figure{margin:1.5rem 0;break-inside:avoid;page-break-inside:avoid}\n"
    "figure svg{display:block;max-width:100%;height:auto}\n"
    "figcaption{font-size:.9rem;color:#444;margin-top:.3rem}\n"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}"
    "p,li{max-width:none}h2{margin-top:1.2rem}"
    /* a collapsed border lies half outside the table: 2px less than the
     * page, so that its right edge is not cut off by the page margin */
    "table{font-size:8.5pt;width:calc(100% - 2px);margin-left:1px}"
    "th{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".wide{page:wide}}\n";

/*
 * s as the body of a CSS string: every character but letters, digits and
 * spaces as a hexadecimal escape, so that nothing in a title can end the
 * string or the style element.
 */
static void css_string(evs_buf *b, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        unsigned long cp = *u;
        size_t n = 1;
        if (cp >= 0xf0 && u[1] && u[2] && u[3]) {
            cp = ((cp & 0x07) << 18) | ((u[1] & 0x3fu) << 12) | ((u[2] & 0x3fu) << 6) | (u[3] & 0x3fu);
            n = 4;
        } else if (cp >= 0xe0 && u[1] && u[2]) {
            cp = ((cp & 0x0f) << 12) | ((u[1] & 0x3fu) << 6) | (u[2] & 0x3fu);
            n = 3;
        } else if (cp >= 0xc0 && u[1]) {
            cp = ((cp & 0x1f) << 6) | (u[1] & 0x3fu);
            n = 2;
        }
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
            cp == ' ')
            evs_buf_addn(b, (const char *)u, 1);
        else if (cp >= 0x20 && cp != 0x7f)
            evs_buf_printf(b, "\\%lx ", cp); /* the space ends the escape and is not shown */
        u += n;
    }
}

/* The page box: A4 with the title and page numbers in its margins; wide pages landscape. */
static void page_style(evs_buf *out, const char *title)
{
    static const char box[] = "font-family:sans-serif;font-size:8pt;color:#555";
    evs_buf_add(out, "@page{size:A4 portrait;margin:16mm 14mm 16mm 14mm;"
                     "@top-left{content:\"");
    css_string(out, title);
    evs_buf_printf(out, "\";%s}@bottom-right{content:\"Page \" counter(page) \" of \" "
                        "counter(pages);%s}}\n",
                   box, box);
    evs_buf_add(out, "@page wide{size:A4 landscape;margin:14mm 14mm 14mm 14mm}\n");
}

/* The SVG without its XML prolog and DOCTYPE, which are not allowed inside HTML. */
static void inline_svg(evs_buf *out, const char *svg)
{
    const char *start = strstr(svg, "<svg");
    evs_buf_add(out, start != NULL ? start : "");
}

/* The value of the attribute name="..." in the SVG's opening tag, or NaN. */
static double svg_size(const char *svg, const char *name)
{
    const char *start = svg != NULL ? strstr(svg, "<svg") : NULL;
    const char *end = start != NULL ? strchr(start, '>') : NULL;
    size_t n = strlen(name);
    for (const char *p = start != NULL ? start + 4 : NULL; p != NULL && p < end; p++)
        if (p[-1] <= ' ' && strncmp(p, name, n) == 0 && p[n] == '=' && p[n + 1] == '"')
            return strtod(p + n + 2, NULL);
    return NAN;
}

/*
 * Printed on a landscape page: a table of 6 columns or more, or a figure that
 * is wider than tall enough to fit one at its screen size (a landscape A4 page
 * holds about 270 by 180 mm).  A taller figure, the PRISMA flow or a forest
 * plot of many studies, goes on a portrait page, scaled to its width.
 */
static bool wide_block(const evs_block *k, const char *svg)
{
    if (k->kind == EVS_BLOCK_TABLE)
        return k->ncols >= 6;
    if (k->kind != EVS_BLOCK_FIGURE)
        return false;
    double w = svg_size(svg, "width"), h = svg_size(svg, "height");
    return !(w > 0 && h > 0) || h <= 0.62 * w;
}

/*
 * Does block i go on the landscape pages of the wide block it introduces or
 * follows?  A heading, and the paragraphs after it, that lead to a wide
 * block; a paragraph right after a wide table (its notes).  A page break
 * comes with every change of page type, so a heading left behind would end
 * a page alone.
 */
static bool travels_wide(const evs_doc *d, const bool *wide, size_t i)
{
    const evs_block *k = &d->blocks[i];
    if (k->kind != EVS_BLOCK_HEADING && k->kind != EVS_BLOCK_PARAGRAPH)
        return false;
    if (k->kind == EVS_BLOCK_PARAGRAPH && i > 0 && d->blocks[i - 1].kind == EVS_BLOCK_TABLE &&
        wide[i - 1])
        return true;
    size_t j = i;
    if (k->kind == EVS_BLOCK_PARAGRAPH) { /* back to the heading it belongs to */
        while (j > 0 && d->blocks[j].kind == EVS_BLOCK_PARAGRAPH)
            j--;
        if (d->blocks[j].kind != EVS_BLOCK_HEADING)
            return false;
    }
    for (j = j + 1; j < d->n && d->blocks[j].kind == EVS_BLOCK_PARAGRAPH; j++)
        ;
    return j < d->n && wide[j];
}

static void html_table(evs_buf *out, const evs_block *k, bool wide)
{
    evs_buf_add(out, wide ? "<table class=\"wide\">\n" : "<table>\n");
    for (size_t r = 0; r < k->nrows; r++) {
        if (r == 0)
            evs_buf_add(out, "<thead>\n");
        evs_buf_add(out, "<tr>");
        for (size_t j = 0; j < k->ncols; j++) {
            const char *tag = r == 0 ? "th" : "td";
            bool num = r > 0 && ((k->right_cols >> j) & 1u);
            const char *note = k->notes != NULL ? k->notes[r * k->ncols + j] : NULL;
            evs_buf_printf(out, "<%s%s%s", tag, r == 0 ? " scope=\"col\"" : "",
                           num ? " class=\"num\"" : note ? " class=\"note\"" : "");
            if (note != NULL) { /* shown on hover */
                evs_buf_add(out, " title=\"");
                evs_html_escape(out, note);
                evs_buf_add(out, "\"");
            }
            evs_buf_add(out, ">");
            evs_html_escape(out, k->cells[r * k->ncols + j]);
            evs_buf_printf(out, "</%s>", tag);
        }
        evs_buf_add(out, "</tr>\n");
        if (r == 0)
            evs_buf_add(out, "</thead>\n<tbody>\n");
    }
    evs_buf_add(out, k->nrows > 0 ? "</tbody>\n</table>\n" : "</table>\n");
}

void evs_doc_html(const evs_doc *d, const char *title, evs_svg_lookup svg, void *ctx,
                  evs_buf *out)
{
    evs_buf_add(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>");
    evs_html_escape(out, title);
    evs_buf_add(out, "</title>\n<style>\n");
    evs_buf_add(out, html_style);
    page_style(out, title);
    evs_buf_add(out, "</style>\n</head>\n<body>\n");
    /* which blocks go on landscape pages, known before their headings are written */
    bool *wide = calloc(d->n ? d->n : 1, sizeof *wide);
    if (wide == NULL) {
        out->failed = true;
        return;
    }
    for (size_t i = 0; i < d->n; i++) {
        const evs_block *k = &d->blocks[i];
        wide[i] = wide_block(k, k->kind == EVS_BLOCK_FIGURE && svg != NULL ? svg(k->name, ctx) : NULL);
    }
    for (size_t i = 0; i < d->n; i++) {
        const evs_block *k = &d->blocks[i];
        switch (k->kind) {
        case EVS_BLOCK_HEADING:
            evs_buf_printf(out, "<h%d%s>", k->level, travels_wide(d, wide, i) ? " class=\"wide\"" : "");
            evs_html_escape(out, k->text);
            evs_buf_printf(out, "</h%d>\n", k->level);
            break;
        case EVS_BLOCK_PARAGRAPH:
        case EVS_BLOCK_ITEM:
            if (k->kind == EVS_BLOCK_ITEM && (i == 0 || d->blocks[i - 1].kind != EVS_BLOCK_ITEM))
                evs_buf_add(out, "<ul>\n");
            if (k->kind == EVS_BLOCK_ITEM) {
                evs_buf_add(out, "<li>");
            } else {
                /* a paragraph that leads to a figure stays on the figure's page */
                bool lead_in = i + 1 < d->n && d->blocks[i + 1].kind == EVS_BLOCK_FIGURE;
                bool w = travels_wide(d, wide, i);
                evs_buf_add(out, w && lead_in ? "<p class=\"wide keep\">"
                                 : w          ? "<p class=\"wide\">"
                                 : lead_in    ? "<p class=\"keep\">"
                                              : "<p>");
            }
            if (k->lead != NULL) {
                evs_buf_add(out, "<strong>");
                evs_html_escape(out, k->lead);
                evs_buf_add(out, "</strong> ");
            }
            evs_html_escape(out, k->text);
            evs_buf_add(out, k->kind == EVS_BLOCK_ITEM ? "</li>\n" : "</p>\n");
            if (k->kind == EVS_BLOCK_ITEM && (i + 1 == d->n || d->blocks[i + 1].kind != EVS_BLOCK_ITEM))
                evs_buf_add(out, "</ul>\n");
            break;
        case EVS_BLOCK_FIGURE: {
            const char *s = svg != NULL ? svg(k->name, ctx) : NULL;
            /* figure names are letters, digits, '_' and '-': a unique id as they are */
            evs_buf_add(out, "<figure id=\"fig-");
            evs_html_escape(out, k->name);
            evs_buf_add(out, wide[i] ? "\" class=\"wide\">\n" : "\">\n");
            if (s != NULL)
                inline_svg(out, s);
            else
                evs_buf_add(out, "<p>(figure not available: gnuplot did not produce it)</p>");
            evs_buf_add(out, "\n<figcaption>");
            evs_html_escape(out, k->text);
            evs_buf_add(out, "</figcaption>\n</figure>\n");
            break;
        }
        case EVS_BLOCK_TABLE:
            html_table(out, k, wide[i]);
            break;
        }
    }
    evs_buf_add(out, "</body>\n</html>\n");
    free(wide);
}
