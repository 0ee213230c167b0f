/* hvdctl.h — internals shared by hvdctl's command files. */
#ifndef HVDCTL_H
#define HVDCTL_H

#include "hvd-loader.h"

#include <glib.h>
#include <json-c/json.h>

G_BEGIN_DECLS

/* Exit codes */
#define CTL_EXIT_OK    0
#define CTL_EXIT_FAIL  1
#define CTL_EXIT_USAGE 2

typedef struct {
    const char *uri;   /* -c URI, $HVD_DEFAULT_URI, or NULL */
    gboolean json;     /* --json */
    gboolean readonly; /* --readonly */
    int debug;         /* -d LEVEL: forward driver logs up to this level */
    hvd_loader *loader;
    const hvd_loaded_driver *loaded;
    const hvd_driver *drv;
    hvd_conn *conn;
    hvd_host host;           /* our upcall table */
    char *auth_file;         /* resolved auth file, or NULL */
    char *scheme;            /* scheme of uri */
    gboolean auth_reported;  /* the auth upcall already printed why it gave up */
    char *progress_what;     /* the task the progress bar is about, or NULL */
    gint64 progress_start;   /* when its first report came (monotonic, us) */
    gboolean progress_shown; /* the bar is on the terminal */
} ctl;

typedef enum {
    CTL_CONN_NONE,     /* never connects */
    CTL_CONN_REQUIRED, /* needs -c URI */
    CTL_CONN_OPTIONAL, /* uses a connection when -c is given */
} ctl_conn_need;

typedef struct {
    const char *name;
    const char *synopsis; /* arguments, e.g. "DOMAIN" */
    const char *summary;  /* one line */
    const char *help;     /* longer text, may be NULL */
    ctl_conn_need conn;
    int (*run)(ctl *c, int argc, char **argv);
} ctl_command;

/* Loads the driver for c->uri and connects (once). Prints the error and
 * returns FALSE on failure. */
gboolean ctl_connect(ctl *c);
/* Loads the driver by name without connecting (offline commands). */
gboolean ctl_load_driver(ctl *c, const char *name);

/* Prints "error: <message>" for a failed call and returns CTL_EXIT_FAIL. */
int ctl_report(ctl *c, const char *what, int32_t rc, const hvd_error *err);
/* Prints "error: <printf>" and returns CTL_EXIT_FAIL (or USAGE). */
int ctl_fail(ctl *c, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Prints `obj` as JSON (and releases it). */
void ctl_print_json(json_object *obj);
/* virsh's table: a header, dashes, and the first `ncol` of each row's
 * `nall` cells (row-major in `cells`, at most 8 columns), columns as wide as
 * their widest cell, 3 spaces apart. */
void ctl_print_table(const char *const *heads, size_t nall, size_t ncol, GPtrArray *cells);
/* "unsupported" error for a NULL sub-table or member. */
int ctl_unsupported(ctl *c, const char *what);

/* Tables of commands, one per file. NULL-name terminated. */
extern const ctl_command ctl_host_commands[];
extern const ctl_command ctl_native_commands[];
extern const ctl_command ctl_domain_commands[];
extern const ctl_command ctl_snapshot_commands[];
extern const ctl_command ctl_storage_commands[];
extern const ctl_command ctl_sched_commands[];
extern const ctl_command ctl_memtune_commands[];
extern const ctl_command ctl_network_commands[];
extern const ctl_command ctl_migrate_commands[];

/* A DOMAIN argument looked up as virsh does (an id, a UUID, a name, then
 * the driver's key); *info_out released with the driver's free. */
int32_t ctl_lookup_domain(ctl *c, const char *arg, hvd_domain_info **info_out, hvd_error *err);
/* The same, asking a name lookup for a brief entry (HVD_LIST_BRIEF: name,
 * key, id, state and reason only); a 1.0 driver refusing the flag is asked
 * again without it. For commands that need only the key. */
int32_t ctl_lookup_domain_brief(ctl *c, const char *arg, hvd_domain_info **info_out, hvd_error *err);

G_END_DECLS

#endif
