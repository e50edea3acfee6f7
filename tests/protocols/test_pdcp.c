/* SPDX-License-Identifier: BSD-2-Clause */
/* PDCP (TS 36.323): headers, COUNT/HFN, security, in-order delivery, discard, status reports. */
#include "test.h"

#include "l2/pdcp.h"

#define NBUF 256
#define BSZ  256

static struct l2_pool pool;
static struct l2_buf descs[NBUF];
static uint8_t storage[NBUF * BSZ];
static uint32_t now_ms;

static uint32_t fake_now(void *ctx)
{
	(void)ctx;
	return now_ms;
}

static const struct l2_env env = {.now_ms = fake_now};

/* What an entity handed down (PDUs), up (SDUs) or reported. */
struct sink {
	struct l2_queue pdus, sdus;
	uint32_t discarded[64], ndiscarded;
	uint32_t integrity_failures;
};

static void sink_pdu(void *ctx, struct l2_buf *b)
{
	l2_queue_push(&((struct sink *)ctx)->pdus, b);
}

static void sink_sdu(void *ctx, struct l2_buf *b)
{
	l2_queue_push(&((struct sink *)ctx)->sdus, b);
}

static void sink_discard(void *ctx, uint32_t count)
{
	struct sink *s = ctx;

	if (s->ndiscarded < 64)
		s->discarded[s->ndiscarded] = count;
	s->ndiscarded++;
}

static void sink_integrity(void *ctx, uint32_t count)
{
	(void)count;
	((struct sink *)ctx)->integrity_failures++;
}

static struct sink tx_sink, rx_sink;
static struct pdcp_entity tx, rx;

static const uint8_t kenc[16] = {0x2b, 0xd6, 0x45, 0x9f, 0x82, 0xc4, 0x40, 0xe0,
				 0x95, 0x2c, 0x49, 0x10, 0x48, 0x05, 0xff, 0x48};
static const uint8_t kint[16] = {0xd3, 0xc5, 0xd5, 0x92, 0x32, 0x7f, 0xb1, 0x1c,
				 0x40, 0x35, 0xc6, 0x68, 0x0a, 0xf8, 0xc6, 0xd1};

static void setup(bool srb, bool am, uint8_t sn_bits, bool secure, uint32_t discard_ms)
{
	struct pdcp_config cfg = {.rb_id = srb ? 1 : 3,
				  .srb = srb,
				  .rlc_am = am,
				  .sn_bits = sn_bits,
				  .discard_ms = discard_ms};
	struct pdcp_ops ops = {.tx_pdu = sink_pdu,
			       .tx_discard = sink_discard,
			       .rx_sdu = sink_sdu,
			       .integrity_failure = sink_integrity};

	CU_ASSERT_EQUAL_FATAL(l2_pool_init(&pool, descs, NBUF, storage, BSZ, 16), 0);
	memset(&tx_sink, 0, sizeof(tx_sink));
	memset(&rx_sink, 0, sizeof(rx_sink));
	l2_queue_init(&tx_sink.pdus);
	l2_queue_init(&tx_sink.sdus);
	l2_queue_init(&rx_sink.pdus);
	l2_queue_init(&rx_sink.sdus);
	now_ms = 1000;
	cfg.tx_dir = SEC_DIR_UL;
	ops.ctx = &tx_sink;
	CU_ASSERT_EQUAL_FATAL(pdcp_init(&tx, &cfg, &ops, &env, &pool), 0);
	cfg.tx_dir = SEC_DIR_DL;
	ops.ctx = &rx_sink;
	CU_ASSERT_EQUAL_FATAL(pdcp_init(&rx, &cfg, &ops, &env, &pool), 0);
	if (secure) {
		CU_ASSERT_EQUAL(pdcp_set_security(&tx, SEC_EEA2, kenc, SEC_EIA2, kint), 0);
		CU_ASSERT_EQUAL(pdcp_set_security(&rx, SEC_EEA2, kenc, SEC_EIA2, kint), 0);
	}
}

static void teardown(void)
{
	pdcp_release(&tx);
	pdcp_release(&rx);
	l2_queue_purge(&tx_sink.pdus);
	l2_queue_purge(&tx_sink.sdus);
	l2_queue_purge(&rx_sink.pdus);
	l2_queue_purge(&rx_sink.sdus);
	CU_ASSERT_EQUAL(pool.avail, NBUF);
}

static struct l2_buf *sdu_n(uint32_t n, uint16_t len)
{
	struct l2_buf *b = l2_buf_alloc(&pool);
	uint8_t *p = l2_buf_put(b, len);
	uint16_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(n * 7 + i);
	return b;
}

static bool sdu_is(const struct l2_buf *b, uint32_t n, uint16_t len)
{
	uint16_t i;

	if (b->len != len)
		return false;
	for (i = 0; i < len; i++)
		if (l2_buf_data(b)[i] != (uint8_t)(n * 7 + i))
			return false;
	return true;
}

/* Pass every PDU the transmitter produced to the receiver. */
static void carry_all(bool reestablish)
{
	struct l2_buf *b;

	while ((b = l2_queue_pop(&tx_sink.pdus)))
		pdcp_rx_pdu(&rx, b, reestablish);
}

/* §6.2.2: SRB header R R R SN(5), MAC-I trailer; §5.7 MAC-I over header and data. */
static void pdcp_ts36323_6_2_2_srb_header_and_mac_i(void)
{
	struct l2_buf *b;
	uint8_t ref[4];
	struct sec_key k;
	uint8_t plain[6] = {0x00, 0x00, 0x01, 0x02, 0x03, 0x04};
	int i;

	setup(true, false, 5, false, 0);
	pdcp_set_security(&tx, SEC_EEA0, NULL, SEC_EIA2, kint);
	for (i = 0; i < 33; i++)
		pdcp_tx_sdu(&tx, sdu_n(0, 5));
	/* The 33rd SDU has SN 0 again, HFN 1: COUNT 32. */
	for (i = 0; i < 32; i++)
		l2_buf_free(l2_queue_pop(&tx_sink.pdus));
	b = l2_queue_pop(&tx_sink.pdus);
	CU_ASSERT_EQUAL(b->len, 1 + 5 + 4);
	CU_ASSERT_EQUAL(l2_buf_data(b)[0], 0x00);
	CU_ASSERT_EQUAL(b->tag, 32);
	sec_key_init(&k, kint);
	sec_eia2(&k, 32, 0 /* rb 1 */, SEC_DIR_UL, plain, 6 * 8, ref);
	CU_ASSERT_EQUAL(memcmp(l2_buf_data(b) + 6, ref, 4), 0);
	l2_buf_free(b);
	b = sdu_n(0, 5);
	pdcp_tx_sdu(&tx, b);
	CU_ASSERT_EQUAL(l2_buf_data(l2_queue_peek(&tx_sink.pdus))[0], 0x01);
	teardown();
}

/* §6.2.3 / §6.2.4: DRB headers with D/C = 1 and 12- or 7-bit SN; §5.6 ciphering of data only. */
static void pdcp_ts36323_6_2_3_drb_headers(void)
{
	struct l2_buf *b;
	struct sec_key k;
	uint8_t plain[20];
	int i;

	setup(false, true, 12, true, 0);
	tx.tx_next_sn = 0xabc;
	pdcp_tx_sdu(&tx, sdu_n(1, 20));
	b = l2_queue_pop(&tx_sink.pdus);
	CU_ASSERT_EQUAL(b->len, 22);
	CU_ASSERT_EQUAL(l2_buf_data(b)[0], 0x8a);
	CU_ASSERT_EQUAL(l2_buf_data(b)[1], 0xbc);
	for (i = 0; i < 20; i++)
		plain[i] = (uint8_t)(7 + i);
	sec_key_init(&k, kenc);
	sec_eea2(&k, 0xabc, 2 /* rb 3 */, SEC_DIR_UL, plain, 160);
	CU_ASSERT_EQUAL(memcmp(l2_buf_data(b) + 2, plain, 20), 0);
	l2_buf_free(b);
	teardown();

	setup(false, false, 7, false, 0);
	tx.tx_next_sn = 0x7f;
	pdcp_tx_sdu(&tx, sdu_n(1, 3));
	pdcp_tx_sdu(&tx, sdu_n(1, 3));
	b = l2_queue_pop(&tx_sink.pdus);
	CU_ASSERT_EQUAL(l2_buf_data(b)[0], 0xff);
	l2_buf_free(b);
	b = l2_queue_pop(&tx_sink.pdus);
	CU_ASSERT_EQUAL(l2_buf_data(b)[0], 0x80);
	CU_ASSERT_EQUAL(b->tag, 0x80); /* HFN 1, SN 0 */
	l2_buf_free(b);
	teardown();
}

/* §7.1/§4.3.1: invalid configurations and oversize SDUs are refused. */
static void pdcp_ts36323_config_and_size_checks(void)
{
	struct pdcp_config bad = {.rb_id = 3, .rlc_am = true, .sn_bits = 7};
	struct pdcp_ops ops = {.tx_pdu = sink_pdu, .rx_sdu = sink_sdu};
	struct pdcp_entity e;

	CU_ASSERT_EQUAL(pdcp_init(&e, &bad, &ops, &env, NULL), L2_EINVAL);
	bad.sn_bits = 12;
	bad.rb_id = 0;
	CU_ASSERT_EQUAL(pdcp_init(&e, &bad, &ops, &env, NULL), L2_EINVAL);
	bad.rb_id = 1;
	bad.srb = true;
	CU_ASSERT_EQUAL(pdcp_init(&e, &bad, &ops, &env, NULL), L2_EINVAL);
	setup(true, false, 5, true, 0);
	{
		struct l2_buf *b = l2_buf_alloc(&pool);

		l2_buf_put(b, (uint16_t)l2_buf_tailroom(b)); /* no room for MAC-I */
		CU_ASSERT_EQUAL(pdcp_tx_sdu(&tx, b), L2_EMSGSIZE);
		CU_ASSERT_EQUAL(tx.stats.tx_rejected, 1);
	}
	CU_ASSERT_EQUAL(pdcp_set_security(&tx, (enum sec_eea)1, kenc, SEC_EIA2, kint), L2_EINVAL);
	teardown();
}

/* §5.1.2.2, §5.6, §5.7: SRB over several HFN wraps with EEA2 + EIA2, every SDU intact. */
static void pdcp_ts36323_5_1_2_2_srb_secure_loopback(void)
{
	struct l2_buf *b;
	uint32_t i;

	setup(true, false, 5, true, 0);
	for (i = 0; i < 100; i++) {
		pdcp_tx_sdu(&tx, sdu_n(i, (uint16_t)(1 + i % 40)));
		carry_all(false);
	}
	CU_ASSERT_EQUAL(rx_sink.sdus.count, 100);
	for (i = 0; i < 100; i++) {
		b = l2_queue_pop(&rx_sink.sdus);
		CU_ASSERT_TRUE(sdu_is(b, i, (uint16_t)(1 + i % 40)));
		CU_ASSERT_EQUAL(b->tag, i);
		l2_buf_free(b);
	}
	CU_ASSERT_EQUAL(rx.rx_hfn, 3);
	CU_ASSERT_EQUAL(rx.stats.rx_integrity_fail, 0);
	teardown();
}

/* §5.7: a wrong MAC-I drops the PDU, counts it, tells RRC and leaves COUNT state alone. */
static void pdcp_ts36323_5_7_mac_i_failure_counted(void)
{
	struct l2_buf *b;

	setup(true, false, 5, true, 0);
	pdcp_tx_sdu(&tx, sdu_n(0, 10));
	pdcp_tx_sdu(&tx, sdu_n(1, 10));
	b = l2_queue_pop(&tx_sink.pdus);
	l2_buf_data(b)[3] ^= 0x10;
	CU_ASSERT_EQUAL(pdcp_rx_pdu(&rx, b, false), L2_EAUTH);
	CU_ASSERT_EQUAL(rx.stats.rx_integrity_fail, 1);
	CU_ASSERT_EQUAL(rx_sink.integrity_failures, 1);
	CU_ASSERT_EQUAL(rx.rx_next_sn, 0);
	CU_ASSERT_EQUAL(pdcp_rx_pdu(&rx, l2_queue_pop(&tx_sink.pdus), false), 0);
	CU_ASSERT_EQUAL(rx_sink.sdus.count, 1);
	CU_ASSERT_TRUE(sdu_is(l2_queue_peek(&rx_sink.sdus), 1, 10));
	/* Too short for a MAC-I: malformed. */
	b = l2_buf_from(&pool, "\x01\x02\x03", 3);
	CU_ASSERT_EQUAL(pdcp_rx_pdu(&rx, b, false), L2_EPROTO);
	CU_ASSERT_EQUAL(rx.stats.rx_malformed, 1);
	teardown();
}

/* §5.1.2.1.2: duplicates are discarded and counted; HFN follows the 12-bit SN wrap. */
static void pdcp_ts36323_5_1_2_1_2_am_duplicates_and_wrap(void)
{
	struct l2_buf *b, *copy;
	uint32_t i;

	setup(false, true, 12, true, 0);
	tx.tx_next_sn = rx.rx_next_sn = 4090;
	rx.last_submitted_sn = 4089;
	for (i = 0; i < 12; i++) {
		pdcp_tx_sdu(&tx, sdu_n(i, 30));
		b = l2_queue_pop(&tx_sink.pdus);
		copy = l2_buf_from(&pool, l2_buf_data(b), b->len);
		CU_ASSERT_EQUAL(pdcp_rx_pdu(&rx, b, false), 0);
		CU_ASSERT_EQUAL(pdcp_rx_pdu(&rx, copy, false), L2_ESTALE);
	}
	CU_ASSERT_EQUAL(rx.stats.rx_duplicates, 12);
	CU_ASSERT_EQUAL(rx_sink.sdus.count, 12);
	for (i = 0; i < 12; i++) {
		b = l2_queue_pop(&rx_sink.sdus);
		CU_ASSERT_TRUE(sdu_is(b, i, 30));
		CU_ASSERT_EQUAL(b->tag, 4090 + i);
		l2_buf_free(b);
	}
	CU_ASSERT_EQUAL(rx.rx_hfn, 1);
	teardown();
}

/* §5.1.2.1.2: PDUs from an RLC re-establishment are held until the gap closes. */
static void pdcp_ts36323_5_1_2_1_2_in_order_after_reestablishment(void)
{
	struct l2_buf *p[5], *b;
	int order[] = {0, 3, 2, 4, 1}, i;

	setup(false, true, 12, true, 0);
	for (i = 0; i < 5; i++) {
		pdcp_tx_sdu(&tx, sdu_n((uint32_t)i, 50));
		p[i] = l2_queue_pop(&tx_sink.pdus);
	}
	for (i = 0; i < 5; i++) {
		pdcp_rx_pdu(&rx, p[order[i]], true);
		if (i == 0)
			CU_ASSERT_EQUAL(rx_sink.sdus.count, 1);
		if (i > 0 && i < 4)
			CU_ASSERT_EQUAL(rx_sink.sdus.count, 1);
	}
	CU_ASSERT_EQUAL(rx_sink.sdus.count, 5);
	for (i = 0; i < 5; i++) {
		b = l2_queue_pop(&rx_sink.sdus);
		CU_ASSERT_TRUE(sdu_is(b, (uint32_t)i, 50));
		l2_buf_free(b);
	}
	teardown();
}

/* §5.1.2.1.2 (not re-establishment): SDUs stored below the received COUNT go up first. */
static void pdcp_ts36323_5_1_2_1_2_normal_delivers_stored_first(void)
{
	struct l2_buf *p[4], *b;
	int i;

	setup(false, true, 12, false, 0);
	for (i = 0; i < 4; i++) {
		pdcp_tx_sdu(&tx, sdu_n((uint32_t)i, 8));
		p[i] = l2_queue_pop(&tx_sink.pdus);
	}
	pdcp_rx_pdu(&rx, p[2], true);
	pdcp_rx_pdu(&rx, p[1], true);
	CU_ASSERT_EQUAL(rx_sink.sdus.count, 0);
	pdcp_rx_pdu(&rx, p[3], false); /* SN 0 lost for good: 1, 2, 3 go up in order */
	CU_ASSERT_EQUAL(rx_sink.sdus.count, 3);
	for (i = 1; i < 4; i++) {
		b = l2_queue_pop(&rx_sink.sdus);
		CU_ASSERT_TRUE(sdu_is(b, (uint32_t)i, 8));
		l2_buf_free(b);
	}
	/* SN 0 arriving late is outside the window now: dropped as a duplicate. */
	CU_ASSERT_EQUAL(pdcp_rx_pdu(&rx, p[0], false), L2_ESTALE);
	teardown();
}

/* §5.1.2.1.3: UM DRB with 7-bit SN delivers what arrives, HFN moves on the wrap. */
static void pdcp_ts36323_5_1_2_1_3_um_loss_and_wrap(void)
{
	struct l2_buf *b;
	uint32_t i, got = 0;

	setup(false, false, 7, true, 0);
	for (i = 0; i < 300; i++) {
		pdcp_tx_sdu(&tx, sdu_n(i, 16));
		b = l2_queue_pop(&tx_sink.pdus);
		if (i % 5 == 3) {
			l2_buf_free(b);
			continue;
		}
		pdcp_rx_pdu(&rx, b, false);
	}
	while ((b = l2_queue_pop(&rx_sink.sdus))) {
		CU_ASSERT_TRUE(sdu_is(b, b->tag, 16));
		got++;
		l2_buf_free(b);
	}
	CU_ASSERT_EQUAL(got, 240);
	CU_ASSERT_EQUAL(rx.rx_hfn, 2);
	teardown();
}

/* §5.4: discardTimer expiry tells RLC to discard; confirmed SDUs are not discarded. */
static void pdcp_ts36323_5_4_discard_timer(void)
{
	uint32_t i;

	setup(false, true, 12, false, 100);
	for (i = 0; i < 4; i++) {
		pdcp_tx_sdu(&tx, sdu_n(i, 8));
		now_ms += 10;
	}
	pdcp_tx_delivered(&tx, 1);
	now_ms = 1099;
	pdcp_tick(&tx);
	CU_ASSERT_EQUAL(tx_sink.ndiscarded, 0);
	now_ms = 1100;
	pdcp_tick(&tx);
	CU_ASSERT_EQUAL(tx_sink.ndiscarded, 1);
	CU_ASSERT_EQUAL(tx_sink.discarded[0], 0);
	now_ms = 2000;
	pdcp_tick(&tx);
	CU_ASSERT_EQUAL(tx_sink.ndiscarded, 3);
	CU_ASSERT_EQUAL(tx_sink.discarded[1], 2);
	CU_ASSERT_EQUAL(tx_sink.discarded[2], 3);
	CU_ASSERT_EQUAL(tx.stats.tx_discarded, 3);
	/* RLC reports the last SDU of each acknowledged PDU: everything up to it is done. */
	for (i = 4; i < 8; i++)
		pdcp_tx_sdu(&tx, sdu_n(i, 8));
	pdcp_tx_delivered_upto(&tx, 6);
	CU_ASSERT_EQUAL(tx.pend_n, 1);
	CU_ASSERT_EQUAL(tx.pending[tx.pend_head].count, 7);
	teardown();
}

/* §6.2.6 / §5.3: status report FMS and bitmap; the peer discards acknowledged SDUs. */
static void pdcp_ts36323_6_2_6_status_report(void)
{
	struct l2_buf *p[12], *b;
	int i;

	setup(false, true, 12, true, 1000);
	for (i = 0; i < 12; i++) {
		pdcp_tx_sdu(&tx, sdu_n((uint32_t)i, 8));
		p[i] = l2_queue_pop(&tx_sink.pdus);
	}
	/* Receiver got 0, 1 in order; after re-establishment 4, 5 and 11. */
	pdcp_rx_pdu(&rx, p[0], false);
	pdcp_rx_pdu(&rx, p[1], false);
	pdcp_rx_pdu(&rx, p[4], true);
	pdcp_rx_pdu(&rx, p[5], true);
	pdcp_rx_pdu(&rx, p[11], true);
	CU_ASSERT_EQUAL(pdcp_tx_status_report(&rx), 0);
	b = l2_queue_pop(&rx_sink.pdus);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	/* D/C 0, type 000, FMS = 2; bitmap for SN 3..11: 0 1 1 0 0 0 0 0 | 1 */
	CU_ASSERT_EQUAL(b->len, 4);
	CU_ASSERT_EQUAL(l2_buf_data(b)[0], 0x00);
	CU_ASSERT_EQUAL(l2_buf_data(b)[1], 0x02);
	CU_ASSERT_EQUAL(l2_buf_data(b)[2], 0x60);
	CU_ASSERT_EQUAL(l2_buf_data(b)[3], 0x80);
	CU_ASSERT_EQUAL(pdcp_rx_pdu(&tx, b, false), 0);
	CU_ASSERT_EQUAL(tx.stats.rx_control, 1);
	/* Acknowledged: 0, 1 (below FMS), 4, 5, 11. */
	CU_ASSERT_EQUAL(tx_sink.ndiscarded, 5);
	CU_ASSERT_EQUAL(tx.pend_n, 7);
	for (i = 0; i < 12; i++)
		if (i != 0 && i != 1 && i != 4 && i != 5 && i != 11)
			l2_buf_free(p[i]);
	teardown();
}

/* §6.3.8: control PDU types other than status/ROHC feedback are malformed; empty PDUs too. */
static void pdcp_ts36323_6_3_8_bad_control_pdus(void)
{
	setup(false, true, 12, false, 0);
	CU_ASSERT_EQUAL(pdcp_rx_pdu(&rx, l2_buf_from(&pool, "\x30\x00", 2), false), L2_EPROTO);
	CU_ASSERT_EQUAL(pdcp_rx_pdu(&rx, l2_buf_from(&pool, "\x00", 1), false), L2_EPROTO);
	CU_ASSERT_EQUAL(pdcp_rx_pdu(&rx, l2_buf_from(&pool, "", 0), false), L2_EPROTO);
	CU_ASSERT_EQUAL(pdcp_rx_pdu(&rx, l2_buf_from(&pool, "\x80", 1), false), L2_EPROTO);
	CU_ASSERT_EQUAL(pdcp_rx_pdu(&rx, l2_buf_from(&pool, "\x10\xaa", 2), false), 0);
	CU_ASSERT_EQUAL(rx.stats.rx_malformed, 4);
	CU_ASSERT_EQUAL(rx.stats.rx_control, 1);
	teardown();
}

/* §5.2: re-establishment resets SNs and HFNs of SRBs and UM DRBs, keeps them for AM DRBs. */
static void pdcp_ts36323_5_2_reestablishment(void)
{
	uint32_t i;

	setup(false, true, 12, false, 0);
	for (i = 0; i < 5; i++)
		pdcp_tx_sdu(&tx, sdu_n(i, 8));
	carry_all(false);
	pdcp_reestablish(&tx);
	pdcp_reestablish(&rx);
	CU_ASSERT_EQUAL(tx.tx_next_sn, 5);
	CU_ASSERT_EQUAL(rx.rx_next_sn, 5);
	CU_ASSERT_EQUAL(rx.last_submitted_sn, 4);
	teardown();

	setup(false, false, 7, false, 0);
	for (i = 0; i < 130; i++)
		pdcp_tx_sdu(&tx, sdu_n(i, 8));
	carry_all(false);
	CU_ASSERT_EQUAL(rx.rx_hfn, 1);
	pdcp_reestablish(&tx);
	pdcp_reestablish(&rx);
	CU_ASSERT_EQUAL(tx.tx_next_sn, 0);
	CU_ASSERT_EQUAL(tx.tx_hfn, 0);
	CU_ASSERT_EQUAL(rx.rx_hfn, 0);
	pdcp_tx_sdu(&tx, sdu_n(0, 8));
	carry_all(false);
	CU_ASSERT_EQUAL(rx_sink.sdus.count, 131);
	teardown();
}

/* §5.2.1.1 with keep_sdus: what RLC did not confirm goes again, same COUNTs, new keys. */
static void pdcp_ts36323_5_2_1_1_retransmit_unconfirmed(void)
{
	static const uint8_t kenc2[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	struct l2_buf *b;
	uint32_t i;

	setup(false, true, 12, true, 0);
	tx.cfg.keep_sdus = true;
	for (i = 0; i < 6; i++)
		pdcp_tx_sdu(&tx, sdu_n(i, 30));
	CU_ASSERT_EQUAL(tx.pend_n, 6);
	/* SDUs 0 and 1 reach the far end and RLC confirms them; 2..5 are lost with RLC. */
	for (i = 0; i < 2; i++)
		pdcp_rx_pdu(&rx, l2_queue_pop(&tx_sink.pdus), false);
	pdcp_tx_delivered_upto(&tx, 1);
	CU_ASSERT_EQUAL(tx.pend_n, 4);
	l2_queue_purge(&tx_sink.pdus);
	/* Re-establishment with new keys on both sides: 2..5 come again, in order. */
	CU_ASSERT_EQUAL(pdcp_set_security(&tx, SEC_EEA2, kenc2, SEC_EIA0, NULL), 0);
	CU_ASSERT_EQUAL(pdcp_set_security(&rx, SEC_EEA2, kenc2, SEC_EIA0, NULL), 0);
	pdcp_reestablish(&tx);
	pdcp_reestablish(&rx);
	CU_ASSERT_EQUAL(tx_sink.pdus.count, 4);
	CU_ASSERT_EQUAL(tx.stats.tx_retransmitted, 4);
	carry_all(false);
	CU_ASSERT_EQUAL_FATAL(rx_sink.sdus.count, 6);
	for (i = 0; i < 6; i++) {
		b = l2_queue_pop(&rx_sink.sdus);
		CU_ASSERT_TRUE(sdu_is(b, i, 30));
		CU_ASSERT_EQUAL(b->tag, i);
		l2_buf_free(b);
	}
	/* The copies stay until confirmed, then go back to the pool (teardown checks). */
	CU_ASSERT_EQUAL(tx.pend_n, 4);
	pdcp_tx_delivered_upto(&tx, 5);
	CU_ASSERT_EQUAL(tx.pend_n, 0);
	teardown();
}

/* TS 36.331 §5.3.4.3: the SecurityModeCommand, received before integrity is on, verified
 * afterwards with the K_RRCint it brings; a wrong key fails. */
static void pdcp_ts36331_5_3_4_3_verify_smc_afterwards(void)
{
	static const uint8_t wrong[16] = {9};
	struct l2_buf *b;

	setup(true, false, 5, false, 0);
	CU_ASSERT_EQUAL(pdcp_verify_last_rx(&rx, SEC_EIA2, kint), L2_ESTATE); /* nothing yet */
	/* The eNB protects the SMC with the new key, not ciphered. */
	CU_ASSERT_EQUAL(pdcp_set_security(&tx, SEC_EEA0, NULL, SEC_EIA2, kint), 0);
	pdcp_tx_sdu(&tx, sdu_n(1, 6));
	carry_all(false);
	CU_ASSERT_EQUAL_FATAL(rx_sink.sdus.count, 1);
	b = l2_queue_pop(&rx_sink.sdus);
	CU_ASSERT_TRUE(sdu_is(b, 1, 6));
	l2_buf_free(b);
	CU_ASSERT_EQUAL(pdcp_verify_last_rx(&rx, SEC_EIA2, kint), 0);
	CU_ASSERT_EQUAL(pdcp_verify_last_rx(&rx, SEC_EIA2, wrong), L2_EAUTH);
	/* Once integrity is on, nothing is kept. */
	CU_ASSERT_EQUAL(pdcp_set_security(&rx, SEC_EEA0, NULL, SEC_EIA2, kint), 0);
	pdcp_tx_sdu(&tx, sdu_n(2, 6));
	carry_all(false);
	CU_ASSERT_EQUAL(pdcp_verify_last_rx(&rx, SEC_EIA2, kint), L2_ESTATE);
	teardown();
}

/* TS 33.401 §A.7: K_RRCenc/K_RRCint (SRB) and K_UPenc (DRB) derived from K_eNB. */
static void pdcp_ts33401_a7_keys_from_kenb(void)
{
	uint8_t kenb[32], k_up[16], k_int[16], mac[4];
	struct sec_key k;
	struct l2_buf *b;
	int i;

	for (i = 0; i < 32; i++)
		kenb[i] = (uint8_t)(0xa0 + i);
	setup(true, false, 5, false, 0);
	CU_ASSERT_EQUAL(pdcp_set_security_kenb(&tx, kenb, SEC_EEA0, SEC_EIA2), 0);
	CU_ASSERT_EQUAL(pdcp_set_security_kenb(&rx, kenb, SEC_EEA0, SEC_EIA2), 0);
	pdcp_tx_sdu(&tx, sdu_n(0, 5));
	b = l2_queue_peek(&tx_sink.pdus);
	sec_derive_alg_key(kenb, SEC_RRC_INT, SEC_EIA2, k_int);
	sec_key_init(&k, k_int);
	sec_eia2(&k, 0, 0, SEC_DIR_UL, l2_buf_data(b), 6 * 8, mac);
	CU_ASSERT_EQUAL(memcmp(l2_buf_data(b) + 6, mac, 4), 0);
	carry_all(false);
	CU_ASSERT_EQUAL(rx_sink.sdus.count, 1);
	teardown();

	setup(false, true, 12, false, 0);
	CU_ASSERT_EQUAL(pdcp_set_security_kenb(&tx, kenb, SEC_EEA2, SEC_EIA2), 0);
	CU_ASSERT_EQUAL(tx.integrity, SEC_EIA0); /* DRBs are not integrity protected (§5.7) */
	pdcp_tx_sdu(&tx, sdu_n(3, 20));
	b = l2_queue_peek(&tx_sink.pdus);
	sec_derive_alg_key(kenb, SEC_UP_ENC, SEC_EEA2, k_up);
	sec_key_init(&k, k_up);
	sec_eea2(&k, 0, 2, SEC_DIR_UL, l2_buf_data(b) + 2, 160); /* decipher */
	CU_ASSERT_EQUAL(l2_buf_data(b)[2], 21);
	CU_ASSERT_EQUAL(l2_buf_data(b)[21], 21 + 19);
	teardown();
}

TEST_SUITE(pdcp, TEST_CASE(pdcp_ts36323_6_2_2_srb_header_and_mac_i),
	   TEST_CASE(pdcp_ts36323_5_2_1_1_retransmit_unconfirmed),
	   TEST_CASE(pdcp_ts36331_5_3_4_3_verify_smc_afterwards),
	   TEST_CASE(pdcp_ts36323_6_2_3_drb_headers),
	   TEST_CASE(pdcp_ts36323_config_and_size_checks),
	   TEST_CASE(pdcp_ts36323_5_1_2_2_srb_secure_loopback),
	   TEST_CASE(pdcp_ts36323_5_7_mac_i_failure_counted),
	   TEST_CASE(pdcp_ts36323_5_1_2_1_2_am_duplicates_and_wrap),
	   TEST_CASE(pdcp_ts36323_5_1_2_1_2_in_order_after_reestablishment),
	   TEST_CASE(pdcp_ts36323_5_1_2_1_2_normal_delivers_stored_first),
	   TEST_CASE(pdcp_ts36323_5_1_2_1_3_um_loss_and_wrap),
	   TEST_CASE(pdcp_ts36323_5_4_discard_timer), TEST_CASE(pdcp_ts36323_6_2_6_status_report),
	   TEST_CASE(pdcp_ts36323_6_3_8_bad_control_pdus),
	   TEST_CASE(pdcp_ts36323_5_2_reestablishment), TEST_CASE(pdcp_ts33401_a7_keys_from_kenb))
