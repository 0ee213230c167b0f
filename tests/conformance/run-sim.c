/* run-sim.c — run hvd-conformance's live checks against the bundled vSphere
 * simulator: starts hvd-sim (ESX model over HTTP, over verified HTTPS, and
 * the vCenter model),
 * runs `hvd-conformance --uri esx://... DRIVER.so` and passes its status on.
 *
 *   run-sim HVD_CONFORMANCE DRIVER.so
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "simharness.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

static int
run_one(const char *conformance, const char *driver, const char *uri, const sim_instance *sim)
{
    g_auto(GStrv) envp = g_environ_setenv(g_get_environ(), "HVD_CONFORMANCE_PASSWORD", sim->password, TRUE);
    const char *argv[] = { conformance, "--uri", uri, "--user", sim->username, "--write", driver, NULL };
    g_autoptr(GError) err = NULL;
    int status = 0;
    printf("### %s --uri %s --user %s --write %s (password from the environment)\n", conformance, uri, sim->username,
           driver);
    fflush(stdout);
    if (!g_spawn_sync(NULL, (char **)argv, envp, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL, &status, &err)) {
        printf("FAIL: cannot run %s: %s\n", conformance, err->message);
        return 1;
    }
    return g_spawn_check_wait_status(status, NULL) ? 0 : 1;
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s HVD_CONFORMANCE DRIVER.so\n", argv[0]);
        return 2;
    }
    int failed = 0;
    /* ESX over HTTP, ESX over verified HTTPS, vCenter (a host in a cluster) */
    for (int run = 0; run < 3; run++) {
        /* a password no message would contain by chance (live.no-secret) */
        sim_options so = { .model = run < 2 ? "esx" : "vc", .tls = run == 1, .password = "hvd-Conf0rmance-S3cret" };
        g_autoptr(GError) gerr = NULL;
        g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
        if (sim == NULL) {
            fprintf(stderr, "cannot start the simulator: %s\n", gerr->message);
            return 1;
        }
        g_autofree char *uri =
            run == 0   ? g_strdup_printf("esx://%s:%d/?transport=http", sim->host, sim->port)
            : run == 1 ? g_strdup_printf("esx://%s:%d/?ca_file=%s", sim->host, sim->port, sim->ca_file)
                       : g_strdup_printf("vpx://%s:%d/DC0/DC0_C0/DC0_C0_H0?transport=http", sim->host, sim->port);
        failed |= run_one(argv[1], argv[2], uri, sim);
    }
    return failed;
}
