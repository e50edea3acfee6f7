/* SPDX-License-Identifier: BSD-2-Clause */
/* 128-EEA2 (AES-CTR) and 128-EIA2 (AES-CMAC) over bit strings, TS 33.401 Annex B. */
#include <string.h>

#include "l2/buf.h"
#include "l2/env.h"
#include "l2/sec.h"

/* CMAC subkey doubling in GF(2^128), NIST SP 800-38B §6.1 (Rb = 0x87). */
static void cmac_double(const uint8_t in[16], uint8_t out[16])
{
	uint8_t carry = in[0] >> 7;
	int i;

	for (i = 0; i < 15; i++)
		out[i] = (uint8_t)(in[i] << 1 | in[i + 1] >> 7);
	out[15] = (uint8_t)(in[15] << 1) ^ (uint8_t)(carry ? 0x87 : 0);
}

void sec_key_init(struct sec_key *key, const uint8_t k[16])
{
	uint8_t l[16] = {0};

	aes128_init(&key->aes, k);
	aes128_encrypt(&key->aes, l, l);
	cmac_double(l, key->k1);
	cmac_double(key->k1, key->k2);
}

/* COUNT | BEARER | DIRECTION | 0^26, the 64 bits both algorithms start from (§B.1.3, §B.2.3). */
static void sec_iv(uint8_t iv[8], uint32_t count, uint8_t bearer, uint8_t dir)
{
	iv[0] = (uint8_t)(count >> 24);
	iv[1] = (uint8_t)(count >> 16);
	iv[2] = (uint8_t)(count >> 8);
	iv[3] = (uint8_t)count;
	iv[4] = (uint8_t)((bearer & 0x1f) << 3 | (dir & 1) << 2);
	iv[5] = iv[6] = iv[7] = 0;
}

void sec_eea2(const struct sec_key *key, uint32_t count, uint8_t bearer, uint8_t dir, uint8_t *data,
	      uint32_t bits)
{
	uint32_t bytes = (bits + 7) / 8;
	uint8_t iv[8];

	/* T1 = COUNT | BEARER | DIRECTION | 0^26 | 0^64; Ti+1 = Ti + 1 mod 2^128 (§B.1.3). */
	sec_iv(iv, count, bearer, dir);
	aes128_ctr_xor(&key->aes, iv, data, bytes);
	if (bits % 8)
		data[bytes - 1] &= (uint8_t)(0xff << (8 - bits % 8));
}

void sec_eia2(const struct sec_key *key, uint32_t count, uint8_t bearer, uint8_t dir,
	      const uint8_t *msg, uint32_t bits, uint8_t mac[4])
{
	/* M = IV (64 bits) | MESSAGE (bits); CMAC over Mlen = bits + 64 (§B.2.3). */
	uint64_t total = (uint64_t)bits + 64;
	uint64_t blocks = (total + 127) / 128;
	uint32_t last_bits = (uint32_t)(total - (blocks - 1) * 128);
	uint32_t msg_bytes = (bits + 7) / 8;
	uint8_t x[16], blk[16];
	uint64_t b;
	unsigned i;

	sec_iv(x, count, bearer, dir);
	memcpy(blk, x, 8);
	memset(x, 0, sizeof(x));
	for (b = 0; b < blocks; b++) {
		/* Byte j of block b is byte 16b + j of M; the IV is bytes 0..7. */
		uint64_t start = b * 16;
		const uint8_t *k;

		for (i = b == 0 ? 8 : 0; i < 16; i++) {
			uint64_t m = start + i - 8;

			blk[i] = m < msg_bytes ? msg[m] : 0;
		}
		if (b == blocks - 1) {
			/* Clear bits past the message, then pad with 10* (SP 800-38B §6.2). */
			if (last_bits < 128) {
				blk[last_bits / 8] &= (uint8_t)(0xff00 >> (last_bits % 8));
				for (i = last_bits / 8 + 1; i < 16; i++)
					blk[i] = 0;
				blk[last_bits / 8] |= (uint8_t)(0x80 >> (last_bits % 8));
				k = key->k2;
			} else {
				k = key->k1;
			}
			for (i = 0; i < 16; i++)
				blk[i] ^= k[i];
		}
		for (i = 0; i < 16; i++)
			x[i] ^= blk[i];
		aes128_encrypt(&key->aes, x, x);
	}
	memcpy(mac, x, 4);
}

int sec_cipher(enum sec_eea alg, const struct sec_key *key, uint32_t count, uint8_t bearer,
	       uint8_t dir, uint8_t *data, uint32_t bits)
{
	switch (alg) {
	case SEC_EEA0:
		return 0;
	case SEC_EEA2:
		sec_eea2(key, count, bearer, dir, data, bits);
		return 0;
	}
	return L2_EINVAL;
}

int sec_integrity(enum sec_eia alg, const struct sec_key *key, uint32_t count, uint8_t bearer,
		  uint8_t dir, const uint8_t *msg, uint32_t bits, uint8_t mac[4])
{
	switch (alg) {
	case SEC_EIA0:
		memset(mac, 0, 4);
		return 0;
	case SEC_EIA2:
		sec_eia2(key, count, bearer, dir, msg, bits, mac);
		return 0;
	}
	return L2_EINVAL;
}
