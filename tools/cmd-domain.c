/* cmd-domain.c — hvdctl's domain commands, shaped like virsh's: list,
 * dominfo, domstate, domuuid, domid, domname, the lifecycle commands
 * start, destroy, shutdown, reboot, suspend, resume, and setmem,
 * setmaxmem, setvcpus, vcpucount, autostart, domhostname, domifaddr.
 *
 * Commands are data: a row names the options it accepts, whether it takes a
 * DOMAIN argument, the call it makes on that domain (NULL: none, the lookup
 * answers it) and its text and JSON printers. One dispatcher parses the
 * options, resolves the domain as virsh does (an id, then a UUID, then a
 * name; a driver key works too), makes the call and prints. */
#include "hvdctl.h"
#include "input.h"

#include <stdio.h>
#include <string.h>

#define DOMAIN_CALL(c, member)                                                                 \
    ((c)->drv->domain != NULL && HVD_HAS_MEMBER((c)->drv->domain, hvd_domain_table, member) && \
     (c)->drv->domain->member != NULL)

/* Option bits, by position in dom_options. */
enum {
    OPT_ALL = 1 << 0,
    OPT_INACTIVE = 1 << 1,
    OPT_NAME = 1 << 2,
    OPT_UUID = 1 << 3,
    OPT_REASON = 1 << 4,
    OPT_LIVE = 1 << 5,
    OPT_CONFIG = 1 << 6,
    OPT_CURRENT = 1 << 7,
    OPT_DISABLE = 1 << 8,
    OPT_SNAPSHOTS = 1 << 9,
};
static const char *const dom_options[] = { "--all",  "--inactive", "--name",    "--uuid",    "--reason",
                                           "--live", "--config",   "--current", "--disable", "--snapshots-metadata",
                                           NULL };
#define OPT_AFFECT (OPT_LIVE | OPT_CONFIG | OPT_CURRENT)

typedef struct dom_command dom_command;

/* What a run has in hand for the printers. */
typedef struct {
    ctl *c;
    unsigned opts;
    const hvd_domain_info *info; /* the domain, fresh from its lookup */
} dom_run;

typedef int32_t (*dom_call)(ctl *c, const char *key, hvd_error *err);
/* A call that returns text for the domain (the driver's [transfer] string). */
typedef int32_t (*dom_fetch)(ctl *c, const char *key, char **text_out, hvd_error *err);

struct dom_command {
    const char *name;
    unsigned opts;    /* accepted OPT_* bits */
    gboolean domain;  /* takes a DOMAIN argument */
    const char *verb; /* lifecycle: the table member's name, for messages */
    dom_call call;    /* on the domain's key, or NULL */
    const char *done; /* lifecycle: "Domain '%s' started" */
    dom_fetch fetch;  /* or: text to print as is (JSON: under `json_key`) */
    const char *json_key;
    void (*text)(const dom_run *r);
    json_object *(*json)(const dom_run *r);
    const char *argname; /* a second argument (setmem's size), or NULL */
    /* or: the whole command on the looked-up domain; returns the exit status */
    int (*run)(ctl *c, const hvd_domain_info *info, const char *arg, unsigned opts);
};

/* ---- names of states and reasons (virsh's words) -------------------------- */

static const char *
state_name(int32_t state)
{
    static const char *const names[] = { "no state",    "running",  "idle",    "paused",
                                         "in shutdown", "shut off", "crashed", "pmsuspended" };
    return state >= 0 && state < (int32_t)G_N_ELEMENTS(names) ? names[state] : "unknown";
}

static const char *
reason_name(int32_t state, int32_t reason)
{
    static const char *const running[] = { "unknown",       "booted",   "migrated",           "restored",
                                           "from snapshot", "unpaused", "migration canceled", "save canceled",
                                           "event wakeup",  "crashed",  "post-copy" };
    static const char *const paused[] = { "unknown",         "user",           "migrating",   "saving",
                                          "dumping",         "I/O error",      "watchdog",    "from snapshot",
                                          "shutting down",   "doing snapshot", "starting up", "post-copy",
                                          "post-copy failed" };
    static const char *const shutoff[] = { "unknown", "shutdown", "destroyed",     "crashed", "migrated",
                                           "saved",   "failed",   "from snapshot", "daemon" };
    const char *const *names = NULL;
    size_t n = 0;
    switch (state) {
    case 1: names = running, n = G_N_ELEMENTS(running); break;
    case 3: names = paused, n = G_N_ELEMENTS(paused); break;
    case 5: names = shutoff, n = G_N_ELEMENTS(shutoff); break;
    default: break;
    }
    return names != NULL && reason >= 0 && (size_t)reason < n ? names[reason] : "unknown";
}

static void
uuid_text(const uint8_t *u, char out[37])
{
    g_snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3],
               u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

static json_object *
info_json(const hvd_domain_info *d)
{
    char uuid[37];
    uuid_text(d->uuid, uuid);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int(d->id));
    json_object_object_add(o, "name", json_object_new_string(d->name));
    json_object_object_add(o, "key", json_object_new_string(d->key));
    json_object_object_add(o, "uuid", json_object_new_string(uuid));
    json_object_object_add(o, "state", json_object_new_string(state_name(d->state)));
    json_object_object_add(o, "reason", json_object_new_string(reason_name(d->state, d->reason)));
    json_object_object_add(o, "vcpus", json_object_new_int64(d->vcpus));
    json_object_object_add(o, "max_memory_kib", json_object_new_int64((int64_t)d->max_memory_kib));
    json_object_object_add(o, "memory_kib", json_object_new_int64((int64_t)d->memory_kib));
    json_object_object_add(o, "persistent", json_object_new_boolean(d->persistent != 0));
    return o;
}

/* ---- printers ----------------------------------------------------------- */

static void
print_dominfo(const dom_run *r)
{
    const hvd_domain_info *d = r->info;
    char uuid[37];
    uuid_text(d->uuid, uuid);
    if (d->id > 0)
        printf("%-15s %d\n", "Id:", d->id);
    else
        printf("%-15s %s\n", "Id:", "-");
    printf("%-15s %s\n", "Name:", d->name);
    printf("%-15s %s\n", "UUID:", uuid);
    printf("%-15s %s\n", "OS Type:", "hvm");
    printf("%-15s %s\n", "State:", state_name(d->state));
    printf("%-15s %u\n", "CPU(s):", d->vcpus);
    printf("%-15s %" G_GUINT64_FORMAT " KiB\n", "Max memory:", d->max_memory_kib);
    printf("%-15s %" G_GUINT64_FORMAT " KiB\n", "Used memory:", d->memory_kib);
    printf("%-15s %s\n", "Persistent:", d->persistent ? "yes" : "no");
}

static json_object *
json_dominfo(const dom_run *r)
{
    return info_json(r->info);
}

static void
print_domstate(const dom_run *r)
{
    if (r->opts & OPT_REASON)
        printf("%s (%s)\n", state_name(r->info->state), reason_name(r->info->state, r->info->reason));
    else
        printf("%s\n", state_name(r->info->state));
}

static json_object *
json_domstate(const dom_run *r)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "state", json_object_new_string(state_name(r->info->state)));
    json_object_object_add(o, "reason", json_object_new_string(reason_name(r->info->state, r->info->reason)));
    return o;
}

static void
print_domuuid(const dom_run *r)
{
    char uuid[37];
    uuid_text(r->info->uuid, uuid);
    printf("%s\n", uuid);
}

static json_object *
json_domuuid(const dom_run *r)
{
    char uuid[37];
    uuid_text(r->info->uuid, uuid);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "uuid", json_object_new_string(uuid));
    return o;
}

static void
print_domid(const dom_run *r)
{
    if (r->info->id > 0)
        printf("%d\n", r->info->id);
    else
        printf("-\n");
}

static json_object *
json_domid(const dom_run *r)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", r->info->id > 0 ? json_object_new_int(r->info->id) : NULL);
    return o;
}

static void
print_domname(const dom_run *r)
{
    printf("%s\n", r->info->name);
}

static json_object *
json_domname(const dom_run *r)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(r->info->name));
    return o;
}

/* ---- lifecycle calls ------------------------------------------------------ */

static int32_t
call_start(ctl *c, const char *key, hvd_error *err)
{
    return c->drv->domain->start(c->conn, key, 0, NULL, err);
}

static int32_t
call_destroy(ctl *c, const char *key, hvd_error *err)
{
    return c->drv->domain->destroy(c->conn, key, 0, NULL, err);
}

static int32_t
call_shutdown(ctl *c, const char *key, hvd_error *err)
{
    return c->drv->domain->shutdown(c->conn, key, 0, err);
}

static int32_t
call_reboot(ctl *c, const char *key, hvd_error *err)
{
    return c->drv->domain->reboot(c->conn, key, 0, err);
}

static int32_t
call_suspend(ctl *c, const char *key, hvd_error *err)
{
    return c->drv->domain->suspend(c->conn, key, 0, NULL, err);
}

static int32_t
call_resume(ctl *c, const char *key, hvd_error *err)
{
    return c->drv->domain->resume(c->conn, key, 0, NULL, err);
}

static int32_t
fetch_xml(ctl *c, const char *key, char **text_out, hvd_error *err)
{
    return c->drv->domain->get_xml(c->conn, key, 0, text_out, err);
}

/* ---- resources, autostart, guest ------------------------------------------ */

/* virsh's --live/--config/--current as HVD_AFFECT_* (--current: none). */
static uint32_t
affect_flags(unsigned opts)
{
    uint32_t f = 0;
    if (opts & OPT_LIVE)
        f |= HVD_AFFECT_LIVE;
    if (opts & OPT_CONFIG)
        f |= HVD_AFFECT_CONFIG;
    return f;
}

static void
print_done(ctl *c, const hvd_domain_info *info, const char *operation)
{
    if (!c->json)
        return; /* virsh's setmem, setmaxmem and setvcpus print nothing */
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(info->name));
    json_object_object_add(o, "key", json_object_new_string(info->key));
    json_object_object_add(o, "operation", json_object_new_string(operation));
    ctl_print_json(o);
}

static int
run_setmem(ctl *c, const hvd_domain_info *info, const char *arg, unsigned opts, gboolean max)
{
    const char *name = max ? "setmaxmem" : "setmem";
    /* as virsh's setmem: KiB unless a unit says otherwise, bytes rounded up
     * to whole KiB, at most 1024 * ULONG_MAX bytes */
    guint64 bytes = 0;
    g_autoptr(GError) error = NULL;
    if (!input_parse_scaled(arg, 1024, G_MAXUINT64, &bytes, &error))
        return ctl_fail(c, CTL_EXIT_USAGE, "invalid memory size: %s", error->message);
    uint64_t kib = bytes / 1024 + (bytes % 1024 != 0);
    hvd_error err = HVD_ERROR_INIT;
    const hvd_domain_table *t = c->drv->domain;
    int32_t rc = max ? t->set_max_memory(c->conn, info->key, kib, affect_flags(opts), NULL, &err)
                     : t->set_memory(c->conn, info->key, kib, affect_flags(opts), NULL, &err);
    if (rc != HVD_OK)
        return ctl_report(c, name, rc, &err);
    print_done(c, info, max ? "set_max_memory" : "set_memory");
    return CTL_EXIT_OK;
}

static int
run_setmem_cur(ctl *c, const hvd_domain_info *info, const char *arg, unsigned opts)
{
    return run_setmem(c, info, arg, opts, FALSE);
}

static int
run_setmem_max(ctl *c, const hvd_domain_info *info, const char *arg, unsigned opts)
{
    return run_setmem(c, info, arg, opts, TRUE);
}

static int
run_setvcpus(ctl *c, const hvd_domain_info *info, const char *arg, unsigned opts)
{
    guint64 n = 0;
    if (!g_ascii_string_to_unsigned(arg, 10, 1, G_MAXUINT32, &n, NULL))
        return ctl_fail(c, CTL_EXIT_USAGE, "invalid number of virtual CPUs '%s'", arg);
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = c->drv->domain->set_vcpus(c->conn, info->key, (uint32_t)n, affect_flags(opts), NULL, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "setvcpus", rc, &err);
    print_done(c, info, "set_vcpus");
    return CTL_EXIT_OK;
}

/* The domain's own vCPUs (libvirt's ESX driver reports the host's maximum):
 * ESX has one configuration, so config and live agree; live rows only for
 * an active domain, as virsh prints them. */
static int
run_vcpucount(ctl *c, const hvd_domain_info *info, const char *arg, unsigned opts)
{
    (void)arg;
    gboolean active = info->id > 0;
    gboolean live = (opts & OPT_LIVE) || !(opts & OPT_CONFIG);
    gboolean config = (opts & OPT_CONFIG) || !(opts & OPT_LIVE);
    if ((opts & OPT_LIVE) && !active)
        return ctl_fail(c, CTL_EXIT_FAIL, "domain '%s' is not running: it has no live vCPU count", info->name);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(info->name));
        json_object_object_add(o, "maximum", json_object_new_int64(info->vcpus));
        json_object_object_add(o, "current", json_object_new_int64(info->vcpus));
        json_object_object_add(o, "live", json_object_new_boolean(active));
        ctl_print_json(o);
        return CTL_EXIT_OK;
    }
    static const char *const rows[] = { "maximum", "current" };
    for (int i = 0; i < 2; i++) {
        if (config)
            printf("%-12s %-12s %3u\n", rows[i], "config", info->vcpus);
        if (live && active)
            printf("%-12s %-12s %3u\n", rows[i], "live", info->vcpus);
    }
    printf("\n");
    return CTL_EXIT_OK;
}

static int
run_autostart(ctl *c, const hvd_domain_info *info, const char *arg, unsigned opts)
{
    (void)arg;
    int32_t on = (opts & OPT_DISABLE) ? 0 : 1;
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = c->drv->domain->set_autostart(c->conn, info->key, on, 0, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "autostart", rc, &err);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(info->name));
        json_object_object_add(o, "key", json_object_new_string(info->key));
        json_object_object_add(o, "autostart", json_object_new_boolean(on));
        ctl_print_json(o);
    } else {
        printf(on ? "Domain '%s' marked as autostarted\n\n" : "Domain '%s' unmarked as autostarted\n\n", info->name);
    }
    return CTL_EXIT_OK;
}

static int
run_domifaddr(ctl *c, const hvd_domain_info *info, const char *arg, unsigned opts)
{
    (void)arg, (void)opts;
    hvd_error err = HVD_ERROR_INIT;
    hvd_guest_address_list *l = NULL;
    int32_t rc = c->drv->domain->get_guest_addresses(c->conn, info->key, 0, &l, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "domifaddr", rc, &err);
    json_object *arr = c->json ? json_object_new_array() : NULL;
    if (!c->json)
        printf(" %-10s %-17s    %-12s %s\n%s\n", "Name", "MAC address", "Protocol", "Address",
               "-------------------------------------------------------------------------------");
    const char *last = NULL;
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_guest_address *a = HVD_LIST_AT(hvd_guest_address, l->entries, l->entry_size, i);
        const char *proto = a->family == 6 ? "ipv6" : "ipv4";
        g_autofree char *addr = a->prefix > 0 ? g_strdup_printf("%s/%u", a->address, a->prefix) : g_strdup(a->address);
        if (arr != NULL) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "name", json_object_new_string(a->interface));
            json_object_object_add(o, "mac", json_object_new_string(a->mac));
            json_object_object_add(o, "protocol", json_object_new_string(proto));
            json_object_object_add(o, "address", json_object_new_string(a->address));
            json_object_object_add(o, "prefix", json_object_new_int64(a->prefix));
            json_object_array_add(arr, o);
            continue;
        }
        /* as virsh: an interface's further addresses show '-' for its name and MAC */
        gboolean same = last != NULL && strcmp(last, a->interface) == 0;
        printf(" %-10s %-17s    %-12s %s\n", same ? "-" : a->interface, same ? "-" : a->mac, proto, addr);
        last = a->interface;
    }
    if (arr != NULL)
        ctl_print_json(arr);
    else
        printf("\n");
    c->drv->free(l);
    return CTL_EXIT_OK;
}

static int32_t
fetch_hostname(ctl *c, const char *key, char **text_out, hvd_error *err)
{
    return c->drv->domain->get_guest_hostname(c->conn, key, 0, text_out, err);
}

static int
run_undefine(ctl *c, const hvd_domain_info *info, const char *arg, unsigned opts)
{
    (void)arg;
    hvd_error err = HVD_ERROR_INIT;
    uint32_t flags = (opts & OPT_SNAPSHOTS) ? HVD_UNDEFINE_SNAPSHOTS : 0;
    int32_t rc = c->drv->domain->undefine(c->conn, info->key, flags, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "undefine", rc, &err);
    if (c->json)
        print_done(c, info, "undefine");
    else
        printf("Domain '%s' has been undefined\n\n", info->name);
    return CTL_EXIT_OK;
}

/* define FILE: the domain XML in FILE, defined or redefined. */
static int
run_define(ctl *c, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return ctl_fail(c, CTL_EXIT_USAGE, "command 'define' requires <file> option");
    if (!DOMAIN_CALL(c, define_xml))
        return ctl_unsupported(c, "define");
    g_autofree char *xml = NULL;
    g_autoptr(GError) gerr = NULL;
    if (!g_file_get_contents(argv[1], &xml, NULL, &gerr))
        return ctl_fail(c, CTL_EXIT_FAIL, "Failed to read file '%s' to define domain: %s", argv[1], gerr->message);
    hvd_error err = HVD_ERROR_INIT;
    hvd_domain_info *info = NULL;
    int32_t rc = c->drv->domain->define_xml(c->conn, xml, 0, &info, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "define", rc, &err);
    if (c->json)
        ctl_print_json(info_json(info));
    else
        printf("Domain '%s' defined from %s\n\n", info->name, argv[1]);
    c->drv->free(info);
    return CTL_EXIT_OK;
}

/* Whether the driver offers the member a row calls. */
static gboolean
has_call(ctl *c, const dom_command *d)
{
    if (d->fetch == fetch_xml)
        return DOMAIN_CALL(c, get_xml);
    if (d->fetch == fetch_hostname)
        return DOMAIN_CALL(c, get_guest_hostname);
    if (d->call == call_start)
        return DOMAIN_CALL(c, start);
    if (d->call == call_destroy)
        return DOMAIN_CALL(c, destroy);
    if (d->call == call_shutdown)
        return DOMAIN_CALL(c, shutdown);
    if (d->call == call_reboot)
        return DOMAIN_CALL(c, reboot);
    if (d->call == call_suspend)
        return DOMAIN_CALL(c, suspend);
    if (d->call == call_resume)
        return DOMAIN_CALL(c, resume);
    if (d->run == run_setmem_cur)
        return DOMAIN_CALL(c, set_memory);
    if (d->run == run_setmem_max)
        return DOMAIN_CALL(c, set_max_memory);
    if (d->run == run_setvcpus)
        return DOMAIN_CALL(c, set_vcpus);
    if (d->run == run_autostart)
        return DOMAIN_CALL(c, set_autostart);
    if (d->run == run_undefine)
        return DOMAIN_CALL(c, undefine);
    if (d->run == run_domifaddr)
        return DOMAIN_CALL(c, get_guest_addresses);
    return TRUE;
}

/* ---- the table ------------------------------------------------------------ */

static const dom_command dom_commands[] = {
    { "dominfo", 0, TRUE, NULL, NULL, NULL, NULL, NULL, print_dominfo, json_dominfo, NULL, NULL },
    { "domstate", OPT_REASON, TRUE, NULL, NULL, NULL, NULL, NULL, print_domstate, json_domstate, NULL, NULL },
    { "domuuid", 0, TRUE, NULL, NULL, NULL, NULL, NULL, print_domuuid, json_domuuid, NULL, NULL },
    { "domid", 0, TRUE, NULL, NULL, NULL, NULL, NULL, print_domid, json_domid, NULL, NULL },
    { "domname", 0, TRUE, NULL, NULL, NULL, NULL, NULL, print_domname, json_domname, NULL, NULL },
    { "dumpxml", 0, TRUE, NULL, NULL, NULL, fetch_xml, "xml", NULL, NULL, NULL, NULL },
    { "start", 0, TRUE, "start", call_start, "Domain '%s' started", NULL, NULL, NULL, NULL, NULL, NULL },
    { "destroy", 0, TRUE, "destroy", call_destroy, "Domain '%s' destroyed", NULL, NULL, NULL, NULL, NULL, NULL },
    { "shutdown", 0, TRUE, "shutdown", call_shutdown, "Domain '%s' is being shutdown", NULL, NULL, NULL, NULL, NULL,
      NULL },
    { "reboot", 0, TRUE, "reboot", call_reboot, "Domain '%s' is being rebooted", NULL, NULL, NULL, NULL, NULL, NULL },
    { "suspend", 0, TRUE, "suspend", call_suspend, "Domain '%s' suspended", NULL, NULL, NULL, NULL, NULL, NULL },
    { "resume", 0, TRUE, "resume", call_resume, "Domain '%s' resumed", NULL, NULL, NULL, NULL, NULL, NULL },
    { "setmem", OPT_AFFECT, TRUE, .argname = "size", .run = run_setmem_cur },
    { "setmaxmem", OPT_AFFECT, TRUE, .argname = "size", .run = run_setmem_max },
    { "setvcpus", OPT_AFFECT, TRUE, .argname = "count", .run = run_setvcpus },
    { "vcpucount", OPT_LIVE | OPT_CONFIG, TRUE, .run = run_vcpucount },
    { "autostart", OPT_DISABLE, TRUE, .run = run_autostart },
    { "undefine", OPT_SNAPSHOTS, TRUE, .run = run_undefine },
    { "domhostname", 0, TRUE, .fetch = fetch_hostname, .json_key = "hostname" },
    { "domifaddr", 0, TRUE, .run = run_domifaddr },
    { "list", OPT_ALL | OPT_INACTIVE | OPT_NAME | OPT_UUID, FALSE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
      NULL },
};

static const dom_command *
find_dom_command(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(dom_commands); i++) {
        if (strcmp(dom_commands[i].name, name) == 0)
            return &dom_commands[i];
    }
    return NULL;
}

/* ---- list ------------------------------------------------------------------ */

static int
run_list(ctl *c, unsigned opts)
{
    if (!DOMAIN_CALL(c, list_all))
        return ctl_unsupported(c, "list");
    /* virsh: active only by default, --all both, --inactive the inactive */
    uint32_t flags = HVD_LIST_ACTIVE;
    if (opts & OPT_ALL)
        flags = HVD_LIST_ACTIVE | HVD_LIST_INACTIVE;
    else if (opts & OPT_INACTIVE)
        flags = HVD_LIST_INACTIVE;
    /* the table and --name show names, ids and states only: a brief list
     * (the server reads two properties per VM instead of the full set);
     * a 1.0 driver refuses the flag and is asked again without it */
    gboolean brief = !c->json && !(opts & OPT_UUID);
    hvd_error err = HVD_ERROR_INIT;
    hvd_domain_list *l = NULL;
    int32_t rc = c->drv->domain->list_all(c->conn, flags | (brief ? HVD_LIST_BRIEF : 0), &l, &err);
    if (rc == HVD_ERR_BAD_FLAGS && brief) {
        err = (hvd_error)HVD_ERROR_INIT;
        rc = c->drv->domain->list_all(c->conn, flags, &l, &err);
    }
    if (rc != HVD_OK)
        return ctl_report(c, "list", rc, &err);
    if (c->json) {
        json_object *arr = json_object_new_array();
        for (uint32_t i = 0; i < l->count; i++)
            json_object_array_add(arr, info_json(HVD_LIST_AT(hvd_domain_info, l->entries, l->entry_size, i)));
        ctl_print_json(arr);
    } else if (opts & (OPT_NAME | OPT_UUID)) {
        for (uint32_t i = 0; i < l->count; i++) {
            const hvd_domain_info *d = HVD_LIST_AT(hvd_domain_info, l->entries, l->entry_size, i);
            char uuid[37];
            uuid_text(d->uuid, uuid);
            if ((opts & OPT_NAME) && (opts & OPT_UUID))
                printf("%-36s  %s\n", uuid, d->name);
            else
                printf("%s\n", (opts & OPT_UUID) ? uuid : d->name);
        }
    } else {
        /* virsh's table: columns as wide as their widest cell, 3 spaces apart */
        size_t wid = strlen("Id"), wname = strlen("Name");
        g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
        for (uint32_t i = 0; i < l->count; i++) {
            const hvd_domain_info *d = HVD_LIST_AT(hvd_domain_info, l->entries, l->entry_size, i);
            char *id = d->id > 0 ? g_strdup_printf("%d", d->id) : g_strdup("-");
            wid = MAX(wid, strlen(id));
            wname = MAX(wname, (size_t)g_utf8_strlen(d->name, -1));
            g_ptr_array_add(ids, id);
        }
        size_t wstate = strlen("State");
        for (uint32_t i = 0; i < l->count; i++)
            wstate = MAX(wstate, strlen(state_name(HVD_LIST_AT(hvd_domain_info, l->entries, l->entry_size, i)->state)));
        printf(" %-*s   %-*s   %s\n", (int)wid, "Id", (int)wname, "Name", "State");
        for (size_t k = 0; k < wid + wname + wstate + 8; k++)
            putchar('-');
        putchar('\n');
        for (uint32_t i = 0; i < l->count; i++) {
            const hvd_domain_info *d = HVD_LIST_AT(hvd_domain_info, l->entries, l->entry_size, i);
            /* pad by characters, not bytes */
            int pad = (int)(wname - (size_t)g_utf8_strlen(d->name, -1));
            printf(" %-*s   %s%*s   %s\n", (int)wid, (const char *)ids->pdata[i], d->name, pad, "",
                   state_name(d->state));
        }
        printf("\n");
    }
    c->drv->free(l);
    return CTL_EXIT_OK;
}

/* ---- the dispatcher ------------------------------------------------------ */

static int
run_domain_command(ctl *c, int argc, char **argv)
{
    const dom_command *d = find_dom_command(argv[0]);
    unsigned opts = 0;
    const char *domain = NULL, *value = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-') {
            int bit = -1;
            for (int k = 0; dom_options[k] != NULL; k++) {
                if (strcmp(dom_options[k], a) == 0)
                    bit = k;
            }
            if (bit < 0 || !(d->opts & (1u << bit)))
                return ctl_fail(c, CTL_EXIT_USAGE, "command '%s' doesn't support option %s", d->name, a);
            opts |= 1u << bit;
        } else if (d->domain && domain == NULL) {
            domain = a;
        } else if (d->argname != NULL && value == NULL) {
            value = a;
        } else {
            return ctl_fail(c, CTL_EXIT_USAGE, "unexpected data '%s'", a);
        }
    }
    if (!d->domain)
        return run_list(c, opts);
    if (domain == NULL)
        return ctl_fail(c, CTL_EXIT_USAGE, "command '%s' requires <domain> option", d->name);
    if (d->argname != NULL && value == NULL)
        return ctl_fail(c, CTL_EXIT_USAGE, "command '%s' requires <%s> option", d->name, d->argname);
    if ((opts & OPT_CURRENT) && (opts & (OPT_LIVE | OPT_CONFIG)))
        return ctl_fail(c, CTL_EXIT_USAGE, "options --current and --live/--config are mutually exclusive");
    if (c->drv->domain == NULL || !has_call(c, d))
        return ctl_unsupported(c, d->name);

    hvd_error err = HVD_ERROR_INIT;
    hvd_domain_info *info = NULL;
    /* a call or a fetch needs only the key (and the name for its message):
     * a brief lookup spares the driver a read (ESX: one request) */
    int32_t rc = (d->call != NULL || d->fetch != NULL) ? ctl_lookup_domain_brief(c, domain, &info, &err)
                                                       : ctl_lookup_domain(c, domain, &info, &err);
    if (rc != HVD_OK)
        return ctl_report(c, d->name, rc, &err);
    dom_run r = { .c = c, .opts = opts, .info = info };
    if (d->run != NULL) {
        int status = d->run(c, info, value, opts);
        c->drv->free(info);
        return status;
    }
    if (d->fetch != NULL) {
        char *text = NULL;
        rc = d->fetch(c, info->key, &text, &err);
        c->drv->free(info);
        if (rc != HVD_OK)
            return ctl_report(c, d->name, rc, &err);
        if (c->json) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, d->json_key, json_object_new_string(text));
            ctl_print_json(o);
        } else {
            /* a line of its own: a host name comes without a newline */
            fputs(text, stdout);
            if (*text != '\0' && text[strlen(text) - 1] != '\n')
                putchar('\n');
        }
        c->drv->free(text);
        return CTL_EXIT_OK;
    }
    if (d->call != NULL) {
        rc = d->call(c, info->key, &err);
        if (rc != HVD_OK) {
            c->drv->free(info);
            return ctl_report(c, d->name, rc, &err);
        }
        if (c->json) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "name", json_object_new_string(info->name));
            json_object_object_add(o, "key", json_object_new_string(info->key));
            json_object_object_add(o, "operation", json_object_new_string(d->verb));
            ctl_print_json(o);
        } else {
            printf(d->done, info->name);
            printf("\n\n");
        }
    } else if (c->json) {
        ctl_print_json(d->json(&r));
    } else {
        d->text(&r);
    }
    c->drv->free(info);
    return CTL_EXIT_OK;
}

#define DOMAIN_HELP                                                                                 \
    "DOMAIN is an id, a UUID or a name, tried in that order as virsh does, or the driver's key\n"   \
    "(ESX: the VM's managed object id, e.g. vm-42). A name or UUID two domains share is an error\n" \
    "that lists their keys."

const ctl_command ctl_domain_commands[] = {
    { "list", "[--all] [--inactive] [--name] [--uuid]", "list domains (running ones unless --all/--inactive)",
      "Columns Id, Name, State as virsh's; an inactive domain's id is '-'. --name or --uuid print\n"
      "only names or UUIDs, one per line (both: UUID then name). The table and --name read names and\n"
      "states only (ABI 1.1 brief list): one request per 10,000 VMs; --uuid and --json per 2,000.",
      CTL_CONN_REQUIRED, run_domain_command },
    { "dominfo", "DOMAIN", "print a domain's id, name, UUID, state, vCPUs and memory", DOMAIN_HELP, CTL_CONN_REQUIRED,
      run_domain_command },
    { "domstate", "DOMAIN [--reason]", "print a domain's state (and why, with --reason)", DOMAIN_HELP,
      CTL_CONN_REQUIRED, run_domain_command },
    { "domuuid", "DOMAIN", "print a domain's UUID", DOMAIN_HELP, CTL_CONN_REQUIRED, run_domain_command },
    { "domid", "DOMAIN", "print a domain's id ('-' when not running)", DOMAIN_HELP, CTL_CONN_REQUIRED,
      run_domain_command },
    { "domname", "DOMAIN", "print a domain's name", DOMAIN_HELP, CTL_CONN_REQUIRED, run_domain_command },
    { "dumpxml", "DOMAIN", "print a domain's libvirt XML",
      "Converted from the VM's .vmx on its datastore, file names as [datastore] paths; when the\n"
      "server has no readable .vmx, built from the VM's configuration.\n" DOMAIN_HELP,
      CTL_CONN_REQUIRED, run_domain_command },
    { "start", "DOMAIN", "power a domain on", DOMAIN_HELP, CTL_CONN_REQUIRED, run_domain_command },
    { "destroy", "DOMAIN", "power a domain off at once", DOMAIN_HELP, CTL_CONN_REQUIRED, run_domain_command },
    { "shutdown", "DOMAIN", "ask the guest to shut down (VMware Tools)", DOMAIN_HELP, CTL_CONN_REQUIRED,
      run_domain_command },
    { "reboot", "DOMAIN", "ask the guest to reboot (VMware Tools)", DOMAIN_HELP, CTL_CONN_REQUIRED,
      run_domain_command },
    { "suspend", "DOMAIN", "suspend a running domain", DOMAIN_HELP, CTL_CONN_REQUIRED, run_domain_command },
    { "resume", "DOMAIN", "resume a suspended domain", DOMAIN_HELP, CTL_CONN_REQUIRED, run_domain_command },
    { "define", "FILE", "define (or redefine) a domain from its XML",
      "A new domain's .vmx goes next to its first file-based disk ([datastore] directory) and is\n"
      "registered on the connection's host. A domain of that name is redefined, only while it is\n"
      "shut off: its .vmx is updated to the XML (devices added, removed and changed; entries the\n"
      "XML does not model kept) and reloaded, then memory and vCPUs set (ReconfigVM_Task).",
      CTL_CONN_REQUIRED, run_define },
    { "undefine", "DOMAIN [--snapshots-metadata]", "forget a domain, keeping its files",
      "Unregisters the VM (shut off or suspended); its disks and .vmx stay on the datastore. A\n"
      "domain with snapshots needs --snapshots-metadata.\n" DOMAIN_HELP,
      CTL_CONN_REQUIRED, run_domain_command },
    { "setmem", "DOMAIN SIZE [--live] [--config] [--current]", "change a domain's current memory",
      "SIZE in KiB, or with a unit (b, K, M, G, T: powers of 1024); a multiple of 4 MiB, at most the\n"
      "domain's maximum. ESX: the VM's memory limit (ReconfigVM_Task). --live needs a running domain.\n" DOMAIN_HELP,
      CTL_CONN_REQUIRED, run_domain_command },
    { "setmaxmem", "DOMAIN SIZE [--live] [--config] [--current]", "change a domain's maximum memory",
      "SIZE as setmem's. ESX: the VM's memory size, changed only while it is shut off.\n" DOMAIN_HELP,
      CTL_CONN_REQUIRED, run_domain_command },
    { "setvcpus", "DOMAIN COUNT [--live] [--config] [--current]", "change a domain's number of vCPUs",
      "At most what the host allows a VM (capability.maxSupportedVcpus). A running domain changes\n"
      "only if its guest supports CPU hot add.\n" DOMAIN_HELP,
      CTL_CONN_REQUIRED, run_domain_command },
    { "vcpucount", "DOMAIN [--live] [--config]", "print a domain's vCPUs (maximum and current)",
      "The domain's own vCPUs (libvirt's ESX driver prints the host's maximum); live rows for an\n"
      "active domain.\n" DOMAIN_HELP,
      CTL_CONN_REQUIRED, run_domain_command },
    { "autostart", "DOMAIN [--disable]", "start a domain with its host (or not, with --disable)",
      "Through the host's HostAutoStartManager. Enabling it turns the host's autostart on, refused\n"
      "when that would also start other VMs.\n" DOMAIN_HELP,
      CTL_CONN_REQUIRED, run_domain_command },
    { "domhostname", "DOMAIN", "print the guest's host name (VMware Tools)", DOMAIN_HELP, CTL_CONN_REQUIRED,
      run_domain_command },
    { "domifaddr", "DOMAIN", "print the guest's interface addresses (VMware Tools)",
      "Columns Name, MAC address, Protocol, Address as virsh's; vSphere names no guest interface,\n"
      "so the MAC address stands for its name.\n" DOMAIN_HELP,
      CTL_CONN_REQUIRED, run_domain_command },
    { NULL, NULL, NULL, NULL, CTL_CONN_NONE, NULL },
};
