/* SPDX-License-Identifier: BSD-2-Clause */
/* eNB HARQ: DL processes with feedback, RTT and a transmission limit; synchronous UL processes. */
#include <string.h>

#include "harq.h"
#include "l2/env.h"

void harq_dl_init(struct harq_dl *h, uint8_t max_tx, uint8_t *store, uint32_t tb_cap)
{
	unsigned i;

	memset(h, 0, sizeof(*h));
	h->max_tx = max_tx ? max_tx : 4;
	for (i = 0; i < HARQ_PROCS; i++)
		h->p[i].tb = store + (size_t)i * tb_cap;
	harq_dl_reset(h);
}

void harq_dl_reset(struct harq_dl *h)
{
	unsigned i;

	for (i = 0; i < HARQ_PROCS; i++) {
		uint8_t *tb = h->p[i].tb;

		memset(&h->p[i], 0, sizeof(h->p[i]));
		h->p[i].tb = tb;
		/* Far enough in the past that every process is free at once. */
		h->p[i].sent_sf = (uint32_t)-HARQ_RTT;
	}
}

int harq_dl_retx_due(const struct harq_dl *h, uint32_t sf)
{
	int best = -1;
	unsigned i;

	for (i = 0; i < HARQ_PROCS; i++) {
		const struct harq_dl_proc *p = &h->p[i];

		if (p->state != HARQ_DL_RETX || (int32_t)(sf - p->sent_sf) < HARQ_RTT)
			continue;
		if (best < 0 || (int32_t)(p->sent_sf - h->p[best].sent_sf) < 0)
			best = (int)i;
	}
	return best;
}

int harq_dl_free(const struct harq_dl *h, uint32_t sf)
{
	unsigned i;

	for (i = 0; i < HARQ_PROCS; i++)
		if (h->p[i].state == HARQ_DL_FREE && (int32_t)(sf - h->p[i].sent_sf) >= HARQ_RTT)
			return (int)i;
	return -1;
}

uint8_t *harq_dl_new(struct harq_dl *h, int pid, uint32_t sf, uint16_t rnti, uint16_t tbs)
{
	struct harq_dl_proc *p = &h->p[pid];

	p->state = HARQ_DL_WAIT;
	p->ndi = !p->ndi;
	p->tx = 1;
	p->tbs = tbs;
	p->rnti = rnti;
	p->sent_sf = sf;
	h->stats.new_tx++;
	return p->tb;
}

void harq_dl_retx(struct harq_dl *h, int pid, uint32_t sf)
{
	struct harq_dl_proc *p = &h->p[pid];

	p->state = HARQ_DL_WAIT;
	p->tx++;
	p->sent_sf = sf;
	h->stats.retx++;
}

uint8_t harq_dl_rv(const struct harq_dl_proc *p)
{
	static const uint8_t rv[4] = {0, 2, 3, 1};

	return rv[(p->tx ? p->tx - 1u : 0u) % 4u];
}

static void harq_dl_nack(struct harq_dl *h, struct harq_dl_proc *p)
{
	if (p->tx >= h->max_tx) {
		p->state = HARQ_DL_FREE; /* maximum reached: the TB is dropped */
		h->stats.drops++;
	} else {
		p->state = HARQ_DL_RETX;
	}
}

int harq_dl_feedback(struct harq_dl *h, int pid, uint32_t sf, bool ack)
{
	struct harq_dl_proc *p;

	if (pid < 0 || pid >= HARQ_PROCS || h->p[pid].state != HARQ_DL_WAIT ||
	    h->p[pid].sent_sf != sf) {
		h->stats.unexpected++;
		return L2_ESTALE;
	}
	p = &h->p[pid];
	if (ack) {
		p->state = HARQ_DL_FREE;
		h->stats.acks++;
	} else {
		h->stats.nacks++;
		harq_dl_nack(h, p);
	}
	return 0;
}

void harq_dl_end(struct harq_dl *h, uint32_t sf)
{
	unsigned i;

	for (i = 0; i < HARQ_PROCS; i++) {
		struct harq_dl_proc *p = &h->p[i];

		if (p->state == HARQ_DL_WAIT && p->sent_sf == sf) {
			h->stats.dtx++;
			harq_dl_nack(h, p);
		}
	}
}

unsigned harq_dl_busy(const struct harq_dl *h)
{
	unsigned i, n = 0;

	for (i = 0; i < HARQ_PROCS; i++)
		n += h->p[i].state != HARQ_DL_FREE;
	return n;
}

void harq_ul_init(struct harq_ul *h, uint8_t max_tx)
{
	memset(h, 0, sizeof(*h));
	h->max_tx = max_tx ? max_tx : 4;
}

void harq_ul_reset(struct harq_ul *h)
{
	unsigned i;

	for (i = 0; i < HARQ_PROCS; i++) {
		bool ndi = h->p[i].ndi;

		memset(&h->p[i], 0, sizeof(h->p[i]));
		h->p[i].ndi = ndi;
	}
}

bool harq_ul_retx_due(const struct harq_ul *h, uint32_t sf)
{
	return h->p[harq_ul_pid(sf)].retx_due;
}

bool harq_ul_grant(struct harq_ul *h, uint32_t sf, uint16_t rnti, uint16_t tbs, bool msg3,
		   uint16_t *out_tbs, uint8_t *pid, bool *ndi)
{
	struct harq_ul_proc *p = &h->p[harq_ul_pid(sf)];
	bool retx = p->retx_due;

	if (retx) {
		p->retx_due = false;
		p->tx++;
		h->stats.retx++;
	} else {
		p->ndi = !p->ndi;
		p->tx = 1;
		p->tbs = tbs;
		p->rnti = rnti;
		p->msg3 = msg3;
		p->first_sf = sf;
		h->stats.new_tx++;
	}
	p->expect = true;
	p->received = false;
	p->ack = false;
	*out_tbs = p->tbs;
	*pid = (uint8_t)harq_ul_pid(sf);
	*ndi = p->ndi;
	return retx;
}

int harq_ul_rx(struct harq_ul *h, uint32_t sf, uint16_t rnti, uint8_t pid, uint16_t tbs,
	       bool crc_ok)
{
	struct harq_ul_proc *p = &h->p[harq_ul_pid(sf)];

	if (!p->expect || p->received || pid != harq_ul_pid(sf) || rnti != p->rnti ||
	    tbs != p->tbs) {
		h->stats.unexpected++;
		return L2_ESTALE;
	}
	p->received = true;
	p->ack = crc_ok;
	return 0;
}

bool harq_ul_end(struct harq_ul *h, uint32_t sf)
{
	struct harq_ul_proc *p = &h->p[harq_ul_pid(sf)];

	if (!p->expect)
		return false;
	p->expect = false;
	if (!p->received)
		h->stats.dtx++;
	p->rx_sf = sf;
	if (p->ack) {
		h->stats.acks++;
		p->phich_due = true;
		return false;
	}
	h->stats.nacks += p->received;
	if (p->tx >= h->max_tx) {
		h->stats.drops++; /* maxHARQ-Tx: the UE flushes it too (§5.4.2.2) */
		p->phich_due = true;
		return true;
	}
	p->retx_due = true;
	return false;
}

bool harq_ul_phich(struct harq_ul *h, uint32_t sf, uint8_t *pid, bool *ack)
{
	struct harq_ul_proc *p = &h->p[harq_ul_pid(sf - HARQ_PHICH)];

	if (!p->phich_due || p->rx_sf + HARQ_PHICH != sf)
		return false;
	p->phich_due = false;
	*pid = (uint8_t)harq_ul_pid(p->rx_sf);
	*ack = p->ack;
	return true;
}
