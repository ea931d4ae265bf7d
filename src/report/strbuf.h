/*
 * strbuf.h -- a growable text buffer for the writers.
 *
 * Appending never fails loudly: an allocation failure sets the buffer's
 * error flag, later appends do nothing, and the writer checks the flag once
 * at the end (as SQLite's StrAccum does).
 */
#ifndef EVS_STRBUF_H
#define EVS_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct evs_buf {
    char *data; /* NUL-terminated */
    size_t len, cap;
    bool failed;
} evs_buf;

void evs_buf_init(evs_buf *b);
void evs_buf_free(evs_buf *b);
void evs_buf_add(evs_buf *b, const char *s);
/* Empty the buffer, keeping its memory. */
void evs_buf_clear(evs_buf *b);
/* The text so far: "" before anything was added. */
const char *evs_buf_str(const evs_buf *b);
void evs_buf_addn(evs_buf *b, const char *s, size_t n);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void evs_buf_printf(evs_buf *b, const char *fmt, ...);

/* x as printf's "%.10g" would write it, into out; returns the length. */
int evs_format_g10(char out[32], double x);

#endif
