/* simconn.c — see simconn.h. */
#include "simconn.h"

#include <json-c/json.h>

#include <string.h>

const hvd_driver *drv;
static hvd_loader *loader;

void
simconn_init(void)
{
    loader = hvd_loader_new();
    hvd_error err = HVD_ERROR_INIT;
    const hvd_loaded_driver *ld = NULL;
    if (hvd_loader_load_for_uri(loader, "esx://x/", HVD_ABI_MINOR, &ld, &err) != HVD_OK)
        g_error("loading the driver: %s", err.message);
    drv = ld->driver;
    g_assert_cmpint(drv->init(0, &err), ==, HVD_OK);
}

void
simconn_done(void)
{
    drv->shutdown();
    hvd_loader_free(loader);
}

static int32_t HVD_CALL
sim_auth(void *user_data, hvd_credential *creds, uint32_t ncreds)
{
    const sim_instance *sim = user_data;
    for (uint32_t i = 0; i < ncreds; i++) {
        const char *v = creds[i].type == HVD_CRED_USERNAME ? sim->username : sim->password;
        g_assert_cmpuint(strlen(v) + 1, <=, creds[i].result_capacity);
        memcpy(creds[i].result, v, strlen(v) + 1);
        creds[i].result_len = (uint32_t)strlen(v);
    }
    return 0;
}

static hvd_conn *
open_host(sim_instance *sim, const char *uri, uint32_t flags, hvd_progress_fn fn)
{
    hvd_host host = { .struct_size = sizeof(host), .auth = sim_auth, .user_data = sim, .progress = fn };
    hvd_conn *conn = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->connect->open(uri, NULL, 0, &host, flags, &conn, &err) != HVD_OK)
        g_error("open %s: %s", uri, err.message);
    return conn;
}

hvd_conn *
open_flags(sim_instance *sim, const char *uri, uint32_t flags)
{
    return open_host(sim, uri, flags, NULL);
}

hvd_conn *
open_progress(sim_instance *sim, const char *uri, hvd_progress_fn fn)
{
    return open_host(sim, uri, 0, fn);
}

int
calls(sim_instance *sim, const char *method)
{
    g_autoptr(GError) gerr = NULL;
    int n = sim_call_count(sim, method, &gerr);
    g_assert_no_error(gerr);
    return n;
}

void
control(sim_instance *sim, const char *method, const char *path, const char *body, char **out)
{
    g_autoptr(GError) gerr = NULL;
    g_assert_true(sim_control(sim, method, path, body, out, &gerr));
    g_assert_no_error(gerr);
}

char *
server_vm(sim_instance *sim, const char *vm, const char *field)
{
    g_autoptr(GError) gerr = NULL;
    char *s = sim_vm_field(sim, vm, field, &gerr);
    g_assert_no_error(gerr);
    return s;
}

sim_instance *
start(const char *model, char **uri_out)
{
    g_autoptr(GError) gerr = NULL;
    sim_options so = { .model = model };
    sim_instance *sim = sim_start(&so, &gerr);
    g_assert_no_error(gerr);
    if (strcmp(model, "esx") == 0)
        *uri_out = g_strdup_printf("esx://%s:%d/?transport=http", sim->host, sim->port);
    else
        *uri_out = g_strdup_printf("vpx://%s:%d/DC0/DC0_H0?transport=http", sim->host, sim->port);
    return sim;
}

char *
sim_datastore_dir(sim_instance *sim, const char *name)
{
    g_autofree char *path = g_strdup_printf("/datastore?name=%s", name), *out = NULL;
    control(sim, "GET", path, NULL, &out);
    json_object *ds = json_tokener_parse(out);
    char *dir = g_strdup(json_object_get_string(json_object_object_get(ds, "dir")));
    json_object_put(ds);
    g_assert_nonnull(dir);
    return dir;
}

hvd_domain_info *
info_of(hvd_conn *conn, const char *domain)
{
    hvd_domain_info *info = NULL;
    hvd_error err = HVD_ERROR_INIT;
    if (drv->domain->get_info(conn, domain, 0, &info, &err) != HVD_OK)
        g_error("get_info %s: %s", domain, err.message);
    return info;
}

void
assert_error(int32_t rc, const hvd_error *err, int32_t want, const char *text)
{
    if (rc != want || strstr(err->message, text) == NULL)
        g_error("want %d with '%s', got %d: '%s'", want, text, rc, err->message);
}

hvd_param
int_param(const char *name, int64_t value)
{
    hvd_param p = { .struct_size = sizeof(hvd_param), .type = HVD_PARAM_INT64, .i = value };
    g_strlcpy(p.name, name, sizeof(p.name));
    return p;
}

char *
params_text(hvd_param_list *list)
{
    GString *s = g_string_new(NULL);
    for (uint32_t i = 0; i < list->count; i++) {
        const hvd_param *p = HVD_LIST_AT(const hvd_param, list->entries, list->entry_size, i);
        g_assert_cmpint(p->type, ==, HVD_PARAM_INT64);
        g_string_append_printf(s, "%s%s=%" G_GINT64_FORMAT, i ? " " : "", p->name, p->i);
    }
    drv->free(list);
    return g_string_free(s, FALSE);
}
