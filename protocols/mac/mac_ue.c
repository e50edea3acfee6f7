/* SPDX-License-Identifier: BSD-2-Clause */
/* UE MAC entity (TS 36.321): BSR triggering (§5.4.5), UL multiplexing and DL demultiplexing. */
#include <string.h>

#include "l2/mac.h"

int mac_ue_init(struct mac_ue *ue, const struct mac_ue_config *cfg, const struct l2_env *env,
		struct l2_pool *pool)
{
	if (!cfg || !pool)
		return L2_EINVAL;
	memset(ue, 0, sizeof(*ue));
	ue->cfg = *cfg;
	ue->env = env;
	ue->pool = pool;
	if (cfg->periodic_bsr_ms)
		l2_timer_start(&ue->t_periodic, l2_now(env), cfg->periodic_bsr_ms);
	return 0;
}

int mac_ue_add_lch(struct mac_ue *ue, const struct mac_lch *lch)
{
	if (ue->n_lch == MAC_UE_MAX_LCH || !lch->tx_pdu || !lch->buffer_bytes || lch->lcid == 0 ||
	    lch->lcid > MAC_LCID_LCH_MAX || lch->lcg >= MAC_NUM_LCG)
		return L2_EINVAL;
	ue->lch[ue->n_lch] = *lch;
	ue->lch[ue->n_lch].bj = 0; /* §5.4.3.1: Bj starts at zero */
	ue->n_lch++;
	return 0;
}

static void mac_ue_buffers(struct mac_ue *ue, uint32_t bytes[MAC_NUM_LCG], uint8_t *top_lcg)
{
	uint8_t best = 0xff;
	unsigned i;

	memset(bytes, 0, MAC_NUM_LCG * sizeof(bytes[0]));
	*top_lcg = 0;
	for (i = 0; i < ue->n_lch; i++) {
		struct mac_lch *c = &ue->lch[i];
		uint32_t b = c->buffer_bytes(c->ctx);

		bytes[c->lcg] += b;
		if (b && c->priority < best) {
			best = c->priority;
			*top_lcg = c->lcg;
		}
	}
}

void mac_ue_tti(struct mac_ue *ue, uint32_t tti_ms)
{
	uint32_t now = l2_now(ue->env), any = 0;
	uint8_t best_prev = 0xff;
	bool had_any = false, has[MAC_UE_MAX_LCH];
	unsigned i;

	mac_lcp_tti(ue->lch, ue->n_lch, tti_ms);
	for (i = 0; i < ue->n_lch; i++) {
		has[i] = ue->lch[i].buffer_bytes(ue->lch[i].ctx) > 0;
		any |= has[i];
		if (ue->had_data[i]) {
			had_any = true;
			if (ue->lch[i].priority < best_prev)
				best_prev = ue->lch[i].priority;
		}
	}
	/* §5.4.5 regular BSR: new data on a channel of higher priority than every channel that
	 * already had data, or new data when no channel had any. */
	for (i = 0; i < ue->n_lch; i++) {
		if (has[i] && !ue->had_data[i] && (!had_any || ue->lch[i].priority < best_prev))
			ue->bsr_regular = true;
		ue->had_data[i] = has[i];
	}
	if (l2_timer_expired(&ue->t_retx, now) && any)
		ue->bsr_regular = true; /* retxBSR-Timer expiry with data */
	if (l2_timer_expired(&ue->t_periodic, now))
		ue->bsr_periodic = true;
	if (ue->bsr_regular && !ue->sr_pending) {
		ue->sr_pending = true; /* §5.4.4: no grant yet, so a scheduling request */
		ue->stats.sr++;
	}
}

int mac_ue_ul_tb(struct mac_ue *ue, uint32_t tbs, uint8_t *out)
{
	struct l2_buf *pdus[MAC_MAX_ELEMS];
	uint32_t bytes[MAC_NUM_LCG], now = l2_now(ue->env);
	uint8_t bsr[3], phr, top;
	struct mac_pdu_writer w;
	bool want_bsr = ue->bsr_regular || ue->bsr_periodic;
	unsigned n, i;
	int lcid, ret;

	mac_pdu_init(&w, tbs, MAC_UL);
	/* Reserve room for a Long BSR (the largest) and the PHR; release it after LCP. */
	if (want_bsr)
		w.used += 4;
	if (ue->phr_triggered)
		w.used += 2;
	if (w.used > tbs)
		w.used = tbs;
	n = mac_lcp_fill(ue->lch, ue->n_lch, &w, pdus, MAC_MAX_ELEMS - 2);
	w.used -= (want_bsr ? 4 : 0) + (ue->phr_triggered ? 2 : 0);
	/* Control elements go first (§6.1.2): shift the SDUs up by the CEs added. */
	if (n + 2 <= MAC_MAX_ELEMS) {
		struct mac_pdu_writer ce;
		unsigned k;

		mac_pdu_init(&ce, tbs, MAC_UL);
		mac_ue_buffers(ue, bytes, &top);
		/* The BSR reflects the buffers after this TB's SDUs were taken (§5.4.5). */
		if (want_bsr && (lcid = mac_bsr_select(bytes, top, false, 0, bsr)) > 0 &&
		    mac_pdu_add(&ce, (uint8_t)lcid, bsr, lcid == MAC_LCID_UL_LBSR ? 3 : 1) == 0) {
			ue->stats.bsr_regular += ue->bsr_regular;
			ue->stats.bsr_periodic += ue->bsr_periodic && !ue->bsr_regular;
			ue->bsr_regular = ue->bsr_periodic = false;
			ue->sr_pending = false;
			if (ue->cfg.periodic_bsr_ms)
				l2_timer_start(&ue->t_periodic, now, ue->cfg.periodic_bsr_ms);
			if (ue->cfg.retx_bsr_ms)
				l2_timer_start(&ue->t_retx, now, ue->cfg.retx_bsr_ms);
			want_bsr = true;
		} else {
			/* §5.4.4, §5.4.5: nothing left to report, this grant took all the data
			 * there was: the triggered BSRs and the pending SR are cancelled (else
			 * the UE would ask for grants it has no data for, for ever). */
			if (want_bsr && !bytes[0] && !bytes[1] && !bytes[2] && !bytes[3]) {
				ue->bsr_regular = ue->bsr_periodic = false;
				ue->sr_pending = false;
				if (ue->cfg.periodic_bsr_ms)
					l2_timer_start(&ue->t_periodic, now,
						       ue->cfg.periodic_bsr_ms);
			}
			want_bsr = false;
		}
		phr = mac_ce_phr(ue->ph);
		if (ue->phr_triggered && mac_pdu_add(&ce, MAC_LCID_UL_PHR, &phr, 1) == 0)
			ue->phr_triggered = false;
		for (k = 0; k < w.n; k++)
			mac_pdu_add(&ce, w.e[k].lcid, w.e[k].data, w.e[k].len);
		/* Padding BSR when two or more bytes are left and no BSR went in (§5.4.5). */
		if (!want_bsr && tbs > ce.used + 1) {
			mac_ue_buffers(ue, bytes, &top);
			lcid = mac_bsr_select(bytes, top, true, tbs - ce.used - 1, bsr);
			if (lcid > 0 && mac_pdu_add(&ce, (uint8_t)lcid, bsr,
						    lcid == MAC_LCID_UL_LBSR ? 3 : 1) == 0) {
				/* A CE after SDUs is not allowed: rebuild with it first. */
				struct mac_pdu_writer again;

				mac_pdu_init(&again, tbs, MAC_UL);
				mac_pdu_add(&again, (uint8_t)lcid, bsr,
					    lcid == MAC_LCID_UL_LBSR ? 3 : 1);
				for (k = 0; k + 1 < ce.n; k++)
					mac_pdu_add(&again, ce.e[k].lcid, ce.e[k].data,
						    ce.e[k].len);
				ce = again;
				ue->stats.bsr_padding++;
			}
		}
		w = ce;
	}
	ret = mac_pdu_finish(&w, out);
	for (i = 0; i < n; i++)
		l2_buf_free(pdus[i]);
	/* §5.4.5 compares data arriving with what the buffers hold then: a TB that emptied a
	 * channel since the last TTI must count, or new data before the next TTI would find
	 * had_data still set and trigger no regular BSR (leaving only retxBSR-Timer). */
	for (i = 0; i < ue->n_lch; i++)
		ue->had_data[i] = ue->lch[i].buffer_bytes(ue->lch[i].ctx) > 0;
	ue->stats.ul_tbs++;
	return ret;
}

int mac_ue_dl_tb(struct mac_ue *ue, const uint8_t *tb, uint32_t len)
{
	struct mac_pdu_view v;
	unsigned i;

	ue->stats.dl_tbs++;
	if (mac_pdu_parse(tb, len, MAC_DL, &v) < 0) {
		ue->stats.dl_malformed++;
		return L2_EPROTO;
	}
	for (i = 0; i < v.n; i++) {
		const struct mac_elem *e = &v.e[i];
		struct l2_buf *b;

		switch (e->lcid) {
		case MAC_LCID_DL_TA:
			ue->ta = mac_ce_ta(tb[e->off]); /* §5.2: applied by PHY */
			ue->stats.ta_commands++;
			continue;
		case MAC_LCID_DL_CRI:
		case MAC_LCID_DL_DRX:
			continue; /* RA (mac_ra_rx_msg4) and DRX are handled elsewhere */
		}
		if (!ue->rx_sdu) {
			ue->stats.dl_unknown_lcid++;
			continue;
		}
		b = l2_buf_from(ue->pool, tb + e->off, e->len);
		if (!b)
			return L2_ENOMEM;
		ue->stats.dl_sdus++;
		ue->rx_sdu(ue->rx_ctx, e->lcid, b);
	}
	return 0;
}
