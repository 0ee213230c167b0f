/* hostentry.h — see hostentry.c. SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once
#include "hvd.h"
HVD_EXPORT int hostentry_marker(void);
