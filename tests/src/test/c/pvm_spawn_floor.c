/*
 * The floor of the spawn benchmark: how long raw PVM takes to start <n> processes of a program
 * (a Java hello-world) on the local pvmd until each has sent one message back.
 *
 *   pvm_spawn_floor <n> <reps> <program-absolute-path> [argument...]
 *
 * The program needs no PVM at all: the master sets PvmOutputTid/PvmOutputCode, so the pvmd sends
 * every line a child prints to the master as a message (int tid, int count, count bytes; count 0
 * is end of file, negative counts are spawn and exit markers). One untimed warm-up round with one
 * task, then <reps> timed rounds: from just before pvm_spawn until the first output line of every
 * child has arrived. Each round also waits for every child's end of file (its exit) before the
 * next one starts. Prints
 *   RESULT n= reps= median_ms= min_ms= max_ms= median_exit_ms=
 *
 * Build: gcc -O2 -o pvm_spawn_floor pvm_spawn_floor.c -lpvm3
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pvm3.h>

#define TAG_OUT 11
#define MAX_TASKS 1024
#define RECV_TIMEOUT_S 120

static int tids[MAX_TASKS];

static int check(const char *call, int rc)
{
    if (rc < 0) {
        fprintf(stderr, "ERROR %s failed: code %d\n", call, rc);
        pvm_exit();
        exit(1);
    }
    return rc;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static int index_of(int tid, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        if (tids[i] == tid) {
            return i;
        }
    }
    return -1;
}

/* one round: returns ms until every child printed; *exit_ms gets ms until every child's EOF */
static double round_of(int n, char *program, char **args, double *exit_ms)
{
    char seen[MAX_TASKS], eof[MAX_TASKS];
    int nseen = 0, neof = 0, started, i;
    double t0, t_all = 0;
    struct timeval tmout = { RECV_TIMEOUT_S, 0 };

    memset(seen, 0, sizeof seen);
    memset(eof, 0, sizeof eof);
    t0 = now_ms();
    started = pvm_spawn(program, args, PvmTaskDefault, "", n, tids);
    if (started != n) {
        fprintf(stderr, "ERROR pvm_spawn started %d of %d (first code %d)\n", started, n, tids[0]);
        for (i = 0; i < started; i++) {
            pvm_kill(tids[i]);
        }
        pvm_exit();
        exit(1);
    }
    while (nseen < n || neof < n) {
        int bufid = check("pvm_trecv", pvm_trecv(-1, TAG_OUT, &tmout));
        int tid, cnt, k;
        if (bufid == 0) {
            fprintf(stderr, "ERROR no output within %d s (%d of %d printed, %d of %d ended)\n", RECV_TIMEOUT_S,
                    nseen, n, neof, n);
            for (i = 0; i < n; i++) {
                pvm_kill(tids[i]);
            }
            pvm_exit();
            exit(1);
        }
        check("pvm_upkint", pvm_upkint(&tid, 1, 1));
        check("pvm_upkint", pvm_upkint(&cnt, 1, 1));
        k = index_of(tid, n);
        if (k < 0) {
            continue;
        }
        if (cnt > 0 && !seen[k]) {
            seen[k] = 1;
            if (++nseen == n) {
                t_all = now_ms() - t0;
            }
        } else if (cnt == 0 && !eof[k]) {
            eof[k] = 1;
            neof++;
        }
    }
    *exit_ms = now_ms() - t0;
    return t_all;
}

int main(int argc, char **argv)
{
    int n, reps, i;
    char *program;
    char **args;
    double *ms, *exits, ignored;

    if (argc < 4) {
        fprintf(stderr, "usage: %s <n> <reps> <program-absolute-path> [argument...]\n", argv[0]);
        return 2;
    }
    n = atoi(argv[1]);
    reps = atoi(argv[2]);
    program = argv[3];
    if (n < 1 || n > MAX_TASKS || reps < 1 || reps > 1000 || program[0] != '/') {
        fprintf(stderr, "bad arguments: n 1..%d, reps 1..1000, absolute program path\n", MAX_TASKS);
        return 2;
    }
    args = argc > 4 ? argv + 4 : NULL; /* NULL-terminated by main's argv */

    if (pvm_mytid() < 0) {
        fprintf(stderr, "ERROR pvm_mytid failed\n");
        return 1;
    }
    check("pvm_setopt(PvmAutoErr)", pvm_setopt(PvmAutoErr, 0));
    check("pvm_setopt(PvmOutputTid)", pvm_setopt(PvmOutputTid, pvm_mytid()));
    check("pvm_setopt(PvmOutputCode)", pvm_setopt(PvmOutputCode, TAG_OUT));

    round_of(1, program, args, &ignored); /* warm-up: page cache, CDS archive mapping */
    ms = malloc(sizeof(double) * reps);
    exits = malloc(sizeof(double) * reps);
    if (ms == NULL || exits == NULL) {
        fprintf(stderr, "ERROR malloc failed\n");
        pvm_exit();
        return 1;
    }
    for (i = 0; i < reps; i++) {
        ms[i] = round_of(n, program, args, &exits[i]);
    }
    qsort(ms, reps, sizeof(double), cmp_double);
    qsort(exits, reps, sizeof(double), cmp_double);
    printf("RESULT n=%d reps=%d median_ms=%.1f min_ms=%.1f max_ms=%.1f median_exit_ms=%.1f\n", n, reps,
           reps % 2 ? ms[reps / 2] : (ms[reps / 2 - 1] + ms[reps / 2]) / 2, ms[0], ms[reps - 1],
           reps % 2 ? exits[reps / 2] : (exits[reps / 2 - 1] + exits[reps / 2]) / 2);
    fflush(stdout);
    free(ms);
    free(exits);
    pvm_exit();
    return 0;
}
