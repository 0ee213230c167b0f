/* xmlguard_check(): what it counts as an attribute, what it skips, the
 * encodings it refuses, and the line it names. Suite: unit. */
#include <string.h>

#include "xmlguard/xmlguard.h"

static void
expect(const char *xml, const char *says)
{
    g_autofree char *bad = xmlguard_check(xml, strlen(xml), 3);
    if (!says && bad)
        g_error("'%s' refused: %s", xml, bad);
    if (says && (!bad || !strstr(bad, says)))
        g_error("'%s': expected '%s', got %s", xml, says, bad ? bad : "passed");
}

static void
test_attributes(void)
{
    expect("<a x='1' y=\"2\" z='3'/>", NULL);
    expect("<a x='1' y=\"2\" z='3' w='4'/>", "line 1: element <a> has more than 3 attributes (the limit per element)");
    expect("<r>\n<ns:b xmlns:ns='u' x='1' y='2' z='3'/></r>", "line 2: element <ns:b> has more than 3 attributes");
    /* '=' and '>' inside quoted values, or in text, are not attributes */
    expect("<a x='=====' y=\">a=1 b=2\" z='3'>k=v k=v k=v k=v</a>", NULL);
    expect("<a x='>' y='1' z='2' w='3'/>", "more than 3 attributes");
    /* comments, CDATA, processing instructions, end tags */
    expect("<?xml version='1.0'?><!-- <b a=1 b=2 c=3 d=4> --><r><![CDATA[<b a=1 b=2 c=3 d=4>]]>"
           "<?pi a=1 b=2 c=3 d=4?></r>",
           NULL);
    /* three attributes per element, on many elements: fine */
    expect("<r><a x='1' y='1' z='1'/><a x='1' y='1' z='1'/></r>", NULL);
    /* a name made of other characters is not quoted */
    expect("<\x1b[2J x='1' y='1' z='1' w='1'/>", "element <> has more than 3");
    /* unterminated: passed on, for libxml2 to refuse */
    expect("<a x='1", NULL);
    expect("<!-- x", NULL);
}

static void
test_encodings(void)
{
    expect("\xEF\xBB\xBF<a/>", NULL);
    expect("<?xml version='1.0' encoding='UTF-8'?><a/>", NULL);
    expect("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a/>", NULL);
    expect("<?xml version='1.0' encoding='UTF-7'?><a/>", "the declared encoding 'UTF-7' is not UTF-8");
    expect("<?xml version='1.0' encoding='EBCDIC-US'?><a/>", "the declared encoding 'EBCDIC-US'");
    expect("<?xml version='1.0' encoding='\x1b[2J'?><a/>", "the declared encoding is not UTF-8");
    static const char utf16[] = "\xFF\xFE<\0a\0/\0>\0";
    g_autofree char *bad = xmlguard_check(utf16, sizeof utf16 - 1, 3);
    g_assert_nonnull(bad);
    g_assert_nonnull(strstr(bad, "line 1: the document is not in UTF-8"));
    expect("\x4C\x6F\xA7\x94", "not in UTF-8"); /* EBCDIC "<?xm" */
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/xmlguard/attributes", test_attributes);
    g_test_add_func("/xmlguard/encodings", test_encodings);
    return g_test_run();
}
