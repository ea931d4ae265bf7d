/*
 * man_page.c -- evsynth.1, the synopsis and the option list from the
 * command tables (see man_page.h).
 *
 * roff as man(7) and groff_man(7) describe it: a line starting with '.' or
 * '\'' is a request, so such text lines are protected with "\&"; '\' is
 * written "\e" and '-' "\-" (a minus that renders as the ASCII hyphen the
 * user types).
 */
#include "cli/man_page.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/options.h"
#include "version.h"

/* What a function writes to a FILE, as a string (caller frees); NULL if out of memory. */
typedef struct capture {
    char *text;
    size_t len;
    FILE *fp;
} capture;

static bool capture_open(capture *c)
{
    c->text = NULL;
    c->len = 0;
    c->fp = open_memstream(&c->text, &c->len);
    return c->fp != NULL;
}

static char *capture_close(capture *c)
{
    if (fclose(c->fp) != 0) {
        free(c->text);
        return NULL;
    }
    return c->text;
}

static char *help_text(const evs_command_line *line)
{
    capture c;
    if (!capture_open(&c))
        return NULL;
    line->help(c.fp);
    return capture_close(&c);
}

static char *option_text(const evs_command_line *line)
{
    capture c;
    if (!capture_open(&c))
        return NULL;
    evs_options_help(c.fp, line->options, line->noptions);
    return capture_close(&c);
}

/* A command's help: before its option list, and after it. */
typedef struct help_parts {
    char *help, *options;
    const char *before, *after; /* into help */
    size_t before_len;
} help_parts;

static void parts_free(help_parts *p)
{
    free(p->help);
    free(p->options);
}

static evs_status split_help(const evs_command *cmd, help_parts *p, evs_error *err)
{
    memset(p, 0, sizeof *p);
    p->help = help_text(cmd->line);
    p->options = option_text(cmd->line);
    if (p->help == NULL || p->options == NULL) {
        parts_free(p);
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    }
    const char *at = strstr(p->help, p->options);
    if (at == NULL || strstr(at + 1, p->options) != NULL) {
        parts_free(p);
        return evs_error_set(err, EVS_EINVAL, 0, 0,
                             "the help of '%s' does not show its option list exactly once",
                             cmd->name);
    }
    p->before = p->help;
    p->before_len = (size_t)(at - p->help);
    p->after = at + strlen(p->options);
    return EVS_OK;
}

/* ---------------------------------------------------------------------------
 * roff
 */

static void roff_text(FILE *out, const char *s, size_t n)
{
    bool line_start = true;
    for (size_t i = 0; i < n && s[i]; i++) {
        char c = s[i];
        if (line_start && (c == '.' || c == '\''))
            fputs("\\&", out);
        if (c == '\\')
            fputs("\\e", out);
        else if (c == '-')
            fputs("\\-", out);
        else
            fputc(c, out);
        line_start = c == '\n';
    }
}

static void roff_line(FILE *out, const char *s)
{
    roff_text(out, s, strlen(s));
    fputc('\n', out);
}

/*
 * Paragraphs of help text (separated by blank lines): a paragraph with an
 * indented line (a list, a table, a continued usage line) is kept as it is
 * (no fill), any other is filled by the formatter.  The trailing "Options:"
 * of the part before the list is dropped (the caller writes its own).
 */
static void roff_paragraphs(FILE *out, const char *s, size_t n, bool drop_options_line)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && s[i] == '\n')
            i++;
        if (i >= n)
            break;
        size_t end = i;
        while (end < n && !(s[end] == '\n' && end + 1 < n && s[end + 1] == '\n'))
            end++;
        if (end < n && s[end] == '\n')
            end++;
        size_t len = end - i;
        while (len > 0 && s[i + len - 1] == '\n')
            len--;
        if (drop_options_line && len >= 8 && strncmp(s + i + len - 8, "Options:", 8) == 0) {
            len -= 8;
            while (len > 0 && s[i + len - 1] == '\n')
                len--;
        }
        if (len > 0) {
            bool indented = false;
            for (size_t j = i; j + 2 < i + len; j++)
                if (s[j] == '\n' && s[j + 1] == ' ' && s[j + 2] == ' ')
                    indented = true;
            fputs(indented ? ".PP\n.nf\n" : ".PP\n", out);
            roff_text(out, s + i, len);
            fputs(indented ? "\n.fi\n" : "\n", out);
        }
        i = end;
    }
}

static void roff_option(FILE *out, const evs_option *o)
{
    fputs(".TP\n", out);
    if (o->short_name)
        fprintf(out, "\\fB\\-%c\\fR, ", o->short_name);
    fputs("\\fB\\-\\-", out);
    roff_text(out, o->name, strlen(o->name));
    fputs("\\fR", out);
    if (o->value != NULL) {
        fputs(" \\fI", out);
        roff_text(out, o->value, strlen(o->value));
        fputs("\\fR", out);
    }
    fputc('\n', out);
    /* a '\n' in a help text continues it: one filled sentence here */
    for (const char *p = o->help; *p; p++) {
        if (*p == '\n')
            fputc(' ', out);
        else
            roff_text(out, p, 1);
    }
    fputc('\n', out);
}

/* The usage lines of a help text ("Usage: evsynth ..." and the indented
 * lines after it), without "Usage: ", to out as plain text. */
static void usage_lines(FILE *out, const char *help)
{
    static const char prefix[] = "Usage: ";
    const size_t plen = sizeof prefix - 1;
    if (strncmp(help, prefix, plen) != 0)
        return;
    const char *p = help + plen;
    for (bool first = true;; first = false) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (!first) {
            if (len <= plen || strncmp(p, "       ", plen) != 0)
                break;
            p += plen;
            len -= plen;
        }
        fprintf(out, "%.*s\n", (int)len, p);
        if (nl == NULL)
            break;
        p = nl + 1;
    }
}

evs_status evs_write_synopsis(FILE *out, evs_error *err)
{
    for (size_t i = 0; i < evs_ncommands; i++) {
        char *help = help_text(evs_commands[i].line);
        if (help == NULL)
            return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
        usage_lines(out, help);
        free(help);
    }
    fprintf(out, "evsynth --help | --version\n");
    fprintf(out, "evsynth COMMAND --help | --version\n");
    return ferror(out) ? evs_error_set(err, EVS_EIO, 0, 0, "cannot write") : EVS_OK;
}

evs_status evs_write_option_list(FILE *out, evs_error *err)
{
    for (size_t i = 0; i < evs_ncommands; i++) {
        const evs_command_line *l = evs_commands[i].line;
        for (size_t j = 0; j < l->noptions; j++)
            fprintf(out, "%s --%s\n", evs_commands[i].name, l->options[j].name);
        fprintf(out, "%s --version\n", evs_commands[i].name);
    }
    return ferror(out) ? evs_error_set(err, EVS_EIO, 0, 0, "cannot write") : EVS_OK;
}

evs_status evs_write_man_page(FILE *out, evs_error *err)
{
    fprintf(out, ".\\\" evsynth.1: written by evsynth_docs from the command and option tables\n"
                 ".\\\" (src/cli); do not edit.\n");
    fprintf(out, ".TH EVSYNTH 1 \"\" \"evsynth %s\" \"User Commands\"\n", EVS_VERSION);
    fputs(".SH NAME\nevsynth \\- evidence synthesis: effect sizes, random\\-effects "
          "meta\\-analysis and evidence summaries\n",
          out);
    fputs(".SH SYNOPSIS\n.nf\n", out);
    capture c;
    if (!capture_open(&c))
        return evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    evs_status st = evs_write_synopsis(c.fp, err);
    char *synopsis = capture_close(&c);
    if (st != EVS_OK || synopsis == NULL) {
        free(synopsis);
        return st != EVS_OK ? st : evs_error_set(err, EVS_ENOMEM, 0, 0, "out of memory");
    }
    roff_text(out, synopsis, strlen(synopsis));
    free(synopsis);
    fputs(".fi\n", out);

    fputs(".SH DESCRIPTION\n", out);
    roff_line(out, "evsynth reads study-level data from CSV files, computes effect sizes, and "
                   "pools them with common-effect or random-effects meta-analysis, with "
                   "results that agree with R's metafor. From a review folder it writes an "
                   "evidence summary (Markdown, HTML, JSON, CSV) and its figures, drawn with "
                   "gnuplot. Each command below prints the same text with --help. The README "
                   "of the source distribution describes the methods, the input formats and "
                   "how the numbers are checked.");

    fputs(".SH COMMANDS\n", out);
    for (size_t i = 0; i < evs_ncommands; i++) {
        const evs_command *cmd = &evs_commands[i];
        help_parts p;
        if ((st = split_help(cmd, &p, err)) != EVS_OK)
            return st;
        fprintf(out, ".SS \"evsynth %s\"\n", cmd->name);
        roff_line(out, cmd->summary);
        /* the usage lines are in SYNOPSIS: start after the first paragraph */
        const char *desc = strstr(p.before, "\n\n");
        size_t skip = desc ? (size_t)(desc - p.before) : p.before_len;
        roff_paragraphs(out, p.before + skip, p.before_len - skip, true);
        fputs(".PP\nOptions:\n", out);
        for (size_t j = 0; j < cmd->line->noptions; j++)
            roff_option(out, &cmd->line->options[j]);
        roff_option(out, &evs_version_option);
        roff_paragraphs(out, p.after, strlen(p.after), false);
        parts_free(&p);
    }

    fputs(".SH \"EXIT STATUS\"\n", out);
    for (size_t i = 0; i < evs_exit_ndocs; i++) {
        fprintf(out, ".TP\n.B %d\n", (int)evs_exit_docs[i].code);
        roff_line(out, evs_exit_docs[i].meaning);
    }
    fputs(".SH \"SEE ALSO\"\n.BR gnuplot (1),\n.BR R (1)\n"
          "with the metafor package; the README and data/README.md of the source "
          "distribution.\n",
          out);
    return ferror(out) ? evs_error_set(err, EVS_EIO, 0, 0, "cannot write the man page")
                       : EVS_OK;
}
