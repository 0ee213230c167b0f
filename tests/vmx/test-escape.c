/*
 * test-escape.c: the three escaping schemes, with the pairs of the spec.
 */
#include "vmx/vmx.h"

static void
test_datastore_item(void)
{
    static const struct {
        const char *in, *out;
    } pairs[] = {
        { "normal", "normal" },
        { "\xe6\xa8\x99\xe6\xba\x96\xe8\xaa\x9e", "+5qiZ5rqW6Kqe" }, /* 標準語 */
        { "~~~", "+fn5+" },
        { "~~~A", "+fn5+-A" },
        { "K%U/H\\Z", "K+JQ-25U+JQ-2fH+JQ-5cZ" },
        { "vvv<A\"B\"C>zzz", "vvv_A_B_C_zzz" },
        { "A Z[\\]^_B", "A Z+WyU-5c+XV4-_B" },
        { "", "" },
        { "a?b*c:d|e", "a_b_c_d_e" },
        { "x~", "x+fg" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(pairs); i++) {
        g_autofree char *out = vmx_escape_datastore_item(pairs[i].in);

        g_assert_cmpstr(out, ==, pairs[i].out);
    }
}

static void
test_domain_name(void)
{
    g_autofree char *e = vmx_escape_domain_name("a%b/c\\d");
    g_autofree char *u = vmx_unescape_domain_name(e);
    g_autofree char *bad = vmx_unescape_domain_name("a%zz");
    g_autofree char *short_seq = vmx_unescape_domain_name("a%2");
    g_autofree char *upper = vmx_unescape_domain_name("%2F");

    g_assert_cmpstr(e, ==, "a%25b%2fc%5cd");
    g_assert_cmpstr(u, ==, "a%b/c\\d");
    g_assert_null(bad);
    g_assert_null(short_seq);
    g_assert_cmpstr(upper, ==, "/");
}

static void
test_display_name(void)
{
    const char *name = "a|b\"c%d/e\\f";
    g_autofree char *e = vmx_escape_display_name(name);
    g_autofree char *u = vmx_unescape_display_name(e);
    g_autofree char *bad = vmx_unescape_display_name("x|2");

    g_assert_cmpstr(e, ==, "a|7cb|22c%25d%2fe%5cf");
    g_assert_cmpstr(u, ==, name);
    g_assert_null(bad);
}

static void
test_annotation(void)
{
    /* the corpus' annotation case, both ways */
    const char *vmx = "Some |7Ctext|7C to test the |22escaping|22: |7C|7C|22|22|7C|7C|22|7C "
                      "|45|73|63|61|70|65|64|21";
    const char *text = "Some |text| to test the \"escaping\": ||\"\"||\"| Escaped!";
    g_autofree char *u = vmx_unescape_annotation(vmx);
    g_autofree char *e = vmx_escape_annotation("Some |text| \"q\" 100%");

    g_assert_cmpstr(u, ==, text);
    g_assert_cmpstr(e, ==, "Some |7ctext|7c |22q|22 100%");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vmx/escape/datastore-item", test_datastore_item);
    g_test_add_func("/vmx/escape/domain-name", test_domain_name);
    g_test_add_func("/vmx/escape/display-name", test_display_name);
    g_test_add_func("/vmx/escape/annotation", test_annotation);
    return g_test_run();
}
