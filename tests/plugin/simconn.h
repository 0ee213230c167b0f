/* simconn.h — what the domain tests against the simulator share: the
 * loaded driver, a simulator of either model with its URI, connections
 * authenticated with the simulator's credentials, and the control
 * endpoint's reads and writes, each asserting success. */
#ifndef SIMCONN_H
#define SIMCONN_H

#include "hvd-loader.h"
#include "simharness.h"

#include <glib.h>

/* Set by simconn_init(). */
extern const hvd_driver *drv;

/* Loads the driver through the loader and init()s it; simconn_done()
 * undoes both. */
void simconn_init(void);
void simconn_done(void);

/* A simulator of MODEL ("esx" or "vc"); *uri_out: the esx:// URI, or the
 * vpx:// URI of DC0/DC0_H0. */
sim_instance *start(const char *model, char **uri_out);
/* A connection (HVD_CONNECT_* flags); aborts on failure. */
hvd_conn *open_flags(sim_instance *sim, const char *uri, uint32_t flags);
/* The same with the host's progress upcall FN (user_data: the simulator). */
hvd_conn *open_progress(sim_instance *sim, const char *uri, hvd_progress_fn fn);
/* The server's count of METHOD (NULL: all) since the last reset. */
int calls(sim_instance *sim, const char *method);
void control(sim_instance *sim, const char *method, const char *path, const char *body, char **out);
/* The local directory that holds datastore NAME's files on the simulator. */
char *sim_datastore_dir(sim_instance *sim, const char *name);
/* FIELD of VM (name or moref) on the server (see sim_vm_field). */
char *server_vm(sim_instance *sim, const char *vm, const char *field);
/* Fresh info of DOMAIN; aborts on failure. */
hvd_domain_info *info_of(hvd_conn *conn, const char *domain);
/* Fails the test unless RC is WANT and ERR's message contains TEXT (both shown). */
void assert_error(int32_t rc, const hvd_error *err, int32_t want, const char *text);
/* An HVD_PARAM_INT64 parameter. */
hvd_param int_param(const char *name, int64_t value);
/* A parameter list as "NAME=VALUE ..." (INT64 values; the list freed). */
char *params_text(hvd_param_list *list);

#endif
