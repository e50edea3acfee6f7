/* SPDX-License-Identifier: BSD-2-Clause */
/* RRC information elements of the subset (TS 36.331 §6.3): radio resource configuration, PLMN identity. */
#include <string.h>

#include "rrc_ie.h"

/* PLMN-Identity (§6.3.4): MCC OPTIONAL, MNC of 2 or 3 digits. */
void rrc_c_plmn(struct per_c *c, struct rrc_plmn *p)
{
	unsigned i;

	c_bool(c, &p->has_mcc);
	if (p->has_mcc)
		for (i = 0; i < 3; i++)
			c_u8(c, &p->mcc[i], 0, 9);
	c_u8(c, &p->mnc_len, 2, 3);
	for (i = 0; i < p->mnc_len && i < 3; i++)
		c_u8(c, &p->mnc[i], 0, 9);
}

/* RLC-Config (§6.3.2): an extensible CHOICE of AM and the UM variants. */
static void c_ul_am(struct per_c *c, struct rrc_rlc_config *x)
{
	c_enum(c, &x->t_poll_retransmit, 64, false);
	c_enum(c, &x->poll_pdu, 8, false);
	c_enum(c, &x->poll_byte, 16, false);
	c_enum(c, &x->max_retx_threshold, 8, false);
}

static void c_dl_am(struct per_c *c, struct rrc_rlc_config *x)
{
	c_enum(c, &x->t_reordering, 32, false);
	c_enum(c, &x->t_status_prohibit, 64, false);
}

void rrc_c_rlc_config(struct per_c *c, struct rrc_rlc_config *x)
{
	c_enum(c, &x->mode, 4, true);
	switch (x->mode) {
	case RRC_RLC_AM:
		c_ul_am(c, x);
		c_dl_am(c, x);
		break;
	case RRC_RLC_UM_BI:
		c_enum(c, &x->ul_sn_10, 2, false);
		c_enum(c, &x->dl_sn_10, 2, false);
		c_enum(c, &x->t_reordering, 32, false);
		break;
	case RRC_RLC_UM_UL:
		c_enum(c, &x->ul_sn_10, 2, false);
		break;
	case RRC_RLC_UM_DL:
		c_enum(c, &x->dl_sn_10, 2, false);
		c_enum(c, &x->t_reordering, 32, false);
		break;
	default:
		c_fail(c, L2_EINVAL);
	}
}

/* LogicalChannelConfig (§6.3.2). */
void rrc_c_lch_config(struct per_c *c, struct rrc_lch_config *x)
{
	bool ext = c_ext(c);

	c_bool(c, &x->has_ul);
	if (x->has_ul) {
		c_bool(c, &x->has_lcg);
		c_u8(c, &x->priority, 1, 16);
		c_enum(c, &x->prioritised_bit_rate, 16, false);
		c_enum(c, &x->bucket_size_duration, 8, false);
		if (x->has_lcg)
			c_u8(c, &x->lcg, 0, 3);
	}
	c_additions(c, ext);
}

/* PDCP-Config (§6.3.2); ROHC is outside the subset (PDCP has no ROHC). */
static void c_pdcp_config(struct per_c *c, struct rrc_pdcp_config *x)
{
	bool ext = c_ext(c);
	uint8_t hc = 0;

	c_bool(c, &x->has_discard_timer);
	c_bool(c, &x->has_rlc_am);
	c_bool(c, &x->has_rlc_um);
	if (x->has_discard_timer)
		c_enum(c, &x->discard_timer, 8, false);
	if (x->has_rlc_am)
		c_bool(c, &x->status_report_required);
	if (x->has_rlc_um)
		c_enum(c, &x->um_sn_12, 2, false);
	c_enum(c, &hc, 2, false); /* headerCompression: notUsed */
	if (hc)
		c_fail(c, L2_ENOTSUP);
	c_additions(c, ext);
}

/* MAC-MainConfig (§6.3.2) with DRX-Config. */
static const uint16_t long_drx_cycle[16] = {10,	 20,  32,  40,	64,   80,   128,  160,
					    256, 320, 512, 640, 1024, 1280, 2048, 2560};

static void c_mac_config(struct per_c *c, struct rrc_mac_config *x)
{
	bool ext = c_ext(c);

	c_bool(c, &x->has_ul_sch);
	c_bool(c, &x->has_drx);
	c_bool(c, &x->has_phr);
	if (x->has_ul_sch) {
		c_bool(c, &x->has_max_harq_tx);
		c_bool(c, &x->has_periodic_bsr);
		if (x->has_max_harq_tx)
			c_enum(c, &x->max_harq_tx, 16, false);
		if (x->has_periodic_bsr)
			c_enum(c, &x->periodic_bsr_timer, 16, false);
		c_enum(c, &x->retx_bsr_timer, 8, false);
		c_bool(c, &x->tti_bundling);
	}
	if (x->has_drx) {
		uint8_t setup = x->drx_setup;

		c_enum(c, &setup, 2, false);
		x->drx_setup = setup;
		if (setup) {
			c_bool(c, &x->has_short_drx);
			c_enum(c, &x->on_duration_timer, 16, false);
			c_enum(c, &x->drx_inactivity_timer, 32, false);
			c_enum(c, &x->drx_retx_timer, 8, false);
			c_enum(c, &x->long_cycle, 16, false);
			if (!c_err(c) && x->long_cycle < 16)
				c_u16(c, &x->drx_offset, 0, long_drx_cycle[x->long_cycle] - 1);
			if (x->has_short_drx) {
				c_enum(c, &x->short_cycle, 16, false);
				c_u8(c, &x->short_cycle_timer, 1, 16);
			}
		}
	}
	c_enum(c, &x->time_alignment_timer, 8, false);
	if (x->has_phr) {
		uint8_t setup = x->phr_setup;

		c_enum(c, &setup, 2, false);
		x->phr_setup = setup;
		if (setup) {
			c_enum(c, &x->periodic_phr_timer, 8, false);
			c_enum(c, &x->prohibit_phr_timer, 8, false);
			c_enum(c, &x->dl_pathloss_change, 4, false);
		}
	}
	c_additions(c, ext);
}

static void c_srb(struct per_c *c, struct rrc_srb *s)
{
	bool ext = c_ext(c);
	uint8_t choice;

	c_bool(c, &s->has_rlc);
	c_bool(c, &s->has_lch);
	c_u8(c, &s->id, 1, 2);
	if (s->has_rlc) {
		choice = s->rlc_default;
		c_enum(c, &choice, 2, false);
		s->rlc_default = choice;
		if (!choice)
			rrc_c_rlc_config(c, &s->rlc);
	}
	if (s->has_lch) {
		choice = s->lch_default;
		c_enum(c, &choice, 2, false);
		s->lch_default = choice;
		if (!choice)
			rrc_c_lch_config(c, &s->lch);
	}
	c_additions(c, ext);
}

static void c_drb(struct per_c *c, struct rrc_drb *d)
{
	bool ext = c_ext(c);

	c_bool(c, &d->has_eps_bearer_id);
	c_bool(c, &d->has_pdcp);
	c_bool(c, &d->has_rlc);
	c_bool(c, &d->has_lcid);
	c_bool(c, &d->has_lch);
	if (d->has_eps_bearer_id)
		c_u8(c, &d->eps_bearer_id, 0, 15);
	c_u8(c, &d->drb_id, 1, 32);
	if (d->has_pdcp)
		c_pdcp_config(c, &d->pdcp);
	if (d->has_rlc)
		rrc_c_rlc_config(c, &d->rlc);
	if (d->has_lcid)
		c_u8(c, &d->lcid, 3, 10);
	if (d->has_lch)
		rrc_c_lch_config(c, &d->lch);
	c_additions(c, ext);
}

/* RadioResourceConfigDedicated (§6.3.2); SPS and PhysicalConfigDedicated are outside the subset. */
void rrc_c_radio_config(struct per_c *c, struct rrc_radio_config *x)
{
	bool ext = c_ext(c), has_srb = x->n_srb > 0, has_drb = x->n_drb > 0;
	bool has_rel = x->n_drb_release > 0;
	unsigned i;

	c_bool(c, &has_srb);
	c_bool(c, &has_drb);
	c_bool(c, &has_rel);
	c_bool(c, &x->has_mac);
	c_absent(c); /* sps-Config */
	c_absent(c); /* physicalConfigDedicated */
	if (has_srb) {
		c_count(c, &x->n_srb, 1, 2, RRC_MAX_SRB);
		for (i = 0; i < x->n_srb && !c_err(c); i++)
			c_srb(c, &x->srb[i]);
	} else if (c->dec) {
		x->n_srb = 0;
	}
	if (has_drb) {
		c_count(c, &x->n_drb, 1, RRC_MAX_DRB, RRC_MAX_DRB);
		for (i = 0; i < x->n_drb && !c_err(c); i++)
			c_drb(c, &x->drb[i]);
	} else if (c->dec) {
		x->n_drb = 0;
	}
	if (has_rel) {
		c_count(c, &x->n_drb_release, 1, RRC_MAX_DRB, RRC_MAX_DRB);
		for (i = 0; i < x->n_drb_release && !c_err(c); i++)
			c_u8(c, &x->drb_release[i], 1, 32);
	} else if (c->dec) {
		x->n_drb_release = 0;
	}
	if (x->has_mac) {
		uint8_t def = x->mac_default;

		c_enum(c, &def, 2, false);
		x->mac_default = def;
		if (!def)
			c_mac_config(c, &x->mac);
	}
	c_additions(c, ext);
}
