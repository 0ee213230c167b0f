/* prompt.h — interactive prompts on the controlling terminal. */
#ifndef HVDCTL_PROMPT_H
#define HVDCTL_PROMPT_H

#include <glib.h>

G_BEGIN_DECLS

/* Asks `prompt` on /dev/tty, shows `def` as the default when non-NULL.
 * Without `echo`, echo is off before the prompt shows (input typed ahead is
 * kept), and back on when it returns or when SIGINT, SIGTERM, SIGQUIT or
 * SIGHUP arrives (which then take their previous action); if echo cannot be
 * turned off, nothing is asked. Returns the line without its newline (newly
 * allocated; the default if the answer is empty); NULL with `error` set when
 * there is no terminal or echo stays on; NULL without it on end of input. */
char *ctl_prompt(const char *prompt, const char *def, gboolean echo, GError **error);

G_END_DECLS

#endif
