/* authfile.c — libvirt auth.conf lookup (ini syntax):
 *
 *   [credentials-prod]
 *   username=root
 *   password=secret
 *
 *   [auth-esx-esx1.example.com]
 *   credentials=prod
 */
#include "authfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An auth file holds passwords: as ssh does for its keys and config, refuse
 * one that anybody but its owner may read or write, or that belongs to
 * another user (root aside, who can read everything anyway). Checked on the
 * open descriptor, so the file checked is the file read. */
static gboolean
check_private(int fd, const char *path, GError **error)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot read auth file %s: %s", path,
                    g_strerror(e));
        return FALSE;
    }
    if (!S_ISREG(st.st_mode)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "auth file %s is not a regular file", path);
        return FALSE;
    }
    if (st.st_uid != getuid() && st.st_uid != 0) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                    "auth file %s belongs to user id %u, not to you (%u): it is not used, as it holds passwords "
                    "someone else can change; take it over (chown) or use your own (HVD_AUTH_FILE)",
                    path, (unsigned)st.st_uid, (unsigned)getuid());
        return FALSE;
    }
    if ((st.st_mode & 0077) != 0) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                    "auth file %s has permissions %04o, which let others read or change its passwords: "
                    "it is not used; run 'chmod 600 %s'",
                    path, (unsigned)(st.st_mode & 07777), path);
        return FALSE;
    }
    return TRUE;
}

static gboolean
load_data(GKeyFile *kf, const char *path, const char *data, gsize len, GError **error)
{
    /* GKeyFile would end a value at a NUL byte without a word
     * ("password=ab\0cd" gives "ab") */
    const char *nul = len ? memchr(data, '\0', len) : NULL;
    if (nul != NULL) {
        g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE,
                    "auth file %s holds a NUL byte at offset %zu: not a text file (a value would be cut short there)",
                    path, (size_t)(nul - data));
        return FALSE;
    }
    g_autoptr(GError) gerr = NULL;
    if (!g_key_file_load_from_data(kf, data, len, G_KEY_FILE_NONE, &gerr)) {
        g_set_error(error, gerr->domain, gerr->code, "cannot read auth file %s: %s", path, gerr->message);
        return FALSE;
    }
    return TRUE;
}

/* Loads `path` after check_private(); at most 1 MiB (an auth file is a few
 * lines). */
static gboolean
load_private(GKeyFile *kf, const char *path, GError **error)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot read auth file %s: %s", path,
                    g_strerror(e));
        return FALSE;
    }
    gboolean ok = check_private(fd, path, error);
    g_autoptr(GString) text = g_string_new(NULL);
    char buf[4096];
    ssize_t n = 0;
    while (ok && (n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || text->len + (gsize)n > 1024 * 1024) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot read auth file %s: %s", path,
                        n < 0 ? g_strerror(errno) : "larger than 1 MiB");
            ok = FALSE;
            break;
        }
        g_string_append_len(text, buf, n);
    }
    close(fd);
    return ok && load_data(kf, path, text->str, text->len, error);
}

/* A value exactly as libvirt's reader (virAuthConfigLookup) returns it: it
 * calls g_key_file_get_string() and ignores the error, so \\ is one
 * backslash, \s a space, \n \t \r as in C, a backslash before any other
 * character stays as written (pass\word), and one at the end of the line
 * is dropped. The same password must reach the server from either reader. */
static char *
get_value(GKeyFile *kf, const char *group, const char *key)
{
    g_autoptr(GError) ignored = NULL;
    return g_key_file_get_string(kf, group, key, &ignored);
}

char *
authfile_path(void)
{
    const char *env = g_getenv("HVD_AUTH_FILE");
    if (env != NULL && *env != '\0')
        return g_strdup(env);
    env = g_getenv("LIBVIRT_AUTH_FILE");
    if (env != NULL && *env != '\0')
        return g_strdup(env);
    const char *cfg = g_getenv("XDG_CONFIG_HOME");
    g_autofree char *user = (cfg != NULL && g_path_is_absolute(cfg))
                                ? g_build_filename(cfg, "libvirt", "auth.conf", NULL)
                                : g_build_filename(g_get_home_dir(), ".config", "libvirt", "auth.conf", NULL);
    if (g_file_test(user, G_FILE_TEST_EXISTS))
        return g_steal_pointer(&user);
    if (g_file_test("/etc/libvirt/auth.conf", G_FILE_TEST_EXISTS))
        return g_strdup("/etc/libvirt/auth.conf");
    return NULL;
}

static char *
lookup_in_group(GKeyFile *kf, const char *path, const char *auth_group, const char *key, GError **error)
{
    if (!g_key_file_has_group(kf, auth_group))
        return NULL;
    g_autofree char *cred = g_key_file_get_string(kf, auth_group, "credentials", NULL);
    if (cred == NULL || *cred == '\0') {
        g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                    "auth file %s: group [%s] has no 'credentials' key naming a [credentials-NAME] group", path,
                    auth_group);
        return NULL;
    }
    g_autofree char *cred_group = g_strdup_printf("credentials-%s", cred);
    if (!g_key_file_has_group(kf, cred_group)) {
        g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                    "auth file %s: group [%s] refers to [%s], which does not exist", path, auth_group, cred_group);
        return NULL;
    }
    char *value = get_value(kf, cred_group, key);
    if (value == NULL && strcmp(key, "username") == 0)
        value = get_value(kf, cred_group, "authname");
    return value;
}

static char *lookup(GKeyFile *kf, const char *path, const char *service, const char *hostname, const char *key,
                    GError **error);

char *
authfile_lookup(const char *path, const char *service, const char *hostname, const char *key, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    if (!load_private(kf, path, error))
        return NULL;
    return lookup(kf, path, service, hostname, key, error);
}

char *
authfile_lookup_data(const char *name, const char *data, gsize len, const char *service, const char *hostname,
                     const char *key, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    if (!load_data(kf, name, data, len, error))
        return NULL;
    return lookup(kf, name, service, hostname, key, error);
}

static char *
lookup(GKeyFile *kf, const char *path, const char *service, const char *hostname, const char *key, GError **error)
{
    const char *services[] = { service, "esx", NULL };
    for (int pass = 0; pass < 2; pass++) {
        for (int s = 0; services[s] != NULL; s++) {
            if (s > 0 && strcmp(services[s], service) == 0)
                continue;
            g_autofree char *group = g_strdup_printf("auth-%s-%s", services[s], pass == 0 ? hostname : "default");
            GError *lerr = NULL;
            char *value = lookup_in_group(kf, path, group, key, &lerr);
            if (lerr != NULL) {
                g_propagate_error(error, lerr);
                return NULL;
            }
            if (value != NULL || g_key_file_has_group(kf, group))
                return value;
        }
    }
    return NULL;
}
