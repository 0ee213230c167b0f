/* test-layout.c — the layout golden list is checked at compile time by the
 * generated layout-check*.c (_Static_asserts); this adds what needs a
 * program: the string macros' text, the entry's prototype, and what the
 * function-like public macros do (their text is compared with the golden
 * list by gen-layout.py; here their behaviour).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifdef LAYOUT_FROZEN
#include "hvd-1.0.h"
#define LAYOUT_ONLY_HVD 1 /* no loader checks */
#else
#include "hvd.h"
#endif

#include <stdio.h>
#include <string.h>

/* The exported function has exactly the type hosts cast dlsym()'s result to. */
_Static_assert(__builtin_types_compatible_p(__typeof__(&hvd_driver_entry_v1), hvd_driver_entry_fn),
               "hvd_driver_entry_v1 no longer matches hvd_driver_entry_fn");
_Static_assert(HVD_ABI_MAJOR == 1, "HVD_ABI_MAJOR changed: a new major is a new entry symbol and a new golden list");

/* generated: the first string macro that differs from the golden list */
const char *layout_strings_hvd(void);
#ifndef LAYOUT_ONLY_HVD
const char *layout_strings_loader(void);
#endif

static int failures;

static void
check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
    failures += !ok;
}

static void
check_macros(void)
{
    /* HVD_HAS_MEMBER: the member must fit entirely; NULL holds nothing. */
    hvd_error e = HVD_ERROR_INIT;
    check(e.struct_size == sizeof(hvd_error) && e.code == 0 && e.fault[0] == '\0' && e.message[0] == '\0',
          "HVD_ERROR_INIT: struct_size = sizeof(hvd_error), code 0, empty fault and message");
    check(HVD_HAS_MEMBER(&e, hvd_error, message), "HVD_HAS_MEMBER: a full hvd_error holds message");
    e.struct_size = offsetof(hvd_error, message) + sizeof(e.message) - 1;
    check(!HVD_HAS_MEMBER(&e, hvd_error, message) && HVD_HAS_MEMBER(&e, hvd_error, fault),
          "HVD_HAS_MEMBER: one byte short of message holds fault but not message");
    const hvd_error *none = NULL;
    check(!HVD_HAS_MEMBER(none, hvd_error, code), "HVD_HAS_MEMBER(NULL) is false");

    /* HVD_LIST_AT: strided by the list's entry size, not sizeof(T). */
    struct {
        hvd_iface_info info;
        char newer_members[24];
    } entries[3];
    memset(entries, 0, sizeof(entries));
    for (int i = 0; i < 3; i++)
        entries[i].info.active = (uint32_t)i + 7;
    const hvd_iface_info *at2 = HVD_LIST_AT(hvd_iface_info, entries, sizeof(entries[0]), 2);
    check(at2 == &entries[2].info && at2->active == 9, "HVD_LIST_AT: element i at base + i * stride");

    const char *bad = layout_strings_hvd();
    check(bad == NULL, bad ? bad : "string macros of hvd.h (parameter names, entry symbol) as in the golden list");
#ifndef LAYOUT_ONLY_HVD
    bad = layout_strings_loader();
    check(bad == NULL, bad ? bad : "string macros of hvd-loader.h as in the golden list");
#endif
    check(strcmp(HVD_ENTRY_SYMBOL, "hvd_driver_entry_v1") == 0, "HVD_ENTRY_SYMBOL names the entry");
}

int
main(void)
{
    check_macros();
    printf("%s: layout matches the golden list (checked at compile time for this target), entry %s\n",
           failures ? "FAIL" : "PASS", HVD_ENTRY_SYMBOL);
    return failures ? 1 : 0;
}
