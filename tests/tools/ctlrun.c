/* ctlrun.c — see ctlrun.h. */
#include "ctlrun.h"

#include <glib/gstdio.h>
#include <sys/wait.h>

void
ctl_result_clear(ctl_result *r)
{
    g_free(r->out);
    g_free(r->err);
}

ctl_result
ctl_run_v(const char *uri, const char *auth, const char *first, va_list ap)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)g_getenv("HVDCTL"));
    g_ptr_array_add(argv, "-c");
    g_ptr_array_add(argv, (char *)uri);
    for (const char *a = first; a != NULL; a = va_arg(ap, const char *))
        g_ptr_array_add(argv, (char *)a);
    g_ptr_array_add(argv, NULL);
    g_auto(GStrv) envp = g_environ_setenv(g_get_environ(), "HVD_AUTH_FILE", auth, TRUE);
    ctl_result r = { 0 };
    g_autoptr(GError) gerr = NULL;
    int wait = 0;
    g_assert_true(
        g_spawn_sync(NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err, &wait, &gerr));
    g_assert_no_error(gerr);
    if (!WIFEXITED(wait)) {
        g_autofree char *cmd = g_strjoinv(" ", (char **)argv->pdata);
        g_error("%s ended by signal %d; standard output:\n%s\nstandard error:\n%s", cmd,
                WIFSIGNALED(wait) ? WTERMSIG(wait) : -1, r.out, r.err);
    }
    r.status = WEXITSTATUS(wait);
    return r;
}

ctl_result
ctl_run(const char *uri, const char *auth, const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    ctl_result r = ctl_run_v(uri, auth, first, ap);
    va_end(ap);
    return r;
}

char *
ctl_auth_new(const char *scheme, const char *host, const char *user, const char *password, char **auth_out)
{
    char *dir = g_dir_make_tmp("hvdctl-test-XXXXXX", NULL);
    g_assert_nonnull(dir);
    *auth_out = g_build_filename(dir, "auth.conf", NULL);
    g_autofree char *text = g_strdup_printf("[credentials-sim]\nusername=%s\npassword=%s\n\n[auth-%s-%s]\n"
                                            "credentials=sim\n",
                                            user, password, scheme, host);
    g_assert_true(g_file_set_contents(*auth_out, text, -1, NULL));
    g_assert_cmpint(g_chmod(*auth_out, 0600), ==, 0);
    return dir;
}

void
ctl_auth_remove(char *dir, char *auth)
{
    g_unlink(auth);
    g_rmdir(dir);
    g_free(auth);
    g_free(dir);
}
