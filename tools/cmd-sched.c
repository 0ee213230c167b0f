/* cmd-sched.c — hvdctl schedinfo, shaped like virsh's: the scheduler type
 * and its parameters of a domain, after changing the ones given with
 * --set NAME=VALUE (repeatable; `--set=NAME=VALUE` too). The driver checks
 * the names and the rules; hvdctl only parses VALUE as an integer, since
 * every parameter of the ESX scheduler is one. */
#include "hvdctl.h"

#include <stdio.h>
#include <string.h>

/* --set NAME=VALUE into P; FALSE (after printing why) when malformed. */
static gboolean
parse_set(ctl *c, const char *arg, hvd_param *p)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg || (gsize)(eq - arg) >= sizeof(p->name)) {
        ctl_fail(c, CTL_EXIT_USAGE, "schedinfo: --set '%s' is not NAME=VALUE", arg);
        return FALSE;
    }
    memset(p, 0, sizeof(*p));
    p->struct_size = sizeof(*p);
    p->type = HVD_PARAM_INT64;
    memcpy(p->name, arg, (gsize)(eq - arg));
    gint64 v = 0;
    if (!g_ascii_string_to_signed(eq + 1, 10, G_MININT64, G_MAXINT64, &v, NULL)) {
        ctl_fail(c, CTL_EXIT_USAGE, "schedinfo: the value of '%s' is '%s', not an integer", p->name, eq + 1);
        return FALSE;
    }
    p->i = v;
    return TRUE;
}

static void
print_params(ctl *c, const char *type, const hvd_param_list *list)
{
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "scheduler", json_object_new_string(type));
        json_object *params = json_object_new_object();
        for (uint32_t i = 0; i < list->count; i++) {
            const hvd_param *p = HVD_LIST_AT(hvd_param, list->entries, list->entry_size, i);
            if (p->type == HVD_PARAM_INT64)
                json_object_object_add(params, p->name, json_object_new_int64(p->i));
        }
        json_object_object_add(o, "parameters", params);
        ctl_print_json(o);
        return;
    }
    printf("%-15s: %s\n", "Scheduler", type);
    for (uint32_t i = 0; i < list->count; i++) {
        const hvd_param *p = HVD_LIST_AT(hvd_param, list->entries, list->entry_size, i);
        if (p->type == HVD_PARAM_INT64) /* a type this hvdctl does not know is skipped (hvd.h) */
            printf("%-15s: %" G_GINT64_FORMAT "\n", p->name, p->i);
    }
    printf("\n");
}

static int
run_schedinfo(ctl *c, int argc, char **argv)
{
    const char *domain = NULL;
    g_autoptr(GArray) sets = g_array_new(FALSE, TRUE, sizeof(hvd_param));
    for (int i = 1; i < argc; i++) {
        const char *value = NULL;
        if (strcmp(argv[i], "--set") == 0) {
            if (i + 1 >= argc)
                return ctl_fail(c, CTL_EXIT_USAGE, "schedinfo: --set needs NAME=VALUE");
            value = argv[++i];
        } else if (g_str_has_prefix(argv[i], "--set=")) {
            value = argv[i] + strlen("--set=");
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return ctl_fail(c, CTL_EXIT_USAGE, "schedinfo: unknown option '%s'", argv[i]);
        } else if (domain == NULL) {
            domain = argv[i];
            continue;
        } else {
            return ctl_fail(c, CTL_EXIT_USAGE, "schedinfo: unexpected argument '%s'", argv[i]);
        }
        hvd_param p;
        if (!parse_set(c, value, &p))
            return CTL_EXIT_USAGE;
        g_array_append_val(sets, p);
    }
    if (domain == NULL)
        return ctl_fail(c, CTL_EXIT_USAGE, "schedinfo: a DOMAIN is needed");
    const hvd_sched_table *t = c->drv->sched;
    if (t == NULL || t->get_type == NULL || t->get_params == NULL || (sets->len > 0 && t->set_params == NULL))
        return ctl_unsupported(c, "schedinfo");

    hvd_error err = HVD_ERROR_INIT;
    hvd_domain_info *info = NULL;
    int32_t rc = ctl_lookup_domain(c, domain, &info, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "schedinfo", rc, &err);
    g_autofree char *key = g_strdup(info->key);
    c->drv->free(info);
    if (sets->len > 0) {
        rc = t->set_params(c->conn, key, (const hvd_param *)(void *)sets->data, sets->len, 0, &err);
        if (rc != HVD_OK)
            return ctl_report(c, "schedinfo", rc, &err);
    }
    char *type = NULL;
    uint32_t n = 0;
    rc = t->get_type(c->conn, key, 0, &type, &n, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "schedinfo", rc, &err);
    hvd_param_list *list = NULL;
    rc = t->get_params(c->conn, key, 0, &list, &err);
    if (rc != HVD_OK) {
        c->drv->free(type);
        return ctl_report(c, "schedinfo", rc, &err);
    }
    print_params(c, type, list);
    c->drv->free(list);
    c->drv->free(type);
    return CTL_EXIT_OK;
}

const ctl_command ctl_sched_commands[] = {
    { "schedinfo", "DOMAIN [--set NAME=VALUE]...", "print (or change) a domain's CPU scheduler parameters",
      "The ESX scheduler is 'allocation': reservation (MHz, 0 or more), limit (MHz, -1 = unlimited,\n"
      "else at least the reservation) and shares (-1 low, -2 normal, -3 high, or a count of 0 or more).\n"
      "--set changes only the parameters given, in one reconfiguration, then prints all of them.\n",
      CTL_CONN_REQUIRED, run_schedinfo },
    { NULL, NULL, NULL, NULL, CTL_CONN_NONE, NULL },
};
