/* input.h — hvdctl's reading of input files and standard input. */
#ifndef HVDCTL_INPUT_H
#define HVDCTL_INPUT_H

#include <glib.h>

G_BEGIN_DECLS

/* The most hvdctl reads from one input file or standard input: 10 MiB, as
 * virsh (VSH_MAX_XML_FILE). Domain XML and VMX files are a few KiB. */
#define INPUT_MAX_BYTES (10 * 1024 * 1024)

/* Reads all of `fd` (named `name` in messages) as text, at most `max` bytes.
 * Returns the NUL-terminated text (newly allocated), or NULL with `error`
 * set when reading fails, the input is larger than `max` (the message names
 * the limit) or holds a NUL byte (which would cut it short; the message
 * gives its offset). Does not close `fd`. */
char *input_read_fd(int fd, const char *name, gsize max, GError **error);

/* input_read_fd() on the file `path`, or on standard input for "-". */
char *input_read(const char *path, gsize max, GError **error);

/* A scaled integer as virsh reads one (virStrToLong_ullp, then libvirt's
 * virScaleInteger): decimal digits, then an optional unit, case-insensitive:
 * "b"/"byte"/"bytes" 1; "k", "KiB", "m", "MiB", "g", "GiB", "t", "TiB", "p",
 * "PiB", "e", "EiB" powers of 1024; "KB", "MB", "GB", "TB", "PB", "EB"
 * powers of 1000; no unit means `scale` (1 for bytes, 1024 for KiB). The
 * result, in bytes, must not exceed `limit`. FALSE with `error` naming the
 * input and the cause (not a number, unknown unit, too large). vmx/units.c
 * holds the same rule for the driver; tools/ reaches the driver only
 * through the ABI, so it keeps its own copy here, the only one in tools/. */
gboolean input_parse_scaled(const char *s, guint64 scale, guint64 limit, guint64 *out, GError **error);

G_END_DECLS

#endif
