/* SPDX-License-Identifier: BSD-2-Clause */
/* Channel model: per-UE, per-direction TB errors from seeded draws, bursts and outages. */
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "l2/env.h"

static bool prob_ok(double p)
{
	return p >= 0 && p <= 1;
}

int chan_init(struct chan *c, const struct chan_config *cfg, unsigned n_ue)
{
	unsigned d, i;

	memset(c, 0, sizeof(*c));
	if (n_ue == 0 || cfg->n_outages > CHAN_MAX_OUTAGES)
		return L2_EINVAL;
	for (d = 0; d < 2; d++) {
		const struct chan_dir_config *dc = &cfg->dir[d];

		if (!prob_ok(dc->bler) || !prob_ok(dc->bad_bler) || !prob_ok(dc->p_gb) ||
		    !prob_ok(dc->p_bg))
			return L2_EINVAL;
		c->p_good[d] = rng_p32(dc->bler);
		c->p_bad[d] = rng_p32(dc->burst ? dc->bad_bler : dc->bler);
		c->p_gb[d] = dc->burst ? rng_p32(dc->p_gb) : 0;
		c->p_bg[d] = dc->burst ? rng_p32(dc->p_bg) : 0;
	}
	c->cfg = *cfg;
	c->n_ue = n_ue;
	c->link = calloc((size_t)n_ue * 2, sizeof(*c->link));
	if (!c->link)
		return L2_ENOMEM;
	for (i = 0; i < n_ue * 2; i++)
		rng_seed(&c->link[i].state_rng, cfg->seed, 0xc4a0000ull + i);
	return 0;
}

void chan_free(struct chan *c)
{
	free(c->link);
	c->link = NULL;
}

bool chan_in_outage(const struct chan *c, unsigned ue, enum chan_dir dir, uint32_t sf)
{
	unsigned i;

	for (i = 0; i < c->cfg.n_outages; i++) {
		const struct chan_outage *o = &c->cfg.outage[i];

		if (sf >= o->start && sf < o->end && (dir == CHAN_DL ? o->dl : o->ul) &&
		    (o->ue < 0 || (unsigned)o->ue == ue))
			return true;
	}
	return false;
}

/* Step the burst state up to and including `sf` (one draw per subframe, slept ones too). */
static void chan_step(struct chan *c, struct chan_link *l, enum chan_dir dir, uint32_t sf)
{
	while ((int32_t)(sf - l->next_sf) >= 0) {
		if (c->cfg.dir[dir].burst)
			l->bad = rng_chance(&l->state_rng, l->bad ? c->p_bg[dir] : c->p_gb[dir])
					 ? !l->bad
					 : l->bad;
		l->stats.bad_subframes += l->bad;
		l->next_sf++;
	}
}

bool chan_apply(struct chan *c, unsigned ue, enum chan_dir dir, uint32_t sf, unsigned n,
		uint8_t *bits, uint32_t len)
{
	struct chan_link *l = &c->link[ue * 2 + dir];
	uint32_t pos[5], nbits = len * 8;
	bool outage = chan_in_outage(c, ue, dir, sf);
	unsigned k, i, j;
	struct rng r;

	chan_step(c, l, dir, sf);
	l->stats.tbs++;
	/* The draws for this TB: a stream of its own, from (seed, ue, dir, sf, n). */
	rng_seed(&r, c->cfg.seed ^ ((uint64_t)sf << 20) ^ ((uint64_t)n << 52),
		 0x7b000000ull + ue * 2u + dir);
	if (!rng_chance(&r, l->bad ? c->p_bad[dir] : c->p_good[dir]) && !outage)
		return false;
	if (nbits == 0)
		return false;
	l->stats.errors++;
	l->stats.outage_errors += outage;
	k = 1 + 2 * rng_below(&r, 3);
	if (k > nbits)
		k = 1;
	for (i = 0; i < k; i++) {
		/* Distinct positions, so the weight of the error stays odd. */
		do {
			pos[i] = rng_below(&r, nbits);
			for (j = 0; j < i && pos[j] != pos[i]; j++)
				;
		} while (j < i);
		bits[pos[i] / 8] ^= (uint8_t)(0x80u >> (pos[i] % 8));
	}
	l->stats.bits_flipped += k;
	return true;
}
