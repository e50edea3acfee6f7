/* SPDX-License-Identifier: BSD-2-Clause */
/* MILENAGE, the example 3GPP authentication and key generation functions (TS 35.206). */
#pragma once

#include <stdint.h>

#include "l2/aes.h"

/* The subscriber key K (as an expanded AES key, the kernel function of TS 35.206 §3) and OPc. */
struct milenage {
	struct aes128_key k;
	uint8_t opc[16];
};

/* OPc = OP xor E_K(OP), TS 35.206 §4.1. */
void milenage_opc(const uint8_t k[16], const uint8_t op[16], uint8_t opc[16]);

void milenage_init(struct milenage *m, const uint8_t k[16], const uint8_t opc[16]);

/* Forget K and OPc. */
void milenage_wipe(struct milenage *m);

/*
 * f1 (network authentication, MAC-A) and f1* (resynchronisation, MAC-S), TS 35.206 §4.1:
 * OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc, IN1 = SQN | AMF | SQN | AMF.
 * Either output may be NULL.
 */
void milenage_f1(const struct milenage *m, const uint8_t rand[16], const uint8_t sqn[6],
		 const uint8_t amf[2], uint8_t mac_a[8], uint8_t mac_s[8]);

/*
 * f2 (RES), f3 (CK), f4 (IK), f5 (AK) and f5* (AK for resynchronisation), TS 35.206 §4.1.
 * Any output may be NULL.
 */
void milenage_f2345(const struct milenage *m, const uint8_t rand[16], uint8_t res[8],
		    uint8_t ck[16], uint8_t ik[16], uint8_t ak[6], uint8_t ak_star[6]);
