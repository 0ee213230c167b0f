/* authfile.h — credentials from libvirt's auth.conf format, for hvdctl. */
#ifndef HVDCTL_AUTHFILE_H
#define HVDCTL_AUTHFILE_H

#include <glib.h>

G_BEGIN_DECLS

/* The auth file to use: $HVD_AUTH_FILE, else $LIBVIRT_AUTH_FILE, else
 * $XDG_CONFIG_HOME/libvirt/auth.conf (default ~/.config/libvirt/auth.conf)
 * if it exists, else /etc/libvirt/auth.conf if it exists, else NULL.
 * Newly allocated. */
char *authfile_path(void);

/* Looks up credential `key` ("username" or "password"; "username" also
 * accepts libvirt's "authname") for `service` (the URI scheme, e.g. "esx")
 * and `hostname` in `path`: group [auth-SERVICE-HOSTNAME], then
 * [auth-SERVICE-default], whose `credentials=NAME` selects the group
 * [credentials-NAME]. For service "gsx"/"vpx" the "esx" groups are tried too.
 * Returns the value (newly allocated), or NULL with no error when the file
 * has no such entry, or NULL with `error` set when the file is unreadable,
 * malformed (the message names the file and the line), readable or writable
 * by others, or another user's (G_FILE_ERROR_PERM; the message names the
 * fix, e.g. chmod 600). Values are unescaped as libvirt's reader does. */
char *authfile_lookup(const char *path, const char *service, const char *hostname, const char *key, GError **error);

/* authfile_lookup() on the text DATA (LEN bytes) instead of a file, named
 * NAME in messages; no permission check (for tests and fuzzing). */
char *authfile_lookup_data(const char *name, const char *data, gsize len, const char *service, const char *hostname,
                           const char *key, GError **error);

G_END_DECLS

#endif
