/* The CPU scheduler of a domain against the simulator: get_type and
 * get_params, set_params changing only the parameters given (the VM's
 * config.cpuAllocation read back from the server), every rule's error
 * before any call, unknown domains and read-only connections. On the ESX
 * model and through a vCenter. */
#include "simconn.h"

#include <string.h>

/* The allocation on the server, as tests/sim/vmstate.go words it. */
static void
assert_server(sim_instance *sim, const char *vm, const char *want)
{
    g_autofree char *got = server_vm(sim, vm, "cpuAllocation");
    g_assert_cmpstr(got, ==, want);
}

/* get_params as "R L S". */
static char *
params_of(hvd_conn *conn, const char *key)
{
    hvd_param_list *list = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->sched->get_params(conn, key, 0, &list, &err) != HVD_OK)
        g_error("get_params %s: %s", key, err.message);
    g_assert_cmpuint(list->count, ==, 3);
    return params_text(list);
}

static void
check_sched(const char *model, const char *vm)
{
    g_autofree char *uri = NULL;
    g_autoptr(sim_instance) sim = start(model, &uri);
    hvd_conn *conn = open_flags(sim, uri, 0);
    hvd_conn *other = open_flags(sim, uri, 0);
    g_autofree char *key = server_vm(sim, vm, "vm");
    const hvd_sched_table *t = drv->sched;
    g_assert_nonnull(t);
    g_assert_true(drv->capabilities & HVD_CAP_SCHED);
    hvd_error err = HVD_ERROR_INIT;

    char *type = NULL;
    uint32_t n = 0;
    g_assert_cmpint(t->get_type(conn, key, 0, &type, &n, &err), ==, HVD_OK);
    g_assert_cmpstr(type, ==, "allocation");
    g_assert_cmpuint(n, ==, 3);
    drv->free(type);

    /* a full set, read back from the server and through another connection */
    hvd_param all[] = { int_param("reservation", 100), int_param("limit", 500), int_param("shares", -3) };
    g_assert_cmpint(t->set_params(conn, key, all, 3, 0, &err), ==, HVD_OK);
    assert_server(sim, vm, "reservation=100 limit=500 shares=high:0");
    g_autofree char *got = params_of(other, key);
    g_assert_cmpstr(got, ==, "reservation=100 limit=500 shares=-3");

    /* one parameter: the others are kept */
    hvd_param one = int_param("shares", 1234);
    g_assert_cmpint(t->set_params(conn, key, &one, 1, 0, &err), ==, HVD_OK);
    assert_server(sim, vm, "reservation=100 limit=500 shares=custom:1234");
    one = int_param("limit", -1);
    g_assert_cmpint(t->set_params(conn, key, &one, 1, 0, &err), ==, HVD_OK);
    assert_server(sim, vm, "reservation=100 limit=-1 shares=custom:1234");
    one = int_param("shares", -1);
    g_assert_cmpint(t->set_params(conn, key, &one, 1, 0, &err), ==, HVD_OK);
    one = int_param("reservation", 0);
    g_assert_cmpint(t->set_params(conn, key, &one, 1, 0, &err), ==, HVD_OK);
    assert_server(sim, vm, "reservation=0 limit=-1 shares=low:0");
    g_free(got);
    got = params_of(other, key);
    g_assert_cmpstr(got, ==, "reservation=0 limit=-1 shares=-1");

    /* every rule, before any call */
    control(sim, "POST", "/stats/reset", NULL, NULL);
    one = int_param("reservation", -1);
    assert_error(t->set_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "parameter 'reservation' is -1 MHz; it must be 0 or greater");
    one = int_param("limit", -2);
    assert_error(t->set_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "parameter 'limit' is -2 MHz; it must be -1 (unlimited) or 0 or greater");
    one = int_param("shares", -4);
    assert_error(t->set_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "parameter 'shares' is -4; it must be -1 (low), -2 (normal), -3 (high) or a count of 0 or greater");
    one = int_param("cpu_shares", 1);
    assert_error(t->set_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "unknown parameter 'cpu_shares'");
    one = int_param("limit", 1);
    one.type = HVD_PARAM_UINT64;
    assert_error(t->set_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "parameter 'limit' must be an INT64");
    hvd_param twice[] = { int_param("limit", 1), int_param("limit", 2) };
    assert_error(t->set_params(conn, key, twice, 2, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "parameter 'limit' given twice");
    hvd_param below[] = { int_param("reservation", 300), int_param("limit", 200) };
    assert_error(t->set_params(conn, key, below, 2, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "parameter 'limit' (200 MHz) is below the reservation (300 MHz)");
    assert_error(t->set_params(conn, key, NULL, 0, 0, &err), &err, HVD_ERR_INVALID_ARG, "no parameter given");
    g_assert_cmpint(t->set_params(conn, key, &one, 1, 0x8, &err), ==, HVD_ERR_BAD_FLAGS);
    g_assert_cmpint(calls(sim, NULL), ==, 0);

    /* against the domain's values: a limit below its reservation */
    one = int_param("reservation", 300);
    g_assert_cmpint(t->set_params(conn, key, &one, 1, 0, &err), ==, HVD_OK);
    one = int_param("limit", 200);
    g_autofree char *want = g_strdup_printf("(200 MHz) is below the reservation (300 MHz) of domain '%s'", vm);
    assert_error(t->set_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG, want);
    one = int_param("limit", 300);
    g_assert_cmpint(t->set_params(conn, key, &one, 1, 0, &err), ==, HVD_OK);
    one = int_param("reservation", 400);
    assert_error(t->set_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_INVALID_ARG,
                 "(300 MHz) is below the reservation (400 MHz)");
    assert_server(sim, vm, "reservation=300 limit=300 shares=low:0");

    /* unknown domain */
    hvd_param_list *list = NULL;
    g_assert_cmpint(t->get_params(conn, "vm-424242", 0, &list, &err), ==, HVD_ERR_NO_DOMAIN);
    g_assert_cmpint(t->get_type(conn, "vm-424242", 0, &type, &n, &err), ==, HVD_ERR_NO_DOMAIN);
    one = int_param("shares", 10);
    g_assert_cmpint(t->set_params(conn, "vm-424242", &one, 1, 0, &err), ==, HVD_ERR_NO_DOMAIN);
    drv->connect->close(conn);

    /* read-only: nothing sent, nothing changed; reading works */
    conn = open_flags(sim, uri, HVD_CONNECT_READONLY);
    control(sim, "POST", "/stats/reset", NULL, NULL);
    assert_error(t->set_params(conn, key, &one, 1, 0, &err), &err, HVD_ERR_ACCESS_DENIED, "read-only");
    g_assert_cmpint(calls(sim, NULL), ==, 0);
    g_free(got);
    got = params_of(conn, key);
    g_assert_cmpstr(got, ==, "reservation=300 limit=300 shares=-1");
    assert_server(sim, vm, "reservation=300 limit=300 shares=low:0");
    drv->connect->close(conn);
    drv->connect->close(other);
}

static void
test_sched_esx(void)
{
    check_sched("esx", "ha-host_VM0");
}

static void
test_sched_vpx(void)
{
    check_sched("vc", "DC0_H0_VM1");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    simconn_init();
    g_test_add_func("/plugin/sched/esx", test_sched_esx);
    g_test_add_func("/plugin/sched/vpx", test_sched_vpx);
    int ret = g_test_run();
    simconn_done();
    return ret;
}
