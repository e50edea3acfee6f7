/* SPDX-License-Identifier: BSD-2-Clause */
/* RLC headers and STATUS PDUs, segmentation and reassembly, TM and UM entities (TS 36.322). */
#include <string.h>

#include "rlc_internal.h"

/* ---------------------------------------------------------------- bit fields */

struct bits {
	uint8_t *p;
	const uint8_t *cp;
	uint32_t pos, cap; /* in bits */
};

static uint32_t bits_get(struct bits *b, unsigned n)
{
	uint32_t v = 0;

	while (n--) {
		v = v << 1 | ((b->cp[b->pos / 8] >> (7 - b->pos % 8)) & 1);
		b->pos++;
	}
	return v;
}

static void bits_put(struct bits *b, uint32_t v, unsigned n)
{
	while (n--) {
		uint8_t m = (uint8_t)(0x80 >> (b->pos % 8));

		if ((v >> n) & 1)
			b->p[b->pos / 8] |= m;
		else
			b->p[b->pos / 8] &= (uint8_t)~m;
		b->pos++;
	}
}

/* The E/LI part after a fixed header of `fixed` bytes (§6.2.1.3, §6.2.2.4, §6.2.2.5). */
static int rlc_parse_li(const uint8_t *p, uint32_t len, uint32_t fixed, bool e, struct rlc_hdr *h)
{
	struct bits b = {.cp = p, .pos = fixed * 8};
	uint32_t sum = 0;

	h->n_li = 0;
	while (e) {
		uint32_t li;

		if (h->n_li == RLC_MAX_LI || rlc_hdr_len(fixed, h->n_li + 1u) > len)
			return L2_EPROTO;
		e = bits_get(&b, 1);
		li = bits_get(&b, 11);
		if (li == 0)
			return L2_EPROTO; /* LI = 0 is reserved */
		h->li[h->n_li++] = (uint16_t)li;
		sum += li;
	}
	h->hdr_len = (uint16_t)rlc_hdr_len(fixed, h->n_li);
	/* The data field holds every LI'd element plus a non-empty last one. */
	if (h->hdr_len + sum >= len)
		return L2_EPROTO;
	return 0;
}

static void rlc_write_li(uint8_t *p, uint32_t fixed, const struct rlc_hdr *h)
{
	struct bits b = {.p = p, .pos = fixed * 8};
	unsigned i;

	for (i = 0; i < h->n_li; i++) {
		bits_put(&b, i + 1u < h->n_li, 1);
		bits_put(&b, h->li[i], 11);
	}
	if (h->n_li % 2)
		bits_put(&b, 0, 4);
}

/* Clear the scalar fields; li[] is only read up to n_li. */
static void rlc_hdr_clear(struct rlc_hdr *h)
{
	h->sn = 0;
	h->fi = 0;
	h->rf = h->p = h->lsf = false;
	h->so = 0;
	h->n_li = 0;
	h->hdr_len = 0;
}

int rlc_um_parse(const uint8_t *p, uint32_t len, uint8_t sn_bits, struct rlc_hdr *h)
{
	uint32_t fixed = sn_bits == 5 ? 1 : 2;
	bool e;

	rlc_hdr_clear(h);
	if (len <= fixed || (sn_bits != 5 && sn_bits != 10))
		return L2_EPROTO;
	if (sn_bits == 5) {
		h->fi = p[0] >> 6;
		e = (p[0] >> 5) & 1;
		h->sn = p[0] & 0x1f;
	} else {
		h->fi = (p[0] >> 3) & 3;
		e = (p[0] >> 2) & 1;
		h->sn = (uint16_t)((p[0] & 3) << 8 | p[1]);
	}
	return rlc_parse_li(p, len, fixed, e, h);
}

int rlc_um_write_hdr(uint8_t *p, uint32_t cap, uint8_t sn_bits, const struct rlc_hdr *h)
{
	uint32_t fixed = sn_bits == 5 ? 1 : 2, n = rlc_hdr_len(fixed, h->n_li);
	uint8_t e = h->n_li > 0;

	if (n > cap)
		return L2_EMSGSIZE;
	if (sn_bits == 5) {
		p[0] = (uint8_t)(h->fi << 6 | e << 5 | (h->sn & 0x1f));
	} else {
		p[0] = (uint8_t)(h->fi << 3 | e << 2 | ((h->sn >> 8) & 3));
		p[1] = (uint8_t)h->sn;
	}
	rlc_write_li(p, fixed, h);
	return (int)n;
}

int rlc_am_parse(const uint8_t *p, uint32_t len, struct rlc_hdr *h)
{
	uint32_t fixed;
	bool e;

	rlc_hdr_clear(h);
	if (len < 2 || !(p[0] & 0x80))
		return L2_EPROTO;
	h->rf = (p[0] >> 6) & 1;
	h->p = (p[0] >> 5) & 1;
	h->fi = (p[0] >> 3) & 3;
	e = (p[0] >> 2) & 1;
	h->sn = (uint16_t)((p[0] & 3) << 8 | p[1]);
	fixed = h->rf ? 4 : 2;
	if (len <= fixed)
		return L2_EPROTO;
	if (h->rf) {
		h->lsf = p[2] >> 7;
		h->so = (uint16_t)((p[2] & 0x7f) << 8 | p[3]);
	}
	return rlc_parse_li(p, len, fixed, e, h);
}

int rlc_am_write_hdr(uint8_t *p, uint32_t cap, const struct rlc_hdr *h)
{
	uint32_t fixed = h->rf ? 4 : 2, n = rlc_hdr_len(fixed, h->n_li);

	if (n > cap)
		return L2_EMSGSIZE;
	p[0] = (uint8_t)(0x80 | h->rf << 6 | h->p << 5 | h->fi << 3 | (h->n_li > 0) << 2 |
			 ((h->sn >> 8) & 3));
	p[1] = (uint8_t)h->sn;
	if (h->rf) {
		p[2] = (uint8_t)(h->lsf << 7 | ((h->so >> 8) & 0x7f));
		p[3] = (uint8_t)h->so;
	}
	rlc_write_li(p, fixed, h);
	return (int)n;
}

/* STATUS PDU, §6.2.1.6: D/C CPT ACK_SN E1 { NACK_SN E1 E2 [SOstart SOend] }, octet-aligned. */
int rlc_status_parse(const uint8_t *p, uint32_t len, struct rlc_status *s)
{
	struct bits b = {.cp = p};
	uint32_t cap = len * 8;
	bool e1;

	s->ack_sn = 0;
	s->n_nack = 0;
	if (len < 2 || (p[0] & 0x80) || ((p[0] >> 4) & 7) != 0)
		return L2_EPROTO;
	bits_get(&b, 4);
	s->ack_sn = (uint16_t)bits_get(&b, 10);
	e1 = bits_get(&b, 1);
	while (e1) {
		struct rlc_nack *n;
		bool e2;

		if (b.pos + 12 > cap || s->n_nack == RLC_MAX_NACKS)
			return L2_EPROTO;
		n = &s->nack[s->n_nack++];
		n->sn = (uint16_t)bits_get(&b, 10);
		e1 = bits_get(&b, 1);
		e2 = bits_get(&b, 1);
		n->has_so = false;
		n->so_start = n->so_end = 0;
		if (e2) {
			if (b.pos + 30 > cap)
				return L2_EPROTO;
			n->has_so = true;
			n->so_start = (uint16_t)bits_get(&b, 15);
			n->so_end = (uint16_t)bits_get(&b, 15);
			if (n->so_end < n->so_start)
				return L2_EPROTO;
		}
	}
	return 0;
}

int rlc_status_write(uint8_t *p, uint32_t cap, const struct rlc_status *s)
{
	struct bits b = {.p = p};
	uint32_t need = 15, i;

	for (i = 0; i < s->n_nack; i++)
		need += 12 + (s->nack[i].has_so ? 30 : 0);
	if ((need + 7) / 8 > cap)
		return L2_EMSGSIZE;
	memset(p, 0, (need + 7) / 8);
	bits_put(&b, 0, 4); /* D/C = 0 (control), CPT = 000 (STATUS) */
	bits_put(&b, s->ack_sn, 10);
	bits_put(&b, s->n_nack > 0, 1);
	for (i = 0; i < s->n_nack; i++) {
		const struct rlc_nack *n = &s->nack[i];

		bits_put(&b, n->sn, 10);
		bits_put(&b, i + 1 < s->n_nack, 1);
		bits_put(&b, n->has_so, 1);
		if (n->has_so) {
			bits_put(&b, n->so_start, 15);
			bits_put(&b, n->so_end, 15);
		}
	}
	return (int)((need + 7) / 8);
}

uint32_t rlc_status_len(const struct rlc_status *s)
{
	uint32_t need = 15, i;

	for (i = 0; i < s->n_nack; i++)
		need += 12 + (s->nack[i].has_so ? 30 : 0);
	return (need + 7) / 8;
}

/* ---------------------------------------------------------------- shared TX/RX */

void rlc_common_init(struct rlc_common *c, const struct rlc_ops *ops, const struct l2_env *env,
		     struct l2_pool *pool, uint32_t max_sdus)
{
	memset(c, 0, sizeof(*c));
	c->ops_copy = *ops;
	c->ops = &c->ops_copy;
	c->env = env;
	c->pool = pool;
	l2_queue_init(&c->txq.q);
	c->txq.max_sdus = max_sdus ? max_sdus : 1024;
}

int rlc_common_tx_sdu(struct rlc_common *c, struct l2_buf *sdu)
{
	int err = sdu->len == 0 ? L2_EINVAL : L2_ENOMEM;

	if (sdu->len == 0 || c->txq.q.count >= c->txq.max_sdus) {
		c->stats.tx_discarded++;
		l2_buf_free(sdu);
		return err;
	}
	l2_queue_push(&c->txq.q, sdu);
	c->stats.tx_sdus++;
	return 0;
}

void rlc_common_release(struct rlc_common *c)
{
	l2_queue_purge(&c->txq.q);
	c->txq.head_off = 0;
	l2_buf_free(c->reasm.sdu);
	c->reasm.sdu = NULL;
}

uint32_t rlc_fill(struct rlc_common *c, uint8_t *dst, uint32_t max_total, uint32_t fixed,
		  struct rlc_hdr *h, bool *has_tag, uint32_t *last_tag)
{
	struct rlc_txq *q = &c->txq;
	uint32_t data = 0, pieces = 0, last_piece = 0;

	h->n_li = 0;
	h->fi = q->head_off ? 2 : 0;
	*has_tag = false;
	while (!l2_queue_empty(&q->q)) {
		struct l2_buf *s = l2_queue_peek(&q->q);
		uint32_t r = s->len - q->head_off, hdr, space, take;

		if (pieces && (pieces > RLC_MAX_LI || last_piece > RLC_LI_MAX))
			break;
		hdr = rlc_hdr_len(fixed, pieces);
		if (hdr + data >= max_total)
			break;
		space = max_total - hdr - data;
		take = r < space ? r : space;
		if (pieces)
			h->li[h->n_li++] = (uint16_t)last_piece;
		l2_copy(dst + data, l2_buf_data(s) + q->head_off, take);
		data += take;
		pieces++;
		last_piece = take;
		if (take < r) {
			q->head_off = (uint16_t)(q->head_off + take);
			h->fi |= 1;
			break;
		}
		*has_tag = true;
		*last_tag = s->tag;
		q->head_off = 0;
		l2_buf_free(l2_queue_pop(&q->q));
	}
	return data;
}

void rlc_reassemble(struct rlc_common *c, const uint8_t *data, uint32_t len, uint8_t fi,
		    const uint16_t *bound, unsigned nb, uint16_t sn, uint16_t sn_mod)
{
	struct rlc_reasm *r = &c->reasm;
	unsigned i;

	if (r->sdu && (!r->have_next || r->next_sn != sn)) {
		l2_buf_free(r->sdu);
		r->sdu = NULL;
		c->stats.rx_sdu_lost++;
	}
	for (i = 0; i <= nb; i++) {
		uint32_t start = i ? bound[i - 1] : 0, end = i < nb ? bound[i] : len;
		bool starts = i > 0 || !(fi & 2), ends = i < nb || !(fi & 1);

		if (starts && r->sdu) {
			l2_buf_free(r->sdu);
			r->sdu = NULL;
			c->stats.rx_sdu_lost++;
		}
		if (starts) {
			r->sdu = l2_buf_alloc(c->pool);
			if (!r->sdu)
				c->stats.rx_no_buffer++;
		} else if (!r->sdu) {
			c->stats.rx_sdu_lost += ends;
			continue;
		}
		if (!r->sdu)
			continue;
		if (l2_buf_append(r->sdu, data + start, end - start) < 0) {
			l2_buf_free(r->sdu);
			r->sdu = NULL;
			c->stats.rx_no_buffer++;
			continue;
		}
		if (ends) {
			struct l2_buf *sdu = r->sdu;

			r->sdu = NULL;
			c->stats.rx_sdus++;
			c->ops->rx_sdu(c->ops->ctx, sdu);
		}
	}
	r->have_next = true;
	r->next_sn = (uint16_t)((sn + 1) % sn_mod);
}

unsigned rlc_bounds(const struct rlc_hdr *h, uint16_t base, uint16_t *bound)
{
	uint32_t off = base;
	unsigned i;

	for (i = 0; i < h->n_li; i++) {
		off += h->li[i];
		bound[i] = (uint16_t)off;
	}
	return h->n_li;
}

/* ---------------------------------------------------------------- TM, §5.1.1 */

int rlc_tm_init(struct rlc_tm *e, const struct rlc_ops *ops, const struct l2_env *env,
		struct l2_pool *pool, uint32_t max_sdus)
{
	if (!ops || !ops->rx_sdu)
		return L2_EINVAL;
	rlc_common_init(&e->c, ops, env, pool, max_sdus);
	return 0;
}

int rlc_tm_tx_sdu(struct rlc_tm *e, struct l2_buf *sdu)
{
	return rlc_common_tx_sdu(&e->c, sdu);
}

struct l2_buf *rlc_tm_tx_pdu(struct rlc_tm *e, uint32_t max_bytes)
{
	struct l2_buf *b = l2_queue_peek(&e->c.txq.q);

	/* TM neither segments nor adds a header: the SDU goes whole or waits. */
	if (!b || b->len > max_bytes)
		return NULL;
	l2_queue_pop(&e->c.txq.q);
	e->c.stats.tx_pdus++;
	e->c.stats.tx_bytes += b->len;
	return b;
}

void rlc_tm_rx_pdu(struct rlc_tm *e, struct l2_buf *pdu)
{
	e->c.stats.rx_pdus++;
	e->c.stats.rx_sdus++;
	e->c.ops->rx_sdu(e->c.ops->ctx, pdu);
}

/* ---------------------------------------------------------------- UM, §5.1.2 */

int rlc_um_init(struct rlc_um *e, const struct rlc_um_config *cfg, const struct rlc_ops *ops,
		const struct l2_env *env, struct l2_pool *pool)
{
	if (!cfg || !ops || !ops->rx_sdu || !pool || (cfg->sn_bits != 5 && cfg->sn_bits != 10))
		return L2_EINVAL;
	memset(e, 0, sizeof(*e));
	rlc_common_init(&e->c, ops, env, pool, cfg->max_sdus);
	e->cfg = *cfg;
	e->sn_mod = (uint16_t)(1u << cfg->sn_bits);
	e->window = (uint16_t)(e->sn_mod / 2); /* UM_Window_Size, §7.2 */
	return 0;
}

int rlc_um_tx_sdu(struct rlc_um *e, struct l2_buf *sdu)
{
	return rlc_common_tx_sdu(&e->c, sdu);
}

uint32_t rlc_um_buffer_bytes(const struct rlc_um *e)
{
	uint32_t n = e->c.txq.q.bytes - e->c.txq.head_off;

	return n ? n + rlc_hdr_len(e->cfg.sn_bits == 5 ? 1 : 2, e->c.txq.q.count - 1) : 0;
}

struct l2_buf *rlc_um_tx_pdu(struct rlc_um *e, uint32_t max_bytes)
{
	uint32_t fixed = e->cfg.sn_bits == 5 ? 1 : 2, data, cap;
	struct rlc_hdr h = {0};
	struct l2_buf *b;
	bool has_tag;
	uint32_t tag;

	if (l2_queue_empty(&e->c.txq.q) || max_bytes <= fixed)
		return NULL;
	b = l2_buf_alloc(e->c.pool);
	if (!b)
		return NULL;
	cap = l2_buf_tailroom(b);
	if (l2_buf_headroom(b) < RLC_HEADROOM) {
		l2_buf_free(b);
		return NULL;
	}
	if (max_bytes > cap)
		max_bytes = cap;
	data = rlc_fill(&e->c, l2_buf_data(b), max_bytes, fixed, &h, &has_tag, &tag);
	l2_buf_put(b, (uint16_t)data);
	h.sn = e->vt_us;
	e->vt_us = (uint16_t)((e->vt_us + 1) % e->sn_mod);
	rlc_um_write_hdr(l2_buf_push(b, (uint16_t)rlc_hdr_len(fixed, h.n_li)), RLC_HEADROOM,
			 e->cfg.sn_bits, &h);
	e->c.stats.tx_pdus++;
	e->c.stats.tx_bytes += b->len;
	return b;
}

/* SN relative to the lower edge of the reordering window, VR(UH) - UM_Window_Size (§7.1). */
static uint16_t um_mod(const struct rlc_um *e, uint16_t sn)
{
	return (uint16_t)((sn - (e->vr_uh - e->window) + 2u * e->sn_mod) % e->sn_mod);
}

static struct l2_buf **um_slot(struct rlc_um *e, uint16_t sn)
{
	return &e->rx[sn % RLC_UM_RX_SLOTS];
}

static bool um_received(struct rlc_um *e, uint16_t sn)
{
	struct l2_buf *b = *um_slot(e, sn);

	return b && b->tag == sn;
}

/* Reassemble and free the stored PDUs with SN in [from, to), in order. */
static void um_deliver(struct rlc_um *e, uint16_t from, uint16_t to)
{
	uint16_t sn;

	for (sn = from; sn != to; sn = (uint16_t)((sn + 1) % e->sn_mod)) {
		struct l2_buf **slot = um_slot(e, sn), *b = *slot;
		struct rlc_hdr h;
		uint16_t bound[RLC_MAX_LI];
		unsigned nb;

		if (!b || b->tag != sn)
			continue;
		*slot = NULL;
		rlc_um_parse(l2_buf_data(b), b->len, e->cfg.sn_bits, &h);
		nb = rlc_bounds(&h, 0, bound);
		rlc_reassemble(&e->c, l2_buf_data(b) + h.hdr_len, b->len - h.hdr_len, h.fi, bound,
			       nb, sn, e->sn_mod);
		l2_buf_free(b);
	}
}

static uint16_t um_first_missing(struct rlc_um *e, uint16_t from)
{
	uint16_t sn = from;

	while (um_received(e, sn) && sn != e->vr_uh)
		sn = (uint16_t)((sn + 1) % e->sn_mod);
	return sn;
}

static void um_reordering_update(struct rlc_um *e)
{
	uint32_t now = l2_now(e->c.env);

	if (e->t_reordering.running && (um_mod(e, e->vr_ux) <= um_mod(e, e->vr_ur) ||
					(um_mod(e, e->vr_ux) > e->window && e->vr_ux != e->vr_uh)))
		l2_timer_stop(&e->t_reordering);
	if (!e->t_reordering.running && um_mod(e, e->vr_uh) > um_mod(e, e->vr_ur)) {
		l2_timer_start(&e->t_reordering, now, e->cfg.t_reordering_ms);
		e->vr_ux = e->vr_uh;
	}
}

int rlc_um_rx_pdu(struct rlc_um *e, struct l2_buf *pdu)
{
	struct rlc_hdr h;
	uint16_t x, m;

	e->c.stats.rx_pdus++;
	if (rlc_um_parse(l2_buf_data(pdu), pdu->len, e->cfg.sn_bits, &h) < 0) {
		e->c.stats.rx_malformed++;
		l2_buf_free(pdu);
		return L2_EPROTO;
	}
	x = h.sn;
	m = um_mod(e, x);
	/* §5.1.2.2.2: duplicates and PDUs below VR(UR) in the window are discarded. */
	if ((um_mod(e, e->vr_ur) < m && m < e->window && um_received(e, x)) ||
	    m < um_mod(e, e->vr_ur) || (m == um_mod(e, e->vr_ur) && um_received(e, x))) {
		e->c.stats.rx_duplicates++;
		l2_buf_free(pdu);
		return L2_ESTALE;
	}
	if (*um_slot(e, x)) {
		e->c.stats.rx_no_buffer++;
		l2_buf_free(pdu);
		return L2_ENOMEM;
	}
	pdu->tag = x;
	*um_slot(e, x) = pdu;
	/* §5.1.2.2.3 */
	if (m >= e->window) {
		uint16_t low;

		e->vr_uh = (uint16_t)((x + 1) % e->sn_mod);
		low = (uint16_t)((e->vr_uh - e->window + e->sn_mod) % e->sn_mod);
		if (um_mod(e, e->vr_ur) >= e->window) {
			um_deliver(e, e->vr_ur, low);
			e->vr_ur = low;
		}
	}
	if (um_received(e, e->vr_ur)) {
		uint16_t old = e->vr_ur;

		e->vr_ur = um_first_missing(e, e->vr_ur);
		um_deliver(e, old, e->vr_ur);
	}
	um_reordering_update(e);
	return 0;
}

void rlc_um_tick(struct rlc_um *e)
{
	uint16_t old;

	if (!l2_timer_expired(&e->t_reordering, l2_now(e->c.env)))
		return;
	/* §5.1.2.2.4 */
	old = e->vr_ur;
	e->vr_ur = um_first_missing(e, e->vr_ux);
	um_deliver(e, old, e->vr_ur);
	if (um_mod(e, e->vr_uh) > um_mod(e, e->vr_ur)) {
		l2_timer_start(&e->t_reordering, l2_now(e->c.env), e->cfg.t_reordering_ms);
		e->vr_ux = e->vr_uh;
	}
}

void rlc_um_release(struct rlc_um *e)
{
	unsigned i;

	for (i = 0; i < RLC_UM_RX_SLOTS; i++) {
		l2_buf_free(e->rx[i]);
		e->rx[i] = NULL;
	}
	rlc_common_release(&e->c);
}

void rlc_um_reestablish(struct rlc_um *e)
{
	struct rlc_um_config cfg = e->cfg;
	struct rlc_ops ops = e->c.ops_copy;
	const struct l2_env *env = e->c.env;
	struct l2_pool *pool = e->c.pool;

	e->c.reestablishing = true;
	um_deliver(e, e->vr_ur, e->vr_uh);
	e->c.reestablishing = false;
	rlc_um_release(e);
	rlc_um_init(e, &cfg, &ops, env, pool);
}
