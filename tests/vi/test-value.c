/* vi_value: building, lookups, arrays with and without ArrayOf wrappers,
 * typed access, copies. Suite: unit. */
#include <string.h>

#include "vi/vi.h"
#include "vi-test-util.h"

static vi_value *
sample(void)
{
    vi_value *root = vi_value_new("val", "VirtualMachineConfigInfo", NULL);
    vi_value_add_string(root, "name", "a&b <vm>");
    vi_value *hw = vi_value_add_object(root, "hardware", NULL);
    vi_value_add_int(hw, "numCPU", 4);
    vi_value_add_int(hw, "memoryMB", 4096);
    for (int i = 0; i < 3; i++) {
        vi_value *d = vi_value_add_object(hw, "device", i ? "VirtualDisk" : "VirtualIDEController");
        vi_value_add_int(d, "key", 100 + i);
    }
    vi_value_add_bool(root, "template", FALSE);
    vi_value_add_double(root, "ratio", 0.5);
    vi_moref m = { (char *)"Datastore", (char *)"datastore-1" };
    vi_value_add_moref(root, "datastore", &m);
    vi_value *arr = vi_value_add_object(root, "tags", "ArrayOfString");
    vi_value_add_string(arr, "string", "x");
    vi_value_add_string(arr, "string", "y");
    return root;
}

static void
test_lookup(void)
{
    g_autoptr(vi_value) v = sample();
    g_assert_cmpstr(vi_value_get_string(v, "name"), ==, "a&b <vm>");
    gint64 n = 0;
    g_assert_true(vi_value_get_int64(v, "hardware.numCPU", &n));
    g_assert_cmpint(n, ==, 4);
    g_assert_false(vi_value_get_int64(v, "hardware.missing", &n));
    g_assert_false(vi_value_get_int64(v, "name", &n)); /* not a number */
    gboolean b = TRUE;
    g_assert_true(vi_value_get_bool(v, "template", &b));
    g_assert_false(b);
    double d = 0;
    g_assert_true(vi_value_get_double(v, "ratio", &d));
    g_assert_cmpfloat(d, ==, 0.5);
    vi_moref m;
    g_assert_true(vi_value_get_moref(v, "datastore", &m));
    g_assert_cmpstr(m.type, ==, "Datastore");
    g_assert_cmpstr(m.value, ==, "datastore-1");
    g_assert_false(vi_value_get_moref(v, "name", &m));
    g_assert_null(vi_value_text(vi_value_lookup(v, "hardware")));
    g_assert_true(vi_value_lookup(v, "") == v);
    g_assert_null(vi_value_lookup(v, "hardware.numCPU.deeper"));
    g_assert_cmpstr(vi_value_type(v), ==, "VirtualMachineConfigInfo");
}

static void
test_arrays(void)
{
    g_autoptr(vi_value) v = sample();
    /* repeated elements */
    g_autoptr(GPtrArray) devs = vi_value_lookup_all(v, "hardware.device");
    g_assert_cmpuint(devs->len, ==, 3);
    g_assert_cmpstr(vi_value_type(devs->pdata[0]), ==, "VirtualIDEController");
    g_assert_cmpstr(vi_value_type(devs->pdata[2]), ==, "VirtualDisk");
    g_autoptr(GPtrArray) keys = vi_value_lookup_all(v, "hardware.device.key");
    g_assert_cmpuint(keys->len, ==, 3);
    g_assert_cmpstr(vi_value_text(keys->pdata[2]), ==, "102");
    /* an ArrayOf wrapper is expanded */
    g_autoptr(GPtrArray) tags = vi_value_lookup_all(v, "tags");
    g_assert_cmpuint(tags->len, ==, 2);
    g_assert_cmpstr(vi_value_text(tags->pdata[1]), ==, "y");
    g_autoptr(GPtrArray) none = vi_value_lookup_all(v, "nothing.here");
    g_assert_cmpuint(none->len, ==, 0);
    g_autoptr(GPtrArray) null_root = vi_value_lookup_all(NULL, "x");
    g_assert_cmpuint(null_root->len, ==, 0);
}

static void
test_copy_and_string(void)
{
    g_autoptr(vi_value) v = sample();
    g_autoptr(vi_value) c = vi_value_copy(v);
    g_autofree char *a = vi_value_to_string(v);
    g_autofree char *b = vi_value_to_string(c);
    g_assert_cmpstr(a, ==, b);
    g_assert_nonnull(strstr(a, "<name>a&amp;b &lt;vm&gt;</name>"));
    g_assert_nonnull(strstr(a, "<datastore type=\"Datastore\" xsi:type=\"ManagedObjectReference\">"
                               "datastore-1</datastore>"));
    /* steal keeps the rest intact */
    vi_value *first = vi_value_steal_child(c, 0);
    g_assert_cmpstr(vi_value_name(first), ==, "name");
    vi_value_free(first);
    g_assert_cmpuint(vi_value_n_children(c), ==, vi_value_n_children(v) - 1);
    g_assert_null(vi_value_child_at(c, 100));
}

static void
test_moref(void)
{
    g_autoptr(vi_moref) a = vi_moref_new("VirtualMachine", "vm-1");
    g_autoptr(vi_moref) b = vi_moref_copy(a);
    g_assert_true(vi_moref_equal(a, b));
    g_free(b->value);
    b->value = g_strdup("vm-2");
    g_assert_false(vi_moref_equal(a, b));
    g_assert_null(vi_moref_copy(NULL));
    g_assert_true(vi_moref_equal(NULL, NULL));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vi/value/lookup", test_lookup);
    g_test_add_func("/vi/value/arrays", test_arrays);
    g_test_add_func("/vi/value/copy-and-string", test_copy_and_string);
    g_test_add_func("/vi/value/moref", test_moref);
    return vi_test_run();
}
