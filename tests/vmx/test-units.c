/* vmx/units.c: libvirt's scaled integers (virScaleInteger), the one table of
 * size units the driver reads: every unit family in both cases, the default
 * scale, bytes, an unknown unit and overflow, each error with its message. */
#include "vmx/vmx.h"

#include <string.h>

static guint64
scaled(const char *text, const char *unit, guint64 scale)
{
    g_autoptr(GError) error = NULL;
    guint64 v = 0;
    if (!vmx_parse_scaled(text, unit, scale, G_MAXUINT64, &v, &error))
        g_error("'%s' '%s': %s", text, unit ? unit : "(none)", error->message);
    return v;
}

static char *
fails(const char *text, const char *unit, guint64 scale, guint64 limit)
{
    GError *error = NULL;
    guint64 v = 12345;
    g_assert_false(vmx_parse_scaled(text, unit, scale, limit, &v, &error));
    g_assert_cmpuint(v, ==, 12345); /* untouched on failure */
    g_assert_error(error, VMX_ERROR, VMX_ERROR_INVALID);
    char *msg = g_strdup(error->message);
    g_error_free(error);
    return msg;
}

static void
test_units(void)
{
    const guint64 Ki = 1024, Mi = Ki * Ki, Gi = Mi * Ki, Ti = Gi * Ki, Pi = Ti * Ki, Ei = Pi * Ki;
    g_assert_cmpuint(scaled("7", NULL, 1), ==, 7);
    g_assert_cmpuint(scaled("7", "", 1024), ==, 7 * Ki);
    g_assert_cmpuint(scaled(" 7 ", NULL, 1024), ==, 7 * Ki);
    for (const char *const *u = (const char *const[]){ "b", "B", "byte", "Bytes", "BYTES", NULL }; *u; u++)
        g_assert_cmpuint(scaled("7", *u, 1024), ==, 7);
    for (const char *const *u = (const char *const[]){ "k", "K", "KiB", "kib", "KIB", NULL }; *u; u++)
        g_assert_cmpuint(scaled("3", *u, 1), ==, 3 * Ki);
    for (const char *const *u = (const char *const[]){ "KB", "kb", "kB", "Kb", NULL }; *u; u++)
        g_assert_cmpuint(scaled("3", *u, 1), ==, 3000);
    g_assert_cmpuint(scaled("5", "M", 1), ==, 5 * Mi);
    g_assert_cmpuint(scaled("5", "MiB", 1), ==, 5 * Mi);
    g_assert_cmpuint(scaled("5", "mb", 1), ==, 5000000);
    g_assert_cmpuint(scaled("2", "G", 1), ==, 2 * Gi);
    g_assert_cmpuint(scaled("2", "GiB", 1), ==, 2 * Gi);
    g_assert_cmpuint(scaled("2", "GB", 1), ==, 2000000000);
    g_assert_cmpuint(scaled("2", "T", 1), ==, 2 * Ti);
    g_assert_cmpuint(scaled("2", "tib", 1), ==, 2 * Ti);
    g_assert_cmpuint(scaled("2", "TB", 1), ==, G_GUINT64_CONSTANT(2000000000000));
    g_assert_cmpuint(scaled("2", "PiB", 1), ==, 2 * Pi);
    g_assert_cmpuint(scaled("2", "PB", 1), ==, G_GUINT64_CONSTANT(2000000000000000));
    g_assert_cmpuint(scaled("15", "EiB", 1), ==, 15 * Ei);
    g_assert_cmpuint(scaled("18", "EB", 1), ==, G_GUINT64_CONSTANT(18000000000000000000));
    g_assert_cmpuint(scaled("0", "EiB", 1), ==, 0);
    g_assert_cmpuint(scaled("18446744073709551615", NULL, 1), ==, G_MAXUINT64);
}

static void
test_errors(void)
{
    g_autofree char *m1 = fails("1", "parsec", 1, G_MAXUINT64);
    g_assert_cmpstr(m1, ==, "unknown unit 'parsec' (use b, KiB, MiB, GiB, TiB, PiB, EiB or KB, MB, GB, TB, PB, EB)");
    g_autofree char *m2 = fails("1", "Ki", 1, G_MAXUINT64);
    g_assert_nonnull(strstr(m2, "unknown unit 'Ki'"));
    g_autofree char *m3 = fails("1", "KiBs", 1, G_MAXUINT64);
    g_assert_nonnull(strstr(m3, "unknown unit 'KiBs'"));
    g_autofree char *m4 = fails("1", "x", 1, G_MAXUINT64);
    g_assert_nonnull(strstr(m4, "unknown unit 'x'"));
    g_autofree char *m5 = fails("lots", "KiB", 1, G_MAXUINT64);
    g_assert_cmpstr(m5, ==, "'lots' is not a size");
    g_autofree char *m6 = fails("-1", NULL, 1, G_MAXUINT64);
    g_assert_cmpstr(m6, ==, "'-1' is not a size");
    g_autofree char *m7 = fails("1.5", "G", 1, G_MAXUINT64);
    g_assert_cmpstr(m7, ==, "'1.5' is not a size");
    g_autofree char *m8 = fails("", NULL, 1, G_MAXUINT64);
    g_assert_cmpstr(m8, ==, "'' is not a size");
    /* overflow: in the multiplication, in the number itself, and the limit */
    g_autofree char *m9 = fails("16", "EiB", 1, G_MAXUINT64);
    g_assert_cmpstr(m9, ==, "16EiB is too large (at most 15 in units of 1152921504606846976 bytes)");
    g_autofree char *m10 = fails("18446744073709551616", NULL, 1, G_MAXUINT64);
    g_assert_cmpstr(m10, ==, "'18446744073709551616' is too large (at most 18446744073709551615)");
    g_autofree char *m11 = fails("2", "k", 1, 2047);
    g_assert_cmpstr(m11, ==, "2k is too large (at most 1 in units of 1024 bytes)");
    /* a long, non-ASCII input is cut on a character boundary */
    g_autoptr(GString) big = g_string_new(NULL);
    for (int i = 0; i < 100; i++)
        g_string_append(big, "\xc3\xa9");
    g_autofree char *m12 = fails("1", big->str, 1, G_MAXUINT64);
    g_assert_true(g_utf8_validate(m12, -1, NULL));
    g_assert_cmpuint(strlen(m12), <, 200);
}

/* vmx_scale_integer() on its own: the value is scaled in place. */
static void
test_scale(void)
{
    g_autoptr(GError) error = NULL;
    guint64 v = 3;
    g_assert_true(vmx_scale_integer(&v, "MiB", 1, G_MAXUINT64, &error));
    g_assert_cmpuint(v, ==, 3 * 1024 * 1024);
    v = 3;
    g_assert_true(vmx_scale_integer(&v, NULL, 1024, G_MAXUINT64, &error));
    g_assert_cmpuint(v, ==, 3072);
    g_assert_false(vmx_scale_integer(&v, NULL, 0, G_MAXUINT64, &error));
    g_assert_error(error, VMX_ERROR, VMX_ERROR_INVALID);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vmx/units/units", test_units);
    g_test_add_func("/vmx/units/errors", test_errors);
    g_test_add_func("/vmx/units/scale", test_scale);
    return g_test_run();
}
