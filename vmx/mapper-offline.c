/*
 * mapper-offline.c: a vmx_convert_ctx that needs no connection. It maps
 * file names by their form only (see vmx.h); a connected caller asks the
 * server instead.
 */
#include "vmx/internal.h"

#include <string.h>

#define VOLUMES "/vmfs/volumes/"

static char *
offline_parse(const char *name, gboolean *missing, void *user_data, GError **error)
{
    const vmx_offline_opts *opts = user_data;

    *missing = FALSE;
    if (g_str_has_prefix(name, VOLUMES)) {
        const char *ds = name + strlen(VOLUMES);
        const char *slash = strchr(ds, '/');
        g_autofree char *datastore = slash ? g_strndup(ds, slash - ds) : g_strdup(ds);
        const char *path = slash ? slash + 1 : "";

        if (!*datastore) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_MAPPING, "file name '%s' names no datastore after " VOLUMES, name);
            return NULL;
        }
        /* the test convention for files that do not exist */
        if (strcmp(datastore, "missing") == 0 || g_str_has_prefix(path, "missing")) {
            *missing = TRUE;
            return NULL;
        }
        return g_strdup_printf("[%s] %s", datastore, path);
    }
    if (name[0] == '/')
        return g_strdup(name);
    if (strchr(name, '/')) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_MAPPING,
                    "relative file name '%s' has a directory part; only absolute paths and "
                    "bare file names (beside the VMX file) can be mapped",
                    name);
        return NULL;
    }
    if (opts && opts->vmx_location && *opts->vmx_location) {
        const char *loc = opts->vmx_location;
        size_t n = strlen(loc);
        gboolean sep = loc[n - 1] != ']' && loc[n - 1] != '/' && loc[n - 1] != ' ';

        return g_strdup_printf("%s%s%s", loc, sep ? "/" : (loc[n - 1] == ']' ? " " : ""), name);
    }
    return g_strdup(name);
}

static char *
offline_format(const char *path, void *user_data, GError **error)
{
    if (path[0] == '[') {
        const char *close = strchr(path, ']');
        const char *rest;

        if (!close || close == path + 1) {
            g_set_error(error, VMX_ERROR, VMX_ERROR_MAPPING,
                        "datastore path '%s' is not of the form '[datastore] path'", path);
            return NULL;
        }
        rest = close + 1;
        while (*rest == ' ')
            rest++;
        if (*rest == '\0')
            return g_strdup_printf(VOLUMES "%.*s", (int)(close - path - 1), path + 1);
        return g_strdup_printf(VOLUMES "%.*s/%s", (int)(close - path - 1), path + 1, rest);
    }
    if (path[0] == '/')
        return g_strdup(path);
    if (strchr(path, '/')) {
        g_set_error(error, VMX_ERROR, VMX_ERROR_MAPPING,
                    "file name '%s' is neither a datastore path ('[datastore] path') nor "
                    "absolute",
                    path);
        return NULL;
    }
    return g_strdup(path);
}

static gboolean
offline_autodetect(const vmx_disk *disk, vmx_scsi_model *model, void *user_data, GError **error)
{
    *model = VMX_SCSI_MODEL_LSILOGIC;
    return TRUE;
}

void
vmx_offline_ctx_init(vmx_convert_ctx *ctx, const vmx_offline_opts *opts)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->parse_file_name = offline_parse;
    ctx->format_file_name = offline_format;
    ctx->autodetect_scsi_model = offline_autodetect;
    ctx->user_data = (void *)opts;
    ctx->datacenter_path = opts ? opts->datacenter_path : NULL;
}
