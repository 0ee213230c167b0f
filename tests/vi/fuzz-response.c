/* libFuzzer target: the SOAP response parser and what reads its output
 * (property lookups, typed structs, fault decoding). Built with
 * -Dfuzzing=true (clang). */
#include <stdint.h>

#include "vi/vi-private.h"
#include "vi/vi.h"

static void
exercise(const vi_value *resp)
{
    g_autoptr(GPtrArray) objs = vi_value_lookup_all(resp, "returnval.objects");
    for (guint i = 0; i < objs->len; i++) {
        const vi_value *o = objs->pdata[i];
        vi_moref m;
        vi_object_moref(o, &m);
        gint64 n;
        vi_object_get_int64(o, "config.hardware.memoryMB", &n);
        vi_object_get_string(o, "summary.hardware.cpuModel");
        vi_object_missing(o, "name");
        g_autoptr(GPtrArray) all = vi_object_get_all(o, "config.hardware.device");
        g_autoptr(vi_HostHardwareSummary) hw =
            vi_value_to_new_struct(vi_object_get(o, "summary.hardware"), &vi_type_HostHardwareSummary, NULL);
        (void)all;
        (void)hw;
    }
    const vi_value *rv = vi_value_child(resp, "returnval");
    g_autoptr(vi_ServiceContent) sc = vi_value_to_new_struct(rv, &vi_type_ServiceContent, NULL);
    g_autoptr(vi_TaskInfo) ti = vi_value_to_new_struct(rv, &vi_type_TaskInfo, NULL);
    (void)sc;
    (void)ti;
    g_autoptr(vi_question) q = vi_question_from_value(vi_value_lookup(rv, "question"));
    if (q)
        g_free(vi_question_describe(q));
    g_free(vi_value_to_string(resp));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (long status = 200; status <= 500; status += 300) {
        g_autoptr(GError) error = NULL;
        g_autoptr(vi_value) r = vi_soap_response("Fuzz", (const char *)data, size, status, "fuzz:0", 0, &error);
        if (r)
            exercise(r);
        else
            (void)vi_error_fault_name(error);
    }
    return 0;
}
