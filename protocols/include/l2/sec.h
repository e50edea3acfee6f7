/* SPDX-License-Identifier: BSD-2-Clause */
/* EPS AS security (TS 33.401): EEA0, 128-EEA2 ciphering, 128-EIA2 integrity, key derivation. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "l2/aes.h"
#include "l2/env.h"

/* Algorithm identities, TS 33.401 §5.1.3.2 / §5.1.4.2 (4-bit values). */
enum sec_eea {
	SEC_EEA0 = 0,
	SEC_EEA2 = 2,
};

enum sec_eia {
	SEC_EIA0 = 0, /* null integrity: only for emergency calls, TS 33.401 §5.1.4.1 */
	SEC_EIA2 = 2,
};

/* DIRECTION input, TS 33.401 §B.1.1: 0 uplink, 1 downlink. */
enum sec_dir {
	SEC_DIR_UL = 0,
	SEC_DIR_DL = 1,
};

/* A 128-bit key prepared for 128-EEA2 and 128-EIA2 (AES round keys and CMAC subkeys). */
struct sec_key {
	struct aes128_key aes;
	uint8_t k1[16], k2[16]; /* CMAC subkeys, NIST SP 800-38B §6.1 */
};

void sec_key_init(struct sec_key *key, const uint8_t k[16]);

/*
 * 128-EEA2 (TS 33.401 §B.1.3): AES-128 in counter mode, in place over the first `bits`
 * bits of `data`; the unused low bits of a partial last byte are set to zero.
 * COUNT is 32 bits, BEARER 5 bits, DIRECTION 1 bit.
 */
void sec_eea2(const struct sec_key *key, uint32_t count, uint8_t bearer, uint8_t dir, uint8_t *data,
	      uint32_t bits);

/*
 * 128-EIA2 (TS 33.401 §B.2.3): AES-CMAC over COUNT | BEARER | DIRECTION | 0^26 | MESSAGE,
 * where MESSAGE is the first `bits` bits of `msg`; MAC-I is the first 32 bits of the tag.
 */
void sec_eia2(const struct sec_key *key, uint32_t count, uint8_t bearer, uint8_t dir,
	      const uint8_t *msg, uint32_t bits, uint8_t mac[4]);

/* Cipher (or decipher) in place with `alg`; L2_EINVAL for an unsupported algorithm. */
int sec_cipher(enum sec_eea alg, const struct sec_key *key, uint32_t count, uint8_t bearer,
	       uint8_t dir, uint8_t *data, uint32_t bits);

/* MAC-I with `alg` (EIA0 gives 0, TS 33.401 §5.1.4.1); L2_EINVAL if unsupported. */
int sec_integrity(enum sec_eia alg, const struct sec_key *key, uint32_t count, uint8_t bearer,
		  uint8_t dir, const uint8_t *msg, uint32_t bits, uint8_t mac[4]);

/* SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), the KDF of TS 33.220 §B.2. */
struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t block[64];
	uint32_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[32]);
void hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t len,
		 uint8_t out[32]);

/* Algorithm type distinguishers, TS 33.401 §A.7 Table A.7-1. */
enum sec_alg_type {
	SEC_NAS_ENC = 0x01,
	SEC_NAS_INT = 0x02,
	SEC_RRC_ENC = 0x03,
	SEC_RRC_INT = 0x04,
	SEC_UP_ENC = 0x05,
	SEC_UP_INT = 0x06,
};

/*
 * KDF of TS 33.220 §B.2: HMAC-SHA-256(key, FC | P0 | L0 | P1 | L1 ...); `params` and `lens`
 * give the n parameters. Returns L2_EINVAL if S would exceed 256 bytes.
 */
int sec_kdf(const uint8_t key[32], uint8_t fc, const uint8_t *const params[], const uint16_t lens[],
	    unsigned n, uint8_t out[32]);

/*
 * K_ASME from CK, IK, the serving network identity (PLMN, 3 octets as in TS 24.301
 * §9.9.3.32) and SQN xor AK (the first 6 octets of AUTN), TS 33.401 §A.2 (FC = 0x10).
 */
void sec_derive_kasme(const uint8_t ck[16], const uint8_t ik[16], const uint8_t sn_id[3],
		      const uint8_t sqn_xor_ak[6], uint8_t kasme[32]);

/* NH from K_ASME and the previous NH (or K_eNB at the first step), TS 33.401 §A.4 (FC = 0x12). */
void sec_derive_nh(const uint8_t kasme[32], const uint8_t sync_input[32], uint8_t nh[32]);

/* K_eNB* for re-establishment/handover from K_eNB (or NH), PCI and EARFCN-DL, TS 33.401 §A.5 (FC = 0x13). */
void sec_derive_kenb_star(const uint8_t key[32], uint16_t pci, uint16_t earfcn_dl,
			  uint8_t kenb_star[32]);

/* K_eNB from K_ASME and the uplink NAS COUNT, TS 33.401 §A.3 (FC = 0x11). */
void sec_derive_kenb(const uint8_t kasme[32], uint32_t ul_nas_count, uint8_t kenb[32]);

/*
 * K_RRCenc, K_RRCint, K_UPenc (and the NAS keys from K_ASME), TS 33.401 §A.7 (FC = 0x15):
 * the 128 least significant bits of the 256-bit KDF output.
 */
void sec_derive_alg_key(const uint8_t key[32], enum sec_alg_type type, uint8_t alg_id,
			uint8_t out[16]);
