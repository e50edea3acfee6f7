/* SPDX-License-Identifier: BSD-2-Clause */
/* One description, two directions: PER field codecs that encode from or decode into the same struct. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "l3/rrc.h"
#include "per.h"

/*
 * An IE function walks its structure once; `dec` says whether each field is read into the
 * struct or written from it (encoding never writes the struct).
 */
struct per_c {
	bool dec;
	struct per_wr w;
	struct per_rd r;
	uint8_t *scratch; /* decode: where OCTET STRING values go */
	size_t scratch_cap, scratch_used;
};

static inline int c_err(const struct per_c *c)
{
	return c->dec ? c->r.err : c->w.err;
}

static inline void c_fail(struct per_c *c, int err)
{
	if (c->dec)
		per_rd_fail(&c->r, err);
	else
		per_wr_fail(&c->w, err);
}

static inline void c_bool(struct per_c *c, bool *v)
{
	if (c->dec)
		*v = per_get_bool(&c->r);
	else
		per_put_bool(&c->w, *v);
}

static inline void c_int(struct per_c *c, int64_t *v, int64_t lb, int64_t ub)
{
	if (c->dec)
		*v = per_get_int(&c->r, lb, ub);
	else
		per_put_int(&c->w, *v, lb, ub);
}

/* Typed wrappers over c_int. */
#define C_INT_T(name, type)                                                       \
	static inline void name(struct per_c *c, type *v, int64_t lb, int64_t ub) \
	{                                                                         \
		int64_t x = *v;                                                   \
		c_int(c, &x, lb, ub);                                             \
		if (c->dec)                                                       \
			*v = (type)x;                                             \
	}
C_INT_T(c_u8, uint8_t)
C_INT_T(c_u16, uint16_t)
C_INT_T(c_i8, int8_t)
C_INT_T(c_i16, int16_t)

/* BIT STRING (SIZE (n)) held in an integer, n <= 64. */
static inline void c_bits(struct per_c *c, uint64_t *v, unsigned n)
{
	if (c->dec)
		*v = per_get_bits(&c->r, n);
	else if (n < 64 && (*v >> n))
		c_fail(c, L2_EINVAL);
	else
		per_put_bits(&c->w, *v, n);
}

#define C_BITS_T(name, type)                                          \
	static inline void name(struct per_c *c, type *v, unsigned n) \
	{                                                             \
		uint64_t x = *v;                                      \
		c_bits(c, &x, n);                                     \
		if (c->dec)                                           \
			*v = (type)x;                                 \
	}
C_BITS_T(c_bits8, uint8_t)
C_BITS_T(c_bits16, uint16_t)
C_BITS_T(c_bits32, uint32_t)

static inline void c_enum(struct per_c *c, uint8_t *v, unsigned n, bool ext)
{
	if (c->dec)
		*v = (uint8_t)per_get_enum(&c->r, n, ext);
	else
		per_put_enum(&c->w, *v, n, ext);
}

/* The extension bit of an extensible SEQUENCE: always 0 on encode. */
static inline bool c_ext(struct per_c *c)
{
	bool e = false;

	c_bool(c, &e);
	return e;
}

/* After the root of a SEQUENCE whose extension bit was set: skip the additions (§19). */
static inline unsigned c_additions(struct per_c *c, bool ext)
{
	return c->dec && ext ? per_skip_extensions(&c->r) : 0;
}

/* OCTET STRING: encode from o->p; decode into the scratch area. */
static inline void c_octets(struct per_c *c, struct rrc_octets *o)
{
	if (!c->dec) {
		if (o->len && !o->p)
			c_fail(c, L2_EINVAL);
		else
			per_put_octets(&c->w, o->p, o->len);
		return;
	}
	{
		uint8_t *dst = c->scratch + c->scratch_used;
		size_t n = per_get_octets(&c->r, dst, c->scratch_cap - c->scratch_used);

		o->p = dst;
		o->len = (uint16_t)n;
		c->scratch_used += n;
	}
}

/* A SEQUENCE OF count in lb..ub of which this codec stores at most `max`. */
static inline void c_count(struct per_c *c, uint8_t *n, unsigned lb, unsigned ub, unsigned max)
{
	c_u8(c, n, lb, ub);
	if (c->dec && !c_err(c) && *n > max)
		c_fail(c, L2_ENOTSUP);
	else if (!c->dec && (*n > max || *n < lb))
		c_fail(c, L2_EINVAL);
}

/* A presence bit the Rel-8 subset never sets (a field it does not hold): set means unsupported. */
static inline void c_absent(struct per_c *c)
{
	bool present = false;

	c_bool(c, &present);
	if (present)
		c_fail(c, L2_ENOTSUP);
}
