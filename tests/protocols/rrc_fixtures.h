/* SPDX-License-Identifier: BSD-2-Clause */
/* Sample RRC messages of every type of the subset, shared by the RRC tests and fuzzer. */
#pragma once

#include <string.h>

#include "l3/rrc.h"

static const uint8_t rfx_nas_attach[] = {0x07, 0x41, 0x71, 0x08, 0x09, 0x10, 0x10,
					 0x10, 0x32, 0x54, 0x76, 0x98, 0x02, 0xe0,
					 0xe0, 0x00, 0x03, 0x02, 0x01, 0xd9};
static const uint8_t rfx_nas_short[] = {0x07, 0x55, 0x01}; /* identity request */

static inline void rfx_plmn(struct rrc_plmn *p)
{
	memset(p, 0, sizeof(*p));
	p->has_mcc = true;
	p->mcc[2] = 1; /* 001 */
	p->mnc_len = 2;
	p->mnc[1] = 1; /* 01 */
}

/* SRB1 with explicit AM RLC (as TS 36.331 §9.2.1.1 defaults) and SRB2 with defaults. */
static inline void rfx_radio_setup(struct rrc_radio_config *rr)
{
	memset(rr, 0, sizeof(*rr));
	rr->n_srb = 2;
	rr->srb[0].id = 1;
	rr->srb[0].has_rlc = true;
	rr->srb[0].rlc.mode = RRC_RLC_AM;
	rr->srb[0].rlc.t_poll_retransmit = 8;  /* ms45 */
	rr->srb[0].rlc.poll_pdu = 7;	       /* pInfinity */
	rr->srb[0].rlc.poll_byte = 14;	       /* kBinfinity */
	rr->srb[0].rlc.max_retx_threshold = 3; /* t4 */
	rr->srb[0].rlc.t_reordering = 7;       /* ms35 */
	rr->srb[0].rlc.t_status_prohibit = 0;  /* ms0 */
	rr->srb[0].has_lch = true;
	rr->srb[0].lch.has_ul = true;
	rr->srb[0].lch.priority = 1;
	rr->srb[0].lch.prioritised_bit_rate = 7; /* infinity */
	rr->srb[0].lch.bucket_size_duration = 0;
	rr->srb[0].lch.has_lcg = true;
	rr->srb[0].lch.lcg = 0;
	rr->srb[1].id = 2;
	rr->srb[1].has_rlc = true;
	rr->srb[1].rlc_default = true;
	rr->srb[1].has_lch = true;
	rr->srb[1].lch_default = true;
	rr->has_mac = true;
	rr->mac.has_ul_sch = true;
	rr->mac.has_max_harq_tx = true;
	rr->mac.max_harq_tx = 4; /* n5 */
	rr->mac.has_periodic_bsr = true;
	rr->mac.periodic_bsr_timer = 3;	  /* sf20 */
	rr->mac.retx_bsr_timer = 0;	  /* sf320 */
	rr->mac.time_alignment_timer = 7; /* infinity */
	rr->mac.has_phr = true;
	rr->mac.phr_setup = true;
	rr->mac.periodic_phr_timer = 2; /* sf50 */
	rr->mac.prohibit_phr_timer = 1;
	rr->mac.dl_pathloss_change = 1;
}

/* A default bearer: DRB1 on LCID 3 for EPS bearer 5, AM, with DRX in the MAC config. */
static inline void rfx_radio_drb(struct rrc_radio_config *rr)
{
	struct rrc_drb *d = &rr->drb[0];

	memset(rr, 0, sizeof(*rr));
	rr->n_drb = 1;
	d->has_eps_bearer_id = d->has_pdcp = d->has_rlc = d->has_lcid = d->has_lch = true;
	d->eps_bearer_id = 5;
	d->drb_id = 1;
	d->lcid = 3;
	d->pdcp.has_discard_timer = true;
	d->pdcp.discard_timer = 7; /* infinity */
	d->pdcp.has_rlc_am = true;
	d->pdcp.status_report_required = true;
	d->rlc.mode = RRC_RLC_AM;
	d->rlc.t_poll_retransmit = 19; /* ms100 */
	d->rlc.poll_pdu = 3;	       /* p32 */
	d->rlc.poll_byte = 5;	       /* kB250 */
	d->rlc.max_retx_threshold = 5; /* t8 */
	d->rlc.t_reordering = 7;       /* ms35 */
	d->rlc.t_status_prohibit = 7;  /* ms35 */
	d->lch.has_ul = true;
	d->lch.priority = 13;
	d->lch.prioritised_bit_rate = 0; /* kBps0 */
	d->lch.bucket_size_duration = 0;
	d->lch.has_lcg = true;
	d->lch.lcg = 3;
	rr->has_mac = true;
	rr->mac.has_drx = true;
	rr->mac.drx_setup = true;
	rr->mac.on_duration_timer = 7;	  /* psf10 */
	rr->mac.drx_inactivity_timer = 8; /* psf20 */
	rr->mac.drx_retx_timer = 1;	  /* psf2 */
	rr->mac.long_cycle = 9;		  /* sf320 */
	rr->mac.drx_offset = 123;
	rr->mac.has_short_drx = true;
	rr->mac.short_cycle = 7; /* sf40 */
	rr->mac.short_cycle_timer = 2;
	rr->mac.time_alignment_timer = 7;
}

static inline void rfx_sib2(struct rrc_sib2 *s)
{
	memset(s, 0, sizeof(*s));
	s->n_preambles = 12; /* n52 */
	s->power_ramping_step = 2;
	s->preamble_init_target_power = 6;  /* dBm-108 */
	s->preamble_trans_max = 6;	    /* n10 */
	s->ra_response_window = 7;	    /* sf10 */
	s->contention_resolution_timer = 7; /* sf64 */
	s->max_harq_msg3_tx = 4;
	s->modification_period_coeff = 1; /* n4 */
	s->default_paging_cycle = 2;	  /* rf128 */
	s->nb = 2;			  /* oneT */
	s->root_sequence_index = 128;
	s->prach_config_index = 3;
	s->zero_correlation_zone = 5;
	s->prach_freq_offset = 4;
	s->reference_signal_power = -2;
	s->p_b = 1;
	s->n_sb = 1;
	s->pusch_hopping_offset = 2;
	s->delta_pucch_shift = 1;
	s->n_rb_cqi = 1;
	s->n1_pucch_an = 12;
	s->p0_nominal_pusch = -85;
	s->alpha = 5; /* al08 */
	s->p0_nominal_pucch = -107;
	s->delta_f_pucch[1] = 1;
	s->delta_f_pucch[2] = 1;
	s->delta_f_pucch[3] = 1;
	s->delta_f_pucch[4] = 1;
	s->delta_preamble_msg3 = 6;
	s->t300 = 3; /* ms400 */
	s->t301 = 3;
	s->t310 = 3; /* ms200 */
	s->n310 = 0;
	s->t311 = 2; /* ms5000 */
	s->n311 = 0;
	s->has_ul_bandwidth = true;
	s->ul_bandwidth = 2; /* n25 */
	s->additional_spectrum_emission = 1;
	s->time_alignment_timer = 7;
}

/* Message `i` of the set; 0 past the end. */
static inline int rrc_fixture(int i, struct rrc_msg *m, struct rrc_ue_eutra_cap *cap,
			      uint8_t *cap_buf, size_t cap_len)
{
	memset(m, 0, sizeof(*m));
	switch (i) {
	case 0:
		m->type = RRC_MIB;
		m->u.mib.dl_bandwidth = 2; /* n25 */
		m->u.mib.phich_resource = 2;
		m->u.mib.sfn_msb = 0x5a;
		return 1;
	case 1: {
		struct rrc_sib1 *s = &m->u.sib1;

		m->type = RRC_SIB1;
		s->n_plmn = 1;
		rfx_plmn(&s->plmn[0]);
		s->tac = 7;
		s->cell_id = 0x19b01;
		s->q_rx_lev_min = -65;
		s->freq_band = 7;
		s->n_sched = 1;
		s->sched[0].periodicity = 1; /* rf16 */
		s->sched[0].n_sib = 0;
		s->si_window = 4; /* ms15 */
		s->value_tag = 3;
		return 1;
	}
	case 2:
		m->type = RRC_SI;
		rfx_sib2(&m->u.sib2);
		return 1;
	case 3:
		m->type = RRC_CONN_REQUEST;
		m->u.conn_request.s_tmsi = true;
		m->u.conn_request.mmec = 0x1a;
		m->u.conn_request.m_tmsi = 0xc0de1234;
		m->u.conn_request.cause = 3; /* mo-Signalling */
		return 1;
	case 4:
		m->type = RRC_REEST_REQUEST;
		m->u.reest_request.c_rnti = 0x4601;
		m->u.reest_request.pci = 1;
		m->u.reest_request.short_mac_i = 0xbeef;
		m->u.reest_request.cause = 2; /* otherFailure */
		return 1;
	case 5:
		m->type = RRC_CONN_SETUP;
		rfx_radio_setup(&m->u.setup.rr);
		return 1;
	case 6:
		m->type = RRC_CONN_REJECT;
		m->u.reject.wait_time = 10;
		return 1;
	case 7:
		m->type = RRC_REEST;
		m->transaction_id = 1;
		rfx_radio_setup(&m->u.setup.rr);
		m->u.setup.rr.n_srb = 1;
		m->u.setup.next_hop_chaining_count = 2;
		return 1;
	case 8:
		m->type = RRC_REEST_REJECT;
		return 1;
	case 9: {
		struct rrc_setup_complete *s = &m->u.setup_complete;

		m->type = RRC_SETUP_COMPLETE;
		m->transaction_id = 0;
		s->selected_plmn = 1;
		s->has_registered_mme = true;
		s->mme_has_plmn = true;
		rfx_plmn(&s->mme_plmn);
		s->mmegi = 0x8001;
		s->mmec = 0x1a;
		s->nas.p = rfx_nas_attach;
		s->nas.len = sizeof(rfx_nas_attach);
		return 1;
	}
	case 10:
		m->type = RRC_SMC_COMPLETE;
		m->transaction_id = 2;
		return 1;
	case 11:
		m->type = RRC_SMC_FAILURE;
		m->transaction_id = 2;
		return 1;
	case 12: {
		int n;

		memset(cap, 0, sizeof(*cap));
		cap->category = 4;
		cap->n_bands = 2;
		cap->band[0] = 7;
		cap->band[1] = 3;
		cap->need_gaps[0][1] = true;
		cap->need_gaps[1][0] = true;
		cap->has_fgi = true;
		cap->fgi = 0x7f0c1880;
		n = rrc_ue_cap_encode(cap, cap_buf, cap_len);
		m->type = RRC_UE_CAP_INFO;
		m->transaction_id = 3;
		m->u.cap_info.n = 1;
		m->u.cap_info.c[0].rat = 0; /* eutra */
		m->u.cap_info.c[0].data.p = cap_buf;
		m->u.cap_info.c[0].data.len = (uint16_t)(n > 0 ? n : 0);
		return 1;
	}
	case 13:
		m->type = RRC_RECONF_COMPLETE;
		m->transaction_id = 1;
		return 1;
	case 14:
		m->type = RRC_UL_INFO;
		m->u.info.nas.p = rfx_nas_attach;
		m->u.info.nas.len = sizeof(rfx_nas_attach);
		return 1;
	case 15:
		m->type = RRC_REEST_COMPLETE;
		m->transaction_id = 1;
		return 1;
	case 16:
		m->type = RRC_SMC;
		m->transaction_id = 2;
		m->u.smc.eea = 2;
		m->u.smc.eia = 2;
		return 1;
	case 17:
		m->type = RRC_UE_CAP_ENQUIRY;
		m->transaction_id = 3;
		m->u.cap_enquiry.n_rat = 1;
		return 1;
	case 18:
		m->type = RRC_RECONF;
		m->transaction_id = 1;
		m->u.reconf.n_nas = 1;
		m->u.reconf.nas[0].p = rfx_nas_attach;
		m->u.reconf.nas[0].len = sizeof(rfx_nas_attach);
		m->u.reconf.has_rr = true;
		rfx_radio_drb(&m->u.reconf.rr);
		return 1;
	case 19:
		m->type = RRC_DL_INFO;
		m->transaction_id = 0;
		m->u.info.nas.p = rfx_nas_short;
		m->u.info.nas.len = sizeof(rfx_nas_short);
		return 1;
	case 20:
		m->type = RRC_RELEASE;
		m->transaction_id = 0;
		m->u.release.cause = 1; /* other */
		m->u.release.has_redirect = true;
		m->u.release.redirect_earfcn = 3100;
		return 1;
	default:
		return 0;
	}
}

/* Wireshark dissector names of the message classes (exported PDU). */
static inline const char *rrc_dissector(enum rrc_channel ch)
{
	static const char *const names[] = {
		[RRC_BCCH_BCH] = "lte-rrc.bcch.bch", [RRC_BCCH_DL_SCH] = "lte-rrc.bcch.dl.sch",
		[RRC_DL_CCCH] = "lte-rrc.dl.ccch",   [RRC_DL_DCCH] = "lte-rrc.dl.dcch",
		[RRC_UL_CCCH] = "lte-rrc.ul.ccch",   [RRC_UL_DCCH] = "lte-rrc.ul.dcch",
	};

	return names[ch];
}
