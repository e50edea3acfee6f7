/* SPDX-License-Identifier: BSD-2-Clause */
/* AES-128 encryption (FIPS-197): a 1 KiB round table, or a caller's 256 KiB pair table for CTR. */
#include "l2/aes.h"
#include "l2/buf.h"

/* The S-box, FIPS-197 §5.1.1 Figure 7, as an X-macro so both tables below derive from it. */
/* clang-format off */
#define AES_SBOX(f) \
	f(0x63) f(0x7c) f(0x77) f(0x7b) f(0xf2) f(0x6b) f(0x6f) f(0xc5) \
	f(0x30) f(0x01) f(0x67) f(0x2b) f(0xfe) f(0xd7) f(0xab) f(0x76) \
	f(0xca) f(0x82) f(0xc9) f(0x7d) f(0xfa) f(0x59) f(0x47) f(0xf0) \
	f(0xad) f(0xd4) f(0xa2) f(0xaf) f(0x9c) f(0xa4) f(0x72) f(0xc0) \
	f(0xb7) f(0xfd) f(0x93) f(0x26) f(0x36) f(0x3f) f(0xf7) f(0xcc) \
	f(0x34) f(0xa5) f(0xe5) f(0xf1) f(0x71) f(0xd8) f(0x31) f(0x15) \
	f(0x04) f(0xc7) f(0x23) f(0xc3) f(0x18) f(0x96) f(0x05) f(0x9a) \
	f(0x07) f(0x12) f(0x80) f(0xe2) f(0xeb) f(0x27) f(0xb2) f(0x75) \
	f(0x09) f(0x83) f(0x2c) f(0x1a) f(0x1b) f(0x6e) f(0x5a) f(0xa0) \
	f(0x52) f(0x3b) f(0xd6) f(0xb3) f(0x29) f(0xe3) f(0x2f) f(0x84) \
	f(0x53) f(0xd1) f(0x00) f(0xed) f(0x20) f(0xfc) f(0xb1) f(0x5b) \
	f(0x6a) f(0xcb) f(0xbe) f(0x39) f(0x4a) f(0x4c) f(0x58) f(0xcf) \
	f(0xd0) f(0xef) f(0xaa) f(0xfb) f(0x43) f(0x4d) f(0x33) f(0x85) \
	f(0x45) f(0xf9) f(0x02) f(0x7f) f(0x50) f(0x3c) f(0x9f) f(0xa8) \
	f(0x51) f(0xa3) f(0x40) f(0x8f) f(0x92) f(0x9d) f(0x38) f(0xf5) \
	f(0xbc) f(0xb6) f(0xda) f(0x21) f(0x10) f(0xff) f(0xf3) f(0xd2) \
	f(0xcd) f(0x0c) f(0x13) f(0xec) f(0x5f) f(0x97) f(0x44) f(0x17) \
	f(0xc4) f(0xa7) f(0x7e) f(0x3d) f(0x64) f(0x5d) f(0x19) f(0x73) \
	f(0x60) f(0x81) f(0x4f) f(0xdc) f(0x22) f(0x2a) f(0x90) f(0x88) \
	f(0x46) f(0xee) f(0xb8) f(0x14) f(0xde) f(0x5e) f(0x0b) f(0xdb) \
	f(0xe0) f(0x32) f(0x3a) f(0x0a) f(0x49) f(0x06) f(0x24) f(0x5c) \
	f(0xc2) f(0xd3) f(0xac) f(0x62) f(0x91) f(0x95) f(0xe4) f(0x79) \
	f(0xe7) f(0xc8) f(0x37) f(0x6d) f(0x8d) f(0xd5) f(0x4e) f(0xa9) \
	f(0x6c) f(0x56) f(0xf4) f(0xea) f(0x65) f(0x7a) f(0xae) f(0x08) \
	f(0xba) f(0x78) f(0x25) f(0x2e) f(0x1c) f(0xa6) f(0xb4) f(0xc6) \
	f(0xe8) f(0xdd) f(0x74) f(0x1f) f(0x4b) f(0xbd) f(0x8b) f(0x8a) \
	f(0x70) f(0x3e) f(0xb5) f(0x66) f(0x48) f(0x03) f(0xf6) f(0x0e) \
	f(0x61) f(0x35) f(0x57) f(0xb9) f(0x86) f(0xc1) f(0x1d) f(0x9e) \
	f(0xe1) f(0xf8) f(0x98) f(0x11) f(0x69) f(0xd9) f(0x8e) f(0x94) \
	f(0x9b) f(0x1e) f(0x87) f(0xe9) f(0xce) f(0x55) f(0x28) f(0xdf) \
	f(0x8c) f(0xa1) f(0x89) f(0x0d) f(0xbf) f(0xe6) f(0x42) f(0x68) \
	f(0x41) f(0x99) f(0x2d) f(0x0f) f(0xb0) f(0x54) f(0xbb) f(0x16)
/* clang-format on */

#define AES_XT(s)   ((((s) << 1) ^ (((s)&0x80) ? 0x1b : 0)) & 0xff)
#define AES_BYTE(s) (s),
/* Column (2s, s, s, 3s) of MixColumns applied to S-box output s (FIPS-197 §5.1.3). */
#define AES_TE0(s)                                                                    \
	(((uint32_t)AES_XT(s) << 24) | ((uint32_t)(s) << 16) | ((uint32_t)(s) << 8) | \
	 (uint32_t)(AES_XT(s) ^ (s))),

/* One object with the round table first, so lookups index it with no extra offset. */
static const struct {
	uint32_t te0[256];
	uint8_t sbox[256];
} aes_tab = {{AES_SBOX(AES_TE0)}, {AES_SBOX(AES_BYTE)}};

static inline uint32_t ror8(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint32_t sub_word(uint32_t w)
{
	return (uint32_t)aes_tab.sbox[w >> 24] << 24 |
	       (uint32_t)aes_tab.sbox[(w >> 16) & 0xff] << 16 |
	       (uint32_t)aes_tab.sbox[(w >> 8) & 0xff] << 8 | aes_tab.sbox[w & 0xff];
}

/* Key expansion, FIPS-197 §5.2, Nk = 4. */
void aes128_init(struct aes128_key *key, const uint8_t k[16])
{
	uint32_t *rk = key->rk;
	uint32_t rcon = 0x01;
	int i;

	for (i = 0; i < 4; i++)
		rk[i] = load_be32(k + 4 * i);
	for (i = 4; i < 44; i++) {
		uint32_t t = rk[i - 1];

		if (i % 4 == 0) {
			t = sub_word((t << 8) | (t >> 24)) ^ (rcon << 24);
			rcon = AES_XT(rcon);
		}
		rk[i] = rk[i - 4] ^ t;
	}
	key->pair = NULL;
	key->pair_mask = 0xff00;
}

/* One round: SubBytes, ShiftRows and MixColumns folded into table lookups. */
#define AES_ROUND(a, b, c, d)                                                \
	(aes_tab.te0[(a) >> 24] ^ ror8(aes_tab.te0[((b) >> 16) & 0xff], 8) ^ \
	 ror8(aes_tab.te0[((c) >> 8) & 0xff], 16) ^ ror8(aes_tab.te0[(d)&0xff], 24))

#define AES_LAST(a, b, c, d)                                \
	((uint32_t)aes_tab.sbox[(a) >> 24] << 24 |          \
	 (uint32_t)aes_tab.sbox[((b) >> 16) & 0xff] << 16 | \
	 (uint32_t)aes_tab.sbox[((c) >> 8) & 0xff] << 8 | aes_tab.sbox[(d)&0xff])

/* Rounds r..9 from state s (after round r - 1), then the final round into `out`. */
static inline void aes_tail(const uint32_t *rk, unsigned r, uint32_t s0, uint32_t s1, uint32_t s2,
			    uint32_t s3, uint8_t out[16])
{
	uint32_t t0, t1, t2, t3;

	/* Two rounds per iteration so the state never needs copying back. */
	for (; r + 1 < 10; r += 2) {
		t0 = AES_ROUND(s0, s1, s2, s3) ^ rk[4 * r];
		t1 = AES_ROUND(s1, s2, s3, s0) ^ rk[4 * r + 1];
		t2 = AES_ROUND(s2, s3, s0, s1) ^ rk[4 * r + 2];
		t3 = AES_ROUND(s3, s0, s1, s2) ^ rk[4 * r + 3];
		s0 = AES_ROUND(t0, t1, t2, t3) ^ rk[4 * r + 4];
		s1 = AES_ROUND(t1, t2, t3, t0) ^ rk[4 * r + 5];
		s2 = AES_ROUND(t2, t3, t0, t1) ^ rk[4 * r + 6];
		s3 = AES_ROUND(t3, t0, t1, t2) ^ rk[4 * r + 7];
	}
	if (r < 10) {
		t0 = AES_ROUND(s0, s1, s2, s3) ^ rk[4 * r];
		t1 = AES_ROUND(s1, s2, s3, s0) ^ rk[4 * r + 1];
		t2 = AES_ROUND(s2, s3, s0, s1) ^ rk[4 * r + 2];
		t3 = AES_ROUND(s3, s0, s1, s2) ^ rk[4 * r + 3];
		s0 = t0, s1 = t1, s2 = t2, s3 = t3;
	}
	store_be32(out, AES_LAST(s0, s1, s2, s3) ^ rk[40]);
	store_be32(out + 4, AES_LAST(s1, s2, s3, s0) ^ rk[41]);
	store_be32(out + 8, AES_LAST(s2, s3, s0, s1) ^ rk[42]);
	store_be32(out + 12, AES_LAST(s3, s0, s1, s2) ^ rk[43]);
}

void aes128_encrypt(const struct aes128_key *key, const uint8_t in[16], uint8_t out[16])
{
	const uint32_t *rk = key->rk;

	aes_tail(rk, 1, load_be32(in) ^ rk[0], load_be32(in + 4) ^ rk[1], load_be32(in + 8) ^ rk[2],
		 load_be32(in + 12) ^ rk[3], out);
}

/*
 * Keystream bytes k0..k3, in memory order, as the native-endian word a single unaligned load
 * of those four data bytes gives, so the keystream is applied a word at a time.
 */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define AES_MEM32(k0, k1, k2, k3) ((k0) | (k1) << 8 | (k2) << 16 | (k3) << 24)
#else
#define AES_MEM32(k0, k1, k2, k3) ((k0) << 24 | (k1) << 16 | (k2) << 8 | (k3))
#endif

static inline uint32_t load_mem32(const uint8_t *p)
{
	uint32_t w;

	__builtin_memcpy(&w, p, 4);
	return w;
}

static inline void store_mem32(uint8_t *p, uint32_t w)
{
	__builtin_memcpy(p, &w, 4);
}

#define TE(x) aes_tab.te0[(x)&0xff]
#define SB(x) ((uint32_t)aes_tab.sbox[(x)&0xff])

/*
 * The optional pair table: entry x << 8 | y is Te0[x] ^ ror(Te0[y], 8), two lookups of a
 * round column in one (FIPS-197 §5.1 folded as above), so a column costs two lookups.
 */
void aes128_pair_table_init(struct aes128_pair_table *pt)
{
	uint32_t i;

	for (i = 0; i < 65536; i++)
		pt->t[i] = aes_tab.te0[i >> 8] ^ ror8(aes_tab.te0[i & 0xff], 8);
}

void aes128_set_pair_table(struct aes128_key *key, const struct aes128_pair_table *pt)
{
	key->pair = pt;
}

/*
 * A round column from the pair table. `pm` is 0xff00, but read from the key: with a
 * literal the compiler proves the two index parts disjoint, turns + into | and needs an
 * extra instruction per index instead of one UXTAB (ARM ARM A8.8.272).
 */
#define PAIR_ROUND(a, b, c, d) \
	(pt[(((a) >> 16) & pm) + (((b) >> 16) & 0xff)] ^ ror8(pt[((c)&pm) + ((d)&0xff)], 16))

/* A full round from (a0..a3) into (b0..b3) with round key r (FIPS-197 §5.1). */
#define AES_FULL(r, a0, a1, a2, a3, b0, b1, b2, b3)                        \
	do {                                                               \
		if (pt) {                                                  \
			b0 = PAIR_ROUND(a0, a1, a2, a3) ^ rk[4 * (r)];     \
			b1 = PAIR_ROUND(a1, a2, a3, a0) ^ rk[4 * (r) + 1]; \
			b2 = PAIR_ROUND(a2, a3, a0, a1) ^ rk[4 * (r) + 2]; \
			b3 = PAIR_ROUND(a3, a0, a1, a2) ^ rk[4 * (r) + 3]; \
		} else {                                                   \
			b0 = AES_ROUND(a0, a1, a2, a3) ^ rk[4 * (r)];      \
			b1 = AES_ROUND(a1, a2, a3, a0) ^ rk[4 * (r) + 1];  \
			b2 = AES_ROUND(a2, a3, a0, a1) ^ rk[4 * (r) + 2];  \
			b3 = AES_ROUND(a3, a0, a1, a2) ^ rk[4 * (r) + 3];  \
		}                                                          \
	} while (0)

/* Column c of the final round (no MixColumns) as keystream bytes in memory order. */
#define AES_FINAL(a, b, c, d) AES_MEM32(SB((a) >> 24), SB((b) >> 16), SB((c) >> 8), SB(d))

/*
 * Counter mode with input blocks nonce (8 bytes) | i (64-bit big-endian), i = 0, 1, ...
 * Within 256 consecutive blocks only the last input byte changes, so round 1 is computed
 * once per group but for one lookup, and round 2 but for one lookup per column
 * ("counter-mode caching", Bernstein and Schwabe, 2008). Rounds 3 to 10 are unrolled and
 * the final round yields the keystream as memory-order words, XORed into the data a word
 * at a time (unaligned accesses, as l2_copy makes them). `pt` is the pair table or NULL:
 * always inlined with a constant, so each caller gets one straight path.
 */
static inline __attribute__((always_inline)) void ctr_xor(const struct aes128_key *key,
							  const uint32_t *pt,
							  const uint8_t nonce[8], uint8_t *data,
							  uint32_t len)
{
	const uint32_t *rk = key->rk;
	uint32_t s0 = load_be32(nonce) ^ rk[0], s1 = load_be32(nonce + 4) ^ rk[1], s2 = rk[2];
	uint32_t c0 = 0, d0 = 0, d1 = 0, d2 = 0, d3 = 0, i, k[4], pm = key->pair_mask;
	uint8_t last[16];

	/* The last round key in memory order, to XOR into memory-order keystream words. */
	for (i = 0; i < 4; i++)
		store_be32(last + 4 * i, rk[40 + i]);
	for (i = 0; i < 4; i++)
		k[i] = load_mem32(last + 4 * i);
	for (i = 0; len; i++) {
		uint32_t a0, a1, a2, a3, b0, b1, b2, b3, t0;

		if ((i & 0xff) == 0) {
			uint32_t s3 = i ^ rk[3]; /* the low byte is replaced per block below */

			c0 = TE(s0 >> 24) ^ ror8(TE(s1 >> 16), 8) ^ ror8(TE(s2 >> 8), 16) ^ rk[4];
			b1 = AES_ROUND(s1, s2, s3, s0) ^ rk[5];
			b2 = AES_ROUND(s2, s3, s0, s1) ^ rk[6];
			b3 = AES_ROUND(s3, s0, s1, s2) ^ rk[7];
			d0 = ror8(TE(b1 >> 16), 8) ^ ror8(TE(b2 >> 8), 16) ^ ror8(TE(b3), 24) ^
			     rk[8];
			d1 = TE(b1 >> 24) ^ ror8(TE(b2 >> 16), 8) ^ ror8(TE(b3 >> 8), 16) ^ rk[9];
			d2 = TE(b2 >> 24) ^ ror8(TE(b3 >> 16), 8) ^ ror8(TE(b1), 24) ^ rk[10];
			d3 = TE(b3 >> 24) ^ ror8(TE(b1 >> 8), 16) ^ ror8(TE(b2), 24) ^ rk[11];
		}
		/* Round 1, column 0, then round 2: the parts that depend on the counter byte. */
		t0 = c0 ^ ror8(TE(i ^ rk[3]), 24);
		a0 = d0 ^ TE(t0 >> 24);
		a1 = d1 ^ ror8(TE(t0), 24);
		a2 = d2 ^ ror8(TE(t0 >> 8), 16);
		a3 = d3 ^ ror8(TE(t0 >> 16), 8);
		AES_FULL(3, a0, a1, a2, a3, b0, b1, b2, b3);
		AES_FULL(4, b0, b1, b2, b3, a0, a1, a2, a3);
		AES_FULL(5, a0, a1, a2, a3, b0, b1, b2, b3);
		AES_FULL(6, b0, b1, b2, b3, a0, a1, a2, a3);
		AES_FULL(7, a0, a1, a2, a3, b0, b1, b2, b3);
		AES_FULL(8, b0, b1, b2, b3, a0, a1, a2, a3);
		AES_FULL(9, a0, a1, a2, a3, b0, b1, b2, b3);
		a0 = AES_FINAL(b0, b1, b2, b3) ^ k[0];
		a1 = AES_FINAL(b1, b2, b3, b0) ^ k[1];
		a2 = AES_FINAL(b2, b3, b0, b1) ^ k[2];
		a3 = AES_FINAL(b3, b0, b1, b2) ^ k[3];
		if (len >= 16) {
			store_mem32(data, load_mem32(data) ^ a0);
			store_mem32(data + 4, load_mem32(data + 4) ^ a1);
			store_mem32(data + 8, load_mem32(data + 8) ^ a2);
			store_mem32(data + 12, load_mem32(data + 12) ^ a3);
			data += 16;
			len -= 16;
		} else {
			uint8_t ks[16];

			store_mem32(ks, a0);
			store_mem32(ks + 4, a1);
			store_mem32(ks + 8, a2);
			store_mem32(ks + 12, a3);
			l2_xor(data, ks, len);
			len = 0;
		}
	}
}

void aes128_ctr_xor(const struct aes128_key *key, const uint8_t nonce[8], uint8_t *data,
		    uint32_t len)
{
	if (key->pair)
		ctr_xor(key, key->pair->t, nonce, data, len);
	else
		ctr_xor(key, NULL, nonce, data, len);
}
