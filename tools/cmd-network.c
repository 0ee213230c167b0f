/* cmd-network.c — hvdctl's network and host interface commands, shaped like
 * virsh's: net-list [--all] [--inactive] [--name], net-info, net-uuid,
 * net-dumpxml, net-define FILE, net-undefine, iface-list [--all]
 * [--inactive], iface-mac, iface-dumpxml. A NETWORK is looked up by name,
 * then by UUID, as virsh does. */
#include "hvdctl.h"
#include "input.h"

#include <stdio.h>
#include <string.h>

#define NET_CALL(c, m) ((c)->drv->network != NULL && (c)->drv->network->m != NULL)

static char *
uuid_text(const uint8_t u[16])
{
    return g_strdup_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2],
                           u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

static gboolean
uuid_parse(const char *s, uint8_t u[16])
{
    int n = 0;
    for (const char *p = s; *p != '\0'; p++) {
        if (*p == '-')
            continue;
        if (!g_ascii_isxdigit(*p) || !g_ascii_isxdigit(p[1]) || n >= 16)
            return FALSE;
        u[n++] = (uint8_t)(g_ascii_xdigit_value(*p) << 4 | g_ascii_xdigit_value(p[1]));
        p++;
    }
    return n == 16 && strlen(s) == 36;
}

/* Adds a network's name, UUID and state to O (hvdctl's JSON of a network). */
static void
net_json(json_object *o, const char *name, const char *uuid, gboolean active)
{
    json_object_object_add(o, "name", json_object_new_string(name));
    json_object_object_add(o, "uuid", json_object_new_string(uuid));
    json_object_object_add(o, "active", json_object_new_boolean(active));
}

/* NETWORK by name, then by UUID. */
static int32_t
lookup_network(ctl *c, const char *arg, hvd_network_info **info_out, hvd_error *err)
{
    const hvd_network_table *t = c->drv->network;
    int32_t rc = t->lookup_by_name(c->conn, arg, 0, info_out, err);
    uint8_t u[16];
    if (rc == HVD_ERR_NO_NETWORK && t->lookup_by_uuid != NULL && uuid_parse(arg, u))
        rc = t->lookup_by_uuid(c->conn, u, 0, info_out, err);
    return rc;
}

/* Options --all and --inactive into list flags (--name: NAMES_ONLY added);
 * -1 (after printing why) on anything else. *arg_out gets the one
 * positional argument, if any. */
#define NAMES_ONLY 0x80000000u
static int
parse_args(ctl *c, int argc, char **argv, gboolean list, uint32_t *flags_out, const char **arg_out)
{
    *flags_out = 0x1; /* active only, as virsh */
    *arg_out = NULL;
    uint32_t names = 0;
    for (int i = 1; i < argc; i++) {
        if (list && strcmp(argv[i], "--name") == 0 && strcmp(argv[0], "net-list") == 0)
            names = NAMES_ONLY;
        else if (list && strcmp(argv[i], "--all") == 0)
            *flags_out = 0x3;
        else if (list && strcmp(argv[i], "--inactive") == 0)
            *flags_out = 0x2;
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return ctl_fail(c, CTL_EXIT_USAGE, "%s: unknown option '%s'", argv[0], argv[i]), -1;
        else if (!list && *arg_out == NULL)
            *arg_out = argv[i];
        else
            return ctl_fail(c, CTL_EXIT_USAGE, "%s: unexpected argument '%s'", argv[0], argv[i]), -1;
    }
    if (!list && *arg_out == NULL)
        return ctl_fail(c, CTL_EXIT_USAGE, "%s: an argument is needed", argv[0]), -1;
    *flags_out |= names;
    return 0;
}

static int
run_net_list(ctl *c, int argc, char **argv)
{
    uint32_t flags;
    const char *arg;
    if (parse_args(c, argc, argv, TRUE, &flags, &arg) < 0)
        return CTL_EXIT_USAGE;
    if (!NET_CALL(c, list))
        return ctl_unsupported(c, "net-list");
    gboolean names_only = (flags & NAMES_ONLY) != 0;
    hvd_error err = HVD_ERROR_INIT;
    hvd_network_list *l = NULL;
    int32_t rc = c->drv->network->list(c->conn, flags & ~NAMES_ONLY, &l, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "net-list", rc, &err);
    json_object *arr = c->json ? json_object_new_array() : NULL;
    const char *heads[] = { "Name", "State", "Autostart", "Persistent" };
    g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_network_info *n = HVD_LIST_AT(hvd_network_info, l->entries, l->entry_size, i);
        if (arr != NULL) {
            json_object *o = json_object_new_object();
            g_autofree char *u = uuid_text(n->uuid);
            net_json(o, n->name, u, n->active);
            json_object_array_add(arr, o);
            continue;
        }
        if (names_only) {
            printf("%s\n", n->name);
            continue;
        }
        g_ptr_array_add(cells, g_strdup(n->name));
        g_ptr_array_add(cells, g_strdup(n->active ? "active" : "inactive"));
        g_ptr_array_add(cells, g_strdup("yes"));
        g_ptr_array_add(cells, g_strdup("yes"));
    }
    if (arr != NULL)
        ctl_print_json(arr);
    else if (!names_only)
        ctl_print_table(heads, G_N_ELEMENTS(heads), G_N_ELEMENTS(heads), cells);
    c->drv->free(l);
    return CTL_EXIT_OK;
}

/* net-define FILE ("-": standard input) */
static int
run_net_define(ctl *c, int argc, char **argv)
{
    if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0'))
        return ctl_fail(c, CTL_EXIT_USAGE, "command 'net-define' requires <file> option");
    if (!NET_CALL(c, define_xml))
        return ctl_unsupported(c, "net-define");
    g_autoptr(GError) gerr = NULL;
    g_autofree char *xml = input_read(argv[1], INPUT_MAX_BYTES, &gerr);
    if (xml == NULL)
        return ctl_fail(c, CTL_EXIT_FAIL, "Failed to read file '%s' to define a network: %s", argv[1], gerr->message);
    hvd_error err = HVD_ERROR_INIT;
    hvd_network_info *n = NULL;
    int32_t rc = c->drv->network->define_xml(c->conn, xml, 0, &n, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "net-define", rc, &err);
    g_autofree char *u = uuid_text(n->uuid);
    if (c->json) {
        json_object *o = json_object_new_object();
        net_json(o, n->name, u, n->active);
        ctl_print_json(o);
    } else {
        printf("Network %s defined from %s\n\n", n->name, argv[1]);
    }
    c->drv->free(n);
    return CTL_EXIT_OK;
}

/* net-info, net-uuid, net-dumpxml, net-undefine */
static int
run_net_one(ctl *c, int argc, char **argv)
{
    uint32_t flags;
    const char *arg;
    if (parse_args(c, argc, argv, FALSE, &flags, &arg) < 0)
        return CTL_EXIT_USAGE;
    gboolean xml = strcmp(argv[0], "net-dumpxml") == 0, undef = strcmp(argv[0], "net-undefine") == 0;
    if (!NET_CALL(c, lookup_by_name) || (xml && !NET_CALL(c, get_xml)) || (undef && !NET_CALL(c, undefine)))
        return ctl_unsupported(c, argv[0]);
    hvd_error err = HVD_ERROR_INIT;
    hvd_network_info *n = NULL;
    int32_t rc = lookup_network(c, arg, &n, &err);
    if (rc != HVD_OK)
        return ctl_report(c, argv[0], rc, &err);
    g_autofree char *u = uuid_text(n->uuid);
    g_autofree char *name = g_strdup(n->name);
    gboolean on = n->active != 0;
    c->drv->free(n);
    json_object *o = c->json ? json_object_new_object() : NULL;
    if (undef) {
        rc = c->drv->network->undefine(c->conn, name, 0, &err);
        if (rc != HVD_OK) {
            json_object_put(o);
            return ctl_report(c, argv[0], rc, &err);
        }
        if (o == NULL)
            printf("Network %s has been undefined\n\n", name);
    } else if (xml) {
        char *text = NULL;
        rc = c->drv->network->get_xml(c->conn, name, 0, &text, &err);
        if (rc != HVD_OK) {
            json_object_put(o);
            return ctl_report(c, argv[0], rc, &err);
        }
        if (o != NULL)
            json_object_object_add(o, "xml", json_object_new_string(text));
        else
            fputs(text, stdout);
        c->drv->free(text);
    } else if (strcmp(argv[0], "net-uuid") == 0 && o == NULL) {
        printf("%s\n\n", u);
    } else if (o == NULL) {
        printf("%-15s %s\n%-15s %s\n%-15s %s\n%-15s %s\n%-15s %s\n\n", "Name:", name, "UUID:", u,
               "Active:", on ? "yes" : "no", "Persistent:", "yes", "Autostart:", "yes");
    }
    if (o != NULL) {
        if (!xml)
            net_json(o, name, u, on);
        if (undef)
            json_object_object_add(o, "undefined", json_object_new_boolean(1));
        ctl_print_json(o);
    }
    return CTL_EXIT_OK;
}

static int
run_iface_list(ctl *c, int argc, char **argv)
{
    uint32_t flags;
    const char *arg;
    if (parse_args(c, argc, argv, TRUE, &flags, &arg) < 0)
        return CTL_EXIT_USAGE;
    if (!NET_CALL(c, iface_list))
        return ctl_unsupported(c, "iface-list");
    hvd_error err = HVD_ERROR_INIT;
    hvd_iface_list *l = NULL;
    int32_t rc = c->drv->network->iface_list(c->conn, flags, &l, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "iface-list", rc, &err);
    json_object *arr = c->json ? json_object_new_array() : NULL;
    const char *heads[] = { "Name", "State", "MAC Address" };
    g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_iface_info *f = HVD_LIST_AT(hvd_iface_info, l->entries, l->entry_size, i);
        if (arr != NULL) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "name", json_object_new_string(f->name));
            json_object_object_add(o, "mac", json_object_new_string(f->mac ? f->mac : ""));
            json_object_object_add(o, "active", json_object_new_boolean(f->active));
            json_object_array_add(arr, o);
            continue;
        }
        g_ptr_array_add(cells, g_strdup(f->name));
        g_ptr_array_add(cells, g_strdup(f->active ? "active" : "inactive"));
        g_ptr_array_add(cells, g_strdup(f->mac ? f->mac : ""));
    }
    if (arr != NULL)
        ctl_print_json(arr);
    else
        ctl_print_table(heads, G_N_ELEMENTS(heads), G_N_ELEMENTS(heads), cells);
    c->drv->free(l);
    return CTL_EXIT_OK;
}

/* iface-mac, iface-dumpxml */
static int
run_iface_one(ctl *c, int argc, char **argv)
{
    uint32_t flags;
    const char *arg;
    if (parse_args(c, argc, argv, FALSE, &flags, &arg) < 0)
        return CTL_EXIT_USAGE;
    hvd_error err = HVD_ERROR_INIT;
    if (strcmp(argv[0], "iface-dumpxml") == 0) {
        if (!NET_CALL(c, iface_get_xml))
            return ctl_unsupported(c, argv[0]);
        char *text = NULL;
        int32_t rc = c->drv->network->iface_get_xml(c->conn, arg, 0, &text, &err);
        if (rc != HVD_OK)
            return ctl_report(c, argv[0], rc, &err);
        fputs(text, stdout);
        c->drv->free(text);
        return CTL_EXIT_OK;
    }
    if (!NET_CALL(c, iface_list))
        return ctl_unsupported(c, argv[0]);
    hvd_iface_list *l = NULL;
    int32_t rc = c->drv->network->iface_list(c->conn, 0, &l, &err);
    if (rc != HVD_OK)
        return ctl_report(c, argv[0], rc, &err);
    const hvd_iface_info *found = NULL;
    for (uint32_t i = 0; i < l->count && found == NULL; i++) {
        const hvd_iface_info *f = HVD_LIST_AT(hvd_iface_info, l->entries, l->entry_size, i);
        if (strcmp(f->name, arg) == 0)
            found = f;
    }
    if (found != NULL)
        printf("%s\n\n", found->mac ? found->mac : "");
    c->drv->free(l);
    return found != NULL ? CTL_EXIT_OK : ctl_fail(c, CTL_EXIT_FAIL, "failed to get interface '%s'", arg);
}

#define NET_HELP "A NETWORK is one of the host's virtual switches, by name or UUID (stable).\n"

const ctl_command ctl_network_commands[] = {
    { "net-list", "[--all] [--inactive] [--name]", "list networks (the host's virtual switches)",
      "Columns Name, State, Autostart, Persistent as virsh's. Every virtual switch is active.\n"
      "--name prints only the names, one a line.\n",
      CTL_CONN_REQUIRED, run_net_list },
    { "net-info", "NETWORK", "print a network's name, UUID and state", NET_HELP, CTL_CONN_REQUIRED, run_net_one },
    { "net-uuid", "NETWORK", "print a network's UUID", NET_HELP, CTL_CONN_REQUIRED, run_net_one },
    { "net-dumpxml", "NETWORK", "print a network's libvirt XML (uplinks, port groups, VLANs)", NET_HELP,
      CTL_CONN_REQUIRED, run_net_one },
    { "net-define", "FILE", "define a network (a virtual switch) from libvirt <network> XML",
      "FILE ('-': standard input) holds <network> with <name>, optional <forward mode='bridge'> with\n"
      "<interface dev='vmnicN'/> uplinks, <mtu size='N'/> and <portgroup name='P'> elements with an optional\n"
      "<vlan><tag id='N'/></vlan>. Addresses, DHCP, DNS, NAT and the like are refused, naming the element.\n"
      "An existing network is not edited: undefine it first. See network.md.\n",
      CTL_CONN_REQUIRED, run_net_define },
    { "net-undefine", "NETWORK", "remove a network: its port groups and the virtual switch",
      NET_HELP "Refused while a domain's NIC or the host's VMkernel NIC is on one of its port groups (named).\n",
      CTL_CONN_REQUIRED, run_net_one },
    { "iface-list", "[--all] [--inactive]", "list the host's physical interfaces (link up unless --all/--inactive)",
      "Columns Name, State, MAC Address as virsh's; active means the link is up.\n", CTL_CONN_REQUIRED,
      run_iface_list },
    { "iface-mac", "INTERFACE", "print a physical interface's MAC address", NULL, CTL_CONN_REQUIRED, run_iface_one },
    { "iface-dumpxml", "INTERFACE", "print a physical interface's libvirt XML (MAC, link state, speed)", NULL,
      CTL_CONN_REQUIRED, run_iface_one },
    { NULL, NULL, NULL, NULL, CTL_CONN_NONE, NULL },
};
