/* What a test case cost the process, for tests that bound it: peak RSS and
 * CPU time (getrusage). Header-only; include as "../test-cost.h". */
#pragma once

#include <dirent.h>
#include <glib.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

/* The process's peak resident set so far, in bytes. */
static inline gsize
test_peak_rss(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (gsize)ru.ru_maxrss * 1024;
}

/* User + system CPU time of the process (all its threads) so far, in seconds. */
static inline double
test_cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* The process's resident set now (/proc/self/statm), in KiB; 0 if unknown. */
static inline long
test_rss_kib(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f != NULL) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* The process's open file descriptors now (/proc/self/fd). */
static inline int
test_open_fds(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    if (d != NULL)
        closedir(d);
    return n - 1; /* the directory's own descriptor */
}
