/*
 * error.c -- the caller-owned error record (see evsynth/error.h).
 */
#include "evsynth/error.h"

#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>

const char *evs_status_name(evs_status st)
{
    switch (st) {
    case EVS_OK:
        return "success";
    case EVS_EINVAL:
        return "invalid argument";
    case EVS_EDATA:
        return "bad data";
    case EVS_ENOCONV:
        return "did not converge";
    case EVS_ENOMEM:
        return "out of memory";
    case EVS_EIO:
        return "input/output error";
    }
    return "unknown status";
}

static once_flag gsl_quiet_once = ONCE_FLAG_INIT;

static void gsl_quiet(void)
{
    gsl_set_error_handler_off();
}

/* call_once: several threads may enter the engine at once, and GSL's
 * handler is one global variable that must not be written concurrently. */
void evs_gsl_quiet(void)
{
    call_once(&gsl_quiet_once, gsl_quiet);
}

void evs_error_clear(evs_error *err)
{
    if (err == NULL)
        return;
    err->code = EVS_OK;
    err->file[0] = '\0';
    err->line = 0;
    err->column = 0;
    err->message[0] = '\0';
}

evs_status evs_error_set(evs_error *err, evs_status code, long line, long column,
                         const char *fmt, ...)
{
    if (err == NULL)
        return code;
    err->code = code;
    err->file[0] = '\0';
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

void evs_error_set_file(evs_error *err, const char *file)
{
    if (err == NULL || file == NULL || err->file[0] != '\0')
        return;
    snprintf(err->file, sizeof err->file, "%s", file);
}

void evs_error_set_position(evs_error *err, long line, long column)
{
    if (err == NULL)
        return;
    err->line = line;
    err->column = column;
}

char *evs_error_format(const evs_error *err, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (err == NULL)
        return buf;
    if (err->file[0] == '\0') {
        snprintf(buf, size, "%s", err->message);
    } else if (err->line <= 0) {
        snprintf(buf, size, "%s: %s", err->file, err->message);
    } else if (err->column <= 0) {
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, err->message);
    } else {
        snprintf(buf, size, "%s:%ld:%ld: %s", err->file, err->line, err->column,
                 err->message);
    }
    return buf;
}
