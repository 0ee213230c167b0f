/* cmd-snapshot.c — hvdctl's snapshot commands, shaped like virsh's:
 * snapshot-create-as, snapshot-list [--tree] [--parent] [--roots]
 * [--leaves] [--no-leaves] [--name], snapshot-info, snapshot-current
 * [--name], snapshot-parent, snapshot-dumpxml, snapshot-revert,
 * snapshot-delete [--children] [--children-only].
 *
 * One dispatcher parses the options (a SNAPSHOT is the argument after the
 * DOMAIN, or --snapshotname NAME, or --current), looks the domain up as
 * the domain commands do and the snapshot by name (then by key, as a
 * domain's key is the last resort of its lookup), and runs the command's
 * function on them. */
#include "hvdctl.h"

#include <stdio.h>
#include <string.h>

enum {
    SO_CURRENT = 1 << 0,
    SO_NAME = 1 << 1,
    SO_TREE = 1 << 2,
    SO_PARENT = 1 << 3,
    SO_ROOTS = 1 << 4,
    SO_LEAVES = 1 << 5,
    SO_NO_LEAVES = 1 << 6,
    SO_CHILDREN = 1 << 7,
    SO_CHILDREN_ONLY = 1 << 8,
    SO_QUIESCE = 1 << 9,
};
static const char *const snap_flags[] = { "--current",       "--name",    "--tree",      "--parent",
                                          "--roots",         "--leaves",  "--no-leaves", "--children",
                                          "--children-only", "--quiesce", NULL };

typedef struct {
    ctl *c;
    const hvd_snapshot_table *t;
    const hvd_domain_info *dom;
    const hvd_snapshot_info *snap; /* the SNAPSHOT argument's, or NULL */
    unsigned opts;
    const char *args[2]; /* positional arguments after DOMAIN (create-as: name, description) */
    const char *name;    /* --name VALUE (create-as) */
    const char *description;
} snap_run;

typedef struct {
    const char *name;
    unsigned opts;     /* accepted SO_* bits */
    gboolean snapshot; /* needs a SNAPSHOT (or --current) */
    int (*run)(snap_run *r);
} snap_command;

static char *
time_text(int64_t t)
{
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(t);
    return dt != NULL ? g_date_time_format(dt, "%Y-%m-%d %H:%M:%S %z") : g_strdup("-");
}

static const char *
state_word(int32_t state)
{
    switch (state) {
    case HVD_DOMAIN_RUNNING: return "running";
    case HVD_DOMAIN_PAUSED: return "paused";
    default: return "shutoff";
    }
}

static json_object *
snap_json(const hvd_snapshot_info *s)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(s->name));
    json_object_object_add(o, "key", json_object_new_string(s->key));
    json_object_object_add(o, "description", json_object_new_string(s->description ? s->description : ""));
    json_object_object_add(o, "state", json_object_new_string(state_word(s->state)));
    json_object_object_add(o, "creation_time", json_object_new_int64(s->creation_time));
    json_object_object_add(o, "current", json_object_new_boolean(s->is_current));
    json_object_object_add(o, "children", json_object_new_int64(s->num_children));
    json_object_object_add(o, "parent", s->parent ? json_object_new_string(s->parent) : NULL);
    json_object_object_add(o, "parent_key", s->parent_key ? json_object_new_string(s->parent_key) : NULL);
    return o;
}

/* ---- the commands --------------------------------------------------------- */

static int
run_create_as(snap_run *r)
{
    const char *name = r->name != NULL ? r->name : r->args[0];
    const char *desc = r->description != NULL ? r->description : r->args[1];
    GString *xml = g_string_new("<domainsnapshot>");
    if (name != NULL) {
        g_autofree char *e = g_markup_escape_text(name, -1);
        g_string_append_printf(xml, "<name>%s</name>", e);
    }
    if (desc != NULL) {
        g_autofree char *e = g_markup_escape_text(desc, -1);
        g_string_append_printf(xml, "<description>%s</description>", e);
    }
    g_string_append(xml, "</domainsnapshot>");
    g_autofree char *text = g_string_free(xml, FALSE);
    hvd_error err = HVD_ERROR_INIT;
    hvd_snapshot_info *info = NULL;
    uint32_t flags = (r->opts & SO_QUIESCE) ? HVD_SNAPSHOT_CREATE_QUIESCE : 0;
    int32_t rc = r->t->create_xml(r->c->conn, r->dom->key, text, flags, NULL, &info, &err);
    if (rc != HVD_OK)
        return ctl_report(r->c, "snapshot-create-as", rc, &err);
    if (r->c->json)
        ctl_print_json(snap_json(info));
    else
        printf("Domain snapshot %s created\n", info->name);
    r->c->drv->free(info);
    return CTL_EXIT_OK;
}

static const hvd_snapshot_info *
entry(const hvd_snapshot_list *l, uint32_t i)
{
    return HVD_LIST_AT(hvd_snapshot_info, l->entries, l->entry_size, i);
}

/* virsh's tree: each child under its parent after a "|" line. */
static void
print_tree(const hvd_snapshot_list *l, const char *parent_key, const char *prefix)
{
    uint32_t last = UINT32_MAX;
    for (uint32_t i = 0; i < l->count; i++) {
        if (g_strcmp0(entry(l, i)->parent_key, parent_key) == 0)
            last = i;
    }
    for (uint32_t i = 0; i < l->count; i++) {
        const hvd_snapshot_info *s = entry(l, i);
        if (g_strcmp0(s->parent_key, parent_key) != 0)
            continue;
        if (parent_key == NULL) {
            printf("%s\n", s->name);
            print_tree(l, s->key, "  ");
            continue;
        }
        printf("%s|\n%s+- %s\n", prefix, prefix, s->name);
        g_autofree char *deeper = g_strconcat(prefix, i == last ? "    " : "|   ", NULL);
        print_tree(l, s->key, deeper);
    }
}

static int
run_list(snap_run *r)
{
    uint32_t flags = 0;
    if (r->opts & SO_ROOTS)
        flags |= HVD_SNAPSHOT_LIST_ROOTS;
    if (r->opts & SO_LEAVES)
        flags |= HVD_SNAPSHOT_LIST_LEAVES;
    if (r->opts & SO_NO_LEAVES)
        flags |= HVD_SNAPSHOT_LIST_NO_LEAVES;
    if ((r->opts & SO_TREE) && flags != 0)
        return ctl_fail(r->c, CTL_EXIT_USAGE, "--tree cannot be combined with --roots or --leaves");
    hvd_error err = HVD_ERROR_INIT;
    hvd_snapshot_list *l = NULL;
    int32_t rc = r->t->list(r->c->conn, r->dom->key, flags, &l, &err);
    if (rc != HVD_OK)
        return ctl_report(r->c, "snapshot-list", rc, &err);
    if (r->c->json) {
        json_object *arr = json_object_new_array();
        for (uint32_t i = 0; i < l->count; i++)
            json_object_array_add(arr, snap_json(entry(l, i)));
        ctl_print_json(arr);
    } else if (r->opts & SO_TREE) {
        print_tree(l, NULL, "");
        printf("\n");
    } else if (r->opts & SO_NAME) {
        for (uint32_t i = 0; i < l->count; i++)
            printf("%s\n", entry(l, i)->name);
        printf("\n");
    } else {
        gboolean parent = (r->opts & SO_PARENT) != 0;
        size_t wname = strlen("Name"), wparent = strlen("Parent");
        for (uint32_t i = 0; i < l->count; i++) {
            wname = MAX(wname, strlen(entry(l, i)->name));
            if (entry(l, i)->parent != NULL)
                wparent = MAX(wparent, strlen(entry(l, i)->parent));
        }
        int wtime = (int)strlen("2000-01-01 00:00:00 +0000");
        if (parent)
            printf(" %-*s   %-*s   %-7s   %s\n", (int)wname, "Name", wtime, "Creation Time", "State", "Parent");
        else
            printf(" %-*s   %-*s   %s\n", (int)wname, "Name", wtime, "Creation Time", "State");
        size_t dashes = wname + (size_t)wtime + 7 + 8 + (parent ? wparent + 3 : 0);
        for (size_t k = 0; k < dashes; k++)
            putchar('-');
        putchar('\n');
        for (uint32_t i = 0; i < l->count; i++) {
            const hvd_snapshot_info *s = entry(l, i);
            g_autofree char *when = time_text(s->creation_time);
            if (parent)
                printf(" %-*s   %-*s   %-7s   %s\n", (int)wname, s->name, wtime, when, state_word(s->state),
                       s->parent ? s->parent : "");
            else
                printf(" %-*s   %-*s   %s\n", (int)wname, s->name, wtime, when, state_word(s->state));
        }
        printf("\n");
    }
    r->c->drv->free(l);
    return CTL_EXIT_OK;
}

static int
run_info(snap_run *r)
{
    const hvd_snapshot_info *s = r->snap;
    hvd_error err = HVD_ERROR_INIT;
    hvd_snapshot_list *d = NULL;
    int32_t rc =
        r->t->children(r->c->conn, r->dom->key, s->key, HVD_SNAPSHOT_BY_KEY | HVD_SNAPSHOT_LIST_DESCENDANTS, &d, &err);
    if (rc != HVD_OK)
        return ctl_report(r->c, "snapshot-info", rc, &err);
    if (r->c->json) {
        json_object *o = snap_json(s);
        json_object_object_add(o, "domain", json_object_new_string(r->dom->name));
        json_object_object_add(o, "descendants", json_object_new_int64(d->count));
        ctl_print_json(o);
    } else {
        printf("%-15s %s\n", "Name:", s->name);
        printf("%-15s %s\n", "Domain:", r->dom->name);
        printf("%-15s %s\n", "Current:", s->is_current ? "yes" : "no");
        printf("%-15s %s\n", "State:", state_word(s->state));
        printf("%-15s %s\n", "Location:", "internal");
        printf("%-15s %s\n", "Parent:", s->parent ? s->parent : "-");
        printf("%-15s %u\n", "Children:", s->num_children);
        printf("%-15s %u\n", "Descendants:", d->count);
        printf("%-15s %s\n\n", "Metadata:", "yes");
    }
    r->c->drv->free(d);
    return CTL_EXIT_OK;
}

static int
print_xml(snap_run *r, const char *what)
{
    hvd_error err = HVD_ERROR_INIT;
    char *xml = NULL;
    int32_t rc = r->t->get_xml(r->c->conn, r->dom->key, r->snap->key, HVD_SNAPSHOT_BY_KEY, &xml, &err);
    if (rc != HVD_OK)
        return ctl_report(r->c, what, rc, &err);
    if (r->c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "xml", json_object_new_string(xml));
        ctl_print_json(o);
    } else {
        fputs(xml, stdout);
    }
    r->c->drv->free(xml);
    return CTL_EXIT_OK;
}

static int
run_dumpxml(snap_run *r)
{
    return print_xml(r, "snapshot-dumpxml");
}

static int
run_current(snap_run *r)
{
    if (!(r->opts & SO_NAME))
        return print_xml(r, "snapshot-current");
    if (r->c->json)
        ctl_print_json(snap_json(r->snap));
    else
        printf("%s\n", r->snap->name);
    return CTL_EXIT_OK;
}

static int
run_parent(snap_run *r)
{
    hvd_error err = HVD_ERROR_INIT;
    hvd_snapshot_info *p = NULL;
    int32_t rc = r->t->parent(r->c->conn, r->dom->key, r->snap->key, HVD_SNAPSHOT_BY_KEY, &p, &err);
    if (rc != HVD_OK)
        return ctl_report(r->c, "snapshot-parent", rc, &err);
    if (r->c->json)
        ctl_print_json(snap_json(p));
    else
        printf("%s\n", p->name);
    r->c->drv->free(p);
    return CTL_EXIT_OK;
}

static int
run_revert(snap_run *r)
{
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = r->t->revert(r->c->conn, r->dom->key, r->snap->key, HVD_SNAPSHOT_BY_KEY, NULL, &err);
    if (rc != HVD_OK)
        return ctl_report(r->c, "snapshot-revert", rc, &err);
    if (r->c->json)
        ctl_print_json(snap_json(r->snap));
    return CTL_EXIT_OK;
}

static int
run_delete(snap_run *r)
{
    uint32_t flags = HVD_SNAPSHOT_BY_KEY;
    if (r->opts & SO_CHILDREN)
        flags |= HVD_SNAPSHOT_DELETE_CHILDREN;
    if (r->opts & SO_CHILDREN_ONLY)
        flags |= HVD_SNAPSHOT_DELETE_CHILDREN_ONLY;
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = r->t->remove(r->c->conn, r->dom->key, r->snap->key, flags, NULL, &err);
    if (rc != HVD_OK)
        return ctl_report(r->c, "snapshot-delete", rc, &err);
    if (r->c->json)
        ctl_print_json(snap_json(r->snap));
    else if (r->opts & SO_CHILDREN_ONLY)
        printf("Domain snapshot %s children deleted\n\n", r->snap->name);
    else
        printf("Domain snapshot %s deleted\n\n", r->snap->name);
    return CTL_EXIT_OK;
}

static const snap_command snap_commands[] = {
    { "snapshot-create-as", SO_QUIESCE, FALSE, run_create_as },
    { "snapshot-list", SO_TREE | SO_PARENT | SO_ROOTS | SO_LEAVES | SO_NO_LEAVES | SO_NAME, FALSE, run_list },
    { "snapshot-info", SO_CURRENT, TRUE, run_info },
    { "snapshot-current", SO_NAME, TRUE, run_current },
    { "snapshot-parent", SO_CURRENT, TRUE, run_parent },
    { "snapshot-dumpxml", 0, TRUE, run_dumpxml },
    { "snapshot-revert", SO_CURRENT, TRUE, run_revert },
    { "snapshot-delete", SO_CURRENT | SO_CHILDREN | SO_CHILDREN_ONLY, TRUE, run_delete },
};

/* ---- the dispatcher ------------------------------------------------------ */

/* SNAPSHOT by name, then (not found) by key; NULL: the current one. */
static int32_t
lookup_snapshot(snap_run *r, const char *arg, hvd_snapshot_info **out, hvd_error *err)
{
    if (arg == NULL)
        return r->t->current(r->c->conn, r->dom->key, 0, out, err);
    int32_t rc = r->t->lookup(r->c->conn, r->dom->key, arg, 0, out, err);
    if (rc == HVD_ERR_NO_SNAPSHOT) {
        hvd_error again = HVD_ERROR_INIT;
        if (r->t->lookup(r->c->conn, r->dom->key, arg, HVD_SNAPSHOT_BY_KEY, out, &again) == HVD_OK)
            return HVD_OK;
    }
    return rc;
}

static int
run_snapshot_command(ctl *c, int argc, char **argv)
{
    const snap_command *d = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(snap_commands); i++) {
        if (strcmp(snap_commands[i].name, argv[0]) == 0)
            d = &snap_commands[i];
    }
    snap_run r = { .c = c };
    const char *domain = NULL, *snapname = NULL;
    int npos = 0;
    gboolean create = d->run == run_create_as;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **value = NULL;
        if (strcmp(a, "--snapshotname") == 0 && d->snapshot)
            value = &snapname;
        else if (strcmp(a, "--name") == 0 && create)
            value = &r.name;
        else if (strcmp(a, "--description") == 0 && create)
            value = &r.description;
        if (value != NULL) {
            if (i + 1 >= argc)
                return ctl_fail(c, CTL_EXIT_USAGE, "option %s needs a value", a);
            *value = argv[++i];
            continue;
        }
        if (a[0] == '-' && a[1] == '-') {
            int bit = -1;
            for (int k = 0; snap_flags[k] != NULL; k++) {
                if (strcmp(snap_flags[k], a) == 0)
                    bit = k;
            }
            if (bit < 0 || !(d->opts & (1u << bit)))
                return ctl_fail(c, CTL_EXIT_USAGE, "command '%s' doesn't support option %s", d->name, a);
            r.opts |= 1u << bit;
        } else if (domain == NULL) {
            domain = a;
        } else if (d->snapshot && snapname == NULL) {
            snapname = a;
        } else if (create && npos < 2) {
            r.args[npos++] = a;
        } else {
            return ctl_fail(c, CTL_EXIT_USAGE, "unexpected data '%s'", a);
        }
    }
    if (domain == NULL)
        return ctl_fail(c, CTL_EXIT_USAGE, "command '%s' requires <domain> option", d->name);
    /* snapshot-current names none: it is about the current one */
    gboolean current = (r.opts & SO_CURRENT) || strcmp(d->name, "snapshot-current") == 0;
    if (d->snapshot && snapname == NULL && !current)
        return ctl_fail(c, CTL_EXIT_USAGE, "command '%s' requires <snapshotname> or --current", d->name);
    if (snapname != NULL && current)
        return ctl_fail(c, CTL_EXIT_USAGE, "command '%s': give a snapshot name or --current, not both", d->name);
    if ((r.opts & SO_CHILDREN) && (r.opts & SO_CHILDREN_ONLY))
        return ctl_fail(c, CTL_EXIT_USAGE, "options --children and --children-only are mutually exclusive");
    r.t = c->drv->snapshot;
    if (r.t == NULL || !HVD_HAS_MEMBER(r.t, hvd_snapshot_table, get_xml))
        return ctl_unsupported(c, d->name);

    hvd_error err = HVD_ERROR_INIT;
    hvd_domain_info *dom = NULL;
    int32_t rc = ctl_lookup_domain(c, domain, &dom, &err);
    if (rc != HVD_OK)
        return ctl_report(c, d->name, rc, &err);
    r.dom = dom;
    hvd_snapshot_info *snap = NULL;
    if (d->snapshot) {
        rc = lookup_snapshot(&r, snapname, &snap, &err);
        if (rc != HVD_OK) {
            c->drv->free(dom);
            return ctl_report(c, d->name, rc, &err);
        }
        r.snap = snap;
    }
    int status = d->run(&r);
    c->drv->free(snap);
    c->drv->free(dom);
    return status;
}

#define SNAPSHOT_HELP                                                                                      \
    "DOMAIN as for the domain commands. SNAPSHOT is a snapshot's name (--snapshotname NAME too), or its\n" \
    "key when no snapshot has that name; a name two snapshots share is an error that lists their keys."

const ctl_command ctl_snapshot_commands[] = {
    { "snapshot-create-as", "DOMAIN [NAME] [DESCRIPTION] [--name NAME] [--description TEXT] [--quiesce]",
      "take a snapshot of a domain",
      "Memory is included when the domain is running. --quiesce asks VMware Tools to quiesce the\n"
      "guest's file systems first. Without a name the snapshot is named by the time.\n" SNAPSHOT_HELP,
      CTL_CONN_REQUIRED, run_snapshot_command },
    { "snapshot-list", "DOMAIN [--tree] [--parent] [--roots] [--leaves] [--no-leaves] [--name]",
      "list a domain's snapshots",
      "Columns Name, Creation Time, State (and Parent with --parent), parents before children; --tree\n"
      "draws the tree as virsh does.\n" SNAPSHOT_HELP,
      CTL_CONN_REQUIRED, run_snapshot_command },
    { "snapshot-info", "DOMAIN {SNAPSHOT | --current}", "print a snapshot's name, state, parent and children",
      SNAPSHOT_HELP, CTL_CONN_REQUIRED, run_snapshot_command },
    { "snapshot-current", "DOMAIN [--name]", "print the current snapshot's XML (or name)", SNAPSHOT_HELP,
      CTL_CONN_REQUIRED, run_snapshot_command },
    { "snapshot-parent", "DOMAIN {SNAPSHOT | --current}", "print a snapshot's parent's name", SNAPSHOT_HELP,
      CTL_CONN_REQUIRED, run_snapshot_command },
    { "snapshot-dumpxml", "DOMAIN SNAPSHOT", "print a snapshot's libvirt XML", SNAPSHOT_HELP, CTL_CONN_REQUIRED,
      run_snapshot_command },
    { "snapshot-revert", "DOMAIN {SNAPSHOT | --current}", "revert a domain to a snapshot", SNAPSHOT_HELP,
      CTL_CONN_REQUIRED, run_snapshot_command },
    { "snapshot-delete", "DOMAIN {SNAPSHOT | --current} [--children] [--children-only]",
      "delete a snapshot (with its children, or only its children)",
      "Deleting a snapshot alone moves its children up to its parent.\n" SNAPSHOT_HELP, CTL_CONN_REQUIRED,
      run_snapshot_command },
    { NULL, NULL, NULL, NULL, CTL_CONN_NONE, NULL },
};
