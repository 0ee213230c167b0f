/* simharness: start and stop the hvd-sim vSphere simulator from C tests.
 *
 * Each sim_start() runs its own hvd-sim process on a free loopback port, so
 * tests that use it may run in parallel. The process also stops when the
 * test process dies (its stdin reaches EOF).
 */
#pragma once

#include <glib.h>

/* Errors of this harness (domain SIM_ERROR). */
#define SIM_ERROR (sim_error_quark())
GQuark sim_error_quark(void);

typedef enum {
    SIM_ERROR_SPAWN,    /* hvd-sim could not be started, or exited early */
    SIM_ERROR_TIMEOUT,  /* hvd-sim did not announce itself in time */
    SIM_ERROR_PROTOCOL, /* its announcement line was not the expected JSON */
    SIM_ERROR_HTTP,     /* a control request failed (transport or HTTP status) */
} SimError;

/* How to start the simulator. Zero (or NULL) in any member means the default.
 * A negative count asks for zero of that thing (e.g. vms = -1: no VMs). */
typedef struct {
    const char *model;     /* "esx" (default: one host) or "vc" (vCenter) */
    gboolean tls;          /* HTTPS with a generated CA (ca_file below); default HTTP */
    gboolean expired_cert; /* with tls: the server certificate expired a day ago */
    int datacenters;       /* vc: datacenters (default 1) */
    int folders;           /* vc: how many datacenters (the last ones) sit in a folder (default 0) */
    int clusters;          /* vc: clusters per datacenter (default 1, 3 hosts each) */
    int hosts;             /* vc: standalone hosts per datacenter (default 1) */
    int vms;               /* VMs per host / per cluster (default 2) */
    int page_size;         /* cap on RetrievePropertiesEx page size (default: none) */
    const char *username;  /* accepted user name (default "user") */
    const char *password;  /* accepted password (default "pass") */
    const char *listen;    /* address:port to serve on (default "127.0.0.1:0"; "[::1]:0" for IPv6) */
} sim_options;

/* A running simulator. Every string is owned by the instance and valid until
 * sim_stop(). */
typedef struct {
    char *url;    /* SOAP endpoint, e.g. "https://127.0.0.1:PORT/sdk" */
    char *host;   /* "127.0.0.1" (or "::1", without brackets) */
    char *scheme; /* "http" or "https" */
    char *username;
    char *password;
    char *ca_file;     /* PEM CA that signed the server certificate; NULL for HTTP */
    char *control_url; /* base of the control endpoint, ".../hvd-sim" (README.md) */
    char *http_proxy;  /* "127.0.0.1:PORT" of an HTTP (CONNECT) proxy */
    char *socks_proxy; /* "127.0.0.1:PORT" of a SOCKS5/4a proxy */
    char *model;       /* "esx" or "vc" */
    int port;
    /* private */
    GPid pid;
    int stdin_fd;
    int stdout_fd;
} sim_instance;

/* Starts hvd-sim (the binary named by $HVD_SIM, else the one built with this
 * tree) and waits up to 120 s ($HVD_SIM_START_TIMEOUT seconds) for it to
 * announce itself.
 * Returns a new instance to pass to sim_stop(), or NULL with @error set. */
sim_instance *sim_start(const sim_options *opts, GError **error);

/* Stops the simulator (closes its stdin, waits, kills it after 5 s) and frees
 * @sim. NULL is ignored. */
void sim_stop(sim_instance *sim);

/* Calls the control endpoint: @method ("GET", "POST"), @path_and_query
 * relative to control_url (e.g. "/stats", "/question"), an optional JSON
 * @body. Verifies TLS with ca_file. On success returns TRUE and, if
 * @response_out is not NULL, the response body (free with g_free). An HTTP
 * status >= 400 is an error carrying the endpoint's message. */
gboolean sim_control(sim_instance *sim, const char *method, const char *path_and_query, const char *body,
                     char **response_out, GError **error);

/* The number of SOAP calls of @method (NULL: of all methods) the simulator
 * has answered since it started or since the last POST /stats/reset; -1 with
 * @error set when the control endpoint fails. */
int sim_call_count(sim_instance *sim, const char *method, GError **error);

/* One field of a VM (name or moref) as the server has it, from GET /vm:
 * "vm" (its moref), "name", "uuid" or "power" (runtime.powerState). NULL
 * with @error set when the endpoint fails or the VM is unknown. */
char *sim_vm_field(sim_instance *sim, const char *vm, const char *field, GError **error);

/* Writes TEXT as datastore file PATH ("dir/f.vmx") of datastore DS in
 * datacenter DC_PATH, as a client does (HTTP PUT under /folder): e.g. a
 * real .vmx where vcsim wrote an empty one. */
gboolean sim_put_file(sim_instance *sim, const char *dc_path, const char *ds, const char *path, const char *text,
                      GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(sim_instance, sim_stop)
