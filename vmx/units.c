/*
 * units.c: libvirt's scaled integers (virScaleInteger in src/util/virutil.c),
 * the one table of size units that domain XML, volume XML and the plugin
 * read. Case-insensitive, as libvirt: "k", "K", "KiB", "kib" are 1024,
 * "KB", "kb" 1000.
 */
#include "vmx/internal.h"

#include <errno.h>

/* @s for a message: valid UTF-8, at most 40 characters ("..." after). */
static char *
shorten(const char *s)
{
    g_autofree char *valid = g_utf8_make_valid(s, -1);
    if (g_utf8_strlen(valid, -1) <= 40)
        return g_steal_pointer(&valid);
    g_autofree char *head = g_utf8_substring(valid, 0, 40);
    return g_strconcat(head, "...", NULL);
}

gboolean
vmx_scale_integer(guint64 *value, const char *suffix, guint64 scale, guint64 limit, GError **error)
{
    if (suffix == NULL || *suffix == '\0') {
        if (scale == 0) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "invalid default scale 0");
            return FALSE;
        }
        suffix = "";
    } else if (g_ascii_strcasecmp(suffix, "b") == 0 || g_ascii_strcasecmp(suffix, "byte") == 0 ||
               g_ascii_strcasecmp(suffix, "bytes") == 0) {
        scale = 1;
    } else {
        guint64 base;
        int power;

        if (suffix[1] == '\0' || g_ascii_strcasecmp(suffix + 1, "iB") == 0)
            base = 1024;
        else if (g_ascii_tolower(suffix[1]) == 'b' && suffix[2] == '\0')
            base = 1000;
        else
            goto unknown;
        switch (g_ascii_tolower(*suffix)) {
        case 'k': power = 1; break;
        case 'm': power = 2; break;
        case 'g': power = 3; break;
        case 't': power = 4; break;
        case 'p': power = 5; break;
        case 'e': power = 6; break;
        default: goto unknown;
        }
        scale = 1;
        while (power-- > 0)
            scale *= base;
    }
    if (*value != 0 && *value > limit / scale) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                    "%" G_GUINT64_FORMAT "%s is too large (at most %" G_GUINT64_FORMAT " in units of %" G_GUINT64_FORMAT
                    " bytes)",
                    *value, suffix, limit / scale, scale);
        return FALSE;
    }
    *value *= scale;
    return TRUE;

unknown:;
    g_autofree char *shown = shorten(suffix);
    g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                "unknown unit '%s' (use b, KiB, MiB, GiB, TiB, PiB, EiB or KB, MB, GB, TB, PB, EB)", shown);
    return FALSE;
}

gboolean
vmx_parse_scaled(const char *text, const char *unit, guint64 scale, guint64 limit, guint64 *out, GError **error)
{
    const char *p = text != NULL ? text : "";
    char *end = NULL;
    guint64 v;

    while (g_ascii_isspace(*p))
        p++;
    if (!g_ascii_isdigit(*p))
        goto bad;
    errno = 0;
    v = g_ascii_strtoull(p, &end, 10);
    if (errno == ERANGE) {
        g_autofree char *shown = shorten(p);
        g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "'%s' is too large (at most %" G_GUINT64_FORMAT ")", shown,
                    G_MAXUINT64);
        return FALSE;
    }
    while (g_ascii_isspace(*end))
        end++;
    if (*end != '\0')
        goto bad;
    if (!vmx_scale_integer(&v, unit, scale, limit, error))
        return FALSE;
    *out = v;
    return TRUE;

bad:;
    g_autofree char *shown = shorten(p);
    g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID, "'%s' is not a size", shown);
    return FALSE;
}
