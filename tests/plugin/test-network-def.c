/* The <network> XML a define accepts (plugin/network-def.c), without a
 * server: what a valid definition becomes, the XML net-dumpxml prints read
 * back, each bound (size, counts, name lengths) and what is refused. */
#include "esx-network.h"

#include <string.h>

static esx_network_def *
parse_ok(const char *xml)
{
    hvd_error err = HVD_ERROR_INIT;
    esx_network_def *def = NULL;
    int32_t rc = esx_network_def_parse(xml, &def, &err);
    if (rc != HVD_OK)
        g_error("parse of %s: %d %s", xml, rc, err.message);
    return def;
}

static void
parse_fails(const char *xml, int32_t want, const char *text)
{
    hvd_error err = HVD_ERROR_INIT;
    esx_network_def *def = NULL;
    int32_t rc = esx_network_def_parse(xml, &def, &err);
    g_assert_null(def);
    if (rc != want || strstr(err.message, text) == NULL)
        g_error("parse gave %d \"%s\", expected %d with \"%s\"", rc, err.message, want, text);
}

static void
test_valid(void)
{
    /* what net-dumpxml prints for a switch (network.c) */
    g_autoptr(esx_network_def) def =
        parse_ok("<network>\n  <name>vSwitch1</name>\n  <uuid>0b8f8c5e-6d3a-3f4e-9a0b-123456789abc</uuid>\n"
                 "  <forward mode='bridge'>\n    <interface dev='vmnic1'/>\n    <interface dev='vmnic2'/>\n"
                 "  </forward>\n  <mtu size='9000'/>\n  <portgroup name='A'/>\n  <portgroup name='B' default='yes'>\n"
                 "    <vlan>\n      <tag id='4095'/>\n    </vlan>\n  </portgroup>\n</network>\n");
    g_assert_cmpstr(def->name, ==, "vSwitch1");
    g_assert_true(def->has_uuid);
    g_assert_cmpuint(def->uuid[0], ==, 0x0b);
    g_assert_cmpuint(def->uplinks->len, ==, 2);
    g_assert_cmpstr(def->uplinks->pdata[1], ==, "vmnic2");
    g_assert_cmpint(def->mtu, ==, 9000);
    g_assert_cmpuint(def->portgroups->len, ==, 2);
    const esx_portgroup_def *a = def->portgroups->pdata[0], *b = def->portgroups->pdata[1];
    g_assert_cmpstr(a->name, ==, "A");
    g_assert_cmpint(a->vlan, ==, 0);
    g_assert_cmpstr(b->name, ==, "B");
    g_assert_cmpint(b->vlan, ==, 4095);
    /* the smallest: a switch with no uplinks and no port groups */
    g_autoptr(esx_network_def) bare = parse_ok("<network><name> internal </name><bridge name='internal'/></network>");
    g_assert_cmpstr(bare->name, ==, "internal");
    g_assert_false(bare->has_uuid);
    g_assert_cmpuint(bare->uplinks->len + bare->portgroups->len, ==, 0);
    g_assert_cmpint(bare->mtu, ==, 0);
}

static void
test_refused(void)
{
    parse_fails(NULL, HVD_ERR_INVALID_ARG, "NULL");
    parse_fails("", HVD_ERR_XML, "malformed");
    parse_fails("<network><name>a</name><name>b</name></network>", HVD_ERR_XML, "more than one <name>");
    parse_fails("<network ipv6='yes'><name>a</name></network>", HVD_ERR_CONFIG_UNSUPPORTED,
                "attribute 'ipv6' of <network>");
    parse_fails("<network><name>a</name><domain name='x'/></network>", HVD_ERR_CONFIG_UNSUPPORTED,
                "<domain> is not supported (an ESX virtual switch is layer 2 only");
    parse_fails("<network><name>a</name><vlan><tag id='3'/></vlan></network>", HVD_ERR_CONFIG_UNSUPPORTED,
                "<vlan> is not supported");
    parse_fails("<network><name>a</name><portgroup name='p'><bandwidth/></portgroup></network>",
                HVD_ERR_CONFIG_UNSUPPORTED, "<bandwidth> in port group 'p'");
    parse_fails("<network><name>a</name><portgroup name='p'><vlan><tag id='1' nativeMode='tagged'/></vlan>"
                "</portgroup></network>",
                HVD_ERR_CONFIG_UNSUPPORTED, "attribute 'nativeMode' of <tag>");
    parse_fails("<network><name>a</name><portgroup name='p'><vlan/></portgroup></network>", HVD_ERR_XML,
                "has no <tag id='N'/>");
    parse_fails("<network><name>a</name><portgroup name='p'><vlan><tag id='x'/></vlan></portgroup></network>",
                HVD_ERR_INVALID_ARG, "<tag id='x'> is not a whole number");
    parse_fails("<network><name>a</name><forward mode='bridge'><interface dev='n'/><interface dev='n'/>"
                "</forward></network>",
                HVD_ERR_XML, "uplink 'n' appears twice");
    parse_fails("<network><name>a</name><forward mode='bridge'><interface/></forward></network>", HVD_ERR_XML,
                "needs dev='NAME'");
    parse_fails("<network><name>a</name><forward mode='bridge' dev='x'/></network>", HVD_ERR_CONFIG_UNSUPPORTED,
                "attribute 'dev' of <forward>");
    parse_fails("<network><name>a</name><mtu/></network>", HVD_ERR_XML, "<mtu> needs a 'size' attribute");
}

/* Each bound, at its limit and one past it. */
static void
test_bounds(void)
{
    g_autoptr(GString) x = g_string_new("<network><name>a</name>");
    for (int i = 0; i < ESX_NET_PORTGROUPS_MAX; i++)
        g_string_append_printf(x, "<portgroup name='p%d'/>", i);
    g_autofree char *at = g_strconcat(x->str, "</network>", NULL);
    g_autoptr(esx_network_def) def = parse_ok(at);
    g_assert_cmpuint(def->portgroups->len, ==, ESX_NET_PORTGROUPS_MAX);
    g_autofree char *past = g_strconcat(x->str, "<portgroup name='one-more'/></network>", NULL);
    parse_fails(past, HVD_ERR_INVALID_ARG, "more than 256 port groups");

    g_string_assign(x, "<network><name>a</name><forward mode='bridge'>");
    for (int i = 0; i <= ESX_NET_UPLINKS_MAX; i++)
        g_string_append_printf(x, "<interface dev='vmnic%d'/>", i);
    g_string_append(x, "</forward></network>");
    parse_fails(x->str, HVD_ERR_INVALID_ARG, "more than 32 uplinks");

    g_autofree char *name32 = g_strnfill(ESX_NET_NAME_MAX, 'n');
    g_autofree char *ok32 = g_strdup_printf("<network><name>%s</name></network>", name32);
    g_autoptr(esx_network_def) d32 = parse_ok(ok32);
    g_autofree char *bad33 = g_strdup_printf("<network><name>%sn</name></network>", name32);
    parse_fails(bad33, HVD_ERR_INVALID_ARG, "longer than 32 bytes");
    g_autofree char *pg256 = g_strnfill(ESX_NET_PORTGROUP_MAX + 1, 'p');
    g_autofree char *badpg = g_strdup_printf("<network><name>a</name><portgroup name='%s'/></network>", pg256);
    parse_fails(badpg, HVD_ERR_INVALID_ARG, "longer than 255 bytes");

    /* the whole document: 1 MiB, refused before parsing */
    g_autofree char *big = g_strnfill(ESX_NET_XML_MAX + 1, ' ');
    memcpy(big, "<network>", 9);
    parse_fails(big, HVD_ERR_INVALID_ARG, "larger than 1048576 bytes");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/plugin/network-def/valid", test_valid);
    g_test_add_func("/plugin/network-def/refused", test_refused);
    g_test_add_func("/plugin/network-def/bounds", test_bounds);
    return g_test_run();
}
