/* SPDX-License-Identifier: BSD-2-Clause */
/* MAC HARQ entities (TS 36.321 §5.3.2, §5.4.2) and logical channel prioritisation (§5.4.3.1). */
#include <string.h>

#include "l2/mac.h"

bool mac_harq_dl_rx(struct mac_harq_dl *h, uint8_t pid, bool ndi, bool crc_ok, bool *deliver)
{
	*deliver = false;
	if (pid >= MAC_HARQ_PROCS)
		return false;
	/* §5.3.2.2: a toggled NDI (or the first TB of the process) is a new transmission. */
	if (!h->p[pid].used || h->p[pid].ndi != ndi) {
		h->p[pid].used = true;
		h->p[pid].ndi = ndi;
		h->p[pid].decoded = false;
	} else if (h->p[pid].decoded) {
		/* A retransmission of data already decoded: acknowledge, do not deliver again. */
		h->duplicates++;
		return true;
	}
	if (!crc_ok) {
		h->nacks++;
		return false;
	}
	h->p[pid].decoded = true;
	h->delivered++;
	*deliver = true;
	return true;
}

void mac_harq_ul_init(struct mac_harq_ul *h, uint32_t max_tx)
{
	memset(h, 0, sizeof(*h));
	h->max_tx = max_tx ? max_tx : 4;
}

static void mac_harq_ul_flush(struct mac_harq_ul *h, uint8_t pid)
{
	l2_buf_free(h->p[pid].tb);
	h->p[pid].tb = NULL;
	h->p[pid].nack = false;
	h->p[pid].tx_nb = 0;
}

struct l2_buf *mac_harq_ul_grant(struct mac_harq_ul *h, uint8_t pid, bool ndi,
				 struct l2_buf *new_tb)
{
	if (pid >= MAC_HARQ_PROCS) {
		l2_buf_free(new_tb);
		return NULL;
	}
	/* §5.4.2.1: NDI toggled (or an empty buffer): a new transmission. */
	if (h->p[pid].ndi != ndi || !h->p[pid].tb) {
		mac_harq_ul_flush(h, pid);
		h->p[pid].ndi = ndi;
		if (!new_tb)
			return NULL;
		h->p[pid].tb = new_tb;
		h->p[pid].tx_nb = 1;
		return new_tb;
	}
	/* Adaptive retransmission. */
	l2_buf_free(new_tb);
	if (h->p[pid].tx_nb >= h->max_tx) {
		mac_harq_ul_flush(h, pid);
		h->flushed++;
		return NULL;
	}
	h->p[pid].tx_nb++;
	h->p[pid].nack = false;
	return h->p[pid].tb;
}

void mac_harq_ul_feedback(struct mac_harq_ul *h, uint8_t pid, bool ack)
{
	if (pid >= MAC_HARQ_PROCS || !h->p[pid].tb)
		return;
	h->p[pid].nack = !ack;
	/* §5.4.2.2: at maxHARQ-Tx the buffer is flushed whatever the feedback. */
	if (!ack && h->p[pid].tx_nb >= h->max_tx) {
		mac_harq_ul_flush(h, pid);
		h->flushed++;
	}
}

struct l2_buf *mac_harq_ul_tti(struct mac_harq_ul *h, uint8_t pid)
{
	if (pid >= MAC_HARQ_PROCS || !h->p[pid].tb || !h->p[pid].nack)
		return NULL;
	/* Non-adaptive retransmission on NACK. */
	h->p[pid].tx_nb++;
	h->p[pid].nack = false;
	return h->p[pid].tb;
}

void mac_harq_ul_release(struct mac_harq_ul *h)
{
	uint8_t i;

	for (i = 0; i < MAC_HARQ_PROCS; i++)
		mac_harq_ul_flush(h, i);
}

void mac_lcp_tti(struct mac_lch *ch, unsigned n, uint32_t tti_ms)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		int64_t bucket;

		if (ch[i].pbr == MAC_PBR_INFINITY)
			continue;
		bucket = (int64_t)ch[i].pbr * ch[i].bsd_ms / 1000;
		ch[i].bj += (int64_t)ch[i].pbr * tti_ms / 1000;
		if (ch[i].bj > bucket)
			ch[i].bj = bucket;
	}
}

/* Channel indices in decreasing priority (priority 1 first); ties keep their order. */
static void mac_lcp_order(const struct mac_lch *ch, unsigned n, uint8_t *order)
{
	unsigned i, j;

	for (i = 0; i < n; i++)
		order[i] = (uint8_t)i;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && ch[order[j - 1]].priority > ch[order[j]].priority; j--) {
			uint8_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
}

static bool mac_lcp_take(struct mac_lch *c, struct mac_pdu_writer *w, uint32_t max,
			 struct l2_buf **pdus, unsigned *np, unsigned max_pdus, uint32_t *served)
{
	struct l2_buf *b;

	if (*np == max_pdus || max == 0)
		return false;
	b = c->tx_pdu(c->ctx, max);
	if (!b)
		return false;
	if (mac_pdu_add(w, c->lcid, l2_buf_data(b), b->len) < 0) {
		l2_buf_free(b); /* cannot happen: RLC honoured `max` */
		return false;
	}
	pdus[(*np)++] = b;
	*served += b->len;
	return true;
}

unsigned mac_lcp_fill(struct mac_lch *ch, unsigned n, struct mac_pdu_writer *w,
		      struct l2_buf **pdus, unsigned max_pdus)
{
	uint8_t order[32];
	unsigned i, np = 0;

	if (n > 32)
		n = 32;
	mac_lcp_order(ch, n, order);
	/* Step 1: channels with Bj > 0, up to Bj (all their data for an infinite PBR). */
	for (i = 0; i < n; i++) {
		struct mac_lch *c = &ch[order[i]];
		uint32_t room = mac_pdu_room(w), served = 0, max;

		if (c->pbr != MAC_PBR_INFINITY && c->bj <= 0)
			continue;
		max = c->pbr == MAC_PBR_INFINITY || c->bj >= room ? room : (uint32_t)c->bj;
		mac_lcp_take(c, w, max, pdus, &np, max_pdus, &served);
		/* Step 2: Bj -= the size of the MAC SDUs served. */
		if (c->pbr != MAC_PBR_INFINITY)
			c->bj -= served;
	}
	/* Step 3: what is left goes in strict priority order, Bj regardless. */
	for (i = 0; i < n; i++) {
		struct mac_lch *c = &ch[order[i]];
		uint32_t served = 0;

		while (mac_pdu_room(w) > 0 &&
		       mac_lcp_take(c, w, mac_pdu_room(w), pdus, &np, max_pdus, &served))
			;
	}
	return np;
}
