/*
 * convert-util.c: typed access to VMX entries for the converters.
 */
#include "vmx/internal.h"

#include <errno.h>
#include <string.h>

const char *
vmx_key(char buf[96], const char *prefix, const char *suffix)
{
    size_t a = strlen(prefix), b = strlen(suffix);

    /* hot: every device slot probes a handful of keys */
    if (a + b + 2 > 96)
        b = 96 - a - 2;
    memcpy(buf, prefix, a);
    buf[a] = '.';
    memcpy(buf + a + 1, suffix, b);
    buf[a + 1 + b] = '\0';
    return buf;
}

gboolean
vmx_str_has_suffix_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && g_ascii_strcasecmp(s + n - m, suffix) == 0;
}

gboolean
vmx_get_bool(const vmx_file *file, const char *key, gboolean def, gboolean *out, GError **error)
{
    const char *value = vmx_file_get(file, key);

    *out = def;
    if (!value)
        return TRUE;
    if (g_ascii_strcasecmp(value, "true") == 0 || strcmp(value, "1") == 0) {
        *out = TRUE;
    } else if (g_ascii_strcasecmp(value, "false") == 0 || strcmp(value, "0") == 0) {
        *out = FALSE;
    } else {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "VMX entry '%s' must be \"true\" or \"false\", found \"%s\"",
                    key, value);
        return FALSE;
    }
    return TRUE;
}

gboolean
vmx_get_long(const vmx_file *file, const char *key, gint64 def, gint64 *out, GError **error)
{
    const char *value = vmx_file_get(file, key);
    char *end;
    gint64 n;

    *out = def;
    if (!value)
        return TRUE;
    if (g_ascii_strcasecmp(value, "unlimited") == 0) {
        *out = -1;
        return TRUE;
    }
    errno = 0;
    n = g_ascii_strtoll(value, &end, 10);
    if (*value == '\0' || *end != '\0' || errno != 0) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "VMX entry '%s' must be an integer, found \"%s\"", key, value);
        return FALSE;
    }
    *out = n;
    return TRUE;
}
