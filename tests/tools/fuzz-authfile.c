/* fuzz-authfile.c — libFuzzer target for hvdctl's auth.conf reader
 * (tools/authfile.c), built with -Dfuzzing=true: every lookup the tool makes
 * (user name and password, per scheme, for a named host and the default)
 * on any text, and the values must be valid C strings. */
#include "authfile.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const services[] = { "esx", "gsx", "vpx" };
    static const char *const hosts[] = { "esx1.example.com", "default", "" };
    static const char *const keys[] = { "username", "password" };
    for (size_t s = 0; s < G_N_ELEMENTS(services); s++)
        for (size_t h = 0; h < G_N_ELEMENTS(hosts); h++)
            for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
                GError *error = NULL;
                char *v =
                    authfile_lookup_data("fuzz.conf", (const char *)data, size, services[s], hosts[h], keys[k], &error);
                if (v != NULL && error != NULL)
                    __builtin_trap();
                if (v == NULL && error != NULL && (error->message == NULL || *error->message == '\0'))
                    __builtin_trap();
                g_free(v);
                g_clear_error(&error);
            }
    return 0;
}
