/* loader.c — manifest discovery, dlopen and ABI negotiation for hosts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "hvd-loader.h"

#include <dlfcn.h>
#include <json-c/json.h>
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define LOADER_EXPORT HVD_EXPORT

/* Set by abi/meson.build: the architecture tuple installed manifests carry,
 * and the built-in manifest folders (hvd-loader.h, "Search order"). */
#ifndef HVD_LOADER_ARCH
#error "HVD_LOADER_ARCH must be defined (abi/meson.build)"
#endif
#ifndef HVD_LOADER_SYSCONF_DIR
#error "HVD_LOADER_SYSCONF_DIR must be defined (abi/meson.build)"
#endif
#ifndef HVD_LOADER_DATA_DIR
#error "HVD_LOADER_DATA_DIR must be defined (abi/meson.build)"
#endif
#ifndef HVD_LOADER_VERSION
#error "HVD_LOADER_VERSION must be defined (abi/meson.build)"
#endif

LOADER_EXPORT const char *
hvd_loader_version(void)
{
    return HVD_LOADER_VERSION;
}

LOADER_EXPORT const char *
hvd_loader_arch(void)
{
    return HVD_LOADER_ARCH;
}

typedef struct {
    hvd_manifest pub;
    char *manifest_path;
    char *name;
    char *library_path;
    char *description;
    GPtrArray *schemes; /* char*, NULL-terminated */
    GString *problem;
    hvd_loaded_driver loaded;
    gboolean is_loaded;
} manifest;

struct hvd_loader {
    GPtrArray *manifests; /* manifest* */
};

LOADER_EXPORT void
hvd_error_set(hvd_error *err, int32_t code, const char *fault, const char *fmt, ...)
{
    if (err == NULL || err->struct_size < offsetof(hvd_error, code) + sizeof(err->code))
        return;
    err->code = code;
    if (err->struct_size >= offsetof(hvd_error, fault) + sizeof(err->fault))
        g_strlcpy(err->fault, fault ? fault : "", sizeof(err->fault));
    if (err->struct_size >= offsetof(hvd_error, message) + sizeof(err->message)) {
        va_list ap;
        va_start(ap, fmt);
        g_vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
        /* never leave a truncated multi-byte sequence behind */
        const char *end = NULL;
        if (!g_utf8_validate(err->message, -1, &end))
            *(char *)end = '\0';
    }
}

LOADER_EXPORT const char *
hvd_status_string(int32_t status)
{
    switch (status) {
    case HVD_OK: return "success";
    case HVD_ERR_INTERNAL: return "internal error";
    case HVD_ERR_INVALID_ARG: return "invalid argument";
    case HVD_ERR_NO_SUPPORT: return "operation not supported by this driver";
    case HVD_ERR_NO_MEMORY: return "out of memory";
    case HVD_ERR_ABI_MISMATCH: return "incompatible ABI version";
    case HVD_ERR_BAD_FLAGS: return "unsupported flags";
    case HVD_ERR_URI: return "invalid connection URI";
    case HVD_ERR_AUTH_FAILED: return "authentication failed";
    case HVD_ERR_AUTH_CANCELLED: return "authentication cancelled";
    case HVD_ERR_CONNECT: return "connection failed";
    case HVD_ERR_TLS: return "TLS failed";
    case HVD_ERR_TIMEOUT: return "timed out";
    case HVD_ERR_SERVER: return "server error";
    case HVD_ERR_NO_DOMAIN: return "domain not found";
    case HVD_ERR_NO_SNAPSHOT: return "snapshot not found";
    case HVD_ERR_NO_POOL: return "storage pool not found";
    case HVD_ERR_NO_VOLUME: return "storage volume not found";
    case HVD_ERR_NO_NETWORK: return "network not found";
    case HVD_ERR_NO_INTERFACE: return "interface not found";
    case HVD_ERR_OPERATION_INVALID: return "operation invalid in this state";
    case HVD_ERR_OPERATION_FAILED: return "operation failed";
    case HVD_ERR_CANCELLED: return "cancelled";
    case HVD_ERR_QUESTION: return "blocked by a question";
    case HVD_ERR_XML: return "malformed configuration";
    case HVD_ERR_CONFIG_UNSUPPORTED: return "configuration not supported";
    case HVD_ERR_EXISTS: return "already exists";
    case HVD_ERR_NO_HOST: return "host not found";
    case HVD_ERR_IO: return "I/O error";
    case HVD_ERR_ACCESS_DENIED: return "access denied";
    case HVD_ERR_AMBIGUOUS: return "more than one object matches";
    default:
        if (status <= HVD_ERR_VENDOR_FIRST && status >= HVD_ERR_VENDOR_LAST)
            return "driver-specific error";
        return "unknown error";
    }
}

static void
manifest_free(gpointer data)
{
    manifest *m = data;
    if (m->loaded.dl_handle != NULL)
        dlclose(m->loaded.dl_handle);
    g_free(m->manifest_path);
    g_free(m->name);
    g_free(m->library_path);
    g_free(m->description);
    g_ptr_array_unref(m->schemes);
    g_string_free(m->problem, TRUE);
    g_free(m);
}

static void
manifest_sync_pub(manifest *m)
{
    m->pub.manifest_path = m->manifest_path;
    m->pub.name = m->name ? m->name : "";
    m->pub.library_path = m->library_path ? m->library_path : "";
    m->pub.description = m->description ? m->description : "";
    m->pub.uri_schemes = (const char *const *)m->schemes->pdata;
    m->pub.problem = m->problem->str;
}

static const char *
json_get_string(json_object *obj, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static gboolean
json_get_uint(json_object *obj, const char *key, uint32_t *out)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_int))
        return FALSE;
    int64_t n = json_object_get_int64(v);
    if (n < 0 || n > UINT32_MAX)
        return FALSE;
    *out = (uint32_t)n;
    return TRUE;
}

/* Parse one manifest file. Problems are recorded, never fatal. */
static manifest *
manifest_load(const char *path)
{
    manifest *m = g_new0(manifest, 1);
    m->pub.struct_size = sizeof(m->pub);
    m->loaded.struct_size = sizeof(m->loaded);
    m->manifest_path = g_strdup(path);
    m->schemes = g_ptr_array_new_with_free_func(g_free);
    m->problem = g_string_new(NULL);

    g_autofree char *text = NULL;
    gsize len = 0;
    g_autoptr(GError) gerr = NULL;
    json_object *root = NULL;

    if (!g_file_get_contents(path, &text, &len, &gerr)) {
        g_string_printf(m->problem, "cannot read driver manifest %s: %s", path, gerr->message);
        goto out;
    }
    json_tokener *tok = json_tokener_new();
    root = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    json_tokener_free(tok);
    if (root == NULL || jerr != json_tokener_success) {
        g_string_printf(m->problem, "driver manifest %s is not valid JSON: %s", path, json_tokener_error_desc(jerr));
        goto out;
    }
    const char *fmt = json_get_string(root, "file_format_version");
    if (fmt == NULL || strncmp(fmt, "1.", 2) != 0) {
        g_string_printf(m->problem, "driver manifest %s: \"file_format_version\" must be \"1.x.y\" (got %s)", path,
                        fmt ? fmt : "nothing");
        goto out;
    }
    json_object *drv = NULL;
    if (!json_object_object_get_ex(root, "driver", &drv) || !json_object_is_type(drv, json_type_object)) {
        g_string_printf(m->problem, "driver manifest %s has no \"driver\" object", path);
        goto out;
    }
    const char *name = json_get_string(drv, "name");
    const char *lib = json_get_string(drv, "library_path");
    const char *desc = json_get_string(drv, "description");
    m->name = g_strdup(name ? name : "");
    m->description = g_strdup(desc ? desc : "");
    /* Format 1.1: a manifest may name its architecture (the multiarch tuple).
     * Another architecture's manifest is not broken: it serves that
     * architecture's hosts, so it is skipped with the reason, before its
     * library path means anything. */
    json_object *arch = NULL;
    if (json_object_object_get_ex(drv, "architecture", &arch)) {
        if (!json_object_is_type(arch, json_type_string) || json_object_get_string_len(arch) == 0) {
            g_string_printf(m->problem, "driver manifest %s: \"architecture\" must be a non-empty string", path);
            goto out;
        }
        if (strcmp(json_object_get_string(arch), HVD_LOADER_ARCH) != 0) {
            g_string_printf(m->problem,
                            "driver manifest %s is for architecture %s, this host is %s: left to that "
                            "architecture's hosts",
                            path, json_object_get_string(arch), HVD_LOADER_ARCH);
            goto out;
        }
    }
    if (lib == NULL || *lib == '\0') {
        g_string_printf(m->problem, "driver manifest %s has no \"library_path\"", path);
        goto out;
    }
    if (g_path_is_absolute(lib) || strchr(lib, '/') == NULL) {
        m->library_path = g_strdup(lib);
    } else {
        /* relative to the manifest's folder, whatever the current directory */
        g_autofree char *abs = g_canonicalize_filename(path, NULL);
        g_autofree char *dir = g_path_get_dirname(abs);
        m->library_path = g_canonicalize_filename(lib, dir);
    }
    if (!json_get_uint(drv, "abi_major", &m->pub.abi_major) || !json_get_uint(drv, "abi_minor", &m->pub.abi_minor)) {
        g_string_printf(m->problem, "driver manifest %s needs integer \"abi_major\" and \"abi_minor\"", path);
        goto out;
    }
    if (m->pub.abi_major != HVD_ABI_MAJOR) {
        g_string_printf(m->problem,
                        "driver '%s' (%s) implements HVD ABI %u.%u, this host speaks major %d: "
                        "install a driver built for ABI %d",
                        m->name, path, m->pub.abi_major, m->pub.abi_minor, HVD_ABI_MAJOR, HVD_ABI_MAJOR);
        goto out;
    }
    json_object *schemes = NULL;
    if (!json_object_object_get_ex(drv, "uri_schemes", &schemes) || !json_object_is_type(schemes, json_type_array) ||
        json_object_array_length(schemes) == 0) {
        g_string_printf(m->problem, "driver manifest %s needs a non-empty \"uri_schemes\" array", path);
        goto out;
    }
    for (size_t i = 0; i < json_object_array_length(schemes); i++) {
        json_object *s = json_object_array_get_idx(schemes, i);
        if (!json_object_is_type(s, json_type_string)) {
            g_string_printf(m->problem, "driver manifest %s: \"uri_schemes\" must hold strings", path);
            g_ptr_array_set_size(m->schemes, 0);
            goto out;
        }
        g_ptr_array_add(m->schemes, g_ascii_strdown(json_object_get_string(s), -1));
    }
    m->pub.usable = 1;

out:
    if (root != NULL)
        json_object_put(root);
    g_ptr_array_add(m->schemes, NULL);
    manifest_sync_pub(m);
    return m;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Scan one drivers.d folder once: XDG_DATA_DIRS often repeats the built-in
 * datadir, and a manifest listed twice would only be reported twice. */
static void
scan_dir(hvd_loader *loader, GHashTable *seen, const char *dir)
{
    g_autofree char *canon = g_canonicalize_filename(dir, NULL);
    if (!g_hash_table_add(seen, g_steal_pointer(&canon)))
        return;
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    if (d == NULL)
        return;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *entry;
    while ((entry = g_dir_read_name(d)) != NULL) {
        if (g_str_has_suffix(entry, ".json"))
            g_ptr_array_add(names, g_build_filename(dir, entry, NULL));
    }
    g_ptr_array_sort(names, compare_names);
    for (guint i = 0; i < names->len; i++)
        g_ptr_array_add(loader->manifests, manifest_load(names->pdata[i]));
}

LOADER_EXPORT hvd_loader *
hvd_loader_new(void)
{
    hvd_loader *loader = g_new0(hvd_loader, 1);
    loader->manifests = g_ptr_array_new_with_free_func(manifest_free);

    const char *files = g_getenv("HVD_DRIVER_FILES");
    if (files != NULL && *files != '\0') {
        g_auto(GStrv) list = g_strsplit(files, ":", -1);
        for (char **p = list; *p != NULL; p++) {
            if (**p != '\0')
                g_ptr_array_add(loader->manifests, manifest_load(*p));
        }
        return loader;
    }
    /* g_get_user_data_dir/g_get_system_data_dirs cache the environment; read it
     * ourselves so that a host changing XDG_* between loaders is honoured. */
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    const char *home = g_getenv("XDG_DATA_HOME");
    g_autofree char *user_dir = (home != NULL && g_path_is_absolute(home))
                                    ? g_build_filename(home, "hvd", "drivers.d", NULL)
                                    : g_build_filename(g_get_home_dir(), ".local", "share", "hvd", "drivers.d", NULL);
    scan_dir(loader, seen, user_dir);
    scan_dir(loader, seen, HVD_LOADER_SYSCONF_DIR);

    const char *dirs = g_getenv("XDG_DATA_DIRS");
    if (dirs == NULL || *dirs == '\0')
        dirs = "/usr/local/share:/usr/share";
    g_auto(GStrv) list = g_strsplit(dirs, ":", -1);
    for (char **p = list; *p != NULL; p++) {
        if (g_path_is_absolute(*p)) {
            g_autofree char *dir = g_build_filename(*p, "hvd", "drivers.d", NULL);
            scan_dir(loader, seen, dir);
        }
    }
    scan_dir(loader, seen, HVD_LOADER_DATA_DIR);
    return loader;
}

LOADER_EXPORT void
hvd_loader_free(hvd_loader *loader)
{
    if (loader == NULL)
        return;
    g_ptr_array_unref(loader->manifests);
    g_free(loader);
}

LOADER_EXPORT uint32_t
hvd_loader_count(const hvd_loader *loader)
{
    return loader ? loader->manifests->len : 0;
}

LOADER_EXPORT const hvd_manifest *
hvd_loader_manifest(const hvd_loader *loader, uint32_t i)
{
    if (loader == NULL || i >= loader->manifests->len)
        return NULL;
    return &((manifest *)loader->manifests->pdata[i])->pub;
}

/* Sanitizer builds keep drivers mapped after dlclose (RTLD_NODELETE): the
 * leak checker of ASan/LSan runs at exit and symbolises the stacks of the
 * blocks it reports, and stacks through a driver that is no longer mapped
 * crashed it ("Tracer caught signal 11"), failing good runs and hiding the
 * leaks of those paths. meson defines HVD_LOADER_NODELETE when b_sanitize
 * names address or leak; -fsanitize=address given in CFLAGS is caught by
 * the compiler's own macro. Other builds unload drivers on dlclose. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define LOADER_SANITIZED 1
#endif
#endif
/* RTLD_NOW, not RTLD_LAZY (which would save ~12% of hvdctl's start-up on
 * a development build): a driver whose imports do not all resolve must
 * fail here, where the loader reports it and goes on (ABI rule 16), not
 * end the host with "symbol lookup error" at its first call
 * (docs/performance.md, "Start-up"). */
#if defined(HVD_LOADER_NODELETE) || defined(__SANITIZE_ADDRESS__) || defined(LOADER_SANITIZED)
#define LOADER_DLOPEN_FLAGS (RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE)
#else
#define LOADER_DLOPEN_FLAGS (RTLD_NOW | RTLD_LOCAL)
#endif

/* dlopen + dlsym + negotiate one manifest's driver. On failure the reason is
 * both recorded in the manifest and returned through err. */
static int32_t
manifest_open(manifest *m, uint32_t host_minor, hvd_error *err)
{
    if (m->is_loaded)
        return HVD_OK;
    /* dlopen(NULL) would hand back the host program itself */
    if (m->library_path == NULL || *m->library_path == '\0') {
        hvd_error_set(err, HVD_ERR_IO, NULL, "driver manifest %s names no library", m->manifest_path);
        return HVD_ERR_IO;
    }
    dlerror();
    void *handle = dlopen(m->library_path, LOADER_DLOPEN_FLAGS);
    if (handle == NULL) {
        const char *why = dlerror();
        g_string_printf(m->problem, "cannot load driver '%s' from %s (manifest %s): %s", m->name, m->library_path,
                        m->manifest_path, why ? why : "unknown dlopen error");
        manifest_sync_pub(m);
        hvd_error_set(err, HVD_ERR_IO, NULL, "%s", m->problem->str);
        return HVD_ERR_IO;
    }
    void *sym = dlsym(handle, HVD_ENTRY_SYMBOL);
    /* dlsym on a plugin handle can return the host's own symbol of the same
     * name (e.g. a host that statically links a driver): make sure it is the
     * plugin's. */
    Dl_info info;
    gboolean ours = FALSE;
    if (sym != NULL && dladdr(sym, &info) != 0 && info.dli_fname != NULL) {
        void *probe = dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD);
        ours = (probe == handle);
        if (probe != NULL)
            dlclose(probe);
    }
    if (sym == NULL || !ours) {
        g_string_printf(m->problem, "%s (driver '%s', manifest %s) does not export %s: it is not an HVD %d driver",
                        m->library_path, m->name, m->manifest_path, HVD_ENTRY_SYMBOL, HVD_ABI_MAJOR);
        manifest_sync_pub(m);
        dlclose(handle);
        hvd_error_set(err, HVD_ERR_ABI_MISMATCH, NULL, "%s", m->problem->str);
        return HVD_ERR_ABI_MISMATCH;
    }
    hvd_driver_entry_fn entry;
    memcpy(&entry, &sym, sizeof(entry));
    const hvd_driver *drv = NULL;
    uint32_t minor = 0;
    int32_t rc = entry(host_minor, &drv, &minor);
    const char *broken = NULL;
    if (rc == HVD_OK) {
        if (drv == NULL)
            broken = "it returned no driver table";
        else if (drv->struct_size < offsetof(hvd_driver, native) + sizeof(drv->native))
            broken = "its driver table is smaller than HVD 1.0's";
        else if (drv->abi_minor == 0 && drv->struct_size != offsetof(hvd_driver, native) + sizeof(drv->native))
            broken = "its driver table's size is not HVD 1.0's, the minor it declares";
        else if (drv->abi_major != HVD_ABI_MAJOR)
            broken = "its driver table is of another ABI major";
        else if (minor > host_minor || minor > drv->abi_minor)
            broken = "it negotiated a minor above min(host, driver)";
    }
    if (broken != NULL) {
        rc = HVD_ERR_ABI_MISMATCH;
        g_string_printf(m->problem, "driver '%s' (%s) is not a valid HVD %d driver: %s; it was not loaded", m->name,
                        m->library_path, HVD_ABI_MAJOR, broken);
    } else if (rc != HVD_OK) {
        g_string_printf(m->problem,
                        "driver '%s' (%s, HVD %u.%u per its manifest) refused ABI %d.%u: %s; install a driver "
                        "built for HVD %d.%u or a newer host application",
                        m->name, m->library_path, m->pub.abi_major, m->pub.abi_minor, HVD_ABI_MAJOR, host_minor,
                        hvd_status_string(rc), HVD_ABI_MAJOR, host_minor);
    }
    if (rc != HVD_OK) {
        manifest_sync_pub(m);
        dlclose(handle);
        hvd_error_set(err, rc, NULL, "%s", m->problem->str);
        return rc;
    }
    m->loaded.manifest = &m->pub;
    m->loaded.driver = drv;
    m->loaded.minor = minor;
    m->loaded.dl_handle = handle;
    m->is_loaded = TRUE;
    return HVD_OK;
}

typedef gboolean (*manifest_match)(const manifest *m, const char *key);

static gboolean
match_scheme(const manifest *m, const char *scheme)
{
    for (guint i = 0; i + 1 < m->schemes->len; i++) {
        if (strcmp(m->schemes->pdata[i], scheme) == 0)
            return TRUE;
    }
    return FALSE;
}

static gboolean
match_name(const manifest *m, const char *name)
{
    return m->name != NULL && strcmp(m->name, name) == 0;
}

static int32_t
load_matching(hvd_loader *loader, manifest_match match, const char *key, const char *what, uint32_t host_minor,
              const hvd_loaded_driver **out, hvd_error *err)
{
    int32_t last = HVD_ERR_NO_SUPPORT;
    gboolean any = FALSE;
    for (guint i = 0; i < loader->manifests->len; i++) {
        manifest *m = loader->manifests->pdata[i];
        if (!m->pub.usable || !match(m, key))
            continue;
        any = TRUE;
        last = manifest_open(m, host_minor, err);
        if (last == HVD_OK) {
            *out = &m->loaded;
            return HVD_OK;
        }
    }
    if (!any) {
        GString *why = g_string_new(NULL);
        for (guint i = 0; i < loader->manifests->len; i++) {
            manifest *m = loader->manifests->pdata[i];
            if (!m->pub.usable)
                g_string_append_printf(why, "; skipped: %s", m->problem->str);
        }
        hvd_error_set(err, HVD_ERR_NO_SUPPORT, NULL,
                      "no HVD driver found for %s '%s' (%u manifest(s) searched%s%s); install one "
                      "or point HVD_DRIVER_FILES at its manifest",
                      what, key, loader->manifests->len, loader->manifests->len ? "" : " in the manifest folders",
                      why->str);
        g_string_free(why, TRUE);
    }
    return last;
}

LOADER_EXPORT int32_t
hvd_loader_load_for_uri(hvd_loader *loader, const char *uri, uint32_t host_minor, const hvd_loaded_driver **out,
                        hvd_error *err)
{
    if (loader == NULL || uri == NULL || out == NULL) {
        hvd_error_set(err, HVD_ERR_INVALID_ARG, NULL, "hvd_loader_load_for_uri: NULL argument");
        return HVD_ERR_INVALID_ARG;
    }
    /* The URI is not quoted: without a scheme it may be "user:password@host".
     * Only a well-formed scheme (RFC 3986) is, in the messages below. */
    const char *colon = strstr(uri, "://");
    gboolean scheme_ok = colon != NULL && g_ascii_isalpha(uri[0]);
    for (const char *c = uri; scheme_ok && c < colon; c++)
        scheme_ok = g_ascii_isalnum(*c) || *c == '+' || *c == '-' || *c == '.';
    if (!scheme_ok) {
        hvd_error_set(err, HVD_ERR_URI, NULL,
                      "connection URI has no scheme before its '://' (not quoted here, in case it holds a "
                      "password): expected e.g. esx://host/ or vpx://vcenter/dc/host");
        return HVD_ERR_URI;
    }
    g_autofree char *scheme = g_ascii_strdown(uri, colon - uri);
    /* "esx+ssh://": libvirt users try remote transports. Hand such a URI to
     * the driver of the base scheme, whose open() explains what to use. */
    char *plus = strchr(scheme, '+');
    if (plus != NULL) {
        for (guint i = 0; i < loader->manifests->len; i++) {
            const manifest *m = loader->manifests->pdata[i];
            if (m->pub.usable && match_scheme(m, scheme))
                return load_matching(loader, match_scheme, scheme, "URI scheme", host_minor, out, err);
        }
        *plus = '\0';
    }
    return load_matching(loader, match_scheme, scheme, "URI scheme", host_minor, out, err);
}

LOADER_EXPORT int32_t
hvd_loader_load_by_name(hvd_loader *loader, const char *name, uint32_t host_minor, const hvd_loaded_driver **out,
                        hvd_error *err)
{
    if (loader == NULL || name == NULL || out == NULL) {
        hvd_error_set(err, HVD_ERR_INVALID_ARG, NULL, "hvd_loader_load_by_name: NULL argument");
        return HVD_ERR_INVALID_ARG;
    }
    return load_matching(loader, match_name, name, "driver name", host_minor, out, err);
}
