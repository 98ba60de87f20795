// OpenSSL's libcrypto (Debian's libssl-dev): HMAC-SHA256 for pseudonyms, SHA-256 for
// the change log's chain, RAND_bytes for keys. The helpers keep OpenSSL's parameter
// arrays (which Swift imports awkwardly) on the C side.
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

// An HMAC-SHA256 context keyed with `key`, to be reused for many messages; NULL on failure.
static inline EVP_MAC_CTX *kolom_hmac_new(const unsigned char *key, size_t key_length) {
  EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  if (mac == NULL) return NULL;
  EVP_MAC_CTX *context = EVP_MAC_CTX_new(mac);
  EVP_MAC_free(mac);
  if (context == NULL) return NULL;
  OSSL_PARAM parameters[2] = {
    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0), OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(context, key, key_length, parameters) != 1) {
    EVP_MAC_CTX_free(context);
    return NULL;
  }
  return context;
}

// HMAC-SHA256 of `message` under the context's key into `out` (32 bytes); 1 on success.
static inline int kolom_hmac(EVP_MAC_CTX *context, const unsigned char *message, size_t length, unsigned char *out) {
  size_t written = 0;
  if (EVP_MAC_init(context, NULL, 0, NULL) != 1) return 0;
  if (EVP_MAC_update(context, message, length) != 1) return 0;
  return EVP_MAC_final(context, out, &written, 32) == 1 && written == 32;
}

// SHA-256 of `bytes` into `out` (32 bytes); 1 on success.
static inline int kolom_sha256(const unsigned char *bytes, size_t length, unsigned char *out) {
  unsigned int written = 0;
  return EVP_Digest(bytes, length, out, &written, EVP_sha256(), NULL) == 1 && written == 32;
}
