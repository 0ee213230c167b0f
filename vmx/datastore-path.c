/*
 * datastore-path.c: "[datastore] directory/file" paths, and where a new
 * domain's VMX file goes.
 */
#include "vmx/internal.h"

#include <string.h>

gboolean
vmx_parse_datastore_path(const char *path, char **datastore, char **directory, char **file, GError **error)
{
    const char *close, *rest, *slash;

    *datastore = *directory = *file = NULL;
    if (!path || path[0] != '[' || !(close = strchr(path, ']')) || close == path + 1) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_MAPPING,
                    "'%s' is not a datastore path of the form '[datastore] directory/file'", path ? path : "");
        return FALSE;
    }
    rest = close + 1;
    while (*rest == ' ')
        rest++;
    *datastore = g_strndup(path + 1, close - path - 1);
    slash = strrchr(rest, '/');
    if (slash) {
        *directory = g_strndup(rest, slash - rest);
        *file = g_strdup(slash + 1);
    } else {
        *file = g_strdup(rest);
    }
    return TRUE;
}

char *
vmx_domain_vmx_location(const vmx_domain *def, GError **error)
{
    for (guint i = 0; i < def->disks->len; i++) {
        const vmx_disk *disk = def->disks->pdata[i];
        g_autofree char *datastore = NULL;
        g_autofree char *directory = NULL;
        g_autofree char *file = NULL;

        if (disk->device != VMX_DISK_DEVICE_DISK || disk->type != VMX_DISK_TYPE_FILE || !disk->src)
            continue;
        if (!vmx_parse_datastore_path(disk->src, &datastore, &directory, &file, error)) {
            g_prefix_error(error,
                           "disk '%s': the first hard disk decides where the VMX file "
                           "goes, so it needs a datastore path: ",
                           disk->dst);
            return NULL;
        }
        return directory ? g_strdup_printf("[%s] %s", datastore, directory) : g_strdup_printf("[%s]", datastore);
    }
    g_set_error(error, VMX_ERROR, VMX_ERROR_INVALID,
                "the domain has no file-based hard disk, so there is no datastore to put its "
                "VMX file in; add a disk with a '[datastore] path' source");
    return NULL;
}
