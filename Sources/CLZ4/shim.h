// liblz4's block API (LZ4_compress_default, LZ4_decompress_safe) for KolomFormat.
#include <lz4.h>
#include <lz4hc.h>
