/* Response parsing on recorded responses (tests/data/vi): service content,
 * property results with and without xsi:type on items and with any XSI
 * prefix, unknown elements, missingSet, faults, hostile or broken input.
 * Suite: unit. */
#include <string.h>

#include "vi/vi-private.h"
#include "vi-test-util.h"

static vi_value *
parse(const char *file, const char *method, long status, GError **error)
{
    gsize len;
    g_autofree char *body = vi_test_read(file, &len);
    return vi_soap_response(method, body, len, status, "esx.test:443", 0, error);
}

static void
test_service_content(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) r = parse("vcsim-service-content.xml", "RetrieveServiceContent", 200, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(vi_value_name(r), ==, "RetrieveServiceContentResponse");
    g_autoptr(vi_ServiceContent) sc =
        vi_value_to_new_struct(vi_value_child(r, "returnval"), &vi_type_ServiceContent, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(sc->rootFolder.type, ==, "Folder");
    g_assert_cmpstr(sc->rootFolder.value, ==, "ha-folder-root");
    g_assert_cmpstr(sc->propertyCollector.value, ==, "ha-property-collector");
    g_assert_cmpstr(sc->viewManager.value, ==, "ViewManager");
    g_assert_cmpstr(sc->sessionManager.value, ==, "ha-sessionmgr");
    g_assert_cmpstr(sc->searchIndex.type, ==, "SearchIndex");
    g_assert_nonnull(sc->fileManager.value);
    g_assert_nonnull(sc->virtualDiskManager.value);
    g_assert_cmpstr(sc->about->name, ==, "VMware ESXi");
    g_assert_cmpstr(sc->about->apiType, ==, "HostAgent");
    g_assert_cmpstr(sc->about->vendor, ==, "VMware, Inc.");
    g_assert_nonnull(sc->about->version);
    g_assert_nonnull(sc->about->build);
    g_assert_nonnull(sc->about->apiVersion);
    g_assert_cmpstr(sc->about->productLineId, ==, "embeddedEsx");
    g_assert_null(sc->alarmManager.value); /* absent on ESX */
    g_assert_null(sc->customizationSpecManager.type);
}

static void
test_vcsim_properties(void)
{
    /* vcsim: no xsi:type on items, XSI prefix "XMLSchema-instance" */
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) r = parse("vcsim-retrieve-vms.xml", "RetrievePropertiesEx", 200, &error);
    g_assert_no_error(error);
    g_autoptr(GPtrArray) objs = vi_value_lookup_all(r, "returnval.objects");
    g_assert_cmpuint(objs->len, ==, 5);
    const vi_value *vm = objs->pdata[0];
    vi_moref m;
    g_assert_true(vi_object_moref(vm, &m));
    g_assert_cmpstr(m.type, ==, "VirtualMachine");
    g_assert_cmpstr(vi_object_get_string(vm, "name"), ==, "ha-host_VM0");
    g_assert_cmpstr(vi_value_type(vi_object_get(vm, "name")), ==, "string");
    g_assert_cmpstr(vi_value_type(vi_object_get(vm, "runtime.powerState")), ==, "VirtualMachinePowerState");
    gint64 mb;
    g_assert_true(vi_object_get_int64(vm, "config.hardware.memoryMB", &mb));
    g_assert_cmpint(mb, ==, 32);
    g_assert_cmpstr(vi_object_get_string(vm, "summary.quickStats.guestHeartbeatStatus"), ==, "gray");
    g_autoptr(vi_VirtualMachineQuickStats) qs =
        vi_value_to_new_struct(vi_object_get(vm, "summary.quickStats"), &vi_type_VirtualMachineQuickStats, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(qs->guestHeartbeatStatus, ==, "gray");
    g_assert_null(vi_value_get_string(r, "returnval.token"));
}

static void
test_esx_properties(void)
{
    /* ESX: xsi:type on array items, unknown elements, missingSet, a token */
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) r = parse("esx-retrieve-hosts.xml", "RetrievePropertiesEx", 200, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(vi_value_get_string(r, "returnval.token"), ==, "page-2-token");
    const vi_value *h = vi_value_lookup(r, "returnval.objects");
    g_assert_cmpstr(vi_object_get_string(h, "summary.hardware.cpuModel"), ==,
                    "Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz");
    g_autoptr(vi_HostHardwareSummary) hw =
        vi_value_to_new_struct(vi_object_get(h, "summary.hardware"), &vi_type_HostHardwareSummary, &error);
    g_assert_no_error(error);
    g_assert_cmpint(hw->memorySize, ==, 274877906944LL);
    g_assert_cmpint(hw->cpuMhz, ==, 2095);
    g_assert_cmpint(hw->numCpuPkgs, ==, 2);
    g_assert_cmpint(hw->numCpuCores, ==, 32);
    g_assert_cmpint(hw->numCpuThreads, ==, 64);
    g_assert_cmpstr(hw->vendor, ==, "Dell Inc.");
    g_assert_cmpstr(hw->uuid, ==, "4c4c4544-0042-3010-8058-b4c04f4e4d32");
    gint64 hz;
    g_assert_true(vi_object_get_int64(h, "hardware.cpuInfo.hz", &hz));
    g_assert_cmpint(hz, ==, 2095078000LL);
    g_autoptr(vi_HostDnsConfig) dns =
        vi_value_to_new_struct(vi_object_get(h, "config.network.dnsConfig"), &vi_type_HostDnsConfig, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(dns->hostName, ==, "esx1");
    g_assert_cmpstr(dns->domainName, ==, "example.com");
    g_assert_cmpuint(dns->address->len, ==, 2);
    g_assert_cmpstr(dns->address->pdata[1], ==, "192.0.2.54");
    g_autoptr(GPtrArray) vms = vi_object_get_all(h, "vm");
    g_assert_cmpuint(vms->len, ==, 2);
    g_assert_cmpstr(vi_value_moref_type(vms->pdata[1]), ==, "VirtualMachine");
    g_assert_cmpstr(vi_value_text(vms->pdata[1]), ==, "2");
    g_autoptr(GPtrArray) macs = vi_object_get_all(h, "config.network.pnic.mac");
    g_assert_cmpuint(macs->len, ==, 2);
    g_assert_cmpstr(vi_value_text(macs->pdata[0]), ==, "24:6e:96:00:00:01");
    /* typed array of structs from an ArrayOf value */
    const vi_value *pnics = vi_object_get(h, "config.network.pnic");
    g_assert_cmpuint(vi_value_n_children(pnics), ==, 2);
    g_autoptr(vi_PhysicalNic) nic = vi_value_to_new_struct(vi_value_child_at(pnics, 1), &vi_type_PhysicalNic, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(nic->device, ==, "vmnic1");
    g_assert_cmpstr(nic->driver, ==, "ntg3");
    g_assert_cmpstr(vi_object_missing(h, "config.product"), ==, "NoPermission");
    g_assert_null(vi_object_missing(h, "name"));
    g_assert_null(vi_object_get(h, "config.product"));
}

static void
test_missingset_not_authenticated(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) r = parse("vcsim-not-authenticated-missingset.xml", "RetrievePropertiesEx", 200, &error);
    g_assert_no_error(error);
    const vi_value *o = vi_value_lookup(r, "returnval.objects");
    g_assert_cmpstr(vi_object_missing(o, "name"), ==, "NotAuthenticated");
}

static void
test_faults(void)
{
    static const struct {
        const char *file, *method, *fault;
        int code;
        const char *says;
    } cases[] = {
        { "fault-invalid-login.xml", "Login", "InvalidLogin", VI_ERROR_FAULT, "incorrect user name or password" },
        { "fault-not-found.xml", "RetrievePropertiesEx", "ManagedObjectNotFound", VI_ERROR_FAULT,
          "The object 'vim.VirtualMachine:vm-404' has already been deleted" },
        { "fault-no-type.xml", "CurrentTime", "NotAuthenticated", VI_ERROR_NOT_AUTHENTICATED,
          "The session is not authenticated." },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(vi_value) r = parse(cases[i].file, cases[i].method, 500, &error);
        g_assert_null(r);
        g_assert_error(error, VI_ERROR, cases[i].code);
        g_assert_cmpstr(vi_error_fault_name(error), ==, cases[i].fault);
        g_assert_cmpstr(vi_error_method(error), ==, cases[i].method);
        g_assert_true(vi_error_is_fault(error, cases[i].fault));
        g_assert_nonnull(strstr(error->message, cases[i].says));
        g_assert_nonnull(strstr(error->message, "esx.test:443"));
        g_assert_nonnull(strstr(error->message, cases[i].method));
        /* the private data survives a copy */
        g_autoptr(GError) copy = g_error_copy(error);
        g_assert_cmpstr(vi_error_fault_name(copy), ==, cases[i].fault);
        g_assert_nonnull(vi_error_fault_message(copy));
        g_assert_nonnull(vi_error_fault_detail(copy));
    }
    /* detail fields: the object that was not found */
    g_autoptr(GError) nf = NULL;
    g_autoptr(vi_value) r = parse("fault-not-found.xml", "X", 500, &nf);
    g_assert_null(r);
    vi_moref m;
    g_assert_true(vi_value_get_moref(vi_error_fault_detail(nf), "obj", &m));
    g_assert_cmpstr(m.type, ==, "VirtualMachine");
    g_assert_cmpstr(m.value, ==, "vm-404");
    g_autoptr(GError) other = g_error_new_literal(G_FILE_ERROR, 0, "x");
    g_assert_null(vi_error_fault_name(other));
    g_assert_null(vi_error_fault_name(NULL));
}

static void
test_hostile(void)
{
    static const struct {
        const char *file;
        long status;
        int code;
        const char *says;
    } cases[] = {
        { "bad-dtd-entities.xml", 200, VI_ERROR_PARSE, "DTD" },
        { "bad-external-entity.xml", 200, VI_ERROR_PARSE, "DTD" },
        { "bad-truncated.xml", 200, VI_ERROR_PARSE, "Invalid XML" },
        { "bad-html.xml", 502, VI_ERROR_HTTP, "HTTP status 502" },
        { "bad-html.xml", 200, VI_ERROR_PARSE, "no SOAP envelope" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(vi_value) r = parse(cases[i].file, "CurrentTime", cases[i].status, &error);
        g_assert_null(r);
        g_assert_error(error, VI_ERROR, cases[i].code);
        if (!strstr(error->message, cases[i].says))
            g_error("%s: '%s' lacks '%s'", cases[i].file, error->message, cases[i].says);
    }
    /* deep nesting is refused, not a stack overflow */
    GString *deep = g_string_new("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/"
                                 "soap/envelope/\"><soapenv:Body>");
    for (int i = 0; i < 5000; i++)
        g_string_append(deep, "<a>");
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) r = vi_soap_response("X", deep->str, deep->len, 200, "h:1", 0, &error);
    g_assert_null(r);
    g_assert_error(error, VI_ERROR, VI_ERROR_PARSE);
    g_string_free(deep, TRUE);
}

static void
test_struct_bad_number(void)
{
    g_autoptr(vi_value) v = vi_value_new("val", "HostHardwareSummary", NULL);
    vi_value_add_string(v, "vendor", "x");
    vi_value_add_string(v, "cpuMhz", "fast");
    g_autoptr(GError) error = NULL;
    vi_HostHardwareSummary hw = { 0 };
    g_assert_false(vi_value_to_struct(v, &vi_type_HostHardwareSummary, &hw, &error));
    g_assert_error(error, VI_ERROR, VI_ERROR_PARSE);
    g_assert_nonnull(strstr(error->message, "cpuMhz"));
    g_assert_null(hw.vendor); /* cleared on failure */
}

/* A fault string of 5,000 bytes (with a multi-byte character at the cut)
 * is shortened in the message, so the fault name and the hint after it fit
 * in the ABI's 1024 bytes; the accessor keeps the whole string. */
static void
test_long_fault(void)
{
    g_autoptr(GString) text = g_string_new(NULL);
    for (int i = 0; i < 2500; i++)
        g_string_append(text, "\xc3\xa9");
    g_autofree char *body = g_strdup_printf(
        "<?xml version=\"1.0\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body><soapenv:Fault>"
        "<faultcode>ServerFaultCode</faultcode><faultstring>%s</faultstring><detail><InvalidLoginFault "
        "xmlns=\"urn:vim25\" xsi:type=\"InvalidLogin\"/></detail></soapenv:Fault></soapenv:Body>"
        "</soapenv:Envelope>",
        text->str);
    g_autoptr(GError) error = NULL;
    g_autoptr(vi_value) r = vi_soap_response("Login", body, strlen(body), 500, "esx.test:443", 0, &error);
    g_assert_null(r);
    g_assert_error(error, VI_ERROR, VI_ERROR_FAULT);
    g_assert_cmpuint(strlen(error->message), <, 1024);
    g_assert_true(g_utf8_validate(error->message, -1, NULL));
    g_assert_true(g_str_has_suffix(error->message, "...; incorrect user name or password (InvalidLogin)"));
    g_assert_cmpstr(vi_error_fault_message(error), ==, text->str);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vi/soap/service-content", test_service_content);
    g_test_add_func("/vi/soap/vcsim-properties", test_vcsim_properties);
    g_test_add_func("/vi/soap/esx-properties", test_esx_properties);
    g_test_add_func("/vi/soap/missingset-not-authenticated", test_missingset_not_authenticated);
    g_test_add_func("/vi/soap/faults", test_faults);
    g_test_add_func("/vi/soap/long-fault", test_long_fault);
    g_test_add_func("/vi/soap/hostile", test_hostile);
    g_test_add_func("/vi/soap/struct-bad-number", test_struct_bad_number);
    return vi_test_run();
}
