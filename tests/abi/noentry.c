/* noentry.c — a shared object that is not an HVD driver at all.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
__attribute__((visibility("default"))) int noentry_marker(void);

__attribute__((visibility("default"))) int
noentry_marker(void)
{
    return 0;
}
