/* SPDX-License-Identifier: BSD-2-Clause */
/* Unaligned PER (ITU-T X.691, the BASIC-PER UNALIGNED variant TS 36.331 §8.1 uses): bit reader and writer. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2/env.h"

/* A writer; the first error sticks (L2_EMSGSIZE when out of room, L2_EINVAL for a bad value). */
struct per_wr {
	uint8_t *p;
	size_t cap;  /* bytes */
	size_t bits; /* written */
	int err;
};

/* A reader; the first error sticks (L2_EPROTO past the end or out of range, L2_ENOTSUP). */
struct per_rd {
	const uint8_t *p;
	size_t len;  /* bytes */
	size_t bits; /* read */
	int err;
};

void per_wr_init(struct per_wr *w, uint8_t *buf, size_t cap);
void per_rd_init(struct per_rd *r, const uint8_t *buf, size_t len);

/* Record an error (the first one wins). */
void per_wr_fail(struct per_wr *w, int err);
void per_rd_fail(struct per_rd *r, int err);

void per_put_bits(struct per_wr *w, uint64_t v, unsigned n); /* n <= 64, msb first */
uint64_t per_get_bits(struct per_rd *r, unsigned n);

static inline void per_put_bool(struct per_wr *w, bool v)
{
	per_put_bits(w, v, 1);
}

static inline bool per_get_bool(struct per_rd *r)
{
	return per_get_bits(r, 1) != 0;
}

/* Bits of a constrained whole number of range `range` (X.691 §11.5.7.1). */
unsigned per_range_bits(uint64_t range);

/* Constrained whole number lb..ub (§11.5.7); out of range is L2_EINVAL / L2_EPROTO. */
void per_put_int(struct per_wr *w, int64_t v, int64_t lb, int64_t ub);
int64_t per_get_int(struct per_rd *r, int64_t lb, int64_t ub);

/* ENUMERATED with n root values (§14); an extensible one has an extension bit. */
void per_put_enum(struct per_wr *w, unsigned v, unsigned n, bool ext);
/* An extension value (unknown to this codec) is L2_ENOTSUP. */
unsigned per_get_enum(struct per_rd *r, unsigned n, bool ext);

/* CHOICE index among n root alternatives (§23); same extension rule. */
void per_put_choice(struct per_wr *w, unsigned idx, unsigned n, bool ext);
unsigned per_get_choice(struct per_rd *r, unsigned n, bool ext);

/* Unconstrained length determinant (§11.9.3.6-7): < 128 in 8 bits, < 16384 in 16 bits. */
void per_put_len(struct per_wr *w, size_t n);
size_t per_get_len(struct per_rd *r);

/* OCTET STRING without a size constraint (§17.8): length determinant then the octets. */
void per_put_octets(struct per_wr *w, const uint8_t *v, size_t n);
/* Read into `out` (cap octets); returns the length. */
size_t per_get_octets(struct per_rd *r, uint8_t *out, size_t cap);

/* Normally small non-negative whole number (§11.6). */
void per_put_nsnn(struct per_wr *w, unsigned n);
unsigned per_get_nsnn(struct per_rd *r);

/*
 * The extension additions of an extensible SEQUENCE whose extension bit was 1 (§19.7-9):
 * the bitmap length and bitmap, then every present addition as an open type, skipped.
 * Returns how many were present (each is unknown to a Rel-8 decoder, so ignored).
 */
unsigned per_skip_extensions(struct per_rd *r);

/* Pad to a whole octet with zero bits and return the length in octets (§10.1.3). */
size_t per_wr_finish(struct per_wr *w);
