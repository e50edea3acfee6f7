/* SPDX-License-Identifier: BSD-2-Clause */
/* SHA-256, HMAC-SHA-256 and the 3GPP key derivation function (TS 33.220 §B.2, TS 33.401 Annex A). */
#include <string.h>

#include "l2/env.h"
#include "l2/sec.h"

/* FIPS 180-4 §4.2.2. */
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha256_block(struct sha256 *s, const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
	e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
	for (i = 0; i < 64; i++) {
		uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) +
			      sha256_k[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));

		h = g, g = f, f = e, e = d + t1;
		d = c, c = b, b = a, a = t1 + t2;
	}
	s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d;
	s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}

void sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

	memcpy(s->h, iv, sizeof(iv));
	s->bytes = 0;
	s->fill = 0;
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
	const uint8_t *p = data;

	s->bytes += len;
	while (len) {
		size_t n = 64 - s->fill < len ? 64 - s->fill : len;

		memcpy(s->block + s->fill, p, n);
		s->fill += (uint32_t)n;
		p += n;
		len -= n;
		if (s->fill == 64) {
			sha256_block(s, s->block);
			s->fill = 0;
		}
	}
}

void sha256_final(struct sha256 *s, uint8_t out[32])
{
	uint64_t bits = s->bytes * 8;
	uint8_t pad = 0x80;
	int i;

	sha256_update(s, &pad, 1);
	pad = 0;
	while (s->fill != 56)
		sha256_update(s, &pad, 1);
	for (i = 7; i >= 0; i--) {
		uint8_t b = (uint8_t)(bits >> (8 * i));

		sha256_update(s, &b, 1);
	}
	for (i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(s->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)s->h[i];
	}
}

void hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t len,
		 uint8_t out[32])
{
	uint8_t k[64] = {0}, pad[64], inner[32];
	struct sha256 s;
	int i;

	if (key_len > 64) {
		sha256_init(&s);
		sha256_update(&s, key, key_len);
		sha256_final(&s, k);
	} else if (key_len) {
		memcpy(k, key, key_len);
	}
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	sha256_init(&s);
	sha256_update(&s, pad, 64);
	sha256_update(&s, msg, len);
	sha256_final(&s, inner);
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	sha256_init(&s);
	sha256_update(&s, pad, 64);
	sha256_update(&s, inner, 32);
	sha256_final(&s, out);
}

int sec_kdf(const uint8_t key[32], uint8_t fc, const uint8_t *const params[], const uint16_t lens[],
	    unsigned n, uint8_t out[32])
{
	uint8_t s[256];
	size_t len = 0;
	unsigned i;

	s[len++] = fc;
	for (i = 0; i < n; i++) {
		if (len + lens[i] + 2 > sizeof(s))
			return L2_EINVAL;
		memcpy(s + len, params[i], lens[i]);
		len += lens[i];
		s[len++] = (uint8_t)(lens[i] >> 8);
		s[len++] = (uint8_t)lens[i];
	}
	hmac_sha256(key, 32, s, len, out);
	return 0;
}

void sec_derive_kasme(const uint8_t ck[16], const uint8_t ik[16], const uint8_t sn_id[3],
		      const uint8_t sqn_xor_ak[6], uint8_t kasme[32])
{
	const uint8_t *const params[] = {sn_id, sqn_xor_ak};
	const uint16_t lens[] = {3, 6};
	uint8_t key[32];

	/* Key = CK || IK (§A.2). */
	memcpy(key, ck, 16);
	memcpy(key + 16, ik, 16);
	sec_kdf(key, 0x10, params, lens, 2, kasme);
	memset(key, 0, sizeof(key));
}

void sec_derive_nh(const uint8_t kasme[32], const uint8_t sync_input[32], uint8_t nh[32])
{
	const uint8_t *const params[] = {sync_input};
	const uint16_t lens[] = {32};

	sec_kdf(kasme, 0x12, params, lens, 1, nh);
}

void sec_derive_kenb_star(const uint8_t key[32], uint16_t pci, uint16_t earfcn_dl,
			  uint8_t kenb_star[32])
{
	const uint8_t p0[2] = {(uint8_t)(pci >> 8), (uint8_t)pci};
	const uint8_t p1[2] = {(uint8_t)(earfcn_dl >> 8), (uint8_t)earfcn_dl};
	const uint8_t *const params[] = {p0, p1};
	const uint16_t lens[] = {2, 2};

	sec_kdf(key, 0x13, params, lens, 2, kenb_star);
}

void sec_derive_kenb(const uint8_t kasme[32], uint32_t ul_nas_count, uint8_t kenb[32])
{
	const uint8_t p0[4] = {(uint8_t)(ul_nas_count >> 24), (uint8_t)(ul_nas_count >> 16),
			       (uint8_t)(ul_nas_count >> 8), (uint8_t)ul_nas_count};
	const uint8_t *const params[] = {p0};
	const uint16_t lens[] = {4};

	sec_kdf(kasme, 0x11, params, lens, 1, kenb);
}

void sec_derive_alg_key(const uint8_t key[32], enum sec_alg_type type, uint8_t alg_id,
			uint8_t out[16])
{
	const uint8_t p0 = (uint8_t)type, p1 = alg_id;
	const uint8_t *const params[] = {&p0, &p1};
	const uint16_t lens[] = {1, 1};
	uint8_t full[32];

	sec_kdf(key, 0x15, params, lens, 2, full);
	/* "the 128 least significant bits of the 256 bits of the KDF output" (§A.7). */
	memcpy(out, full + 16, 16);
}
