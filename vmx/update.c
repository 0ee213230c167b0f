#include "vmx/internal.h"
