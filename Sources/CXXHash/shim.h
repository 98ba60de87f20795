// xxHash compiled header-only: XXH3_64bits is inlined into KolomFormat, so no
// libxxhash.so is needed at run time (and it is about 30% faster).
#define XXH_INLINE_ALL
#include <xxhash.h>

// XXH_INLINE_ALL renames the API through macros Swift cannot see; this name it can.
static inline unsigned long long kolom_xxh3_64(const void *bytes, size_t length) {
  return XXH3_64bits(bytes, length);
}
