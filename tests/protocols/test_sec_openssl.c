/* SPDX-License-Identifier: BSD-2-Clause */
/* Cross-check of 128-EEA2, 128-EIA2 and the KDF against OpenSSL libcrypto on seeded random inputs. */
#include "test.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include "l2/sec.h"

#define ROUNDS	  4000
#define MAX_BYTES 1600

/* splitmix64: a fixed seed gives the same inputs on every run. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void rng_fill(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)rng();
}

/* Mostly short lengths (PDCP SDUs), some long, a quarter not a multiple of 8 bits. */
static uint32_t rng_bits(void)
{
	uint32_t bits = (uint32_t)(rng() % 4 == 0 ? rng() % (MAX_BYTES * 8) : rng() % 1200) + 1;

	if (rng() % 4)
		bits &= ~7u;
	return bits ? bits : 8;
}

static void iv64(uint8_t iv[8], uint32_t count, uint8_t bearer, uint8_t dir)
{
	iv[0] = (uint8_t)(count >> 24);
	iv[1] = (uint8_t)(count >> 16);
	iv[2] = (uint8_t)(count >> 8);
	iv[3] = (uint8_t)count;
	iv[4] = (uint8_t)(bearer << 3 | dir << 2);
	iv[5] = iv[6] = iv[7] = 0;
}

/* 128-EEA2 == AES-128-CTR from T1 = COUNT|BEARER|DIR|0^90, low bits of the tail cleared. */
/* The optional pair table of l2/aes.h; the EEA2 checks alternate between the two paths. */
static struct aes128_pair_table pair;

/*
 * Every round also starts the data at a random offset 0..3: the keystream is applied a word
 * at a time through unaligned accesses. Odd rounds use the pair table.
 */
/*
 * One case: a random key and `bits` of random data at `data`, ciphered by sec_eea2 (with
 * the pair table if asked) and by OpenSSL's AES-CTR into `ref`; 1 if they differ.
 */
static unsigned eea2_case(EVP_CIPHER_CTX *ctx, uint8_t *data, uint8_t *ref, uint32_t bits,
			  uint32_t count, uint8_t bearer, uint8_t dir, bool pair_table)
{
	uint8_t key[16], iv[16] = {0};
	uint32_t n = (bits + 7) / 8;
	struct sec_key k;
	int outl;

	rng_fill(key, 16);
	rng_fill(data, n);
	iv64(iv, count, bearer, dir);
	EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), NULL, key, iv);
	EVP_EncryptUpdate(ctx, ref, &outl, data, (int)n);
	if (bits % 8)
		ref[n - 1] &= (uint8_t)(0xff << (8 - bits % 8));
	sec_key_init(&k, key);
	if (pair_table)
		aes128_set_pair_table(&k.aes, &pair);
	sec_eea2(&k, count, bearer, dir, data, bits);
	return memcmp(data, ref, n) != 0;
}

static void eea2_matches_openssl_aes_ctr(void)
{
	static uint8_t buf[MAX_BYTES + 3], ref[MAX_BYTES];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	unsigned bad = 0;
	int r;

	aes128_pair_table_init(&pair);
	rng_state = 0x33401c1;
	for (r = 0; r < ROUNDS; r++) {
		uint8_t *data = buf + rng() % 4;
		uint32_t count = (uint32_t)rng(), bits = rng_bits();
		uint8_t bearer = rng() & 0x1f, dir = rng() & 1;

		bad += eea2_case(ctx, data, ref, bits, count, bearer, dir, r % 2);
	}
	EVP_CIPHER_CTX_free(ctx);
	CU_ASSERT_EQUAL(bad, 0);
}

/* Long PDUs (up to PDCP's 8188 bytes): the keystream crosses 256-block counter groups. */
static void eea2_long_matches_openssl_aes_ctr(void)
{
	static uint8_t data[9000], ref[9000];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	unsigned bad = 0;
	int r;

	aes128_pair_table_init(&pair);
	rng_state = 0x33401c4;
	for (r = 0; r < 40; r++) {
		uint32_t count = (uint32_t)rng(), n = 4000 + (uint32_t)(rng() % 5000);
		uint32_t bits = n * 8 - (uint32_t)(rng() % 8);
		uint8_t bearer = rng() & 0x1f, dir = rng() & 1;

		bad += eea2_case(ctx, data, ref, bits, count, bearer, dir, r % 2);
	}
	EVP_CIPHER_CTX_free(ctx);
	CU_ASSERT_EQUAL(bad, 0);
}

/* OpenSSL's CMAC over whole bytes. */
static void openssl_cmac(const uint8_t key[16], const uint8_t *m, size_t len, uint8_t tag[16])
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
	char cipher[] = "AES-128-CBC";
	OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
			       OSSL_PARAM_construct_end()};
	size_t outl;

	EVP_MAC_init(ctx, key, 16, params);
	EVP_MAC_update(ctx, m, len);
	EVP_MAC_final(ctx, tag, &outl, 16);
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
}

/* CMAC of a bit string from OpenSSL's AES block (NIST SP 800-38B §6.2), for partial bytes. */
static void openssl_cmac_bits(const uint8_t key[16], const uint8_t *m, uint64_t bits,
			      uint8_t tag[16])
{
	static uint8_t buf[MAX_BYTES + 32];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t zero[16] = {0}, l[16], k1[16], k2[16], out[MAX_BYTES + 32];
	uint64_t blocks = bits ? (bits + 127) / 128 : 1, nbytes = blocks * 16, i;
	int outl, j;

	EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	EVP_EncryptUpdate(ctx, l, &outl, zero, 16);
	for (j = 0; j < 16; j++)
		k1[j] = (uint8_t)(l[j] << 1 | (j < 15 ? l[j + 1] >> 7 : 0));
	k1[15] ^= (l[0] & 0x80) ? 0x87 : 0;
	for (j = 0; j < 16; j++)
		k2[j] = (uint8_t)(k1[j] << 1 | (j < 15 ? k1[j + 1] >> 7 : 0));
	k2[15] ^= (k1[0] & 0x80) ? 0x87 : 0;
	memset(buf, 0, nbytes);
	for (i = 0; i < bits; i++)
		if (m[i / 8] & (0x80 >> (i % 8)))
			buf[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	if (bits % 128 || bits == 0) {
		buf[bits / 8] |= (uint8_t)(0x80 >> (bits % 8));
		for (j = 0; j < 16; j++)
			buf[nbytes - 16 + j] ^= k2[j];
	} else {
		for (j = 0; j < 16; j++)
			buf[nbytes - 16 + j] ^= k1[j];
	}
	EVP_EncryptInit_ex(ctx, EVP_aes_128_cbc(), NULL, key, zero);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	EVP_EncryptUpdate(ctx, out, &outl, buf, (int)nbytes);
	memcpy(tag, out + nbytes - 16, 16);
	EVP_CIPHER_CTX_free(ctx);
}

/* 128-EIA2 == first 32 bits of AES-CMAC(IV64 | MESSAGE), whole and partial bytes. */
static void eia2_matches_openssl_cmac(void)
{
	static uint8_t m[MAX_BYTES + 8];
	unsigned bad = 0, partial = 0;
	int r;

	rng_state = 0x33401c2;
	for (r = 0; r < ROUNDS; r++) {
		uint8_t key[16], tag[16], mac[4];
		uint32_t count = (uint32_t)rng(), bits = rng_bits(), n = (bits + 7) / 8;
		uint8_t bearer = rng() & 0x1f, dir = rng() & 1;
		struct sec_key k;

		rng_fill(key, 16);
		iv64(m, count, bearer, dir);
		rng_fill(m + 8, n);
		if (bits % 8) {
			openssl_cmac_bits(key, m, (uint64_t)bits + 64, tag);
			partial++;
		} else {
			openssl_cmac(key, m, n + 8, tag);
		}
		sec_key_init(&k, key);
		sec_eia2(&k, count, bearer, dir, m + 8, bits, mac);
		bad += memcmp(mac, tag, 4) != 0;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(partial > ROUNDS / 8);
}

/* The bit-string CMAC reference agrees with OpenSSL's CMAC where both apply. */
static void cmac_bits_reference_agrees_on_bytes(void)
{
	uint8_t key[16], m[300], a[16], b[16];
	unsigned bad = 0;
	int r;

	rng_state = 0x33401c3;
	for (r = 0; r < 200; r++) {
		size_t n = rng() % sizeof(m);

		rng_fill(key, 16);
		rng_fill(m, n);
		openssl_cmac(key, m, n, a);
		openssl_cmac_bits(key, m, n * 8, b);
		bad += memcmp(a, b, 16) != 0;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* TS 33.401 §A.7 key derivation == OpenSSL HMAC-SHA-256 over the same S. */
static void kdf_matches_openssl_hmac(void)
{
	unsigned bad = 0;
	int r;

	rng_state = 0x33401a7;
	for (r = 0; r < 500; r++) {
		uint8_t key[32], out[16], ref[32], kenb[32], kref[32];
		uint8_t type = (uint8_t)(rng() % 6 + 1), alg = (uint8_t)(rng() % 4);
		const uint8_t s[] = {0x15, type, 0, 1, alg, 0, 1};
		uint32_t nas = (uint32_t)rng();
		const uint8_t s3[] = {0x11,
				      (uint8_t)(nas >> 24),
				      (uint8_t)(nas >> 16),
				      (uint8_t)(nas >> 8),
				      (uint8_t)nas,
				      0,
				      4};
		unsigned len = 32;

		rng_fill(key, 32);
		sec_derive_alg_key(key, (enum sec_alg_type)type, alg, out);
		HMAC(EVP_sha256(), key, 32, s, sizeof(s), ref, &len);
		bad += memcmp(out, ref + 16, 16) != 0;
		sec_derive_kenb(key, nas, kenb);
		HMAC(EVP_sha256(), key, 32, s3, sizeof(s3), kref, &len);
		bad += memcmp(kenb, kref, 32) != 0;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

TEST_SUITE(sec_openssl, TEST_CASE(eea2_matches_openssl_aes_ctr),
	   TEST_CASE(eea2_long_matches_openssl_aes_ctr),
	   TEST_CASE(cmac_bits_reference_agrees_on_bytes), TEST_CASE(eia2_matches_openssl_cmac),
	   TEST_CASE(kdf_matches_openssl_hmac))
