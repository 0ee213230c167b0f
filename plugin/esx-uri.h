/* esx-uri.h — parsing of esx://, gsx:// and vpx:// connection URIs. */
#ifndef ESX_URI_H
#define ESX_URI_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
    ESX_PRODUCT_ESX = 0, /* esx:// — an ESX(i) host */
    ESX_PRODUCT_GSX,     /* gsx:// — VMware Server / GSX */
    ESX_PRODUCT_VPX,     /* vpx:// — vCenter, path selects one host */
} esx_product;

/* A parsed connection URI. Every string is owned by the struct. */
typedef struct {
    esx_product product;
    char *scheme;         /* "esx", "gsx" or "vpx" */
    char *user;           /* from the URI's userinfo, or NULL */
    char *host;           /* host name or IP literal without brackets */
    int port;             /* explicit or the product/transport default */
    gboolean https;       /* transport=https (default) or http */
    char *path;           /* vpx: "[folder/...]dc/[folder/...][cluster/]host", decoded; else NULL */
    char *vcenter;        /* vcenter=HOST or "*", or NULL */
    gboolean no_verify;   /* no_verify=1 */
    gboolean auto_answer; /* auto_answer=1 */
    char *proxy;          /* proxy=[type://]host[:port] as given, or NULL */
    char *ca_file;        /* ca_file=PATH: extra trusted CA bundle, or NULL */
    /* connect_timeout=, stall_timeout=, request_timeout= in seconds (1 to
     * 86400), 0 when not given: vi/'s defaults (30, 60 and 300 s) */
    guint connect_timeout_s;
    guint stall_timeout_s;
    guint request_timeout_s;
} esx_uri;

#define ESX_URI_ERROR (esx_uri_error_quark())
GQuark esx_uri_error_quark(void);

/* Parses `text`. Returns a new esx_uri (free with esx_uri_free) or NULL with
 * `error` set (domain ESX_URI_ERROR, code 0) and a message naming the part
 * of the URI that is wrong and what is expected. A URI with a password is
 * refused; messages quote the URI only through esx_uri_redact(), and not at
 * all when nothing before its "://" is a scheme. */
esx_uri *esx_uri_parse(const char *text, GError **error);
void esx_uri_free(esx_uri *uri);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(esx_uri, esx_uri_free)

/* The SOAP endpoint, e.g. "https://[::1]:443/sdk". Newly allocated. */
char *esx_uri_sdk_url(const esx_uri *uri);
/* The SOAP endpoint of another host reached with the same settings. */
char *esx_uri_sdk_url_for(const esx_uri *uri, const char *host);
/* A canonical, password-free rendering of the URI. Newly allocated. */
char *esx_uri_format(const esx_uri *uri);

/* `text` made safe to quote in a message: the password of every URI in it
 * ("scheme://user:pass@host" -> "scheme://user@host"; also %-encoded ones in
 * query values, "name=user:pass@host" values, and passwords that hold '@',
 * ':', '/', '?', '#' or spaces) is dropped, a ':' followed by something that
 * is neither a port number nor followed by an '@' is dropped to the end of
 * its authority (it may be a password typed without "@host"), and control
 * characters, Unicode format characters and bytes that are not UTF-8 are
 * escaped (\n, \xNN, \uNNNN). Works on any text, well formed or not.
 * Newly allocated; NULL gives "". */
char *esx_uri_redact(const char *text);

/* `text` (NULL: "") with control characters, Unicode format characters (such
 * as bidirectional overrides) and bytes that are not UTF-8 escaped (\n,
 * \xNN, \uNNNN), as esx_uri_redact() does, without dropping anything: for
 * text a server sent. Newly allocated. */
char *esx_escape_text(const char *text);

G_END_DECLS

#endif
