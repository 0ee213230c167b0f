/* The table-driven side of the VI types: lookup, typed structs from parsed
 * values, and request serialisation in WSDL element order. The tables come
 * from types.def through gen/gen-types.py. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vi/vi-private.h"

static int
cmp_type_name(const void *key, const void *elem)
{
    const vi_type *const *t = elem;
    return strcmp(key, (*t)->name);
}

static const vi_type *
table_lookup(const vi_type *const *table, gsize n, const char *name)
{
    if (!name)
        return NULL;
    const char *c = strrchr(name, ':');
    if (c)
        name = c + 1;
    const vi_type *const *hit = bsearch(name, table, n, sizeof(*table), cmp_type_name);
    return hit ? *hit : NULL;
}

const vi_type *
vi_type_lookup(const char *name)
{
    gsize n;
    const vi_type *const *table = vi_types_table(&n);
    return table_lookup(table, n, name);
}

const vi_type *
vi_method_lookup(const char *name)
{
    gsize n;
    const vi_type *const *table = vi_methods_table(&n);
    return table_lookup(table, n, name);
}

gboolean
vi_type_is_a(const vi_type *sub, const vi_type *type)
{
    for (; sub; sub = sub->base)
        if (sub == type)
            return TRUE;
    return FALSE;
}

const vi_field *
vi_type_field(const vi_type *type, const char *name)
{
    for (; type; type = type->base)
        for (guint i = 0; i < type->n_fields; i++)
            if (strcmp(type->fields[i].name, name) == 0)
                return &type->fields[i];
    return NULL;
}

/* --- responses -> structs ------------------------------------------------ */

#define FIELD_PTR(base, f, T) ((T *)((char *)(base) + (f)->offset))

static gboolean
parse_int64(const vi_value *v, const char *tname, gint64 *out, GError **error)
{
    const char *t = vi_value_text(v);
    char *end = NULL;
    errno = 0;
    gint64 n = t ? g_ascii_strtoll(t, &end, 10) : 0;
    if (!t || !*t || errno || *end) {
        g_set_error(error, VI_ERROR, VI_ERROR_PARSE, "%s element '%s' is not a number: '%s'", tname, vi_value_name(v),
                    t ? t : "(data object)");
        return FALSE;
    }
    *out = n;
    return TRUE;
}

static gboolean
fill_field(const vi_field *f, const vi_value *item, gpointer out, GError **error)
{
    switch (f->storage) {
    case VI_STORAGE_STRING: {
        char **p = FIELD_PTR(out, f, char *);
        g_free(*p);
        *p = g_strdup(vi_value_text(item) ? vi_value_text(item) : "");
        return TRUE;
    }
    case VI_STORAGE_INT32: {
        gint64 n;
        if (!parse_int64(item, "int", &n, error))
            return FALSE;
        if (n < G_MININT32 || n > G_MAXINT32) {
            g_set_error(error, VI_ERROR, VI_ERROR_PARSE, "Element '%s' out of range: %s", f->name, vi_value_text(item));
            return FALSE;
        }
        *FIELD_PTR(out, f, gint32) = (gint32)n;
        return TRUE;
    }
    case VI_STORAGE_INT64: return parse_int64(item, "long", FIELD_PTR(out, f, gint64), error);
    case VI_STORAGE_BOOL: {
        gboolean b;
        if (!vi_value_get_bool(item, NULL, &b)) {
            g_set_error(error, VI_ERROR, VI_ERROR_PARSE, "Element '%s' is not a boolean", f->name);
            return FALSE;
        }
        *FIELD_PTR(out, f, gboolean) = b;
        return TRUE;
    }
    case VI_STORAGE_DOUBLE:
        if (!vi_value_get_double(item, NULL, FIELD_PTR(out, f, double))) {
            g_set_error(error, VI_ERROR, VI_ERROR_PARSE, "Element '%s' is not a number", f->name);
            return FALSE;
        }
        return TRUE;
    case VI_STORAGE_MOREF: {
        vi_moref *m = FIELD_PTR(out, f, vi_moref);
        vi_moref_clear(m);
        m->type = g_strdup(vi_value_moref_type(item));
        m->value = g_strdup(vi_value_text(item) ? vi_value_text(item) : "");
        return TRUE;
    }
    case VI_STORAGE_STRUCT: {
        gpointer *p = FIELD_PTR(out, f, gpointer);
        vi_struct_free(f->type, *p);
        *p = vi_value_to_new_struct(item, f->type, error);
        return *p != NULL;
    }
    case VI_STORAGE_VALUE: {
        /* arrays kept generic collect every item under one node */
        vi_value **p = FIELD_PTR(out, f, vi_value *);
        if (f->flags & VI_FIELD_ARRAY) {
            if (!*p)
                *p = vi_value_new(f->name, NULL, NULL);
            vi_value_add(*p, vi_value_copy(item));
        } else {
            vi_value_free(*p);
            *p = vi_value_copy(item);
        }
        return TRUE;
    }
    case VI_STORAGE_STRING_ARRAY:
    case VI_STORAGE_MOREF_ARRAY:
    case VI_STORAGE_STRUCT_ARRAY: {
        GPtrArray **p = FIELD_PTR(out, f, GPtrArray *);
        if (f->storage == VI_STORAGE_STRUCT_ARRAY) {
            gpointer s = vi_value_to_new_struct(item, f->type, error);
            if (!s)
                return FALSE;
            if (!*p)
                *p = g_ptr_array_new();
            g_ptr_array_add(*p, s);
        } else if (f->storage == VI_STORAGE_STRING_ARRAY) {
            if (!*p)
                *p = g_ptr_array_new_with_free_func(g_free);
            g_ptr_array_add(*p, g_strdup(vi_value_text(item) ? vi_value_text(item) : ""));
        } else {
            if (!*p)
                *p = g_ptr_array_new_with_free_func((GDestroyNotify)vi_moref_free);
            g_ptr_array_add(*p, vi_moref_new(vi_value_moref_type(item), vi_value_text(item)));
        }
        return TRUE;
    }
    default: return TRUE;
    }
}

static gboolean
fill_children(const vi_value *v, const vi_type *type, gpointer out, GError **error)
{
    for (guint i = 0; i < vi_value_n_children(v); i++) {
        const vi_value *c = vi_value_child_at(v, i);
        const vi_field *f = NULL;
        for (guint j = 0; j < type->n_struct_fields && !f; j++)
            if (strcmp(type->struct_fields[j].name, vi_value_name(c)) == 0)
                f = &type->struct_fields[j];
        if (!f)
            continue; /* tolerant: newer servers send more */
        /* an array property value arrives as one ArrayOfX node */
        if ((f->flags & VI_FIELD_ARRAY) && vi_value_type(c) && g_str_has_prefix(vi_value_type(c), "ArrayOf")) {
            for (guint k = 0; k < vi_value_n_children(c); k++)
                if (!fill_field(f, vi_value_child_at(c, k), out, error))
                    return FALSE;
            continue;
        }
        if (!fill_field(f, c, out, error))
            return FALSE;
    }
    return TRUE;
}

gboolean
vi_value_to_struct(const vi_value *v, const vi_type *type, gpointer out, GError **error)
{
    g_return_val_if_fail(type != NULL && type->struct_size > 0 && out != NULL, FALSE);
    if (!v)
        return TRUE;
    if (!fill_children(v, type, out, error)) {
        vi_struct_clear(type, out);
        g_prefix_error(error, "%s: ", type->name);
        return FALSE;
    }
    return TRUE;
}

gpointer
vi_value_to_new_struct(const vi_value *v, const vi_type *type, GError **error)
{
    if (!v)
        return NULL;
    gpointer p = g_malloc0(type->struct_size);
    if (!vi_value_to_struct(v, type, p, error)) {
        g_free(p);
        return NULL;
    }
    return p;
}

void
vi_struct_clear(const vi_type *type, gpointer p)
{
    if (!p)
        return;
    for (guint i = 0; i < type->n_struct_fields; i++) {
        const vi_field *f = &type->struct_fields[i];
        switch (f->storage) {
        case VI_STORAGE_STRING: g_free(*FIELD_PTR(p, f, char *)); break;
        case VI_STORAGE_MOREF: vi_moref_clear(FIELD_PTR(p, f, vi_moref)); break;
        case VI_STORAGE_STRUCT: vi_struct_free(f->type, *FIELD_PTR(p, f, gpointer)); break;
        case VI_STORAGE_VALUE: vi_value_free(*FIELD_PTR(p, f, vi_value *)); break;
        case VI_STORAGE_STRUCT_ARRAY: {
            GPtrArray *a = *FIELD_PTR(p, f, GPtrArray *);
            for (guint k = 0; a && k < a->len; k++)
                vi_struct_free(f->type, a->pdata[k]);
            if (a)
                g_ptr_array_free(a, TRUE);
            break;
        }
        case VI_STORAGE_STRING_ARRAY:
        case VI_STORAGE_MOREF_ARRAY:
            if (*FIELD_PTR(p, f, GPtrArray *))
                g_ptr_array_free(*FIELD_PTR(p, f, GPtrArray *), TRUE);
            break;
        default: break;
        }
    }
    memset(p, 0, type->struct_size);
}

void
vi_struct_free(const vi_type *type, gpointer p)
{
    if (!p)
        return;
    vi_struct_clear(type, p);
    g_free(p);
}

/* --- requests: serialisation in WSDL order --------------------------------- */

static const char *const xsd_types[] = {
    "string", "int", "long", "short", "byte", "boolean", "double", "float", "dateTime", "base64Binary", "anyURI", NULL,
};

static void
append_xsi_type(GString *out, const char *t)
{
    g_string_append(out, " xsi:type=\"");
    if (!strchr(t, ':') && g_strv_contains(xsd_types, t))
        g_string_append(out, "xsd:");
    vi_xml_escape(out, t);
    g_string_append_c(out, '"');
}

static gboolean serialize_children(GString *out, const vi_value *v, const vi_type *type, const char *what, int depth,
                                   GError **error);

/* Element names are not escaped but emitted as they are: only XML names. */
static gboolean
valid_element_name(const char *n)
{
    if (!n || !(g_ascii_isalpha(*n) || *n == '_'))
        return FALSE;
    for (; *n; n++)
        if (!(g_ascii_isalnum(*n) || *n == '_' || *n == '-' || *n == '.'))
            return FALSE;
    return TRUE;
}

gboolean
vi_types_serialize(GString *out, const vi_value *v, const vi_field *declared, int depth, GError **error)
{
    if (depth > VI_MAX_DEPTH) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG, "Request value nested too deeply");
        return FALSE;
    }
    if (!valid_element_name(v->name)) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG, "Invalid element name '%s' in a request", v->name);
        return FALSE;
    }
    if (declared && declared->kind == VI_KIND_MOREF && !v->mo_type) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG,
                    "Element '%s' is a ManagedObjectReference: build it with vi_value_add_moref()", v->name);
        return FALSE;
    }
    const vi_type *type = NULL;
    if (v->type)
        type = vi_type_lookup(v->type);
    if (!type && declared && declared->kind == VI_KIND_OBJECT)
        type = declared->type;

    g_string_append_c(out, '<');
    g_string_append(out, v->name);
    if (v->mo_type) {
        g_string_append(out, " type=\"");
        vi_xml_escape(out, v->mo_type);
        g_string_append_c(out, '"');
    }
    /* xsi:type only where the schema needs it: an anyType slot, a subtype in
     * a slot of its base type, or a value we know nothing about */
    if (v->type) {
        gboolean need = TRUE;
        if (declared && declared->kind == VI_KIND_MOREF && v->mo_type)
            need = FALSE;
        else if (declared && declared->kind == VI_KIND_OBJECT && type == declared->type)
            need = FALSE;
        else if (declared && declared->kind != VI_KIND_ANY && declared->kind != VI_KIND_OBJECT && !v->n_children)
            need = FALSE;
        if (need)
            append_xsi_type(out, v->type);
    } else if (declared && declared->kind == VI_KIND_ANY && !v->n_children) {
        /* an untyped leaf in an anyType slot: servers need a type; text it is */
        append_xsi_type(out, "string");
    }
    if (v->n_children) {
        g_string_append_c(out, '>');
        if (!serialize_children(out, v, type, v->name, depth, error))
            return FALSE;
    } else if (v->text && *v->text) {
        g_string_append_c(out, '>');
        vi_xml_escape(out, v->text);
    } else {
        g_string_append(out, "/>");
        return TRUE;
    }
    g_string_append(out, "</");
    g_string_append(out, v->name);
    g_string_append_c(out, '>');
    return TRUE;
}

static gboolean
emit_field(GString *out, const vi_value *v, const vi_field *f, gboolean *used, int depth, GError **error)
{
    for (guint i = 0; i < v->n_children; i++) {
        if (used[i] || strcmp(v->children[i]->name, f->name) != 0)
            continue;
        used[i] = TRUE;
        if (!vi_types_serialize(out, v->children[i], f, depth + 1, error))
            return FALSE;
    }
    return TRUE;
}

static gboolean
emit_type_fields(GString *out, const vi_value *v, const vi_type *type, gboolean *used, int depth, GError **error)
{
    if (type->base && !emit_type_fields(out, v, type->base, used, depth, error))
        return FALSE;
    for (guint j = 0; j < type->n_fields; j++)
        if (!emit_field(out, v, &type->fields[j], used, depth, error))
            return FALSE;
    return TRUE;
}

static gboolean
serialize_children(GString *out, const vi_value *v, const vi_type *type, const char *what, int depth, GError **error)
{
    if (!type) {
        for (guint i = 0; i < v->n_children; i++)
            if (!vi_types_serialize(out, v->children[i], NULL, depth + 1, error))
                return FALSE;
        return TRUE;
    }
    g_autofree gboolean *used = g_new0(gboolean, v->n_children);
    if (!emit_type_fields(out, v, type, used, depth, error))
        return FALSE;
    for (guint i = 0; i < v->n_children; i++) {
        if (!used[i]) {
            g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG,
                        "'%s' (%s) has no element '%s' in the VI API; check the spelling", what, type->name,
                        v->children[i]->name);
            return FALSE;
        }
    }
    return TRUE;
}

gboolean
vi_types_serialize_params(GString *out, const char *method, const vi_value *args, GError **error)
{
    if (!args)
        return TRUE;
    return serialize_children(out, args, vi_method_lookup(method), method, 0, error);
}
