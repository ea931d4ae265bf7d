/*
 * bench_batch.c -- end-to-end timings of the evsynth program, and of
 * metafor doing the same work when R is installed:
 *
 *  - evsynth batch (REML, knha, prediction interval, Q-profile CI of tau^2)
 *    on seeded simulated inputs with k = 5, 20 and 100 studies per analysis;
 *  - evsynth gosh over every subset of 20 and 25 studies, on one thread and
 *    on every core;
 *  - evsynth report on the shipped review: wall time and peak memory.
 *
 * Each program runs as a child process; wall time is measured around it and
 * peak memory (maximum resident set size) comes from wait4().  metafor fits
 * a sample of the same analyses (rma + predict + confint, as batch does) in
 * the same run, and the ratio of the rates is printed.
 *
 *   build/bench/bench_batch EVSYNTH REPO [--quick]
 *
 * EVSYNTH is the program (build/src/evsynth), REPO the repository root
 * (for data/sacroplasty).  --quick uses 10,000 analyses instead of 100,000.
 */
#define _GNU_SOURCE
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Run argv with stdout to out_path (or /dev/null); wall seconds, peak RSS in MB. */
static int run(const char *const argv[], const char *out_path, const char *dir, double *secs,
               double *peak_mb)
{
    fflush(stdout); /* or the child would print our buffered lines again */
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (dir != NULL && chdir(dir) != 0)
            _exit(127);
        if (freopen(out_path ? out_path : "/dev/null", "w", stdout) == NULL ||
            freopen("/dev/null", "w", stderr) == NULL)
            _exit(127);
        char *copy[16];
        size_t n = 0;
        for (; argv[n] != NULL && n < 15; n++)
            copy[n] = strdup(argv[n]);
        copy[n] = NULL;
        execvp(copy[0], copy);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0)
        return -1;
    *secs = now() - t0;
    *peak_mb = (double)ru.ru_maxrss / 1024.0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* n analyses of k studies: true effects around mu, tau^2 in [0, 0.1], vi in [0.01, 0.2]. */
static void simulate(const char *path, size_t n, size_t k, unsigned long seed)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        exit(3);
    }
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    fputs("analysis,yi,vi\n", f);
    for (size_t a = 0; a < n; a++) {
        double mu = gsl_ran_flat(rng, -0.5, 0.5), tau2 = gsl_ran_flat(rng, 0, 0.1);
        for (size_t i = 0; i < k; i++) {
            double v = gsl_ran_flat(rng, 0.01, 0.2);
            double y = mu + gsl_ran_gaussian(rng, sqrt(tau2)) + gsl_ran_gaussian(rng, sqrt(v));
            fprintf(f, "a%zu,%.8g,%.8g\n", a + 1, y, v);
        }
    }
    gsl_rng_free(rng);
    fclose(f);
}

/* metafor on the first `sample` analyses of path: analyses per second, or NaN. */
static double metafor_rate(const char *path, size_t sample, const char *dir)
{
    char script[2000], rpath[600];
    snprintf(rpath, sizeof rpath, "%s/bench.R", dir);
    FILE *f = fopen(rpath, "w");
    if (f == NULL)
        return NAN;
    snprintf(script, sizeof script,
             "suppressMessages(library(metafor))\n"
             "d <- read.csv('%s', nrows = %zu * 200)\n"
             "ids <- unique(d$analysis)[1:%zu]\n"
             "t0 <- proc.time()[[3]]\n"
             "for (a in ids) { x <- d[d$analysis == a, ]\n"
             "  try({ r <- rma(yi, vi, data = x, method = 'REML', test = 'knha')\n"
             "        p <- predict(r); ci <- confint(r) }, silent = TRUE) }\n"
             "cat(length(ids) / (proc.time()[[3]] - t0), '\\n')\n",
             path, sample, sample);
    fputs(script, f);
    fclose(f);
    char out[600];
    snprintf(out, sizeof out, "%s/bench.out", dir);
    const char *argv[] = {"Rscript", rpath, NULL};
    double secs, mb;
    if (run(argv, out, NULL, &secs, &mb) != 0)
        return NAN;
    f = fopen(out, "r");
    double rate = NAN;
    if (f == NULL || fscanf(f, "%lf", &rate) != 1)
        rate = NAN;
    if (f)
        fclose(f);
    return rate;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_batch EVSYNTH REPO [--quick]\n");
        return 2;
    }
    const char *evsynth = argv[1];
    const char *repo = argv[2];
    bool quick = argc > 3 && strcmp(argv[3], "--quick") == 0;
    size_t n = quick ? 10000 : 100000;
    char dir[] = "/tmp/evsynth-bench-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 3;
    }
    bool have_r = system("Rscript -e 'library(metafor)' > /dev/null 2>&1") == 0;

    printf("evsynth batch: REML, knha, prediction interval, Q-profile CI of tau^2; one thread\n");
    printf("%6s %9s %9s %14s %9s %16s %8s\n", "k", "analyses", "seconds", "analyses/s",
           "peak MB", "metafor/s", "ratio");
    static const size_t ks[] = {5, 20, 100};
    for (size_t i = 0; i < 3; i++) {
        size_t k = ks[i], m = k == 100 ? n / 10 : n;
        char path[700];
        snprintf(path, sizeof path, "%s/k%zu.csv", dir, k);
        simulate(path, m, k, 20261123 + k);
        const char *args[] = {evsynth, "batch", "--test", "knha", path, NULL};
        double secs, mb;
        int st = run(args, NULL, NULL, &secs, &mb);
        double rate = (double)m / secs;
        double r = have_r ? metafor_rate(path, k == 100 ? 100 : 300, dir) : (double)NAN;
        printf("%6zu %9zu %9.2f %14.0f %9.1f %16.1f %8.0f%s\n", k, m, secs, rate, mb, r,
               rate / r, st == 0 ? "" : "  (exit status not 0)");
        remove(path);
    }
    if (!have_r)
        printf("(R with metafor is not installed: no metafor rates)\n");

    /* GOSH over every subset of 20 and 25 studies, on one thread and on all */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    char threads[24];
    snprintf(threads, sizeof threads, "%ld", cores > 1 ? cores : 1);
    static const struct {
        int k;
        const char *method;
        bool all_cores, full_only;
    } runs[] = {{20, "FE", false, false},   {20, "DL", false, false},
                {20, "REML", false, false}, {20, "REML", true, false},
                {25, "REML", false, true},  {25, "REML", true, false}};
    printf("\nevsynth gosh --all (%ld cores)\n", cores);
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        if ((runs[i].full_only && quick) || (runs[i].all_cores && cores < 2))
            continue;
        char path[700];
        snprintf(path, sizeof path, "%s/gosh.csv", dir);
        FILE *f = fopen(path, "w");
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        gsl_rng_set(rng, 7);
        fputs("yi,vi\n", f);
        for (int j = 0; j < runs[i].k; j++) {
            double v = gsl_ran_flat(rng, 0.01, 0.2);
            fprintf(f, "%.8g,%.8g\n", 0.3 + gsl_ran_gaussian(rng, sqrt(0.05 + v)), v);
        }
        fclose(f);
        gsl_rng_free(rng);
        const char *args[] = {evsynth,  "gosh",    "--all", "--method", runs[i].method,
                              "--threads", runs[i].all_cores ? threads : "1", path, NULL};
        double secs, mb, subsets = ldexp(1, runs[i].k) - 1;
        run(args, NULL, NULL, &secs, &mb);
        printf("  k = %d  %-5s %2s thread%s %7.2f s  %12.0f fits/s  peak %.1f MB\n", runs[i].k,
               runs[i].method, runs[i].all_cores ? threads : "1",
               runs[i].all_cores ? "s" : " ", secs, subsets / secs, mb);
        remove(path);
    }

    /* evsynth report on the shipped review */
    char review[700], out[700];
    snprintf(review, sizeof review, "%s/data/sacroplasty", repo);
    snprintf(out, sizeof out, "%s/report", dir);
    const char *args[] = {evsynth, "report", "--out", out, review, NULL};
    double secs, mb;
    int st = run(args, NULL, NULL, &secs, &mb);
    printf("\nevsynth report data/sacroplasty (figures included): %.2f s, peak %.1f MB%s\n", secs,
           mb, st == 0 ? "" : "  (exit status not 0)");
    char cmd[800];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 3;
}
