/* esx-private.h — shared internals of the ESX driver (plugin/). */
#ifndef ESX_PRIVATE_H
#define ESX_PRIVATE_H

#include "hvd.h"
#include <glib.h>

G_BEGIN_DECLS

/* Logging through the log upcall of `host` (the connection's hvd_host, may
 * be NULL); never pass secrets. */
void esx_log(const hvd_host *host, int32_t level, const char *component, const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* True between the first init() and the last shutdown(). */
gboolean esx_initialised(void);

/* True when `host` (not NULL) is at least the 1.0 hvd_host. */
gboolean esx_host_usable(const hvd_host *host);

/* Fill `err` (may be NULL) and return `code`. `fault` may be NULL. */
int32_t esx_fail(hvd_error *err, int32_t code, const char *fault, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* Map a GError from vi/, vmx/ or plugin/ to a status, fill `err`, return it. */
int32_t esx_fail_gerror(hvd_error *err, const GError *error);

/* Reject unknown flag bits (ABI rule 8). Returns HVD_OK or HVD_ERR_BAD_FLAGS. */
int32_t esx_check_flags(const char *op, uint32_t flags, uint32_t known, hvd_error *err);

/* Read typed parameter i of a host-provided strided array. */
const hvd_param *esx_param_at(const hvd_param *params, uint32_t nparams, uint32_t i);

/* A packed allocation of driver-returned data: one block released with
 * hvd_driver.free (g_free). Strings are appended after the structs. */
typedef struct {
    GByteArray *bytes;
} esx_pack;

/* Fills a caller-allocated out struct `dst` (whose struct_size the caller
 * set) from the driver's complete `src` of `src_size` bytes: copies the
 * members that fit entirely (`ends`: offsetof + sizeof of each member after
 * struct_size, in order), then stores min(caller size, src_size) in
 * dst->struct_size, as hvd.h's size rules say. */
void esx_copy_out(void *dst, const void *src, size_t src_size, const size_t *ends, size_t n_ends);

extern const hvd_connect_table esx_connect_table;
extern const hvd_native_table esx_native_table;

G_END_DECLS

#endif
