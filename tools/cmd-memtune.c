/* cmd-memtune.c — hvdctl memtune, shaped like virsh's: a domain's memory
 * parameters (ABI 1.1: hvd_sched_table.get/set_memory_params), after
 * changing the ones given. --min-guarantee and --hard-limit take KiB (-1
 * or "unlimited" for no limit) as virsh's do; --shares is ESX's memory
 * shares; --soft-limit and --swap-hard-limit are passed on so that the
 * driver says why it has none. A driver of ABI 1.0 has no such members:
 * hvdctl says so instead of calling past the table's end. */
#include "hvdctl.h"

#include <stdio.h>
#include <string.h>

/* virsh's option, the parameter it sets, and whether -1 means unlimited */
static const struct {
    const char *option;
    const char *param;
    gboolean limit;
} memtune_options[] = {
    { "--min-guarantee", HVD_MEM_PARAM_MIN_GUARANTEE, FALSE },
    { "--hard-limit", HVD_MEM_PARAM_HARD_LIMIT, TRUE },
    { "--shares", HVD_MEM_PARAM_SHARES, FALSE },
    { "--soft-limit", "soft_limit", TRUE },
    { "--swap-hard-limit", "swap_hard_limit", TRUE },
};

/* VALUE of option K into P; FALSE (after printing why) when malformed. */
static gboolean
parse_value(ctl *c, guint k, const char *value, hvd_param *p)
{
    memset(p, 0, sizeof(*p));
    p->struct_size = sizeof(*p);
    p->type = HVD_PARAM_INT64;
    g_strlcpy(p->name, memtune_options[k].param, sizeof(p->name));
    if (memtune_options[k].limit && g_ascii_strcasecmp(value, "unlimited") == 0) {
        p->i = -1;
        return TRUE;
    }
    gint64 v = 0;
    if (!g_ascii_string_to_signed(value, 10, G_MININT64, G_MAXINT64, &v, NULL)) {
        ctl_fail(c, CTL_EXIT_USAGE, "memtune: %s '%s' is not an integer%s", memtune_options[k].option, value,
                 memtune_options[k].limit ? " (KiB, or -1 / 'unlimited')" : "");
        return FALSE;
    }
    p->i = v;
    return TRUE;
}

static void
print_memtune(ctl *c, const hvd_param_list *list)
{
    json_object *o = c->json ? json_object_new_object() : NULL;
    for (uint32_t i = 0; i < list->count; i++) {
        const hvd_param *p = HVD_LIST_AT(hvd_param, list->entries, list->entry_size, i);
        if (p->type != HVD_PARAM_INT64) /* a type this hvdctl does not know is skipped (hvd.h) */
            continue;
        if (o != NULL)
            json_object_object_add(o, p->name, json_object_new_int64(p->i));
        else if (p->i == -1 && strcmp(p->name, HVD_MEM_PARAM_HARD_LIMIT) == 0)
            printf("%-15s: unlimited\n", p->name);
        else
            printf("%-15s: %" G_GINT64_FORMAT "\n", p->name, p->i);
    }
    if (o != NULL)
        ctl_print_json(o);
}

/* The option at argv[*i] (--opt VALUE or --opt=VALUE) appended to SETS. */
static int
parse_option(ctl *c, int argc, char **argv, int *i, GArray *sets)
{
    for (guint k = 0; k < G_N_ELEMENTS(memtune_options); k++) {
        const char *opt = memtune_options[k].option;
        gsize len = strlen(opt);
        const char *value;
        if (strcmp(argv[*i], opt) == 0) {
            if (*i + 1 >= argc)
                return ctl_fail(c, CTL_EXIT_USAGE, "memtune: %s needs a value", opt);
            value = argv[++*i];
        } else if (strncmp(argv[*i], opt, len) == 0 && argv[*i][len] == '=') {
            value = argv[*i] + len + 1;
        } else {
            continue;
        }
        hvd_param p;
        if (!parse_value(c, k, value, &p))
            return CTL_EXIT_USAGE;
        g_array_append_val(sets, p);
        return CTL_EXIT_OK;
    }
    return ctl_fail(c, CTL_EXIT_USAGE, "memtune: unknown option '%s'", argv[*i]);
}

static int
run_memtune(ctl *c, int argc, char **argv)
{
    const char *domain = NULL;
    g_autoptr(GArray) sets = g_array_new(FALSE, TRUE, sizeof(hvd_param));
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            int rc = parse_option(c, argc, argv, &i, sets);
            if (rc != CTL_EXIT_OK)
                return rc;
        } else if (domain == NULL) {
            domain = argv[i];
        } else {
            return ctl_fail(c, CTL_EXIT_USAGE, "memtune: unexpected argument '%s'", argv[i]);
        }
    }
    if (domain == NULL)
        return ctl_fail(c, CTL_EXIT_USAGE, "memtune: a DOMAIN is needed");
    /* members appended in 1.1: the negotiated minor and the table's size
     * must both hold them (hvd.h, "Unsupported") */
    const hvd_sched_table *t = c->drv->sched;
    if (t == NULL)
        return ctl_unsupported(c, "memtune");
    if (c->loaded->minor < 1 || !HVD_HAS_MEMBER(t, hvd_sched_table, set_memory_params)) {
        hvd_error err = HVD_ERROR_INIT;
        g_snprintf(err.message, sizeof(err.message),
                   "memtune is not supported by driver '%s' (ABI %u.%u): memory parameters came with ABI 1.1; "
                   "install a newer driver",
                   c->drv->name ? c->drv->name : "?", HVD_ABI_MAJOR, c->loaded->minor);
        return ctl_report(c, "memtune", HVD_ERR_NO_SUPPORT, &err);
    }
    if (t->get_memory_params == NULL || (sets->len > 0 && t->set_memory_params == NULL))
        return ctl_unsupported(c, "memtune");

    hvd_error err = HVD_ERROR_INIT;
    hvd_domain_info *info = NULL;
    int32_t rc = ctl_lookup_domain(c, domain, &info, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "memtune", rc, &err);
    g_autofree char *key = g_strdup(info->key);
    c->drv->free(info);
    if (sets->len > 0) {
        rc = t->set_memory_params(c->conn, key, (const hvd_param *)(void *)sets->data, sets->len, 0, &err);
        if (rc != HVD_OK)
            return ctl_report(c, "memtune", rc, &err);
        return CTL_EXIT_OK; /* virsh prints nothing after a change */
    }
    hvd_param_list *list = NULL;
    rc = t->get_memory_params(c->conn, key, 0, &list, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "memtune", rc, &err);
    print_memtune(c, list);
    c->drv->free(list);
    return CTL_EXIT_OK;
}

const ctl_command ctl_memtune_commands[] = {
    { "memtune", "DOMAIN [--min-guarantee KiB] [--hard-limit KiB] [--shares N]",
      "print (or change) a domain's memory parameters",
      "min_guarantee is the memory reservation (KiB, 0 or more), hard_limit the limit (KiB, -1 or\n"
      "'unlimited', else at least min_guarantee), shares -1 low, -2 normal, -3 high, or a count of 0 or more.\n"
      "ESX counts reservation and limit in MiB: KiB are rounded up. Options change only the parameters given,\n"
      "in one reconfiguration, and print nothing; without options the current values are printed.\n"
      "ESX has no soft_limit or swap_hard_limit: --soft-limit and --swap-hard-limit fail. Needs a driver of\n"
      "ABI 1.1 or later.\n",
      CTL_CONN_REQUIRED, run_memtune },
    { NULL, NULL, NULL, NULL, CTL_CONN_NONE, NULL },
};
