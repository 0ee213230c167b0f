/* domain-lookup.c — resolving a DOMAIN argument as virsh does: an id, then
 * a UUID, then a name; then the driver's key. Commands that need only the
 * domain's key ask the name lookup for a brief entry (HVD_LIST_BRIEF). */
#include "hvdctl.h"

#include <string.h>

#define DOMAIN_CALL(c, member)                                                                 \
    ((c)->drv->domain != NULL && HVD_HAS_MEMBER((c)->drv->domain, hvd_domain_table, member) && \
     (c)->drv->domain->member != NULL)

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

/* By name, brief when asked. A 1.0 driver refuses HVD_LIST_BRIEF with
 * HVD_ERR_BAD_FLAGS (its flags are 1.0's): asked once more without it, a
 * full entry serves as well. */
static int32_t
by_name(ctl *c, const char *arg, gboolean brief, hvd_domain_info **info_out, hvd_error *err)
{
    const hvd_domain_table *t = c->drv->domain;
    if (brief) {
        int32_t rc = t->lookup_by_name(c->conn, arg, HVD_LIST_BRIEF, info_out, err);
        if (rc != HVD_ERR_BAD_FLAGS)
            return rc;
        *err = (hvd_error)HVD_ERROR_INIT;
    }
    return t->lookup_by_name(c->conn, arg, 0, info_out, err);
}

/* Each step that finds nothing (HVD_ERR_NO_DOMAIN) passes to the next; any
 * other failure is the answer. */
static int32_t
lookup(ctl *c, const char *arg, gboolean brief, hvd_domain_info **info_out, hvd_error *err)
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
        rc = by_name(c, arg, brief, info_out, err);
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

int32_t
ctl_lookup_domain(ctl *c, const char *arg, hvd_domain_info **info_out, hvd_error *err)
{
    return lookup(c, arg, FALSE, info_out, err);
}

int32_t
ctl_lookup_domain_brief(ctl *c, const char *arg, hvd_domain_info **info_out, hvd_error *err)
{
    return lookup(c, arg, TRUE, info_out, err);
}
