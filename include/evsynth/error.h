/*
 * error.h -- status codes and the caller-owned error record.
 *
 * Library functions never print and never exit.  They return an evs_status
 * and, on failure, fill an evs_error that the caller owns (GSL's and
 * SQLite's style).  Only main() prints it, as "FILE:LINE:COLUMN: message"
 * (the style of compilers, so that editors can jump to the cell).  LINE is
 * the 1-based physical line of the input file and COLUMN the 1-based field
 * number within the CSV record.
 *
 * Status codes are not process exit codes: the command-line program maps
 * one to the other in a single table (src/cli/exit_codes.c), and their
 * numeric values differ on purpose.
 *
 * The engine never aborts its caller.  GSL's default error handler aborts
 * the process, so every engine function that calls GSL turns the handler
 * off (gsl_set_error_handler_off(), once per process; see
 * evs_gsl_quiet()) and checks each GSL status itself.  A program that
 * installs its own GSL handler after its first call into the engine gets
 * that handler called for conditions the engine handles: it must not
 * abort.
 */
#ifndef EVS_ERROR_H
#define EVS_ERROR_H

#include <stddef.h>

typedef enum evs_status {
    EVS_OK = 0,
    EVS_EINVAL = 11, /* an argument outside its domain: an unknown option, method or
                        name, a value out of range, a workspace too small */
    EVS_EDATA = 12,  /* bad input data, or an analysis that cannot be done with it */
    EVS_ENOCONV = 13,/* an iteration did not converge where no flagged result can be
                        given (fits report non-convergence in their results instead) */
    EVS_ENOMEM = 14, /* out of memory */
    EVS_EIO = 15     /* a file or an external program failed */
} evs_status;

/* A short name of the status ("out of memory"), for messages. */
const char *evs_status_name(evs_status st);

/*
 * Turn GSL's error handler off, once per process (thread-safe).  Every
 * engine entry point that reaches GSL calls it; an outside program never
 * needs to, but may.
 */
void evs_gsl_quiet(void);

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
