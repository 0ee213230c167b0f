/* Unit tests of the libvirt auth.conf lookup used by hvdctl. */
#include "authfile.h"

#include <glib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>

static char *
write_file(const char *dir, const char *text)
{
    char *path = g_build_filename(dir, "auth.conf", NULL);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    g_assert_cmpint(g_chmod(path, 0600), ==, 0);
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

/* A file others may read or write is refused with the fix (as ssh does);
 * 0600 and 0400 are fine. */
static void
test_permissions(void)
{
    g_autofree char *dir = g_dir_make_tmp("hvd-auth-XXXXXX", NULL);
    g_autofree char *path = write_file(dir, "[credentials-a]\npassword=pw\n\n[auth-esx-h1]\ncredentials=a\n");
    static const int refused[] = { 0644, 0604, 0640, 0660, 0602, 0620, 0666, 0700 | 0001 };
    for (size_t i = 0; i < G_N_ELEMENTS(refused); i++) {
        g_autoptr(GError) err = NULL;
        g_assert_cmpint(g_chmod(path, refused[i]), ==, 0);
        g_autofree char *v = authfile_lookup(path, "esx", "h1", "password", &err);
        g_assert_null(v);
        g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_PERM);
        g_autofree char *perm = g_strdup_printf("has permissions %04o, which let others read or change", refused[i]);
        g_autofree char *fix = g_strdup_printf("run 'chmod 600 %s'", path);
        g_assert_nonnull(strstr(err->message, perm));
        g_assert_nonnull(strstr(err->message, fix));
    }
    static const int accepted[] = { 0600, 0400 };
    for (size_t i = 0; i < G_N_ELEMENTS(accepted); i++) {
        g_autoptr(GError) err = NULL;
        g_assert_cmpint(g_chmod(path, accepted[i]), ==, 0);
        g_autofree char *v = authfile_lookup(path, "esx", "h1", "password", &err);
        g_assert_no_error(err);
        g_assert_cmpstr(v, ==, "pw");
    }
    g_unlink(path);
    /* a directory is not an auth file */
    g_autoptr(GError) err = NULL;
    g_autofree char *v = authfile_lookup(dir, "esx", "h1", "password", &err);
    g_assert_null(v);
    g_assert_nonnull(strstr(err->message, "is not a regular file"));
    g_rmdir(dir);
}

/* The owner check needs a file of another user: root makes one. */
static void
test_owner(void)
{
    if (getuid() != 0) {
        g_test_skip("needs root to give the file to another user");
        return;
    }
    g_autofree char *dir = g_dir_make_tmp("hvd-auth-XXXXXX", NULL);
    g_autofree char *path = write_file(dir, "[credentials-a]\npassword=pw\n\n[auth-esx-h1]\ncredentials=a\n");
    g_assert_cmpint(chown(path, 4242, 4242), ==, 0);
    g_autoptr(GError) err = NULL;
    /* root reads any file; as root, the check is about the file's owner */
    g_autofree char *v = authfile_lookup(path, "esx", "h1", "password", &err);
    g_assert_null(v);
    g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_PERM);
    g_assert_nonnull(strstr(err->message, "belongs to user id 4242, not to you (0)"));
    g_unlink(path);
    g_rmdir(dir);
}

/* Values come out as libvirt's reader gives them (g_key_file_get_string,
 * its error ignored): \\ is a backslash, \s a space, \t a tab; a backslash
 * before another character stays, one at the end of the line goes. */
static void
test_backslashes(void)
{
    g_autofree char *dir = g_dir_make_tmp("hvd-auth-XXXXXX", NULL);
    g_autofree char *path = write_file(dir, "[credentials-a]\nusername=dom\\\\user\npassword=\\sa\\\\b\\\\\\\\c\\td\n\n"
                                            "[credentials-b]\npassword=pass\\word\n\n"
                                            "[credentials-c]\nauthname=x\\\npassword=\\;\\\\\\\\\\q\n\n"
                                            "[auth-esx-h1]\ncredentials=a\n\n[auth-esx-h2]\ncredentials=b\n\n"
                                            "[auth-esx-h3]\ncredentials=c\n");
    g_autoptr(GError) err = NULL;
    g_autofree char *u = authfile_lookup(path, "esx", "h1", "username", &err);
    g_assert_no_error(err);
    g_assert_cmpstr(u, ==, "dom\\user");
    g_autofree char *p = authfile_lookup(path, "esx", "h1", "password", &err);
    g_assert_cmpstr(p, ==, " a\\b\\\\c\td");
    g_autofree char *p2 = authfile_lookup(path, "esx", "h2", "password", &err);
    g_assert_cmpstr(p2, ==, "pass\\word");
    g_autofree char *u3 = authfile_lookup(path, "esx", "h3", "username", &err);
    g_assert_cmpstr(u3, ==, "x");
    g_autofree char *p3 = authfile_lookup(path, "esx", "h3", "password", &err);
    g_assert_no_error(err);
    g_assert_cmpstr(p3, ==, "\\;\\\\\\q");
    g_unlink(path);
    g_rmdir(dir);
}

/* A NUL byte would cut a value short in GKeyFile ("ab\0cd" read as "ab"):
 * the file is refused, naming the offset. */
static void
test_nul(void)
{
    static const char text[] = "[credentials-a]\npassword=ab\0cd\n\n[auth-esx-h1]\ncredentials=a\n";
    g_autofree char *dir = g_dir_make_tmp("hvd-auth-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "auth.conf", NULL);
    g_assert_true(g_file_set_contents(path, text, sizeof(text) - 1, NULL));
    g_assert_cmpint(g_chmod(path, 0600), ==, 0);
    g_autoptr(GError) err = NULL;
    g_autofree char *v = authfile_lookup(path, "esx", "h1", "password", &err);
    g_assert_null(v);
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(err->message, "holds a NUL byte at offset 27"));
    g_unlink(path);
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
    g_test_add_func("/tools/authfile/permissions", test_permissions);
    g_test_add_func("/tools/authfile/owner", test_owner);
    g_test_add_func("/tools/authfile/backslashes", test_backslashes);
    g_test_add_func("/tools/authfile/nul", test_nul);
    return g_test_run();
}
