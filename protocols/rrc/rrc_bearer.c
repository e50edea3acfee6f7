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
