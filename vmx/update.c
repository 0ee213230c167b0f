/*
 * update.c: write a domain into an existing VMX file without losing what the
 * domain model does not cover.
 *
 * Entries are grouped by what they describe: one device slot ("scsi0:1",
 * "ethernet0", "serial1", "sharedFolder0", "scsi0" for the controller, ...),
 * the VNC settings, or one top-level key. The file is converted to a domain
 * and back ("old"), the new domain is converted ("new"), and per group:
 * - old and new agree: the file's entries stay as they are, byte for byte
 *   (so "TRUE" stays "TRUE" and "guestOS = rhel5" stays);
 * - they differ: the new entries are set, the old ones the new lack removed;
 * - a device group the new domain no longer has: all of its entries go;
 *   one the old file did not show starts afresh.
 */
#include "vmx/internal.h"

#include <string.h>

/* Length of the device slot prefix of @key ("scsi0:1" of "scsi0:1.fileName",
 * "ethernet0" of "ethernet0.present"); FALSE for other keys. */
static gboolean
slot_prefix_len(const char *key, size_t *len)
{
    static const struct {
        const char *name;
        gboolean has_unit;
    } kinds[] = {
        { "scsi", TRUE },          { "ide", TRUE },        { "sata", TRUE },    { "nvme", TRUE },
        { "floppy", FALSE },       { "ethernet", FALSE },  { "serial", FALSE }, { "parallel", FALSE },
        { "sharedfolder", FALSE }, { "pcibridge", FALSE },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        const char *p = key + strlen(kinds[i].name);

        if (g_ascii_strncasecmp(key, kinds[i].name, strlen(kinds[i].name)) != 0 || !g_ascii_isdigit(*p))
            continue;
        while (g_ascii_isdigit(*p))
            p++;
        if (kinds[i].has_unit && *p == ':' && g_ascii_isdigit(p[1])) {
            for (p++; g_ascii_isdigit(*p); p++)
                ;
        }
        if (*p == '.') {
            *len = p - key;
            return TRUE;
        }
    }
    return FALSE;
}

/* The group of @key, folded to lower case; *device tells a device slot. */
static char *
group_of(const char *key, gboolean *device)
{
    size_t len;

    *device = slot_prefix_len(key, &len);
    if (*device)
        return g_ascii_strdown(key, len);
    if (g_ascii_strncasecmp(key, "RemoteDisplay.vnc.", 18) == 0)
        return g_strdup("remotedisplay.vnc");
    return g_ascii_strdown(key, -1);
}

/* group -> GHashTable(folded key -> value) */
static GHashTable *
group_entries(const vmx_file *file)
{
    GHashTable *groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_hash_table_unref);

    for (guint i = 0; file && i < vmx_file_size(file); i++) {
        const char *key = vmx_file_key_at(file, i);
        gboolean device;
        char *group = group_of(key, &device);
        GHashTable *entries = g_hash_table_lookup(groups, group);

        if (!entries) {
            entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
            g_hash_table_insert(groups, group, entries);
        } else {
            g_free(group);
        }
        g_hash_table_insert(entries, g_ascii_strdown(key, -1), (gpointer)vmx_file_value_at(file, i));
    }
    return groups;
}

static gboolean
same_entries(GHashTable *a, GHashTable *b)
{
    GHashTableIter iter;
    gpointer key, value;

    if (!a || !b)
        return a == b;
    if (g_hash_table_size(a) != g_hash_table_size(b))
        return FALSE;
    g_hash_table_iter_init(&iter, a);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        const char *other = g_hash_table_lookup(b, key);

        if (!other || strcmp(other, value) != 0)
            return FALSE;
    }
    return TRUE;
}

static void
remove_group(vmx_file *base, const char *group)
{
    g_autoptr(GPtrArray) doomed = g_ptr_array_new_with_free_func(g_free);
    size_t n = strlen(group);

    for (guint i = 0; i < vmx_file_size(base); i++) {
        const char *key = vmx_file_key_at(base, i);

        if (g_ascii_strncasecmp(key, group, n) == 0 && key[n] == '.')
            g_ptr_array_add(doomed, g_strdup(key));
    }
    for (guint i = 0; i < doomed->len; i++)
        vmx_file_remove(base, doomed->pdata[i]);
}

/* The model numbers network cards by position; the file may skip slots
 * (ethernet0 removed, ethernet1 kept). Renames "ethernetK." entries of @src
 * to the slot the K-th card has in @base, and cards beyond those to free
 * slots. */
static vmx_file *
remap_ethernet(const vmx_file *src, const vmx_file *base)
{
    int slot_of[10], used[10] = { 0 }, count = 0;
    vmx_file *out = vmx_file_new();

    for (int n = 0; n < 10; n++) {
        char key[32];
        gboolean present = FALSE;

        g_snprintf(key, sizeof(key), "ethernet%d.present", n);
        if (vmx_get_bool(base, key, FALSE, &present, NULL) && present) {
            slot_of[count++] = n;
            used[n] = 1;
        }
    }
    for (int k = count; k < 10; k++) {
        int free_slot = 0;

        while (free_slot < 9 && used[free_slot])
            free_slot++;
        used[free_slot] = 1;
        slot_of[k] = free_slot;
    }
    for (guint i = 0; src && i < vmx_file_size(src); i++) {
        const char *key = vmx_file_key_at(src, i);
        const char *value = vmx_file_value_at(src, i);
        char *end;
        guint64 k;

        if (g_ascii_strncasecmp(key, "ethernet", 8) == 0 && g_ascii_isdigit(key[8]) &&
            (k = g_ascii_strtoull(key + 8, &end, 10)) < 10 && *end == '.') {
            g_autofree char *renamed = g_strdup_printf("ethernet%d%s", slot_of[k], end);

            vmx_file_set(out, renamed, value);
        } else {
            vmx_file_set(out, key, value);
        }
    }
    return out;
}

gboolean
vmx_file_update_from_domain(vmx_file *base, const vmx_domain *def, const vmx_convert_ctx *ctx, int hw_version,
                            GError **error)
{
    g_autoptr(vmx_file) new_out = vmx_file_from_domain(def, ctx, hw_version, error);
    g_autoptr(vmx_domain) old_def = NULL;
    g_autoptr(vmx_file) old_out = NULL;
    g_autoptr(GHashTable) old_groups = NULL;
    g_autoptr(GHashTable) new_groups = NULL;
    GHashTableIter iter;
    gpointer group, entries;

    if (!new_out)
        return FALSE;
    {
        vmx_file *remapped = remap_ethernet(new_out, base);

        vmx_file_free(new_out);
        new_out = remapped;
    }
    /* what the file says today, through the same conversion; a file we
     * cannot convert has no "old" side and gets every new entry */
    old_def = vmx_file_to_domain(base, ctx, NULL);
    if (old_def)
        old_out = vmx_file_from_domain(old_def, ctx, hw_version, NULL);
    if (old_out) {
        vmx_file *remapped = remap_ethernet(old_out, base);

        vmx_file_free(old_out);
        old_out = remapped;
    }
    old_groups = group_entries(old_out);
    new_groups = group_entries(new_out);

    g_hash_table_iter_init(&iter, old_groups);
    while (g_hash_table_iter_next(&iter, &group, &entries)) {
        GHashTable *now = g_hash_table_lookup(new_groups, group);
        GHashTableIter it;
        gpointer key;
        g_autofree char *probe = g_strconcat(group, ".", NULL);
        size_t len;
        gboolean device = slot_prefix_len(probe, &len);

        if (same_entries(entries, now))
            continue;
        if (!now && device) {
            remove_group(base, group);
            continue;
        }
        g_hash_table_iter_init(&it, entries);
        while (g_hash_table_iter_next(&it, &key, NULL)) {
            if (!now || !g_hash_table_contains(now, key))
                vmx_file_remove(base, key);
        }
    }
    /* a device the old file did not show (absent, or present = "false" with
     * leftovers): start its slot afresh, so no stale entry changes it */
    g_hash_table_iter_init(&iter, new_groups);
    while (g_hash_table_iter_next(&iter, &group, &entries)) {
        g_autofree char *probe = g_strconcat(group, ".", NULL);
        size_t len;

        if (slot_prefix_len(probe, &len) && !g_hash_table_contains(old_groups, group))
            remove_group(base, group);
    }
    for (guint i = 0; i < vmx_file_size(new_out); i++) {
        const char *key = vmx_file_key_at(new_out, i);
        gboolean device;
        g_autofree char *g = group_of(key, &device);

        if (same_entries(g_hash_table_lookup(old_groups, g), g_hash_table_lookup(new_groups, g)))
            continue;
        if (!device && old_out == NULL && vmx_file_get(base, key) && g_ascii_strcasecmp(key, "virtualHW.version") == 0)
            continue; /* never downgrade the hardware of an existing VM */
        vmx_file_set(base, key, vmx_file_value_at(new_out, i));
    }
    return TRUE;
}
