/* SPDX-License-Identifier: BSD-2-Clause */
/* RLC acknowledged mode (TS 36.322 §5.1.3, §5.2): ARQ, polling, STATUS, re-segmentation. */
#include <string.h>

#include "rlc_internal.h"

#define AM_FIXED     2 /* AMD PDU header without LIs */
#define AM_SEG_FIXED 4 /* AMD PDU segment header without LIs */
/* The transmitting window this entity uses: AM_Window_Size bounded by its PDU store. */
#define AM_TX_WINDOW (RLC_AM_TX_SLOTS < RLC_AM_WINDOW ? RLC_AM_TX_SLOTS : RLC_AM_WINDOW)

static uint16_t sn_add(uint16_t sn, uint32_t n)
{
	return (uint16_t)((sn + n) % RLC_AM_SN_MOD);
}

/* SN relative to VT(A) on the transmitting side and to VR(R) on the receiving side (§7.1). */
static uint16_t tx_mod(const struct rlc_am *e, uint16_t sn)
{
	return (uint16_t)((sn - e->vt_a + RLC_AM_SN_MOD) % RLC_AM_SN_MOD);
}

static uint16_t rx_mod(const struct rlc_am *e, uint16_t sn)
{
	return (uint16_t)((sn - e->vr_r + RLC_AM_SN_MOD) % RLC_AM_SN_MOD);
}

static struct rlc_am_tx_slot *tx_slot(struct rlc_am *e, uint16_t sn)
{
	struct rlc_am_tx_slot *s = &e->tx[sn % RLC_AM_TX_SLOTS];

	return s->used && s->sn == sn ? s : NULL;
}

static struct rlc_am_rx_slot *rx_slot(struct rlc_am *e, uint16_t sn)
{
	struct rlc_am_rx_slot *s = &e->rx[sn % RLC_AM_RX_SLOTS];

	return s->used && s->sn == sn ? s : NULL;
}

int rlc_am_init(struct rlc_am *e, const struct rlc_am_config *cfg, const struct rlc_ops *ops,
		const struct l2_env *env, struct l2_pool *pool)
{
	if (!cfg || !ops || !ops->rx_sdu || !pool || cfg->max_retx_threshold == 0)
		return L2_EINVAL;
	memset(e, 0, sizeof(*e));
	rlc_common_init(&e->c, ops, env, pool, cfg->max_sdus);
	e->cfg = *cfg;
	return 0;
}

int rlc_am_tx_sdu(struct rlc_am *e, struct l2_buf *sdu)
{
	return rlc_common_tx_sdu(&e->c, sdu);
}

int rlc_am_discard_sdu(struct rlc_am *e, uint32_t tag)
{
	struct l2_queue *q = &e->c.txq.q;
	struct l2_buf *prev = NULL, *b;

	for (b = q->head; b; prev = b, b = b->next) {
		if (b->tag != tag)
			continue;
		/* §5.3: only an SDU no segment of which has been mapped to a PDU yet. */
		if (!prev && e->c.txq.head_off)
			return L2_ESTATE;
		if (prev)
			prev->next = b->next;
		else
			q->head = b->next;
		if (q->tail == b)
			q->tail = prev;
		q->count--;
		q->bytes -= b->len;
		l2_buf_free(b);
		e->c.stats.tx_discarded++;
		return 0;
	}
	return L2_EINVAL;
}

static bool am_retx_pending(const struct rlc_am *e)
{
	return e->n_retx > 0;
}

static void tx_set_retx(struct rlc_am *e, struct rlc_am_tx_slot *s, bool on)
{
	if (s->retx_pending != on)
		e->n_retx = on ? e->n_retx + 1 : e->n_retx - 1;
	s->retx_pending = on;
}

/* Reset a transmit slot field by field: the firmware's memset goes byte by byte. */
static void tx_slot_clear(struct rlc_am *e, struct rlc_am_tx_slot *s)
{
	tx_set_retx(e, s, false);
	s->pdu = NULL;
	s->sn = 0;
	s->hdr_len = 0;
	s->retx_count = 0;
	s->used = s->acked = s->ever_retx = s->has_tag = false;
	s->retx_start = s->retx_end = 0;
	s->last_tag = 0;
}

static bool am_window_stalled(const struct rlc_am *e)
{
	return tx_mod(e, e->vt_s) >= AM_TX_WINDOW;
}

uint32_t rlc_am_buffer_bytes(const struct rlc_am *e)
{
	uint32_t n = e->c.txq.q.bytes - e->c.txq.head_off;
	unsigned i, k;

	if (n)
		n += rlc_hdr_len(AM_FIXED, e->c.txq.q.count - 1);
	/* n_retx counts the slots with retx_pending: none (the usual case), no scan. */
	for (i = 0, k = 0; i < RLC_AM_TX_SLOTS && k < e->n_retx; i++)
		if (e->tx[i].used && e->tx[i].retx_pending) {
			n += (uint32_t)(e->tx[i].retx_end - e->tx[i].retx_start) + AM_SEG_FIXED;
			k++;
		}
	/* §4.5: a triggered STATUS counts only once t-StatusProhibit no longer holds it back,
	 * so a held STATUS does not hide that new data arrived in empty buffers (the MAC's
	 * regular BSR trigger, TS 36.321 §5.4.5). */
	if (e->status_triggered &&
	    (!e->t_status_prohibit.running ||
	     (int32_t)(l2_now(e->c.env) - e->t_status_prohibit.deadline) >= 0))
		n += 2 + 6u * (uint32_t)rx_mod(e, e->vr_ms) / 4;
	return n;
}

/* §5.2.2.1: set the P field of the PDU about to go out when a poll is due. */
static void am_poll(struct rlc_am *e, struct l2_buf *pdu, bool new_pdu, uint32_t data_len)
{
	bool poll = e->poll_pending;

	if (new_pdu) {
		e->pdu_without_poll++;
		e->byte_without_poll += data_len;
		if ((e->cfg.poll_pdu && e->pdu_without_poll >= e->cfg.poll_pdu) ||
		    (e->cfg.poll_byte && e->byte_without_poll >= e->cfg.poll_byte))
			poll = true;
	}
	if ((l2_queue_empty(&e->c.txq.q) && !am_retx_pending(e)) || am_window_stalled(e))
		poll = true;
	if (!poll) {
		l2_buf_data(pdu)[0] &= (uint8_t)~0x20;
		return;
	}
	l2_buf_data(pdu)[0] |= 0x20;
	e->pdu_without_poll = 0;
	e->byte_without_poll = 0;
	e->poll_pending = false;
	e->poll_sn = sn_add(e->vt_s, RLC_AM_SN_MOD - 1);
	l2_timer_start(&e->t_poll_retransmit, l2_now(e->c.env), e->cfg.t_poll_retransmit_ms);
}

/* A fresh buffer with RLC_HEADROOM; NULL (nothing sent) when the pool is empty. */
static struct l2_buf *am_alloc(struct rlc_am *e)
{
	struct l2_buf *b = l2_buf_alloc(e->c.pool);

	if (b && l2_buf_headroom(b) < RLC_HEADROOM) {
		l2_buf_free(b);
		return NULL;
	}
	return b;
}

static bool is_bound(const uint16_t *bound, unsigned nb, uint32_t off)
{
	unsigned i;

	for (i = 0; i < nb; i++)
		if (bound[i] == off)
			return true;
	return false;
}

/* Retransmit the pending part of `s` whole or as an AMD PDU segment (§5.1.3.1.2, §6.2.1.5). */
static struct l2_buf *am_tx_retx(struct rlc_am *e, struct rlc_am_tx_slot *s, uint32_t max)
{
	const uint8_t *pdu = l2_buf_data(s->pdu);
	uint32_t dlen = s->pdu->len - s->hdr_len, start = s->retx_start, end = s->retx_end;
	uint16_t bound[RLC_MAX_LI];
	struct rlc_hdr oh, h = {0};
	uint32_t take = 0, k = 0, c, i, prev;
	struct l2_buf *b;
	unsigned nb;

	rlc_am_parse(pdu, s->pdu->len, &oh);
	nb = rlc_bounds(&oh, 0, bound);
	if (start == 0 && end == dlen && s->pdu->len <= max) {
		b = am_alloc(e);
		if (!b || l2_buf_append(b, pdu, s->pdu->len) < 0) {
			l2_buf_free(b);
			return NULL;
		}
		tx_set_retx(e, s, false);
		am_poll(e, b, false, 0);
		return b;
	}
	/* Re-segment: as many bytes as fit with the LIs they need. */
	for (;;) {
		uint32_t hdr = rlc_hdr_len(AM_SEG_FIXED, k);

		if (hdr >= max)
			return NULL;
		take = end - start < max - hdr ? end - start : max - hdr;
		for (c = 0, i = 0; i < nb; i++)
			c += bound[i] > start && bound[i] < start + take;
		if (c <= k)
			break;
		k = c;
	}
	b = am_alloc(e);
	if (!b || l2_buf_append(b, pdu + s->hdr_len + start, take) < 0) {
		l2_buf_free(b);
		return NULL;
	}
	h.rf = true;
	h.sn = s->sn;
	h.so = (uint16_t)start;
	h.lsf = start + take == dlen;
	for (prev = start, i = 0; i < nb; i++)
		if (bound[i] > start && bound[i] < start + take) {
			h.li[h.n_li++] = (uint16_t)(bound[i] - prev);
			prev = bound[i];
		}
	if (start == 0 ? (oh.fi & 2) : !is_bound(bound, nb, start))
		h.fi |= 2;
	if (start + take == dlen ? (oh.fi & 1) : !is_bound(bound, nb, start + take))
		h.fi |= 1;
	rlc_am_write_hdr(l2_buf_push(b, (uint16_t)rlc_hdr_len(AM_SEG_FIXED, h.n_li)), RLC_HEADROOM,
			 &h);
	s->retx_start = (uint16_t)(start + take);
	if (s->retx_start >= end)
		tx_set_retx(e, s, false);
	am_poll(e, b, false, 0);
	return b;
}

static struct l2_buf *am_tx_new(struct rlc_am *e, uint32_t max)
{
	struct rlc_am_tx_slot *s = &e->tx[e->vt_s % RLC_AM_TX_SLOTS];
	struct rlc_hdr h = {0};
	struct l2_buf *b, *copy;
	uint32_t data, cap;

	if (l2_queue_empty(&e->c.txq.q) || am_window_stalled(e) || s->used || max <= AM_FIXED)
		return NULL;
	b = am_alloc(e);
	if (!b)
		return NULL;
	/* The whole PDU must fit one buffer: MAC's copy and retransmissions are built there. */
	cap = l2_buf_tailroom(b);
	if (max > cap)
		max = cap;
	tx_slot_clear(e, s);
	data = rlc_fill(&e->c, l2_buf_data(b), max, AM_FIXED, &h, &s->has_tag, &s->last_tag);
	l2_buf_put(b, (uint16_t)data);
	h.sn = e->vt_s;
	s->hdr_len = (uint16_t)rlc_hdr_len(AM_FIXED, h.n_li);
	rlc_am_write_hdr(l2_buf_push(b, s->hdr_len), RLC_HEADROOM, &h);
	/* The slot keeps the PDU for retransmission; MAC gets a copy. */
	copy = l2_buf_from(e->c.pool, l2_buf_data(b), b->len);
	s->pdu = b;
	s->sn = e->vt_s;
	s->used = true;
	e->vt_s = sn_add(e->vt_s, 1);
	if (!copy) {
		/* No buffer for MAC's copy: the PDU goes out later like a retransmission. */
		tx_set_retx(e, s, true);
		s->retx_start = 0;
		s->retx_end = (uint16_t)data;
		return NULL;
	}
	am_poll(e, copy, true, data);
	return copy;
}

/* STATUS PDU from VR(R) up to VR(MS) (§5.2.3, §6.2.1.6), fitting in `max` bytes. */
static struct l2_buf *am_tx_status(struct rlc_am *e, uint32_t max)
{
	struct rlc_status st;
	uint16_t sn;
	struct l2_buf *b;
	int n;

	st.n_nack = 0;
	if (max < 2)
		return NULL;
	st.ack_sn = e->vr_ms;
	for (sn = e->vr_r; sn != e->vr_ms; sn = sn_add(sn, 1)) {
		struct rlc_am_rx_slot *s = rx_slot(e, sn);
		struct rlc_nack gaps[RLC_AM_RX_SEGS + 1];
		unsigned ng = 0, i;
		uint32_t at = 0;

		if (s && s->complete)
			continue;
		if (!s || s->n_seg == 0) {
			gaps[ng++] = (struct rlc_nack){.sn = sn};
		} else {
			for (i = 0; i < s->n_seg; i++) {
				if (s->seg_start[i] > at)
					gaps[ng++] =
						(struct rlc_nack){sn, true, (uint16_t)at,
								  (uint16_t)(s->seg_start[i] - 1)};
				at = s->seg_end[i];
			}
			if (!s->len_known)
				gaps[ng++] = (struct rlc_nack){sn, true, (uint16_t)at, RLC_SO_END};
			else if (at < s->len)
				gaps[ng++] = (struct rlc_nack){sn, true, (uint16_t)at,
							       (uint16_t)(s->len - 1)};
		}
		if (st.n_nack + ng > RLC_MAX_NACKS)
			goto stop;
		memcpy(&st.nack[st.n_nack], gaps, ng * sizeof(gaps[0]));
		st.n_nack = (uint16_t)(st.n_nack + ng);
		if (rlc_status_len(&st) > max) {
			st.n_nack = (uint16_t)(st.n_nack - ng);
			goto stop;
		}
	}
	goto build;
stop:
	/* ACK_SN: the first SN not reported, so nothing unreported is acknowledged. */
	st.ack_sn = sn;
build:
	b = l2_buf_alloc(e->c.pool);
	if (!b)
		return NULL;
	n = rlc_status_write(l2_buf_data(b), l2_buf_tailroom(b), &st);
	if (n < 0) {
		l2_buf_free(b);
		return NULL;
	}
	l2_buf_put(b, (uint16_t)n);
	e->status_triggered = false;
	l2_timer_start(&e->t_status_prohibit, l2_now(e->c.env), e->cfg.t_status_prohibit_ms);
	e->c.stats.tx_status++;
	return b;
}

struct l2_buf *rlc_am_tx_pdu(struct rlc_am *e, uint32_t max_bytes)
{
	struct l2_buf *b = NULL;
	uint16_t sn;

	rlc_am_tick(e);
	if (e->status_triggered && !e->t_status_prohibit.running) {
		b = am_tx_status(e, max_bytes);
		if (b)
			return b;
	}
	for (sn = e->vt_a; sn != e->vt_s; sn = sn_add(sn, 1)) {
		struct rlc_am_tx_slot *s = tx_slot(e, sn);

		if (s && s->retx_pending) {
			b = am_tx_retx(e, s, max_bytes);
			if (b)
				e->c.stats.tx_retx_pdus++;
			break;
		}
	}
	if (!b)
		b = am_tx_new(e, max_bytes);
	if (b) {
		e->c.stats.tx_pdus++;
		e->c.stats.tx_bytes += b->len;
	}
	return b;
}

/* §5.2.1: a NACKed PDU (or part) is considered for retransmission; RETX_COUNT and RLF. */
static void am_consider_retx(struct rlc_am *e, struct rlc_am_tx_slot *s, uint32_t start,
			     uint32_t end)
{
	uint32_t dlen = s->pdu->len - s->hdr_len;

	if (end > dlen)
		end = dlen;
	if (start >= end)
		return;
	if (!s->ever_retx) {
		s->ever_retx = true;
		s->retx_count = 0;
	} else if (!s->retx_pending) {
		s->retx_count++;
	}
	if (s->retx_pending) {
		if (start < s->retx_start)
			s->retx_start = (uint16_t)start;
		if (end > s->retx_end)
			s->retx_end = (uint16_t)end;
	} else {
		tx_set_retx(e, s, true);
		s->retx_start = (uint16_t)start;
		s->retx_end = (uint16_t)end;
	}
	if (s->retx_count >= e->cfg.max_retx_threshold && !e->rlf) {
		e->rlf = true;
		l2_log(e->c.env, L2_LOG_ERROR, "rlc_max_retx", s->sn, (int32_t)s->retx_count);
		if (e->c.ops->max_retx)
			e->c.ops->max_retx(e->c.ops->ctx, s->sn);
	}
}

static void am_advance_vt_a(struct rlc_am *e)
{
	while (e->vt_a != e->vt_s) {
		struct rlc_am_tx_slot *s = tx_slot(e, e->vt_a);

		if (s && !s->acked)
			break;
		if (s) {
			if (s->has_tag && e->c.ops->tx_delivered)
				e->c.ops->tx_delivered(e->c.ops->ctx, s->last_tag);
			l2_buf_free(s->pdu);
			tx_slot_clear(e, s);
		}
		e->vt_a = sn_add(e->vt_a, 1);
	}
}

static int am_rx_status(struct rlc_am *e, struct l2_buf *pdu)
{
	struct rlc_status st;
	uint16_t sn, prev = 0;
	unsigned i, k = 0;

	if (rlc_status_parse(l2_buf_data(pdu), pdu->len, &st) < 0)
		goto malformed;
	/* ACK_SN within [VT(A), VT(S)], NACK_SNs ascending below ACK_SN (§5.2.1). */
	if (tx_mod(e, st.ack_sn) > tx_mod(e, e->vt_s))
		goto malformed;
	for (i = 0; i < st.n_nack; i++) {
		uint16_t m = tx_mod(e, st.nack[i].sn);

		if (m >= tx_mod(e, st.ack_sn) || (i && m < prev))
			goto malformed;
		prev = m;
	}
	e->c.stats.rx_status++;
	l2_buf_free(pdu);
	if (e->t_poll_retransmit.running && tx_mod(e, e->poll_sn) < tx_mod(e, st.ack_sn))
		l2_timer_stop(&e->t_poll_retransmit);
	for (sn = e->vt_a; sn != st.ack_sn; sn = sn_add(sn, 1)) {
		struct rlc_am_tx_slot *s = tx_slot(e, sn);
		bool nacked = false;

		while (k < st.n_nack && st.nack[k].sn == sn) {
			const struct rlc_nack *n = &st.nack[k++];

			nacked = true;
			if (s && !s->acked)
				am_consider_retx(e, s, n->has_so ? n->so_start : 0,
						 !n->has_so || n->so_end == RLC_SO_END
							 ? 0xffffu
							 : (uint32_t)n->so_end + 1);
		}
		if (!nacked && s) {
			s->acked = true;
			tx_set_retx(e, s, false);
		}
	}
	am_advance_vt_a(e);
	return 0;
malformed:
	e->c.stats.rx_malformed++;
	l2_buf_free(pdu);
	return L2_EPROTO;
}

/* Insert [start, end) into the sorted, merged list of received byte ranges. */
static int rx_add_range(struct rlc_am_rx_slot *s, uint16_t start, uint16_t end)
{
	uint16_t ns[RLC_AM_RX_SEGS + 1], ne[RLC_AM_RX_SEGS + 1];
	unsigned i, n = 0;
	bool placed = false;

	for (i = 0; i <= s->n_seg; i++) {
		uint16_t a, b;

		if (i < s->n_seg && (placed || s->seg_start[i] < start)) {
			a = s->seg_start[i];
			b = s->seg_end[i];
		} else if (!placed) {
			a = start;
			b = end;
			placed = true;
			i--;
		} else {
			break;
		}
		if (n && a <= ne[n - 1]) {
			if (b > ne[n - 1])
				ne[n - 1] = b;
		} else {
			ns[n] = a;
			ne[n] = b;
			n++;
		}
	}
	if (n > RLC_AM_RX_SEGS)
		return L2_ENOMEM;
	memcpy(s->seg_start, ns, n * sizeof(ns[0]));
	memcpy(s->seg_end, ne, n * sizeof(ne[0]));
	s->n_seg = (uint8_t)n;
	return 0;
}

static bool rx_covered(const struct rlc_am_rx_slot *s, uint32_t start, uint32_t end)
{
	unsigned i;

	for (i = 0; i < s->n_seg; i++)
		if (s->seg_start[i] <= start && s->seg_end[i] >= end)
			return true;
	return false;
}

static int rx_add_bound(struct rlc_am_rx_slot *s, uint32_t off)
{
	unsigned i;

	for (i = 0; i < s->n_bound; i++)
		if (s->bound[i] == off)
			return 0;
	if (s->n_bound == RLC_MAX_LI)
		return L2_ENOMEM;
	/* Keep them sorted for reassembly. */
	for (i = s->n_bound; i > 0 && s->bound[i - 1] > off; i--)
		s->bound[i] = s->bound[i - 1];
	s->bound[i] = (uint16_t)off;
	s->n_bound++;
	return 0;
}

/* Field by field (see tx_slot_clear); the range and boundary arrays are dead when empty. */
static void rx_slot_free(struct rlc_am_rx_slot *s)
{
	l2_buf_free(s->data);
	s->data = NULL;
	s->sn = 0;
	s->used = s->len_known = s->complete = false;
	s->fi_first = s->fi_last = 0;
	s->len = 0;
	s->n_seg = s->n_bound = 0;
}

/* Place a PDU or segment into its slot (§5.1.3.2.2); 0 or why it was dropped. */
static int am_rx_place(struct rlc_am *e, const struct rlc_hdr *h, const uint8_t *data,
		       uint32_t dlen)
{
	struct rlc_am_rx_slot *s = &e->rx[h->sn % RLC_AM_RX_SLOTS];
	uint32_t so = h->rf ? h->so : 0, end = so + dlen, i;
	bool last = !h->rf || h->lsf, fresh = !s->used;
	uint16_t bound[RLC_MAX_LI];
	unsigned nb, extra;

	if (s->used && s->sn != h->sn)
		return L2_ENOMEM;
	if (s->used && (s->complete || rx_covered(s, so, end)))
		return L2_ESTALE;
	if (s->used && s->len_known && (end > s->len || (last && end != s->len)))
		return L2_EPROTO;
	if (s->used && last && s->n_seg && s->seg_end[s->n_seg - 1] > end)
		return L2_EPROTO;
	/* Room for every boundary this segment adds (its LIs, maybe its start and end). */
	extra = h->n_li + (so > 0 && !(h->fi & 2)) + (!last && !(h->fi & 1));
	if ((s->used ? s->n_bound : 0) + extra > RLC_MAX_LI)
		return L2_ENOMEM;
	if (fresh) {
		s->data = l2_buf_alloc(e->c.pool);
		if (!s->data)
			return L2_ENOMEM;
		s->used = true;
		s->sn = h->sn;
	}
	if (end > (uint32_t)s->data->cap - s->data->off ||
	    rx_add_range(s, (uint16_t)so, (uint16_t)end) < 0) {
		if (fresh)
			rx_slot_free(s);
		return L2_ENOMEM;
	}
	/* From here nothing fails: the checks above reserved the room. */
	nb = rlc_bounds(h, (uint16_t)so, bound);
	for (i = 0; i < nb; i++)
		rx_add_bound(s, bound[i]);
	/* A segment that starts or ends an SDU inside the PDU marks a boundary too. */
	if (so > 0 && !(h->fi & 2))
		rx_add_bound(s, so);
	if (!last && !(h->fi & 1))
		rx_add_bound(s, end);
	if (so == 0)
		s->fi_first = h->fi & 2;
	if (last) {
		s->len_known = true;
		s->len = (uint16_t)end;
		s->fi_last = h->fi & 1;
	}
	l2_copy(s->data->store + s->data->off + so, data, dlen);
	if (end > s->data->len)
		s->data->len = (uint16_t)end;
	s->complete =
		s->len_known && s->n_seg == 1 && s->seg_start[0] == 0 && s->seg_end[0] == s->len;
	return 0;
}

static bool rx_complete(struct rlc_am *e, uint16_t sn)
{
	struct rlc_am_rx_slot *s = rx_slot(e, sn);

	return s && s->complete;
}

/* First SN from `sn` on that is not completely received (bounded by VR(H)). */
static uint16_t rx_first_incomplete(struct rlc_am *e, uint16_t sn)
{
	while (sn != e->vr_h && rx_complete(e, sn))
		sn = sn_add(sn, 1);
	return sn;
}

static void am_rx_deliver(struct rlc_am *e, uint16_t from, uint16_t to)
{
	uint16_t sn;

	for (sn = from; sn != to; sn = sn_add(sn, 1)) {
		struct rlc_am_rx_slot *s = rx_slot(e, sn);

		if (!s)
			continue;
		rlc_reassemble(&e->c, l2_buf_data(s->data), s->len,
			       (uint8_t)(s->fi_first | s->fi_last), s->bound, s->n_bound, sn,
			       RLC_AM_SN_MOD);
		rx_slot_free(s);
	}
}

static void am_trigger_status(struct rlc_am *e)
{
	e->status_triggered = true;
}

static int am_rx_data(struct rlc_am *e, struct l2_buf *pdu)
{
	struct rlc_hdr h;
	uint16_t x;
	int err;

	if (rlc_am_parse(l2_buf_data(pdu), pdu->len, &h) < 0) {
		e->c.stats.rx_malformed++;
		l2_buf_free(pdu);
		return L2_EPROTO;
	}
	x = h.sn;
	/* §5.1.3.2.2: outside [VR(R), VR(MR)) or already received: discard. */
	if (rx_mod(e, x) >= RLC_AM_WINDOW) {
		e->c.stats.rx_outside++;
		err = L2_ESTALE;
	} else if (rx_mod(e, x) >= RLC_AM_RX_SLOTS) {
		e->c.stats.rx_no_buffer++;
		err = L2_ENOMEM;
	} else {
		err = am_rx_place(e, &h, l2_buf_data(pdu) + h.hdr_len, pdu->len - h.hdr_len);
		if (err == L2_ESTALE)
			e->c.stats.rx_duplicates++;
		else if (err == L2_ENOMEM)
			e->c.stats.rx_no_buffer++;
		else if (err == L2_EPROTO)
			e->c.stats.rx_malformed++;
	}
	l2_buf_free(pdu);
	if (err == 0) {
		/* §5.1.3.2.3 */
		if (rx_mod(e, x) >= rx_mod(e, e->vr_h))
			e->vr_h = sn_add(x, 1);
		if (x == e->vr_ms && rx_complete(e, x))
			e->vr_ms = rx_first_incomplete(e, x);
		if (x == e->vr_r && rx_complete(e, x)) {
			uint16_t old = e->vr_r;

			e->vr_r = rx_first_incomplete(e, x);
			if (rx_mod(e, e->vr_ms) > rx_mod(e, e->vr_h) || rx_mod(e, e->vr_ms) == 0)
				e->vr_ms = rx_first_incomplete(e, e->vr_r);
			am_rx_deliver(e, old, e->vr_r);
		}
		if (e->t_reordering.running &&
		    (e->vr_x == e->vr_r || rx_mod(e, e->vr_x) > RLC_AM_WINDOW))
			l2_timer_stop(&e->t_reordering);
		if (!e->t_reordering.running && rx_mod(e, e->vr_h) > 0) {
			l2_timer_start(&e->t_reordering, l2_now(e->c.env), e->cfg.t_reordering_ms);
			e->vr_x = e->vr_h;
		}
	}
	/* §5.2.3: a poll triggers a STATUS now if x < VR(MS) or x >= VR(MR), else later. */
	if (h.p) {
		if (err || rx_mod(e, x) < rx_mod(e, e->vr_ms) || rx_mod(e, x) >= RLC_AM_WINDOW) {
			am_trigger_status(e);
		} else {
			e->poll_deferred = true;
			e->poll_deferred_sn = x;
		}
	}
	if (e->poll_deferred && (rx_mod(e, e->poll_deferred_sn) < rx_mod(e, e->vr_ms) ||
				 rx_mod(e, e->poll_deferred_sn) >= RLC_AM_WINDOW)) {
		e->poll_deferred = false;
		am_trigger_status(e);
	}
	return err;
}

int rlc_am_rx_pdu(struct rlc_am *e, struct l2_buf *pdu)
{
	e->c.stats.rx_pdus++;
	if (pdu->len < 1) {
		e->c.stats.rx_malformed++;
		l2_buf_free(pdu);
		return L2_EPROTO;
	}
	if (!(l2_buf_data(pdu)[0] & 0x80))
		return am_rx_status(e, pdu);
	return am_rx_data(e, pdu);
}

void rlc_am_tick(struct rlc_am *e)
{
	uint32_t now = l2_now(e->c.env);

	if (l2_timer_expired(&e->t_reordering, now)) {
		/* §5.1.3.2.4 */
		e->vr_ms = rx_first_incomplete(e, e->vr_x);
		if (rx_mod(e, e->vr_h) > rx_mod(e, e->vr_ms)) {
			l2_timer_start(&e->t_reordering, now, e->cfg.t_reordering_ms);
			e->vr_x = e->vr_h;
		}
		am_trigger_status(e);
	}
	l2_timer_expired(&e->t_status_prohibit, now);
	if (l2_timer_expired(&e->t_poll_retransmit, now)) {
		/* §5.2.2.3: retransmit the highest unacknowledged PDU if nothing else is queued. */
		e->c.stats.poll_retx_expiries++;
		if ((l2_queue_empty(&e->c.txq.q) && !am_retx_pending(e)) || am_window_stalled(e)) {
			uint16_t sn = e->vt_s;

			while (sn != e->vt_a) {
				struct rlc_am_tx_slot *s;

				sn = sn_add(sn, RLC_AM_SN_MOD - 1);
				s = tx_slot(e, sn);
				if (s && !s->acked) {
					am_consider_retx(e, s, 0, 0xffffu);
					break;
				}
			}
		}
		e->poll_pending = true;
	}
}

void rlc_am_release(struct rlc_am *e)
{
	unsigned i;

	for (i = 0; i < RLC_AM_TX_SLOTS; i++) {
		l2_buf_free(e->tx[i].pdu);
		tx_slot_clear(e, &e->tx[i]);
	}
	for (i = 0; i < RLC_AM_RX_SLOTS; i++)
		rx_slot_free(&e->rx[i]);
	rlc_common_release(&e->c);
}

void rlc_am_reestablish(struct rlc_am *e)
{
	struct rlc_am_config cfg = e->cfg;
	struct rlc_ops ops = e->c.ops_copy;
	const struct l2_env *env = e->c.env;
	struct l2_pool *pool = e->c.pool;
	uint16_t sn;

	/* Only complete PDUs can be reassembled; a gap drops the partial SDU around it. */
	e->c.reestablishing = true;
	for (sn = e->vr_r; sn != e->vr_h; sn = sn_add(sn, 1)) {
		struct rlc_am_rx_slot *s = rx_slot(e, sn);

		if (s && s->complete)
			am_rx_deliver(e, sn, sn_add(sn, 1));
	}
	e->c.reestablishing = false;
	rlc_am_release(e);
	rlc_am_init(e, &cfg, &ops, env, pool);
}
