/* prompt.h — interactive prompts on the controlling terminal. */
#ifndef HVDCTL_PROMPT_H
#define HVDCTL_PROMPT_H

#include <glib.h>

G_BEGIN_DECLS

/* Asks `prompt` on /dev/tty (echo off unless `echo`), shows `def` as the
 * default when non-NULL. Returns the line without its newline (newly
 * allocated; the default if the answer is empty), or NULL on EOF/no tty. */
char *ctl_prompt(const char *prompt, const char *def, gboolean echo);

G_END_DECLS

#endif
