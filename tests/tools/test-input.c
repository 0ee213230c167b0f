/* hvdctl's input reading (tools/input.c): a NUL byte refused with its
 * offset instead of cutting the text short, input past the cap refused with
 * the limit named, from a file and from a descriptor that is not a regular
 * file (standard input). */
#include "input.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static char *
temp_file(const char *data, gsize len)
{
    GError *error = NULL;
    char *path = NULL;
    int fd = g_file_open_tmp("hvd-input-XXXXXX", &path, &error);
    g_assert_no_error(error);
    g_assert_cmpint(write(fd, data, len), ==, (ssize_t)len);
    close(fd);
    return path;
}

static void
test_text(void)
{
    g_autofree char *path = temp_file("<domain/>\n", 10);
    g_autoptr(GError) error = NULL;
    g_autofree char *text = input_read(path, INPUT_MAX_BYTES, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(text, ==, "<domain/>\n");
    g_autofree char *empty_path = temp_file("", 0);
    g_autofree char *empty = input_read(empty_path, INPUT_MAX_BYTES, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(empty, ==, "");
    g_unlink(path);
    g_unlink(empty_path);
}

static void
test_nul(void)
{
    g_autofree char *path = temp_file("<domain>\0<name>x</name></domain>", 32);
    g_autoptr(GError) error = NULL;
    g_autofree char *text = input_read(path, INPUT_MAX_BYTES, &error);
    g_assert_null(text);
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error->message, "holds a NUL byte at offset 8"));
    g_assert_nonnull(strstr(error->message, path));
    g_unlink(path);
}

static void
test_cap_file(void)
{
    g_autofree char *data = g_strnfill(1001, 'x');
    g_autofree char *path = temp_file(data, 1001);
    g_autoptr(GError) error = NULL;
    g_autofree char *text = input_read(path, 1000, &error);
    g_assert_null(text);
    g_assert_nonnull(strstr(error->message, "is larger than 1000 bytes, the limit"));
    g_clear_error(&error);
    g_autofree char *exact = input_read(path, 1001, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(strlen(exact), ==, 1001);
    g_unlink(path);
}

/* A pipe, as standard input is: no size to look at, so the cap is counted
 * while reading. The writer stops at the pipe's capacity, past the cap. */
static void
test_cap_pipe(void)
{
    int fds[2];
    g_assert_cmpint(pipe(fds), ==, 0);
    g_autofree char *data = g_strnfill(4096, '<');
    g_assert_cmpint(write(fds[1], data, 4096), ==, 4096);
    close(fds[1]);
    g_autoptr(GError) error = NULL;
    g_autofree char *text = input_read_fd(fds[0], "standard input", 4000, &error);
    close(fds[0]);
    g_assert_null(text);
    g_assert_cmpstr(
        error->message, ==,
        "standard input is larger than 4000 bytes, the limit for an input file (domain XML and VMX files are a "
        "few KiB)");
    /* the real cap is 10 MiB */
    g_assert_cmpuint(INPUT_MAX_BYTES, ==, 10 * 1024 * 1024);
}

static guint64
scaled(const char *s, guint64 scale)
{
    g_autoptr(GError) error = NULL;
    guint64 v = 0;
    if (!input_parse_scaled(s, scale, G_MAXUINT64, &v, &error))
        g_error("'%s': %s", s, error->message);
    return v;
}

static char *
scaled_fails(const char *s, guint64 limit)
{
    GError *error = NULL;
    guint64 v = 7;
    g_assert_false(input_parse_scaled(s, 1, limit, &v, &error));
    g_assert_cmpuint(v, ==, 7);
    char *msg = g_strdup(error->message);
    g_error_free(error);
    return msg;
}

/* Scaled integers as virsh reads them (libvirt's virScaleInteger): the same
 * cases as tests/vmx/test-units.c, which checks the driver's copy. */
static void
test_scaled(void)
{
    const guint64 Ki = 1024, Mi = Ki * Ki, Gi = Mi * Ki, Ti = Gi * Ki;
    g_assert_cmpuint(scaled("7", 1), ==, 7);
    g_assert_cmpuint(scaled("7", 1024), ==, 7 * Ki);
    g_assert_cmpuint(scaled("7b", 1024), ==, 7);
    g_assert_cmpuint(scaled("7Bytes", 1024), ==, 7);
    g_assert_cmpuint(scaled("3k", 1), ==, 3 * Ki);
    g_assert_cmpuint(scaled("3K", 1), ==, 3 * Ki);
    g_assert_cmpuint(scaled("3KiB", 1), ==, 3 * Ki);
    g_assert_cmpuint(scaled("3kib", 1), ==, 3 * Ki);
    g_assert_cmpuint(scaled("3KB", 1), ==, 3000);
    g_assert_cmpuint(scaled("3kb", 1), ==, 3000);
    g_assert_cmpuint(scaled("5M", 1), ==, 5 * Mi);
    g_assert_cmpuint(scaled("5MiB", 1), ==, 5 * Mi);
    g_assert_cmpuint(scaled("5MB", 1), ==, 5000000);
    g_assert_cmpuint(scaled("2G", 1), ==, 2 * Gi);
    g_assert_cmpuint(scaled("2GiB", 1), ==, 2 * Gi);
    g_assert_cmpuint(scaled("2gb", 1), ==, 2000000000);
    g_assert_cmpuint(scaled("2T", 1), ==, 2 * Ti);
    g_assert_cmpuint(scaled("2TB", 1), ==, G_GUINT64_CONSTANT(2000000000000));
    g_assert_cmpuint(scaled("2P", 1), ==, 2 * Ti * Ki);
    g_assert_cmpuint(scaled("15E", 1), ==, 15 * Ti * Mi);
    g_assert_cmpuint(scaled("18446744073709551615", 1), ==, G_MAXUINT64);

    g_autofree char *m1 = scaled_fails("12Q", G_MAXUINT64);
    g_assert_cmpstr(m1, ==,
                    "'12Q' has an unknown unit (use b, KiB, MiB, GiB, TiB, PiB, EiB or KB, MB, GB, TB, PB, EB)");
    g_autofree char *m2 = scaled_fails("1KiBs", G_MAXUINT64);
    g_assert_nonnull(strstr(m2, "unknown unit"));
    g_autofree char *m3 = scaled_fails("lots", G_MAXUINT64);
    g_assert_cmpstr(m3, ==, "'lots' is not a size (a whole number)");
    g_autofree char *m4 = scaled_fails("-1", G_MAXUINT64);
    g_assert_nonnull(strstr(m4, "is not a size"));
    g_autofree char *m5 = scaled_fails("", G_MAXUINT64);
    g_assert_nonnull(strstr(m5, "is not a size"));
    g_autofree char *m6 = scaled_fails("16E", G_MAXUINT64);
    g_assert_cmpstr(m6, ==, "'16E' is too large (at most 18446744073709551615 bytes)");
    g_autofree char *m7 = scaled_fails("18446744073709551616", G_MAXUINT64);
    g_assert_nonnull(strstr(m7, "is too large"));
    g_autofree char *m8 = scaled_fails("2k", 2047);
    g_assert_cmpstr(m8, ==, "'2k' is too large (at most 2047 bytes)");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tools/input/text", test_text);
    g_test_add_func("/tools/input/nul", test_nul);
    g_test_add_func("/tools/input/cap-file", test_cap_file);
    g_test_add_func("/tools/input/cap-pipe", test_cap_pipe);
    g_test_add_func("/tools/input/scaled", test_scaled);
    return g_test_run();
}
