/* SPDX-License-Identifier: BSD-2-Clause */
/* AES-128 block encryption (FIPS-197), the primitive under 128-EEA2 and 128-EIA2. */
#pragma once

#include <stdint.h>

/*
 * Optional table for aes128_ctr_xor (and so 128-EEA2): 256 KiB the caller provides, filled
 * once by aes128_pair_table_init and shared by any number of keys. It halves the table
 * lookups of rounds 3 to 9, about 30 -> 25 cycles per byte on the Cortex-A7.
 */
struct aes128_pair_table {
	uint32_t t[65536];
};

/* The expanded key: 11 round keys as big-endian words (FIPS-197 §5.2). */
struct aes128_key {
	uint32_t rk[44];
	const struct aes128_pair_table *pair; /* NULL: the 1 KiB round table only */
	uint32_t pair_mask;		      /* 0xff00, see aes.c */
};

/* Expand `k`; the key starts without a pair table. */
void aes128_init(struct aes128_key *key, const uint8_t k[16]);

void aes128_pair_table_init(struct aes128_pair_table *pt);

/* Let aes128_ctr_xor with `key` use `pt` (initialised, outliving the key); NULL: stop. */
void aes128_set_pair_table(struct aes128_key *key, const struct aes128_pair_table *pt);

/* Encrypt one block; `in` and `out` may be the same. */
void aes128_encrypt(const struct aes128_key *key, const uint8_t in[16], uint8_t out[16]);

/*
 * XOR `len` bytes of `data` with the AES-CTR keystream of the blocks nonce | i (i a 64-bit
 * big-endian counter from 0), as 128-EEA2 uses it (TS 33.401 §B.1.3).
 */
void aes128_ctr_xor(const struct aes128_key *key, const uint8_t nonce[8], uint8_t *data,
		    uint32_t len);
