/* hvd-loader.h — host-side discovery and loading of HVD drivers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A small library host applications may link (libhvd-loader). It finds driver
 * manifests, picks the driver for a URI scheme, dlopen()s it, checks that the
 * entry symbol really comes from that library, and negotiates the ABI minor.
 * A broken or incompatible driver is reported (hvd_loader_problem) and
 * skipped; it never takes the host down.
 *
 * Manifests are JSON files named *.json:
 *   {
 *     "file_format_version": "1.1.0",
 *     "driver": {
 *       "name": "esx",
 *       "library_path": "../../../lib/x86_64-linux-gnu/hvd/libhvd-esx.so",
 *       "architecture": "x86_64-linux-gnu",
 *       "abi_major": 1, "abi_minor": 0,
 *       "uri_schemes": ["esx", "gsx", "vpx"],
 *       "description": "VMware ESX/GSX/vCenter"
 *     }
 *   }
 * library_path is relative to the manifest's folder when it contains a '/'
 * and is not absolute; a bare file name is left to the dynamic linker's
 * search path.
 *
 * architecture (optional, format 1.1): the architecture tuple of the library,
 * as the loader was built for (the multiarch tuple, e.g. x86_64-linux-gnu,
 * i386-linux-gnu; `pkg-config --variable=arch hvd`). A manifest of another
 * architecture is not an error: it is listed with usable = 0 and the reason,
 * and skipped. Installed manifests carry their architecture in their file
 * name too (NAME.ARCH.json, as Vulkan ICD files do), so that the packages of
 * two architectures install side by side into one folder. A manifest without
 * it is for every architecture (e.g. a bare library name the dynamic linker
 * resolves in its own multiarch folder).
 *
 * Search order, highest precedence first:
 *   1. HVD_DRIVER_FILES, if set and not empty (a ':'-separated list of
 *      manifest files): exactly those files, in that order, and nothing else.
 *   2. $XDG_DATA_HOME/hvd/drivers.d (default ~/.local/share/hvd/drivers.d):
 *      the user's own drivers.
 *   3. SYSCONFDIR/hvd/drivers.d (/etc/hvd/drivers.d for a /usr build): the
 *      administrator's.
 *   4. each of $XDG_DATA_DIRS/hvd/drivers.d (default
 *      /usr/local/share:/usr/share; relative entries are ignored).
 *   5. DATADIR/hvd/drivers.d of the loader's own build (/usr/share for a
 *      /usr build, `pkg-config --variable=manifestdir hvd`), where packages
 *      install manifests, so a loader installed under another prefix still
 *      finds its drivers.
 * A folder met twice is scanned once, at its first place; each folder's
 * files are taken in name order. The first usable manifest that lists a
 * scheme (or a name) wins it; if its driver does not load, the next one is
 * tried.
 *
 * Threads: a hvd_loader is not thread-safe; create, query and free it on one
 * thread (or lock around it). The driver table it hands out follows hvd.h's
 * per-member rules.
 */
#ifndef HVD_LOADER_H
#define HVD_LOADER_H

#include "hvd.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hvd_loader hvd_loader;

/** One manifest found during discovery. All strings [borrowed: until
 *  hvd_loader_free]. */
typedef struct hvd_manifest {
    uint32_t struct_size; /**< set by the loader; members are only appended */
    uint32_t reserved0;
    const char *manifest_path; /**< the JSON file */
    const char *name;          /**< driver name, "" if the manifest is broken */
    const char *library_path;  /**< resolved library path, "" if unknown */
    const char *description;
    uint32_t abi_major;
    uint32_t abi_minor;
    const char *const *uri_schemes; /**< NULL-terminated */
    int32_t usable;                 /**< 1 if well-formed and of our ABI major */
    const char *problem;            /**< why not usable, or "" */
} hvd_manifest;

/** Scan the manifest folders (see above). Never fails on a bad manifest:
 *  those are listed with usable = 0 and a problem. Returns NULL only when
 *  out of memory. [transfer] release with hvd_loader_free(). */
hvd_loader *hvd_loader_new(void);

/** Unload every driver this loader opened and free it. The host must have
 *  closed every connection first. NULL is a no-op. */
void hvd_loader_free(hvd_loader *loader);

/** Number of manifests found, and manifest i ([borrowed]). */
uint32_t hvd_loader_count(const hvd_loader *loader);
const hvd_manifest *hvd_loader_manifest(const hvd_loader *loader, uint32_t i);

/** A driver opened by the loader. [borrowed: until hvd_loader_free] */
typedef struct hvd_loaded_driver {
    uint32_t struct_size; /**< set by the loader; members are only appended */
    uint32_t reserved0;
    const hvd_manifest *manifest;
    const hvd_driver *driver; /**< the driver's table */
    uint32_t minor;           /**< negotiated ABI minor */
    void *dl_handle;          /**< dlopen handle */
} hvd_loaded_driver;

/** Load the driver for `uri`'s scheme (e.g. "esx" for "esx://host/"),
 *  negotiating `host_minor` (normally HVD_ABI_MINOR); the host's upcalls go
 *  to each open() (hvd.h), not here. Tries every usable manifest that lists
 *  the scheme, in search order, until one loads; the reasons of failed ones
 *  are kept in their hvd_manifest.problem and in `err`. Loading the same
 *  driver twice returns the same hvd_loaded_driver.
 *  Errors: HVD_ERR_URI (no scheme), HVD_ERR_NO_SUPPORT (no manifest for the
 *  scheme), HVD_ERR_ABI_MISMATCH, HVD_ERR_IO (dlopen/dlsym failed). */
int32_t hvd_loader_load_for_uri(hvd_loader *loader, const char *uri, uint32_t host_minor, const hvd_loaded_driver **out,
                                hvd_error *err);

/** Same, by driver name ("esx"). Used for offline operations that need no URI. */
int32_t hvd_loader_load_by_name(hvd_loader *loader, const char *name, uint32_t host_minor,
                                const hvd_loaded_driver **out, hvd_error *err);

/** libhvd-loader's own version, e.g. "1.1.0" (also `pkg-config --modversion
 *  hvd`), for a host's --version. [static] Since libhvd-loader 1.1. */
const char *hvd_loader_version(void);

/** The architecture tuple this loader takes manifests for, e.g.
 *  "x86_64-linux-gnu" (see "architecture" above). [static] Since 1.1. */
const char *hvd_loader_arch(void);

/** Fill a caller-owned hvd_error (may be NULL) with code and printf message. */
void hvd_error_set(hvd_error *err, int32_t code, const char *fault, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** A short English name for a status code, e.g. "authentication failed". */
const char *hvd_status_string(int32_t status);

#ifdef __cplusplus
}
#endif

#endif /* HVD_LOADER_H */
