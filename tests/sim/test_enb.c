/* SPDX-License-Identifier: BSD-2-Clause */
/* The eNB's data path: DL grants sized by its RLC queues, UL grants by BSR and SR (TS 36.321 §5.4). */
#include "test.h"

#include "enb_cfg.h"
#include "l2/pcap.h"

static struct enb enb;

/* DL: a TB sized for what the RLC queues hold, carrying the DRB's PDCP PDUs on its LCID. */
static void enb_dl_tb_sized_by_rlc_queue(void)
{
	struct enb_config cfg;
	struct mac_pdu_view v;
	uint8_t pkt[500];
	struct enb_dl_out *o;
	uint32_t sf = 0, got = 0;
	unsigned i;

	test_enb_config(&cfg, 1);
	CU_ASSERT_EQUAL_FATAL(enb_init(&enb, &cfg), 0);
	CU_ASSERT_EQUAL(enb_tx_ip(&enb, 0, 1, pkt, sizeof(pkt)), L2_ESTATE); /* not connected */
	test_enb_connect(&enb, 0, &sf);
	CU_ASSERT_EQUAL_FATAL(enb.ue[0].state, ENB_UE_CONNECTED);
	memset(pkt, 0x45, sizeof(pkt));
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(enb_tx_ip(&enb, 0, 1, pkt, sizeof(pkt)), 0);
	CU_ASSERT(enb_dl_queued(&enb, 0, 1) >= 1500);
	enb_subframe(&enb, sf);
	o = &enb.ue[0].out;
	CU_ASSERT_EQUAL_FATAL(o->n_tb, 1);
	/* 3 x (500 + 2 PDCP) bytes, RLC and MAC headers, a little slack: one TB. */
	CU_ASSERT(o->tb[0].tb.tbs >= 1506 + 2 + 3 && o->tb[0].tb.tbs <= 1506 + 40);
	CU_ASSERT_EQUAL_FATAL(mac_pdu_parse(o->tb[0].tb.tb, o->tb[0].tb.tbs, MAC_DL, &v), 0);
	for (i = 0; i < v.n; i++)
		if (v.e[i].lcid == 3)
			got += v.e[i].len;
	CU_ASSERT(got >= 1506 + 2);
	CU_ASSERT_EQUAL(enb_dl_queued(&enb, 0, 1), 0);
	enb_ul_end(&enb, 0, sf);
	enb_end_subframe(&enb, sf);
	/* DTX on that TB: it comes back HARQ_RTT later, the same bytes. */
	for (i = 1; i < HARQ_RTT; i++) {
		enb_subframe(&enb, sf + i);
		CU_ASSERT_EQUAL(o->n_tb, 0);
		enb_ul_end(&enb, 0, sf + i);
		enb_end_subframe(&enb, sf + i);
	}
	enb_subframe(&enb, sf + HARQ_RTT);
	CU_ASSERT_EQUAL_FATAL(o->n_tb, 1);
	CU_ASSERT_EQUAL(o->tb[0].retx, 1);
	enb_free(&enb);
}

/* UL: an SR gets sr_grant bytes; a BSR then sizes the grants; data received is taken off. */
static void enb_ul_grants_from_sr_and_bsr(void)
{
	struct enb_config cfg;
	struct enb_dl_out *o;
	struct mac_pdu_writer w;
	uint8_t tb[2000], bsr, retx, data[1000] = {0};
	struct rl_ul_tb ul;
	uint32_t sf = 0;

	test_enb_config(&cfg, 1);
	CU_ASSERT_EQUAL_FATAL(enb_init(&enb, &cfg), 0);
	test_enb_connect(&enb, 0, &sf);
	o = &enb.ue[0].out;
	enb_subframe(&enb, sf);
	CU_ASSERT_EQUAL(o->n_grant, 0);
	CU_ASSERT_EQUAL(enb_rx_sr(&enb, 0, sf), 0);
	enb_ul_end(&enb, 0, sf);
	enb_end_subframe(&enb, sf);
	sf++;
	enb_subframe(&enb, sf);
	CU_ASSERT_EQUAL_FATAL(o->n_grant, 1);
	CU_ASSERT_EQUAL(o->grant[0].tbs, cfg.sr_grant);
	/* The UE answers with a Short BSR: LCG 1 holds about 1000 bytes. */
	bsr = mac_ce_short_bsr(1, 1000);
	mac_pdu_init(&w, o->grant[0].tbs, MAC_UL);
	mac_pdu_add(&w, MAC_LCID_UL_SBSR, &bsr, 1);
	mac_pdu_finish(&w, tb);
	ul = (struct rl_ul_tb){.rnti = o->grant[0].rnti,
			       .harq_pid = o->grant[0].harq_pid,
			       .tbs = o->grant[0].tbs,
			       .tb = tb,
			       .crc_ok = true};
	CU_ASSERT_EQUAL(enb_rx_ul_tb(&enb, 0, sf, &ul, &retx), 0);
	enb_ul_end(&enb, 0, sf);
	enb_end_subframe(&enb, sf);
	sf++;
	enb_subframe(&enb, sf);
	CU_ASSERT_EQUAL_FATAL(o->n_grant, 1);
	CU_ASSERT_EQUAL(o->grant[0].tbs, mac_bsr_bytes(mac_bsr_index(1000)) + 8);
	/* 1000 bytes of DRB data (LCID 3, LCG 1) filling the TB, no BSR: the UE may hold more,
	 * so the estimate stays at twice what came (grants grow until a BSR tells). */
	mac_pdu_init(&w, o->grant[0].tbs, MAC_UL);
	mac_pdu_add(&w, 3, data, 1000);
	mac_pdu_finish(&w, tb);
	ul = (struct rl_ul_tb){.rnti = o->grant[0].rnti,
			       .harq_pid = o->grant[0].harq_pid,
			       .tbs = o->grant[0].tbs,
			       .tb = tb,
			       .crc_ok = true};
	CU_ASSERT_EQUAL(enb_rx_ul_tb(&enb, 0, sf, &ul, &retx), 0);
	CU_ASSERT_EQUAL(enb.ue[0].bsr[1], 2000);
	enb_ul_end(&enb, 0, sf);
	enb_end_subframe(&enb, sf);
	enb_free(&enb);
}

/* A cell shared by four full UEs: PRBs never exceed the cell, RR serves them equally, and
 * the cell is used. */
static void enb_four_ues_share_the_cell(void)
{
	struct enb_config cfg;
	uint8_t pkt[1400] = {0x45};
	uint32_t sf = 0, bytes[4] = {0}, t;
	unsigned i;

	test_enb_config(&cfg, 4);
	cfg.pool_bufs = 1024;
	/* UM: no peer sends RLC STATUS here, so AM would stall at its window. */
	cfg.bearer[2].rlc_mode = RL_RLC_UM;
	cfg.bearer[2].um_sn_bits = 10;
	CU_ASSERT_EQUAL_FATAL(enb_init(&enb, &cfg), 0);
	for (i = 0; i < 4; i++)
		test_enb_connect(&enb, i, &sf);
	for (t = 0; t < 400; t++, sf++) {
		uint32_t prbs = 0;

		for (i = 0; i < 4; i++)
			while (enb_dl_queued(&enb, i, 1) < 20000)
				enb_tx_ip(&enb, i, 1, pkt, sizeof(pkt));
		enb_subframe(&enb, sf);
		for (i = 0; i < 4; i++) {
			struct enb_dl_out *o = &enb.ue[i].out;
			unsigned k;

			for (k = 0; k < o->n_tb; k++) {
				struct rl_harq_ack a = {.harq_pid = o->tb[k].tb.harq_pid,
							.ack = true};

				prbs += (o->tb[k].tb.tbs + 71) / 72;
				bytes[i] += o->tb[k].tb.tbs;
				enb_rx_harq_ack(&enb, i, sf, &a);
			}
			enb_ul_end(&enb, i, sf);
		}
		CU_ASSERT(prbs <= cfg.prbs_dl);
		enb_end_subframe(&enb, sf);
	}
	for (i = 1; i < 4; i++)
		CU_ASSERT(bytes[i] * 100 >= bytes[0] * 97 && bytes[i] * 100 <= bytes[0] * 103);
	CU_ASSERT(bytes[0] > 400u * 50 * 72 / 4 * 9 / 10);
	enb_free(&enb);
}

TEST_SUITE(sim_enb, TEST_CASE(enb_dl_tb_sized_by_rlc_queue),
	   TEST_CASE(enb_ul_grants_from_sr_and_bsr), TEST_CASE(enb_four_ues_share_the_cell))
