/* SPDX-License-Identifier: BSD-2-Clause */
/* The eNB's random access (TS 36.321 §5.1): RAR in the window, Msg3 grant, Msg4 identity, contention. */
#include "test.h"

#include "enb_cfg.h"
#include "l2/pcap.h"

static struct enb enb;

static void all_awake(struct enb *e, bool awake)
{
	unsigned i;

	for (i = 0; i < e->cfg.n_ue; i++)
		e->ue[i].awake = awake;
}

/* Run subframe `sf` with no UL content (every UE answered with nothing). */
static void quiet_subframe(struct enb *e, uint32_t sf)
{
	unsigned i;

	enb_subframe(e, sf);
	for (i = 0; i < e->cfg.n_ue; i++)
		enb_ul_end(e, i, sf);
	enb_end_subframe(e, sf);
}

/* A Msg3 as a UE sends it: its CCCH SDU (the identity) in a TB of the granted size. */
static void send_msg3(struct enb *e, unsigned ue, uint32_t sf, const struct rl_ul_grant *g,
		      const uint8_t ccch[6])
{
	static uint8_t tb[ENB_MSG3_TBS];
	struct mac_pdu_writer w;
	struct rl_ul_tb ul = {
		.rnti = g->rnti, .harq_pid = g->harq_pid, .tbs = g->tbs, .tb = tb, .crc_ok = true};
	uint8_t retx;

	mac_pdu_init(&w, g->tbs, MAC_UL);
	mac_pdu_add(&w, MAC_LCID_CCCH, ccch, 6);
	mac_pdu_finish(&w, tb);
	CU_ASSERT_EQUAL(enb_rx_ul_tb(e, ue, sf, &ul, &retx), 0);
}

/* §5.1.4 RAR on the RA-RNTI with our RAPID, a TC-RNTI and a Msg3 grant on it; §5.1.5 Msg4
 * carries the identity of Msg3, its ACK makes the TC-RNTI the C-RNTI. */
static void ra_rar_msg3_msg4_connects(void)
{
	static const uint8_t ccch[6] = {0x52, 0x11, 0x22, 0x33, 0x44, 0x56};
	struct enb_config cfg;
	struct rl_prach pr = {.preamble = 17, .ra_rnti = 1 + 40 % 10};
	struct mac_rar_pdu rar;
	struct mac_pdu_view v;
	struct enb_dl_out *o;
	struct rl_harq_ack ack;
	uint32_t sf;

	test_enb_config(&cfg, 1);
	CU_ASSERT_EQUAL_FATAL(enb_init(&enb, &cfg), 0);
	all_awake(&enb, true);
	for (sf = 0; sf < 40; sf++)
		quiet_subframe(&enb, sf);
	enb_subframe(&enb, 40);
	CU_ASSERT_EQUAL(enb_rx_prach(&enb, 0, 40, &pr), 0);
	enb_ul_end(&enb, 0, 40);
	enb_end_subframe(&enb, 40);
	/* Nothing before the RAR delay. */
	for (sf = 41; sf < 40 + ENB_RAR_DELAY; sf++) {
		enb_subframe(&enb, sf);
		CU_ASSERT_EQUAL(enb.ue[0].out.n_tb, 0);
		enb_ul_end(&enb, 0, sf);
		enb_end_subframe(&enb, sf);
	}
	enb_subframe(&enb, sf);
	o = &enb.ue[0].out;
	CU_ASSERT_EQUAL_FATAL(o->n_tb, 1);
	CU_ASSERT_EQUAL(o->tb[0].rnti_type, MAC_LTE_RA_RNTI);
	CU_ASSERT_EQUAL(o->tb[0].tb.rnti, pr.ra_rnti);
	CU_ASSERT_EQUAL_FATAL(mac_rar_parse(o->tb[0].tb.tb, o->tb[0].tb.tbs, &rar), 0);
	CU_ASSERT_EQUAL_FATAL(rar.n, 1);
	CU_ASSERT_EQUAL(rar.rar[0].rapid, 17);
	CU_ASSERT_EQUAL_FATAL(o->n_grant, 1);
	CU_ASSERT_EQUAL(o->grant[0].rnti, rar.rar[0].tc_rnti);
	CU_ASSERT_EQUAL(o->grant[0].tbs, ENB_MSG3_TBS);
	CU_ASSERT_EQUAL(o->grant[0].harq_pid, sf % 8);
	send_msg3(&enb, 0, sf, &o->grant[0], ccch);
	enb_ul_end(&enb, 0, sf);
	enb_end_subframe(&enb, sf);
	CU_ASSERT_EQUAL(enb.ue[0].state, ENB_UE_MSG4);
	/* Msg4 in the next subframe on the TC-RNTI: the identity CE, nothing else. */
	sf++;
	enb_subframe(&enb, sf);
	CU_ASSERT_EQUAL_FATAL(o->n_tb, 1);
	CU_ASSERT_EQUAL(o->tb[0].tb.rnti, rar.rar[0].tc_rnti);
	CU_ASSERT_EQUAL(o->tb[0].rnti_type, MAC_LTE_C_RNTI);
	CU_ASSERT_EQUAL_FATAL(mac_pdu_parse(o->tb[0].tb.tb, o->tb[0].tb.tbs, MAC_DL, &v), 0);
	CU_ASSERT_EQUAL_FATAL(v.n, 1);
	CU_ASSERT_EQUAL(v.e[0].lcid, MAC_LCID_DL_CRI);
	CU_ASSERT_EQUAL(memcmp(o->tb[0].tb.tb + v.e[0].off, ccch, 6), 0);
	ack = (struct rl_harq_ack){.harq_pid = o->tb[0].tb.harq_pid, .ack = true};
	CU_ASSERT_EQUAL(enb_rx_harq_ack(&enb, 0, sf, &ack), 0);
	enb_ul_end(&enb, 0, sf);
	enb_end_subframe(&enb, sf);
	CU_ASSERT_EQUAL(enb.ue[0].state, ENB_UE_CONNECTED);
	CU_ASSERT_EQUAL(enb.ue[0].rnti, rar.rar[0].tc_rnti);
	CU_ASSERT_EQUAL(enb.ue[0].stats.connections, 1);
	/* The PHICH for Msg3 came HARQ_PHICH after it: an ACK. */
	enb_free(&enb);
}

/* A lost Msg3 is granted again (same process, HARQ_RTT later) until maxHARQ-Tx, then the
 * attempt is given up; a lost Msg4 is retransmitted by DL HARQ. */
static void ra_msg3_and_msg4_retransmitted(void)
{
	static const uint8_t ccch[6] = {1, 2, 3, 4, 5, 6};
	struct enb_config cfg;
	struct rl_prach pr = {.preamble = 3, .ra_rnti = 1};
	struct enb_dl_out *o;
	struct rl_harq_ack ack;
	struct rl_ul_grant g;
	uint32_t sf, grants = 0, msg4 = 0;
	bool sent = false, phich_nack = false;

	test_enb_config(&cfg, 1);
	CU_ASSERT_EQUAL_FATAL(enb_init(&enb, &cfg), 0);
	all_awake(&enb, true);
	o = &enb.ue[0].out;
	for (sf = 0; sf < 120 && enb.ue[0].state != ENB_UE_CONNECTED; sf++) {
		enb_subframe(&enb, sf);
		/* The NACK of the lost Msg3 comes with its retransmission's grant. */
		if (o->n_phich && !o->ph[0].ack) {
			phich_nack = true;
			CU_ASSERT_EQUAL(o->n_grant, 1);
		}
		if (sf == 0)
			enb_rx_prach(&enb, 0, sf, &pr);
		if (o->n_grant) {
			g = o->grant[0];
			grants++;
			/* The first Msg3 is lost (DTX); the retransmission arrives. */
			if (grants == 2) {
				send_msg3(&enb, 0, sf, &g, ccch);
				sent = true;
			}
		}
		if (sent && o->n_tb && o->tb[0].rnti_type == MAC_LTE_C_RNTI) {
			/* The first Msg4 is NACKed, its retransmission ACKed. */
			ack = (struct rl_harq_ack){.harq_pid = o->tb[0].tb.harq_pid,
						   .ack = ++msg4 == 2};
			if (msg4 == 2)
				CU_ASSERT_EQUAL(o->tb[0].retx, 1);
			enb_rx_harq_ack(&enb, 0, sf, &ack);
		}
		enb_ul_end(&enb, 0, sf);
		enb_end_subframe(&enb, sf);
	}
	CU_ASSERT_EQUAL(grants, 2);
	CU_ASSERT_EQUAL(g.harq_pid, 3 % 8);
	CU_ASSERT_TRUE(phich_nack);
	CU_ASSERT_EQUAL(msg4, 2);
	CU_ASSERT_EQUAL(enb.ue[0].state, ENB_UE_CONNECTED);
	CU_ASSERT_EQUAL(enb.ue[0].ul.stats.dtx, 1);
	CU_ASSERT_EQUAL(enb.ue[0].dl.stats.nacks, 1);
	enb_free(&enb);
}

/* §5.1.5 contention: two UEs, one preamble, one RAR and one TC-RNTI; the Msg3 decoded wins
 * and only its identity goes back; the other UE is left to retry. */
static void ra_contention_one_winner(void)
{
	static const uint8_t id0[6] = {0x50, 0, 0, 0, 0, 1}, id1[6] = {0x50, 0, 0, 0, 0, 2};
	struct enb_config cfg;
	struct rl_prach pr = {.preamble = 9, .ra_rnti = 6};
	struct mac_pdu_view v;
	uint32_t sf;

	test_enb_config(&cfg, 2);
	CU_ASSERT_EQUAL_FATAL(enb_init(&enb, &cfg), 0);
	all_awake(&enb, true);
	for (sf = 0; sf < 5; sf++)
		quiet_subframe(&enb, sf);
	enb_subframe(&enb, 5);
	enb_rx_prach(&enb, 0, 5, &pr);
	enb_rx_prach(&enb, 1, 5, &pr);
	enb_ul_end(&enb, 0, 5);
	enb_ul_end(&enb, 1, 5);
	enb_end_subframe(&enb, 5);
	for (sf = 6; sf < 8; sf++)
		quiet_subframe(&enb, sf);
	enb_subframe(&enb, 8);
	CU_ASSERT_EQUAL_FATAL(enb.ue[0].out.n_tb, 1);
	CU_ASSERT_EQUAL_FATAL(enb.ue[1].out.n_tb, 1);
	CU_ASSERT_EQUAL(enb.ue[0].out.tb[0].tb.tb, enb.ue[1].out.tb[0].tb.tb);
	CU_ASSERT_EQUAL_FATAL(enb.ue[0].out.n_grant, 1);
	CU_ASSERT_EQUAL_FATAL(enb.ue[1].out.n_grant, 1);
	CU_ASSERT_EQUAL(enb.ue[0].out.grant[0].rnti, enb.ue[1].out.grant[0].rnti);
	send_msg3(&enb, 0, 8, &enb.ue[0].out.grant[0], id0);
	send_msg3(&enb, 1, 8, &enb.ue[1].out.grant[0], id1);
	enb_ul_end(&enb, 0, 8);
	enb_ul_end(&enb, 1, 8);
	enb_end_subframe(&enb, 8);
	CU_ASSERT_EQUAL(enb.stats.msg3_collisions, 1);
	enb_subframe(&enb, 9);
	CU_ASSERT_EQUAL_FATAL(enb.ue[0].out.n_tb, 1);
	CU_ASSERT_EQUAL(enb.ue[1].out.n_tb, 0);
	CU_ASSERT_EQUAL_FATAL(mac_pdu_parse(enb.ue[0].out.tb[0].tb.tb, ENB_MSG4_TBS, MAC_DL, &v),
			      0);
	CU_ASSERT_EQUAL(memcmp(enb.ue[0].out.tb[0].tb.tb + v.e[0].off, id0, 6), 0);
	CU_ASSERT_EQUAL(enb.ue[1].state, ENB_UE_IDLE);
	enb_free(&enb);
}

/* A preamble whose UE sleeps through the whole window gets no RAR and is forgotten. */
static void ra_rar_window_expires(void)
{
	struct enb_config cfg;
	struct rl_prach pr = {.preamble = 1, .ra_rnti = 2};
	uint32_t sf;

	test_enb_config(&cfg, 1);
	CU_ASSERT_EQUAL_FATAL(enb_init(&enb, &cfg), 0);
	all_awake(&enb, true);
	enb_subframe(&enb, 1);
	enb_rx_prach(&enb, 0, 1, &pr);
	enb_ul_end(&enb, 0, 1);
	enb_end_subframe(&enb, 1);
	all_awake(&enb, false);
	for (sf = 2; sf < 30; sf++) {
		quiet_subframe(&enb, sf);
		CU_ASSERT_EQUAL(enb.ue[0].out.n_tb, 0);
	}
	CU_ASSERT_EQUAL(enb.stats.ra_expired, 1);
	/* Bad preambles and RA-RNTIs are refused. */
	pr.preamble = 64;
	CU_ASSERT_EQUAL(enb_rx_prach(&enb, 0, 30, &pr), L2_EPROTO);
	pr = (struct rl_prach){.preamble = 1, .ra_rnti = 11};
	CU_ASSERT_EQUAL(enb_rx_prach(&enb, 0, 30, &pr), L2_EPROTO);
	enb_free(&enb);
}

TEST_SUITE(sim_ra, TEST_CASE(ra_rar_msg3_msg4_connects), TEST_CASE(ra_msg3_and_msg4_retransmitted),
	   TEST_CASE(ra_contention_one_winner), TEST_CASE(ra_rar_window_expires))
