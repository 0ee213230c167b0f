/* The memory parameters of a domain (ABI 1.1: hvd_sched_table's
 * get_memory_params and set_memory_params) against the simulator: the
 * server's config.memoryAllocation after each set (through the control
 * endpoint, and through a second connection), only the parameters given
 * changed, KiB rounded up to the server's MB, every rule's error before any
 * call, unknown domains and read-only connections. On the ESX model and
 * through a vCenter. */
#include "simconn.h"

#include <string.h>

/* The memory allocation on the server (MB), as tests/sim/vmstate.go words it. */
static void
assert_server(sim_instance *sim, const char *vm, const char *want)
{
    g_autofree char *got = server_vm(sim, vm, "memoryAllocation");
    g_assert_cmpstr(got, ==, want);
}

/* get_memory_params as "NAME=VALUE ..." */
static char *
params_of(hvd_conn *conn, const char *key)
{
    hvd_param_list *list = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->sched->get_memory_params(conn, key, 0, &list, &err) != HVD_OK)
        g_error("get_memory_params %s: %s", key, err.message);
    g_assert_cmpuint(list->count, ==, 3);
    return params_text(list);
}

static void
check_memtune(const char *model, const char *vm)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    hvd_conn *other = open_flags(sim, uri, 0);
    g_autofree char *key = server_vm(sim, vm, "vm");
    const hvd_sched_table *t = drv->sched;
    g_assert_true(HVD_HAS_MEMBER(t, hvd_sched_table, set_memory_params));
    hvd_error err = HVD_ERROR_INIT;

    /* a full set, read back from the server and through another connection */
    hvd_param all[] = { int_param("min_guarantee", 1024 * 1024), int_param("hard_limit", 2 * 1024 * 1024),
                        int_param("shares", -3) };
    g_assert_cmpint(t->set_memory_params(conn, key, all, 3, 0, &err), ==, HVD_OK);
    assert_server(sim, vm, "reservation=1024 limit=2048 shares=high:0");
    g_autofree char *got = params_of(other, key);
    g_assert_cmpstr(got, ==, "min_guarantee=1048576 hard_limit=2097152 shares=-3");

    /* one parameter: the others kept; KiB rounded up to whole MB */
    hvd_param one = int_param("shares", 1234);
    g_assert_cmpint(t->set_memory_params(conn, key, &one, 1, 0, &err), ==, HVD_OK);
    assert_server(sim, vm, "reservation=1024 limit=2048 shares=custom:1234");
    one = int_param("hard_limit", -1);
    g_assert_cmpint(t->set_memory_params(conn, key, &one, 1, 0, &err), ==, HVD_OK);
    assert_server(sim, vm, "reservation=1024 limit=-1 shares=custom:1234");
    one = int_param("min_guarantee", 1);
    g_assert_cmpint(t->set_memory_params(conn, key, &one, 1, 0, &err), ==, HVD_OK);
    assert_server(sim, vm, "reservation=1 limit=-1 shares=custom:1234");
    g_free(got);
    got = params_of(other, key);
    g_assert_cmpstr(got, ==, "min_guarantee=1024 hard_limit=-1 shares=1234");
    /* the CPU allocation is untouched */
    g_autofree char *cpu = server_vm(sim, vm, "cpuAllocation");
    g_assert_null(strstr(cpu, "1234"));

    /* every rule, before any call */
    control(sim, "POST", "/stats/reset", NULL, NULL);
    one = int_param("min_guarantee", -1);
    assert_error(t->set_memory_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "sched set_memory_params: parameter 'min_guarantee' is -1 KiB; it must be 0 or greater");
    one = int_param("hard_limit", -2);
    assert_error(t->set_memory_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "parameter 'hard_limit' is -2 KiB; it must be -1 (unlimited) or 0 or greater");
    one = int_param("hard_limit", (int64_t)1 << 41);
    assert_error(t->set_memory_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "parameter 'hard_limit' is 2199023255552 KiB; it must be at most 1099511627776 KiB");
    one = int_param("shares", -4);
    assert_error(t->set_memory_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "parameter 'shares' is -4; it must be -1 (low), -2 (normal), -3 (high) or a count of 0 or greater");
    one = int_param("soft_limit", 1);
    assert_error(t->set_memory_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "unknown parameter 'soft_limit' (the memory parameters are min_guarantee, hard_limit and shares; "
                 "ESX has no soft_limit or swap_hard_limit)");
    one = int_param("reservation", 1);
    assert_error(t->set_memory_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "unknown parameter 'reservation'");
    one = int_param("bad\nname", 1);
    assert_error(t->set_memory_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "unknown parameter 'bad\\nname'");
    one = int_param("hard_limit", 1);
    one.type = HVD_PARAM_UINT64;
    assert_error(t->set_memory_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "parameter 'hard_limit' must be an INT64");
    hvd_param twice[] = { int_param("hard_limit", 1), int_param("hard_limit", 2) };
    assert_error(t->set_memory_params(conn, key, twice, 2, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "parameter 'hard_limit' given twice");
    hvd_param below[] = { int_param("min_guarantee", 3072), int_param("hard_limit", 2048) };
    assert_error(t->set_memory_params(conn, key, below, 2, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "parameter 'hard_limit' (2048 KiB) is below the reservation 'min_guarantee' (3072 KiB)");
    assert_error(t->set_memory_params(conn, key, NULL, 0, 0, &err), &err, HVD_ERR_INVALID_ARG, "no parameter given");
    g_assert_cmpint(t->set_memory_params(conn, key, &one, 1, 0x8, &err), ==, HVD_ERR_BAD_FLAGS);
    hvd_param_list *list = NULL;
    g_assert_cmpint(t->get_memory_params(conn, key, 0x1, &list, &err), ==, HVD_ERR_BAD_FLAGS);
    g_assert_null(list);
    g_assert_cmpint(calls(sim, NULL), ==, 0);

    /* against the domain's values: a limit below its reservation */
    one = int_param("min_guarantee", 3072);
    g_assert_cmpint(t->set_memory_params(conn, key, &one, 1, 0, &err), ==, HVD_OK);
    one = int_param("hard_limit", 2048);
    g_autofree char *want = g_strdup_printf("(2048 KiB) is below the reservation 'min_guarantee' (3072 KiB) of "
                                            "domain '%s'; it must be -1 (unlimited) or at least the reservation",
                                            vm);
    assert_error(t->set_memory_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG, want);
    assert_server(sim, vm, "reservation=3 limit=-1 shares=custom:1234");

    /* unknown domain */
    g_assert_cmpint(t->get_memory_params(conn, "vm-424242", 0, &list, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_null(list);
    one = int_param("shares", 10);
    g_assert_cmpint(t->set_memory_params(conn, "vm-424242", &one, 1, 0, &err), ==, HVD_ERR_NO_DOMAIN);
    drv->connect->close(conn);

    /* read-only: nothing sent, nothing changed; reading works */
    conn = open_flags(sim, uri, HVD_CONNECT_READONLY);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    assert_error(t->set_memory_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_ACCESS_DENIED, "read-only");
    g_assert_cmpint(calls(sim, NULL), ==, 0);
    g_free(got);
    got = params_of(conn, key);
    g_assert_cmpstr(got, ==, "min_guarantee=3072 hard_limit=-1 shares=1234");
    drv->connect->close(conn);
    drv->connect->close(other);
}

static void
test_memtune_esx(void)
{
    check_memtune("esx", "ha-host_VM0");
}

static void
test_memtune_vpx(void)
{
    check_memtune("vc", "DC0_H0_VM1");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    simconn_init();
    g_test_add_func("/plugin/memtune/esx", test_memtune_esx);
    g_test_add_func("/plugin/memtune/vpx", test_memtune_vpx);
    int ret = g_test_run();
    simconn_done();
    return ret;
}
