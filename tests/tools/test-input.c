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

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tools/input/text", test_text);
    g_test_add_func("/tools/input/nul", test_nul);
    g_test_add_func("/tools/input/cap-file", test_cap_file);
    g_test_add_func("/tools/input/cap-pipe", test_cap_pipe);
    return g_test_run();
}
