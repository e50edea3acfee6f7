/* SPDX-License-Identifier: BSD-2-Clause */
/* A small cell for eNB tests: SRB1, SRB2 and one AM DRB, 128-EEA2/128-EIA2. */
#pragma once

#include <string.h>

#include "enb.h"

static inline void test_enb_config(struct enb_config *c, unsigned n_ue)
{
	static const struct rl_cfg_bearer srb = {.srb = true,
						 .rlc_mode = RL_RLC_AM,
						 .pdcp_sn_bits = 5,
						 .priority = 1,
						 .lcg = 0,
						 .pbr_kbps = 0xffff,
						 .bsd_ms = 1000,
						 .t_poll_retx_ms = 45,
						 .t_reordering_ms = 35,
						 .t_status_prohibit_ms = 0,
						 .max_retx = 8};
	unsigned i;

	memset(c, 0, sizeof(*c));
	c->n_ue = n_ue;
	c->seed = 1;
	c->prbs_dl = c->prbs_ul = 50;
	c->bytes_per_prb_dl = c->bytes_per_prb_ul = 72;
	c->policy = SCHED_RR;
	c->max_harq_tx_dl = 4;
	c->sr_grant = 64;
	c->rar_window = 10;
	c->pool_bufs = 512;
	c->mac = (struct rl_cfg_mac){.max_harq_tx = 4,
				     .preamble_trans_max = 10,
				     .periodic_bsr_ms = 20,
				     .retx_bsr_ms = 320,
				     .rar_window = 10,
				     .cr_timer = 64,
				     .num_preambles = 64,
				     .cpu_hz = 1000000000};
	for (i = 0; i < 3; i++) {
		c->bearer[i] = srb;
		c->bearer[i].rb_id = (uint8_t)(i < 2 ? i + 1 : 1);
		c->bearer[i].lcid = (uint8_t)(i + 1);
	}
	c->bearer[1].priority = 3;
	c->bearer[2].srb = false;
	c->bearer[2].pdcp_sn_bits = 12;
	c->bearer[2].priority = 5;
	c->bearer[2].lcg = 1;
	c->bearer[2].max_retx = 32;
	c->n_bearers = 3;
	c->sec.eea = 2;
	c->sec.eia = 2;
	for (i = 0; i < 32; i++)
		c->sec.kenb[i] = (uint8_t)(i * 7 + 1);
}

/* Take UE `ue` through random access to connected; *sf moves on past it. Returns its C-RNTI. */
static inline uint16_t test_enb_connect(struct enb *e, unsigned ue, uint32_t *sf)
{
	struct rl_prach pr = {.preamble = (uint8_t)(ue + 1), .ra_rnti = (uint16_t)(1 + *sf % 10)};
	uint8_t ccch[6] = {0x50, 1, 2, 3, 4, (uint8_t)ue}, tb[ENB_MSG3_TBS], retx;
	unsigned i, k;

	for (i = 0; i < e->cfg.n_ue; i++)
		e->ue[i].awake = true;
	for (k = 0; k < 40 && e->ue[ue].state != ENB_UE_CONNECTED; k++, (*sf)++) {
		struct enb_dl_out *o = &e->ue[ue].out;

		enb_subframe(e, *sf);
		if (k == 0)
			enb_rx_prach(e, ue, *sf, &pr);
		if (o->n_grant && e->ue[ue].state == ENB_UE_IDLE) {
			struct mac_pdu_writer w;
			struct rl_ul_tb ul = {.rnti = o->grant[0].rnti,
					      .harq_pid = o->grant[0].harq_pid,
					      .tbs = o->grant[0].tbs,
					      .tb = tb,
					      .crc_ok = true};

			mac_pdu_init(&w, ul.tbs, MAC_UL);
			mac_pdu_add(&w, MAC_LCID_CCCH, ccch, 6);
			mac_pdu_finish(&w, tb);
			enb_rx_ul_tb(e, ue, *sf, &ul, &retx);
		}
		for (i = 0; i < o->n_tb; i++) {
			struct rl_harq_ack a = {.harq_pid = o->tb[i].tb.harq_pid, .ack = true};

			if (o->tb[i].tb.rnti == e->ue[ue].rnti && e->ue[ue].state == ENB_UE_MSG4)
				enb_rx_harq_ack(e, ue, *sf, &a);
		}
		for (i = 0; i < e->cfg.n_ue; i++)
			enb_ul_end(e, i, *sf);
		enb_end_subframe(e, *sf);
	}
	return e->ue[ue].rnti;
}
