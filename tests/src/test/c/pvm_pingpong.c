/*
 * Raw C PVM ping-pong, the baseline for the Java runtime's round-trip benchmark.
 *
 * One binary, two roles:
 *   master (no PVM parent):  pvm_pingpong <self-absolute-path> <size-bytes> <iterations> <pvmd|direct>
 *   echo   (spawned by it):  pvm_pingpong echo <pvmd|direct>
 *
 * The master spawns one echo task, does WARMUP untimed round trips and then <iterations> timed
 * ones (tag 1 out, tag 2 back, PvmDataRaw), sends a stop message (tag 3) and prints one line:
 *   RESULT size=<n> iterations=<n> route=<route> median_us=<x.x> min_us=<x.x> p99_us=<x.x>
 *
 * Build: gcc -O2 -o pvm_pingpong pvm_pingpong.c -lpvm3
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pvm3.h>

#define WARMUP 200
#define TAG_PING 1
#define TAG_PONG 2
#define TAG_STOP 3
#define TAG_PARENT_EXIT 4

/* master: the echo task, killed when the master gives up so it does not linger in the pvmd */
static int echo_tid = 0;

static int check(const char *call, int rc)
{
    if (rc < 0) {
        fprintf(stderr, "ERROR %s failed: code %d\n", call, rc);
        if (echo_tid > 0) {
            pvm_kill(echo_tid);
        }
        pvm_exit();
        exit(1);
    }
    return rc;
}

static int route_option(const char *route)
{
    return strcmp(route, "direct") == 0 ? PvmRouteDirect : PvmDontRoute;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int echo_role(const char *route)
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
    check("pvm_setopt(PvmRoute)", pvm_setopt(PvmRoute, route_option(route)));
    /* if the master dies without sending TAG_STOP (killed on timeout), the pvmd tells us */
    check("pvm_notify(PvmTaskExit)", pvm_notify(PvmTaskExit, TAG_PARENT_EXIT, 1, &parent));

    for (;;) {
        /* any source: the exit notification comes from the pvmd, not from the parent */
        int bufid = check("pvm_recv", pvm_recv(-1, -1));
        int bytes, tag, src;
        check("pvm_bufinfo", pvm_bufinfo(bufid, &bytes, &tag, &src));
        if (tag == TAG_STOP || tag == TAG_PARENT_EXIT) {
            break;
        }
        if (src != parent) {
            continue;
        }
        if (bytes > cap) {
            free(buf);
            cap = bytes;
            buf = malloc(cap > 0 ? cap : 1);
            if (buf == NULL) {
                fprintf(stderr, "ERROR malloc(%d) failed\n", cap);
                pvm_exit();
                return 1;
            }
        }
        /* PvmDataRaw: the message body is exactly the packed bytes */
        if (bytes > 0) {
            check("pvm_upkbyte", pvm_upkbyte(buf, bytes, 1));
        }
        check("pvm_initsend", pvm_initsend(PvmDataRaw));
        if (bytes > 0) {
            check("pvm_pkbyte", pvm_pkbyte(buf, bytes, 1));
        }
        check("pvm_send", pvm_send(parent, TAG_PONG));
    }
    free(buf);
    pvm_exit();
    return 0;
}

static void round_trip(int tid, char *out, char *in, int size)
{
    check("pvm_initsend", pvm_initsend(PvmDataRaw));
    if (size > 0) {
        check("pvm_pkbyte", pvm_pkbyte(out, size, 1));
    }
    check("pvm_send", pvm_send(tid, TAG_PING));
    check("pvm_recv", pvm_recv(tid, TAG_PONG));
    if (size > 0) {
        check("pvm_upkbyte", pvm_upkbyte(in, size, 1));
    }
}

int main(int argc, char **argv)
{
    char *self, *route, *endp;
    long size, iterations;
    int mytid, parent, tid = 0, n, i;
    char *out, *in;
    double *samples;
    char *spawn_argv[3];

    if (argc >= 2 && strcmp(argv[1], "echo") == 0) {
        check("pvm_mytid", pvm_mytid());
        return echo_role(argc >= 3 ? argv[2] : "pvmd");
    }

    if (argc != 5) {
        fprintf(stderr, "usage: %s <self-absolute-path> <size-bytes> <iterations> <pvmd|direct>\n", argv[0]);
        return 2;
    }
    self = argv[1];
    size = strtol(argv[2], &endp, 10);
    if (*endp != '\0' || size < 0 || size > 1L << 30) {
        fprintf(stderr, "bad size: %s\n", argv[2]);
        return 2;
    }
    iterations = strtol(argv[3], &endp, 10);
    if (*endp != '\0' || iterations < 1 || iterations > 100000000L) {
        fprintf(stderr, "bad iterations: %s\n", argv[3]);
        return 2;
    }
    route = argv[4];
    if (strcmp(route, "pvmd") != 0 && strcmp(route, "direct") != 0) {
        fprintf(stderr, "bad route (pvmd|direct): %s\n", route);
        return 2;
    }

    mytid = pvm_mytid();
    if (mytid < 0) {
        fprintf(stderr, "ERROR pvm_mytid failed: code %d\n", mytid);
        return 1;
    }
    parent = pvm_parent();
    if (parent != PvmNoParent) {
        fprintf(stderr, "ERROR master role needs no PVM parent, pvm_parent returned %d\n", parent);
        pvm_exit();
        return 1;
    }
    check("pvm_setopt(PvmAutoErr)", pvm_setopt(PvmAutoErr, 0));
    check("pvm_setopt(PvmFragSize)", pvm_setopt(PvmFragSize, 65536));
    check("pvm_setopt(PvmRoute)", pvm_setopt(PvmRoute, route_option(route)));

    spawn_argv[0] = "echo";
    spawn_argv[1] = route;
    spawn_argv[2] = NULL;
    n = pvm_spawn(self, spawn_argv, PvmTaskDefault, "", 1, &tid);
    if (n != 1) {
        /* on failure tid holds the error code */
        fprintf(stderr, "ERROR pvm_spawn failed: code %d (started %d)\n", n < 0 ? n : tid, n);
        pvm_exit();
        return 1;
    }
    echo_tid = tid;

    out = malloc(size > 0 ? size : 1);
    in = malloc(size > 0 ? size : 1);
    samples = malloc(sizeof(double) * iterations);
    if (out == NULL || in == NULL || samples == NULL) {
        fprintf(stderr, "ERROR malloc failed\n");
        pvm_kill(tid);
        pvm_exit();
        return 1;
    }
    for (i = 0; i < size; i++) {
        out[i] = (char) (i * 31 + 7);
    }

    for (i = 0; i < WARMUP; i++) {
        round_trip(tid, out, in, (int) size);
    }
    if (size > 0 && memcmp(out, in, size) != 0) {
        fprintf(stderr, "ERROR echo returned different bytes\n");
        pvm_kill(tid);
        pvm_exit();
        return 1;
    }
    for (i = 0; i < iterations; i++) {
        double t0 = now_us();
        round_trip(tid, out, in, (int) size);
        samples[i] = now_us() - t0;
    }

    check("pvm_initsend", pvm_initsend(PvmDataRaw));
    check("pvm_send(stop)", pvm_send(tid, TAG_STOP));
    echo_tid = 0;

    qsort(samples, iterations, sizeof(double), cmp_double);
    {
        long p99 = (long) (0.99 * iterations + 0.999999) - 1; /* nearest-rank */
        double median = iterations % 2 ? samples[iterations / 2]
                                       : (samples[iterations / 2 - 1] + samples[iterations / 2]) / 2;
        if (p99 < 0) p99 = 0;
        if (p99 >= iterations) p99 = iterations - 1;
        printf("RESULT size=%ld iterations=%ld route=%s median_us=%.1f min_us=%.1f p99_us=%.1f\n",
               size, iterations, route, median, samples[0], samples[p99]);
        fflush(stdout);
    }

    free(samples);
    free(in);
    free(out);
    pvm_exit();
    return 0;
}
