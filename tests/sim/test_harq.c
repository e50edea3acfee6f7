/* SPDX-License-Identifier: BSD-2-Clause */
/* eNB HARQ (TS 36.321 §5.3.2, §5.4.2): RTT, same TB and NDI on retransmission, limits, DTX. */
#include "test.h"

#include "harq.h"
#include "l2/env.h"

static uint8_t store[HARQ_PROCS][64];

/* §5.3.2: a NACKed TB comes back on the same process with the same NDI, HARQ_RTT later. */
static void harq_dl_nack_retransmits_after_rtt(void)
{
	struct harq_dl h;
	uint8_t *tb;
	int pid;

	harq_dl_init(&h, 4, &store[0][0], 64);
	pid = harq_dl_free(&h, 100);
	CU_ASSERT_EQUAL_FATAL(pid, 0);
	tb = harq_dl_new(&h, pid, 100, 0x4601, 20);
	memset(tb, 0xa5, 20);
	CU_ASSERT_TRUE(h.p[pid].ndi);
	CU_ASSERT_EQUAL(harq_dl_rv(&h.p[pid]), 0);
	CU_ASSERT_EQUAL(harq_dl_feedback(&h, pid, 100, false), 0);
	CU_ASSERT_EQUAL(harq_dl_retx_due(&h, 107), -1);
	CU_ASSERT_EQUAL(harq_dl_retx_due(&h, 108), pid);
	/* While it waits, the process is not free for new data. */
	CU_ASSERT_NOT_EQUAL(harq_dl_free(&h, 108), pid);
	harq_dl_retx(&h, pid, 108);
	CU_ASSERT_TRUE(h.p[pid].ndi);
	CU_ASSERT_EQUAL(h.p[pid].tx, 2);
	CU_ASSERT_EQUAL(harq_dl_rv(&h.p[pid]), 2);
	CU_ASSERT_EQUAL(h.p[pid].tb[19], 0xa5);
	CU_ASSERT_EQUAL(harq_dl_feedback(&h, pid, 108, true), 0);
	CU_ASSERT_EQUAL(h.p[pid].state, HARQ_DL_FREE);
	CU_ASSERT_EQUAL(h.stats.retx, 1);
	CU_ASSERT_EQUAL(h.stats.acks, 1);
	/* New data on the process toggles NDI, once HARQ_RTT has passed. */
	CU_ASSERT_NOT_EQUAL(harq_dl_free(&h, 115), pid);
	CU_ASSERT_EQUAL(harq_dl_free(&h, 116), pid);
	harq_dl_new(&h, pid, 116, 0x4601, 20);
	CU_ASSERT_FALSE(h.p[pid].ndi);
}

/* After max_tx transmissions a NACKed TB is dropped and counted. */
static void harq_dl_drops_after_max_tx(void)
{
	struct harq_dl h;
	uint32_t sf = 0;
	unsigned i;
	int pid;

	harq_dl_init(&h, 3, &store[0][0], 64);
	pid = harq_dl_free(&h, sf);
	harq_dl_new(&h, pid, sf, 1, 10);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(harq_dl_feedback(&h, pid, sf, false), 0);
		sf += HARQ_RTT;
		if (i < 2) {
			CU_ASSERT_EQUAL(harq_dl_retx_due(&h, sf), pid);
			harq_dl_retx(&h, pid, sf);
		}
	}
	CU_ASSERT_EQUAL(harq_dl_retx_due(&h, sf), -1);
	CU_ASSERT_EQUAL(h.p[pid].state, HARQ_DL_FREE);
	CU_ASSERT_EQUAL(h.stats.drops, 1);
	CU_ASSERT_EQUAL(h.stats.nacks, 3);
	CU_ASSERT_EQUAL(h.stats.retx, 2);
}

/* Missing feedback is DTX: handled as a NACK; late or unexpected feedback is refused. */
static void harq_dl_dtx_and_unexpected_feedback(void)
{
	struct harq_dl h;
	int pid;

	harq_dl_init(&h, 4, &store[0][0], 64);
	pid = harq_dl_free(&h, 10);
	harq_dl_new(&h, pid, 10, 1, 10);
	harq_dl_end(&h, 10);
	CU_ASSERT_EQUAL(h.stats.dtx, 1);
	CU_ASSERT_EQUAL(h.p[pid].state, HARQ_DL_RETX);
	CU_ASSERT_EQUAL(harq_dl_feedback(&h, pid, 10, true), L2_ESTALE);
	CU_ASSERT_EQUAL(harq_dl_feedback(&h, 7, 10, true), L2_ESTALE);
	CU_ASSERT_EQUAL(harq_dl_feedback(&h, 99, 10, true), L2_ESTALE);
	CU_ASSERT_EQUAL(h.stats.unexpected, 3);
}

/* Eight processes and an RTT of eight: one new TB every subframe, for ever. */
static void harq_dl_eight_processes_keep_up(void)
{
	struct harq_dl h;
	uint32_t sf;

	harq_dl_init(&h, 4, &store[0][0], 64);
	for (sf = 0; sf < 100; sf++) {
		int pid = harq_dl_free(&h, sf);

		CU_ASSERT_FATAL(pid >= 0);
		harq_dl_new(&h, pid, sf, 1, 10);
		CU_ASSERT_EQUAL(harq_dl_feedback(&h, pid, sf, true), 0);
	}
	CU_ASSERT_EQUAL(h.stats.new_tx, 100);
}

/* §5.4.2: a retransmission (same NDI and size) HARQ_RTT after the TB, its NACK with the grant,
 * and at maxHARQ-Tx a NACK alone (the UE flushes) and no more grants. */
static void harq_ul_retransmits_until_max_tx(void)
{
	struct harq_ul h;
	uint16_t tbs;
	uint8_t pid, phich_pid;
	bool ndi, ndi0, ack;
	uint32_t sf = 21;
	unsigned i;

	harq_ul_init(&h, 3);
	harq_ul_grant(&h, sf, 0x4601, 300, false, &tbs, &pid, &ndi0);
	CU_ASSERT_EQUAL(pid, sf % 8);
	CU_ASSERT_EQUAL(tbs, 300);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(harq_ul_rx(&h, sf, 0x4601, pid, 300, false), 0);
		harq_ul_end(&h, sf);
		CU_ASSERT_FALSE(harq_ul_phich(&h, sf + HARQ_PHICH - 1, &phich_pid, &ack));
		/* The NACK goes with the retransmission's grant; alone only at the last one. */
		CU_ASSERT_EQUAL(harq_ul_phich(&h, sf + HARQ_PHICH, &phich_pid, &ack), i == 2);
		if (i == 2) {
			CU_ASSERT_EQUAL(phich_pid, pid);
			CU_ASSERT_FALSE(ack);
		}
		sf += HARQ_RTT;
		if (i < 2) {
			CU_ASSERT_TRUE(harq_ul_retx_due(&h, sf));
			CU_ASSERT_TRUE(harq_ul_grant(&h, sf, 0x4601, 999, false, &tbs, &pid, &ndi));
			CU_ASSERT_EQUAL(tbs, 300);
			CU_ASSERT_EQUAL(ndi, ndi0);
		}
	}
	CU_ASSERT_FALSE(harq_ul_retx_due(&h, sf));
	CU_ASSERT_EQUAL(h.stats.drops, 1);
	CU_ASSERT_EQUAL(h.stats.retx, 2);
	CU_ASSERT_EQUAL(h.stats.nacks, 3);
	/* The next grant on the process is new data: NDI toggled. */
	harq_ul_grant(&h, sf, 0x4601, 40, false, &tbs, &pid, &ndi);
	CU_ASSERT_NOT_EQUAL(ndi, ndi0);
	CU_ASSERT_EQUAL(tbs, 40);
}

/* A granted TB that does not come is DTX (NACK, retransmission); one not granted is refused. */
static void harq_ul_dtx_and_unexpected_tb(void)
{
	struct harq_ul h;
	uint16_t tbs;
	uint8_t pid, p2;
	bool ndi, ack;

	harq_ul_init(&h, 4);
	CU_ASSERT_EQUAL(harq_ul_rx(&h, 5, 1, 5, 10, true), L2_ESTALE);
	harq_ul_grant(&h, 5, 1, 10, false, &tbs, &pid, &ndi);
	CU_ASSERT_EQUAL(harq_ul_rx(&h, 5, 2, pid, 10, true), L2_ESTALE); /* wrong RNTI */
	CU_ASSERT_EQUAL(harq_ul_rx(&h, 5, 1, pid, 11, true), L2_ESTALE); /* wrong size */
	CU_ASSERT_EQUAL(harq_ul_rx(&h, 5, 1, (uint8_t)(pid + 1), 10, true), L2_ESTALE);
	harq_ul_end(&h, 5);
	CU_ASSERT_EQUAL(h.stats.dtx, 1);
	CU_ASSERT_EQUAL(h.stats.unexpected, 4);
	CU_ASSERT_FALSE(harq_ul_phich(&h, 9, &p2, &ack)); /* the NACK waits for the grant */
	CU_ASSERT_TRUE(harq_ul_retx_due(&h, 13));
	harq_ul_grant(&h, 13, 1, 10, false, &tbs, &pid, &ndi);
	CU_ASSERT_EQUAL(harq_ul_rx(&h, 13, 1, pid, 10, true), 0);
	CU_ASSERT_EQUAL(harq_ul_rx(&h, 13, 1, pid, 10, true), L2_ESTALE); /* twice */
	harq_ul_end(&h, 13);
	CU_ASSERT_TRUE(harq_ul_phich(&h, 17, &p2, &ack));
	CU_ASSERT_TRUE(ack);
	CU_ASSERT_FALSE(harq_ul_retx_due(&h, 21));
}

TEST_SUITE(sim_harq, TEST_CASE(harq_dl_nack_retransmits_after_rtt),
	   TEST_CASE(harq_dl_drops_after_max_tx), TEST_CASE(harq_dl_dtx_and_unexpected_feedback),
	   TEST_CASE(harq_dl_eight_processes_keep_up), TEST_CASE(harq_ul_retransmits_until_max_tx),
	   TEST_CASE(harq_ul_dtx_and_unexpected_tb))
