/* cmd-volume.c — hvdctl's commands that change volumes, shaped like
 * virsh's: vol-create-as, vol-create, vol-create-from, vol-clone,
 * vol-delete, vol-wipe, vol-upload, vol-download (the driver streams the
 * transfers; hvdctl only reads or writes the local file). */
#include "cmd-storage.h"
#include "input.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* ---- changing volumes ------------------------------------------------------ */

static char *
volume_xml(const char *name, uint64_t capacity, uint64_t allocation)
{
    g_autofree char *n = g_markup_escape_text(name, -1);
    return g_strdup_printf("<volume>\n  <name>%s</name>\n  <capacity unit='bytes'>%" G_GUINT64_FORMAT "</capacity>\n"
                           "  <allocation unit='bytes'>%" G_GUINT64_FORMAT "</allocation>\n"
                           "  <target>\n    <format type='vmdk'/>\n  </target>\n</volume>\n",
                           n, capacity, allocation);
}

/* The positional arguments and the values of the options `known` names
 * ("--pool", "--allocation", ...: each takes a value) of a command. */
typedef struct {
    const char *pos[4];
    int npos;
    const char *opt[4];
} vol_args;

static gboolean
parse_args(ctl *c, int argc, char **argv, const char *const *known, int want, vol_args *a, int *exit_out)
{
    memset(a, 0, sizeof(*a));
    for (int i = 1; i < argc; i++) {
        int k = -1;
        for (int j = 0; known[j] != NULL; j++) {
            if (strcmp(argv[i], known[j]) == 0)
                k = j;
        }
        if (k >= 0 && i + 1 < argc) {
            a->opt[k] = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            *exit_out = ctl_fail(c, CTL_EXIT_USAGE, "command '%s' doesn't support option %s", argv[0], argv[i]);
            return FALSE;
        } else if (a->npos < want) {
            a->pos[a->npos++] = argv[i];
        } else {
            *exit_out = ctl_fail(c, CTL_EXIT_USAGE, "unexpected data '%s'", argv[i]);
            return FALSE;
        }
    }
    if (a->npos < want) {
        *exit_out =
            ctl_fail(c, CTL_EXIT_USAGE, "command '%s' requires %d argument%s", argv[0], want, want > 1 ? "s" : "");
        return FALSE;
    }
    return TRUE;
}

/* Prints a change's confirmation (JSON: the volume, or its name). */
static int
changed(ctl *c, const char *what, int32_t rc, const hvd_error *err, hvd_volume_info *v, const char *name,
        const char *text)
{
    if (rc != HVD_OK)
        return ctl_report(c, what, rc, err);
    if (c->json) {
        json_object *o = v != NULL ? ctl_vol_json(v) : json_object_new_object();
        if (v == NULL)
            json_object_object_add(o, "name", json_object_new_string(name));
        json_object_object_add(o, "operation", json_object_new_string(what));
        ctl_print_json(o);
    } else {
        printf("%s\n\n", text);
    }
    c->drv->free(v);
    return CTL_EXIT_OK;
}

int
ctl_run_vol_create_as(ctl *c, int argc, char **argv)
{
    static const char *const known[] = { "--allocation", "--format", NULL };
    vol_args a;
    int code = CTL_EXIT_USAGE;
    if (!parse_args(c, argc, argv, known, 3, &a, &code))
        return code;
    guint64 capacity = 0, allocation = 0;
    g_autoptr(GError) error = NULL;
    if (!input_parse_scaled(a.pos[2], 1, G_MAXUINT64, &capacity, &error))
        return ctl_fail(c, CTL_EXIT_USAGE, "capacity: %s", error->message);
    allocation = capacity;
    if (a.opt[0] != NULL && !input_parse_scaled(a.opt[0], 1, G_MAXUINT64, &allocation, &error))
        return ctl_fail(c, CTL_EXIT_USAGE, "--allocation: %s", error->message);
    if (a.opt[1] != NULL && strcmp(a.opt[1], "vmdk") != 0)
        return ctl_fail(c, CTL_EXIT_FAIL, "format '%s' is not supported: ESX creates vmdk virtual disks", a.opt[1]);
    if (!STORAGE_CALL(c, vol_create_xml))
        return ctl_unsupported(c, argv[0]);
    g_autofree char *xml = volume_xml(a.pos[1], capacity, allocation);
    hvd_error err = HVD_ERROR_INIT;
    hvd_volume_info *v = NULL;
    int32_t rc = c->drv->storage->vol_create_xml(c->conn, a.pos[0], xml, 0, NULL, &v, &err);
    g_autofree char *text = g_strdup_printf("Vol %s created", a.pos[1]);
    return changed(c, argv[0], rc, &err, v, a.pos[1], text);
}

int
ctl_run_vol_create(ctl *c, int argc, char **argv)
{
    static const char *const known[] = { NULL };
    vol_args a;
    int code = CTL_EXIT_USAGE;
    gboolean from = strcmp(argv[0], "vol-create-from") == 0;
    if (!parse_args(c, argc, argv, known, from ? 3 : 2, &a, &code))
        return code;
    if (!(from ? STORAGE_CALL(c, vol_create_xml_from) : STORAGE_CALL(c, vol_create_xml)))
        return ctl_unsupported(c, argv[0]);
    g_autofree char *xml = NULL;
    g_autoptr(GError) gerr = NULL;
    if (!g_file_get_contents(a.pos[1], &xml, NULL, &gerr))
        return ctl_fail(c, CTL_EXIT_FAIL, "%s", gerr->message);
    hvd_error err = HVD_ERROR_INIT;
    hvd_volume_info *v = NULL;
    int32_t rc = from ? c->drv->storage->vol_create_xml_from(c->conn, a.pos[0], xml, a.pos[2], 0, NULL, &v, &err)
                      : c->drv->storage->vol_create_xml(c->conn, a.pos[0], xml, 0, NULL, &v, &err);
    g_autofree char *text = rc != HVD_OK ? NULL
                            : from       ? g_strdup_printf("Vol %s created from input vol %s", v->name, a.pos[2])
                                         : g_strdup_printf("Vol %s created from %s", v->name, a.pos[1]);
    return changed(c, argv[0], rc, &err, v, NULL, text);
}

int
ctl_run_vol_clone(ctl *c, int argc, char **argv)
{
    static const char *const known[] = { "--pool", NULL };
    vol_args a;
    int code = CTL_EXIT_USAGE;
    if (!parse_args(c, argc, argv, known, 2, &a, &code))
        return code;
    if (!STORAGE_CALL(c, vol_create_xml_from))
        return ctl_unsupported(c, argv[0]);
    hvd_error err = HVD_ERROR_INIT;
    hvd_volume_info *src = NULL;
    int32_t rc = ctl_lookup_vol(c, a.pos[0], a.opt[0], &src, &err);
    if (rc != HVD_OK)
        return ctl_report(c, argv[0], rc, &err);
    /* a copy keeps the source's size; its allocation follows the source's */
    g_autofree char *xml = volume_xml(a.pos[1], src->capacity, src->allocation == 0 ? 0 : src->capacity);
    g_autofree char *pool = g_strdup(src->pool), *path = g_strdup(src->path);
    c->drv->free(src);
    hvd_volume_info *v = NULL;
    rc = c->drv->storage->vol_create_xml_from(c->conn, pool, xml, path, 0, NULL, &v, &err);
    g_autofree char *text = g_strdup_printf("Vol %s cloned from %s", a.pos[1], a.pos[0]);
    return changed(c, argv[0], rc, &err, v, a.pos[1], text);
}

int
ctl_run_vol_delete_wipe(ctl *c, int argc, char **argv)
{
    static const char *const known[] = { "--pool", NULL };
    vol_args a;
    int code = CTL_EXIT_USAGE;
    if (!parse_args(c, argc, argv, known, 1, &a, &code))
        return code;
    gboolean wipe = strcmp(argv[0], "vol-wipe") == 0;
    if (!(wipe ? STORAGE_CALL(c, vol_wipe) : STORAGE_CALL(c, vol_delete)))
        return ctl_unsupported(c, argv[0]);
    hvd_error err = HVD_ERROR_INIT;
    hvd_volume_info *v = NULL;
    int32_t rc = ctl_lookup_vol(c, a.pos[0], a.opt[0], &v, &err);
    if (rc != HVD_OK)
        return ctl_report(c, argv[0], rc, &err);
    rc = wipe ? c->drv->storage->vol_wipe(c->conn, v->path, 0, NULL, &err)
              : c->drv->storage->vol_delete(c->conn, v->path, 0, NULL, &err);
    c->drv->free(v);
    g_autofree char *text = g_strdup_printf("Vol %s %s", a.pos[0], wipe ? "wiped" : "deleted");
    return changed(c, argv[0], rc, &err, NULL, a.pos[0], text);
}

/* ---- uploads and downloads ------------------------------------------------ */

typedef struct {
    FILE *fp;
    uint64_t bytes;
} file_io;

static int64_t HVD_CALL
file_read(void *ud, uint8_t *buf, uint64_t cap)
{
    file_io *io = ud;
    size_t n = fread(buf, 1, (size_t)MIN(cap, (uint64_t)(1 << 20)), io->fp);
    if (n == 0 && ferror(io->fp))
        return -1;
    io->bytes += n;
    return (int64_t)n;
}

static int32_t HVD_CALL
file_write(void *ud, const uint8_t *buf, uint64_t len)
{
    file_io *io = ud;
    if (fwrite(buf, 1, (size_t)len, io->fp) != len)
        return -1;
    io->bytes += len;
    return 0;
}

/* vol-upload VOL FILE and vol-download VOL FILE, [--offset N] [--length N]:
 * the driver streams; hvdctl only reads or writes FILE. */
int
ctl_run_vol_transfer(ctl *c, int argc, char **argv)
{
    static const char *const known[] = { "--offset", "--length", "--pool", NULL };
    vol_args a;
    int code = CTL_EXIT_USAGE;
    if (!parse_args(c, argc, argv, known, 2, &a, &code))
        return code;
    gboolean up = strcmp(argv[0], "vol-upload") == 0;
    guint64 offset = 0, length = 0;
    g_autoptr(GError) error = NULL;
    if (a.opt[0] != NULL && !input_parse_scaled(a.opt[0], 1, G_MAXUINT64, &offset, &error))
        return ctl_fail(c, CTL_EXIT_USAGE, "--offset: %s", error->message);
    if (a.opt[1] != NULL && !input_parse_scaled(a.opt[1], 1, G_MAXUINT64, &length, &error))
        return ctl_fail(c, CTL_EXIT_USAGE, "--length: %s", error->message);
    if (!(up ? STORAGE_CALL(c, vol_upload) : STORAGE_CALL(c, vol_download)))
        return ctl_unsupported(c, argv[0]);
    /* a volume named in its pool: its path (an upload may create it) */
    g_autofree char *vol = a.opt[2] != NULL ? NULL : g_strdup(a.pos[0]);
    hvd_error err = HVD_ERROR_INIT;
    if (vol == NULL) {
        hvd_volume_info *v = NULL;
        int32_t rc = ctl_lookup_vol(c, a.pos[0], a.opt[2], &v, &err);
        if (rc == HVD_ERR_NO_VOLUME && up)
            vol = g_strdup_printf("[%s] %s", a.opt[2], a.pos[0]);
        else if (rc != HVD_OK)
            return ctl_report(c, argv[0], rc, &err);
        else
            vol = g_strdup(v->path);
        c->drv->free(v);
    }
    file_io io = { .fp = fopen(a.pos[1], up ? "rb" : "wb") };
    if (io.fp == NULL)
        return ctl_fail(c, CTL_EXIT_FAIL, "cannot open '%s': %s", a.pos[1], g_strerror(errno));
    int32_t rc = up ? c->drv->storage->vol_upload(c->conn, vol, offset, length, file_read, &io, 0, NULL, &err)
                    : c->drv->storage->vol_download(c->conn, vol, offset, length, file_write, &io, 0, NULL, &err);
    gboolean closed = fclose(io.fp) == 0;
    if (rc != HVD_OK)
        return ctl_report(c, argv[0], rc, &err);
    if (!closed)
        return ctl_fail(c, CTL_EXIT_FAIL, "writing '%s': %s", a.pos[1], g_strerror(errno));
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "volume", json_object_new_string(vol));
        json_object_object_add(o, "file", json_object_new_string(a.pos[1]));
        json_object_object_add(o, "bytes", json_object_new_int64((int64_t)io.bytes));
        json_object_object_add(o, "operation", json_object_new_string(argv[0]));
        ctl_print_json(o);
    }
    return CTL_EXIT_OK;
}
