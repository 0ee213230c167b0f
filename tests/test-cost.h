/* What a test case cost the process, for tests that bound it: peak RSS and
 * CPU time (getrusage). Header-only; include as "../test-cost.h". */
#pragma once

#include <glib.h>
#include <sys/resource.h>

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
