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

gboolean
input_parse_scaled(const char *s, guint64 scale, guint64 limit, guint64 *out, GError **error)
{
    /* for messages: valid UTF-8, the first 64 bytes at most */
    g_autofree char *shown = g_utf8_make_valid(s, (gssize)strnlen(s, 64));
    char *end = NULL;
    if (!g_ascii_isdigit(*s)) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "'%s' is not a size (a whole number)", shown);
        return FALSE;
    }
    errno = 0;
    guint64 v = g_ascii_strtoull(s, &end, 10);
    guint64 mult = scale;
    int power = 0;
    if (errno == ERANGE) {
        mult = G_MAXUINT64;
    } else if (*end == '\0') {
        mult = scale;
    } else if (g_ascii_strcasecmp(end, "b") == 0 || g_ascii_strcasecmp(end, "byte") == 0 ||
               g_ascii_strcasecmp(end, "bytes") == 0) {
        mult = 1;
    } else {
        const char *letters = "kmgtpe", *at = strchr(letters, g_ascii_tolower(*end));
        guint64 base = end[1] == '\0' || g_ascii_strcasecmp(end + 1, "iB") == 0 ? 1024
                       : g_ascii_tolower(end[1]) == 'b' && end[2] == '\0'       ? 1000
                                                                                : 0;
        if (at == NULL || *at == '\0' || base == 0) {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "'%s' has an unknown unit (use b, KiB, MiB, GiB, TiB, PiB, EiB or KB, MB, GB, TB, PB, EB)",
                        shown);
            return FALSE;
        }
        for (power = (int)(at - letters) + 1, mult = 1; power > 0; power--)
            mult *= base;
    }
    if (errno == ERANGE || (v != 0 && v > limit / mult)) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "'%s' is too large (at most %" G_GUINT64_FORMAT " bytes)", shown, limit);
        return FALSE;
    }
    *out = v * mult;
    return TRUE;
}
