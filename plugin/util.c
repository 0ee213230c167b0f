/* util.c — errors, logging, flags and parameters for the ESX driver. */
#include "esx-private.h"
#include "esx-uri.h"
#include "vi/vi.h"
#include "vmx/vmx.h"

#include <stdarg.h>
#include <string.h>

gboolean
esx_host_usable(const hvd_host *host)
{
    return HVD_HAS_MEMBER(host, hvd_host, progress);
}

void
esx_log(const hvd_host *host, int32_t level, const char *component, const char *fmt, ...)
{
    if (host == NULL || host->log == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    host->log(host->user_data, level, component, msg);
}

static void
copy_utf8(char *dst, size_t cap, const char *src)
{
    g_strlcpy(dst, src ? src : "", cap);
    const char *end = NULL;
    if (!g_utf8_validate(dst, -1, &end))
        *(char *)end = '\0';
}

int32_t
esx_fail(hvd_error *err, int32_t code, const char *fault, const char *fmt, ...)
{
    if (err == NULL || !HVD_HAS_MEMBER(err, hvd_error, code))
        return code;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* struct_size is the caller's: never written, so one hvd_error serves
     * any number of calls (hvd.h). */
    err->code = code;
    /* messages and fault names often carry server text: a server must not
     * be able to forge lines (or reorder them) on the user's terminal */
    if (HVD_HAS_MEMBER(err, hvd_error, fault)) {
        g_autofree char *shown = fault != NULL ? esx_escape_text(fault) : NULL;
        copy_utf8(err->fault, sizeof(err->fault), shown);
    }
    if (HVD_HAS_MEMBER(err, hvd_error, message)) {
        g_autofree char *shown = esx_escape_text(msg);
        copy_utf8(err->message, sizeof(err->message), shown);
    }
    return code;
}

int32_t
esx_check_flags(const char *op, uint32_t flags, uint32_t known, hvd_error *err)
{
    if ((flags & ~known) == 0)
        return HVD_OK;
    return esx_fail(err, HVD_ERR_BAD_FLAGS, NULL, "%s: unsupported flags 0x%x (this driver knows 0x%x)", op,
                    flags & ~known, known);
}

const hvd_param *
esx_param_at(const hvd_param *params, uint32_t nparams, uint32_t i)
{
    if (params == NULL || i >= nparams)
        return NULL;
    uint32_t stride = params[0].struct_size;
    return HVD_LIST_AT(hvd_param, params, stride, i);
}

void
esx_copy_out(void *dst, const void *src, size_t src_size, const size_t *ends, size_t n_ends)
{
    uint32_t cap;
    memcpy(&cap, dst, sizeof(cap));
    size_t fit = sizeof(uint32_t);
    for (size_t i = 0; i < n_ends; i++) {
        if (ends[i] <= cap && ends[i] <= src_size)
            fit = ends[i];
    }
    memcpy((char *)dst + sizeof(uint32_t), (const char *)src + sizeof(uint32_t), fit - sizeof(uint32_t));
    uint32_t written = (uint32_t)(cap < src_size ? cap : src_size);
    memcpy(dst, &written, sizeof(written));
}

/* vSphere faults that mean "no such object" or "not in this state". */
static int32_t
status_for_fault(const char *fault)
{
    static const struct {
        const char *fault;
        int32_t code;
    } map[] = {
        { "InvalidLogin", HVD_ERR_AUTH_FAILED },
        { "NotAuthenticated", HVD_ERR_AUTH_FAILED },
        { "NoPermission", HVD_ERR_ACCESS_DENIED },
        { "InvalidState", HVD_ERR_OPERATION_INVALID },
        { "InvalidPowerState", HVD_ERR_OPERATION_INVALID },
        { "ToolsUnavailable", HVD_ERR_OPERATION_INVALID },
        { "TaskInProgress", HVD_ERR_OPERATION_INVALID },
        { "ResourceInUse", HVD_ERR_OPERATION_INVALID },
        { "DuplicateName", HVD_ERR_EXISTS },
        { "AlreadyExists", HVD_ERR_EXISTS },
        { "FileAlreadyExists", HVD_ERR_EXISTS },
        { "RequestCanceled", HVD_ERR_CANCELLED },
        { "InvalidArgument", HVD_ERR_INVALID_ARG },
        { "NotSupported", HVD_ERR_NO_SUPPORT },
        { "NotImplemented", HVD_ERR_NO_SUPPORT },
    };
    for (gsize i = 0; fault != NULL && i < G_N_ELEMENTS(map); i++) {
        if (strcmp(map[i].fault, fault) == 0)
            return map[i].code;
    }
    return HVD_ERR_SERVER;
}

int32_t
esx_fail_gerror(hvd_error *err, const GError *error)
{
    if (error == NULL)
        return esx_fail(err, HVD_ERR_INTERNAL, NULL, "internal error: failure without an error message");
    int32_t code = HVD_ERR_INTERNAL;
    const char *fault = NULL;
    if (error->domain == VI_ERROR) {
        fault = vi_error_fault_name(error);
        switch ((vi_error_code)error->code) {
        case VI_ERROR_INVALID_ARG: code = HVD_ERR_INVALID_ARG; break;
        case VI_ERROR_CONNECT:
        case VI_ERROR_PROXY: code = HVD_ERR_CONNECT; break;
        case VI_ERROR_TLS: code = HVD_ERR_TLS; break;
        case VI_ERROR_TIMEOUT: code = HVD_ERR_TIMEOUT; break;
        case VI_ERROR_LOGIN:
        case VI_ERROR_NOT_AUTHENTICATED:
            /* NoPermission: the server knows the user, who lacks a privilege
             * (even the one to log in): asking for the password again cannot
             * help, so it is not an authentication failure */
            code = g_strcmp0(fault, "NoPermission") == 0 ? HVD_ERR_ACCESS_DENIED : HVD_ERR_AUTH_FAILED;
            break;
        case VI_ERROR_FAULT: code = status_for_fault(fault); break;
        case VI_ERROR_TASK: code = HVD_ERR_OPERATION_FAILED; break;
        case VI_ERROR_CANCELLED: code = HVD_ERR_CANCELLED; break;
        case VI_ERROR_QUESTION: code = HVD_ERR_QUESTION; break;
        case VI_ERROR_NOT_FOUND: code = HVD_ERR_SERVER; break;
        default: code = HVD_ERR_SERVER; break;
        }
    } else if (error->domain == ESX_URI_ERROR) {
        code = HVD_ERR_URI;
    } else if (error->domain == VMX_ERROR) {
        switch ((vmx_error_code)error->code) {
        case VMX_ERROR_UNSUPPORTED: code = HVD_ERR_CONFIG_UNSUPPORTED; break;
        default: code = HVD_ERR_XML; break;
        }
    }
    return esx_fail(err, code, fault, "%s", error->message);
}
