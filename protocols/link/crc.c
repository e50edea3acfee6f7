/* SPDX-License-Identifier: BSD-2-Clause */
/* The CRCs of TS 36.212 §5.1.1: gCRC24A sliced by four (every TB is checked), gCRC24B, gCRC16. */
#include "l2/link.h"

/*
 * TS 36.212 §5.1.1: parity bits p0..p(L-1) make a0..a(A-1),p0..p(L-1) divisible by g(D);
 * the first bit is the highest power, the register starts at zero and is not inverted at
 * the end. That is a CRC over bytes MSB first with no reflection and no final XOR, and the
 * parity is appended highest term first (big-endian).
 *
 * The tables are constant expressions, so they are const data in the firmware and need no
 * initialisation. A CRC is linear: the entry for byte b is the XOR of the entries of b's set
 * bits, and the entry of bit i shifted through n zero bits is D^(i + n) mod g(D). The
 * enumerations below list D^(W + j) mod g(D) (W the CRC length) for the j needed, each
 * computed from the previous one; CRC_ENTRY combines them.
 */
#define CRC24A_POLY 0x864cfbu /* gCRC24A without D^24 */
#define CRC24B_POLY 0x800063u /* gCRC24B without D^24 */
#define CRC16_POLY  0x1021u   /* gCRC16 without D^16 */

/* v * D mod g(D) for a remainder v of a degree-w polynomial g. */
#define CRC_MULX(v, g, w) ((((v) << 1) & ((1u << (w)) - 1u)) ^ (((v) >> ((w)-1)) & 1u ? (g) : 0u))

/* CRC24A_X_k_i = D^(24 + 8k + i) mod gCRC24A: bit i of a byte followed by k zero bytes. */
enum crc24a_powers {
	CRC24A_X_0_0 = CRC24A_POLY,
	CRC24A_X_0_1 = CRC_MULX(CRC24A_X_0_0, CRC24A_POLY, 24),
	CRC24A_X_0_2 = CRC_MULX(CRC24A_X_0_1, CRC24A_POLY, 24),
	CRC24A_X_0_3 = CRC_MULX(CRC24A_X_0_2, CRC24A_POLY, 24),
	CRC24A_X_0_4 = CRC_MULX(CRC24A_X_0_3, CRC24A_POLY, 24),
	CRC24A_X_0_5 = CRC_MULX(CRC24A_X_0_4, CRC24A_POLY, 24),
	CRC24A_X_0_6 = CRC_MULX(CRC24A_X_0_5, CRC24A_POLY, 24),
	CRC24A_X_0_7 = CRC_MULX(CRC24A_X_0_6, CRC24A_POLY, 24),
	CRC24A_X_1_0 = CRC_MULX(CRC24A_X_0_7, CRC24A_POLY, 24),
	CRC24A_X_1_1 = CRC_MULX(CRC24A_X_1_0, CRC24A_POLY, 24),
	CRC24A_X_1_2 = CRC_MULX(CRC24A_X_1_1, CRC24A_POLY, 24),
	CRC24A_X_1_3 = CRC_MULX(CRC24A_X_1_2, CRC24A_POLY, 24),
	CRC24A_X_1_4 = CRC_MULX(CRC24A_X_1_3, CRC24A_POLY, 24),
	CRC24A_X_1_5 = CRC_MULX(CRC24A_X_1_4, CRC24A_POLY, 24),
	CRC24A_X_1_6 = CRC_MULX(CRC24A_X_1_5, CRC24A_POLY, 24),
	CRC24A_X_1_7 = CRC_MULX(CRC24A_X_1_6, CRC24A_POLY, 24),
	CRC24A_X_2_0 = CRC_MULX(CRC24A_X_1_7, CRC24A_POLY, 24),
	CRC24A_X_2_1 = CRC_MULX(CRC24A_X_2_0, CRC24A_POLY, 24),
	CRC24A_X_2_2 = CRC_MULX(CRC24A_X_2_1, CRC24A_POLY, 24),
	CRC24A_X_2_3 = CRC_MULX(CRC24A_X_2_2, CRC24A_POLY, 24),
	CRC24A_X_2_4 = CRC_MULX(CRC24A_X_2_3, CRC24A_POLY, 24),
	CRC24A_X_2_5 = CRC_MULX(CRC24A_X_2_4, CRC24A_POLY, 24),
	CRC24A_X_2_6 = CRC_MULX(CRC24A_X_2_5, CRC24A_POLY, 24),
	CRC24A_X_2_7 = CRC_MULX(CRC24A_X_2_6, CRC24A_POLY, 24),
	CRC24A_X_3_0 = CRC_MULX(CRC24A_X_2_7, CRC24A_POLY, 24),
	CRC24A_X_3_1 = CRC_MULX(CRC24A_X_3_0, CRC24A_POLY, 24),
	CRC24A_X_3_2 = CRC_MULX(CRC24A_X_3_1, CRC24A_POLY, 24),
	CRC24A_X_3_3 = CRC_MULX(CRC24A_X_3_2, CRC24A_POLY, 24),
	CRC24A_X_3_4 = CRC_MULX(CRC24A_X_3_3, CRC24A_POLY, 24),
	CRC24A_X_3_5 = CRC_MULX(CRC24A_X_3_4, CRC24A_POLY, 24),
	CRC24A_X_3_6 = CRC_MULX(CRC24A_X_3_5, CRC24A_POLY, 24),
	CRC24A_X_3_7 = CRC_MULX(CRC24A_X_3_6, CRC24A_POLY, 24),
};

enum crc24b_powers {
	CRC24B_X_0_0 = CRC24B_POLY,
	CRC24B_X_0_1 = CRC_MULX(CRC24B_X_0_0, CRC24B_POLY, 24),
	CRC24B_X_0_2 = CRC_MULX(CRC24B_X_0_1, CRC24B_POLY, 24),
	CRC24B_X_0_3 = CRC_MULX(CRC24B_X_0_2, CRC24B_POLY, 24),
	CRC24B_X_0_4 = CRC_MULX(CRC24B_X_0_3, CRC24B_POLY, 24),
	CRC24B_X_0_5 = CRC_MULX(CRC24B_X_0_4, CRC24B_POLY, 24),
	CRC24B_X_0_6 = CRC_MULX(CRC24B_X_0_5, CRC24B_POLY, 24),
	CRC24B_X_0_7 = CRC_MULX(CRC24B_X_0_6, CRC24B_POLY, 24),
};

enum crc16_powers {
	CRC16_X_0_0 = CRC16_POLY,
	CRC16_X_0_1 = CRC_MULX(CRC16_X_0_0, CRC16_POLY, 16),
	CRC16_X_0_2 = CRC_MULX(CRC16_X_0_1, CRC16_POLY, 16),
	CRC16_X_0_3 = CRC_MULX(CRC16_X_0_2, CRC16_POLY, 16),
	CRC16_X_0_4 = CRC_MULX(CRC16_X_0_3, CRC16_POLY, 16),
	CRC16_X_0_5 = CRC_MULX(CRC16_X_0_4, CRC16_POLY, 16),
	CRC16_X_0_6 = CRC_MULX(CRC16_X_0_5, CRC16_POLY, 16),
	CRC16_X_0_7 = CRC_MULX(CRC16_X_0_6, CRC16_POLY, 16),
};

/*
 * The CRC24A tables hold remainders in transmission order (first parity byte in bits 0..7,
 * what a little-endian load of the three bytes gives), so the four-byte step XORs the
 * register straight into a little-endian load of the data, with no byte reversal.
 */
#define CRC24_TX_ORDER(v) ((((v) >> 16) & 0xffu) | ((v)&0xff00u) | (((v)&0xffu) << 16))

#define CRC_BIT(b, i, x) ((((b) >> (i)) & 1u) ? (uint32_t)(x) : 0u)
#define CRC_ENTRY(f, x, k, b)                                                                   \
	(CRC_BIT(b, 0, f(x##k##_0)) ^ CRC_BIT(b, 1, f(x##k##_1)) ^ CRC_BIT(b, 2, f(x##k##_2)) ^ \
	 CRC_BIT(b, 3, f(x##k##_3)) ^ CRC_BIT(b, 4, f(x##k##_4)) ^ CRC_BIT(b, 5, f(x##k##_5)) ^ \
	 CRC_BIT(b, 6, f(x##k##_6)) ^ CRC_BIT(b, 7, f(x##k##_7)))
#define CRC_ROW4(f, x, k, b)                                                             \
	CRC_ENTRY(f, x, k, b), CRC_ENTRY(f, x, k, (b) + 1), CRC_ENTRY(f, x, k, (b) + 2), \
		CRC_ENTRY(f, x, k, (b) + 3)
#define CRC_ROW16(f, x, k, b)                                                         \
	CRC_ROW4(f, x, k, b), CRC_ROW4(f, x, k, (b) + 4), CRC_ROW4(f, x, k, (b) + 8), \
		CRC_ROW4(f, x, k, (b) + 12)
#define CRC_ROW64(f, x, k, b)                                                              \
	CRC_ROW16(f, x, k, b), CRC_ROW16(f, x, k, (b) + 16), CRC_ROW16(f, x, k, (b) + 32), \
		CRC_ROW16(f, x, k, (b) + 48)
#define CRC_TABLE(f, x, k)                                                              \
	{                                                                               \
		CRC_ROW64(f, x, k, 0), CRC_ROW64(f, x, k, 64), CRC_ROW64(f, x, k, 128), \
			CRC_ROW64(f, x, k, 192)                                         \
	}
#define CRC_SAME(v) (v)

/* crc24a_tab[k][b]: b * D^(24 + 8k) mod gCRC24A, in transmission order. */
static const uint32_t crc24a_tab[4][256] = {
	CRC_TABLE(CRC24_TX_ORDER, CRC24A_X_, 0),
	CRC_TABLE(CRC24_TX_ORDER, CRC24A_X_, 1),
	CRC_TABLE(CRC24_TX_ORDER, CRC24A_X_, 2),
	CRC_TABLE(CRC24_TX_ORDER, CRC24A_X_, 3),
};
static const uint32_t crc24b_tab[256] = CRC_TABLE(CRC_SAME, CRC24B_X_, 0);
static const uint16_t crc16_tab[256] = CRC_TABLE(CRC_SAME, CRC16_X_, 0);

/* Compiles to one LDR where unaligned loads are allowed (ARMv7 with SCTLR.A clear, x86). */
static inline uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * Slicing by four: with the register r (transmission order) XORed into the next four data
 * bytes, the new remainder is the XOR of each byte's table entry for the zero bytes that
 * follow it within the four. Two steps per iteration halve the loop overhead.
 */
uint32_t crc24a(const uint8_t *p, uint32_t len)
{
	const uint32_t *t0 = crc24a_tab[0], *t1 = crc24a_tab[1], *t2 = crc24a_tab[2],
		       *t3 = crc24a_tab[3];
	uint32_t r = 0, x;

	for (; len >= 8; p += 8, len -= 8) {
		x = r ^ load_le32(p);
		r = t3[x & 0xff] ^ t2[(x >> 8) & 0xff] ^ t1[(x >> 16) & 0xff] ^ t0[x >> 24];
		x = r ^ load_le32(p + 4);
		r = t3[x & 0xff] ^ t2[(x >> 8) & 0xff] ^ t1[(x >> 16) & 0xff] ^ t0[x >> 24];
	}
	if (len >= 4) {
		x = r ^ load_le32(p);
		r = t3[x & 0xff] ^ t2[(x >> 8) & 0xff] ^ t1[(x >> 16) & 0xff] ^ t0[x >> 24];
		p += 4;
		len -= 4;
	}
	while (len--)
		r = (r >> 8) ^ t0[(r ^ *p++) & 0xff];
	return CRC24_TX_ORDER(r);
}

uint32_t crc24b(const uint8_t *p, uint32_t len)
{
	uint32_t r = 0;

	while (len--)
		r = ((r << 8) & 0xffffffu) ^ crc24b_tab[((r >> 16) ^ *p++) & 0xff];
	return r;
}

uint16_t crc16_lte(const uint8_t *p, uint32_t len)
{
	uint32_t r = 0;

	while (len--)
		r = ((r << 8) & 0xffffu) ^ crc16_tab[((r >> 8) ^ *p++) & 0xff];
	return (uint16_t)r;
}
