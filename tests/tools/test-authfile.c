/* Unit tests of the libvirt auth.conf lookup used by hvdctl. */
#include "authfile.h"

#include <glib.h>
#include <string.h>
#include <glib/gstdio.h>

static char *
write_file(const char *dir, const char *text)
{
    char *path = g_build_filename(dir, "auth.conf", NULL);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static void
test_lookup(void)
{
    g_autofree char *dir = g_dir_make_tmp("hvd-auth-XXXXXX", NULL);
    g_autofree char *path = write_file(dir, "[credentials-prod]\nusername=root\npassword=s3cret\n\n"
                                            "[credentials-other]\nauthname=admin\npassword=other\n\n"
                                            "[auth-esx-esx1.example.com]\ncredentials=prod\n\n"
                                            "[auth-vpx-vc.example.com]\ncredentials=other\n\n"
                                            "[auth-esx-default]\ncredentials=other\n");
    g_autoptr(GError) err = NULL;
    g_autofree char *u1 = authfile_lookup(path, "esx", "esx1.example.com", "username", &err);
    g_assert_no_error(err);
    g_assert_cmpstr(u1, ==, "root");
    g_autofree char *p1 = authfile_lookup(path, "esx", "esx1.example.com", "password", &err);
    g_assert_cmpstr(p1, ==, "s3cret");
    /* authname is accepted for username; vpx groups are found by scheme */
    g_autofree char *u2 = authfile_lookup(path, "vpx", "vc.example.com", "username", &err);
    g_assert_cmpstr(u2, ==, "admin");
    /* gsx falls back to the esx groups, then to the default group */
    g_autofree char *p3 = authfile_lookup(path, "gsx", "esx1.example.com", "password", &err);
    g_assert_cmpstr(p3, ==, "s3cret");
    g_autofree char *p4 = authfile_lookup(path, "esx", "unknown.example.com", "password", &err);
    g_assert_no_error(err);
    g_assert_cmpstr(p4, ==, "other");
    g_unlink(path);
    g_rmdir(dir);
}

static void
test_missing_entries(void)
{
    g_autofree char *dir = g_dir_make_tmp("hvd-auth-XXXXXX", NULL);
    g_autofree char *path = write_file(dir, "[credentials-a]\nusername=u\n\n[auth-esx-h1]\ncredentials=a\n");
    g_autoptr(GError) err = NULL;
    g_autofree char *none = authfile_lookup(path, "esx", "h2", "password", &err);
    g_assert_no_error(err);
    g_assert_null(none);
    g_autofree char *nopw = authfile_lookup(path, "esx", "h1", "password", &err);
    g_assert_no_error(err);
    g_assert_null(nopw);
    g_unlink(path);
    g_rmdir(dir);
}

static void
test_broken(void)
{
    g_autofree char *dir = g_dir_make_tmp("hvd-auth-XXXXXX", NULL);
    g_autofree char *path = write_file(dir, "[auth-esx-h1]\ncredentials=nothere\n");
    g_autoptr(GError) err = NULL;
    g_autofree char *v = authfile_lookup(path, "esx", "h1", "password", &err);
    g_assert_null(v);
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(err->message, "[credentials-nothere], which does not exist"));
    g_clear_error(&err);

    g_autofree char *path2 = write_file(dir, "this is not an ini file\n");
    g_autofree char *v2 = authfile_lookup(path2, "esx", "h1", "password", &err);
    g_assert_null(v2);
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(err->message, "cannot read auth file"));
    g_clear_error(&err);

    g_autofree char *v3 = authfile_lookup("/nonexistent/auth.conf", "esx", "h1", "password", &err);
    g_assert_null(v3);
    g_assert_nonnull(strstr(err->message, "/nonexistent/auth.conf"));
    g_unlink(path);
    g_rmdir(dir);
}

static void
test_path_precedence(void)
{
    g_setenv("HVD_AUTH_FILE", "/a/hvd.conf", TRUE);
    g_setenv("LIBVIRT_AUTH_FILE", "/b/libvirt.conf", TRUE);
    g_autofree char *p1 = authfile_path();
    g_assert_cmpstr(p1, ==, "/a/hvd.conf");
    g_unsetenv("HVD_AUTH_FILE");
    g_autofree char *p2 = authfile_path();
    g_assert_cmpstr(p2, ==, "/b/libvirt.conf");
    g_unsetenv("LIBVIRT_AUTH_FILE");
    g_autofree char *dir = g_dir_make_tmp("hvd-xdg-XXXXXX", NULL);
    g_autofree char *sub = g_build_filename(dir, "libvirt", NULL);
    g_mkdir(sub, 0700);
    g_autofree char *file = g_build_filename(sub, "auth.conf", NULL);
    g_file_set_contents(file, "", 0, NULL);
    g_setenv("XDG_CONFIG_HOME", dir, TRUE);
    g_autofree char *p3 = authfile_path();
    g_assert_cmpstr(p3, ==, file);
    g_unlink(file);
    g_rmdir(sub);
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tools/authfile/lookup", test_lookup);
    g_test_add_func("/tools/authfile/missing", test_missing_entries);
    g_test_add_func("/tools/authfile/broken", test_broken);
    g_test_add_func("/tools/authfile/path", test_path_precedence);
    return g_test_run();
}
