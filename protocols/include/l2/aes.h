/* SPDX-License-Identifier: BSD-2-Clause */
/* AES-128 block encryption (FIPS-197), the primitive under 128-EEA2 and 128-EIA2. */
#pragma once

#include <stdint.h>

/* The expanded key: 11 round keys as big-endian words (FIPS-197 §5.2). */
struct aes128_key {
	uint32_t rk[44];
};

void aes128_init(struct aes128_key *key, const uint8_t k[16]);

/* Encrypt one block; `in` and `out` may be the same. */
void aes128_encrypt(const struct aes128_key *key, const uint8_t in[16], uint8_t out[16]);

/*
 * XOR `len` bytes of `data` with the AES-CTR keystream of the blocks nonce | i (i a 64-bit
 * big-endian counter from 0), as 128-EEA2 uses it (TS 33.401 §B.1.3).
 */
void aes128_ctr_xor(const struct aes128_key *key, const uint8_t nonce[8], uint8_t *data,
		    uint32_t len);
