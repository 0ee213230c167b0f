/* Process-wide state of the libraries vi/ uses: libcurl's and libxml2's
 * global initialisation.
 *
 * One owner (ABI rule 3): the driver's refcounted init()/shutdown() call
 * vi_global_init() on the first reference and vi_global_shutdown() after the
 * last one. vi/ never initialises anything behind its user's back (no g_once,
 * no atexit, no library constructor), so after the last shutdown no libcurl
 * state is left in the process. */
#include <pthread.h>

#include <libxml/parser.h>

#include "vi/vi-private.h"

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static gint initialised; /* read with g_atomic_int_get(), written under init_lock */

gboolean
vi_global_init(GError **error)
{
    gboolean ok = FALSE;
    pthread_mutex_lock(&init_lock);
    if (initialised) {
        g_set_error(error, VI_ERROR, VI_ERROR_INVALID_ARG,
                    "vi_global_init: vi/ is already initialised; its one owner calls it once and "
                    "pairs it with vi_global_shutdown()");
        goto out;
    }
    CURLcode cc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (cc != CURLE_OK) {
        g_set_error(error, VI_ERROR, VI_ERROR_FAILED, "Cannot initialise libcurl: %s", curl_easy_strerror(cc));
        goto out;
    }
    /* libxml2 initialises its globals lazily, which races when the first
     * parses happen in several threads at once: do it here, up front. */
    xmlInitParser();
    g_atomic_int_set(&initialised, 1);
    ok = TRUE;
out:
    pthread_mutex_unlock(&init_lock);
    return ok;
}

void
vi_global_shutdown(void)
{
    pthread_mutex_lock(&init_lock);
    if (initialised) {
        curl_global_cleanup();
        /* xmlCleanupParser() is deliberately not called: it frees libxml2's
         * global state for the whole process, and other users of libxml2 in the
         * host process (the host itself, other plugins) may still need it;
         * libxml2's own documentation warns against calling it from a library. */
        g_atomic_int_set(&initialised, 0);
    }
    pthread_mutex_unlock(&init_lock);
}

gboolean
vi_global_is_initialised(void)
{
    return g_atomic_int_get(&initialised) != 0;
}
