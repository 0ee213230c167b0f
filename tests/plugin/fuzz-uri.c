/* fuzz-uri.c — libFuzzer target for the driver's URI parser (plugin/uri.c),
 * built with -Dfuzzing=true: parse any text; what parses must format, give
 * its SDK URL and parse again from its formatted form; redaction and
 * escaping take any text. */
#include "esx-uri.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = g_strndup((const char *)data, size);
    GError *error = NULL;
    esx_uri *uri = esx_uri_parse(text, &error);
    if (uri == NULL && (error == NULL || error->message == NULL || *error->message == '\0'))
        __builtin_trap();
    g_clear_error(&error);
    if (uri != NULL) {
        char *formatted = esx_uri_format(uri);
        char *sdk = esx_uri_sdk_url(uri);
        if (formatted == NULL || sdk == NULL)
            __builtin_trap();
        esx_uri *again = esx_uri_parse(formatted, &error);
        g_clear_error(&error);
        esx_uri_free(again);
        g_free(formatted);
        g_free(sdk);
        esx_uri_free(uri);
    }
    g_free(esx_uri_redact(text));
    g_free(esx_escape_text(text));
    g_free(text);
    return 0;
}
