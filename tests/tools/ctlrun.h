/* ctlrun.h — running hvdctl from a test as a user does: a process with
 * -c URI and an auth file, its exit status and both outputs. */
#ifndef CTLRUN_H
#define CTLRUN_H

#include <glib.h>
#include <stdarg.h>

typedef struct {
    int status; /* exit status */
    char *out;  /* standard output */
    char *err;  /* standard error */
} ctl_result;

void ctl_result_clear(ctl_result *r);

/* $HVDCTL -c URI ARGS... (from `first`, NULL-terminated) with
 * HVD_AUTH_FILE=AUTH; the test fails when hvdctl cannot be started or ends
 * by a signal (both outputs shown). */
ctl_result ctl_run_v(const char *uri, const char *auth, const char *first, va_list ap);
ctl_result ctl_run(const char *uri, const char *auth, const char *first, ...) G_GNUC_NULL_TERMINATED;

/* A temporary directory holding an auth.conf (mode 0600) that gives USER
 * and PASSWORD for SCHEME://HOST; *auth_out its path. ctl_auth_remove()
 * removes both and frees the strings. */
char *ctl_auth_new(const char *scheme, const char *host, const char *user, const char *password, char **auth_out);
void ctl_auth_remove(char *dir, char *auth);

#endif
