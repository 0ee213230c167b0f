/*
 * test-vmx-file.c: the lossless VMX file: parse, get/set/remove/iterate,
 * format, encodings and syntax errors.
 */
#include "compare.h"
#include "vmx/vmx.h"

#include <string.h>

static vmx_file *
parse_ok(const char *text)
{
    g_autoptr(GError) error = NULL;
    vmx_file *file = vmx_file_parse(text, strlen(text), &error);

    g_assert_no_error(error);
    g_assert_nonnull(file);
    return file;
}

static char *
format_ok(const vmx_file *file)
{
    g_autoptr(GError) error = NULL;
    char *text = vmx_file_format(file, &error);

    g_assert_no_error(error);
    return text;
}

static void
test_basic(void)
{
    const char *text = "#!/usr/bin/vmware\n"
                       ".encoding = \"UTF-8\"\n"
                       "\n"
                       "  # a comment\n"
                       "displayName = \"My VM\"  # trailing comment\n"
                       "MemSize=\"1024\"\n"
                       "unquoted = TRUE\n"
                       "empty = \"\"\n";
    g_autoptr(vmx_file) file = parse_ok(text);
    g_autofree char *out = format_ok(file);

    g_assert_cmpstr(out, ==, text);
    g_assert_cmpuint(vmx_file_size(file), ==, 5);
    g_assert_cmpstr(vmx_file_get(file, "displayname"), ==, "My VM");
    g_assert_cmpstr(vmx_file_get(file, "DISPLAYNAME"), ==, "My VM");
    g_assert_cmpstr(vmx_file_get(file, "memsize"), ==, "1024");
    g_assert_cmpstr(vmx_file_get(file, "unquoted"), ==, "TRUE");
    g_assert_cmpstr(vmx_file_get(file, "empty"), ==, "");
    g_assert_null(vmx_file_get(file, "missing"));
    g_assert_cmpstr(vmx_file_key_at(file, 0), ==, ".encoding");
    g_assert_cmpstr(vmx_file_key_at(file, 2), ==, "MemSize");
    g_assert_cmpstr(vmx_file_value_at(file, 4), ==, "");
    g_assert_cmpstr(vmx_file_encoding(file), ==, "UTF-8");
}

static void
test_set_remove(void)
{
    g_autoptr(vmx_file) file = parse_ok("# head\r\nMemSize = \"512\"\r\nA = \"1\"\r\nB = \"2\"");
    g_autofree char *out = NULL;

    vmx_file_set(file, "memsize", "1024"); /* in place, key spelling kept */
    vmx_file_set(file, "new.key", "x\"y"); /* appended; '"' pipe-encoded */
    g_assert_true(vmx_file_remove(file, "a"));
    g_assert_false(vmx_file_remove(file, "a"));
    g_assert_null(vmx_file_get(file, "A"));
    out = format_ok(file);
    g_assert_cmpstr(out, ==, "# head\r\nMemSize = \"1024\"\r\nB = \"2\"\r\nnew.key = \"x|22y\"\r\n");
    g_assert_cmpuint(vmx_file_size(file), ==, 3);
    g_assert_cmpstr(vmx_file_key_at(file, 2), ==, "new.key");
}

static void
test_bom(void)
{
    const char *text = "\xef\xbb\xbf.encoding = \"UTF-8\"\nA = \"1\"\n";
    g_autoptr(vmx_file) file = parse_ok(text);
    g_autofree char *out = format_ok(file);

    g_assert_cmpstr(vmx_file_get(file, ".encoding"), ==, "UTF-8");
    g_assert_cmpstr(out, ==, text);
}

/* A key given twice is refused, whatever its case, with the line of the
 * second: VMware and libvirt would not agree on which copy counts. */
static void
test_duplicates(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_file) file = vmx_file_parse("a = \"1\"\nb = \"x\"\nA = \"2\"\n", 24, &error);

    g_assert_null(file);
    g_assert_error(error, VMX_ERROR, VMX_ERROR_SYNTAX);
    g_assert_nonnull(strstr(error->message, "line 3: key 'A' is given a second time"));

    /* set on an existing key still replaces it; remove leaves none */
    g_autoptr(vmx_file) ok = parse_ok("a = \"1\"\n");
    vmx_file_set(ok, "A", "2");
    g_assert_cmpuint(vmx_file_size(ok), ==, 1);
    g_assert_cmpstr(vmx_file_get(ok, "a"), ==, "2");
    g_assert_true(vmx_file_remove(ok, "a"));
    g_assert_cmpuint(vmx_file_size(ok), ==, 0);
}

static void
expect_syntax_error(const char *text, const char *message)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_file) file = vmx_file_parse(text, strlen(text), &error);

    g_assert_null(file);
    g_assert_error(error, VMX_ERROR, VMX_ERROR_SYNTAX);
    if (!strstr(error->message, message))
        g_error("'%s' lacks '%s'", error->message, message);
}

static void
test_syntax_errors(void)
{
    expect_syntax_error("a = \"1\"\nb \"2\"\n", "line 2: expected '=' after key 'b'");
    expect_syntax_error("a = \"1\n", "line 1: value of 'a' has no closing '\"'");
    expect_syntax_error("\n\n= \"1\"\n", "line 3: expected a key");
    expect_syntax_error("a = \"1\" junk\n", "line 1: unexpected text after the value of 'a'");
    {
        g_autoptr(GError) error = NULL;
        g_autoptr(vmx_file) file = vmx_file_parse("a = \"\0\"\n", 8, &error);

        g_assert_null(file);
        g_assert_error(error, VMX_ERROR, VMX_ERROR_SYNTAX);
        g_assert_nonnull(strstr(error->message, "NUL"));
    }
}

static void
test_encodings(void)
{
    /* windows-1252: 0xE9 is e-acute, 0x80 the euro sign */
    const char latin[] = ".encoding = \"windows-1252\"\ndisplayName = \"caf\xe9 \x80\"\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(vmx_file) file = vmx_file_parse(latin, sizeof(latin) - 1, &error);
    g_autofree char *out = NULL;

    g_assert_no_error(error);
    g_assert_cmpstr(vmx_file_get(file, "displayName"), ==, "caf\xc3\xa9 \xe2\x82\xac");
    g_assert_cmpstr(vmx_file_encoding(file), ==, "windows-1252");
    out = format_ok(file);
    g_assert_cmpstr(out, ==, latin); /* back in its own encoding, byte for byte */

    {
        const char bad[] = ".encoding = \"no-such-charset\"\na = \"1\"\n";
        g_autoptr(vmx_file) f = vmx_file_parse(bad, sizeof(bad) - 1, &error);

        g_assert_null(f);
        g_assert_error(error, VMX_ERROR, VMX_ERROR_ENCODING);
        g_assert_nonnull(strstr(error->message, "no-such-charset"));
        g_clear_error(&error);
    }
    {
        const char raw[] = "a = \"1\"\nb = \"\xff\"\n";
        g_autoptr(vmx_file) f = vmx_file_parse(raw, sizeof(raw) - 1, &error);

        g_assert_null(f);
        g_assert_error(error, VMX_ERROR, VMX_ERROR_ENCODING);
        g_assert_nonnull(strstr(error->message, "line 2"));
    }
}

/* every VMX file of the corpus formats back byte for byte */
static void
test_corpus_round_trip(void)
{
    const char *root = g_getenv("VMX_CORPUS_DIR");
    const char *subs[] = { "vmx2xml", "xml2vmx" };
    unsigned count = 0;

    if (!root) {
        g_test_skip("VMX_CORPUS_DIR not set");
        return;
    }
    for (size_t s = 0; s < G_N_ELEMENTS(subs); s++) {
        g_autofree char *dir_path = g_build_filename(root, subs[s], NULL);
        g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
        const char *name;

        g_assert_nonnull(dir);
        while ((name = g_dir_read_name(dir))) {
            g_autofree char *path = NULL;
            g_autofree char *text = NULL;
            g_autofree char *out = NULL;
            g_autoptr(vmx_file) file = NULL;
            gsize len;

            if (!g_str_has_suffix(name, ".vmx"))
                continue;
            path = g_build_filename(dir_path, name, NULL);
            text = test_read_file(path, &len);
            file = vmx_file_parse(text, len, NULL);
            g_assert_nonnull(file);
            out = format_ok(file);
            g_assert_cmpuint(strlen(out), ==, len);
            g_assert_true(memcmp(out, text, len) == 0);
            count++;
        }
    }
    g_assert_cmpuint(count, >, 100);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vmx/file/basic", test_basic);
    g_test_add_func("/vmx/file/set-remove", test_set_remove);
    g_test_add_func("/vmx/file/duplicates", test_duplicates);
    g_test_add_func("/vmx/file/bom", test_bom);
    g_test_add_func("/vmx/file/syntax-errors", test_syntax_errors);
    g_test_add_func("/vmx/file/encodings", test_encodings);
    g_test_add_func("/vmx/file/corpus-round-trip", test_corpus_round_trip);
    return g_test_run();
}
