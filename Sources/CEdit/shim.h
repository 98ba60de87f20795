// Debian's libedit (the native histedit API, not the readline emulation).
#include <histedit.h>
