/*
 * utf8.h -- UTF-8 validation for text read from users' files.
 */
#ifndef EVS_UTF8_H
#define EVS_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True when s[0..len) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF).  Otherwise false, with *bad set to
 * the offset of the first offending byte.
 */
bool evs_utf8_valid(const char *s, size_t len, size_t *bad);

/* The same, and no NUL byte (text cells): one pass for both checks. */
bool evs_utf8_text_valid(const char *s, size_t len, size_t *bad);

#endif
