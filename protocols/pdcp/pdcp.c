/* SPDX-License-Identifier: BSD-2-Clause */
/* PDCP data and control PDUs, COUNT handling, security and in-order delivery per TS 36.323 Rel-8. */
#include <string.h>

#include "l2/pdcp.h"

#define PDCP_REORDERING_WINDOW 2048 /* §7.2, 12-bit SN */

int pdcp_init(struct pdcp_entity *e, const struct pdcp_config *cfg, const struct pdcp_ops *ops,
	      const struct l2_env *env, struct l2_pool *pool)
{
	if (!cfg || !ops || cfg->rb_id == 0 || cfg->rb_id > 32)
		return L2_EINVAL;
	if (cfg->srb ? cfg->sn_bits != 5
		     : (cfg->sn_bits != 7 && cfg->sn_bits != 12) ||
			       (cfg->rlc_am && cfg->sn_bits != 12))
		return L2_EINVAL;
	memset(e, 0, sizeof(*e));
	e->cfg = *cfg;
	e->ops = *ops;
	e->env = env;
	e->pool = pool;
	e->sn_mask = (1u << cfg->sn_bits) - 1;
	e->last_submitted_sn = e->sn_mask;
	return 0;
}

int pdcp_set_security(struct pdcp_entity *e, enum sec_eea cipher, const uint8_t kenc[16],
		      enum sec_eia integrity, const uint8_t kint[16])
{
	if ((cipher != SEC_EEA0 && cipher != SEC_EEA2) ||
	    (integrity != SEC_EIA0 && integrity != SEC_EIA2))
		return L2_EINVAL;
	if ((cipher != SEC_EEA0 && !kenc) || (e->cfg.srb && integrity != SEC_EIA0 && !kint))
		return L2_EINVAL;
	e->cipher = cipher;
	if (kenc) {
		sec_key_init(&e->kenc, kenc);
		aes128_set_pair_table(&e->kenc.aes, e->cfg.aes_pair);
	}
	/* Integrity protection applies to SRBs only (§5.7). */
	e->integrity = e->cfg.srb ? integrity : SEC_EIA0;
	if (e->cfg.srb && kint)
		sec_key_init(&e->kint, kint);
	return 0;
}

int pdcp_set_security_kenb(struct pdcp_entity *e, const uint8_t kenb[32], enum sec_eea cipher,
			   enum sec_eia integrity)
{
	uint8_t kenc[16], kint[16];
	int err;

	if (e->cfg.srb) {
		sec_derive_alg_key(kenb, SEC_RRC_ENC, (uint8_t)cipher, kenc);
		sec_derive_alg_key(kenb, SEC_RRC_INT, (uint8_t)integrity, kint);
	} else {
		sec_derive_alg_key(kenb, SEC_UP_ENC, (uint8_t)cipher, kenc);
	}
	err = pdcp_set_security(e, cipher, kenc, e->cfg.srb ? integrity : SEC_EIA0,
				e->cfg.srb ? kint : NULL);
	/* Keys do not outlive their use on the stack. */
	for (unsigned i = 0; i < 16; i++)
		((volatile uint8_t *)kenc)[i] = ((volatile uint8_t *)kint)[i] = 0;
	return err;
}

static uint8_t pdcp_hdr_len(const struct pdcp_entity *e)
{
	return e->cfg.sn_bits == 12 ? 2 : 1;
}

static uint8_t pdcp_bearer(const struct pdcp_entity *e)
{
	return (uint8_t)(e->cfg.rb_id - 1);
}

static uint32_t pdcp_count(const struct pdcp_entity *e, uint32_t hfn, uint32_t sn)
{
	return hfn << e->cfg.sn_bits | sn;
}

/* Data PDU header, §6.2.2 (SRB: R R R SN), §6.2.3 (D/C R R R SN SN), §6.2.4 (D/C SN). */
static void pdcp_write_header(const struct pdcp_entity *e, uint8_t *h, uint32_t sn)
{
	if (e->cfg.srb)
		h[0] = (uint8_t)(sn & 0x1f);
	else if (e->cfg.sn_bits == 7)
		h[0] = (uint8_t)(0x80 | (sn & 0x7f));
	else {
		h[0] = (uint8_t)(0x80 | ((sn >> 8) & 0x0f));
		h[1] = (uint8_t)sn;
	}
}

/* The oldest pending entry goes (delivered, discarded): its copy with it. */
static void pdcp_pending_pop(struct pdcp_entity *e)
{
	struct pdcp_pending *p = &e->pending[e->pend_head];

	l2_buf_free(p->copy);
	p->copy = NULL;
	e->pend_head = (e->pend_head + 1) % PDCP_TX_PENDING;
	e->pend_n--;
}

static void pdcp_pending_add(struct pdcp_entity *e, uint32_t count, struct l2_buf *copy)
{
	struct pdcp_pending *p;

	if (e->pend_n == PDCP_TX_PENDING) {
		/* The oldest SDU cannot be tracked any longer: discard it now (§5.4). */
		p = &e->pending[e->pend_head];
		if (e->ops.tx_discard)
			e->ops.tx_discard(e->ops.ctx, p->count);
		e->stats.tx_discarded++;
		pdcp_pending_pop(e);
	}
	p = &e->pending[(e->pend_head + e->pend_n) % PDCP_TX_PENDING];
	p->count = count;
	p->deadline = l2_now(e->env) + e->cfg.discard_ms;
	p->copy = copy;
	e->pend_n++;
}

/* Header, MAC-I (SRB) and ciphering of an SDU with `count`, then down to RLC. */
static void pdcp_tx_count(struct pdcp_entity *e, struct l2_buf *sdu, uint8_t *h, uint8_t hlen,
			  uint32_t count)
{
	uint32_t bits;

	pdcp_write_header(e, h, count & e->sn_mask);
	if (e->cfg.srb) {
		/* MAC-I over header and data, before ciphering (§5.7); it is ciphered too (§5.6). */
		uint8_t *mac = l2_buf_put(sdu, PDCP_MAC_I_LEN);

		sec_integrity(e->integrity, &e->kint, count, pdcp_bearer(e), e->cfg.tx_dir, h,
			      (uint32_t)(sdu->len - PDCP_MAC_I_LEN) * 8, mac);
	}
	bits = (uint32_t)(sdu->len - hlen) * 8;
	sec_cipher(e->cipher, &e->kenc, count, pdcp_bearer(e), e->cfg.tx_dir, h + hlen, bits);
	sdu->tag = count;
	e->ops.tx_pdu(e->ops.ctx, sdu);
}

int pdcp_tx_sdu(struct pdcp_entity *e, struct l2_buf *sdu)
{
	uint32_t sn = e->tx_next_sn, count = pdcp_count(e, e->tx_hfn, sn);
	uint8_t hlen = pdcp_hdr_len(e), *h;
	struct l2_buf *copy = NULL;

	if (sdu->len > PDCP_MAX_SDU || (e->cfg.srb && l2_buf_tailroom(sdu) < PDCP_MAC_I_LEN)) {
		l2_buf_free(sdu);
		e->stats.tx_rejected++;
		return L2_EMSGSIZE;
	}
	if (e->cfg.keep_sdus && !(copy = l2_buf_from(e->pool, l2_buf_data(sdu), sdu->len))) {
		l2_buf_free(sdu);
		e->stats.tx_rejected++;
		return L2_ENOMEM;
	}
	h = l2_buf_push(sdu, hlen);
	if (!h) {
		l2_buf_free(sdu);
		l2_buf_free(copy);
		e->stats.tx_rejected++;
		return L2_EMSGSIZE;
	}
	if (++e->tx_next_sn > e->sn_mask) {
		e->tx_next_sn = 0;
		e->tx_hfn++;
	}
	if (e->cfg.discard_ms || copy)
		pdcp_pending_add(e, count, copy);
	e->stats.tx_sdus++;
	pdcp_tx_count(e, sdu, h, hlen, count);
	return 0;
}

/* Remove the pending entry for `count`, if any; true when it was there. */
static bool pdcp_pending_remove(struct pdcp_entity *e, uint32_t count)
{
	uint32_t i;

	for (i = 0; i < e->pend_n; i++) {
		uint32_t at = (e->pend_head + i) % PDCP_TX_PENDING;

		if (e->pending[at].count != count)
			continue;
		l2_buf_free(e->pending[at].copy);
		/* Shift the older entries up one slot to keep the ring ordered. */
		while (i > 0) {
			uint32_t prev = (e->pend_head + i - 1) % PDCP_TX_PENDING;

			e->pending[(e->pend_head + i) % PDCP_TX_PENDING] = e->pending[prev];
			i--;
		}
		e->pending[e->pend_head].copy = NULL;
		e->pend_head = (e->pend_head + 1) % PDCP_TX_PENDING;
		e->pend_n--;
		return true;
	}
	return false;
}

void pdcp_tx_delivered(struct pdcp_entity *e, uint32_t count)
{
	pdcp_pending_remove(e, count);
}

void pdcp_tx_delivered_upto(struct pdcp_entity *e, uint32_t count)
{
	/* Pending entries are in ascending COUNT order. */
	while (e->pend_n && (int32_t)(count - e->pending[e->pend_head].count) >= 0)
		pdcp_pending_pop(e);
}

void pdcp_tick(struct pdcp_entity *e)
{
	uint32_t now = l2_now(e->env);

	while (e->pend_n && e->cfg.discard_ms) {
		struct pdcp_pending *p = &e->pending[e->pend_head];

		if ((int32_t)(now - p->deadline) < 0)
			break;
		if (e->ops.tx_discard)
			e->ops.tx_discard(e->ops.ctx, p->count);
		e->stats.tx_discarded++;
		pdcp_pending_pop(e);
	}
}

static int pdcp_drop(struct l2_buf *pdu, uint32_t *counter, int err)
{
	(*counter)++;
	l2_buf_free(pdu);
	return err;
}

static void pdcp_deliver(struct pdcp_entity *e, struct l2_buf *sdu)
{
	e->stats.rx_delivered++;
	e->ops.rx_sdu(e->ops.ctx, sdu);
}

/* Deliver, in ascending COUNT, every stored SDU with COUNT below `limit` (§5.1.2.1.2). */
static void pdcp_deliver_below(struct pdcp_entity *e, uint32_t limit)
{
	while (e->n_stored) {
		struct l2_buf *best = NULL;
		unsigned i, at = 0;

		for (i = 0; i < PDCP_RX_STORE; i++) {
			struct l2_buf *b = e->store[i];

			if (b && b->tag < limit && (!best || b->tag < best->tag)) {
				best = b;
				at = i;
			}
		}
		if (!best)
			return;
		e->store[at] = NULL;
		e->n_stored--;
		e->last_submitted_sn = best->tag & e->sn_mask;
		pdcp_deliver(e, best);
	}
}

/* Deliver stored SDUs with consecutive COUNTs from `count` on (§5.1.2.1.2). */
static void pdcp_deliver_from(struct pdcp_entity *e, uint32_t count)
{
	for (;;) {
		unsigned slot = (count & e->sn_mask) % PDCP_RX_STORE;
		struct l2_buf *b = e->store[slot];

		if (!b || b->tag != count)
			return;
		e->store[slot] = NULL;
		e->n_stored--;
		e->last_submitted_sn = count & e->sn_mask;
		pdcp_deliver(e, b);
		count++;
	}
}

/* TS 36.323 §5.1.2.1.2: COUNT of a DRB AM PDU, or -1 when it is outside the window. */
static int pdcp_am_count(struct pdcp_entity *e, uint32_t sn, uint32_t *count)
{
	int32_t rsn = (int32_t)sn, last = (int32_t)e->last_submitted_sn;
	int32_t next = (int32_t)e->rx_next_sn, w = PDCP_REORDERING_WINDOW;

	if (rsn - last > w || (last - rsn >= 0 && last - rsn < w)) {
		*count = pdcp_count(e, rsn > next ? e->rx_hfn - 1 : e->rx_hfn, sn);
		return -1;
	}
	if (next - rsn > w) {
		e->rx_hfn++;
		*count = pdcp_count(e, e->rx_hfn, sn);
		e->rx_next_sn = sn + 1;
	} else if (rsn - next >= w) {
		*count = pdcp_count(e, e->rx_hfn - 1, sn);
	} else if (rsn >= next) {
		*count = pdcp_count(e, e->rx_hfn, sn);
		e->rx_next_sn = sn + 1;
	} else {
		*count = pdcp_count(e, e->rx_hfn, sn);
	}
	if (e->rx_next_sn > e->sn_mask) {
		e->rx_next_sn = 0;
		e->rx_hfn++;
	}
	return 0;
}

/* Status report received (§5.3.2): SDUs acknowledged by FMS or the bitmap are discarded. */
static int pdcp_rx_status(struct pdcp_entity *e, struct l2_buf *pdu)
{
	const uint8_t *p = l2_buf_data(pdu);
	uint32_t fms, i, nbits;

	if (!e->cfg.rlc_am || e->cfg.sn_bits != 12 || pdu->len < 2)
		return pdcp_drop(pdu, &e->stats.rx_malformed, L2_EPROTO);
	fms = (uint32_t)(p[0] & 0x0f) << 8 | p[1];
	nbits = (uint32_t)(pdu->len - 2) * 8;
	for (i = 0; i < e->pend_n;) {
		struct pdcp_pending *q = &e->pending[(e->pend_head + i) % PDCP_TX_PENDING];
		uint32_t sn = q->count & e->sn_mask, d = (sn - fms) & e->sn_mask;
		bool acked;

		/* SNs in the half window below FMS are acknowledged; above, the bitmap says. */
		if (d >= PDCP_REORDERING_WINDOW)
			acked = true;
		else if (d >= 1 && d - 1 < nbits)
			acked = p[2 + (d - 1) / 8] & (0x80 >> ((d - 1) % 8));
		else
			acked = false;
		if (acked) {
			uint32_t count = q->count;

			if (e->ops.tx_discard)
				e->ops.tx_discard(e->ops.ctx, count);
			pdcp_pending_remove(e, count);
		} else {
			i++;
		}
	}
	e->stats.rx_control++;
	l2_buf_free(pdu);
	return 0;
}

static int pdcp_rx_control(struct pdcp_entity *e, struct l2_buf *pdu)
{
	switch ((l2_buf_data(pdu)[0] >> 4) & 0x7) {
	case PDCP_CTRL_STATUS:
		return pdcp_rx_status(e, pdu);
	case PDCP_CTRL_ROHC_FB:
		/* No ROHC in this entity: feedback is counted and dropped (§5.5.5). */
		e->stats.rx_control++;
		l2_buf_free(pdu);
		return 0;
	}
	return pdcp_drop(pdu, &e->stats.rx_malformed, L2_EPROTO);
}

static int pdcp_rx_srb(struct pdcp_entity *e, struct l2_buf *pdu)
{
	uint8_t *h = l2_buf_data(pdu), mac[PDCP_MAC_I_LEN];
	uint32_t sn = h[0] & 0x1f;
	uint32_t hfn = sn < e->rx_next_sn ? e->rx_hfn + 1 : e->rx_hfn;
	uint32_t count = pdcp_count(e, hfn, sn);

	if (pdu->len < 1 + PDCP_MAC_I_LEN)
		return pdcp_drop(pdu, &e->stats.rx_malformed, L2_EPROTO);
	/* §5.1.2.2: decipher data and MAC-I, then verify; state moves only on success. */
	sec_cipher(e->cipher, &e->kenc, count, pdcp_bearer(e), (uint8_t)!e->cfg.tx_dir, h + 1,
		   (uint32_t)(pdu->len - 1) * 8);
	sec_integrity(e->integrity, &e->kint, count, pdcp_bearer(e), (uint8_t)!e->cfg.tx_dir, h,
		      (uint32_t)(pdu->len - PDCP_MAC_I_LEN) * 8, mac);
	if (e->integrity != SEC_EIA0 && memcmp(mac, h + pdu->len - PDCP_MAC_I_LEN, 4) != 0) {
		if (e->ops.integrity_failure)
			e->ops.integrity_failure(e->ops.ctx, count);
		l2_log(e->env, L2_LOG_WARN, "pdcp_integrity_failure", e->cfg.rb_id, (int32_t)count);
		return pdcp_drop(pdu, &e->stats.rx_integrity_fail, L2_EAUTH);
	}
	e->rx_hfn = hfn;
	e->rx_next_sn = sn + 1;
	if (e->rx_next_sn > e->sn_mask) {
		e->rx_next_sn = 0;
		e->rx_hfn++;
	}
	e->last_rx_len = 0;
	if (e->integrity == SEC_EIA0 && pdu->len <= PDCP_LAST_RX_MAX) {
		memcpy(e->last_rx, h, pdu->len);
		e->last_rx_len = pdu->len;
		e->last_rx_count = count;
	}
	l2_buf_pull(pdu, 1);
	l2_buf_trim(pdu, PDCP_MAC_I_LEN);
	pdu->tag = count;
	pdcp_deliver(e, pdu);
	return 0;
}

int pdcp_verify_last_rx(const struct pdcp_entity *e, enum sec_eia integrity, const uint8_t kint[16])
{
	struct sec_key k;
	uint8_t mac[PDCP_MAC_I_LEN];
	uint16_t n = e->last_rx_len;

	if (!e->cfg.srb || n < 1 + PDCP_MAC_I_LEN || integrity != SEC_EIA2 || !kint)
		return L2_ESTATE;
	sec_key_init(&k, kint);
	sec_integrity(integrity, &k, e->last_rx_count, pdcp_bearer(e), (uint8_t)!e->cfg.tx_dir,
		      e->last_rx, (uint32_t)(n - PDCP_MAC_I_LEN) * 8, mac);
	memset(&k, 0, sizeof(k));
	return memcmp(mac, e->last_rx + n - PDCP_MAC_I_LEN, PDCP_MAC_I_LEN) ? L2_EAUTH : 0;
}

static int pdcp_rx_drb_um(struct pdcp_entity *e, struct l2_buf *pdu, uint32_t sn, uint8_t hlen)
{
	uint32_t count;

	/* §5.1.2.1.3 */
	if (sn < e->rx_next_sn)
		e->rx_hfn++;
	count = pdcp_count(e, e->rx_hfn, sn);
	e->rx_next_sn = sn + 1;
	if (e->rx_next_sn > e->sn_mask) {
		e->rx_next_sn = 0;
		e->rx_hfn++;
	}
	l2_buf_pull(pdu, hlen);
	sec_cipher(e->cipher, &e->kenc, count, pdcp_bearer(e), (uint8_t)!e->cfg.tx_dir,
		   l2_buf_data(pdu), (uint32_t)pdu->len * 8);
	pdu->tag = count;
	pdcp_deliver(e, pdu);
	return 0;
}

static int pdcp_rx_drb_am(struct pdcp_entity *e, struct l2_buf *pdu, uint32_t sn, uint8_t hlen,
			  bool reestablish)
{
	unsigned slot = sn % PDCP_RX_STORE;
	uint32_t count;

	if (pdcp_am_count(e, sn, &count) < 0)
		return pdcp_drop(pdu, &e->stats.rx_duplicates, L2_ESTALE);
	if (e->store[slot] && e->store[slot]->tag == count)
		return pdcp_drop(pdu, &e->stats.rx_duplicates, L2_ESTALE);
	if (e->store[slot]) {
		/* The slot holds an SDU a whole store-size away: deliver what is below first. */
		pdcp_deliver_below(e, count);
		if (e->store[slot])
			return pdcp_drop(pdu, &e->stats.rx_no_buffer, L2_ENOMEM);
	}
	l2_buf_pull(pdu, hlen);
	sec_cipher(e->cipher, &e->kenc, count, pdcp_bearer(e), (uint8_t)!e->cfg.tx_dir,
		   l2_buf_data(pdu), (uint32_t)pdu->len * 8);
	pdu->tag = count;
	/* Stored SDUs below this COUNT go first; the store is usually empty. */
	if (!reestablish)
		pdcp_deliver_below(e, count);
	e->store[slot] = pdu;
	e->n_stored++;
	if (!reestablish) {
		pdcp_deliver_from(e, count);
	} else if (sn == ((e->last_submitted_sn + 1) & e->sn_mask)) {
		pdcp_deliver_from(e, count);
	}
	return 0;
}

int pdcp_rx_pdu(struct pdcp_entity *e, struct l2_buf *pdu, bool reestablish)
{
	const uint8_t *h;
	uint8_t hlen = pdcp_hdr_len(e);
	uint32_t sn;

	e->stats.rx_pdus++;
	if (pdu->len < 1)
		return pdcp_drop(pdu, &e->stats.rx_malformed, L2_EPROTO);
	if (e->cfg.srb)
		return pdcp_rx_srb(e, pdu);
	h = l2_buf_data(pdu);
	if (!(h[0] & 0x80))
		return pdcp_rx_control(e, pdu);
	if (pdu->len < hlen)
		return pdcp_drop(pdu, &e->stats.rx_malformed, L2_EPROTO);
	sn = hlen == 2 ? (uint32_t)(h[0] & 0x0f) << 8 | h[1] : h[0] & 0x7fu;
	if (!e->cfg.rlc_am)
		return pdcp_rx_drb_um(e, pdu, sn, hlen);
	return pdcp_rx_drb_am(e, pdu, sn, hlen, reestablish);
}

int pdcp_tx_status_report(struct pdcp_entity *e)
{
	uint32_t fms = (e->last_submitted_sn + 1) & e->sn_mask, last = fms, i;
	struct l2_buf *b;
	uint8_t *p;
	uint32_t nbits, nbytes;

	if (e->cfg.srb || !e->cfg.rlc_am || !e->pool)
		return L2_EINVAL;
	/* The bitmap runs to the highest stored SN (§6.3.10): 1 = received. */
	for (i = 0; i < PDCP_RX_STORE; i++)
		if (e->store[i]) {
			uint32_t sn = e->store[i]->tag & e->sn_mask;

			if (((sn - fms) & e->sn_mask) > ((last - fms) & e->sn_mask))
				last = sn;
		}
	nbits = (last - fms) & e->sn_mask;
	nbytes = (nbits + 7) / 8;
	b = l2_buf_alloc(e->pool);
	if (!b || !(p = l2_buf_put(b, (uint16_t)(2 + nbytes)))) {
		l2_buf_free(b);
		return L2_ENOMEM;
	}
	memset(p, 0, 2 + nbytes);
	p[0] = (uint8_t)(PDCP_CTRL_STATUS << 4 | (fms >> 8)); /* D/C = 0 */
	p[1] = (uint8_t)fms;
	for (i = 0; i < PDCP_RX_STORE; i++)
		if (e->store[i]) {
			uint32_t d = ((e->store[i]->tag & e->sn_mask) - fms) & e->sn_mask;

			if (d >= 1 && d <= nbits)
				p[2 + (d - 1) / 8] |= (uint8_t)(0x80 >> ((d - 1) % 8));
		}
	b->tag = UINT32_MAX;
	e->stats.tx_control++;
	e->ops.tx_pdu(e->ops.ctx, b);
	return 0;
}

void pdcp_release(struct pdcp_entity *e)
{
	unsigned i;

	for (i = 0; i < PDCP_RX_STORE; i++) {
		l2_buf_free(e->store[i]);
		e->store[i] = NULL;
	}
	e->n_stored = 0;
	for (i = 0; i < e->pend_n; i++) {
		struct pdcp_pending *p = &e->pending[(e->pend_head + i) % PDCP_TX_PENDING];

		l2_buf_free(p->copy);
		p->copy = NULL;
	}
}

/* §5.2.1.1: every SDU RLC has not confirmed, again, with its COUNT and the current keys. */
static void pdcp_retransmit(struct pdcp_entity *e)
{
	uint8_t hlen = pdcp_hdr_len(e);
	uint32_t i;

	for (i = 0; i < e->pend_n; i++) {
		struct pdcp_pending *p = &e->pending[(e->pend_head + i) % PDCP_TX_PENDING];
		struct l2_buf *b;
		uint8_t *h;

		if (!p->copy)
			continue;
		b = l2_buf_from(e->pool, l2_buf_data(p->copy), p->copy->len);
		h = b ? l2_buf_push(b, hlen) : NULL;
		if (!h) {
			l2_buf_free(b);
			e->stats.tx_rejected++;
			continue;
		}
		e->stats.tx_retransmitted++;
		pdcp_tx_count(e, b, h, hlen, p->count);
	}
}

void pdcp_reestablish(struct pdcp_entity *e)
{
	/* §5.2: SRBs and UM DRBs restart their SNs and HFNs; AM DRBs keep them. */
	if (e->cfg.srb || !e->cfg.rlc_am) {
		e->tx_next_sn = e->tx_hfn = 0;
		e->rx_next_sn = e->rx_hfn = 0;
		pdcp_release(e);
	}
	if (e->cfg.srb)
		e->pend_n = 0;
	else if (e->cfg.rlc_am && e->cfg.keep_sdus)
		pdcp_retransmit(e);
}
