/* SPDX-License-Identifier: BSD-2-Clause */
/* Unaligned PER primitives, ITU-T X.691 (clauses cited per function). */
#include <string.h>

#include "per.h"

void per_wr_init(struct per_wr *w, uint8_t *buf, size_t cap)
{
	w->p = buf;
	w->cap = cap;
	w->bits = 0;
	w->err = 0;
	if (cap)
		memset(buf, 0, cap);
}

void per_rd_init(struct per_rd *r, const uint8_t *buf, size_t len)
{
	r->p = buf;
	r->len = len;
	r->bits = 0;
	r->err = 0;
}

void per_wr_fail(struct per_wr *w, int err)
{
	if (!w->err)
		w->err = err;
}

void per_rd_fail(struct per_rd *r, int err)
{
	if (!r->err)
		r->err = err;
}

void per_put_bits(struct per_wr *w, uint64_t v, unsigned n)
{
	unsigned i;

	if (w->err)
		return;
	if (n > 64 || w->bits + n > w->cap * 8) {
		per_wr_fail(w, n > 64 ? L2_EINVAL : L2_EMSGSIZE);
		return;
	}
	for (i = 0; i < n; i++) {
		if ((v >> (n - 1 - i)) & 1)
			w->p[w->bits / 8] |= (uint8_t)(0x80 >> (w->bits % 8));
		w->bits++;
	}
}

uint64_t per_get_bits(struct per_rd *r, unsigned n)
{
	uint64_t v = 0;
	unsigned i;

	if (r->err)
		return 0;
	if (n > 64 || r->bits + n > r->len * 8) {
		per_rd_fail(r, L2_EPROTO);
		return 0;
	}
	for (i = 0; i < n; i++) {
		v = v << 1 | ((r->p[r->bits / 8] >> (7 - r->bits % 8)) & 1);
		r->bits++;
	}
	return v;
}

unsigned per_range_bits(uint64_t range)
{
	unsigned n = 0;

	while (n < 64 && (1ull << n) < range)
		n++;
	return n;
}

void per_put_int(struct per_wr *w, int64_t v, int64_t lb, int64_t ub)
{
	if (v < lb || v > ub) {
		per_wr_fail(w, L2_EINVAL);
		return;
	}
	per_put_bits(w, (uint64_t)(v - lb), per_range_bits((uint64_t)(ub - lb) + 1));
}

int64_t per_get_int(struct per_rd *r, int64_t lb, int64_t ub)
{
	uint64_t v = per_get_bits(r, per_range_bits((uint64_t)(ub - lb) + 1));

	if (v > (uint64_t)(ub - lb)) {
		per_rd_fail(r, L2_EPROTO);
		return lb;
	}
	return lb + (int64_t)v;
}

void per_put_enum(struct per_wr *w, unsigned v, unsigned n, bool ext)
{
	if (ext)
		per_put_bits(w, 0, 1);
	per_put_int(w, v, 0, (int64_t)n - 1);
}

unsigned per_get_enum(struct per_rd *r, unsigned n, bool ext)
{
	if (ext && per_get_bool(r)) {
		per_get_nsnn(r);
		per_rd_fail(r, L2_ENOTSUP);
		return 0;
	}
	return (unsigned)per_get_int(r, 0, (int64_t)n - 1);
}

void per_put_choice(struct per_wr *w, unsigned idx, unsigned n, bool ext)
{
	per_put_enum(w, idx, n, ext);
}

unsigned per_get_choice(struct per_rd *r, unsigned n, bool ext)
{
	return per_get_enum(r, n, ext);
}

void per_put_len(struct per_wr *w, size_t n)
{
	if (n < 128)
		per_put_bits(w, n, 8);
	else if (n < 16384)
		per_put_bits(w, 0x8000 | n, 16);
	else
		per_wr_fail(w, L2_EMSGSIZE); /* fragmentation (§11.9.3.8) is outside the subset */
}

size_t per_get_len(struct per_rd *r)
{
	if (!per_get_bool(r))
		return (size_t)per_get_bits(r, 7);
	if (!per_get_bool(r))
		return (size_t)per_get_bits(r, 14);
	per_rd_fail(r, L2_ENOTSUP);
	return 0;
}

void per_put_octets(struct per_wr *w, const uint8_t *v, size_t n)
{
	size_t i;

	per_put_len(w, n);
	for (i = 0; i < n && !w->err; i++)
		per_put_bits(w, v[i], 8);
}

size_t per_get_octets(struct per_rd *r, uint8_t *out, size_t cap)
{
	size_t n = per_get_len(r), i;

	if (r->err)
		return 0;
	if (n > cap) {
		per_rd_fail(r, L2_EMSGSIZE);
		return 0;
	}
	if (n * 8 > r->len * 8 - r->bits) {
		per_rd_fail(r, L2_EPROTO);
		return 0;
	}
	for (i = 0; i < n; i++)
		out[i] = (uint8_t)per_get_bits(r, 8);
	return n;
}

void per_put_nsnn(struct per_wr *w, unsigned n)
{
	if (n < 64) {
		per_put_bits(w, n, 7);
	} else {
		per_put_bits(w, 1, 1);
		per_put_len(w, 1);
		per_put_bits(w, n, 8);
	}
}

unsigned per_get_nsnn(struct per_rd *r)
{
	size_t n;

	if (!per_get_bool(r))
		return (unsigned)per_get_bits(r, 6);
	/* §11.6: a semi-constrained whole number, length in octets then the value. */
	n = per_get_len(r);
	if (n == 0 || n > 4) {
		per_rd_fail(r, L2_EPROTO);
		return 0;
	}
	return (unsigned)per_get_bits(r, (unsigned)n * 8);
}

unsigned per_skip_extensions(struct per_rd *r)
{
	unsigned n = per_get_nsnn(r) + 1, i, present = 0;
	uint64_t map;

	if (n > 64) {
		per_rd_fail(r, L2_ENOTSUP);
		return 0;
	}
	map = per_get_bits(r, n);
	for (i = 0; i < n && !r->err; i++) {
		if (!((map >> (n - 1 - i)) & 1))
			continue;
		size_t len = per_get_len(r);

		if (r->err)
			break;
		if (len * 8 > r->len * 8 - r->bits) {
			per_rd_fail(r, L2_EPROTO);
			break;
		}
		r->bits += len * 8;
		present++;
	}
	return present;
}

size_t per_wr_finish(struct per_wr *w)
{
	if (w->err)
		return 0;
	return (w->bits + 7) / 8;
}
