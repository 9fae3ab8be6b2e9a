/*
 * Raw C PVM master/worker floor for the job pool benchmark (issue 13): a master feeds warm C
 * workers a stream of trivial jobs over pvm_send/pvm_recv, the pattern a pvm-akka job pool runs.
 *
 * One binary, two roles:
 *   master (no PVM parent):
 *     pvm_jobs <self-absolute-path> <workers> <jobs> <size-bytes> <in-flight-per-worker> <batch> <reps>
 *   worker (spawned by the master):
 *     pvm_jobs worker
 *
 * The master spawns <workers> workers on the local VM (one pvm_spawn, PvmTaskDefault), then, per
 * round, hands out <jobs> jobs of a <size>-byte argument, keeping at most <in-flight-per-worker>
 * jobs given to each worker and not yet answered. Jobs travel <batch> to a message (tag JOBS: an
 * int count, then per job an int ID and its argument); a worker answers each message with one
 * message of as many results (tag RESULTS: the count, then per job its ID and a <size>-byte result:
 * the argument with its first byte set to 1). batch = 1 is one job per PVM message each way. The
 * master checks that every job got exactly one result and every result's first byte is 1.
 *
 * Latency of a job: from packing its message to unpacking its result. One untimed warm-up round,
 * then <reps> timed rounds; prints the best round's rate and the latencies of all timed rounds:
 *   RESULT workers= jobs= size= inflight= batch= reps= best_jobsps= median_jobsps= median_us= p99_us=
 *
 * PvmFragSize 64 KiB (as the runtime and its workers), libpvm's default routing (PvmAllowDirect).
 *
 * Build: gcc -O2 -o pvm_jobs pvm_jobs.c -lpvm3
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pvm3.h>

#define TAG_JOBS 11
#define TAG_RESULTS 12
#define TAG_STOP 13
#define TAG_PARENT_EXIT 14
#define MAX_WORKERS 64

static int worker_tids[MAX_WORKERS];
static int nworkers = 0;

static void kill_workers(void)
{
    int i;
    for (i = 0; i < nworkers; i++) {
        pvm_kill(worker_tids[i]);
    }
    nworkers = 0;
}

static int check(const char *call, int rc)
{
    if (rc < 0) {
        fprintf(stderr, "ERROR %s failed: code %d\n", call, rc);
        kill_workers();
        pvm_exit();
        exit(1);
    }
    return rc;
}

static void fail(const char *what)
{
    fprintf(stderr, "ERROR %s\n", what);
    kill_workers();
    pvm_exit();
    exit(1);
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static long parse_long(const char *what, const char *s, long lo, long hi)
{
    char *endp;
    long v = strtol(s, &endp, 10);
    if (*endp != '\0' || v < lo || v > hi) {
        fprintf(stderr, "bad %s: %s\n", what, s);
        exit(2);
    }
    return v;
}

/* runs every job of a JOBS message and answers with one RESULTS message, until STOP or the master exits */
static int worker_role(void)
{
    int parent = pvm_parent();
    char *buf = NULL;
    int cap = 0;
    if (parent < 0) {
        fprintf(stderr, "ERROR pvm_parent failed: code %d\n", parent);
        pvm_exit();
        return 1;
    }
    check("pvm_setopt(PvmAutoErr)", pvm_setopt(PvmAutoErr, 0));
    check("pvm_setopt(PvmFragSize)", pvm_setopt(PvmFragSize, 65536));
    check("pvm_notify(PvmTaskExit)", pvm_notify(PvmTaskExit, TAG_PARENT_EXIT, 1, &parent));
    for (;;) {
        int bufid = check("pvm_recv", pvm_recv(-1, -1));
        int bytes, tag, src, n, size, i;
        check("pvm_bufinfo", pvm_bufinfo(bufid, &bytes, &tag, &src));
        if (tag == TAG_STOP || tag == TAG_PARENT_EXIT) {
            break;
        }
        if (tag != TAG_JOBS || src != parent) {
            continue;
        }
        check("pvm_upkint(n)", pvm_upkint(&n, 1, 1));
        check("pvm_upkint(size)", pvm_upkint(&size, 1, 1));
        if (n <= 0 || size <= 0) {
            continue;
        }
        if (n * (size + 4) > cap) {
            free(buf);
            cap = n * (size + 4);
            buf = malloc(cap);
            if (buf == NULL) {
                fail("malloc failed");
            }
        }
        /* unpack the whole batch, then "run" each job: the result is its argument with byte 0 = 1 */
        for (i = 0; i < n; i++) {
            char *slot = buf + (long) i * (size + 4);
            check("pvm_upkint(id)", pvm_upkint((int *) slot, 1, 1));
            check("pvm_upkbyte", pvm_upkbyte(slot + 4, size, 1));
            slot[4] = 1;
        }
        check("pvm_initsend", pvm_initsend(PvmDataRaw));
        check("pvm_pkint(n)", pvm_pkint(&n, 1, 1));
        check("pvm_pkint(size)", pvm_pkint(&size, 1, 1));
        for (i = 0; i < n; i++) {
            char *slot = buf + (long) i * (size + 4);
            check("pvm_pkint(id)", pvm_pkint((int *) slot, 1, 1));
            check("pvm_pkbyte", pvm_pkbyte(slot + 4, size, 1));
        }
        check("pvm_send", pvm_send(parent, TAG_RESULTS));
    }
    free(buf);
    pvm_exit();
    return 0;
}

/* one round of <jobs>; fills lat_us[job] and returns the elapsed microseconds */
static double round_of(long jobs, int size, int inflight, int batch, double *sent_us, double *lat_us, char *done,
                       char *arg, char *res)
{
    int busy[MAX_WORKERS];
    long next = 0, results = 0;
    int i, w;
    double t0 = now_us();
    memset(busy, 0, sizeof(busy));
    memset(done, 0, jobs);
    while (results < jobs) {
        /* fill every worker up to its in-flight limit, <batch> jobs a message */
        for (w = 0; w < nworkers && next < jobs; w++) {
            while (next < jobs && busy[w] + batch <= inflight) {
                int n = (int) (jobs - next < batch ? jobs - next : batch);
                double t = now_us();
                check("pvm_initsend", pvm_initsend(PvmDataRaw));
                check("pvm_pkint(n)", pvm_pkint(&n, 1, 1));
                check("pvm_pkint(size)", pvm_pkint(&size, 1, 1));
                for (i = 0; i < n; i++) {
                    int id = (int) (next + i);
                    sent_us[id] = t;
                    check("pvm_pkint(id)", pvm_pkint(&id, 1, 1));
                    check("pvm_pkbyte", pvm_pkbyte(arg, size, 1));
                }
                check("pvm_send", pvm_send(worker_tids[w], TAG_JOBS));
                busy[w] += n;
                next += n;
            }
        }
        {
            int bufid = check("pvm_recv", pvm_recv(-1, TAG_RESULTS));
            int bytes, tag, src, n, rsize;
            check("pvm_bufinfo", pvm_bufinfo(bufid, &bytes, &tag, &src));
            check("pvm_upkint(n)", pvm_upkint(&n, 1, 1));
            check("pvm_upkint(size)", pvm_upkint(&rsize, 1, 1));
            if (rsize != size) {
                fail("a result of the wrong size");
            }
            for (i = 0; i < n; i++) {
                int id;
                check("pvm_upkint(id)", pvm_upkint(&id, 1, 1));
                check("pvm_upkbyte", pvm_upkbyte(res, size, 1));
                if (id < 0 || id >= jobs || done[id] || res[0] != 1) {
                    fail("a result for an unknown, already answered or wrongly run job");
                }
                done[id] = 1;
                lat_us[id] = now_us() - sent_us[id];
            }
            for (w = 0; w < nworkers; w++) {
                if (worker_tids[w] == src) {
                    busy[w] -= n;
                }
            }
            results += n;
        }
    }
    return now_us() - t0;
}

int main(int argc, char **argv)
{
    const char *self;
    long jobs, reps, r;
    int size, inflight, batch, n, i;
    char *spawn_argv[2];
    double *sent_us, *lat_us, *all_lat, *rates;
    char *done, *arg, *res;

    if (argc >= 2 && strcmp(argv[1], "worker") == 0) {
        check("pvm_mytid", pvm_mytid());
        return worker_role();
    }
    if (argc != 8) {
        fprintf(stderr, "usage: %s <self-absolute-path> <workers> <jobs> <size-bytes> <in-flight-per-worker> <batch>"
                " <reps>\n", argv[0]);
        return 2;
    }
    self = argv[1];
    nworkers = (int) parse_long("workers", argv[2], 1, MAX_WORKERS);
    jobs = parse_long("jobs", argv[3], 1, 10000000L);
    size = (int) parse_long("size", argv[4], 1, 1 << 20);
    inflight = (int) parse_long("in-flight per worker", argv[5], 1, 1 << 20);
    batch = (int) parse_long("batch", argv[6], 1, 1 << 20);
    reps = parse_long("reps", argv[7], 1, 1000);
    if (batch > inflight) {
        fprintf(stderr, "bad batch: %d is more than the %d jobs a worker may have in flight\n", batch, inflight);
        return 2;
    }
    if (pvm_mytid() < 0) {
        fprintf(stderr, "ERROR pvm_mytid failed\n");
        return 1;
    }
    if (pvm_parent() != PvmNoParent) {
        fprintf(stderr, "ERROR master role needs no PVM parent\n");
        pvm_exit();
        return 1;
    }
    check("pvm_setopt(PvmAutoErr)", pvm_setopt(PvmAutoErr, 0));
    check("pvm_setopt(PvmFragSize)", pvm_setopt(PvmFragSize, 65536));
    spawn_argv[0] = "worker";
    spawn_argv[1] = NULL;
    {
        int want = nworkers;
        nworkers = 0;
        n = pvm_spawn((char *) self, spawn_argv, PvmTaskDefault, "", want, worker_tids);
        if (n != want) {
            fprintf(stderr, "ERROR pvm_spawn started %d of %d workers (first code %d)\n", n, want, worker_tids[0]);
            nworkers = n > 0 ? n : 0;
            kill_workers();
            pvm_exit();
            return 1;
        }
        nworkers = n;
    }
    sent_us = malloc(sizeof(double) * jobs);
    lat_us = malloc(sizeof(double) * jobs);
    all_lat = malloc(sizeof(double) * jobs * reps);
    rates = malloc(sizeof(double) * reps);
    done = malloc(jobs);
    arg = malloc(size);
    res = malloc(size);
    if (!sent_us || !lat_us || !all_lat || !rates || !done || !arg || !res) {
        fail("malloc failed");
    }
    for (i = 0; i < size; i++) {
        arg[i] = (char) (i * 31 + 7);
    }
    round_of(jobs, size, inflight, batch, sent_us, lat_us, done, arg, res); /* warm-up */
    for (r = 0; r < reps; r++) {
        double us = round_of(jobs, size, inflight, batch, sent_us, lat_us, done, arg, res);
        rates[r] = jobs / (us / 1e6);
        memcpy(all_lat + r * jobs, lat_us, sizeof(double) * jobs);
    }
    qsort(rates, reps, sizeof(double), cmp_double);
    qsort(all_lat, jobs * reps, sizeof(double), cmp_double);
    {
        long total = jobs * reps;
        long p99 = (long) (0.99 * total + 0.999999) - 1; /* nearest-rank */
        if (p99 < 0) p99 = 0;
        printf("RESULT workers=%d jobs=%ld size=%d inflight=%d batch=%d reps=%ld best_jobsps=%.0f median_jobsps=%.0f"
               " median_us=%.1f p99_us=%.1f\n", nworkers, jobs, size, inflight, batch, reps, rates[reps - 1],
               rates[reps / 2], all_lat[total / 2], all_lat[p99]);
    }
    fflush(stdout);
    check("pvm_initsend", pvm_initsend(PvmDataRaw));
    for (i = 0; i < nworkers; i++) {
        check("pvm_send(stop)", pvm_send(worker_tids[i], TAG_STOP));
    }
    nworkers = 0;
    pvm_exit();
    return 0;
}
