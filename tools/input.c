/* input.c — input files and standard input for hvdctl, bounded and checked:
 * the driver takes text as a C string, so a NUL byte would silently cut it
 * short, and an endless standard input would be read into memory. */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static gboolean
too_large(const char *name, gsize max, GError **error)
{
    g_autofree char *limit = max % (1024 * 1024) == 0 ? g_strdup_printf("%zu MiB", (size_t)(max / (1024 * 1024)))
                                                      : g_strdup_printf("%zu bytes", (size_t)max);
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                "%s is larger than %s, the limit for an input file (domain XML and VMX files are a few KiB)", name,
                limit);
    return FALSE;
}

char *
input_read_fd(int fd, const char *name, gsize max, GError **error)
{
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && (guint64)st.st_size > max) {
        too_large(name, max, error);
        return NULL;
    }
    g_autoptr(GByteArray) buf = g_byte_array_new();
    guint8 chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot read %s: %s", name, g_strerror(e));
            return NULL;
        }
        if (n == 0)
            break;
        if (buf->len + (gsize)n > max) {
            too_large(name, max, error);
            return NULL;
        }
        g_byte_array_append(buf, chunk, (guint)n);
    }
    const guint8 *nul = buf->len ? memchr(buf->data, '\0', buf->len) : NULL;
    if (nul != NULL) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "%s holds a NUL byte at offset %zu: not a text file (it would be cut short there)", name,
                    (size_t)(nul - buf->data));
        return NULL;
    }
    g_byte_array_append(buf, (const guint8 *)"", 1);
    return (char *)g_byte_array_free(g_steal_pointer(&buf), FALSE);
}

char *
input_read(const char *path, gsize max, GError **error)
{
    if (strcmp(path, "-") == 0)
        return input_read_fd(STDIN_FILENO, "standard input", max, error);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot read %s: %s", path, g_strerror(e));
        return NULL;
    }
    char *text = input_read_fd(fd, path, max, error);
    close(fd);
    return text;
}
