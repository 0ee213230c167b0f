/* vi/ errors: one GError domain (VI_ERROR) with the codes below.
 *
 * VI_ERROR is an extended GError domain: besides the message, an error may
 * carry the vSphere fault type (e.g. "InvalidLogin", "ManagedObjectNotFound"),
 * the method that failed and the fault's detail element, retrievable with the
 * accessors below. They survive g_error_copy(). */
#pragma once

#include <glib.h>

#include "vi/vi-value.h"

G_BEGIN_DECLS

#define VI_ERROR (vi_error_quark())
GQuark vi_error_quark(void);

typedef enum {
    VI_ERROR_FAILED,            /* anything not covered below */
    VI_ERROR_INVALID_ARG,       /* bad option, URL, proxy or argument value */
    VI_ERROR_CONNECT,           /* host unreachable / connection refused / DNS */
    VI_ERROR_TLS,               /* certificate verification or TLS handshake failed */
    VI_ERROR_PROXY,             /* the proxy refused or failed */
    VI_ERROR_TIMEOUT,           /* connect or request timeout */
    VI_ERROR_HTTP,              /* HTTP status other than 200 without a SOAP fault */
    VI_ERROR_TOO_LARGE,         /* response exceeded max_response_bytes */
    VI_ERROR_PARSE,             /* response is not the SOAP we expect */
    VI_ERROR_FAULT,             /* the server answered with a SOAP fault (see vi_error_fault_name) */
    VI_ERROR_LOGIN,             /* Login refused (InvalidLogin, NoPermission at login...) */
    VI_ERROR_NOT_AUTHENTICATED, /* session lost and re-login failed or impossible */
    VI_ERROR_TASK,              /* a task ended in state "error" (fault name available) */
    VI_ERROR_CANCELLED,         /* cancelled by the caller */
    VI_ERROR_QUESTION,          /* a VM question blocks a task and auto_answer is off */
    VI_ERROR_NOT_FOUND,         /* an object or property the caller asked for is absent */
    VI_ERROR_NOT_INITIALISED,   /* vi_global_init() was not called (or vi_global_shutdown() was) */
} vi_error_code;

/* The vSphere fault type name of ERROR ("InvalidLogin", "NotAuthenticated",
 * "ManagedObjectNotFound", ...), or NULL when ERROR is not a VI_ERROR or
 * carries no fault. Borrowed: valid while ERROR lives. */
const char *vi_error_fault_name(const GError *error);

/* The VI method during which ERROR happened ("Login", "PowerOnVM_Task"), or
 * NULL. Borrowed. */
const char *vi_error_method(const GError *error);

/* The raw fault message sent by the server (without our prefix), or NULL.
 * Unlike the error's message, where control characters, bidirectional
 * overrides and other format characters of server text are escaped (\xNN,
 * \uNNNN), it is as the server sent it: escape it before showing it. The
 * same holds for vi_error_fault_name(). */
const char *vi_error_fault_message(const GError *error);

/* The fault object itself (e.g. the ManagedObjectNotFound element with its
 * `obj`, or an InvalidState's fields), or NULL. Borrowed: valid while ERROR
 * lives; read it with the vi_value accessors. */
const vi_value *vi_error_fault_detail(const GError *error);

/* Whether ERROR is a VI_ERROR whose fault type is NAME. */
gboolean vi_error_is_fault(const GError *error, const char *name);

G_END_DECLS
