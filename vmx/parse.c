/*
 * parse.c: lossless VMX files. Every line is kept with its original bytes so
 * that an unchanged file formats back byte for byte; only entries that were
 * set are regenerated.
 */
#include "vmx/vmx.h"

#include <string.h>

G_DEFINE_QUARK(vmx - error - quark, vmx_error)

typedef struct {
    char *raw; /* original bytes incl. line terminator; NULL once changed */
    char *key; /* NULL for comments and blank lines */
    char *value;
} vmx_line;

struct vmx_file {
    GPtrArray *lines;   /* vmx_line*, in file order */
    GPtrArray *entries; /* vmx_line* with a key, in file order (borrowed) */
    GHashTable *index;  /* folded key -> first vmx_line* with that key */
    char *encoding;     /* original encoding, "UTF-8" when none */
    const char *eol;    /* terminator for regenerated lines */
};

/* keys are case-insensitive: hash and compare them folded, without
 * allocating a folded copy on every lookup */
static guint
key_hash(gconstpointer key)
{
    guint h = 5381;

    for (const char *p = key; *p; p++)
        h = h * 33 + (guint)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    return h;
}

static gboolean
key_equal(gconstpointer a, gconstpointer b)
{
    return g_ascii_strcasecmp(a, b) == 0;
}

static void
line_free(gpointer p)
{
    vmx_line *line = p;

    g_free(line->raw);
    g_free(line->key);
    g_free(line->value);
    g_free(line);
}

vmx_file *
vmx_file_new(void)
{
    vmx_file *file = g_new0(vmx_file, 1);

    file->lines = g_ptr_array_new_with_free_func(line_free);
    file->entries = g_ptr_array_new();
    file->index = g_hash_table_new_full(key_hash, key_equal, g_free, NULL);
    file->encoding = g_strdup("UTF-8");
    file->eol = "\n";
    return file;
}

void
vmx_file_free(vmx_file *file)
{
    if (!file)
        return;
    g_ptr_array_unref(file->entries);
    g_ptr_array_unref(file->lines);
    g_hash_table_unref(file->index);
    g_free(file->encoding);
    g_free(file);
}

static void
add_line(vmx_file *file, vmx_line *line)
{
    g_ptr_array_add(file->lines, line);
    if (line->key) {
        g_ptr_array_add(file->entries, line);
        if (!g_hash_table_contains(file->index, line->key))
            g_hash_table_insert(file->index, g_strdup(line->key), line);
    }
}

static gboolean
is_key_char(char c)
{
    return c != '\0' && c != '=' && c != '"' && c != '#' && !g_ascii_isspace(c);
}

/* Parses one line (without its terminator) into @line. */
static gboolean
parse_line(const char *p, const char *end, unsigned lineno, vmx_line *line, GError **error)
{
    const char *key, *value;

    while (p < end && g_ascii_isspace(*p))
        p++;
    if (p == end || *p == '#')
        return TRUE;

    key = p;
    while (p < end && is_key_char(*p))
        p++;
    if (p == key) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_SYNTAX, "line %u: expected a key at the start of the line, found '%c'",
                    lineno, *p);
        return FALSE;
    }
    line->key = g_strndup(key, p - key);
    while (p < end && g_ascii_isspace(*p))
        p++;
    if (p == end || *p != '=') {
        g_set_error(error, VMX_ERROR, VMX_ERROR_SYNTAX, "line %u: expected '=' after key '%s'", lineno, line->key);
        return FALSE;
    }
    p++;
    while (p < end && g_ascii_isspace(*p))
        p++;
    if (p < end && *p == '"') {
        value = ++p;
        while (p < end && *p != '"')
            p++;
        if (p == end) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_SYNTAX, "line %u: value of '%s' has no closing '\"'", lineno,
                        line->key);
            return FALSE;
        }
        line->value = g_strndup(value, p - value);
        p++;
    } else {
        /* Unquoted values are rare but VMware accepts them. */
        value = p;
        while (p < end && !g_ascii_isspace(*p) && *p != '#' && *p != '"')
            p++;
        line->value = g_strndup(value, p - value);
    }
    while (p < end && g_ascii_isspace(*p))
        p++;
    if (p < end && *p != '#') {
        g_set_error(error, VMX_ERROR, VMX_ERROR_SYNTAX, "line %u: unexpected text after the value of '%s'", lineno,
                    line->key);
        return FALSE;
    }
    return TRUE;
}

static vmx_line *lookup(const vmx_file *file, const char *key);

static vmx_file *
parse_text(const char *text, gsize len, GError **error)
{
    g_autoptr(vmx_file) file = vmx_file_new();
    const char *p = text, *end = text + len;
    unsigned lineno = 0;

    while (p < end) {
        const char *nl = memchr(p, '\n', end - p);
        const char *line_end = nl ? nl + 1 : end;
        const char *content_end = nl ? nl : end;
        vmx_line *line = g_new0(vmx_line, 1);

        lineno++;
        if (content_end > p && content_end[-1] == '\r')
            content_end--;
        if (lineno == 1 && nl && content_end != nl)
            file->eol = "\r\n";
        line->raw = g_strndup(p, line_end - p);
        if (memchr(p, '\0', line_end - p)) {
            line_free(line);
            g_set_error(error, VMX_ERROR, VMX_ERROR_SYNTAX, "line %u: contains a NUL byte; this is not a text file",
                        lineno);
            return NULL;
        }
        /* a UTF-8 byte order mark stays in the raw text, not in the key */
        if (lineno == 1 && content_end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
            if (!parse_line(p + 3, content_end, lineno, line, error)) {
                line_free(line);
                return NULL;
            }
        } else if (!parse_line(p, content_end, lineno, line, error)) {
            line_free(line);
            return NULL;
        }
        if (line->key && lookup(file, line->key)) {
            /* VMware and libvirt disagree on which copy counts (libvirt
             * reads the first); a file with two is refused, not guessed */
            g_set_error(error, VMX_ERROR, VMX_ERROR_SYNTAX,
                        "line %u: key '%s' is given a second time (keys are case-insensitive); remove one", lineno,
                        line->key);
            line_free(line);
            return NULL;
        }
        add_line(file, line);
        p = line_end;
    }
    return g_steal_pointer(&file);
}

static gboolean
is_utf8_name(const char *encoding)
{
    return g_ascii_strcasecmp(encoding, "UTF-8") == 0 || g_ascii_strcasecmp(encoding, "UTF8") == 0;
}

vmx_file *
vmx_file_parse(const char *text, gsize len, GError **error)
{
    g_autoptr(vmx_file) file = NULL;
    const char *encoding;
    const char *bad;

    g_return_val_if_fail(text != NULL || len == 0, NULL);
    file = parse_text(text ? text : "", len, error);
    if (!file)
        return NULL;
    encoding = vmx_file_get(file, ".encoding");
    if (encoding && !is_utf8_name(encoding)) {
        g_autoptr(GError) conv_error = NULL;
        g_autofree char *utf8 = NULL;
        g_autofree char *name = g_strdup(encoding);
        gsize utf8_len = 0;

        utf8 = g_convert(text, len, "UTF-8", name, NULL, &utf8_len, &conv_error);
        if (!utf8) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_ENCODING,
                        "cannot convert the VMX file from its .encoding '%s' to UTF-8: %s", name, conv_error->message);
            return NULL;
        }
        vmx_file_free(file);
        file = parse_text(utf8, utf8_len, error);
        if (!file)
            return NULL;
        g_free(file->encoding);
        file->encoding = g_steal_pointer(&name);
        return g_steal_pointer(&file);
    }
    if (!g_utf8_validate(text, len, &bad)) {
        unsigned lineno = 1;

        for (const char *q = text; q < bad; q++)
            lineno += *q == '\n';
        g_set_error(error, VMX_ERROR, VMX_ERROR_ENCODING,
                    "line %u: not valid UTF-8; a file in another encoding needs a "
                    ".encoding entry (e.g. .encoding = \"windows-1252\")",
                    lineno);
        return NULL;
    }
    return g_steal_pointer(&file);
}

static vmx_line *
lookup(const vmx_file *file, const char *key)
{
    return g_hash_table_lookup(file->index, key);
}

const char *
vmx_file_get(const vmx_file *file, const char *key)
{
    vmx_line *line = lookup(file, key);

    return line ? line->value : NULL;
}

/* VMX values have no quoting: keep them on one line and free of '"'. */
static char *
sanitize_value(const char *value)
{
    GString *out;

    if (!strpbrk(value, "\"\r\n"))
        return g_strdup(value);
    out = g_string_new(NULL);
    for (const char *p = value; *p; p++) {
        if (*p == '"' || *p == '\r' || *p == '\n')
            g_string_append_printf(out, "|%02x", (unsigned char)*p);
        else
            g_string_append_c(out, *p);
    }
    return g_string_free(out, FALSE);
}

void
vmx_file_set(vmx_file *file, const char *key, const char *value)
{
    vmx_line *line = lookup(file, key);

    g_return_if_fail(key && *key && value);
    if (g_ascii_strcasecmp(key, ".encoding") == 0) {
        /* the file is written in the encoding it declares */
        g_free(file->encoding);
        file->encoding = g_strdup(value);
    }
    if (line) {
        if (g_strcmp0(line->value, value) == 0)
            return;
        g_free(line->value);
        line->value = sanitize_value(value);
        g_clear_pointer(&line->raw, g_free);
        return;
    }
    line = g_new0(vmx_line, 1);
    line->key = g_strdup(key);
    line->value = sanitize_value(value);
    add_line(file, line);
}

gboolean
vmx_file_remove(vmx_file *file, const char *key)
{
    gboolean found = FALSE;

    if (!g_hash_table_remove(file->index, key))
        return FALSE;
    for (guint i = file->lines->len; i-- > 0;) {
        vmx_line *line = file->lines->pdata[i];

        if (line->key && g_ascii_strcasecmp(line->key, key) == 0) {
            g_ptr_array_remove(file->entries, line);
            g_ptr_array_remove_index(file->lines, i);
            found = TRUE;
        }
    }
    return found;
}

guint
vmx_file_size(const vmx_file *file)
{
    return file->entries->len;
}

const char *
vmx_file_key_at(const vmx_file *file, guint index)
{
    g_return_val_if_fail(index < file->entries->len, NULL);
    return ((vmx_line *)file->entries->pdata[index])->key;
}

const char *
vmx_file_value_at(const vmx_file *file, guint index)
{
    g_return_val_if_fail(index < file->entries->len, NULL);
    return ((vmx_line *)file->entries->pdata[index])->value;
}

const char *
vmx_file_encoding(const vmx_file *file)
{
    return file->encoding;
}

char *
vmx_file_format(const vmx_file *file, GError **error)
{
    g_autoptr(GString) out = g_string_new(NULL);

    for (guint i = 0; i < file->lines->len; i++) {
        vmx_line *line = file->lines->pdata[i];

        if (out->len > 0 && out->str[out->len - 1] != '\n')
            g_string_append(out, file->eol);
        if (line->raw)
            g_string_append(out, line->raw);
        else
            g_string_append_printf(out, "%s = \"%s\"%s", line->key, line->value, file->eol);
    }
    if (!is_utf8_name(file->encoding)) {
        g_autoptr(GError) conv_error = NULL;
        char *converted = g_convert(out->str, out->len, file->encoding, "UTF-8", NULL, NULL, &conv_error);

        if (!converted) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_ENCODING,
                        "cannot convert the VMX file back to its .encoding '%s': %s; "
                        "set .encoding to \"UTF-8\"",
                        file->encoding, conv_error->message);
            return NULL;
        }
        return converted;
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}
