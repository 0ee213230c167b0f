/* mock-migrate.c — a migration table for the ABI tests' mock driver, built
 * into it with -DMOCK_MIGRATE=N (tests/conformance/meson.build): N = 0 is a
 * driver that behaves, each other N breaks one rule that hvd-conformance's
 * migrate.* checks (migrate.c) must catch. The mock has one host: nothing
 * ever migrates, so no job is ever running.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mock-driver.h"

#include <stddef.h>

#define MOCK_MIGRATE_OK       0
#define MOCK_MIGRATE_NODEST   1 /* check/perform accept a missing dest_uri */
#define MOCK_MIGRATE_PARAMS   2 /* an unknown parameter is ignored */
#define MOCK_MIGRATE_RENAME   3 /* a dest_name other than the domain's is accepted */
#define MOCK_MIGRATE_CANCEL   4 /* cancel with no job running answers HVD_OK */
#define MOCK_MIGRATE_PROGRESS 5 /* get_progress writes a whole hvd_job_info whatever its struct_size */
#define MOCK_MIGRATE_MISSING  6 /* an unknown domain is "idle", not HVD_ERR_NO_DOMAIN */

/* The domain's name into `buf`; the domain table's status (and `err`). */
static int32_t
domain_name(hvd_conn *conn, const char *domain, hvd_error *err, char *buf, size_t cap)
{
    hvd_domain_info *info = NULL;
    int32_t rc = mock_domain_table[0].get_info(conn, domain, 0, &info, err);
    if (rc != HVD_OK)
        return rc;
    snprintf(buf, cap, "%s", info->name);
    free(info); /* the mock's free() is libc's */
    return HVD_OK;
}

static int32_t
plan(const char *op, hvd_conn *conn, const char *domain, const hvd_param *params, uint32_t nparams, uint32_t flags,
     hvd_error *err)
{
    int32_t rc = mock_check_flags(op, flags, HVD_MIGRATE_LIVE, err);
    if (rc != HVD_OK)
        return rc;
    if (conn == NULL)
        return mock_fail(err, HVD_ERR_INVALID_ARG, "%s: no connection (NULL hvd_conn)", op);
    if (domain == NULL || (nparams > 0 && params == NULL))
        return mock_fail(err, HVD_ERR_INVALID_ARG, "%s: domain or params is NULL", op);
    const char *dest = NULL, *dest_name = NULL;
    size_t stride = nparams > 0 ? params[0].struct_size : 0;
    for (uint32_t i = 0; i < nparams; i++) {
        const hvd_param *p = (const hvd_param *)(const void *)((const char *)params + i * stride);
        if (strcmp(p->name, HVD_MIGRATE_PARAM_DEST_URI) == 0)
            dest = p->s;
        else if (strcmp(p->name, HVD_MIGRATE_PARAM_DEST_NAME) == 0)
            dest_name = p->s;
        else if (strcmp(p->name, HVD_MIGRATE_PARAM_PRIORITY) != 0 && MOCK_MIGRATE != MOCK_MIGRATE_PARAMS)
            return mock_fail(err, HVD_ERR_INVALID_ARG, "%s: unknown parameter '%.80s'", op, p->name);
    }
    if (dest == NULL && MOCK_MIGRATE != MOCK_MIGRATE_NODEST)
        return mock_fail(err, HVD_ERR_INVALID_ARG, "%s: no dest_uri", op);
    char name[256];
    rc = domain_name(conn, domain, err, name, sizeof(name));
    if (rc != HVD_OK)
        return rc;
    if (dest_name != NULL && strcmp(dest_name, name) != 0 && MOCK_MIGRATE != MOCK_MIGRATE_RENAME)
        return mock_fail(err, HVD_ERR_INVALID_ARG, "%s: dest_name '%.80s' is not '%s': no renaming", op, dest_name,
                         name);
    return HVD_OK;
}

static int32_t HVD_CALL
mig_check(hvd_conn *conn, const char *domain, const hvd_param *params, uint32_t nparams, uint32_t flags, hvd_error *err)
{
    int32_t rc = plan("migrate check", conn, domain, params, nparams, flags, err);
    if (rc != HVD_OK || MOCK_MIGRATE != MOCK_MIGRATE_OK)
        return rc;
    return mock_fail(err, HVD_ERR_OPERATION_INVALID, "migrate check: the mock has no other host");
}

static int32_t HVD_CALL
mig_perform(hvd_conn *conn, const char *domain, const hvd_param *params, uint32_t nparams, uint32_t flags,
            const hvd_progress *progress, hvd_error *err)
{
    (void)progress;
    int32_t rc = plan("migrate", conn, domain, params, nparams, flags, err);
    if (rc != HVD_OK || MOCK_MIGRATE != MOCK_MIGRATE_OK)
        return rc;
    return mock_fail(err, HVD_ERR_OPERATION_INVALID, "migrate: the mock has no other host");
}

static int32_t HVD_CALL
mig_cancel(hvd_conn *conn, const char *domain, uint32_t flags, hvd_error *err)
{
    int32_t rc = mock_check_flags("migrate cancel", flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    if (conn == NULL || domain == NULL)
        return mock_fail(err, HVD_ERR_INVALID_ARG, "migrate cancel: conn or domain is NULL");
    char name[256];
    rc = domain_name(conn, domain, err, name, sizeof(name));
    if (rc != HVD_OK)
        return rc;
    if (MOCK_MIGRATE == MOCK_MIGRATE_CANCEL)
        return HVD_OK;
    return mock_fail(err, HVD_ERR_OPERATION_INVALID, "migrate cancel: no migration of '%s' is running", name);
}

static int32_t HVD_CALL
mig_get_progress(hvd_conn *conn, const char *domain, uint32_t flags, hvd_job_info *info, hvd_error *err)
{
    int32_t rc = mock_check_flags("migrate get_progress", flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    if (conn == NULL || domain == NULL || info == NULL)
        return mock_fail(err, HVD_ERR_INVALID_ARG, "migrate get_progress: conn, domain or info is NULL");
    char name[256];
    rc = domain_name(conn, domain, err, name, sizeof(name));
    if (rc != HVD_OK && MOCK_MIGRATE != MOCK_MIGRATE_MISSING)
        return rc;
    hvd_job_info full = { sizeof(hvd_job_info), 0, -1, 0, 0 };
    if (MOCK_MIGRATE == MOCK_MIGRATE_PROGRESS) {
        memcpy(info, &full, sizeof(full));
        return HVD_OK;
    }
    /* whole members that fit the caller's struct */
    uint32_t cap = info->struct_size;
    static const size_t ends[] = { offsetof(hvd_job_info, active) + sizeof(int32_t),
                                   offsetof(hvd_job_info, percent) + sizeof(int32_t),
                                   offsetof(hvd_job_info, reserved0) + sizeof(int32_t),
                                   offsetof(hvd_job_info, elapsed_ms) + sizeof(int64_t) };
    size_t n = sizeof(uint32_t);
    for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]) && ends[i] <= cap; i++)
        n = ends[i];
    memcpy((char *)info + sizeof(uint32_t), (const char *)&full + sizeof(uint32_t), n - sizeof(uint32_t));
    info->struct_size = (uint32_t)n;
    return HVD_OK;
}

const hvd_migrate_table mock_migrate_table = {
    .struct_size = sizeof(hvd_migrate_table),
    .check = mig_check,
    .perform = mig_perform,
    .cancel = mig_cancel,
    .get_progress = mig_get_progress,
};
