/* Typed VI objects, declared once as data.
 *
 * vi/types.def lists the VI data types and methods vi/ knows, in WSDL element
 * order; vi/gen/gen-types.py turns it into tables (vi_type) and, for types
 * marked `struct`, into C structs `vi_NAME` with fields named as in the WSDL.
 * The tables drive both directions:
 *   - requests: vi_call() emits a method's parameters and every data object's
 *     children in WSDL order whatever order the caller built them in;
 *   - responses: vi_value_to_struct() fills a generated struct from a parsed
 *     vi_value, skipping unknown elements.
 *
 * Struct field mapping: string/dateTime -> char *, int/short/byte -> gint32,
 * long -> gint64, boolean -> gboolean, double/float -> double, moref ->
 * vi_moref (embedded; .value NULL when absent), a `struct` type -> pointer to
 * its struct (NULL when absent), anything else (other data objects,
 * polymorphic values, arrays of numbers) -> vi_value * (a copy of the
 * subtree, NULL when absent). Arrays of strings, morefs and structs ->
 * GPtrArray * of char * / vi_moref * / vi_NAME * (NULL when absent).
 * Absent numbers and booleans are 0. */
#pragma once

#include <glib.h>
#include <stddef.h>

#include "vi/vi-value.h"

G_BEGIN_DECLS

typedef enum {
    VI_KIND_STRING, /* string, dateTime, base64Binary, enums */
    VI_KIND_INT,    /* int, short, byte */
    VI_KIND_LONG,
    VI_KIND_BOOL,
    VI_KIND_DOUBLE,
    VI_KIND_MOREF,
    VI_KIND_ANY,    /* xsd:anyType: needs an xsi:type on the wire */
    VI_KIND_OBJECT, /* a data object of type vi_field.type */
} vi_kind;

/* How a struct field stores its value (see the mapping above). */
typedef enum {
    VI_STORAGE_NONE,
    VI_STORAGE_STRING,
    VI_STORAGE_INT32,
    VI_STORAGE_INT64,
    VI_STORAGE_BOOL,
    VI_STORAGE_DOUBLE,
    VI_STORAGE_MOREF,
    VI_STORAGE_STRUCT,
    VI_STORAGE_VALUE,
    VI_STORAGE_STRING_ARRAY,
    VI_STORAGE_MOREF_ARRAY,
    VI_STORAGE_STRUCT_ARRAY,
} vi_storage;

enum {
    VI_FIELD_OPTIONAL = 1 << 0,
    VI_FIELD_ARRAY = 1 << 1,
};

typedef struct vi_type vi_type;

typedef struct {
    const char *name; /* element name */
    vi_kind kind;
    const vi_type *type; /* VI_KIND_OBJECT: the declared type */
    unsigned flags;      /* VI_FIELD_* */
    /* struct types only: where the field lives, and how it is stored */
    gssize offset; /* -1 when the type has no C struct */
    int storage;   /* vi_storage */
} vi_field;

struct vi_type {
    const char *name;       /* "VirtualMachineConfigSpec" */
    const vi_type *base;    /* parent type, or NULL */
    const vi_field *fields; /* own fields, WSDL order (base fields come first on the wire) */
    guint n_fields;
    gsize struct_size;             /* 0 when there is no C struct */
    const vi_field *struct_fields; /* struct types: all fields, bases first, with offsets */
    guint n_struct_fields;
};

/* The type named NAME ("VirtualDisk"), or NULL. Prefixes like "vim25:" are ignored. */
const vi_type *vi_type_lookup(const char *name);
/* The parameter list of method NAME as a pseudo-type (fields after _this), or NULL. */
const vi_type *vi_method_lookup(const char *name);
/* Whether SUB is TYPE or derives from it. */
gboolean vi_type_is_a(const vi_type *sub, const vi_type *type);
/* The field NAME of TYPE or of its bases, or NULL. */
const vi_field *vi_type_field(const vi_type *type, const char *name);

/* Fills the struct OUT (of TYPE, zeroed by the caller) from V. Elements the
 * table does not know are skipped. FALSE with VI_ERROR_PARSE when a number or
 * boolean does not parse; OUT is then cleared. NULL V leaves OUT zeroed. */
gboolean vi_value_to_struct(const vi_value *v, const vi_type *type, gpointer out, GError **error);
/* A new struct of TYPE from V (NULL V gives NULL without error); free with
 * vi_struct_free(). */
gpointer vi_value_to_new_struct(const vi_value *v, const vi_type *type, GError **error);
/* Frees what the struct's fields own (not P itself) and zeroes it. */
void vi_struct_clear(const vi_type *type, gpointer p);
void vi_struct_free(const vi_type *type, gpointer p); /* NULL-safe */

G_END_DECLS

#include "vi/vi-types-gen.h"
