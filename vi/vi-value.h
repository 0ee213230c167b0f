/* vi_value: a generic tree of VI data, as parsed from a SOAP response or
 * built for a request.
 *
 * A node has an element name, an optional xsi:type (prefix stripped when
 * parsed, e.g. "ArrayOfString", "VirtualDisk"), for a ManagedObjectReference
 * the object type (the `type` attribute), and either text (a leaf) or
 * children (a data object). Arrays appear either as repeated elements with
 * the same name (inside data objects) or as one node of xsi:type "ArrayOf..."
 * whose children are the items (property values); vi_value_lookup_all()
 * hides the difference.
 *
 * Threading: a tree is not locked; read-only use from several threads is safe. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A managed object reference: the object's type ("VirtualMachine") and its
 * id ("vm-42"). In structs vi/ returns, both strings are owned by the struct. */
typedef struct {
    char *type;
    char *value;
} vi_moref;

vi_moref *vi_moref_new(const char *type, const char *value);
vi_moref *vi_moref_copy(const vi_moref *m); /* NULL-safe */
void vi_moref_clear(vi_moref *m);           /* frees the strings, keeps M */
void vi_moref_free(vi_moref *m);            /* NULL-safe */
gboolean vi_moref_equal(const vi_moref *a, const vi_moref *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vi_moref, vi_moref_free)

typedef struct vi_value vi_value;

void vi_value_free(vi_value *v);            /* NULL-safe, frees the subtree */
vi_value *vi_value_copy(const vi_value *v); /* deep copy; NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vi_value, vi_value_free)

/* --- reading ------------------------------------------------------------ */

const char *vi_value_name(const vi_value *v);
/* xsi:type without its prefix, or NULL when the element had none. */
const char *vi_value_type(const vi_value *v);
/* For a ManagedObjectReference node: the object type; else NULL. */
const char *vi_value_moref_type(const vi_value *v);
/* Text of a leaf ("" for an empty element), NULL for a node with children. */
const char *vi_value_text(const vi_value *v);
guint vi_value_n_children(const vi_value *v);
const vi_value *vi_value_child_at(const vi_value *v, guint i);
/* First child named NAME, or NULL. */
const vi_value *vi_value_child(const vi_value *v, const char *name);

/* Follows a dotted PATH ("summary.hardware.cpuModel") from V through the
 * first child of each name; "" or NULL returns V. NULL when absent. */
const vi_value *vi_value_lookup(const vi_value *v, const char *path);

/* Every node reached by PATH, fanning out over repeated elements, and
 * expanding a final "ArrayOf..." node into its items. Never NULL; the array
 * holds borrowed pointers (free only the array). */
GPtrArray *vi_value_lookup_all(const vi_value *v, const char *path);

/* Typed leaf access at PATH (relative to V). FALSE when absent, not a leaf or
 * not parseable; *OUT untouched then. */
const char *vi_value_get_string(const vi_value *v, const char *path);
gboolean vi_value_get_int64(const vi_value *v, const char *path, gint64 *out);
gboolean vi_value_get_bool(const vi_value *v, const char *path, gboolean *out);
gboolean vi_value_get_double(const vi_value *v, const char *path, double *out);
/* Fills OUT with BORROWED pointers into V (valid while V lives); use
 * vi_moref_copy() to keep it. */
gboolean vi_value_get_moref(const vi_value *v, const char *path, vi_moref *out);

/* Serialises V (and its subtree) as XML text, for debugging and tests. */
char *vi_value_to_string(const vi_value *v);

/* --- building (requests) ------------------------------------------------ */

/* A new node. XSI_TYPE may be NULL; TEXT NULL makes a data object (children
 * to be added), non-NULL a leaf. */
vi_value *vi_value_new(const char *name, const char *xsi_type, const char *text);
/* Appends CHILD (ownership taken) to PARENT; returns CHILD. */
vi_value *vi_value_add(vi_value *parent, vi_value *child);
/* Convenience builders; each returns the new child (owned by PARENT). */
vi_value *vi_value_add_object(vi_value *parent, const char *name, const char *xsi_type);
vi_value *vi_value_add_string(vi_value *parent, const char *name, const char *text);
vi_value *vi_value_add_int(vi_value *parent, const char *name, gint64 n);
vi_value *vi_value_add_bool(vi_value *parent, const char *name, gboolean b);
vi_value *vi_value_add_double(vi_value *parent, const char *name, double d);
vi_value *vi_value_add_moref(vi_value *parent, const char *name, const vi_moref *m);
/* A leaf with an explicit xsi:type, for anyType slots (e.g. OptionValue.value
 * with "xsd:string"). */
vi_value *vi_value_add_typed(vi_value *parent, const char *name, const char *xsi_type, const char *text);
/* Removes and returns child I (ownership to the caller). */
vi_value *vi_value_steal_child(vi_value *parent, guint i);

G_END_DECLS
