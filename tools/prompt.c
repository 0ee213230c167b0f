/* prompt.c — a password prompt that does not echo. */
#include "prompt.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

char *
ctl_prompt(const char *prompt, const char *def, gboolean echo)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (tty == NULL)
        return NULL;
    if (def != NULL && *def != '\0')
        fprintf(tty, "%s [%s]: ", prompt, def);
    else
        fprintf(tty, "%s: ", prompt);
    fflush(tty);

    struct termios old, quiet;
    gboolean restore = FALSE;
    if (!echo && tcgetattr(fileno(tty), &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ECHONL;
        restore = tcsetattr(fileno(tty), TCSAFLUSH, &quiet) == 0;
    }
    char buf[1024];
    char *line = fgets(buf, sizeof(buf), tty);
    if (restore)
        tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fclose(tty);
    if (line == NULL)
        return NULL;
    buf[strcspn(buf, "\r\n")] = '\0';
    char *result = (buf[0] == '\0' && def != NULL) ? g_strdup(def) : g_strdup(buf);
    memset(buf, 0, sizeof(buf));
    return result;
}
