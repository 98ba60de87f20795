// OpenSSL's libcrypto (Debian's libssl-dev): HMAC-SHA256 for pseudonyms, SHA-256 for
// the change log's chain, RAND_bytes for keys.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

// HMAC-SHA256 with the key's inner and outer SHA-256 states computed once (RFC 2104):
// each message then costs two digests from copied states instead of a MAC set-up.
typedef struct {
  EVP_MD_CTX *inner;
  EVP_MD_CTX *outer;
  EVP_MD_CTX *work;
} kolom_hmac_state;

static inline void kolom_hmac_state_free(kolom_hmac_state *state) {
  if (state == NULL) return;
  EVP_MD_CTX_free(state->inner);
  EVP_MD_CTX_free(state->outer);
  EVP_MD_CTX_free(state->work);
  OPENSSL_free(state);
}

static inline kolom_hmac_state *kolom_hmac_state_new(const unsigned char *key, size_t key_length) {
  unsigned char block[64] = {0};
  unsigned char pad[64];
  unsigned int written = 0;
  if (key_length > 64) {
    if (EVP_Digest(key, key_length, block, &written, EVP_sha256(), NULL) != 1) return NULL;
  } else if (key_length > 0) {
    memcpy(block, key, key_length);
  }
  kolom_hmac_state *state = OPENSSL_zalloc(sizeof(kolom_hmac_state));
  if (state == NULL) return NULL;
  state->inner = EVP_MD_CTX_new();
  state->outer = EVP_MD_CTX_new();
  state->work = EVP_MD_CTX_new();
  int ok = state->inner && state->outer && state->work;
  for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
  ok = ok && EVP_DigestInit_ex(state->inner, EVP_sha256(), NULL) == 1 && EVP_DigestUpdate(state->inner, pad, 64) == 1;
  for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
  ok = ok && EVP_DigestInit_ex(state->outer, EVP_sha256(), NULL) == 1 && EVP_DigestUpdate(state->outer, pad, 64) == 1;
  OPENSSL_cleanse(block, sizeof block);
  OPENSSL_cleanse(pad, sizeof pad);
  if (!ok) {
    kolom_hmac_state_free(state);
    return NULL;
  }
  return state;
}

// A copy of `state` with contexts of its own (for another thread); NULL on failure.
static inline kolom_hmac_state *kolom_hmac_state_dup(const kolom_hmac_state *state) {
  kolom_hmac_state *copy = OPENSSL_zalloc(sizeof(kolom_hmac_state));
  if (copy == NULL) return NULL;
  copy->inner = EVP_MD_CTX_new();
  copy->outer = EVP_MD_CTX_new();
  copy->work = EVP_MD_CTX_new();
  if (!(copy->inner && copy->outer && copy->work && EVP_MD_CTX_copy_ex(copy->inner, state->inner) == 1 &&
        EVP_MD_CTX_copy_ex(copy->outer, state->outer) == 1)) {
    kolom_hmac_state_free(copy);
    return NULL;
  }
  return copy;
}

// HMAC-SHA256 of `message` into `out` (32 bytes); 1 on success.
static inline int kolom_hmac_state_mac(kolom_hmac_state *state, const unsigned char *message, size_t length,
                                       unsigned char *out) {
  unsigned char inner[32];
  unsigned int written = 0;
  int ok = EVP_MD_CTX_copy_ex(state->work, state->inner) == 1 && EVP_DigestUpdate(state->work, message, length) == 1 &&
           EVP_DigestFinal_ex(state->work, inner, &written) == 1 && written == 32 &&
           EVP_MD_CTX_copy_ex(state->work, state->outer) == 1 && EVP_DigestUpdate(state->work, inner, 32) == 1 &&
           EVP_DigestFinal_ex(state->work, out, &written) == 1 && written == 32;
  OPENSSL_cleanse(inner, sizeof inner);
  return ok;
}

// SHA-256 of `bytes` into `out` (32 bytes); 1 on success.
static inline int kolom_sha256(const unsigned char *bytes, size_t length, unsigned char *out) {
  unsigned int written = 0;
  return EVP_Digest(bytes, length, out, &written, EVP_sha256(), NULL) == 1 && written == 32;
}
