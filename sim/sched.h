/* SPDX-License-Identifier: BSD-2-Clause */
/* The eNB's per-subframe resource scheduler: round robin or proportional fair over PRBs. */
#pragma once

#include <stdint.h>

#define SCHED_MAX_UES	16
#define SCHED_PF_WINDOW 100 /* subframes: time constant of the PF throughput average */

enum sched_policy {
	SCHED_RR = 0, /* equal PRB shares, the start of the rotation moving every subframe */
	SCHED_PF = 1, /* highest (achievable rate / average served rate) first */
};

/* One UE asking for resources in one direction of one subframe. */
struct sched_req {
	uint16_t ue;		/* index below SCHED_MAX_UES */
	uint16_t bytes_per_prb; /* what one PRB carries for this UE (its channel quality) */
	uint32_t need;		/* bytes wanted (already capped by the caller) */
	uint32_t prbs;		/* out: PRBs allocated */
	uint32_t bytes;		/* out: bytes granted, min(need, prbs * bytes_per_prb) */
};

/* Per direction: the rotation and the PF averages (bytes per subframe, 16.16 fixed point). */
struct sched {
	enum sched_policy policy;
	unsigned n_ue;
	unsigned rr_next;
	uint64_t avg[SCHED_MAX_UES];
	uint32_t served[SCHED_MAX_UES]; /* bytes granted this subframe, for the average */
};

void sched_init(struct sched *s, enum sched_policy policy, unsigned n_ue);

/*
 * Share `prbs` among the `n` requests (each UE at most once): fills prbs and bytes of each.
 * Returns the PRBs used. Requests with need 0 get nothing.
 */
uint32_t sched_share(struct sched *s, struct sched_req *r, unsigned n, uint32_t prbs);

/* Add bytes served to `ue` outside sched_share (retransmissions, RA messages). */
void sched_served(struct sched *s, unsigned ue, uint32_t bytes);

/* End of a subframe: fold this subframe's served bytes into the PF averages, move the
 * round-robin start on. */
void sched_end_subframe(struct sched *s);
