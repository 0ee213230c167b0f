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

#include <string.h>

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
    char *value = g_key_file_get_string(kf, cred_group, key, NULL);
    if (value == NULL && strcmp(key, "username") == 0)
        value = g_key_file_get_string(kf, cred_group, "authname", NULL);
    return value;
}

char *
authfile_lookup(const char *path, const char *service, const char *hostname, const char *key, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) gerr = NULL;
    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &gerr)) {
        g_set_error(error, gerr->domain, gerr->code, "cannot read auth file %s: %s", path, gerr->message);
        return NULL;
    }
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
