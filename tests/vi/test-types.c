/* The type table: lookups, and request serialisation in WSDL element order
 * with escaping, compared with golden files in tests/data/vi. Suite: unit. */
#include <string.h>

#include "vi/vi-private.h"
#include "vi-test-util.h"

static void
test_lookup(void)
{
    const vi_type *disk = vi_type_lookup("VirtualDisk");
    g_assert_nonnull(disk);
    const vi_type *dev = vi_type_lookup("vim25:VirtualDevice");
    g_assert_nonnull(dev);
    g_assert_true(vi_type_is_a(disk, dev));
    g_assert_false(vi_type_is_a(dev, disk));
    g_assert_nonnull(vi_type_field(disk, "capacityInKB"));
    g_assert_nonnull(vi_type_field(disk, "key")); /* inherited */
    g_assert_null(vi_type_field(disk, "nonsense"));
    g_assert_null(vi_type_lookup("NoSuchType"));
    g_assert_nonnull(vi_method_lookup("PowerOnVM_Task"));
    g_assert_nonnull(vi_method_lookup("RetrievePropertiesEx"));
    g_assert_null(vi_method_lookup("NoSuchMethod"));
    g_assert_true(&vi_type_AboutInfo == vi_type_lookup("AboutInfo"));
    g_assert_cmpuint(vi_type_AboutInfo.struct_size, ==, sizeof(vi_AboutInfo));
}

/* ReconfigVM_Task with every element added in the wrong order. */
static vi_value *
reconfig_args(void)
{
    vi_value *args = vi_value_new("ReconfigVM_Task", NULL, NULL);
    vi_value *spec = vi_value_add_object(args, "spec", NULL);
    vi_value *oc = vi_value_add_object(spec, "extraConfig", NULL);
    vi_value_add_typed(oc, "value", "string", "say \"hi\" & 'bye'");
    vi_value_add_string(oc, "key", "guestinfo.note");
    vi_value *dc = vi_value_add_object(spec, "deviceChange", NULL);
    vi_value *disk = vi_value_add_object(dc, "device", "VirtualDisk");
    vi_value_add_int(disk, "capacityInKB", 1048576);
    vi_value_add_int(disk, "unitNumber", 1);
    vi_value *backing = vi_value_add_object(disk, "backing", "VirtualDiskFlatVer2BackingInfo");
    vi_value_add_bool(backing, "thinProvisioned", TRUE);
    vi_value_add_string(backing, "diskMode", "persistent");
    vi_value_add_string(backing, "fileName", "[datastore1] a&b/a&b_1.vmdk");
    vi_value_add_int(disk, "controllerKey", 1000);
    vi_value_add_int(disk, "key", -1);
    vi_value_add_string(dc, "fileOperation", "create");
    vi_value_add_string(dc, "operation", "add");
    vi_value_add_int(spec, "memoryMB", 2048);
    vi_value_add_int(spec, "numCPUs", 2);
    vi_value_add_string(spec, "name", "a&b <c>");
    vi_value *alloc = vi_value_add_object(spec, "cpuAllocation", NULL);
    vi_value *shares = vi_value_add_object(alloc, "shares", NULL);
    vi_value_add_string(shares, "level", "custom");
    vi_value_add_int(shares, "shares", 3000);
    vi_value_add_int(alloc, "limit", -1);
    vi_value_add_int(alloc, "reservation", 100);
    return args;
}

static void
check_golden(const char *file, const GString *got)
{
    gsize len;
    g_autofree char *want = vi_test_read(file, &len);
    g_strchomp(want);
    if (g_getenv("VI_UPDATE_GOLDEN")) {
        g_autofree char *path = g_build_filename(VI_TEST_DATA, file, NULL);
        g_file_set_contents(path, got->str, got->len, NULL);
    }
    g_assert_cmpstr(got->str, ==, want);
}

static void
test_reconfig_order(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) args = reconfig_args();
    vi_moref vm = { (char *)"VirtualMachine", (char *)"vm-1&2" };
    g_autoptr(GString) req = vi_soap_request("ReconfigVM_Task", &vm, args, &error);
    g_assert_no_error(error);
    check_golden("request-reconfig.xml", req);
    /* the request is well-formed XML that parses back */
    g_autoptr(vi_value) back = vi_xml_parse(req->str, req->len, 0, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(vi_value_get_string(back, "Body.ReconfigVM_Task.spec.name"), ==, "a&b <c>");
    g_assert_cmpstr(vi_value_get_string(back, "Body.ReconfigVM_Task._this"), ==, "vm-1&2");
    g_assert_cmpstr(vi_value_type(vi_value_lookup(back, "Body.ReconfigVM_Task.spec.deviceChange."
                                                        "device")),
                    ==, "VirtualDisk");
}

static void
test_retrieve_order(void)
{
    /* method parameters reorder too: options after specSet */
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) args = vi_value_new("RetrievePropertiesEx", NULL, NULL);
    vi_value_add_int(vi_value_add_object(args, "options", NULL), "maxObjects", 100);
    vi_value *fs = vi_value_add_object(args, "specSet", NULL);
    vi_value *os = vi_value_add_object(fs, "objectSet", NULL);
    vi_value *ts = vi_value_add_object(os, "selectSet", "TraversalSpec");
    vi_value_add_bool(ts, "skip", FALSE);
    vi_value_add_string(ts, "path", "view");
    vi_value_add_string(ts, "type", "ContainerView");
    vi_value_add_string(ts, "name", "view");
    vi_value_add_bool(os, "skip", TRUE);
    vi_moref view = { (char *)"ContainerView", (char *)"session[1]view-1" };
    vi_value_add_moref(os, "obj", &view);
    vi_value *ps = vi_value_add_object(fs, "propSet", NULL);
    vi_value_add_string(ps, "pathSet", "name");
    vi_value_add_string(ps, "pathSet", "runtime.powerState");
    vi_value_add_string(ps, "type", "VirtualMachine");
    vi_moref pc = { (char *)"PropertyCollector", (char *)"ha-property-collector" };
    g_autoptr(GString) req = vi_soap_request("RetrievePropertiesEx", &pc, args, &error);
    g_assert_no_error(error);
    check_golden("request-retrieve.xml", req);
}

static void
test_unknown_element(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) args = vi_value_new("ReconfigVM_Task", NULL, NULL);
    vi_value *spec = vi_value_add_object(args, "spec", NULL);
    vi_value_add_int(spec, "memoryMb", 2048); /* typo: memoryMB */
    vi_moref vm = { (char *)"VirtualMachine", (char *)"vm-1" };
    g_autoptr(GString) req = vi_soap_request("ReconfigVM_Task", &vm, args, &error);
    g_assert_null(req);
    g_assert_error(error, VI_ERROR, VI_ERROR_INVALID_ARG);
    g_assert_nonnull(strstr(error->message, "'memoryMb'"));
    g_assert_nonnull(strstr(error->message, "VirtualMachineConfigSpec"));
}

static void
test_checks(void)
{
    g_autoptr(GError) error = NULL;
    vi_moref vm = { (char *)"VirtualMachine", (char *)"vm-1" };
    /* a moref parameter given as a string */
    g_autoptr(vi_value) a = vi_value_new("PowerOnVM_Task", NULL, NULL);
    vi_value_add_string(a, "host", "host-1");
    g_autoptr(GString) r1 = vi_soap_request("PowerOnVM_Task", &vm, a, &error);
    g_assert_null(r1);
    g_assert_error(error, VI_ERROR, VI_ERROR_INVALID_ARG);
    g_assert_nonnull(strstr(error->message, "vi_value_add_moref"));
    g_clear_error(&error);
    /* an untyped leaf in an anyType slot gets xsd:string */
    g_autoptr(vi_value) b = vi_value_new("ReconfigVM_Task", NULL, NULL);
    vi_value *oc = vi_value_add_object(vi_value_add_object(b, "spec", NULL), "extraConfig", NULL);
    vi_value_add_string(oc, "key", "k");
    vi_value_add_string(oc, "value", "v");
    g_autoptr(GString) r2 = vi_soap_request("ReconfigVM_Task", &vm, b, &error);
    g_assert_no_error(error);
    g_assert_nonnull(strstr(r2->str, "<key>k</key><value xsi:type=\"xsd:string\">v</value>"));
}

static void
test_unknown_method(void)
{
    /* an undeclared method keeps the caller's order */
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) args = vi_value_new("FutureMethod", NULL, NULL);
    vi_value_add_string(args, "b", "2");
    vi_value_add_string(args, "a", "1<");
    g_autoptr(GString) req = vi_soap_request("FutureMethod", NULL, args, &error);
    g_assert_no_error(error);
    g_assert_nonnull(strstr(req->str, "<FutureMethod xmlns=\"urn:vim25\"><b>2</b><a>1&lt;</a>"
                                      "</FutureMethod>"));
    /* names are checked, never emitted raw */
    vi_value_add_string(args, "x><evil", "1");
    g_autoptr(GString) bad = vi_soap_request("FutureMethod", NULL, args, &error);
    g_assert_null(bad);
    g_assert_error(error, VI_ERROR, VI_ERROR_INVALID_ARG);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vi/types/lookup", test_lookup);
    g_test_add_func("/vi/types/reconfig-order", test_reconfig_order);
    g_test_add_func("/vi/types/retrieve-order", test_retrieve_order);
    g_test_add_func("/vi/types/unknown-element", test_unknown_element);
    g_test_add_func("/vi/types/unknown-method", test_unknown_method);
    g_test_add_func("/vi/types/checks", test_checks);
    return vi_test_run();
}
