/* SPDX-License-Identifier: BSD-2-Clause */
/* A radio bearer's layer-2 configuration from RRC's IEs (TS 36.331 §6.3.2, defaults §9.2.1). */
#include <string.h>

#include "l2/env.h"
#include "l3/rrc_sm.h"

/* T-PollRetransmit: ms5..ms250 in steps of 5, then ms300..ms500 in steps of 50. */
static uint16_t t_poll_retx_ms(uint8_t i)
{
	return i < 50 ? (uint16_t)(5 * (i + 1)) : (uint16_t)(300 + 50 * (i - 50));
}

/* T-Reordering: ms0..ms100 in steps of 5, then ms110..ms200 in steps of 10. */
static uint16_t t_reordering_ms(uint8_t i)
{
	return i <= 20 ? (uint16_t)(5 * i) : (uint16_t)(100 + 10 * (i - 20));
}

/* T-StatusProhibit: ms0..ms250 in steps of 5, then ms300..ms500 in steps of 50. */
static uint16_t t_status_prohibit_ms(uint8_t i)
{
	return i <= 50 ? (uint16_t)(5 * i) : (uint16_t)(250 + 50 * (i - 50));
}

static const uint16_t poll_pdu[8] = {4, 8, 16, 32, 64, 128, 256, 0};
static const uint16_t poll_kb[15] = {25,  50,	75,   100,  125,  250,	375, 500,
				     750, 1000, 1250, 1500, 2000, 3000, 0};
static const uint8_t max_retx[8] = {1, 2, 3, 4, 6, 8, 16, 32};
static const uint16_t pbr_kbyte[8] = {0, 8, 16, 32, 64, 128, 256, 0xffff};
static const uint16_t bsd_ms[6] = {50, 100, 150, 300, 500, 1000};
static const uint16_t discard_ms[8] = {50, 100, 150, 300, 500, 750, 1500, 0};

static int rlc_from(const struct rrc_rlc_config *r, struct rl_cfg_bearer *b)
{
	if (r->mode == RRC_RLC_AM) {
		if (r->t_poll_retransmit > 54 || r->poll_pdu > 7 || r->poll_byte > 14 ||
		    r->max_retx_threshold > 7 || r->t_reordering > 30 || r->t_status_prohibit > 55)
			return L2_EINVAL;
		b->rlc_mode = RL_RLC_AM;
		b->t_poll_retx_ms = t_poll_retx_ms(r->t_poll_retransmit);
		b->poll_pdu = poll_pdu[r->poll_pdu];
		b->poll_byte = (uint32_t)poll_kb[r->poll_byte] * 1000;
		b->max_retx = max_retx[r->max_retx_threshold];
		b->t_reordering_ms = t_reordering_ms(r->t_reordering);
		b->t_status_prohibit_ms = t_status_prohibit_ms(r->t_status_prohibit);
		return 0;
	}
	/* Only bi-directional UM: a one-way entity has nothing to give the other side. */
	if (r->mode != RRC_RLC_UM_BI || r->t_reordering > 30 || r->ul_sn_10 != r->dl_sn_10)
		return L2_EINVAL;
	b->rlc_mode = RL_RLC_UM;
	b->um_sn_bits = r->ul_sn_10 ? 10 : 5;
	b->t_reordering_ms = t_reordering_ms(r->t_reordering);
	return 0;
}

static int lch_from(const struct rrc_lch_config *l, struct rl_cfg_bearer *b)
{
	if (!l->has_ul)
		return 0;
	if (l->priority < 1 || l->priority > 16 || l->prioritised_bit_rate > 7 ||
	    l->bucket_size_duration > 5 || l->lcg > 3)
		return L2_EINVAL;
	b->priority = l->priority;
	b->pbr_kbps = l->prioritised_bit_rate == 7
			      ? 0xffff
			      : (uint16_t)(pbr_kbyte[l->prioritised_bit_rate] * 8);
	b->bsd_ms = bsd_ms[l->bucket_size_duration];
	b->lcg = l->has_lcg ? l->lcg : 0;
	return 0;
}

int rrc_srb_bearer(const struct rrc_srb *s, struct rl_cfg_bearer *b)
{
	memset(b, 0, sizeof(*b));
	if (s->id < 1 || s->id > 2)
		return L2_EINVAL;
	b->rb_id = s->id;
	b->lcid = s->id;
	b->srb = 1;
	b->pdcp_sn_bits = 5;
	/* §9.2.1.1-2: AM, t-PollRetransmit ms45, pollPDU and pollByte infinity, maxRetx t4,
	 * t-Reordering ms35, t-StatusProhibit ms0; priority 1 (SRB1) or 3 (SRB2), PBR
	 * infinity, LCG 0. An explicit value replaces the default. */
	b->rlc_mode = RL_RLC_AM;
	b->t_poll_retx_ms = 45;
	b->max_retx = 4;
	b->t_reordering_ms = 35;
	b->priority = s->id == 1 ? 1 : 3;
	b->pbr_kbps = 0xffff;
	b->bsd_ms = 50;
	if (s->has_rlc && !s->rlc_default && (s->rlc.mode != RRC_RLC_AM || rlc_from(&s->rlc, b)))
		return L2_EINVAL;
	if (s->has_lch && !s->lch_default && lch_from(&s->lch, b))
		return L2_EINVAL;
	return 0;
}

int rrc_drb_bearer(const struct rrc_drb *d, struct rl_cfg_bearer *b)
{
	memset(b, 0, sizeof(*b));
	/* A DRB added needs all of these (§6.3.2 DRB-ToAddMod, "Cond DRB-Setup"). */
	if (!d->has_pdcp || !d->has_rlc || !d->has_lcid || !d->has_lch || d->drb_id < 1 ||
	    d->drb_id > 8 || d->lcid < 3 || d->lcid > 10)
		return L2_EINVAL;
	b->rb_id = d->drb_id;
	b->lcid = d->lcid;
	if (rlc_from(&d->rlc, b) || lch_from(&d->lch, b))
		return L2_EINVAL;
	b->pdcp_sn_bits = b->rlc_mode == RL_RLC_AM || d->pdcp.um_sn_12 ? 12 : 7;
	b->discard_ms = d->pdcp.has_discard_timer ? discard_ms[d->pdcp.discard_timer & 7] : 0;
	return 0;
}

/* The first index of `n` values whose value is at least `v` (0 meaning infinity, last). */
static uint8_t index_at_least(uint32_t v, uint32_t (*value)(uint8_t), uint8_t n)
{
	uint8_t i;

	for (i = 0; i < n; i++) {
		uint32_t x = value(i);

		if (x >= v && !(x == 0 && v != 0))
			return i;
	}
	return (uint8_t)(n - 1);
}

static uint32_t v_poll_retx(uint8_t i)
{
	return t_poll_retx_ms(i);
}

static uint32_t v_reordering(uint8_t i)
{
	return t_reordering_ms(i);
}

static uint32_t v_status(uint8_t i)
{
	return t_status_prohibit_ms(i);
}

static uint32_t v_poll_pdu(uint8_t i)
{
	return poll_pdu[i];
}

static uint32_t v_poll_byte(uint8_t i)
{
	return (uint32_t)poll_kb[i] * 1000;
}

static uint32_t v_max_retx(uint8_t i)
{
	return max_retx[i];
}

static uint32_t v_bsd(uint8_t i)
{
	return bsd_ms[i];
}

static uint32_t v_discard(uint8_t i)
{
	return discard_ms[i];
}

int rrc_drb_from_bearer(const struct rl_cfg_bearer *b, uint8_t ebi, struct rrc_drb *d)
{
	uint8_t pbr;

	if (b->srb || b->rb_id < 1 || b->rb_id > 8 || b->lcid < 3 || b->lcid > 10 ||
	    b->priority < 1 || b->priority > 16 || b->lcg > 3)
		return L2_EINVAL;
	memset(d, 0, sizeof(*d));
	d->has_eps_bearer_id = d->has_pdcp = d->has_rlc = d->has_lcid = d->has_lch = true;
	d->eps_bearer_id = ebi;
	d->drb_id = b->rb_id;
	d->lcid = b->lcid;
	d->pdcp.has_discard_timer = true;
	d->pdcp.discard_timer = b->discard_ms ? index_at_least(b->discard_ms, v_discard, 7) : 7;
	if (b->rlc_mode == RL_RLC_AM) {
		d->pdcp.has_rlc_am = true;
		d->pdcp.status_report_required = true;
		d->rlc.mode = RRC_RLC_AM;
		d->rlc.t_poll_retransmit = index_at_least(b->t_poll_retx_ms, v_poll_retx, 55);
		d->rlc.poll_pdu = b->poll_pdu ? index_at_least(b->poll_pdu, v_poll_pdu, 7) : 7;
		d->rlc.poll_byte =
			b->poll_byte ? index_at_least(b->poll_byte, v_poll_byte, 14) : 14;
		d->rlc.max_retx_threshold = index_at_least(b->max_retx, v_max_retx, 8);
		d->rlc.t_status_prohibit = index_at_least(b->t_status_prohibit_ms, v_status, 56);
	} else if (b->rlc_mode == RL_RLC_UM) {
		d->pdcp.has_rlc_um = true;
		d->pdcp.um_sn_12 = b->pdcp_sn_bits == 12;
		d->rlc.mode = RRC_RLC_UM_BI;
		d->rlc.ul_sn_10 = d->rlc.dl_sn_10 = b->um_sn_bits == 10;
	} else {
		return L2_EINVAL;
	}
	d->rlc.t_reordering = index_at_least(b->t_reordering_ms, v_reordering, 31);
	d->lch.has_ul = true;
	d->lch.priority = b->priority;
	for (pbr = 0; pbr < 7 && pbr_kbyte[pbr] * 8 < b->pbr_kbps; pbr++)
		;
	d->lch.prioritised_bit_rate = b->pbr_kbps == 0xffff ? 7 : pbr;
	d->lch.bucket_size_duration = index_at_least(b->bsd_ms, v_bsd, 6);
	d->lch.has_lcg = true;
	d->lch.lcg = b->lcg;
	return 0;
}
