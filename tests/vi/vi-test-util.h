/* Helpers shared by the vi/ unit tests. */
#pragma once

#include <glib.h>

/* Contents of tests/data/vi/NAME (asserts it exists). */
static inline char *vi_test_read(const char *name, gsize *len)
{
  g_autofree char *path = g_build_filename(VI_TEST_DATA, name, NULL);
  char *buf = NULL;
  GError *error = NULL;
  g_file_get_contents(path, &buf, len, &error);
  g_assert_no_error(error);
  return buf;
}
