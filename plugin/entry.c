/* entry.c — hvd_driver_entry_v1 and the driver table.
 *
 * The entry function only validates its arguments and returns a static
 * table: no allocation, no threads, no network, nothing stored (the host's
 * upcalls belong to each connection: open() receives them). Global library
 * state is set up by init() and torn down by the matching shutdown(),
 * refcounted. */
#include "esx-domain.h"
#include "esx-migrate.h"
#include "esx-storage.h"
#include "vi/vi.h"

#define ESX_DRIVER_MINOR 1
/* a variable, not a constant: comparing with 0 must not look like a tautology */
static const uint32_t driver_minor = ESX_DRIVER_MINOR;

static const char *const esx_schemes[] = { "esx", "gsx", "vpx", NULL };

static G_LOCK_DEFINE(init_lock);
static unsigned init_refs;

static void HVD_CALL
esx_free(void *ptr)
{
    g_free(ptr);
}

static int32_t HVD_CALL
esx_init(uint32_t flags, hvd_error *err)
{
    int32_t rc = esx_check_flags("init", flags, 0, err);
    if (rc != HVD_OK)
        return rc;
    G_LOCK(init_lock);
    if (init_refs == 0) {
        /* vi/ owns what libcurl and libxml2 need; this refcount is its one owner */
        g_autoptr(GError) gerr = NULL;
        if (!vi_global_init(&gerr)) {
            G_UNLOCK(init_lock);
            return esx_fail(err, HVD_ERR_INTERNAL, NULL, "init: %s", gerr->message);
        }
    }
    init_refs++;
    G_UNLOCK(init_lock);
    return HVD_OK;
}

gboolean
esx_initialised(void)
{
    G_LOCK(init_lock);
    gboolean ok = init_refs > 0;
    G_UNLOCK(init_lock);
    return ok;
}

static void HVD_CALL
esx_shutdown(void)
{
    G_LOCK(init_lock);
    if (init_refs > 0 && --init_refs == 0)
        vi_global_shutdown(); /* keeps libxml2's state: see vi_global_shutdown() */
    G_UNLOCK(init_lock);
}

static const void *HVD_CALL
esx_get_extension(const char *id, uint32_t flags)
{
    (void)id;
    (void)flags;
    return NULL; /* no extensions in this release */
}

/* The driver table of ABI minor MINOR: the layout a host of that minor
 * knows, with SCHED (the sched table of that minor's size). */
#define ESX_DRIVER(MINOR, SCHED)                                                                                       \
    {                                                                                                                  \
        .struct_size = sizeof(hvd_driver), .abi_major = HVD_ABI_MAJOR, .abi_minor = (MINOR), .name = "esx",            \
        .version = ESX_VERSION, .description = "VMware ESX/ESXi, GSX and vCenter over the vSphere API",                \
        .uri_schemes = esx_schemes,                                                                                    \
        .capabilities = HVD_CAP_CONNECT | HVD_CAP_DOMAIN | HVD_CAP_SNAPSHOT | HVD_CAP_NATIVE | HVD_CAP_PROGRESS |      \
                        HVD_CAP_CANCEL | HVD_CAP_STORAGE | HVD_CAP_SCHED | HVD_CAP_NETWORK | HVD_CAP_MIGRATE,          \
        .free = esx_free, .init = esx_init, .shutdown = esx_shutdown, .get_extension = esx_get_extension,              \
        .connect = &esx_connect_table, .domain = &esx_domain_table, .snapshot = &esx_snapshot_table, .sched = (SCHED), \
        .network = &esx_network_table, .storage = &esx_storage_table, .migrate = &esx_migrate_table,                   \
        .native = &esx_native_table,                                                                                   \
    }

/* 1.1 appended members to hvd_sched_table only: hvd_driver kept 1.0's size. */
G_STATIC_ASSERT(sizeof(hvd_driver) == offsetof(hvd_driver, native) + sizeof(const hvd_native_table *));

static const hvd_driver esx_driver = ESX_DRIVER(ESX_DRIVER_MINOR, &esx_sched_table);
/* What a 1.0 host gets: every table of 1.0's size (hvd.h, hvd_driver). */
static const hvd_driver esx_driver_1_0 = ESX_DRIVER(0, &esx_sched_table_1_0);

HVD_EXPORT int32_t HVD_CALL
hvd_driver_entry_v1(uint32_t host_minor, const hvd_driver **driver_out, uint32_t *minor_out)
{
    if (driver_out == NULL || minor_out == NULL)
        return HVD_ERR_INVALID_ARG;
    /* the driver implements minor ESX_DRIVER_MINOR and every older one; a
     * 1.0 host gets the tables of its own layout */
    *minor_out = host_minor < driver_minor ? host_minor : driver_minor;
    *driver_out = *minor_out == 0 ? &esx_driver_1_0 : &esx_driver;
    return HVD_OK;
}
