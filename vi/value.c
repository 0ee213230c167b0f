/* vi_value: the generic VI data tree (construction, access, copy, free). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vi/vi-private.h"

/* --- morefs -------------------------------------------------------------- */

vi_moref *
vi_moref_new(const char *type, const char *value)
{
    vi_moref *m = g_new0(vi_moref, 1);
    m->type = g_strdup(type);
    m->value = g_strdup(value);
    return m;
}

vi_moref *
vi_moref_copy(const vi_moref *m)
{
    return m ? vi_moref_new(m->type, m->value) : NULL;
}

void
vi_moref_clear(vi_moref *m)
{
    if (!m)
        return;
    g_clear_pointer(&m->type, g_free);
    g_clear_pointer(&m->value, g_free);
}

void
vi_moref_free(vi_moref *m)
{
    if (!m)
        return;
    vi_moref_clear(m);
    g_free(m);
}

gboolean
vi_moref_equal(const vi_moref *a, const vi_moref *b)
{
    if (!a || !b)
        return a == b;
    return g_strcmp0(a->type, b->type) == 0 && g_strcmp0(a->value, b->value) == 0;
}

/* --- nodes ------------------------------------------------------------------ */

/* One allocation holds the node and its name/type/mo_type strings: parsed
 * inventories have many small nodes, and this keeps them compact. */
vi_value *
vi_value_new_take_text(const char *name, const char *xsi_type, const char *mo_type, char *text)
{
    gsize ln = strlen(name) + 1;
    gsize lt = xsi_type ? strlen(xsi_type) + 1 : 0;
    gsize lm = mo_type ? strlen(mo_type) + 1 : 0;
    vi_value *v = g_malloc0(sizeof(vi_value) + ln + lt + lm);
    char *p = (char *)(v + 1);
    v->name = memcpy(p, name, ln);
    p += ln;
    if (xsi_type) {
        v->type = memcpy(p, xsi_type, lt);
        p += lt;
    }
    if (mo_type)
        v->mo_type = memcpy(p, mo_type, lm);
    v->text = text;
    return v;
}

void
vi_value_set_text(vi_value *v, char *text)
{
    g_free(v->text);
    v->text = text;
}

vi_value *
vi_value_new(const char *name, const char *xsi_type, const char *text)
{
    g_return_val_if_fail(name != NULL, NULL);
    return vi_value_new_take_text(name, xsi_type, NULL, g_strdup(text));
}

void
vi_value_free(vi_value *v)
{
    if (!v)
        return;
    for (guint i = 0; i < v->n_children; i++)
        vi_value_free(v->children[i]);
    g_free(v->children);
    g_free(v->text);
    g_free(v);
}

vi_value *
vi_value_copy(const vi_value *v)
{
    if (!v)
        return NULL;
    vi_value *c = vi_value_new_take_text(v->name, v->type, v->mo_type, g_strdup(v->text));
    if (v->n_children) {
        c->children = g_new(vi_value *, v->n_children);
        c->n_alloc = c->n_children = v->n_children;
        for (guint i = 0; i < v->n_children; i++)
            c->children[i] = vi_value_copy(v->children[i]);
    }
    return c;
}

vi_value *
vi_value_add(vi_value *parent, vi_value *child)
{
    g_return_val_if_fail(parent != NULL && child != NULL, NULL);
    if (parent->n_children == parent->n_alloc) {
        parent->n_alloc = parent->n_alloc ? parent->n_alloc * 2 : 4;
        parent->children = g_renew(vi_value *, parent->children, parent->n_alloc);
    }
    parent->children[parent->n_children++] = child;
    /* a node with children is a data object, not a leaf */
    g_clear_pointer(&parent->text, g_free);
    return child;
}

vi_value *
vi_value_steal_child(vi_value *parent, guint i)
{
    g_return_val_if_fail(parent != NULL && i < parent->n_children, NULL);
    vi_value *c = parent->children[i];
    memmove(parent->children + i, parent->children + i + 1, (parent->n_children - i - 1) * sizeof(vi_value *));
    parent->n_children--;
    return c;
}

vi_value *
vi_value_add_object(vi_value *parent, const char *name, const char *xsi_type)
{
    return vi_value_add(parent, vi_value_new(name, xsi_type, NULL));
}

vi_value *
vi_value_add_string(vi_value *parent, const char *name, const char *text)
{
    return vi_value_add(parent, vi_value_new(name, NULL, text ? text : ""));
}

vi_value *
vi_value_add_int(vi_value *parent, const char *name, gint64 n)
{
    return vi_value_add(parent, vi_value_new_take_text(name, NULL, NULL, g_strdup_printf("%" G_GINT64_FORMAT, n)));
}

vi_value *
vi_value_add_bool(vi_value *parent, const char *name, gboolean b)
{
    return vi_value_add(parent, vi_value_new(name, NULL, b ? "true" : "false"));
}

vi_value *
vi_value_add_double(vi_value *parent, const char *name, double d)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    return vi_value_add(parent, vi_value_new(name, NULL, g_ascii_dtostr(buf, sizeof buf, d)));
}

vi_value *
vi_value_add_moref(vi_value *parent, const char *name, const vi_moref *m)
{
    g_return_val_if_fail(m != NULL && m->type != NULL && m->value != NULL, NULL);
    return vi_value_add(parent, vi_value_new_take_text(name, "ManagedObjectReference", m->type, g_strdup(m->value)));
}

vi_value *
vi_value_add_typed(vi_value *parent, const char *name, const char *xsi_type, const char *text)
{
    return vi_value_add(parent, vi_value_new(name, xsi_type, text ? text : ""));
}

/* --- reading ---------------------------------------------------------------- */

const char *
vi_value_name(const vi_value *v)
{
    return v ? v->name : NULL;
}

const char *
vi_value_type(const vi_value *v)
{
    return v ? v->type : NULL;
}

const char *
vi_value_moref_type(const vi_value *v)
{
    return v ? v->mo_type : NULL;
}

const char *
vi_value_text(const vi_value *v)
{
    return v ? v->text : NULL;
}

guint
vi_value_n_children(const vi_value *v)
{
    return v ? v->n_children : 0;
}

const vi_value *
vi_value_child_at(const vi_value *v, guint i)
{
    return v && i < v->n_children ? v->children[i] : NULL;
}

static const vi_value *
child_n(const vi_value *v, const char *name, gsize len)
{
    if (!v)
        return NULL;
    for (guint i = 0; i < v->n_children; i++) {
        const char *n = v->children[i]->name;
        if (strncmp(n, name, len) == 0 && n[len] == '\0')
            return v->children[i];
    }
    return NULL;
}

const vi_value *
vi_value_child(const vi_value *v, const char *name)
{
    return name ? child_n(v, name, strlen(name)) : NULL;
}

const vi_value *
vi_value_lookup(const vi_value *v, const char *path)
{
    if (!path)
        return v;
    while (v && *path) {
        const char *dot = strchr(path, '.');
        gsize len = dot ? (gsize)(dot - path) : strlen(path);
        v = child_n(v, path, len);
        path += len;
        if (*path == '.')
            path++;
    }
    return v;
}

static gboolean
is_array_node(const vi_value *v)
{
    return v->type && g_str_has_prefix(v->type, "ArrayOf");
}

GPtrArray *
vi_value_lookup_all(const vi_value *v, const char *path)
{
    GPtrArray *cur = g_ptr_array_new();
    if (!v)
        return cur;
    g_ptr_array_add(cur, (gpointer)v);
    while (path && *path && cur->len) {
        const char *dot = strchr(path, '.');
        gsize len = dot ? (gsize)(dot - path) : strlen(path);
        GPtrArray *next = g_ptr_array_new();
        for (guint i = 0; i < cur->len; i++) {
            const vi_value *p = cur->pdata[i];
            /* step through an ArrayOf wrapper met mid-path */
            if (is_array_node(p)) {
                for (guint j = 0; j < p->n_children; j++) {
                    const vi_value *item = p->children[j];
                    for (guint k = 0; k < item->n_children; k++) {
                        const char *n = item->children[k]->name;
                        if (strncmp(n, path, len) == 0 && n[len] == '\0')
                            g_ptr_array_add(next, item->children[k]);
                    }
                }
                continue;
            }
            for (guint k = 0; k < p->n_children; k++) {
                const char *n = p->children[k]->name;
                if (strncmp(n, path, len) == 0 && n[len] == '\0')
                    g_ptr_array_add(next, p->children[k]);
            }
        }
        g_ptr_array_free(cur, TRUE);
        cur = next;
        path += len;
        if (*path == '.')
            path++;
    }
    if (cur->len == 1 && is_array_node(cur->pdata[0])) {
        const vi_value *arr = cur->pdata[0];
        g_ptr_array_set_size(cur, 0);
        for (guint j = 0; j < arr->n_children; j++)
            g_ptr_array_add(cur, arr->children[j]);
    }
    return cur;
}

const char *
vi_value_get_string(const vi_value *v, const char *path)
{
    return vi_value_text(vi_value_lookup(v, path));
}

gboolean
vi_value_get_int64(const vi_value *v, const char *path, gint64 *out)
{
    const char *t = vi_value_get_string(v, path);
    if (!t || !*t)
        return FALSE;
    char *end = NULL;
    errno = 0;
    gint64 n = g_ascii_strtoll(t, &end, 10);
    if (errno || !end || *end)
        return FALSE;
    *out = n;
    return TRUE;
}

gboolean
vi_value_get_bool(const vi_value *v, const char *path, gboolean *out)
{
    const char *t = vi_value_get_string(v, path);
    if (!t)
        return FALSE;
    if (strcmp(t, "true") == 0 || strcmp(t, "1") == 0)
        *out = TRUE;
    else if (strcmp(t, "false") == 0 || strcmp(t, "0") == 0)
        *out = FALSE;
    else
        return FALSE;
    return TRUE;
}

gboolean
vi_value_get_double(const vi_value *v, const char *path, double *out)
{
    const char *t = vi_value_get_string(v, path);
    if (!t || !*t)
        return FALSE;
    char *end = NULL;
    errno = 0;
    double d = g_ascii_strtod(t, &end);
    if (errno || !end || *end)
        return FALSE;
    *out = d;
    return TRUE;
}

gboolean
vi_value_get_moref(const vi_value *v, const char *path, vi_moref *out)
{
    const vi_value *n = vi_value_lookup(v, path);
    if (!n || !n->text || !n->mo_type)
        return FALSE;
    out->type = n->mo_type;
    out->value = n->text;
    return TRUE;
}
