/* cmd-native.c — domxml-from-native / domxml-to-native. Both work without a
 * connection (the driver maps datastore paths offline); with -c URI the
 * driver asks the server instead. */
#include "hvdctl.h"
#include "input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Which driver converts which format when no connection picks it. */
static const char *
driver_for_format(const char *format)
{
    if (strcmp(format, "vmware-vmx") == 0)
        return "esx";
    return NULL;
}

typedef struct {
    const char *format;
    const char *file;
    const char *vmx_location;
    const char *datacenter_path;
    const char *driver;
    guint64 hw_version;
    gboolean have_hw;
} native_args;

static int
parse_native_args(ctl *c, int argc, char **argv, gboolean to_native, native_args *a)
{
    memset(a, 0, sizeof(*a));
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *val = NULL;
#define OPT(name)                                                                                                    \
    (strcmp(arg, name) == 0                                                                                          \
         ? (i + 1 < argc ? (val = argv[++i], TRUE) : (ctl_fail(c, CTL_EXIT_USAGE, "%s needs a value", name), FALSE)) \
         : (g_str_has_prefix(arg, name "=") ? (val = arg + strlen(name "="), TRUE) : FALSE))
        if (!to_native && OPT("--vmx-location")) {
            a->vmx_location = val;
        } else if (!to_native && OPT("--datacenter-path")) {
            a->datacenter_path = val;
        } else if (to_native && OPT("--hw-version")) {
            char *end = NULL;
            a->hw_version = g_ascii_strtoull(val, &end, 10);
            if (end == val || *end != '\0' || a->hw_version < 3 || a->hw_version > 99)
                return ctl_fail(c, CTL_EXIT_USAGE,
                                "--hw-version takes a virtual hardware version such as 4, 7 or 13, "
                                "not '%s'",
                                val);
            a->have_hw = TRUE;
        } else if (OPT("--driver")) {
            a->driver = val;
        } else if (val == NULL && arg[0] == '-' && arg[1] != '\0') {
            return ctl_fail(c, CTL_EXIT_USAGE, "unknown option '%s'; see 'hvdctl help %s'", arg, argv[0]);
        } else if (val == NULL && a->format == NULL) {
            a->format = arg;
        } else if (val == NULL && a->file == NULL) {
            a->file = arg;
        } else if (val == NULL) {
            return ctl_fail(c, CTL_EXIT_USAGE, "unexpected argument '%s'; see 'hvdctl help %s'", arg, argv[0]);
        } else {
            return CTL_EXIT_USAGE; /* OPT already reported */
        }
#undef OPT
    }
    if (a->format == NULL || a->file == NULL)
        return ctl_fail(c, CTL_EXIT_USAGE, "usage: hvdctl %s FORMAT FILE (see 'hvdctl help %s')", argv[0], argv[0]);
    return CTL_EXIT_OK;
}

static int
run_native(ctl *c, int argc, char **argv, gboolean to_native)
{
    native_args a;
    int rc = parse_native_args(c, argc, argv, to_native, &a);
    if (rc != CTL_EXIT_OK)
        return rc;
    if (c->conn == NULL) {
        const char *drv = a.driver ? a.driver : driver_for_format(a.format);
        if (drv == NULL)
            return ctl_fail(c, CTL_EXIT_USAGE, "unknown native format '%s': this hvdctl knows vmware-vmx", a.format);
        if (!ctl_load_driver(c, drv))
            return CTL_EXIT_FAIL;
    }
    const hvd_native_table *nt = c->drv->native;
    if (nt == NULL || (to_native ? nt->from_xml : nt->to_xml) == NULL)
        return ctl_unsupported(c, argv[0]);

    g_autofree char *text = NULL;
    g_autoptr(GError) gerr = NULL;
    text = input_read(a.file, INPUT_MAX_BYTES, &gerr);
    if (text == NULL)
        return ctl_fail(c, CTL_EXIT_FAIL, "%s", gerr->message);

    hvd_param params[3];
    uint32_t n = 0;
    memset(params, 0, sizeof(params));
#define ADD_STR(key, value)                                     \
    do {                                                        \
        params[n].struct_size = sizeof(hvd_param);              \
        params[n].type = HVD_PARAM_STRING;                      \
        g_strlcpy(params[n].name, key, sizeof(params[n].name)); \
        params[n].s = value;                                    \
        n++;                                                    \
    } while (0)
    if (a.vmx_location != NULL)
        ADD_STR(HVD_NATIVE_PARAM_VMX_LOCATION, a.vmx_location);
    if (a.datacenter_path != NULL)
        ADD_STR(HVD_NATIVE_PARAM_DATACENTER_PATH, a.datacenter_path);
#undef ADD_STR
    if (a.have_hw) {
        params[n].struct_size = sizeof(hvd_param);
        params[n].type = HVD_PARAM_UINT64;
        g_strlcpy(params[n].name, HVD_NATIVE_PARAM_HW_VERSION, sizeof(params[n].name));
        params[n].u = a.hw_version;
        n++;
    }
    hvd_error err = HVD_ERROR_INIT;
    char *out = NULL;
    int32_t st = to_native ? nt->from_xml(c->conn, a.format, text, params, n, 0, &out, &err)
                           : nt->to_xml(c->conn, a.format, text, params, n, 0, &out, &err);
    if (st != HVD_OK)
        return ctl_report(c, argv[0], st, &err);
    if (c->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, to_native ? "native" : "xml", json_object_new_string(out));
        json_object_object_add(o, "format", json_object_new_string(a.format));
        ctl_print_json(o);
    } else {
        fputs(out, stdout);
    }
    c->drv->free(out);
    return CTL_EXIT_OK;
}

static int
cmd_from_native(ctl *c, int argc, char **argv)
{
    return run_native(c, argc, argv, FALSE);
}

static int
cmd_to_native(ctl *c, int argc, char **argv)
{
    return run_native(c, argc, argv, TRUE);
}

const ctl_command ctl_native_commands[] = {
    { "domxml-from-native", "FORMAT FILE [--vmx-location '[DS] DIR'] [--datacenter-path PATH]",
      "convert a native config (vmware-vmx) to domain XML",
      "FILE may be '-' for standard input. Without -c the conversion runs offline:\n"
      "  /vmfs/volumes/DS/PATH becomes [DS] PATH, other absolute paths stay as they are,\n"
      "  and a bare file name is placed beside the VMX, whose datastore location\n"
      "  --vmx-location '[DS] DIR' gives (without it, the name stays relative to the\n"
      "  VMX file's folder). SCSI controller auto-detection answers lsilogic.\n"
      "  --datacenter-path PATH fills the <vmware:datacenterpath> element.",
      CTL_CONN_OPTIONAL, cmd_from_native },
    { "domxml-to-native", "FORMAT FILE [--hw-version N]", "convert domain XML to a native config (vmware-vmx)",
      "FILE may be '-' for standard input. --hw-version sets virtualHW.version (default 4).\n"
      "Without -c, datastore paths [DS] PATH become /vmfs/volumes/DS/PATH.",
      CTL_CONN_OPTIONAL, cmd_to_native },
    { NULL, NULL, NULL, NULL, CTL_CONN_NONE, NULL },
};
