/* test-layout.c — the layout golden list is checked at compile time by the
 * generated layout-check*.c (_Static_asserts); this adds what needs a
 * program: the entry's prototype and name.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifdef LAYOUT_FROZEN
#include "hvd-1.0.h"
#else
#include "hvd.h"
#endif

#include <stdio.h>
#include <string.h>

/* The exported function has exactly the type hosts cast dlsym()'s result to. */
_Static_assert(__builtin_types_compatible_p(__typeof__(&hvd_driver_entry_v1), hvd_driver_entry_fn),
               "hvd_driver_entry_v1 no longer matches hvd_driver_entry_fn");
_Static_assert(HVD_ABI_MAJOR == 1, "HVD_ABI_MAJOR changed: a new major is a new entry symbol and a new golden list");

int
main(void)
{
    if (strcmp(HVD_ENTRY_SYMBOL, "hvd_driver_entry_v1") != 0) {
        printf("FAIL: HVD_ENTRY_SYMBOL is \"%s\"\n", HVD_ENTRY_SYMBOL);
        return 1;
    }
    printf("PASS: layout matches the golden list (checked at compile time), entry %s\n", HVD_ENTRY_SYMBOL);
    return 0;
}
