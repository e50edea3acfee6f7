/* SPDX-License-Identifier: BSD-2-Clause */
/* MILENAGE f1, f1*, f2, f3, f4, f5, f5* over AES-128, TS 35.206 §4.1 (r1..r5, c1..c5 of §4.1). */
#include <string.h>

#include "l3/milenage.h"

/* r1..r5 in bits and the last octet of c1..c5 (the others are zero), TS 35.206 §4.1. */
enum {
	R1 = 64,
	R2 = 0,
	R3 = 32,
	R4 = 64,
	R5 = 96,
	C1 = 0x00,
	C2 = 0x01,
	C3 = 0x02,
	C4 = 0x04,
	C5 = 0x08,
};

static void xor16(uint8_t *out, const uint8_t *a, const uint8_t *b)
{
	int i;

	for (i = 0; i < 16; i++)
		out[i] = a[i] ^ b[i];
}

/* Cyclic rotation of a 128-bit value towards the most significant end by r bits (r % 8 == 0). */
static void rot128(uint8_t out[16], const uint8_t in[16], unsigned r)
{
	unsigned i;

	for (i = 0; i < 16; i++)
		out[i] = in[(i + r / 8) % 16];
}

void milenage_opc(const uint8_t k[16], const uint8_t op[16], uint8_t opc[16])
{
	struct aes128_key key;
	uint8_t e[16];

	aes128_init(&key, k);
	aes128_encrypt(&key, op, e);
	xor16(opc, e, op);
	memset(&key, 0, sizeof(key));
}

void milenage_init(struct milenage *m, const uint8_t k[16], const uint8_t opc[16])
{
	aes128_init(&m->k, k);
	memcpy(m->opc, opc, 16);
}

void milenage_wipe(struct milenage *m)
{
	volatile uint8_t *p = (volatile uint8_t *)m;
	size_t i;

	for (i = 0; i < sizeof(*m); i++)
		p[i] = 0;
}

/* TEMP = E_K(RAND xor OPc). */
static void milenage_temp(const struct milenage *m, const uint8_t rand[16], uint8_t temp[16])
{
	uint8_t x[16];

	xor16(x, rand, m->opc);
	aes128_encrypt(&m->k, x, temp);
}

/* OUTn = E_K(rot(TEMP xor OPc, r) xor c) xor OPc, for n = 2..5. */
static void milenage_out(const struct milenage *m, const uint8_t temp[16], unsigned r, uint8_t c,
			 uint8_t out[16])
{
	uint8_t x[16], y[16];

	xor16(x, temp, m->opc);
	rot128(y, x, r);
	y[15] ^= c;
	aes128_encrypt(&m->k, y, x);
	xor16(out, x, m->opc);
}

void milenage_f1(const struct milenage *m, const uint8_t rand[16], const uint8_t sqn[6],
		 const uint8_t amf[2], uint8_t mac_a[8], uint8_t mac_s[8])
{
	uint8_t temp[16], in1[16], x[16], y[16];

	milenage_temp(m, rand, temp);
	memcpy(in1, sqn, 6);
	memcpy(in1 + 6, amf, 2);
	memcpy(in1 + 8, in1, 8);
	xor16(x, in1, m->opc);
	rot128(y, x, R1);
	y[15] ^= C1;
	xor16(x, y, temp);
	aes128_encrypt(&m->k, x, y);
	xor16(x, y, m->opc);
	if (mac_a)
		memcpy(mac_a, x, 8);
	if (mac_s)
		memcpy(mac_s, x + 8, 8);
}

void milenage_f2345(const struct milenage *m, const uint8_t rand[16], uint8_t res[8],
		    uint8_t ck[16], uint8_t ik[16], uint8_t ak[6], uint8_t ak_star[6])
{
	uint8_t temp[16], out[16];

	milenage_temp(m, rand, temp);
	if (res || ak) {
		milenage_out(m, temp, R2, C2, out);
		if (ak)
			memcpy(ak, out, 6);
		if (res)
			memcpy(res, out + 8, 8);
	}
	if (ck) {
		milenage_out(m, temp, R3, C3, out);
		memcpy(ck, out, 16);
	}
	if (ik) {
		milenage_out(m, temp, R4, C4, out);
		memcpy(ik, out, 16);
	}
	if (ak_star) {
		milenage_out(m, temp, R5, C5, out);
		memcpy(ak_star, out, 6);
	}
}
