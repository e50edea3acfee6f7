/* SPDX-License-Identifier: BSD-2-Clause */
/* SystemInformationBlockType1 and 2 (TS 36.331 §6.2.2, §6.3.1) and UE-EUTRA-Capability (§6.3.6). */
#include <string.h>

#include "rrc_ie.h"

/* SystemInformationBlockType1: cell access, selection, scheduling of the SI messages. */
void rrc_c_sib1(struct per_c *c, struct rrc_sib1 *s)
{
	bool nce = false, has_csg_id = false, has_offset = false;
	uint8_t barred = !s->barred, intra = s->intra_freq_not_allowed;
	unsigned i, k;

	c_bool(c, &s->has_p_max);
	c_bool(c, &s->has_tdd);
	c_bool(c, &nce);
	/* cellAccessRelatedInfo */
	c_bool(c, &has_csg_id);
	c_count(c, &s->n_plmn, 1, 6, RRC_MAX_PLMN);
	for (i = 0; i < s->n_plmn && !c_err(c); i++) {
		uint8_t reserved = !s->reserved[i];

		rrc_c_plmn(c, &s->plmn[i]);
		c_enum(c, &reserved, 2, false); /* reserved, notReserved */
		s->reserved[i] = !reserved;
	}
	c_bits16(c, &s->tac, 16);
	c_bits32(c, &s->cell_id, 28);
	c_enum(c, &barred, 2, false); /* barred, notBarred */
	c_enum(c, &intra, 2, false);  /* allowed, notAllowed */
	s->barred = !barred;
	s->intra_freq_not_allowed = intra;
	c_bool(c, &s->csg_indication);
	if (has_csg_id)
		c_fail(c, L2_ENOTSUP);
	/* cellSelectionInfo */
	c_bool(c, &has_offset);
	c_i8(c, &s->q_rx_lev_min, -70, -22);
	if (has_offset)
		c_fail(c, L2_ENOTSUP);
	if (s->has_p_max)
		c_i8(c, &s->p_max, -30, 33);
	c_u8(c, &s->freq_band, 1, 64);
	c_count(c, &s->n_sched, 1, 32, RRC_MAX_SI);
	for (i = 0; i < s->n_sched && !c_err(c); i++) {
		struct rrc_sched_info *si = &s->sched[i];

		c_enum(c, &si->periodicity, 7, false);
		c_count(c, &si->n_sib, 0, 31, RRC_MAX_SIB_MAP);
		for (k = 0; k < si->n_sib && !c_err(c); k++)
			c_enum(c, &si->sib[k], 16, true);
	}
	if (s->has_tdd) {
		c_enum(c, &s->tdd_sa, 7, false);
		c_enum(c, &s->tdd_ssp, 9, false);
	}
	c_enum(c, &s->si_window, 7, false);
	c_u8(c, &s->value_tag, 0, 31);
	/* nonCriticalExtension (v890 and later) is the last field: not read. */
}

static void c_ac_barring_config(struct per_c *c)
{
	uint8_t v = 0;
	uint64_t special = 0;

	c_enum(c, &v, 16, false);
	c_enum(c, &v, 8, false);
	c_bits(c, &special, 5);
}

/* SystemInformationBlockType2 (§6.3.1): the Rel-8 root, extension additions skipped. */
void rrc_c_sib2(struct per_c *c, struct rrc_sib2 *s)
{
	bool ext = c_ext(c), mbsfn = false, rach_ext, group_a_ext;
	unsigned i;

	c_bool(c, &s->has_ac_barring);
	c_bool(c, &mbsfn);
	if (s->has_ac_barring) {
		bool mo_sig = false, mo_data = false;

		c_bool(c, &mo_sig);
		c_bool(c, &mo_data);
		c_bool(c, &s->ac_barring_emergency);
		if (mo_sig)
			c_ac_barring_config(c);
		if (mo_data)
			c_ac_barring_config(c);
	}
	/* RadioResourceConfigCommonSIB */
	{
		bool rr_ext = c_ext(c);

		/* RACH-ConfigCommon */
		rach_ext = c_ext(c);
		c_bool(c, &s->has_group_a);
		c_enum(c, &s->n_preambles, 16, false);
		if (s->has_group_a) {
			group_a_ext = c_ext(c);
			c_enum(c, &s->group_a_size, 15, false);
			c_enum(c, &s->group_a_msg_size, 4, false);
			c_enum(c, &s->group_b_power_offset, 8, false);
			c_additions(c, group_a_ext);
		}
		c_enum(c, &s->power_ramping_step, 4, false);
		c_enum(c, &s->preamble_init_target_power, 16, false);
		c_enum(c, &s->preamble_trans_max, 11, false);
		c_enum(c, &s->ra_response_window, 8, false);
		c_enum(c, &s->contention_resolution_timer, 8, false);
		c_u8(c, &s->max_harq_msg3_tx, 1, 8);
		s->extensions_skipped = (uint8_t)(s->extensions_skipped + c_additions(c, rach_ext));
		/* BCCH-Config, PCCH-Config */
		c_enum(c, &s->modification_period_coeff, 4, false);
		c_enum(c, &s->default_paging_cycle, 4, false);
		c_enum(c, &s->nb, 8, false);
		/* PRACH-ConfigSIB */
		c_u16(c, &s->root_sequence_index, 0, 837);
		c_u8(c, &s->prach_config_index, 0, 63);
		c_bool(c, &s->high_speed);
		c_u8(c, &s->zero_correlation_zone, 0, 15);
		c_u8(c, &s->prach_freq_offset, 0, 94);
		/* PDSCH-ConfigCommon */
		c_i8(c, &s->reference_signal_power, -60, 50);
		c_u8(c, &s->p_b, 0, 3);
		/* PUSCH-ConfigCommon */
		{
			uint8_t hop = s->hopping_inter_intra;

			c_u8(c, &s->n_sb, 1, 4);
			c_enum(c, &hop, 2, false);
			s->hopping_inter_intra = hop;
		}
		c_u8(c, &s->pusch_hopping_offset, 0, 98);
		c_bool(c, &s->enable_64qam);
		c_bool(c, &s->group_hopping);
		c_u8(c, &s->group_assignment_pusch, 0, 29);
		c_bool(c, &s->sequence_hopping);
		c_u8(c, &s->cyclic_shift, 0, 7);
		/* PUCCH-ConfigCommon */
		c_enum(c, &s->delta_pucch_shift, 3, false);
		c_u8(c, &s->n_rb_cqi, 0, 98);
		c_u8(c, &s->n_cs_an, 0, 7);
		c_u16(c, &s->n1_pucch_an, 0, 2047);
		/* SoundingRS-UL-ConfigCommon */
		{
			uint8_t setup = s->srs_setup;

			c_enum(c, &setup, 2, false);
			s->srs_setup = setup;
			if (setup) {
				c_bool(c, &s->srs_max_up_pts);
				c_enum(c, &s->srs_bw_config, 8, false);
				c_enum(c, &s->srs_subframe_config, 16, false);
				c_bool(c, &s->srs_ack_nack_simultaneous);
			}
		}
		/* UplinkPowerControlCommon */
		c_i16(c, &s->p0_nominal_pusch, -126, 24);
		c_enum(c, &s->alpha, 8, false);
		c_i8(c, &s->p0_nominal_pucch, -127, -96);
		c_enum(c, &s->delta_f_pucch[0], 3, false);
		c_enum(c, &s->delta_f_pucch[1], 3, false);
		c_enum(c, &s->delta_f_pucch[2], 4, false);
		c_enum(c, &s->delta_f_pucch[3], 3, false);
		c_enum(c, &s->delta_f_pucch[4], 3, false);
		c_i8(c, &s->delta_preamble_msg3, -1, 6);
		c_enum(c, &s->ul_cp_length, 2, false);
		s->extensions_skipped = (uint8_t)(s->extensions_skipped + c_additions(c, rr_ext));
	}
	/* UE-TimersAndConstants */
	{
		bool t_ext = c_ext(c);

		c_enum(c, &s->t300, 8, false);
		c_enum(c, &s->t301, 8, false);
		c_enum(c, &s->t310, 7, false);
		c_enum(c, &s->n310, 8, false);
		c_enum(c, &s->t311, 7, false);
		c_enum(c, &s->n311, 8, false);
		s->extensions_skipped = (uint8_t)(s->extensions_skipped + c_additions(c, t_ext));
	}
	/* freqInfo */
	c_bool(c, &s->has_ul_carrier);
	c_bool(c, &s->has_ul_bandwidth);
	if (s->has_ul_carrier)
		c_u16(c, &s->ul_carrier_freq, 0, 65535);
	if (s->has_ul_bandwidth)
		c_enum(c, &s->ul_bandwidth, 6, false);
	c_u8(c, &s->additional_spectrum_emission, 1, 32);
	if (mbsfn)
		c_fail(c, L2_ENOTSUP);
	c_enum(c, &s->time_alignment_timer, 8, false);
	i = c_additions(c, ext);
	s->extensions_skipped = (uint8_t)(s->extensions_skipped + i);
}

/* UE-EUTRA-Capability (§6.3.6): the Rel-8 root; interRAT parameters outside the subset. */
void rrc_c_ue_cap(struct per_c *c, struct rrc_ue_eutra_cap *u)
{
	bool nce = false, pdcp_ext;
	unsigned i, k;
	uint8_t n;

	c_bool(c, &u->has_fgi);
	c_bool(c, &nce);
	c_enum(c, &u->release, 8, true);
	c_u8(c, &u->category, 1, 5);
	pdcp_ext = c_ext(c);
	c_bool(c, &u->has_max_rohc);
	for (i = 0; i < 9; i++)
		c_bool(c, &u->rohc_profiles[i]);
	if (u->has_max_rohc)
		c_enum(c, &u->max_rohc_sessions, 16, false);
	c_additions(c, pdcp_ext);
	c_bool(c, &u->tx_antenna_selection);
	c_bool(c, &u->specific_ref_sigs);
	/* rf-Parameters: supportedBandListEUTRA */
	c_count(c, &u->n_bands, 1, 64, RRC_MAX_BANDS);
	for (i = 0; i < u->n_bands && !c_err(c); i++) {
		c_u8(c, &u->band[i], 1, 64);
		c_bool(c, &u->half_duplex[i]);
	}
	/* measParameters: bandListEUTRA, one entry per supported band */
	n = u->n_bands;
	c_count(c, &n, 1, 64, RRC_MAX_BANDS);
	if (c->dec && !c_err(c) && n != u->n_bands)
		c_fail(c, L2_ENOTSUP);
	for (i = 0; i < n && !c_err(c); i++) {
		uint8_t m = n;

		c_absent(c); /* interRAT-BandList */
		c_count(c, &m, 1, 64, RRC_MAX_BANDS);
		if (c->dec && !c_err(c) && m != n)
			c_fail(c, L2_ENOTSUP);
		for (k = 0; k < m && !c_err(c); k++)
			c_bool(c, &u->need_gaps[i][k]);
	}
	if (u->has_fgi)
		c_bits32(c, &u->fgi, 32);
	/* interRAT-Parameters: utraFDD .. cdma2000-1xRTT, none held */
	for (i = 0; i < 7; i++)
		c_absent(c);
}
