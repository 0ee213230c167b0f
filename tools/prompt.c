/* prompt.c — prompts on the controlling terminal; the password prompt does
 * not echo.
 *
 * Order matters for a password: echo goes off (TCSANOW: nothing typed is
 * discarded, unlike TCSAFLUSH) before the prompt is written, so whatever is
 * typed once the prompt shows is never echoed, and what was typed ahead is
 * read, not flushed. While echo is off, SIGINT, SIGTERM, SIGQUIT and SIGHUP
 * first put the terminal back, then take their previous action. */
#include "prompt.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static const int restore_on[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP };

/* The terminal whose settings a signal handler puts back, and the handlers
 * it replaced: one prompt at a time (hvdctl asks from one thread). */
static int quiet_fd = -1;
static struct termios quiet_saved;
static struct sigaction quiet_old[G_N_ELEMENTS(restore_on)];
static gboolean quiet_installed[G_N_ELEMENTS(restore_on)];

static void
restore_and_reraise(int sig)
{
    int saved_errno = errno;
    tcsetattr(quiet_fd, TCSANOW, &quiet_saved);
    for (gsize i = 0; i < G_N_ELEMENTS(restore_on); i++) {
        if (restore_on[i] == sig && quiet_installed[i]) {
            sigaction(sig, &quiet_old[i], NULL);
            quiet_installed[i] = FALSE;
        }
    }
    /* delivered when this handler returns, to the previous handler */
    raise(sig);
    errno = saved_errno;
}

/* Turns echo off on `fd` (keeping the newline echo), with handlers that turn
 * it back on installed first. FALSE with errno set if the terminal refuses. */
static gboolean
echo_off(int fd)
{
    if (tcgetattr(fd, &quiet_saved) != 0)
        return FALSE;
    quiet_fd = fd;
    struct sigaction sa = { .sa_handler = restore_and_reraise };
    sigemptyset(&sa.sa_mask);
    for (gsize i = 0; i < G_N_ELEMENTS(restore_on); i++)
        sigaddset(&sa.sa_mask, restore_on[i]);
    for (gsize i = 0; i < G_N_ELEMENTS(restore_on); i++) {
        /* a signal the process ignores stays ignored */
        quiet_installed[i] = sigaction(restore_on[i], NULL, &quiet_old[i]) == 0 && quiet_old[i].sa_handler != SIG_IGN &&
                             sigaction(restore_on[i], &sa, NULL) == 0;
    }
    struct termios quiet = quiet_saved;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    if (tcsetattr(fd, TCSANOW, &quiet) != 0)
        return FALSE;
    /* tcsetattr succeeds if any change took: check that echo is off */
    struct termios now;
    if (tcgetattr(fd, &now) != 0)
        return FALSE;
    if ((now.c_lflag & ECHO) != 0) {
        errno = ENOTSUP;
        return FALSE;
    }
    return TRUE;
}

/* Puts the terminal and the signal handlers back as echo_off found them. */
static void
echo_restore(void)
{
    int saved_errno = errno;
    if (quiet_fd >= 0)
        tcsetattr(quiet_fd, TCSANOW, &quiet_saved);
    for (gsize i = 0; i < G_N_ELEMENTS(restore_on); i++) {
        if (quiet_installed[i])
            sigaction(restore_on[i], &quiet_old[i], NULL);
        quiet_installed[i] = FALSE;
    }
    quiet_fd = -1;
    errno = saved_errno;
}

/* Reads one line (canonical mode: the terminal hands it over whole) into
 * `buf` without its newline. FALSE on end of input, an error or a signal. */
static gboolean
read_line(int fd, char *buf, gsize size)
{
    gsize len = 0;
    while (len + 1 < size) {
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n <= 0)
            return FALSE;
        char *nl = memchr(buf + len, '\n', (gsize)n);
        len += (gsize)n;
        if (nl != NULL) {
            *nl = '\0';
            return TRUE;
        }
    }
    buf[len] = '\0';
    return TRUE;
}

char *
ctl_prompt(const char *prompt, const char *def, gboolean echo, GError **error)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot open the terminal (/dev/tty) to ask: %s", g_strerror(errno));
        return NULL;
    }
    if (!echo && !echo_off(fd)) {
        int e = errno;
        echo_restore();
        close(fd);
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
                    "cannot turn off echo on the terminal (%s), so hvdctl does not ask for the password there; "
                    "put it in the auth file instead",
                    g_strerror(e));
        return NULL;
    }
    g_autofree char *text =
        (def != NULL && *def != '\0') ? g_strdup_printf("%s [%s]: ", prompt, def) : g_strdup_printf("%s: ", prompt);
    gboolean ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    char buf[1024];
    ok = ok && read_line(fd, buf, sizeof(buf));
    if (!echo)
        echo_restore();
    close(fd);
    if (!ok)
        return NULL;
    buf[strcspn(buf, "\r")] = '\0';
    char *result = (buf[0] == '\0' && def != NULL) ? g_strdup(def) : g_strdup(buf);
    explicit_bzero(buf, sizeof(buf));
    return result;
}
