/* SPDX-License-Identifier: BSD-2-Clause */
/* The simulator's seeded PRNG: xoshiro256** seeded through splitmix64; never rand(). */
#pragma once

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

static inline uint64_t rng_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A generator for (seed, stream): independent streams for the channel, traffic, UEs. */
static inline void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ull);
	unsigned i;

	for (i = 0; i < 4; i++)
		r->s[i] = rng_splitmix64(&x);
}

static inline uint64_t rng_rotl(uint64_t x, unsigned k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s, out = rng_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return out;
}

static inline uint32_t rng_u32(struct rng *r)
{
	return (uint32_t)(rng_next(r) >> 32);
}

/* Uniform in [0, n) (n > 0), by a 64-bit multiply: bias below 2^-32 for any n. */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((uint64_t)rng_u32(r) * n) >> 32);
}

/* True with probability p32 / 2^32 (a probability scaled once, so no float per draw). */
static inline int rng_chance(struct rng *r, uint32_t p32)
{
	uint32_t u = rng_u32(r); /* drawn even for 0 and 1: the stream does not depend on p */

	return p32 == UINT32_MAX || u < p32;
}

/* A probability in [0, 1] as the threshold rng_chance takes; 1 means always. */
static inline uint32_t rng_p32(double p)
{
	if (p <= 0)
		return 0;
	if (p >= 1)
		return UINT32_MAX;
	return (uint32_t)(p * 4294967296.0);
}
