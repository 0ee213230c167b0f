/* Helpers shared by the vi/ tests. */
#pragma once

#include <glib.h>

#include "vi/vi.h"

#ifdef VI_TEST_DATA
/* Contents of tests/data/vi/NAME (asserts it exists). */
static inline char *
vi_test_read(const char *name, gsize *len)
{
    g_autofree char *path = g_build_filename(VI_TEST_DATA, name, NULL);
    char *buf = NULL;
    GError *error = NULL;
    g_file_get_contents(path, &buf, len, &error);
    g_assert_no_error(error);
    return buf;
}
#endif

#ifdef SIM_ERROR
/* The simulator's count of METHOD (NULL: all) since its last stats reset
 * (include simharness.h first); fails the test when the control endpoint
 * does. */
static inline int
vi_test_sim_calls(sim_instance *sim, const char *method)
{
    GError *error = NULL;
    int n = sim_call_count(sim, method, &error);
    g_assert_no_error(error);
    return n;
}

/* POST PATH (BODY: JSON or NULL) to the simulator's control endpoint;
 * fails the test when it answers an error. */
static inline void
vi_test_sim_post(sim_instance *sim, const char *path, const char *body)
{
    GError *error = NULL;
    g_assert_true(sim_control(sim, "POST", path, body, NULL, &error));
    g_assert_no_error(error);
}
#endif

/* g_test_run() between vi_global_init() and vi_global_shutdown(), as every
 * user of vi/ must bracket its connections. */
static inline int
vi_test_run(void)
{
    GError *error = NULL;
    vi_global_init(&error);
    g_assert_no_error(error);
    int rc = g_test_run();
    vi_global_shutdown();
    return rc;
}
