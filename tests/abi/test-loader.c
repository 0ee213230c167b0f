/* test-loader.c — libhvd-loader: manifest discovery, scheme selection, dlopen
 * checks and ABI negotiation against the mock drivers (ABI rules 2, 4, 15,
 * 16, 19).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The mock libraries come from the environment (tests/abi/meson.build):
 * MOCK_CURRENT, MOCK_FROZEN, MOCK_FUTURE, MOCK_NEWER (needs host minor >= 1),
 * MOCK_MAJOR2 (exports hvd_driver_entry_v2 only), MOCK_BADNEG (a future
 * driver that answers max() instead of min()), MOCK_TABLESIZE, MOCK_BIGTABLE, MOCK_MAJOR,
 * NOENTRY (no entry at all), LEAKY (no entry, but depends on this host's
 * libhostentry.so which has one).
 *
 * This file is built with loader.c (tests/abi/meson.build), once per
 * architecture: HVD_LOADER_ARCH is the loader's own, TEST_OTHER_ARCH another
 * one, and the loader's built-in folders are TEST_ROOT/etc/hvd/drivers.d and
 * TEST_ROOT/share/hvd/drivers.d.
 */
#include "hvd-loader.h"
#include "hostentry.h"

#include <dlfcn.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char *tmp;
} Fixture;

static const char *
lib(const char *var)
{
    const char *p = g_getenv(var);
    if (p == NULL)
        g_error("environment variable %s (path of a mock driver) is not set: run through meson test", var);
    return p;
}

static void
rm_rf(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        GDir *d = g_dir_open(path, 0, NULL);
        const char *e;
        while (d != NULL && (e = g_dir_read_name(d)) != NULL) {
            g_autofree char *c = g_build_filename(path, e, NULL);
            rm_rf(c);
        }
        if (d != NULL)
            g_dir_close(d);
        g_rmdir(path);
    } else {
        g_unlink(path);
    }
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
    (void)data;
    f->tmp = g_dir_make_tmp("hvd-loader-XXXXXX", NULL);
    g_assert_nonnull(f->tmp);
    /* Nothing of the real user or system may leak into a test. */
    g_unsetenv("HVD_DRIVER_FILES");
    g_autofree char *home = g_build_filename(f->tmp, "home", NULL);
    g_autofree char *none = g_build_filename(f->tmp, "no-such-dir", NULL);
    g_mkdir_with_parents(home, 0700);
    g_setenv("HOME", home, TRUE);
    g_setenv("XDG_DATA_HOME", none, TRUE);
    g_setenv("XDG_DATA_DIRS", none, TRUE);
    rm_rf(TEST_ROOT);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
    (void)data;
    rm_rf(f->tmp);
    g_free(f->tmp);
    rm_rf(TEST_ROOT);
}

/* Write <dir>/<file> with a manifest; returns its path. */
static char *
write_file(const char *dir, const char *file, const char *text)
{
    g_mkdir_with_parents(dir, 0700);
    char *path = g_build_filename(dir, file, NULL);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static char *
manifest_json(const char *name, const char *library, int major, int minor, const char *schemes)
{
    return g_strdup_printf("{ \"file_format_version\": \"1.0.0\", \"driver\": { \"name\": \"%s\", "
                           "\"library_path\": \"%s\", \"abi_major\": %d, \"abi_minor\": %d, "
                           "\"uri_schemes\": [%s], \"description\": \"test\" } }",
                           name, library, major, minor, schemes);
}

static char *
write_manifest(const char *dir, const char *file, const char *name, const char *library, const char *schemes)
{
    g_autofree char *json = manifest_json(name, library, 1, 0, schemes);
    return write_file(dir, file, json);
}

static char *
drivers_d(const Fixture *f, const char *base)
{
    return g_build_filename(f->tmp, base, "hvd", "drivers.d", NULL);
}

static void
use_files(const char *a, const char *b)
{
    g_autofree char *v = b ? g_strjoin(":", a, b, NULL) : g_strdup(a);
    g_setenv("HVD_DRIVER_FILES", v, TRUE);
}

static int32_t
load(hvd_loader *l, const char *uri, uint32_t minor, const hvd_loaded_driver **out, hvd_error *err)
{
    *err = (hvd_error)HVD_ERROR_INIT;
    *out = NULL;
    int32_t rc = hvd_loader_load_for_uri(l, uri, minor, out, err);
    g_test_message("load %s (host minor %u): %d %s", uri, minor, rc, rc ? err->message : "ok");
    if (rc != HVD_OK) {
        g_assert_cmpint(err->code, ==, rc);
        g_assert_cmpstr(err->message, !=, "");
        g_assert_null(*out);
    }
    return rc;
}

/* --- HVD_DRIVER_FILES ---------------------------------------------------- */

static void
test_files_good(Fixture *f, gconstpointer data)
{
    (void)data;
    g_autofree char *m = write_manifest(f->tmp, "mock.json", "mock", lib("MOCK_CURRENT"), "\"mock\"");
    use_files(m, NULL);
    hvd_loader *l = hvd_loader_new();
    g_assert_cmpuint(hvd_loader_count(l), ==, 1);
    const hvd_manifest *man = hvd_loader_manifest(l, 0);
    g_assert_cmpint(man->usable, ==, 1);
    g_assert_cmpstr(man->problem, ==, "");
    g_assert_cmpstr(man->name, ==, "mock");
    g_assert_cmpstr(man->manifest_path, ==, m);
    g_assert_cmpstr(man->uri_schemes[0], ==, "mock");
    g_assert_null(man->uri_schemes[1]);
    g_assert_null(hvd_loader_manifest(l, 1));

    const hvd_loaded_driver *d = NULL, *d2 = NULL;
    hvd_error err;
    g_assert_cmpint(load(l, "mock://host/", HVD_ABI_MINOR, &d, &err), ==, HVD_OK);
    g_assert_nonnull(d->driver);
    g_assert_cmpstr(d->driver->name, ==, "mock");
    g_assert_cmpuint(d->minor, ==, HVD_ABI_MINOR);
    g_assert_nonnull(d->dl_handle);
    g_assert_true(d->manifest == man);
    /* Scheme matching is case-insensitive; loading twice gives the same driver. */
    g_assert_cmpint(load(l, "MOCK://host/", HVD_ABI_MINOR, &d2, &err), ==, HVD_OK);
    g_assert_true(d == d2);
    g_assert_cmpint(hvd_loader_load_by_name(l, "mock", HVD_ABI_MINOR, &d2, &err), ==, HVD_OK);
    g_assert_true(d == d2);
    /* The table is usable. */
    g_assert_cmpint(d->driver->init(0, NULL), ==, HVD_OK);
    d->driver->shutdown();
    hvd_loader_free(l);
}

static void
test_files_exclusive(Fixture *f, gconstpointer data)
{
    (void)data;
    /* With HVD_DRIVER_FILES set, the XDG folders are not searched. */
    g_autofree char *xdg = drivers_d(f, "xdg-home");
    g_free(write_manifest(xdg, "other.json", "other", lib("MOCK_CURRENT"), "\"other\""));
    g_autofree char *home = g_build_filename(f->tmp, "xdg-home", NULL);
    g_setenv("XDG_DATA_HOME", home, TRUE);
    g_autofree char *m2 = write_manifest(f->tmp, "mock.json", "mock", lib("MOCK_CURRENT"), "\"mock\"");
    use_files(m2, NULL);
    hvd_loader *l = hvd_loader_new();
    g_assert_cmpuint(hvd_loader_count(l), ==, 1);
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "other://x/", 0, &d, &err), ==, HVD_ERR_NO_SUPPORT);
    g_assert_nonnull(strstr(err.message, "other"));
    g_assert_nonnull(strstr(err.message, "HVD_DRIVER_FILES"));
    hvd_loader_free(l);

    /* An empty HVD_DRIVER_FILES is the same as unset. */
    g_setenv("HVD_DRIVER_FILES", "", TRUE);
    l = hvd_loader_new();
    g_assert_cmpint(load(l, "other://x/", 0, &d, &err), ==, HVD_OK);
    hvd_loader_free(l);
}

static void
test_files_order(Fixture *f, gconstpointer data)
{
    (void)data;
    /* Two manifests for one scheme: the first listed wins. */
    g_autofree char *a = write_manifest(f->tmp, "a.json", "old", lib("MOCK_FROZEN"), "\"mock\"");
    g_autofree char *b = write_manifest(f->tmp, "b.json", "current", lib("MOCK_CURRENT"), "\"mock\"");
    use_files(b, a);
    hvd_loader *l = hvd_loader_new();
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "mock://x/", 0, &d, &err), ==, HVD_OK);
    g_assert_cmpstr(d->manifest->name, ==, "current");
    hvd_loader_free(l);
}

static void
test_malformed_json(Fixture *f, gconstpointer data)
{
    (void)data;
    g_autofree char *bad = write_file(f->tmp, "bad.json", "{ \"file_format_version\": \"1.0.0\", \"driver\": { ");
    g_autofree char *notobj = write_file(f->tmp, "notobj.json", "[1, 2, 3]");
    g_autofree char *nolib = write_file(f->tmp, "nolib.json",
                                        "{ \"file_format_version\": \"1.0.0\", \"driver\": { \"name\": \"x\", "
                                        "\"abi_major\": 1, \"abi_minor\": 0, \"uri_schemes\": [\"mock\"] } }");
    g_autofree char *strmajor = manifest_json("x", lib("MOCK_CURRENT"), 1, 0, "\"mock\"");
    char *p = strstr(strmajor, "\"abi_major\": 1");
    g_assert_nonnull(p);
    g_autofree char *fixed =
        g_strdup_printf("%.*s\"abi_major\": \"1\"%s", (int)(p - strmajor), strmajor, p + strlen("\"abi_major\": 1"));
    g_autofree char *strm = write_file(f->tmp, "strmajor.json", fixed);
    g_autofree char *noschemes_json = manifest_json("x", lib("MOCK_CURRENT"), 1, 0, "");
    g_autofree char *noschemes = write_file(f->tmp, "noschemes.json", noschemes_json);
    g_autofree char *missing = g_build_filename(f->tmp, "absent.json", NULL);
    g_autofree char *list = g_strjoin(":", bad, notobj, nolib, strm, noschemes, missing, NULL);
    g_setenv("HVD_DRIVER_FILES", list, TRUE);
    hvd_loader *l = hvd_loader_new();
    g_assert_cmpuint(hvd_loader_count(l), ==, 6);
    const char *expect[] = { "not valid JSON", "file_format_version", "library_path",
                             "abi_major",      "uri_schemes",         "cannot read" };
    for (uint32_t i = 0; i < 6; i++) {
        const hvd_manifest *m = hvd_loader_manifest(l, i);
        g_test_message("%s: %s", m->manifest_path, m->problem);
        g_assert_cmpint(m->usable, ==, 0);
        g_assert_nonnull(strstr(m->problem, expect[i]));
        g_assert_nonnull(strstr(m->problem, m->manifest_path));
        g_assert_nonnull(m->uri_schemes);
        g_assert_null(m->uri_schemes[0]);
    }
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "mock://x/", 0, &d, &err), ==, HVD_ERR_NO_SUPPORT);
    /* The error explains what was skipped. */
    g_assert_nonnull(strstr(err.message, "bad.json"));
    g_assert_nonnull(strstr(err.message, "not valid JSON"));
    hvd_loader_free(l);
}

static void
test_wrong_major(Fixture *f, gconstpointer data)
{
    (void)data;
    g_autofree char *json = manifest_json("mock2", lib("MOCK_CURRENT"), 2, 0, "\"mock\"");
    g_autofree char *m = write_file(f->tmp, "m2.json", json);
    use_files(m, NULL);
    hvd_loader *l = hvd_loader_new();
    const hvd_manifest *man = hvd_loader_manifest(l, 0);
    g_assert_cmpint(man->usable, ==, 0);
    g_assert_cmpuint(man->abi_major, ==, 2);
    g_assert_nonnull(strstr(man->problem, "2.0"));
    g_assert_nonnull(strstr(man->problem, "mock2"));
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "mock://x/", 0, &d, &err), ==, HVD_ERR_NO_SUPPORT);
    g_assert_nonnull(strstr(err.message, "m2.json"));
    hvd_loader_free(l);
}

static void
test_missing_library(Fixture *f, gconstpointer data)
{
    (void)data;
    g_autofree char *m = write_manifest(f->tmp, "gone.json", "gone", "./libhvd-gone.so", "\"mock\"");
    use_files(m, NULL);
    hvd_loader *l = hvd_loader_new();
    const hvd_manifest *man = hvd_loader_manifest(l, 0);
    g_assert_cmpint(man->usable, ==, 1);
    /* library_path is resolved against the manifest's folder. */
    g_autofree char *want = g_build_filename(f->tmp, "libhvd-gone.so", NULL);
    g_assert_cmpstr(man->library_path, ==, want);
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "mock://x/", 0, &d, &err), ==, HVD_ERR_IO);
    g_assert_nonnull(strstr(err.message, want));
    g_assert_nonnull(strstr(err.message, "gone.json"));
    g_assert_nonnull(strstr(man->problem, want));
    hvd_loader_free(l);
}

static void
test_relative_library(Fixture *f, gconstpointer data)
{
    (void)data;
    g_autofree char *sub = g_build_filename(f->tmp, "lib", "hvd", NULL);
    g_mkdir_with_parents(sub, 0700);
    g_autofree char *link = g_build_filename(sub, "libhvd-mock.so", NULL);
    g_assert_cmpint(symlink(lib("MOCK_CURRENT"), link), ==, 0);
    g_autofree char *dir = drivers_d(f, "share");
    g_autofree char *m = write_manifest(dir, "mock.json", "mock", "../../../lib/hvd/libhvd-mock.so", "\"mock\"");
    use_files(m, NULL);
    hvd_loader *l = hvd_loader_new();
    g_assert_cmpstr(hvd_loader_manifest(l, 0)->library_path, ==, link);
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "mock://x/", 0, &d, &err), ==, HVD_OK);
    hvd_loader_free(l);
}

static void
expect_refused(Fixture *f, const char *var, const char *uri, uint32_t minor, int32_t code, const char *needle)
{
    g_autofree char *m = write_manifest(f->tmp, "x.json", "broken", lib(var), "\"mock\"");
    use_files(m, NULL);
    hvd_loader *l = hvd_loader_new();
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, uri, minor, &d, &err), ==, code);
    g_assert_nonnull(strstr(err.message, lib(var)));
    if (needle != NULL)
        g_assert_nonnull(strstr(err.message, needle));
    g_assert_nonnull(strstr(hvd_loader_manifest(l, 0)->problem, lib(var)));
    hvd_loader_free(l);
}

static void
test_no_entry(Fixture *f, gconstpointer data)
{
    (void)data;
    expect_refused(f, "NOENTRY", "mock://x/", 0, HVD_ERR_ABI_MISMATCH, HVD_ENTRY_SYMBOL);
    /* A major-2 driver fails cleanly at dlsym (rule 1). */
    expect_refused(f, "MOCK_MAJOR2", "mock://x/", 0, HVD_ERR_ABI_MISMATCH, HVD_ENTRY_SYMBOL);
}

static void
test_host_symbol_leak(Fixture *f, gconstpointer data)
{
    (void)data;
    /* Precondition: this host has its own hvd_driver_entry_v1 (in
     * libhostentry.so), and dlsym() on the plugin's handle does find it. */
    g_assert_cmpint(hostentry_marker(), ==, 4);
    void *h = dlopen(lib("LEAKY"), RTLD_NOW | RTLD_LOCAL);
    g_assert_nonnull(h);
    void *sym = dlsym(h, HVD_ENTRY_SYMBOL);
    g_assert_nonnull(sym);
    Dl_info info;
    g_assert_cmpint(dladdr(sym, &info), !=, 0);
    g_test_message("dlsym(leaky plugin) resolves to %s", info.dli_fname);
    g_assert_nonnull(strstr(info.dli_fname, "hostentry"));
    dlclose(h);
    /* The loader refuses it. */
    expect_refused(f, "LEAKY", "mock://x/", 0, HVD_ERR_ABI_MISMATCH, HVD_ENTRY_SYMBOL);
}

static void
test_bad_tables(Fixture *f, gconstpointer data)
{
    (void)data;
    expect_refused(f, "MOCK_TABLESIZE", "mock://x/", 0, HVD_ERR_ABI_MISMATCH, "smaller than HVD 1.0's");
    /* Larger than the minor it declares: members no 1.0 host can place. */
    expect_refused(f, "MOCK_BIGTABLE", "mock://x/", 0, HVD_ERR_ABI_MISMATCH, "not HVD 1.0's");
    expect_refused(f, "MOCK_MAJOR", "mock://x/", 0, HVD_ERR_ABI_MISMATCH, "another ABI major");
    /* Answering a minor above the host's is a broken negotiation. */
    expect_refused(f, "MOCK_BADNEG", "mock://x/", 0, HVD_ERR_ABI_MISMATCH, "negotiated a minor above");
}

/* --- Negotiation (rule 2) ------------------------------------------------ */

static uint32_t
negotiate(Fixture *f, const char *var, uint32_t host_minor, int32_t *rc_out)
{
    g_autofree char *m = write_manifest(f->tmp, "n.json", "n", lib(var), "\"mock\"");
    use_files(m, NULL);
    hvd_loader *l = hvd_loader_new();
    const hvd_loaded_driver *d;
    hvd_error err;
    *rc_out = load(l, "mock://x/", host_minor, &d, &err);
    uint32_t minor = *rc_out == HVD_OK ? d->minor : UINT32_MAX;
    if (*rc_out == HVD_OK)
        g_assert_cmpuint(d->driver->abi_minor, >=, minor);
    else
        g_assert_nonnull(strstr(err.message, "refused ABI"));
    hvd_loader_free(l);
    return minor;
}

static void
test_negotiation(Fixture *f, gconstpointer data)
{
    (void)data;
    int32_t rc;
    const uint32_t next = HVD_ABI_MINOR + 1; /* the future mocks' minor */
    /* current host x old driver */
    g_assert_cmpuint(negotiate(f, "MOCK_FROZEN", HVD_ABI_MINOR, &rc), ==, 0);
    /* host minor higher than the driver's: the driver's */
    g_assert_cmpuint(negotiate(f, "MOCK_CURRENT", next, &rc), ==, HVD_ABI_MINOR);
    g_assert_cmpuint(negotiate(f, "MOCK_CURRENT", 7, &rc), ==, HVD_ABI_MINOR);
    /* host minor lower than the driver's: the host's (the current mock
     * gives it the view of 1.0, which the loader accepts) */
    g_assert_cmpuint(negotiate(f, "MOCK_CURRENT", 0, &rc), ==, 0);
    g_assert_cmpuint(negotiate(f, "MOCK_FUTURE", 0, &rc), ==, 0);
    g_assert_cmpuint(negotiate(f, "MOCK_FUTURE", HVD_ABI_MINOR, &rc), ==, HVD_ABI_MINOR);
    /* both at the next minor */
    g_assert_cmpuint(negotiate(f, "MOCK_FUTURE", next, &rc), ==, next);
    g_assert_cmpuint(negotiate(f, "MOCK_FUTURE", 9, &rc), ==, next);
    /* no overlap: the driver needs a newer host */
    g_assert_cmpuint(negotiate(f, "MOCK_NEWER", HVD_ABI_MINOR, &rc), ==, UINT32_MAX);
    g_assert_cmpint(rc, ==, HVD_ERR_ABI_MISMATCH);
    g_assert_cmpuint(negotiate(f, "MOCK_NEWER", next, &rc), ==, next);
}

static void
test_fallback_after_refusal(Fixture *f, gconstpointer data)
{
    (void)data;
    /* A driver that refuses this host is reported and the next one for the
     * scheme is used (rule 16): the host goes on. */
    g_autofree char *newer = manifest_json("newer", lib("MOCK_NEWER"), 1, 1, "\"mock\"");
    g_autofree char *a = write_file(f->tmp, "a.json", newer);
    g_autofree char *b = write_manifest(f->tmp, "b.json", "current", lib("MOCK_CURRENT"), "\"mock\"");
    use_files(a, b);
    hvd_loader *l = hvd_loader_new();
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "mock://x/", 0, &d, &err), ==, HVD_OK);
    g_assert_cmpstr(d->manifest->name, ==, "current");
    const hvd_manifest *refused = hvd_loader_manifest(l, 0);
    g_assert_nonnull(strstr(refused->problem, "refused ABI 1.0"));
    g_assert_nonnull(strstr(refused->problem, "incompatible ABI"));
    g_assert_nonnull(strstr(refused->problem, "HVD 1.1 per its manifest"));
    hvd_loader_free(l);
}

/* --- XDG discovery (rule 15) --------------------------------------------- */

static void
test_xdg(Fixture *f, gconstpointer data)
{
    (void)data;
    g_autofree char *home = g_build_filename(f->tmp, "home-data", NULL);
    g_autofree char *sys1 = g_build_filename(f->tmp, "sys1", NULL);
    g_autofree char *sys2 = g_build_filename(f->tmp, "sys2", NULL);
    g_autofree char *dh = drivers_d(f, "home-data");
    g_autofree char *d1 = drivers_d(f, "sys1");
    g_autofree char *d2 = drivers_d(f, "sys2");
    /* user dir beats system dirs; sys1 beats sys2; within a dir, name order */
    g_autofree char *u = write_manifest(dh, "50-user.json", "user", lib("MOCK_FROZEN"), "\"mock\", \"usr\"");
    g_autofree char *s1b = write_manifest(d1, "20-b.json", "sys1-b", lib("MOCK_CURRENT"), "\"mock\", \"both\"");
    g_autofree char *s1a = write_manifest(d1, "10-a.json", "sys1-a", lib("MOCK_CURRENT"), "\"mock\", \"both\"");
    g_autofree char *s2 = write_manifest(d2, "00-c.json", "sys2", lib("MOCK_CURRENT"), "\"mock\", \"both\", \"only2\"");
    g_free(write_file(d1, "README", "not a manifest"));
    g_setenv("XDG_DATA_HOME", home, TRUE);
    g_autofree char *dirs = g_strjoin(":", sys1, "relative/ignored", sys2, NULL);
    g_setenv("XDG_DATA_DIRS", dirs, TRUE);
    hvd_loader *l = hvd_loader_new();
    g_assert_cmpuint(hvd_loader_count(l), ==, 4);
    g_assert_cmpstr(hvd_loader_manifest(l, 0)->manifest_path, ==, u);
    g_assert_cmpstr(hvd_loader_manifest(l, 1)->manifest_path, ==, s1a);
    g_assert_cmpstr(hvd_loader_manifest(l, 2)->manifest_path, ==, s1b);
    g_assert_cmpstr(hvd_loader_manifest(l, 3)->manifest_path, ==, s2);
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "mock://x/", 0, &d, &err), ==, HVD_OK);
    g_assert_cmpstr(d->manifest->name, ==, "user");
    g_assert_cmpint(load(l, "both://x/", 0, &d, &err), ==, HVD_OK);
    g_assert_cmpstr(d->manifest->name, ==, "sys1-a");
    g_assert_cmpint(load(l, "only2://x/", 0, &d, &err), ==, HVD_OK);
    g_assert_cmpstr(d->manifest->name, ==, "sys2");
    g_assert_cmpint(load(l, "nothing://x/", 0, &d, &err), ==, HVD_ERR_NO_SUPPORT);
    g_assert_nonnull(strstr(err.message, "nothing"));
    hvd_loader_free(l);
}

static void
test_xdg_broken_user(Fixture *f, gconstpointer data)
{
    (void)data;
    /* A broken manifest in the user dir does not hide the system one. */
    g_autofree char *home = g_build_filename(f->tmp, "home-data", NULL);
    g_autofree char *sys = g_build_filename(f->tmp, "sys", NULL);
    g_autofree char *dh = drivers_d(f, "home-data");
    g_autofree char *ds = drivers_d(f, "sys");
    g_free(write_file(dh, "mock.json", "{ not json"));
    g_free(write_manifest(dh, "mock2.json", "gone", "/nonexistent/libhvd-gone.so", "\"mock\""));
    g_free(write_manifest(ds, "mock.json", "system", lib("MOCK_CURRENT"), "\"mock\""));
    g_setenv("XDG_DATA_HOME", home, TRUE);
    g_setenv("XDG_DATA_DIRS", sys, TRUE);
    hvd_loader *l = hvd_loader_new();
    g_assert_cmpuint(hvd_loader_count(l), ==, 3);
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "mock://x/", 0, &d, &err), ==, HVD_OK);
    g_assert_cmpstr(d->manifest->name, ==, "system");
    g_assert_nonnull(strstr(hvd_loader_manifest(l, 1)->problem, "/nonexistent/libhvd-gone.so"));
    hvd_loader_free(l);
}

static void
test_xdg_defaults(Fixture *f, gconstpointer data)
{
    (void)data;
    /* XDG_DATA_HOME unset: ~/.local/share. */
    g_autofree char *dir = g_build_filename(g_getenv("HOME"), ".local", "share", "hvd", "drivers.d", NULL);
    g_free(write_manifest(dir, "mock.json", "home", lib("MOCK_CURRENT"), "\"homeonly\""));
    g_unsetenv("XDG_DATA_HOME");
    hvd_loader *l = hvd_loader_new();
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "homeonly://x/", 0, &d, &err), ==, HVD_OK);
    g_assert_cmpstr(d->manifest->name, ==, "home");
    hvd_loader_free(l);
    (void)f;
}

/* --- Architectures (multi-arch packages) ---------------------------------- */

static char *
arch_manifest(const char *arch, const char *library)
{
    /* named after its architecture, to tell which one a loader took */
    g_autofree char *plain = manifest_json(arch, library, 1, 0, "\"mock\"");
    const char *at = strstr(plain, "\"abi_major\"");
    g_assert_nonnull(at);
    return g_strdup_printf("%.*s\"architecture\": \"%s\", %s", (int)(at - plain), plain, arch, at);
}

static void
test_arch_side_by_side(Fixture *f, gconstpointer data)
{
    (void)data;
    /* The installed layout of two architectures' packages: esx.ARCH.json side
     * by side in one folder. This file runs built for both (test-loader and
     * test-loader-foreign), on the same pair: each takes its own. */
    g_autofree char *sys = g_build_filename(f->tmp, "sys", NULL);
    g_autofree char *dir = drivers_d(f, "sys");
    const char *arches[] = { HVD_LOADER_ARCH, TEST_OTHER_ARCH };
    for (int i = 0; i < 2; i++) {
        g_autofree char *file = g_strdup_printf("mock.%s.json", arches[i]);
        g_autofree char *json = arch_manifest(arches[i], lib(i == 0 ? "MOCK_CURRENT" : "NOENTRY"));
        g_free(write_file(dir, file, json));
    }
    g_setenv("XDG_DATA_DIRS", sys, TRUE);
    hvd_loader *l = hvd_loader_new();
    g_assert_cmpuint(hvd_loader_count(l), ==, 2);
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "mock://x/", 0, &d, &err), ==, HVD_OK);
    g_assert_cmpstr(d->manifest->name, ==, HVD_LOADER_ARCH);
    /* The other one is skipped with its reason, whichever sorts first. */
    for (uint32_t i = 0; i < 2; i++) {
        const hvd_manifest *m = hvd_loader_manifest(l, i);
        g_test_message("%s: usable %d %s", m->manifest_path, m->usable, m->problem);
        if (strcmp(m->name, TEST_OTHER_ARCH) == 0) {
            g_assert_cmpint(m->usable, ==, 0);
            g_assert_nonnull(strstr(m->problem, "architecture " TEST_OTHER_ARCH));
            g_assert_nonnull(strstr(m->problem, HVD_LOADER_ARCH));
            g_assert_nonnull(strstr(m->problem, m->manifest_path));
            g_assert_cmpstr(m->library_path, ==, "");
        } else {
            g_assert_cmpint(m->usable, ==, 1);
        }
    }
    hvd_loader_free(l);
}

static void
test_arch_only_other(Fixture *f, gconstpointer data)
{
    (void)data;
    /* Only another architecture's driver installed: not found, and why. */
    g_autofree char *json = arch_manifest(TEST_OTHER_ARCH, lib("MOCK_CURRENT"));
    g_autofree char *m = write_file(f->tmp, "mock." TEST_OTHER_ARCH ".json", json);
    g_autofree char *bad = arch_manifest("", lib("MOCK_CURRENT"));
    g_autofree char *b = write_file(f->tmp, "bad.json", bad);
    use_files(m, b);
    hvd_loader *l = hvd_loader_new();
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "mock://x/", 0, &d, &err), ==, HVD_ERR_NO_SUPPORT);
    g_assert_nonnull(strstr(err.message, "for architecture " TEST_OTHER_ARCH));
    g_assert_nonnull(strstr(hvd_loader_manifest(l, 1)->problem, "\"architecture\" must be a non-empty string"));
    hvd_loader_free(l);
}

/* --- Built-in folders: SYSCONFDIR and DATADIR ---------------------------- */

static void
test_builtin_dirs(Fixture *f, gconstpointer data)
{
    (void)data;
    /* user > SYSCONFDIR (administrators) > XDG_DATA_DIRS > DATADIR */
    g_autofree char *home = g_build_filename(f->tmp, "home-data", NULL);
    g_autofree char *xdg = g_build_filename(f->tmp, "xdg", NULL);
    g_autofree char *dh = drivers_d(f, "home-data");
    g_autofree char *dx = drivers_d(f, "xdg");
    g_autofree char *etc = g_build_filename(TEST_ROOT, "etc", "hvd", "drivers.d", NULL);
    g_autofree char *share = g_build_filename(TEST_ROOT, "share", "hvd", "drivers.d", NULL);
    g_autofree char *u = write_manifest(dh, "user.json", "user", lib("MOCK_CURRENT"), "\"top\"");
    g_autofree char *a = write_manifest(etc, "zz-admin.json", "admin", lib("MOCK_CURRENT"), "\"mock\", \"top\"");
    g_autofree char *x = write_manifest(dx, "aa-xdg.json", "xdg", lib("MOCK_CURRENT"), "\"mock\", \"dist\"");
    g_autofree char *b =
        write_manifest(share, "00-builtin.json", "builtin", lib("MOCK_CURRENT"), "\"mock\", \"dist\", \"builtin\"");
    g_setenv("XDG_DATA_HOME", home, TRUE);
    g_setenv("XDG_DATA_DIRS", xdg, TRUE);
    hvd_loader *l = hvd_loader_new();
    g_assert_cmpuint(hvd_loader_count(l), ==, 4);
    g_assert_cmpstr(hvd_loader_manifest(l, 0)->manifest_path, ==, u);
    g_assert_cmpstr(hvd_loader_manifest(l, 1)->manifest_path, ==, a);
    g_assert_cmpstr(hvd_loader_manifest(l, 2)->manifest_path, ==, x);
    g_assert_cmpstr(hvd_loader_manifest(l, 3)->manifest_path, ==, b);
    const char *expect[][2] = {
        { "top://h/", "user" }, { "mock://h/", "admin" }, { "dist://h/", "xdg" }, { "builtin://h/", "builtin" }
    };
    for (size_t i = 0; i < G_N_ELEMENTS(expect); i++) {
        const hvd_loaded_driver *d;
        hvd_error err;
        g_assert_cmpint(load(l, expect[i][0], 0, &d, &err), ==, HVD_OK);
        g_assert_cmpstr(d->manifest->name, ==, expect[i][1]);
    }
    hvd_loader_free(l);

    /* XDG_DATA_DIRS naming DATADIR (as it does by default on a /usr build):
     * the folder is scanned once, at the first place it is met. */
    g_autofree char *share_base = g_build_filename(TEST_ROOT, "share", NULL);
    g_autofree char *dirs = g_strjoin(":", share_base, xdg, NULL);
    g_setenv("XDG_DATA_DIRS", dirs, TRUE);
    l = hvd_loader_new();
    g_assert_cmpuint(hvd_loader_count(l), ==, 4);
    g_assert_cmpstr(hvd_loader_manifest(l, 2)->manifest_path, ==, b);
    g_assert_cmpstr(hvd_loader_manifest(l, 3)->manifest_path, ==, x);
    hvd_loader_free(l);

    /* HVD_DRIVER_FILES still means exactly those files. */
    use_files(x, NULL);
    l = hvd_loader_new();
    g_assert_cmpuint(hvd_loader_count(l), ==, 1);
    hvd_loader_free(l);
}

/* --- Schemes ------------------------------------------------------------- */

static void
test_schemes(Fixture *f, gconstpointer data)
{
    (void)data;
    g_autofree char *m = write_manifest(f->tmp, "m.json", "mock", lib("MOCK_CURRENT"), "\"Mock\", \"mk\"");
    use_files(m, NULL);
    hvd_loader *l = hvd_loader_new();
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "mk://host/", 0, &d, &err), ==, HVD_OK);
    g_assert_cmpint(load(l, "mock://host/", 0, &d, &err), ==, HVD_OK);
    g_assert_cmpint(load(l, "host-without-scheme", 0, &d, &err), ==, HVD_ERR_URI);
    g_assert_nonnull(strstr(err.message, "no scheme"));
    /* a URI without a scheme is not quoted: it may be user:password@host */
    g_assert_cmpint(load(l, "root:s3cret@host", 0, &d, &err), ==, HVD_ERR_URI);
    g_assert_null(strstr(err.message, "s3cret"));
    g_assert_cmpint(load(l, "root:s3cret@host/x://y", 0, &d, &err), ==, HVD_ERR_URI);
    g_assert_null(strstr(err.message, "s3cret"));
    g_assert_cmpint(load(l, "://host/", 0, &d, &err), ==, HVD_ERR_URI);
    g_assert_cmpint(load(l, "mockx://host/", 0, &d, &err), ==, HVD_ERR_NO_SUPPORT);
    g_assert_cmpint(hvd_loader_load_for_uri(l, NULL, 0, &d, NULL), ==, HVD_ERR_INVALID_ARG);
    g_assert_cmpint(hvd_loader_load_for_uri(l, "mock://h/", 0, NULL, NULL), ==, HVD_ERR_INVALID_ARG);
    g_assert_cmpint(hvd_loader_load_by_name(l, "nope", 0, &d, &err), ==, HVD_ERR_NO_SUPPORT);
    hvd_loader_free(l);
}

static void
test_transport_scheme(Fixture *f, gconstpointer data)
{
    (void)data;
    /* "DRIVER+TRANSPORT://" (libvirt's remote transports) selects DRIVER's
     * plugin, which then explains in its own words whether it supports the
     * transport. A manifest that lists the full scheme wins. */
    g_autofree char *a = write_manifest(f->tmp, "a.json", "mock", lib("MOCK_CURRENT"), "\"mock\"");
    g_autofree char *b = write_manifest(f->tmp, "b.json", "mockssh", lib("MOCK_FROZEN"), "\"mock+ssh\"");
    use_files(a, b);
    hvd_loader *l = hvd_loader_new();
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "mock+tls://host/", 0, &d, &err), ==, HVD_OK);
    g_assert_cmpstr(d->manifest->name, ==, "mock");
    g_assert_cmpint(load(l, "MOCK+SSH://host/", 0, &d, &err), ==, HVD_OK);
    g_assert_cmpstr(d->manifest->name, ==, "mockssh");
    g_assert_cmpint(load(l, "other+ssh://host/", 0, &d, &err), ==, HVD_ERR_NO_SUPPORT);
    hvd_loader_free(l);
}

/* --- Exported helpers ---------------------------------------------------- */

static void
test_error_set(void)
{
    struct {
        hvd_error e;
        unsigned char canary[16];
    } box;
    /* Only struct_size and code fit: nothing else is written. */
    memset(&box, 0x5A, sizeof(box));
    box.e.struct_size = offsetof(hvd_error, fault);
    hvd_error_set(&box.e, HVD_ERR_URI, "Fault", "message %d", 1);
    g_assert_cmpint(box.e.code, ==, HVD_ERR_URI);
    for (size_t i = offsetof(hvd_error, fault); i < sizeof(box); i++)
        g_assert_cmpint(((unsigned char *)&box)[i], ==, 0x5A);
    /* Too small for the code: nothing at all. */
    memset(&box, 0x5A, sizeof(box));
    box.e.struct_size = 4;
    hvd_error_set(&box.e, HVD_ERR_URI, NULL, "x");
    g_assert_cmpuint(box.e.code, ==, 0x5A5A5A5Au);
    /* Full size: message truncated on a UTF-8 boundary, canary intact. */
    memset(&box, 0x5A, sizeof(box));
    box.e.struct_size = sizeof(hvd_error);
    GString *big = g_string_new(NULL);
    while (big->len < 2 * HVD_ERROR_MESSAGE_LEN)
        g_string_append(big, "\xc3\xa9"); /* é */
    g_string_prepend_c(big, 'x');         /* the cut falls inside a character */
    hvd_error_set(&box.e, HVD_ERR_INTERNAL, "VeryLongFaultName", "%s", big->str);
    g_string_free(big, TRUE);
    g_assert_cmpstr(box.e.fault, ==, "VeryLongFaultName");
    g_assert_true(g_utf8_validate(box.e.message, -1, NULL));
    g_assert_cmpuint(strlen(box.e.message), >=, HVD_ERROR_MESSAGE_LEN - 3);
    for (size_t i = 0; i < sizeof(box.canary); i++)
        g_assert_cmpint(box.canary[i], ==, 0x5A);
    hvd_error_set(NULL, HVD_ERR_URI, NULL, "no crash");
}

static void
test_status_string(void)
{
    for (int32_t s = HVD_OK; s >= HVD_ERR_AMBIGUOUS; s--) {
        const char *str = hvd_status_string(s);
        g_assert_nonnull(str);
        g_assert_cmpstr(str, !=, "unknown error");
    }
    g_assert_cmpstr(hvd_status_string(HVD_ERR_AMBIGUOUS - 1), ==, "unknown error");
    g_assert_cmpstr(hvd_status_string(1), ==, "unknown error");
    g_assert_cmpstr(hvd_status_string(HVD_ERR_VENDOR_FIRST - 5), ==, "driver-specific error");
    /* libhvd-loader 1.1: its own version and architecture */
    g_assert_cmpstr(hvd_loader_version(), ==, HVD_LOADER_VERSION);
    g_assert_cmpstr(hvd_loader_arch(), ==, HVD_LOADER_ARCH);
    g_assert_null(hvd_loader_manifest(NULL, 0));
    g_assert_cmpuint(hvd_loader_count(NULL), ==, 0);
    hvd_loader_free(NULL);
}

/* --- Unloading ------------------------------------------------------------ */

/* hvd_loader_free() dlcloses the drivers it loaded: in a plain build the
 * library is unmapped; in a sanitizer build (HVD_LOADER_NODELETE, as the
 * loader) it stays mapped, so that ASan's leak checker, which runs at exit,
 * can symbolise stacks through it (it crashed, "Tracer caught signal 11",
 * when the driver was gone). */
static void
test_unload(Fixture *f, gconstpointer data)
{
    (void)data;
    const char *mock = lib("MOCK_CURRENT");
    g_autofree char *dir = g_build_filename(f->tmp, "m", NULL);
    g_autofree char *m = write_manifest(dir, "mock.json", "mock", mock, "\"mock\"");
    use_files(m, NULL);
#ifndef HVD_LOADER_NODELETE
    /* (in a sanitizer build, earlier tests left it mapped) */
    g_assert_null(dlopen(mock, RTLD_NOW | RTLD_NOLOAD));
#endif
    hvd_loader *l = hvd_loader_new();
    const hvd_loaded_driver *d;
    hvd_error err;
    g_assert_cmpint(load(l, "mock://x/", 0, &d, &err), ==, HVD_OK);
    void *h = dlopen(mock, RTLD_NOW | RTLD_NOLOAD);
    g_assert_nonnull(h);
    dlclose(h);
    hvd_loader_free(l);
    h = dlopen(mock, RTLD_NOW | RTLD_NOLOAD);
#ifdef HVD_LOADER_NODELETE
    g_test_message("sanitizer build: the driver stays mapped after hvd_loader_free()");
    g_assert_nonnull(h);
    dlclose(h);
#else
    g_test_message("plain build: the driver is unmapped by hvd_loader_free()");
    g_assert_null(h);
#endif
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/loader/files/good", test_files_good);
    ADD("/loader/files/exclusive", test_files_exclusive);
    ADD("/loader/files/order", test_files_order);
    ADD("/loader/manifest/malformed", test_malformed_json);
    ADD("/loader/manifest/wrong-major", test_wrong_major);
    ADD("/loader/library/missing", test_missing_library);
    ADD("/loader/library/relative", test_relative_library);
    ADD("/loader/library/no-entry", test_no_entry);
    ADD("/loader/library/host-symbol-leak", test_host_symbol_leak);
    ADD("/loader/library/bad-tables", test_bad_tables);
    ADD("/loader/negotiation/matrix", test_negotiation);
    ADD("/loader/negotiation/fallback", test_fallback_after_refusal);
    ADD("/loader/xdg/precedence", test_xdg);
    ADD("/loader/xdg/broken-user", test_xdg_broken_user);
    ADD("/loader/xdg/defaults", test_xdg_defaults);
    ADD("/loader/arch/side-by-side", test_arch_side_by_side);
    ADD("/loader/arch/only-other", test_arch_only_other);
    ADD("/loader/dirs/builtin", test_builtin_dirs);
    ADD("/loader/scheme/select", test_schemes);
    ADD("/loader/scheme/transport", test_transport_scheme);
    ADD("/loader/library/unload", test_unload);
    g_test_add_func("/loader/error-set", test_error_set);
    g_test_add_func("/loader/status-string", test_status_string);
    return g_test_run();
}
