// OpenSSL's libcrypto (Debian's libssl-dev): HMAC-SHA256 for pseudonyms, SHA-256 for
// the change log's chain, RAND_bytes for keys.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

// HMAC-SHA256 with the key's inner and outer SHA-256 states computed once (RFC 2104):
// each message then costs two SHA-256 finishes from states copied by value. The
// low-level SHA256_* functions are deprecated in OpenSSL 3 in favour of EVP, whose
// per-call set-up costs more than the two compressions of a short client number.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <openssl/sha.h>

typedef struct {
  SHA256_CTX inner;
  SHA256_CTX outer;
} kolom_hmac_state;

static inline void kolom_hmac_state_free(kolom_hmac_state *state) {
  if (state == NULL) return;
  OPENSSL_cleanse(state, sizeof *state);
  OPENSSL_free(state);
}

static inline kolom_hmac_state *kolom_hmac_state_new(const unsigned char *key, size_t key_length) {
  unsigned char block[64] = {0};
  unsigned char pad[64];
  if (key_length > 64) {
    if (SHA256(key, key_length, block) == NULL) return NULL;
  } else if (key_length > 0) {
    memcpy(block, key, key_length);
  }
  kolom_hmac_state *state = OPENSSL_zalloc(sizeof(kolom_hmac_state));
  if (state == NULL) return NULL;
  for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
  int ok = SHA256_Init(&state->inner) == 1 && SHA256_Update(&state->inner, pad, 64) == 1;
  for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
  ok = ok && SHA256_Init(&state->outer) == 1 && SHA256_Update(&state->outer, pad, 64) == 1;
  OPENSSL_cleanse(block, sizeof block);
  OPENSSL_cleanse(pad, sizeof pad);
  if (!ok) {
    kolom_hmac_state_free(state);
    return NULL;
  }
  return state;
}

// A copy of `state` (for another thread); NULL on failure.
static inline kolom_hmac_state *kolom_hmac_state_dup(const kolom_hmac_state *state) {
  kolom_hmac_state *copy = OPENSSL_malloc(sizeof(kolom_hmac_state));
  if (copy != NULL) *copy = *state;
  return copy;
}

// HMAC-SHA256 of `message` into `out` (32 bytes); 1 on success. Thread-safe for one
// state per thread (the state is only read).
static inline int kolom_hmac_state_mac(const kolom_hmac_state *state, const unsigned char *message, size_t length,
                                       unsigned char *out) {
  unsigned char inner[32];
  SHA256_CTX work = state->inner;
  int ok = SHA256_Update(&work, message, length) == 1 && SHA256_Final(inner, &work) == 1;
  work = state->outer;
  ok = ok && SHA256_Update(&work, inner, 32) == 1 && SHA256_Final(out, &work) == 1;
  OPENSSL_cleanse(inner, sizeof inner);
  OPENSSL_cleanse(&work, sizeof work);
  return ok;
}
#pragma GCC diagnostic pop

// SHA-256 of `bytes` into `out` (32 bytes); 1 on success.
static inline int kolom_sha256(const unsigned char *bytes, size_t length, unsigned char *out) {
  unsigned int written = 0;
  return EVP_Digest(bytes, length, out, &written, EVP_sha256(), NULL) == 1 && written == 32;
}
