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
