/* SPDX-License-Identifier: BSD-2-Clause */
/* The radio channel: seeded transport-block errors (i.i.d. or Gilbert-Elliott bursts) and outages. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "rng.h"

#define CHAN_MAX_OUTAGES 8

enum chan_dir {
	CHAN_DL = 0,
	CHAN_UL = 1,
};

/*
 * One direction. Without bursts every TB fails with probability `bler`. With bursts the
 * direction of each UE is a two-state Markov chain stepped once per subframe (Gilbert-
 * Elliott): in the good state a TB fails with `bler`, in the bad state with `bad_bler`;
 * p_gb and p_bg are the per-subframe probabilities of going bad and of recovering (mean
 * burst 1 / p_bg subframes, share of time bad p_gb / (p_gb + p_bg)).
 */
struct chan_dir_config {
	double bler;
	bool burst;
	double bad_bler, p_gb, p_bg;
};

/* Subframes [start, end) in which every TB of the chosen directions fails (all UEs, or one). */
struct chan_outage {
	uint32_t start, end;
	bool dl, ul;
	int ue; /* -1: every UE */
};

struct chan_config {
	uint64_t seed;
	struct chan_dir_config dir[2];
	struct chan_outage outage[CHAN_MAX_OUTAGES];
	unsigned n_outages;
};

struct chan_stats {
	uint32_t tbs, errors, outage_errors, bits_flipped, bad_subframes;
};

/* The channel of one UE in one direction. */
struct chan_link {
	struct rng state_rng; /* steps the burst state, one draw per subframe */
	bool bad;
	uint32_t next_sf; /* first subframe the state has not been stepped into */
	struct chan_stats stats;
};

struct chan {
	struct chan_config cfg;
	uint32_t p_good[2], p_bad[2], p_gb[2], p_bg[2]; /* probabilities as rng_chance takes */
	unsigned n_ue;
	struct chan_link *link; /* n_ue * 2, UE-major */
};

/* 0, L2_EINVAL for probabilities outside [0, 1], or L2_ENOMEM. */
int chan_init(struct chan *c, const struct chan_config *cfg, unsigned n_ue);
void chan_free(struct chan *c);

/*
 * The fate of the `n`-th TB (0, 1, ...) that UE `ue` sends or receives in direction `dir` in
 * subframe `sf`: when it fails, an odd number of bits (1, 3 or 5) is flipped in `bits`, the
 * TB followed by its CRC parity (`len` bytes), so the receiver's CRC24A check fails (every
 * odd-weight error is detected: gCRC24A has the factor D + 1, TS 36.212 §5.1.1). Returns
 * true when the TB was corrupted. The result depends on (seed, ue, dir, sf, n) and the
 * burst state at sf only, not on what else was sent: two UE implementations with different
 * traffic see the same radio.
 */
bool chan_apply(struct chan *c, unsigned ue, enum chan_dir dir, uint32_t sf, unsigned n,
		uint8_t *bits, uint32_t len);

/* Whether `sf` is inside an outage for `ue` and `dir`. */
bool chan_in_outage(const struct chan *c, unsigned ue, enum chan_dir dir, uint32_t sf);

static inline const struct chan_stats *chan_stats(const struct chan *c, unsigned ue,
						  enum chan_dir dir)
{
	return &c->link[ue * 2 + dir].stats;
}
