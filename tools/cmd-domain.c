/* cmd-domain.c — hvdctl's domain commands, shaped like virsh's: list,
 * dominfo, domstate, domuuid, domid, domname, and the lifecycle commands
 * start, destroy, shutdown, reboot, suspend, resume.
 *
 * Commands are data: a row names the options it accepts, whether it takes a
 * DOMAIN argument, the call it makes on that domain (NULL: none, the lookup
 * answers it) and its text and JSON printers. One dispatcher parses the
 * options, resolves the domain as virsh does (an id, then a UUID, then a
 * name; a driver key works too), makes the call and prints. */
#include "hvdctl.h"

#include <stdio.h>
#include <string.h>

#define DOMAIN_CALL(c, member)                                                                 \
    ((c)->drv->domain != NULL && HVD_HAS_MEMBER((c)->drv->domain, hvd_domain_table, member) && \
     (c)->drv->domain->member != NULL)

/* Option bits, by position in dom_options. */
enum { OPT_ALL = 1 << 0, OPT_INACTIVE = 1 << 1, OPT_NAME = 1 << 2, OPT_UUID = 1 << 3, OPT_REASON = 1 << 4 };
static const char *const dom_options[] = { "--all", "--inactive", "--name", "--uuid", "--reason", NULL };

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

/* Whether the driver offers the member a row calls. */
static gboolean
has_call(ctl *c, const dom_command *d)
{
    if (d->fetch == fetch_xml)
        return DOMAIN_CALL(c, get_xml);
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
    return TRUE;
}

/* ---- the table ------------------------------------------------------------ */

static const dom_command dom_commands[] = {
    { "dominfo", 0, TRUE, NULL, NULL, NULL, NULL, NULL, print_dominfo, json_dominfo },
    { "domstate", OPT_REASON, TRUE, NULL, NULL, NULL, NULL, NULL, print_domstate, json_domstate },
    { "domuuid", 0, TRUE, NULL, NULL, NULL, NULL, NULL, print_domuuid, json_domuuid },
    { "domid", 0, TRUE, NULL, NULL, NULL, NULL, NULL, print_domid, json_domid },
    { "domname", 0, TRUE, NULL, NULL, NULL, NULL, NULL, print_domname, json_domname },
    { "dumpxml", 0, TRUE, NULL, NULL, NULL, fetch_xml, "xml", NULL, NULL },
    { "start", 0, TRUE, "start", call_start, "Domain '%s' started", NULL, NULL, NULL, NULL },
    { "destroy", 0, TRUE, "destroy", call_destroy, "Domain '%s' destroyed", NULL, NULL, NULL, NULL },
    { "shutdown", 0, TRUE, "shutdown", call_shutdown, "Domain '%s' is being shutdown", NULL, NULL, NULL, NULL },
    { "reboot", 0, TRUE, "reboot", call_reboot, "Domain '%s' is being rebooted", NULL, NULL, NULL, NULL },
    { "suspend", 0, TRUE, "suspend", call_suspend, "Domain '%s' suspended", NULL, NULL, NULL, NULL },
    { "resume", 0, TRUE, "resume", call_resume, "Domain '%s' resumed", NULL, NULL, NULL, NULL },
    { "list", OPT_ALL | OPT_INACTIVE | OPT_NAME | OPT_UUID, FALSE, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
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

/* ---- resolving a DOMAIN argument ------------------------------------------ */

static gboolean
all_digits(const char *s)
{
    if (*s == '\0')
        return FALSE;
    for (; *s != '\0'; s++) {
        if (!g_ascii_isdigit(*s))
            return FALSE;
    }
    return TRUE;
}

static gboolean
uuid_form(const char *s)
{
    if (strlen(s) != 36)
        return FALSE;
    for (int i = 0; i < 36; i++) {
        if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-' : !g_ascii_isxdigit(s[i]))
            return FALSE;
    }
    return TRUE;
}

/* As virsh: an id, then a UUID, then a name; then the driver's key. Each
 * step that finds nothing (HVD_ERR_NO_DOMAIN) passes to the next; any other
 * failure is the answer. */
static int32_t
lookup_domain(ctl *c, const char *arg, hvd_domain_info **info_out, hvd_error *err)
{
    const hvd_domain_table *t = c->drv->domain;
    int32_t rc = HVD_ERR_NO_DOMAIN;
    if (all_digits(arg) && DOMAIN_CALL(c, lookup_by_id)) {
        guint64 id = 0;
        if (g_ascii_string_to_unsigned(arg, 10, 1, G_MAXINT32, &id, NULL))
            rc = t->lookup_by_id(c->conn, (int32_t)id, 0, info_out, err);
        if (rc != HVD_ERR_NO_DOMAIN)
            return rc;
    }
    if (uuid_form(arg) && DOMAIN_CALL(c, get_info)) {
        rc = t->get_info(c->conn, arg, 0, info_out, err);
        if (rc != HVD_ERR_NO_DOMAIN)
            return rc;
    }
    if (DOMAIN_CALL(c, lookup_by_name)) {
        rc = t->lookup_by_name(c->conn, arg, 0, info_out, err);
        if (rc != HVD_ERR_NO_DOMAIN)
            return rc;
    }
    if (!uuid_form(arg) && DOMAIN_CALL(c, get_info)) {
        rc = t->get_info(c->conn, arg, 0, info_out, err);
        if (rc != HVD_ERR_NO_DOMAIN)
            return rc;
    }
    *err = (hvd_error)HVD_ERROR_INIT;
    g_snprintf(err->message, sizeof(err->message),
               "failed to get domain '%s': no domain with a matching id, "
               "UUID, name or key",
               arg);
    return HVD_ERR_NO_DOMAIN;
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
    hvd_error err = HVD_ERROR_INIT;
    hvd_domain_list *l = NULL;
    int32_t rc = c->drv->domain->list_all(c->conn, flags, &l, &err);
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
    const char *domain = NULL;
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
        } else {
            return ctl_fail(c, CTL_EXIT_USAGE, "unexpected data '%s'", a);
        }
    }
    if (!d->domain)
        return run_list(c, opts);
    if (domain == NULL)
        return ctl_fail(c, CTL_EXIT_USAGE, "command '%s' requires <domain> option", d->name);
    if (c->drv->domain == NULL || !has_call(c, d))
        return ctl_unsupported(c, d->name);

    hvd_error err = HVD_ERROR_INIT;
    hvd_domain_info *info = NULL;
    int32_t rc = lookup_domain(c, domain, &info, &err);
    if (rc != HVD_OK)
        return ctl_report(c, d->name, rc, &err);
    dom_run r = { .c = c, .opts = opts, .info = info };
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
            fputs(text, stdout);
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
      "only names or UUIDs, one per line (both: UUID then name). One request per page of 1,000 VMs.",
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
    { NULL, NULL, NULL, NULL, CTL_CONN_NONE, NULL },
};
