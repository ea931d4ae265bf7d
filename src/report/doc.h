/*
 * doc.h -- a report as a list of blocks (headings, paragraphs, lists,
 * tables, figures), written once and rendered to Markdown and to HTML.
 *
 * Block text is plain text: the renderers escape it for their format, so
 * nothing a user wrote in a review file can become markup, a link or a
 * script.  Allocation failures set doc->failed and later calls do nothing;
 * check the flag once at the end.
 */
#ifndef EVS_DOC_H
#define EVS_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "report/strbuf.h"

typedef enum evs_block_kind {
    EVS_BLOCK_HEADING,
    EVS_BLOCK_PARAGRAPH,
    EVS_BLOCK_ITEM,   /* a bullet; consecutive items form one list */
    EVS_BLOCK_TABLE,
    EVS_BLOCK_FIGURE  /* text: the figure's file name without extension */
} evs_block_kind;

typedef struct evs_block {
    evs_block_kind kind;
    int level;   /* heading level 1..4 */
    char *lead;  /* bold words before the text, or NULL */
    char *text;  /* paragraph, item, heading, figure caption */
    char *name;  /* figure: file name without extension */
    size_t nrows, ncols; /* table: row 0 is the header */
    char **cells;        /* nrows * ncols */
    char **notes;        /* nrows * ncols: a cell's note (HTML: on hover), or NULL */
    size_t cap_rows;
    unsigned right_cols; /* table: bit j set when column j is numeric (right-aligned) */
} evs_block;

typedef struct evs_doc {
    evs_block *blocks;
    size_t n, cap;
    bool failed;
} evs_doc;

void evs_doc_init(evs_doc *d);
void evs_doc_free(evs_doc *d);

#if defined(__GNUC__)
#define EVS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define EVS_PRINTF(a, b)
#endif

void evs_doc_heading(evs_doc *d, int level, const char *fmt, ...) EVS_PRINTF(3, 4);
void evs_doc_para(evs_doc *d, const char *lead, const char *fmt, ...) EVS_PRINTF(3, 4);
void evs_doc_item(evs_doc *d, const char *lead, const char *fmt, ...) EVS_PRINTF(3, 4);
void evs_doc_figure(evs_doc *d, const char *name, const char *fmt, ...) EVS_PRINTF(3, 4);

/* A table with ncols columns and the given header cells; right: numeric columns. */
void evs_doc_table(evs_doc *d, size_t ncols, unsigned right, const char *const *header);
/* Append a row to the last block, which must be a table. */
void evs_doc_row(evs_doc *d, const char *const *cells);
/* The same with a note per cell (NULL or "" for none), shown on hover in the HTML. */
void evs_doc_row_notes(evs_doc *d, const char *const *cells, const char *const *notes);

/* Markdown (CommonMark with pipe tables); figures link to PNG files in fig_dir. */
void evs_doc_markdown(const evs_doc *d, const char *fig_dir, evs_buf *out);

/*
 * A self-contained HTML page.  svg(name, ctx) returns the SVG text of a
 * figure (or NULL when it is missing); it is inlined without its XML
 * prolog.  title goes into <title>.
 */
typedef const char *(*evs_svg_lookup)(const char *name, void *ctx);
void evs_doc_html(const evs_doc *d, const char *title, evs_svg_lookup svg, void *ctx,
                  evs_buf *out);

/* Append s escaped for HTML text and attribute values. */
void evs_html_escape(evs_buf *b, const char *s);

#endif
