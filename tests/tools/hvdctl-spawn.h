/* hvdctl-spawn.h — runs hvdctl ($HVDCTL) for the tests that drive it as a
 * user does. */
#pragma once

#include <glib.h>
#include <stdarg.h>

typedef struct {
    int status; /* exit status */
    char *out;  /* standard output */
    char *err;  /* standard error */
} hvdctl_result;

void hvdctl_result_clear(hvdctl_result *r);

/* Runs `$HVDCTL -c URI ARGS...` (ARGS from FIRST on, NULL-terminated) with
 * HVD_AUTH_FILE=AUTH. Aborts the test when hvdctl cannot be run or dies of
 * a signal. */
hvdctl_result hvdctl_runv(const char *uri, const char *auth, const char *first, va_list ap);
