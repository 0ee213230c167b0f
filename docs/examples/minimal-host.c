/* minimal-host.c — the smallest useful HVD host: find the driver for a URI
 * scheme through libhvd-loader, negotiate, and print what it is.
 *
 *   cc minimal-host.c $(pkg-config --cflags --libs hvd) -o minimal-host
 *   ./minimal-host esx://esx1.example.com/
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <hvd-loader.h>

#include <stdio.h>

int
main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "esx://localhost/";
    hvd_loader *loader = hvd_loader_new();
    if (loader == NULL)
        return 1;
    printf("libhvd-loader %s (%s), %u manifest(s)\n", hvd_loader_version(), hvd_loader_arch(),
           hvd_loader_count(loader));

    const hvd_loaded_driver *loaded = NULL;
    hvd_error err = HVD_ERROR_INIT;
    int32_t rc = hvd_loader_load_for_uri(loader, uri, HVD_ABI_MINOR, &loaded, &err);
    if (rc != HVD_OK) {
        fprintf(stderr, "%s: %s\n", hvd_status_string(rc), err.message);
        hvd_loader_free(loader);
        return 1;
    }
    const hvd_driver *drv = loaded->driver;
    printf("driver %s %s (HVD %u.%u, negotiated 1.%u): %s\n", drv->name, drv->version, drv->abi_major, drv->abi_minor,
           loaded->minor, drv->description);
    printf("from %s\n", loaded->manifest->library_path);
    /* A host would now call drv->init(), drv->connect->open(uri, ...), and
     * drv->shutdown() after the last close (docs/abi.md, "Loading a driver"). */
    hvd_loader_free(loader);
    return 0;
}
