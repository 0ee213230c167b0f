/* run-sim-expect.c — prove that hvd-conformance's live storage and snapshot
 * checks can fail: run them (--uri against a fresh ESX simulator, --write)
 * on a driver that breaks one member (shim.c) and require a failed run with
 * a "FAIL <id>" line for each id named.
 *
 *   run-sim-expect HVD_CONFORMANCE DRIVER.so CHECK_ID...
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "simharness.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s HVD_CONFORMANCE DRIVER.so CHECK_ID...\n", argv[0]);
        return 2;
    }
    sim_options so = { .model = "esx", .password = "hvd-Conf0rmance-S3cret" }; /* live.no-secret */
    g_autoptr(GError) gerr = NULL;
    g_autoptr(sim_instance) sim = sim_start(&so, &gerr);
    if (sim == NULL) {
        fprintf(stderr, "cannot start the simulator: %s\n", gerr->message);
        return 1;
    }
    g_autofree char *uri = g_strdup_printf("esx://%s:%d/?transport=http", sim->host, sim->port);
    g_auto(GStrv) envp = g_environ_setenv(g_get_environ(), "HVD_CONFORMANCE_PASSWORD", sim->password, TRUE);
    const char *cmd[] = { argv[1], "--uri", uri, "--user", sim->username, "--write", argv[2], NULL };
    g_autofree char *out = NULL;
    int status = 0;
    if (!g_spawn_sync(NULL, (char **)cmd, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &gerr)) {
        printf("cannot run %s: %s\n", argv[1], gerr->message);
        return 1;
    }
    fputs(out, stdout);
    int ok = 1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 1) {
        printf("run-sim-expect: exit status %d, want 1\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        ok = 0;
    }
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    for (int i = 3; i < argc; i++) {
        g_autofree char *want = g_strdup_printf("FAIL %s:", argv[i]);
        int seen = 0;
        for (char **l = lines; *l != NULL && !seen; l++)
            seen = g_str_has_prefix(*l, want);
        if (!seen) {
            printf("run-sim-expect: no '%s' line\n", want);
            ok = 0;
        }
    }
    printf("run-sim-expect: %s\n", ok ? "the broken member was caught" : "NOT CAUGHT");
    return ok ? 0 : 1;
}
