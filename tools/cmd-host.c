/* cmd-host.c — hvdctl commands about the connection and the host:
 * uri, version, hostname, nodeinfo, capabilities, freemem, drivers. */
#include "hvdctl.h"

#include <stdio.h>
#include <string.h>

#define CONNECT_CALL(c, member)                                                                   \
    ((c)->drv->connect != NULL && HVD_HAS_MEMBER((c)->drv->connect, hvd_connect_table, member) && \
     (c)->drv->connect->member != NULL)

static int
cmd_uri(ctl *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!CONNECT_CALL(c, get_uri))
        return ctl_unsupported(c, "uri");
    hvd_error err = HVD_ERROR_INIT;
    char *uri = NULL;
    int32_t rc = c->drv->connect->get_uri(c->conn, 0, &uri, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "uri", rc, &err);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "uri", json_object_new_string(uri));
        ctl_print_json(o);
    } else {
        printf("%s\n", uri);
    }
    c->drv->free(uri);
    return CTL_EXIT_OK;
}

static int
cmd_hostname(ctl *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!CONNECT_CALL(c, get_hostname))
        return ctl_unsupported(c, "hostname");
    hvd_error err = HVD_ERROR_INIT;
    char *name = NULL;
    int32_t rc = c->drv->connect->get_hostname(c->conn, 0, &name, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "hostname", rc, &err);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "hostname", json_object_new_string(name));
        ctl_print_json(o);
    } else {
        printf("%s\n", name);
    }
    c->drv->free(name);
    return CTL_EXIT_OK;
}

static const char *
str_or_empty(const hvd_version *v, const char *const *member, size_t off)
{
    if (v->struct_size < off + sizeof(*member) || *member == NULL)
        return "";
    return *member;
}
#define VSTR(v, m) str_or_empty((v), (const char *const *)&(v)->m, offsetof(hvd_version, m))

/* The capability bits this host knows, by name; bits of a newer driver
 * minor are ignored (hvd.h, "Unknown values"). */
static const struct {
    uint64_t bit;
    const char *name;
} cap_names[] = {
    { HVD_CAP_CONNECT, "connect" }, { HVD_CAP_DOMAIN, "domain" },   { HVD_CAP_SNAPSHOT, "snapshot" },
    { HVD_CAP_SCHED, "sched" },     { HVD_CAP_STORAGE, "storage" }, { HVD_CAP_NETWORK, "network" },
    { HVD_CAP_MIGRATE, "migrate" }, { HVD_CAP_NATIVE, "native" },   { HVD_CAP_PROGRESS, "progress" },
    { HVD_CAP_CANCEL, "cancel" },
};

static int
cmd_version(ctl *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!CONNECT_CALL(c, get_version))
        return ctl_unsupported(c, "version");
    hvd_error err = HVD_ERROR_INIT;
    hvd_version *v = NULL;
    int32_t rc = c->drv->connect->get_version(c->conn, 0, &v, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "version", rc, &err);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "host_abi",
                               json_object_new_string(G_STRINGIFY(HVD_ABI_MAJOR) "." G_STRINGIFY(HVD_ABI_MINOR)));
        json_object_object_add(o, "negotiated_minor", json_object_new_int64(c->loaded->minor));
        json_object_object_add(o, "driver", json_object_new_string(c->drv->name));
        json_object_object_add(o, "driver_version", json_object_new_string(c->drv->version));
        json_object_object_add(o, "product", json_object_new_string(VSTR(v, product)));
        json_object_object_add(o, "name", json_object_new_string(VSTR(v, name)));
        json_object_object_add(o, "version", json_object_new_int64((int64_t)v->version));
        g_autofree char *vs = g_strdup_printf("%u.%u.%u", v->major, v->minor, v->release);
        json_object_object_add(o, "version_string", json_object_new_string(vs));
        json_object_object_add(o, "api_type", json_object_new_string(VSTR(v, api_type)));
        json_object_object_add(o, "api_version", json_object_new_string(VSTR(v, api_version)));
        json_object_object_add(o, "build", json_object_new_string(VSTR(v, build)));
        json_object *caps = json_object_new_array();
        for (size_t i = 0; i < G_N_ELEMENTS(cap_names); i++) {
            if (c->drv->capabilities & cap_names[i].bit)
                json_object_array_add(caps, json_object_new_string(cap_names[i].name));
        }
        json_object_object_add(o, "capabilities", caps);
        ctl_print_json(o);
    } else {
        printf("Compiled against ABI:  HVD %d.%d\n", HVD_ABI_MAJOR, HVD_ABI_MINOR);
        printf("Using driver:          %s %s (ABI %u.%u)\n", c->drv->name, c->drv->version, c->drv->abi_major,
               c->loaded->minor);
        printf("Running hypervisor:    %s %u.%u.%u\n", VSTR(v, name), v->major, v->minor, v->release);
        printf("Product:               %s\n", VSTR(v, product));
        printf("API:                   %s %s\n", VSTR(v, api_type), VSTR(v, api_version));
        printf("Capabilities:         ");
        for (size_t i = 0; i < G_N_ELEMENTS(cap_names); i++) {
            if (c->drv->capabilities & cap_names[i].bit)
                printf(" %s", cap_names[i].name);
        }
        printf("\n");
    }
    c->drv->free(v);
    return CTL_EXIT_OK;
}

static int
cmd_nodeinfo(ctl *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!CONNECT_CALL(c, get_node_info))
        return ctl_unsupported(c, "nodeinfo");
    hvd_error err = HVD_ERROR_INIT;
    hvd_node_info n = { .struct_size = sizeof(n) };
    int32_t rc = c->drv->connect->get_node_info(c->conn, 0, &n, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "nodeinfo", rc, &err);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "cpu_model", json_object_new_string(n.model));
        json_object_object_add(o, "cpus", json_object_new_int64(n.cpus));
        json_object_object_add(o, "mhz", json_object_new_int64(n.mhz));
        json_object_object_add(o, "sockets", json_object_new_int64(n.sockets));
        json_object_object_add(o, "cores_per_socket", json_object_new_int64(n.cores));
        json_object_object_add(o, "threads_per_core", json_object_new_int64(n.threads));
        json_object_object_add(o, "numa_cells", json_object_new_int64(n.nodes));
        json_object_object_add(o, "memory_kib", json_object_new_int64((int64_t)n.memory_kib));
        ctl_print_json(o);
    } else {
        printf("%-20s %s\n", "CPU model:", n.model);
        printf("%-20s %u\n", "CPU(s):", n.cpus);
        printf("%-20s %u MHz\n", "CPU frequency:", n.mhz);
        printf("%-20s %u\n", "CPU socket(s):", n.sockets);
        printf("%-20s %u\n", "Core(s) per socket:", n.cores);
        printf("%-20s %u\n", "Thread(s) per core:", n.threads);
        printf("%-20s %u\n", "NUMA cell(s):", n.nodes);
        printf("%-20s %" G_GUINT64_FORMAT " KiB\n", "Memory size:", n.memory_kib);
    }
    return CTL_EXIT_OK;
}

static int
cmd_capabilities(ctl *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!CONNECT_CALL(c, get_capabilities))
        return ctl_unsupported(c, "capabilities");
    hvd_error err = HVD_ERROR_INIT;
    char *xml = NULL;
    int32_t rc = c->drv->connect->get_capabilities(c->conn, 0, &xml, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "capabilities", rc, &err);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "xml", json_object_new_string(xml));
        ctl_print_json(o);
    } else {
        fputs(xml, stdout);
    }
    c->drv->free(xml);
    return CTL_EXIT_OK;
}

static int
cmd_freemem(ctl *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!CONNECT_CALL(c, get_free_memory))
        return ctl_unsupported(c, "freemem");
    hvd_error err = HVD_ERROR_INIT;
    uint64_t bytes = 0;
    int32_t rc = c->drv->connect->get_free_memory(c->conn, 0, &bytes, &err);
    if (rc != HVD_OK)
        return ctl_report(c, "freemem", rc, &err);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "free_bytes", json_object_new_int64((int64_t)bytes));
        ctl_print_json(o);
    } else {
        printf("Total: %" G_GUINT64_FORMAT " KiB\n", bytes / 1024);
    }
    return CTL_EXIT_OK;
}

static int
cmd_drivers(ctl *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    hvd_loader *loader = hvd_loader_new();
    json_object *arr = c->json ? json_object_new_array() : NULL;
    uint32_t n = hvd_loader_count(loader);
    for (uint32_t i = 0; i < n; i++) {
        const hvd_manifest *m = hvd_loader_manifest(loader, i);
        g_autofree char *schemes = g_strjoinv(",", (char **)m->uri_schemes);
        if (arr != NULL) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "manifest", json_object_new_string(m->manifest_path));
            json_object_object_add(o, "name", json_object_new_string(m->name));
            json_object_object_add(o, "library", json_object_new_string(m->library_path));
            json_object_object_add(o, "schemes", json_object_new_string(schemes));
            json_object_object_add(o, "usable", json_object_new_boolean(m->usable));
            json_object_object_add(o, "problem", json_object_new_string(m->problem));
            json_object_array_add(arr, o);
        } else {
            printf("%-8s %-12s %s -> %s%s%s\n", m->name[0] ? m->name : "?", schemes, m->manifest_path, m->library_path,
                   m->usable ? "" : "\n         unusable: ", m->usable ? "" : m->problem);
        }
    }
    if (arr != NULL)
        ctl_print_json(arr);
    else if (n == 0)
        printf("no driver manifests found (set HVD_DRIVER_FILES, or install one under /etc/hvd/drivers.d/ or "
               "$XDG_DATA_DIRS/hvd/drivers.d/; see hvd-loader.h for the order)\n");
    hvd_loader_free(loader);
    return CTL_EXIT_OK;
}

const ctl_command ctl_host_commands[] = {
    { "uri", "", "print the canonical URI of the connection", NULL, CTL_CONN_REQUIRED, cmd_uri },
    { "version", "", "print the ABI, driver and hypervisor versions", NULL, CTL_CONN_REQUIRED, cmd_version },
    { "hostname", "", "print the host name of the server", NULL, CTL_CONN_REQUIRED, cmd_hostname },
    { "nodeinfo", "", "print CPU and memory of the host", NULL, CTL_CONN_REQUIRED, cmd_nodeinfo },
    { "capabilities", "", "print the capabilities XML", NULL, CTL_CONN_REQUIRED, cmd_capabilities },
    { "freemem", "", "print the free memory of the host", NULL, CTL_CONN_REQUIRED, cmd_freemem },
    { "drivers", "", "list the driver manifests the loader finds",
      "Shows every manifest found (HVD_DRIVER_FILES alone when set, else $XDG_DATA_HOME, /etc,\n"
      "$XDG_DATA_DIRS and the build's datadir, each under hvd/drivers.d/, in that order),\n"
      "the library it names, and why an unusable one is skipped.",
      CTL_CONN_NONE, cmd_drivers },
    { NULL, NULL, NULL, NULL, CTL_CONN_NONE, NULL },
};
