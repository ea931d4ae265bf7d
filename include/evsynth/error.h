/*
 * error.h -- status codes and the caller-owned error record.
 *
 * Library functions never print and never exit.  They return an evs_status
 * and, on failure, fill an evs_error that the caller owns.  Only main()
 * prints it, as "FILE:LINE:COLUMN: message" (the style of compilers, so that
 * editors can jump to the cell).  LINE is the 1-based physical line of the
 * input file and COLUMN the 1-based field number within the CSV record.
 *
 * The numeric values of the status codes are the process exit codes
 * documented in the README.
 */
#ifndef EVS_ERROR_H
#define EVS_ERROR_H

#include <stddef.h>

typedef enum evs_status {
    EVS_OK = 0,
    EVS_EDATA = 1,  /* bad input data, or an analysis that cannot be done */
    EVS_EUSAGE = 2, /* bad command-line option or argument */
    EVS_EIO = 3     /* a file or an external program failed; out of memory */
} evs_status;

#define EVS_ERROR_FILE_MAX 1024
#define EVS_ERROR_MESSAGE_MAX 512

typedef struct evs_error {
    evs_status code;
    char file[EVS_ERROR_FILE_MAX]; /* empty when not about a file */
    long line;                     /* 0 when unknown */
    long column;                   /* 0 when unknown */
    char message[EVS_ERROR_MESSAGE_MAX];
} evs_error;

/* Reset to "no error".  err may be NULL. */
void evs_error_clear(evs_error *err);

/*
 * Record an error and return its code, so that a failing function can end
 * with "return evs_error_set(err, ...);".  err may be NULL (the message is
 * then dropped).  Any file name is cleared: the layer that knows the file
 * (a reader, or the code that ran the analysis) names it afterwards with
 * evs_error_set_file().
 */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
evs_status evs_error_set(evs_error *err, evs_status code, long line, long column,
                         const char *fmt, ...);

/* Name the file the error is about, unless one is already named. */
void evs_error_set_file(evs_error *err, const char *file);

/* Point the error at a line and column (0: unknown), keeping its message. */
void evs_error_set_position(evs_error *err, long line, long column);

/*
 * Write "FILE:LINE:COLUMN: message" (parts that are unknown are left out)
 * into buf, truncating to size.  Returns buf.
 */
char *evs_error_format(const evs_error *err, char *buf, size_t size);

#endif
