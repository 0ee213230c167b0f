/* The VI_ERROR domain: an extended GError carrying fault name, method and
 * the server's own message. */
#include <string.h>

#include "vi/vi-private.h"

typedef struct {
    char *fault_name;
    char *method;
    char *fault_message;
    vi_value *detail;
} ViErrorPrivate;

static void
vi_error_private_init(ViErrorPrivate *p)
{
    p->fault_name = NULL;
    p->method = NULL;
    p->fault_message = NULL;
    p->detail = NULL;
}

static void
vi_error_private_copy(const ViErrorPrivate *src, ViErrorPrivate *dst)
{
    dst->fault_name = g_strdup(src->fault_name);
    dst->method = g_strdup(src->method);
    dst->fault_message = g_strdup(src->fault_message);
    dst->detail = vi_value_copy(src->detail);
}

static void
vi_error_private_clear(ViErrorPrivate *p)
{
    g_clear_pointer(&p->fault_name, g_free);
    g_clear_pointer(&p->method, g_free);
    g_clear_pointer(&p->fault_message, g_free);
    g_clear_pointer(&p->detail, vi_value_free);
}

G_DEFINE_EXTENDED_ERROR(ViError, vi_error)

void
vi_set_error_full(GError **error, int code, const char *method, const char *fault_name, const char *fault_message,
                  const char *format, ...)
{
    if (!error)
        return;
    va_list ap;
    va_start(ap, format);
    g_autofree char *msg = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_autofree char *shown = vi_escape_text(msg);
    GError *e = g_error_new_literal(VI_ERROR, code, shown);
    ViErrorPrivate *p = vi_error_get_private(e);
    p->method = g_strdup(method);
    p->fault_name = g_strdup(fault_name);
    p->fault_message = g_strdup(fault_message);
    g_propagate_error(error, e);
}

void
vi_error_set_detail(GError *error, const vi_value *detail)
{
    if (!error || error->domain != VI_ERROR || !detail)
        return;
    ViErrorPrivate *p = vi_error_get_private(error);
    vi_value_free(p->detail);
    p->detail = vi_value_copy(detail);
}

const vi_value *
vi_error_fault_detail(const GError *error)
{
    if (!error || error->domain != VI_ERROR)
        return NULL;
    return vi_error_get_private(error)->detail;
}

const char *
vi_error_fault_name(const GError *error)
{
    if (!error || error->domain != VI_ERROR)
        return NULL;
    return vi_error_get_private(error)->fault_name;
}

const char *
vi_error_method(const GError *error)
{
    if (!error || error->domain != VI_ERROR)
        return NULL;
    return vi_error_get_private(error)->method;
}

const char *
vi_error_fault_message(const GError *error)
{
    if (!error || error->domain != VI_ERROR)
        return NULL;
    return vi_error_get_private(error)->fault_message;
}

gboolean
vi_error_is_fault(const GError *error, const char *name)
{
    const char *f = vi_error_fault_name(error);
    return f && name && strcmp(f, name) == 0;
}
