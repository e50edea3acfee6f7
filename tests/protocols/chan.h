/* SPDX-License-Identifier: BSD-2-Clause */
/* A seeded channel model for layer-2 tests: loss, duplication and reordering by random delay. */
#pragma once

#include <stdint.h>

#include "l2/buf.h"

#define CHAN_MAX 4096

struct chan {
	uint64_t rng;
	unsigned loss_pct, dup_pct;
	uint32_t delay_ms, jitter_ms;
	unsigned n;
	struct {
		uint32_t at;
		struct l2_buf *b;
	} q[CHAN_MAX];
	uint32_t sent, lost, duplicated;
};

static inline uint32_t chan_rand(struct chan *c)
{
	uint64_t z = (c->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) >> 16);
}

static inline void chan_init(struct chan *c, uint64_t seed, unsigned loss_pct, unsigned dup_pct,
			     uint32_t delay_ms, uint32_t jitter_ms)
{
	memset(c, 0, sizeof(*c));
	c->rng = seed;
	c->loss_pct = loss_pct;
	c->dup_pct = dup_pct;
	c->delay_ms = delay_ms;
	c->jitter_ms = jitter_ms;
}

static inline void chan_put(struct chan *c, struct l2_buf *b, uint32_t now)
{
	c->sent++;
	if (chan_rand(c) % 100 < c->loss_pct || c->n + 2 > CHAN_MAX) {
		c->lost++;
		l2_buf_free(b);
		return;
	}
	if (chan_rand(c) % 100 < c->dup_pct) {
		struct l2_buf *d = l2_buf_from(b->pool, l2_buf_data(b), b->len);

		if (d) {
			c->duplicated++;
			c->q[c->n].at = now + c->delay_ms + chan_rand(c) % (c->jitter_ms + 1);
			c->q[c->n++].b = d;
		}
	}
	c->q[c->n].at = now + c->delay_ms + chan_rand(c) % (c->jitter_ms + 1);
	c->q[c->n++].b = b;
}

/* The earliest PDU due at `now` (ties in arrival order), or NULL. */
static inline struct l2_buf *chan_get(struct chan *c, uint32_t now)
{
	unsigned i, best = c->n;
	struct l2_buf *b;

	for (i = 0; i < c->n; i++)
		if ((int32_t)(now - c->q[i].at) >= 0 &&
		    (best == c->n || (int32_t)(c->q[i].at - c->q[best].at) < 0))
			best = i;
	if (best == c->n)
		return NULL;
	b = c->q[best].b;
	memmove(&c->q[best], &c->q[best + 1], (c->n - best - 1) * sizeof(c->q[0]));
	c->n--;
	return b;
}

static inline void chan_purge(struct chan *c)
{
	while (c->n)
		l2_buf_free(c->q[--c->n].b);
}
