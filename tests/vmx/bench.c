#include "vmx/vmx.h"
int main(void) { return 0; }
