/*
 * image_check.h -- is a figure gnuplot wrote complete?
 *
 * gnuplot does not report a full disk: its PNG and SVG terminals write
 * through stdio and exit 0 with a file cut short, or empty.  So a figure is
 * accepted only when its bytes are a whole image:
 *
 *   PNG  the 8-byte signature, then chunks whose lengths fit the file and
 *        whose CRC-32 is right (ISO/IEC 15948, section 5.3), IHDR first
 *        and IEND last, ending exactly at the end of the file;
 *   SVG  text that starts with "<?xml" or "<svg" and ends with "</svg>"
 *        (blanks after it allowed), with no NUL byte.
 *
 * The kind comes from the name's extension (.png, .svg, in any case).
 */
#ifndef EVS_IMAGE_CHECK_H
#define EVS_IMAGE_CHECK_H

#include <stddef.h>

#include "evsynth/error.h"

/* Check the image in memory; name gives the kind and is used in messages. */
evs_status evs_image_check_buffer(const char *name, const unsigned char *data, size_t len,
                                  evs_error *err);

#endif
