/*
 * test_outdir.c -- the output side of io: whole-image checks of gnuplot's
 * PNG and SVG (image_check.c), input files (files.c: regular files only,
 * bounded reads, paths kept inside a folder), the report folder as one unit
 * (outdir.c: the switch, the lock, recovery, what may be replaced, outputs
 * apart from inputs, the plots/ID link) and single files written through
 * or atomically (atomic.c).  The end-to-end tests, with fault injection and
 * kills, are tests/outdir/.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evs_test.h"
#include "io/atomic.h"
#include "io/files.h"
#include "io/image_check.h"
#include "io/outdir.h"

static char *slurp(const char *path, size_t *len)
{
    char *data;
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(evs_input_read_all(path, EVS_FILE_READ_MAX, &data, len, &err), EVS_OK);
    return data;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* A scratch folder for one test (removed by the test when it passes). */
static const char *scratch(const char *name)
{
    static char dir[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/test_outdir.%ld.%s", tmp && tmp[0] ? tmp : "/tmp",
             (long)getpid(), name);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    assert_int_equal(system(cmd), 0);
    return dir;
}

static void rm_rf(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* ---------------------------------------------------------------------------
 * Whole images
 */

/* gnuplot's PNG is whole; cut anywhere, or with a flipped byte or a tail, it is not. */
static void test_png_whole_or_not(void **state)
{
    (void)state;
    size_t len;
    char *png = slurp(evs_fixture_path("images/small.png"), &len);
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(evs_image_check_buffer("a.png", (unsigned char *)png, len, &err), EVS_OK);
    for (size_t cut = 0; cut < len; cut++)
        assert_int_equal(evs_image_check_buffer("a.png", (unsigned char *)png, cut, &err),
                         EVS_EIO);
    char buf[1024];
    evs_image_check_buffer("figures/a.png", (unsigned char *)png, 4096, &err);
    assert_string_equal(evs_error_format(&err, buf, sizeof buf),
                        "figures/a.png is not a complete image (4096 bytes: it ends inside a "
                        "chunk, before IEND); is the disk full?");
    /* a byte changed inside the first chunk's data: its CRC no longer holds */
    png[20] ^= 1;
    assert_int_equal(evs_image_check_buffer("a.png", (unsigned char *)png, len, &err), EVS_EIO);
    assert_non_null(strstr(err.message, "CRC"));
    png[20] ^= 1;
    char *longer = malloc(len + 1);
    memcpy(longer, png, len);
    longer[len] = 0;
    assert_int_equal(evs_image_check_buffer("a.png", (unsigned char *)longer, len + 1, &err),
                     EVS_EIO);
    assert_non_null(strstr(err.message, "after IEND"));
    free(longer);
    free(png);
}

static void test_svg_whole_or_not(void **state)
{
    (void)state;
    size_t len;
    char *svg = slurp(evs_fixture_path("images/small.svg"), &len);
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(evs_image_check_buffer("b.SVG", (unsigned char *)svg, len, &err), EVS_OK);
    /* every cut that loses part of the final </svg> is refused */
    size_t end = len;
    while (end > 0 && (svg[end - 1] == '\n' || svg[end - 1] == ' '))
        end--;
    for (size_t cut = 0; cut < end; cut++)
        assert_int_equal(evs_image_check_buffer("b.svg", (unsigned char *)svg, cut, &err),
                         EVS_EIO);
    char buf[1024];
    evs_image_check_buffer("b.svg", (unsigned char *)svg, 0, &err);
    assert_string_equal(evs_error_format(&err, buf, sizeof buf),
                        "b.svg is not a complete image (0 bytes: empty); is the disk full?");
    assert_int_equal(evs_image_check_buffer("b.gif", (unsigned char *)svg, len, &err), EVS_EIO);
    free(svg);
}

/* ---------------------------------------------------------------------------
 * Input files
 */

static void test_inputs_regular_only(void **state)
{
    (void)state;
    const char *dir = scratch("inputs");
    char fifo[600], file[600], buf[1024];
    snprintf(fifo, sizeof fifo, "%s/f.csv", dir);
    snprintf(file, sizeof file, "%s/r.csv", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    evs_error err;
    evs_error_clear(&err);
    /* a FIFO with no writer would block open(); it is refused at once */
    assert_null(evs_input_open(fifo, false, &err));
    assert_non_null(strstr(evs_error_format(&err, buf, sizeof buf),
                           "f.csv: cannot read a FIFO (named pipe): only regular files are read"));
    evs_error_clear(&err);
    assert_null(evs_input_open(dir, false, &err));
    assert_non_null(strstr(err.message, "cannot read a folder"));
    evs_error_clear(&err);
    assert_null(evs_input_open("/dev/zero", false, &err));
    assert_non_null(strstr(err.message, "a character device"));
    assert_true(evs_input_open("-", true, &err) == stdin);
    evs_error_clear(&err);
    assert_null(evs_input_open("-", false, &err)); /* a file named "-", not there */

    /* whole reads are bounded */
    write_file(file, "0123456789");
    char *data;
    size_t len;
    assert_int_equal(evs_input_read_all(file, 10, &data, &len, &err), EVS_OK);
    assert_int_equal(len, 10);
    free(data);
    assert_int_equal(evs_input_read_all(file, 9, &data, &len, &err), EVS_EIO);
    assert_null(data);
    assert_non_null(strstr(err.message, "larger than the limit"));

    /* SHA-256 of "0123456789" (sha256sum, coreutils) */
    char hex[65];
    assert_int_equal(evs_input_sha256(file, hex, &err), EVS_OK);
    assert_string_equal(hex, "84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882");
    rm_rf(dir);
}

static void test_path_inside(void **state)
{
    (void)state;
    const char *dir = scratch("inside");
    char path[700], out[1200], sub[700];
    snprintf(path, sizeof path, "%s/last.json", dir);
    write_file(path, "{}");
    snprintf(sub, sizeof sub, "%s/old", dir);
    assert_int_equal(mkdir(sub, 0777), 0);
    snprintf(path, sizeof path, "%s/old/results.json", dir);
    write_file(path, "{}");
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(evs_path_inside(dir, "last.json", out, sizeof out, &err), EVS_OK);
    assert_int_equal(evs_path_inside(dir, "old/results.json", out, sizeof out, &err), EVS_OK);
    assert_int_equal(evs_path_inside(dir, "old/../last.json", out, sizeof out, &err), EVS_EDATA);
    assert_int_equal(evs_path_inside(dir, "../x", out, sizeof out, &err), EVS_EDATA);
    assert_int_equal(evs_path_inside(dir, "/etc/passwd", out, sizeof out, &err), EVS_EDATA);
    /* a link inside the folder that leads out of it */
    snprintf(path, sizeof path, "%s/out.json", dir);
    assert_int_equal(symlink("/etc/passwd", path), 0);
    assert_int_equal(evs_path_inside(dir, "out.json", out, sizeof out, &err), EVS_EDATA);
    assert_non_null(strstr(err.message, "symbolic link leads out"));
    /* ..name is a name, not a climb */
    snprintf(path, sizeof path, "%s/..name", dir);
    write_file(path, "{}");
    assert_int_equal(evs_path_inside(dir, "..name", out, sizeof out, &err), EVS_OK);
    rm_rf(dir);
}

/* ---------------------------------------------------------------------------
 * The report folder
 */

/* Write a version holding report.md with text and figures/a.png (a real PNG). */
static evs_status write_version(const char *path, const char *text, evs_error *err)
{
    evs_outdir *od;
    evs_status st = evs_outdir_begin(path, &od, err);
    if (st != EVS_OK)
        return st;
    size_t len;
    char *png = slurp(evs_fixture_path("images/small.png"), &len);
    char fig[1200];
    snprintf(fig, sizeof fig, "%s/figures/a.png", evs_outdir_staging(od));
    if ((st = evs_outdir_mkdir(od, "figures", err)) == EVS_OK) {
        FILE *f = fopen(fig, "wb"); /* as gnuplot would */
        assert_non_null(f);
        assert_int_equal(fwrite(png, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
    }
    free(png);
    if (st == EVS_OK)
        st = evs_outdir_adopt(od, "figures/a.png", NULL, err);
    if (st == EVS_OK)
        st = evs_outdir_write(od, "report.md", text, strlen(text), err);
    if (st == EVS_OK)
        st = evs_outdir_write(od, "results.json", "{}\n", 3, err);
    if (st == EVS_OK)
        st = evs_outdir_commit(od, err);
    evs_outdir_free(od);
    return st;
}

static char *read_text(const char *dir, const char *rel)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    size_t len;
    return slurp(path, &len);
}

static void expect_text(const char *dir, const char *rel, const char *want)
{
    char *got = read_text(dir, rel);
    assert_string_equal(got, want);
    free(got);
}

/* Nothing is left beside the folder but the folder. */
static void expect_clean(const char *parent)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s' | grep evsynth)\"", parent);
    assert_int_equal(system(cmd), 0);
}

static void test_switch_and_stale(void **state)
{
    (void)state;
    const char *parent = scratch("switch");
    char out[700], stale[800];
    snprintf(out, sizeof out, "%s/out", parent);
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(write_version(out, "one\n", &err), EVS_OK);
    expect_text(out, "report.md", "one\n");
    /* a file the new version does not have is gone after the switch */
    snprintf(stale, sizeof stale, "%s/figures/old.svg", out);
    write_file(stale, "<svg/>");
    assert_int_equal(write_version(out, "two\n", &err), EVS_OK);
    expect_text(out, "report.md", "two\n");
    assert_false(exists(stale));
    expect_clean(parent);

    /* a version given up leaves the folder and nothing else */
    evs_outdir *od;
    assert_int_equal(evs_outdir_begin(out, &od, &err), EVS_OK);
    assert_int_equal(evs_outdir_write(od, "report.md", "three\n", 6, &err), EVS_OK);
    evs_outdir_free(od);
    expect_text(out, "report.md", "two\n");
    expect_clean(parent);

    /* a figure cut short is not adopted */
    assert_int_equal(evs_outdir_begin(out, &od, &err), EVS_OK);
    assert_int_equal(evs_outdir_mkdir(od, "figures", &err), EVS_OK);
    char fig[1200];
    snprintf(fig, sizeof fig, "%s/figures/cut.png", evs_outdir_staging(od));
    write_file(fig, "\x89PNG\r\n\x1a\n");
    assert_int_equal(evs_outdir_adopt(od, "figures/cut.png", NULL, &err), EVS_EIO);
    char buf[1500], want[1000];
    snprintf(want, sizeof want,
             "%s/figures/cut.png is not a complete image (8 bytes: it ends inside a chunk, "
             "before IEND); is the disk full?",
             out);
    assert_string_equal(evs_error_format(&err, buf, sizeof buf), want);
    evs_outdir_free(od);
    expect_text(out, "report.md", "two\n");
    rm_rf(parent);
}

static void test_lock(void **state)
{
    (void)state;
    const char *parent = scratch("lock");
    char out[700];
    snprintf(out, sizeof out, "%s/out", parent);
    evs_error err;
    evs_error_clear(&err);
    evs_outdir *first, *second;
    assert_int_equal(evs_outdir_begin(out, &first, &err), EVS_OK);
    /* flock belongs to the open file: a second open in this process conflicts too */
    assert_int_equal(evs_outdir_begin(out, &second, &err), EVS_EIO);
    assert_null(second);
    char want[900];
    snprintf(want, sizeof want, "another evsynth report is writing to %s (process %ld); wait until it has finished",
             out, (long)getpid());
    assert_string_equal(err.message, want);
    assert_int_equal(evs_outdir_write(first, "results.json", "{}", 2, &err), EVS_OK);
    assert_int_equal(evs_outdir_commit(first, &err), EVS_OK);
    evs_outdir_free(first);
    expect_clean(parent); /* the lock file goes with its holder */
    assert_int_equal(evs_outdir_begin(out, &second, &err), EVS_OK);
    evs_outdir_free(second);
    rm_rf(parent);
}

static void test_recovery(void **state)
{
    (void)state;
    const char *parent = scratch("recover");
    char out[700], journal[800], stage[800];
    snprintf(out, sizeof out, "%s/out", parent);
    snprintf(journal, sizeof journal, "%s/.out.evsynth-old", parent);
    snprintf(stage, sizeof stage, "%s/.out.evsynth-new-1-0", parent);
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(write_version(out, "old\n", &err), EVS_OK);
    /* killed between the fallback's two renames: the folder is the journal */
    assert_int_equal(rename(out, journal), 0);
    assert_int_equal(mkdir(stage, 0777), 0);
    evs_outdir *od;
    assert_int_equal(evs_outdir_begin(out, &od, &err), EVS_OK);
    expect_text(out, "report.md", "old\n"); /* put back before anything else */
    assert_false(exists(journal));
    assert_false(exists(stage));
    evs_outdir_free(od);
    /* killed after them: the new folder is in place, the journal is garbage */
    assert_int_equal(mkdir(journal, 0777), 0);
    assert_int_equal(evs_outdir_begin(out, &od, &err), EVS_OK);
    assert_false(exists(journal));
    expect_text(out, "report.md", "old\n");
    evs_outdir_free(od);
    expect_clean(parent);
    rm_rf(parent);
}

static void test_what_may_be_replaced(void **state)
{
    (void)state;
    const char *parent = scratch("foreign");
    char out[700], path[900], buf[1500];
    snprintf(out, sizeof out, "%s/out", parent);
    evs_error err;
    evs_error_clear(&err);
    evs_outdir *od;
    /* an empty folder may be replaced; one with another's files may not */
    assert_int_equal(mkdir(out, 0777), 0);
    assert_int_equal(evs_outdir_begin(out, &od, &err), EVS_OK);
    evs_outdir_free(od);
    snprintf(path, sizeof path, "%s/thesis.docx", out);
    write_file(path, "mine");
    assert_int_equal(evs_outdir_begin(out, &od, &err), EVS_EIO);
    assert_non_null(strstr(evs_error_format(&err, buf, sizeof buf),
                           "holds thesis.docx, which evsynth did not write"));
    unlink(path);
    /* report files without results.json: not evsynth's either */
    snprintf(path, sizeof path, "%s/report.md", out);
    write_file(path, "notes");
    assert_int_equal(evs_outdir_begin(out, &od, &err), EVS_EIO);
    assert_non_null(strstr(err.message, "holds no results.json"));
    snprintf(path, sizeof path, "%s/results.json", out);
    write_file(path, "{}");
    assert_int_equal(evs_outdir_begin(out, &od, &err), EVS_OK);
    evs_outdir_free(od);
    /* a file as the folder */
    snprintf(path, sizeof path, "%s/file", parent);
    write_file(path, "x");
    assert_int_equal(evs_outdir_begin(path, &od, &err), EVS_EIO);
    assert_non_null(strstr(err.message, "is a regular file, not a folder"));
    /* a link to a folder: the folder behind it is switched, the link kept */
    char link[900];
    snprintf(link, sizeof link, "%s/link", parent);
    assert_int_equal(symlink("out", link), 0);
    assert_int_equal(write_version(link, "via link\n", &err), EVS_OK);
    expect_text(out, "report.md", "via link\n");
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    /* no name to switch */
    assert_int_equal(evs_outdir_begin(".", &od, &err), EVS_EINVAL);
    assert_int_equal(evs_outdir_begin("/", &od, &err), EVS_EINVAL);
    rm_rf(parent);
}

static void test_apart(void **state)
{
    (void)state;
    const char *parent = scratch("apart");
    char review[700], other[700], in[800], above[700];
    snprintf(review, sizeof review, "%s/data/review", parent);
    snprintf(other, sizeof other, "%s/data/reviewer", parent);
    snprintf(above, sizeof above, "%s/data", parent);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", review);
    assert_int_equal(system(cmd), 0);
    evs_error err;
    evs_error_clear(&err);
    assert_int_equal(evs_outdir_check_apart(review, review, &err), EVS_EINVAL);
    assert_non_null(strstr(err.message, "is the review folder"));
    assert_int_equal(evs_outdir_check_apart(above, review, &err), EVS_EINVAL);
    assert_non_null(strstr(err.message, "contains the review folder"));
    snprintf(in, sizeof in, "%s/not/yet", review); /* need not exist */
    assert_int_equal(evs_outdir_check_apart(in, review, &err), EVS_EINVAL);
    assert_non_null(strstr(err.message, "is inside the review folder"));
    /* a sibling whose name starts with the review's is apart */
    assert_int_equal(evs_outdir_check_apart(other, review, &err), EVS_OK);
    snprintf(in, sizeof in, "%s/data/review/../reviewer/x", parent);
    assert_int_equal(evs_outdir_check_apart(in, review, &err), EVS_OK);
    rm_rf(parent);
}

static void test_link(void **state)
{
    (void)state;
    const char *parent = scratch("link");
    char link[700], file[800], target[64] = "../reports/x/figures";
    snprintf(link, sizeof link, "%s/plots/x", parent);
    evs_error err;
    evs_error_clear(&err);
    char got[256];
    assert_int_equal(evs_outdir_link(link, target, &err), EVS_OK);
    ssize_t n = readlink(link, got, sizeof got - 1);
    assert_true(n > 0);
    got[n] = '\0';
    assert_string_equal(got, target);
    assert_int_equal(evs_outdir_link(link, target, &err), EVS_OK); /* already right */
    /* an earlier evsynth's folder of figures becomes the link */
    assert_int_equal(unlink(link), 0);
    assert_int_equal(mkdir(link, 0777), 0);
    snprintf(file, sizeof file, "%s/forest.png", link);
    write_file(file, "png");
    assert_int_equal(evs_outdir_link(link, target, &err), EVS_OK);
    n = readlink(link, got, sizeof got - 1);
    assert_true(n > 0);
    /* a folder with anything else is left alone */
    assert_int_equal(unlink(link), 0);
    assert_int_equal(mkdir(link, 0777), 0);
    snprintf(file, sizeof file, "%s/notes.txt", link);
    write_file(file, "mine");
    assert_int_equal(evs_outdir_link(link, target, &err), EVS_EIO);
    assert_non_null(strstr(err.message, "holds notes.txt"));
    assert_true(exists(file));
    expect_clean(parent);
    rm_rf(parent);
}

/* ---------------------------------------------------------------------------
 * Single files
 */

static void test_atomic_targets(void **state)
{
    (void)state;
    const char *dir = scratch("atomic");
    char path[700], link[700], buf[1500];
    evs_error err;
    evs_error_clear(&err);
    /* a character device is written through, never renamed over */
    assert_int_equal(evs_atomic_write("/dev/null", "x", 1, &err), EVS_OK);
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(evs_atomic_write("/dev/full", "x", 1, &err), EVS_EIO);
    assert_string_equal(evs_error_format(&err, buf, sizeof buf),
                        "/dev/full: cannot write: No space left on device");
    /* a link to a file: the file is replaced, the link kept */
    snprintf(path, sizeof path, "%s/target.csv", dir);
    snprintf(link, sizeof link, "%s/link.csv", dir);
    write_file(path, "old");
    assert_int_equal(symlink("target.csv", link), 0);
    assert_int_equal(evs_atomic_write(link, "new", 3, &err), EVS_OK);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    expect_text(dir, "target.csv", "new");
    /* a folder and a dangling link are refused */
    assert_int_equal(evs_atomic_write(dir, "x", 1, &err), EVS_EIO);
    assert_non_null(strstr(err.message, "cannot write a folder"));
    snprintf(link, sizeof link, "%s/dangling", dir);
    assert_int_equal(symlink("missing/none", link), 0);
    assert_int_equal(evs_atomic_write(link, "x", 1, &err), EVS_EIO);
    assert_non_null(strstr(err.message, "does not exist"));
    /* new files honour the umask */
    mode_t old = umask(027);
    snprintf(path, sizeof path, "%s/private.bin", dir);
    assert_int_equal(evs_atomic_write(path, "x", 1, &err), EVS_OK);
    umask(old);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    rm_rf(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_whole_or_not),
        cmocka_unit_test(test_svg_whole_or_not),
        cmocka_unit_test(test_inputs_regular_only),
        cmocka_unit_test(test_path_inside),
        cmocka_unit_test(test_switch_and_stale),
        cmocka_unit_test(test_lock),
        cmocka_unit_test(test_recovery),
        cmocka_unit_test(test_what_may_be_replaced),
        cmocka_unit_test(test_apart),
        cmocka_unit_test(test_link),
        cmocka_unit_test(test_atomic_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
