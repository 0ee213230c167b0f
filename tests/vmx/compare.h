/*
 * compare.h: semantic comparison of domain XML and of VMX files, for tests.
 */
#pragma once

#include <glib.h>

/* Same elements (name and namespace), attributes (as a set) and text;
 * whitespace-only text between elements ignored. FALSE with *diff saying
 * where the first difference is. */
gboolean test_xml_equal(const char *actual, const char *expected, char **diff);
/* Same key/value pairs; keys case-insensitive, order ignored. */
gboolean test_vmx_equal(const char *actual, const char *expected, char **diff);
/* The whole file, or abort the test. */
char *test_read_file(const char *path, gsize *len);
