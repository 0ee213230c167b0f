/* cmd-migrate.c — hvdctl migrate, domjobinfo and domjobabort, shaped like
 * virsh's: `migrate DOMAIN DEST_URI [--live] [--dry-run] [--verbose]`
 * moves a domain to another host of the same vCenter (--dry-run runs only
 * the driver's pre-check; --verbose prints "Migration: [ NN %]" as virsh
 * does; Ctrl-C asks the server to cancel), `domjobinfo DOMAIN` shows a
 * running migration (also one started by another hvdctl), `domjobabort
 * DOMAIN` cancels it. */
#include "hvdctl.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#define MIG_CALL(c, m) ((c)->drv->migrate != NULL && (c)->drv->migrate->m != NULL)

static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

typedef struct {
    ctl *c;
    gboolean verbose;
    int last; /* last percent printed, -1 none */
} mig_progress;

static int32_t HVD_CALL
on_progress(void *user_data, const char *what, int32_t percent)
{
    (void)what;
    mig_progress *p = user_data;
    if (p->verbose && !p->c->json && percent >= 0 && percent != p->last) {
        fprintf(stderr, "\rMigration: [%3d %%]", percent);
        p->last = percent;
    }
    return interrupted ? 1 : 0; /* Ctrl-C: ask the server to cancel */
}

/* The DOMAIN argument as the driver's key. */
static int
domain_key(ctl *c, const char *cmd, const char *arg, char **key_out)
{
    hvd_error err = HVD_ERROR_INIT;
    hvd_domain_info *info = NULL;
    int32_t rc = ctl_lookup_domain(c, arg, &info, &err);
    if (rc != HVD_OK)
        return ctl_report(c, cmd, rc, &err);
    *key_out = g_strdup(info->key);
    c->drv->free(info);
    return CTL_EXIT_OK;
}

static int
run_migrate(ctl *c, int argc, char **argv)
{
    const char *domain = NULL, *dest = NULL;
    gboolean live = FALSE, dry = FALSE, verbose = FALSE;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--live") == 0)
            live = TRUE;
        else if (strcmp(argv[i], "--dry-run") == 0)
            dry = TRUE;
        else if (strcmp(argv[i], "--verbose") == 0)
            verbose = TRUE;
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return ctl_fail(c, CTL_EXIT_USAGE, "migrate: unknown option '%s'", argv[i]);
        else if (domain == NULL)
            domain = argv[i];
        else if (dest == NULL)
            dest = argv[i];
        else
            return ctl_fail(c, CTL_EXIT_USAGE, "migrate: unexpected argument '%s'", argv[i]);
    }
    if (domain == NULL || dest == NULL)
        return ctl_fail(c, CTL_EXIT_USAGE,
                        "migrate: a DOMAIN and a DEST_URI are needed, e.g. migrate web1 vpx://vcenter/dc1/esx2");
    if (!MIG_CALL(c, check) || (!dry && !MIG_CALL(c, perform)))
        return ctl_unsupported(c, "migrate");
    g_autofree char *key = NULL;
    int status = domain_key(c, "migrate", domain, &key);
    if (status != CTL_EXIT_OK)
        return status;

    hvd_param p = { .struct_size = sizeof(p), .type = HVD_PARAM_STRING, .s = dest };
    g_strlcpy(p.name, HVD_MIGRATE_PARAM_DEST_URI, sizeof(p.name));
    uint32_t flags = live ? HVD_MIGRATE_LIVE : 0;
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc;
    if (dry) {
        rc = c->drv->migrate->check(c->conn, key, &p, 1, flags, &err);
    } else {
        mig_progress mp = { .c = c, .verbose = verbose, .last = -1 };
        hvd_progress prog = { .struct_size = sizeof(prog), .progress = on_progress, .user_data = &mp };
        struct sigaction sa = { .sa_handler = on_sigint }, old;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old);
        rc = c->drv->migrate->perform(c->conn, key, &p, 1, flags, &prog, &err);
        sigaction(SIGINT, &old, NULL);
        if (mp.last >= 0)
            fprintf(stderr, rc == HVD_OK && mp.last < 100 ? "\rMigration: [100 %%]\n" : "\n");
    }
    if (rc != HVD_OK)
        return ctl_report(c, "migrate", rc, &err);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "domain", json_object_new_string(domain));
        json_object_object_add(o, "dest_uri", json_object_new_string(dest));
        json_object_object_add(o, "checked", json_object_new_boolean(1));
        json_object_object_add(o, "migrated", json_object_new_boolean(!dry));
        ctl_print_json(o);
    } else if (dry) {
        printf("Domain '%s' can migrate to %s: the check found no problem (nothing was moved)\n", domain, dest);
    } else if (verbose) {
        printf("Domain '%s' migrated to %s\n", domain, dest);
    }
    return CTL_EXIT_OK;
}

/* DOMAIN, the only argument of domjobinfo and domjobabort. */
static int
one_domain(ctl *c, int argc, char **argv, const char **domain_out)
{
    *domain_out = NULL;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return ctl_fail(c, CTL_EXIT_USAGE, "%s: unknown option '%s'", argv[0], argv[i]);
        if (*domain_out != NULL)
            return ctl_fail(c, CTL_EXIT_USAGE, "%s: unexpected argument '%s'", argv[0], argv[i]);
        *domain_out = argv[i];
    }
    if (*domain_out == NULL)
        return ctl_fail(c, CTL_EXIT_USAGE, "%s: a DOMAIN is needed", argv[0]);
    return CTL_EXIT_OK;
}

static int
run_domjobinfo(ctl *c, int argc, char **argv)
{
    const char *domain;
    int status = one_domain(c, argc, argv, &domain);
    if (status != CTL_EXIT_OK)
        return status;
    if (!MIG_CALL(c, get_progress))
        return ctl_unsupported(c, "domjobinfo");
    g_autofree char *key = NULL;
    status = domain_key(c, "domjobinfo", domain, &key);
    if (status != CTL_EXIT_OK)
        return status;
    hvd_job_info info = { .struct_size = sizeof(info) };
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = c->drv->migrate->get_progress(c->conn, key, 0, &info, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "domjobinfo", rc, &err);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "active", json_object_new_boolean(info.active != 0));
        json_object_object_add(o, "operation", info.active ? json_object_new_string("outgoing migration") : NULL);
        json_object_object_add(o, "percent", info.active ? json_object_new_int(info.percent) : NULL);
        json_object_object_add(o, "elapsed_ms", info.active ? json_object_new_int64(info.elapsed_ms) : NULL);
        ctl_print_json(o);
        return CTL_EXIT_OK;
    }
    if (!info.active) {
        printf("%-17s %s\n\n", "Job type:", "None");
        return CTL_EXIT_OK;
    }
    printf("%-17s %s\n", "Job type:", "Unbounded");
    printf("%-17s %s\n", "Operation:", "Outgoing migration");
    printf("%-17s %-12" G_GINT64_FORMAT " ms\n", "Time elapsed:", info.elapsed_ms);
    if (info.percent >= 0)
        printf("%-17s %d %%\n", "Progress:", info.percent);
    printf("\n");
    return CTL_EXIT_OK;
}

static int
run_domjobabort(ctl *c, int argc, char **argv)
{
    const char *domain;
    int status = one_domain(c, argc, argv, &domain);
    if (status != CTL_EXIT_OK)
        return status;
    if (!MIG_CALL(c, cancel))
        return ctl_unsupported(c, "domjobabort");
    g_autofree char *key = NULL;
    status = domain_key(c, "domjobabort", domain, &key);
    if (status != CTL_EXIT_OK)
        return status;
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = c->drv->migrate->cancel(c->conn, key, 0, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "domjobabort", rc, &err);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "domain", json_object_new_string(domain));
        json_object_object_add(o, "cancel_requested", json_object_new_boolean(1));
        ctl_print_json(o);
    }
    return CTL_EXIT_OK;
}

const ctl_command ctl_migrate_commands[] = {
    { "migrate", "DOMAIN DEST_URI [--live] [--dry-run] [--verbose]",
      "move a domain to another host of the same vCenter",
      "DEST_URI names the destination host: vpx://VCENTER/DATACENTER/[CLUSTER/]HOST, or\n"
      "esx://HOST/?vcenter=* (or vcenter=VCENTER). The connection must reach that same vCenter:\n"
      "a vpx:// URI, or an esx:// URI with vcenter=. ESX cannot rename a domain on the way.\n"
      "Before anything moves, vCenter checks the migration (CheckMigrate): every datastore and\n"
      "network of the domain must be reachable from the destination host, which must be\n"
      "connected and not in maintenance mode; each problem is named.\n"
      "  --dry-run  run only that check; nothing moves\n"
      "  --live     a live migration (vMotion): the domain must be running\n"
      "  --verbose  print the progress (\"Migration: [ 40 %]\") and a line at the end\n"
      "Ctrl-C asks the server to cancel the migration.\n",
      CTL_CONN_REQUIRED, run_migrate },
    { "domjobinfo", "DOMAIN", "show the domain's running migration",
      "A migration started by this or another client (another hvdctl, the vSphere client) is\n"
      "found on the server. 'Job type: None' when none runs.\n",
      CTL_CONN_REQUIRED, run_domjobinfo },
    { "domjobabort", "DOMAIN", "cancel the domain's running migration",
      "Asks the server to cancel it (CancelTask); the domain stays where it was. Refused, saying\n"
      "why, when no migration runs or when it is past the point where it can stop.\n",
      CTL_CONN_REQUIRED, run_domjobabort },
    { NULL, NULL, NULL, NULL, CTL_CONN_NONE, NULL },
};
