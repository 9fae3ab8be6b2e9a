/*
 * Raw C PVM baselines for the benchmark: round trip, transfer rate and one-way streaming.
 *
 * One binary, two roles:
 *   master (no PVM parent):
 *     pvm_pingpong <mode> <self-absolute-path> <size-bytes> <count> <pvmd|direct> <frag-bytes> <raw|inplace> <reps>
 *   peer (spawned by the master):
 *     pvm_pingpong peer <pvmd|direct> <frag-bytes> <raw|inplace>
 *
 * Modes:
 *   rtt     WARMUP untimed, then <count> timed round trips of <size> bytes (tag PING out, PONG back);
 *           <reps> is ignored. Prints
 *           RESULT mode=rtt size= count= route= frag= enc= median_us= min_us= p99_us=
 *           SAMPLES <every round trip in microseconds, sorted, comma-separated>
 *   rate    one-way: the master sends <count> messages of <size> bytes back to back (tag DATA),
 *   stream  then END; the peer unpacks every message into its buffer, counts them and answers END
 *           with an ACK holding the count and the bytes it received; the master checks both, so
 *           nothing was dropped. One untimed warm-up round, then <reps> timed rounds (start of the
 *           first send to the arrival of the ACK). Prints
 *           RESULT mode=<mode> size= count= route= frag= enc= reps= median_mbps= best_mbps=
 *                  median_msgps= best_msgps=
 *           (MB = 10^6 bytes). rate and stream differ only in their names.
 *
 * <pvmd|direct>: PvmDontRoute (through the daemons) or PvmRouteDirect (task-task TCP link), set in
 * both tasks. <frag-bytes>: PvmFragSize (0 keeps libpvm's 4 KiB default). <raw|inplace>: the
 * encoding of every message both ways: PvmDataRaw copies the bytes into libpvm's fragments at
 * pvm_pkbyte, PvmDataInPlace leaves them in the caller's buffer until pvm_send.
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
#define TAG_DATA 5
#define TAG_END 6
#define TAG_ACK 7

/* master: the peer task, killed when the master gives up so it does not linger in the pvmd */
static int peer_tid = 0;

static int check(const char *call, int rc)
{
    if (rc < 0) {
        fprintf(stderr, "ERROR %s failed: code %d\n", call, rc);
        if (peer_tid > 0) {
            pvm_kill(peer_tid);
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

static int encoding(const char *enc)
{
    return strcmp(enc, "inplace") == 0 ? PvmDataInPlace : PvmDataRaw;
}

static void set_options(const char *route, int frag)
{
    check("pvm_setopt(PvmAutoErr)", pvm_setopt(PvmAutoErr, 0));
    if (frag > 0) {
        check("pvm_setopt(PvmFragSize)", pvm_setopt(PvmFragSize, frag));
    }
    check("pvm_setopt(PvmRoute)", pvm_setopt(PvmRoute, route_option(route)));
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

static double median_of(double *sorted, long n)
{
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static char *grow(char *buf, int *cap, int need)
{
    if (need > *cap) {
        free(buf);
        *cap = need;
        buf = malloc(need > 0 ? need : 1);
        if (buf == NULL) {
            fprintf(stderr, "ERROR malloc(%d) failed\n", need);
            pvm_exit();
            exit(1);
        }
    }
    return buf;
}

/* echoes PING, counts DATA until END (then ACKs), stops on STOP or when the master exits */
static int peer_role(const char *route, int frag, int enc)
{
    int parent = pvm_parent();
    char *buf = NULL;
    int cap = 0;
    int count = 0;
    double bytes_in = 0;

    if (parent < 0) {
        fprintf(stderr, "ERROR pvm_parent failed: code %d\n", parent);
        pvm_exit();
        return 1;
    }
    set_options(route, frag);
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
        buf = grow(buf, &cap, bytes);
        /* raw and in-place bodies are exactly the packed bytes */
        if (bytes > 0 && tag != TAG_END) {
            check("pvm_upkbyte", pvm_upkbyte(buf, bytes, 1));
        }
        if (tag == TAG_PING) {
            check("pvm_initsend", pvm_initsend(enc));
            if (bytes > 0) {
                check("pvm_pkbyte", pvm_pkbyte(buf, bytes, 1));
            }
            check("pvm_send", pvm_send(parent, TAG_PONG));
        } else if (tag == TAG_DATA) {
            count++;
            bytes_in += bytes;
        } else if (tag == TAG_END) {
            check("pvm_initsend", pvm_initsend(PvmDataRaw));
            check("pvm_pkint", pvm_pkint(&count, 1, 1));
            check("pvm_pkdouble", pvm_pkdouble(&bytes_in, 1, 1));
            check("pvm_send", pvm_send(parent, TAG_ACK));
            count = 0;
            bytes_in = 0;
        }
    }
    free(buf);
    pvm_exit();
    return 0;
}

static void round_trip(int tid, char *out, char *in, int size, int enc)
{
    check("pvm_initsend", pvm_initsend(enc));
    if (size > 0) {
        check("pvm_pkbyte", pvm_pkbyte(out, size, 1));
    }
    check("pvm_send", pvm_send(tid, TAG_PING));
    check("pvm_recv", pvm_recv(tid, TAG_PONG));
    if (size > 0) {
        check("pvm_upkbyte", pvm_upkbyte(in, size, 1));
    }
}

/* count messages one way, then END and wait for the ACK; returns the elapsed microseconds */
static double one_way(int tid, char *out, int size, long count, int enc)
{
    long i;
    int got;
    double bytes_got, t0 = now_us();
    for (i = 0; i < count; i++) {
        check("pvm_initsend", pvm_initsend(enc));
        if (size > 0) {
            check("pvm_pkbyte", pvm_pkbyte(out, size, 1));
        }
        check("pvm_send", pvm_send(tid, TAG_DATA));
    }
    check("pvm_initsend", pvm_initsend(PvmDataRaw));
    check("pvm_send(end)", pvm_send(tid, TAG_END));
    check("pvm_recv(ack)", pvm_recv(tid, TAG_ACK));
    {
        double elapsed = now_us() - t0;
        check("pvm_upkint", pvm_upkint(&got, 1, 1));
        check("pvm_upkdouble", pvm_upkdouble(&bytes_got, 1, 1));
        if (got != count || bytes_got != (double) count * size) {
            fprintf(stderr, "ERROR the peer received %d messages and %.0f bytes, expected %ld and %.0f\n", got,
                    bytes_got, count, (double) count * size);
            pvm_kill(tid);
            pvm_exit();
            exit(1);
        }
        return elapsed;
    }
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

int main(int argc, char **argv)
{
    const char *mode, *self, *route, *enc_name;
    long size, count, frag, reps;
    int mytid, parent, tid = 0, n, enc;
    long i;
    char *out, *in;
    char *spawn_argv[5];

    if (argc >= 5 && strcmp(argv[1], "peer") == 0) {
        check("pvm_mytid", pvm_mytid());
        return peer_role(argv[2], (int) parse_long("fragment size", argv[3], 0, 1L << 24), encoding(argv[4]));
    }

    if (argc != 9) {
        fprintf(stderr, "usage: %s <rtt|rate|stream> <self-absolute-path> <size-bytes> <count> <pvmd|direct>"
                " <frag-bytes> <raw|inplace> <reps>\n", argv[0]);
        return 2;
    }
    mode = argv[1];
    if (strcmp(mode, "rtt") != 0 && strcmp(mode, "rate") != 0 && strcmp(mode, "stream") != 0) {
        fprintf(stderr, "bad mode (rtt|rate|stream): %s\n", mode);
        return 2;
    }
    self = argv[2];
    size = parse_long("size", argv[3], 0, 1L << 30);
    count = parse_long("count", argv[4], 1, 100000000L);
    route = argv[5];
    if (strcmp(route, "pvmd") != 0 && strcmp(route, "direct") != 0) {
        fprintf(stderr, "bad route (pvmd|direct): %s\n", route);
        return 2;
    }
    frag = parse_long("fragment size", argv[6], 0, 1L << 24);
    enc_name = argv[7];
    if (strcmp(enc_name, "raw") != 0 && strcmp(enc_name, "inplace") != 0) {
        fprintf(stderr, "bad encoding (raw|inplace): %s\n", enc_name);
        return 2;
    }
    enc = encoding(enc_name);
    reps = parse_long("reps", argv[8], 1, 1000);

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
    set_options(route, (int) frag);

    spawn_argv[0] = "peer";
    spawn_argv[1] = (char *) route;
    spawn_argv[2] = argv[6];
    spawn_argv[3] = (char *) enc_name;
    spawn_argv[4] = NULL;
    n = pvm_spawn((char *) self, spawn_argv, PvmTaskDefault, "", 1, &tid);
    if (n != 1) {
        /* on failure tid holds the error code */
        fprintf(stderr, "ERROR pvm_spawn failed: code %d (started %d)\n", n < 0 ? n : tid, n);
        pvm_exit();
        return 1;
    }
    peer_tid = tid;

    out = malloc(size > 0 ? size : 1);
    in = malloc(size > 0 ? size : 1);
    if (out == NULL || in == NULL) {
        fprintf(stderr, "ERROR malloc failed\n");
        pvm_kill(tid);
        pvm_exit();
        return 1;
    }
    for (i = 0; i < size; i++) {
        out[i] = (char) (i * 31 + 7);
    }

    if (strcmp(mode, "rtt") == 0) {
        double *samples = malloc(sizeof(double) * count);
        long p99;
        if (samples == NULL) {
            fprintf(stderr, "ERROR malloc failed\n");
            pvm_kill(tid);
            pvm_exit();
            return 1;
        }
        for (i = 0; i < WARMUP; i++) {
            round_trip(tid, out, in, (int) size, enc);
        }
        if (size > 0 && memcmp(out, in, size) != 0) {
            fprintf(stderr, "ERROR echo returned different bytes\n");
            pvm_kill(tid);
            pvm_exit();
            return 1;
        }
        for (i = 0; i < count; i++) {
            double t0 = now_us();
            round_trip(tid, out, in, (int) size, enc);
            samples[i] = now_us() - t0;
        }
        qsort(samples, count, sizeof(double), cmp_double);
        p99 = (long) (0.99 * count + 0.999999) - 1; /* nearest-rank */
        if (p99 < 0) p99 = 0;
        if (p99 >= count) p99 = count - 1;
        printf("RESULT mode=rtt size=%ld count=%ld route=%s frag=%ld enc=%s median_us=%.1f min_us=%.1f p99_us=%.1f\n",
               size, count, route, frag, enc_name, median_of(samples, count), samples[0], samples[p99]);
        /* every sample, sorted, for callers that pool several runs */
        printf("SAMPLES");
        for (i = 0; i < count; i++) {
            printf("%c%.2f", i == 0 ? ' ' : ',', samples[i]);
        }
        printf("\n");
        free(samples);
    } else {
        double *mbps = malloc(sizeof(double) * reps);
        double *msgps = malloc(sizeof(double) * reps);
        if (mbps == NULL || msgps == NULL) {
            fprintf(stderr, "ERROR malloc failed\n");
            pvm_kill(tid);
            pvm_exit();
            return 1;
        }
        one_way(tid, out, (int) size, count, enc); /* warm-up round */
        for (i = 0; i < reps; i++) {
            double us = one_way(tid, out, (int) size, count, enc);
            mbps[i] = (double) count * size / us; /* bytes per microsecond = MB/s */
            msgps[i] = count / (us / 1e6);
        }
        qsort(mbps, reps, sizeof(double), cmp_double);
        qsort(msgps, reps, sizeof(double), cmp_double);
        printf("RESULT mode=%s size=%ld count=%ld route=%s frag=%ld enc=%s reps=%ld median_mbps=%.1f best_mbps=%.1f"
               " median_msgps=%.0f best_msgps=%.0f\n", mode, size, count, route, frag, enc_name, reps,
               median_of(mbps, reps), mbps[reps - 1], median_of(msgps, reps), msgps[reps - 1]);
        free(mbps);
        free(msgps);
    }
    fflush(stdout);

    check("pvm_initsend", pvm_initsend(PvmDataRaw));
    check("pvm_send(stop)", pvm_send(tid, TAG_STOP));
    peer_tid = 0;
    free(in);
    free(out);
    pvm_exit();
    return 0;
}
