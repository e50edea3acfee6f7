/* SPDX-License-Identifier: BSD-2-Clause */
/* Round robin (equal PRB shares) and proportional fair scheduling of one subframe's PRBs. */
#include <stdbool.h>
#include <string.h>

#include "sched.h"

void sched_init(struct sched *s, enum sched_policy policy, unsigned n_ue)
{
	memset(s, 0, sizeof(*s));
	s->policy = policy;
	s->n_ue = n_ue > SCHED_MAX_UES ? SCHED_MAX_UES : n_ue;
}

static uint32_t prbs_for(const struct sched_req *r, uint32_t bytes)
{
	return r->bytes_per_prb ? (bytes + r->bytes_per_prb - 1u) / r->bytes_per_prb : 0;
}

/* Position of `ue` in this subframe's rotation (0 first). */
static unsigned rr_rank(const struct sched *s, unsigned ue)
{
	return s->n_ue ? (ue + s->n_ue - s->rr_next % s->n_ue) % s->n_ue : ue;
}

/* Requests in the order they are served: rotation order (RR) or metric order (PF). */
static void sched_order(const struct sched *s, const struct sched_req *r, unsigned n,
			uint8_t *order)
{
	unsigned i, j;

	for (i = 0; i < n; i++)
		order[i] = (uint8_t)i;
	/* Insertion sort: n <= SCHED_MAX_UES. */
	for (i = 1; i < n; i++) {
		for (j = i; j > 0; j--) {
			const struct sched_req *a = &r[order[j - 1]], *b = &r[order[j]];
			bool swap;

			if (s->policy == SCHED_PF) {
				/* metric = rate / average: compare a.rate * b.avg with b.rate *
				 * a.avg (average + 1 so a UE never served has the largest metric;
				 * 16-bit rates times averages below 2^40 fit 64 bits). */
				uint64_t ma = (uint64_t)a->bytes_per_prb * (s->avg[b->ue] + 1),
					 mb = (uint64_t)b->bytes_per_prb * (s->avg[a->ue] + 1);

				swap = mb > ma ||
				       (mb == ma && rr_rank(s, b->ue) < rr_rank(s, a->ue));
			} else {
				swap = rr_rank(s, b->ue) < rr_rank(s, a->ue);
			}
			if (!swap)
				break;
			order[j] = order[j - 1];
			order[j - 1] = (uint8_t)(b - r);
		}
	}
}

uint32_t sched_share(struct sched *s, struct sched_req *r, unsigned n, uint32_t prbs)
{
	uint8_t order[SCHED_MAX_UES];
	uint32_t left = prbs, want[SCHED_MAX_UES];
	unsigned i, active = 0;

	if (n > SCHED_MAX_UES)
		n = SCHED_MAX_UES;
	for (i = 0; i < n; i++) {
		r[i].prbs = r[i].bytes = 0;
		want[i] = prbs_for(&r[i], r[i].need);
		active += want[i] > 0;
	}
	sched_order(s, r, n, order);
	if (s->policy == SCHED_PF) {
		for (i = 0; i < n && left; i++) {
			struct sched_req *q = &r[order[i]];
			uint32_t give = want[order[i]] < left ? want[order[i]] : left;

			q->prbs = give;
			left -= give;
		}
	} else {
		/* Water filling: equal shares, what a UE does not need goes to the others. */
		while (left && active) {
			uint32_t share = left / active, extra = left % active;

			for (i = 0; i < n && left; i++) {
				unsigned k = order[i];
				uint32_t rest = want[k] - r[k].prbs, give;

				if (!rest)
					continue;
				give = share;
				if (extra) {
					give++;
					extra--;
				}
				if (give > rest)
					give = rest;
				if (give > left)
					give = left;
				r[k].prbs += give;
				left -= give;
				if (r[k].prbs == want[k])
					active--;
			}
		}
	}
	for (i = 0; i < n; i++) {
		uint64_t cap = (uint64_t)r[i].prbs * r[i].bytes_per_prb;

		r[i].bytes = cap < r[i].need ? (uint32_t)cap : r[i].need;
		if (r[i].ue < SCHED_MAX_UES)
			s->served[r[i].ue] += r[i].bytes;
	}
	return prbs - left;
}

void sched_served(struct sched *s, unsigned ue, uint32_t bytes)
{
	if (ue < SCHED_MAX_UES)
		s->served[ue] += bytes;
}

void sched_end_subframe(struct sched *s)
{
	unsigned i;

	for (i = 0; i < s->n_ue; i++) {
		uint32_t b = s->served[i] < (1u << 23) ? s->served[i] : (1u << 23);
		uint64_t x = (uint64_t)b << 16;

		/* avg += (x - avg) / W, in 16.16 fixed point: the same on every host. */
		if (x >= s->avg[i])
			s->avg[i] += (x - s->avg[i]) / SCHED_PF_WINDOW;
		else
			s->avg[i] -= (s->avg[i] - x) / SCHED_PF_WINDOW;
		s->served[i] = 0;
	}
	if (s->n_ue)
		s->rr_next = (s->rr_next + 1) % s->n_ue;
}
