/* hvdctl-spawn.c — see hvdctl-spawn.h. */
#include "hvdctl-spawn.h"

#include <sys/wait.h>

void
hvdctl_result_clear(hvdctl_result *r)
{
    g_free(r->out);
    g_free(r->err);
}

hvdctl_result
hvdctl_runv(const char *uri, const char *auth, const char *first, va_list ap)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)g_getenv("HVDCTL"));
    g_ptr_array_add(argv, "-c");
    g_ptr_array_add(argv, (char *)uri);
    for (const char *a = first; a != NULL; a = va_arg(ap, const char *))
        g_ptr_array_add(argv, (char *)a);
    g_ptr_array_add(argv, NULL);
    g_auto(GStrv) envp = g_environ_setenv(g_get_environ(), "HVD_AUTH_FILE", auth, TRUE);
    hvdctl_result r = { 0 };
    g_autoptr(GError) gerr = NULL;
    int wait = 0;
    g_assert_true(
        g_spawn_sync(NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err, &wait, &gerr));
    g_assert_no_error(gerr);
    g_autofree char *cmd = g_strjoinv(" ", (char **)argv->pdata);
    if (!WIFEXITED(wait))
        g_error("%s ended by signal %d; standard output:\n%s\nstandard error:\n%s", cmd,
                WIFSIGNALED(wait) ? WTERMSIG(wait) : -1, r.out, r.err);
    r.status = WEXITSTATUS(wait);
    g_test_message("%s: exit %d", cmd, r.status);
    return r;
}
