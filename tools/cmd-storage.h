/* cmd-storage.h — what hvdctl's storage commands (cmd-storage.c: pools and
 * reading volumes) and the commands that change volumes (cmd-volume.c)
 * share. */
#ifndef CMD_STORAGE_H
#define CMD_STORAGE_H

#include "hvdctl.h"

G_BEGIN_DECLS

/* Whether the driver has the storage table's MEMBER. */
#define STORAGE_CALL(c, member)                                                                   \
    ((c)->drv->storage != NULL && HVD_HAS_MEMBER((c)->drv->storage, hvd_storage_table, member) && \
     (c)->drv->storage->member != NULL)

#define VOL_HELP                                                                                       \
    "VOL is a path ('[datastore] dir/file.vmdk') or a key (a virtual disk's UUID), or with --pool a\n" \
    "name in that pool ('dir/file.vmdk'), as virsh takes them."

/* A volume as JSON (its key only when the driver gave one). */
json_object *ctl_vol_json(const hvd_volume_info *v);
/* As virsh: with POOL, the volume named ARG in that pool; else ARG is a path
 * ("[ds] f") or a key. HVD_ERR_NO_SUPPORT when the lookup is missing. */
int32_t ctl_lookup_vol(ctl *c, const char *arg, const char *pool, hvd_volume_info **info_out, hvd_error *err);

/* cmd-volume.c: the commands that change volumes (argv[0] names which). */
int ctl_run_vol_create_as(ctl *c, int argc, char **argv);
int ctl_run_vol_create(ctl *c, int argc, char **argv);
int ctl_run_vol_clone(ctl *c, int argc, char **argv);
int ctl_run_vol_delete_wipe(ctl *c, int argc, char **argv);
int ctl_run_vol_transfer(ctl *c, int argc, char **argv);

G_END_DECLS

#endif
