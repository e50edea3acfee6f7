/* SPDX-License-Identifier: BSD-2-Clause */
/* The layer-2 libraries on the firmware: TS 33.401 and 36.212 test values, link codec, L2 loopback. */
#include <stddef.h>
#include <string.h>

#include "hex.h"
#include "ktest.h"
#include "l2/link.h"
#include "l2/mac.h"
#include "l2/pdcp.h"
#include "l2/rlc.h"
#include "l2/sec.h"

/* TS 33.401 §C.1.1 (128-EEA2 test set 1, 253 bits) on the ARM build. */
KTEST(eea2_ts33401_c1_set1_on_target)
{
	uint8_t key[16], data[32], want[32];
	struct sec_key k;

	hex_decode("d3c5d592327fb11c4035c6680af8c6d1", key, 16);
	hex_decode("981ba6824c1bfb1ab485472029b71d808ce33e2cc3c0b5fc1f3de8a6dc66b1f0", data, 32);
	hex_decode("e9fed8a63d155304d71df20bf3e82214b20ed7dad2f233dc3c22d7bdeeed8e78", want, 32);
	sec_key_init(&k, key);
	sec_eea2(&k, 0x398a59b4, 0x15, 1, data, 253);
	KT_ASSERT_EQ(memcmp(data, want, 32), 0);
}

/* TS 36.212 §5.1.1 check values on the ARM build, and CRC24A at every alignment. */
KTEST(crc_ts36212_5_1_1_check_values_on_target)
{
	static uint8_t buf[64 + 4];
	const uint8_t *s = (const uint8_t *)"123456789";
	uint32_t off;

	KT_ASSERT_EQ(crc24a(s, 9), 0xcde703);
	KT_ASSERT_EQ(crc24b(s, 9), 0x23ef52);
	KT_ASSERT_EQ(crc16_lte(s, 9), 0x31c3);
	for (off = 0; off < 4; off++) {
		uint32_t i, c;

		for (i = 0; i < 64; i++)
			buf[off + i] = (uint8_t)(i * 29 + 3);
		c = crc24a(buf + off, 61);
		buf[off + 61] = (uint8_t)(c >> 16);
		buf[off + 62] = (uint8_t)(c >> 8);
		buf[off + 63] = (uint8_t)c;
		KT_ASSERT_EQ(crc24a(buf + off, 64), 0);
	}
}

/* The link codec on the ARM build: a DL message at an odd address, written, parsed, decoded. */
KTEST(link_dl_roundtrip_unaligned_on_target)
{
	static uint8_t buf[1 + 16 + 2 * (4 + 8 + 100 + 3) + 12];
	static uint8_t tb[100];
	struct link_writer w;
	struct link_msg m;
	struct link_item it;
	struct rl_dl_tb dl;
	struct rl_ul_grant g;
	uint32_t pos = 0, i;
	int n;

	for (i = 0; i < sizeof(tb); i++)
		tb[i] = (uint8_t)(i ^ 0x5a);
	link_writer_init(&w, buf + 1, sizeof(buf) - 1, RL_MAGIC, RL_MSG_DL, 0x01020304, 4321);
	rl_put_dl_tb(&w, &(struct rl_dl_tb){.rnti = 0x4601, .harq_pid = 3, .tbs = 100, .tb = tb});
	rl_put_ul_grant(&w, &(struct rl_ul_grant){.rnti = 0x4601, .harq_pid = 1, .tbs = 77});
	n = link_finish(&w);
	KT_ASSERT_EQ(n, 16 + 4 + 8 + 100 + 3 + 4 + 8);
	KT_ASSERT_EQ(link_parse(buf + 1, (uint32_t)n, &m), 0);
	KT_ASSERT_EQ(m.seq, 0x01020304);
	KT_ASSERT_EQ(m.subframe, 4321);
	KT_ASSERT_EQ(link_next(&m, &pos, &it), 1);
	KT_ASSERT_EQ(rl_get_dl_tb(&it, &dl), 0);
	KT_ASSERT_EQ(dl.rnti, 0x4601);
	KT_ASSERT_EQ(dl.harq_pid, 3);
	KT_ASSERT(dl.crc_ok);
	KT_ASSERT_EQ(memcmp(dl.tb, tb, 100), 0);
	KT_ASSERT_EQ(link_next(&m, &pos, &it), 1);
	KT_ASSERT_EQ(rl_get_ul_grant(&it, &g), 0);
	KT_ASSERT_EQ(g.tbs, 77);
	KT_ASSERT_EQ(link_next(&m, &pos, &it), 0);
	buf[1 + 16 + 4 + 8 + 50] ^= 0x10;
	pos = 0;
	KT_ASSERT_EQ(link_next(&m, &pos, &it), 1);
	KT_ASSERT_EQ(rl_get_dl_tb(&it, &dl), 0);
	KT_ASSERT(!dl.crc_ok);
	buf[1 + 2] = 9;
	KT_ASSERT_EQ(link_parse(buf + 1, (uint32_t)n, &m), L2_EPROTO);
}

/*
 * 128-EEA2 over 5000 bytes (counter groups of 256 blocks crossed) against plain AES-CTR,
 * with the data at `offset` (unaligned word accesses) and optionally the pair table.
 */
static int eea2_long_check(uint32_t offset, const struct aes128_pair_table *pt)
{
	static uint8_t buf[5003], ref[5000];
	uint8_t key[16], ctr[16] = {0x12, 0x34, 0x56, 0x78, 0x0a << 3 | 1 << 2}, ks[16];
	uint8_t *data = buf + offset;
	struct sec_key k;
	uint32_t i, j;

	for (i = 0; i < 16; i++)
		key[i] = (uint8_t)(i * 11);
	for (i = 0; i < sizeof(ref); i++)
		data[i] = ref[i] = (uint8_t)(i * 7);
	sec_key_init(&k, key);
	aes128_set_pair_table(&k.aes, pt);
	sec_eea2(&k, 0x12345678, 0x0a, 1, data, sizeof(ref) * 8 - 3);
	for (i = 0; i < sizeof(ref); i += 16) {
		ctr[14] = (uint8_t)((i / 16) >> 8);
		ctr[15] = (uint8_t)(i / 16);
		aes128_encrypt(&k.aes, ctr, ks);
		for (j = 0; j < 16 && i + j < sizeof(ref); j++)
			ref[i + j] ^= ks[j];
	}
	ref[sizeof(ref) - 1] &= 0xf8; /* 3 bits short of whole bytes: cleared (§B.1.3) */
	return memcmp(data, ref, sizeof(ref));
}

KTEST(eea2_long_matches_block_by_block_ctr_on_target)
{
	KT_ASSERT_EQ(eea2_long_check(0, NULL), 0);
	KT_ASSERT_EQ(eea2_long_check(1, NULL), 0);
	KT_ASSERT_EQ(eea2_long_check(3, NULL), 0);
}

/* The same with the 256 KiB pair table of l2/aes.h, built on the target. */
KTEST(eea2_pair_table_matches_block_by_block_ctr_on_target)
{
	static struct aes128_pair_table pair;

	aes128_pair_table_init(&pair);
	KT_ASSERT_EQ(eea2_long_check(0, &pair), 0);
	KT_ASSERT_EQ(eea2_long_check(2, &pair), 0);
}

/* TS 33.401 §C.2.1 (58 bits) and §C.2.2 (64 bits): 128-EIA2 MAC-I on the ARM build. */
KTEST(eia2_ts33401_c2_sets_1_2_on_target)
{
	uint8_t key[16], msg[8], mac[4], want[4];
	struct sec_key k;

	hex_decode("2bd6459f82c5b300952c49104881ff48", key, 16);
	hex_decode("3332346263393840", msg, 8);
	hex_decode("118c6eb8", want, 4);
	sec_key_init(&k, key);
	sec_eia2(&k, 0x38a6f056, 0x18, 0, msg, 58, mac);
	KT_ASSERT_EQ(memcmp(mac, want, 4), 0);
	hex_decode("d3c5d592327fb11c4035c6680af8c6d1", key, 16);
	hex_decode("484583d5afe082ae", msg, 8);
	hex_decode("b93787e6", want, 4);
	sec_key_init(&k, key);
	sec_eia2(&k, 0x398a59b4, 0x1a, 1, msg, 64, mac);
	KT_ASSERT_EQ(memcmp(mac, want, 4), 0);
}

#define NBUF 48
#define BSZ  2048
#define NSDU 30

static struct l2_pool pool;
static struct l2_buf descs[NBUF];
static uint8_t storage[NBUF * BSZ];
static uint32_t now_ms;
static struct pdcp_entity ue_pdcp, enb_pdcp;
static struct rlc_am ue_rlc, enb_rlc;
static uint32_t delivered, intact;

static uint32_t clock_ms(void *ctx)
{
	(void)ctx;
	return now_ms;
}

static const struct l2_env env = {.now_ms = clock_ms};

static uint16_t sdu_len(uint32_t k)
{
	return (uint16_t)(1 + (k * 97) % 900);
}

static void ue_pdcp_tx(void *ctx, struct l2_buf *pdu)
{
	(void)ctx;
	rlc_am_tx_sdu(&ue_rlc, pdu);
}

static void enb_rlc_rx(void *ctx, struct l2_buf *sdu)
{
	(void)ctx;
	pdcp_rx_pdu(&enb_pdcp, sdu, false);
}

static void enb_pdcp_rx(void *ctx, struct l2_buf *sdu)
{
	uint16_t i;
	bool ok = sdu->len == sdu_len(delivered);

	(void)ctx;
	for (i = 0; ok && i < sdu->len; i++)
		ok = l2_buf_data(sdu)[i] == (uint8_t)(delivered + i);
	intact += ok;
	delivered++;
	l2_buf_free(sdu);
}

static void drop(void *ctx, struct l2_buf *b)
{
	(void)ctx;
	l2_buf_free(b);
}

static struct l2_buf *ue_rlc_tx(void *ctx, uint32_t max)
{
	(void)ctx;
	return rlc_am_tx_pdu(&ue_rlc, max);
}

/* PDCP (EEA2 + EIA2) -> RLC AM -> MAC (LCP) -> MAC demux -> RLC AM -> PDCP, every fifth
 * transport block lost: all SDUs arrive in order and intact (TS 36.322 §5.1.3). */
KTEST(l2_loopback_srb_am_with_loss_on_target)
{
	static const uint8_t k[16] = {7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
	struct pdcp_config pc = {.rb_id = 1, .srb = true, .sn_bits = 5, .tx_dir = SEC_DIR_UL};
	struct pdcp_ops ue_po = {.tx_pdu = ue_pdcp_tx, .rx_sdu = drop};
	struct pdcp_ops enb_po = {.tx_pdu = drop, .rx_sdu = enb_pdcp_rx};
	struct rlc_am_config rc = {.t_poll_retransmit_ms = 20,
				   .t_reordering_ms = 10,
				   .t_status_prohibit_ms = 5,
				   .poll_pdu = 8,
				   .max_retx_threshold = 8,
				   .max_sdus = 8};
	struct rlc_ops ue_ro = {.rx_sdu = drop}, enb_ro = {.rx_sdu = enb_rlc_rx};
	static uint8_t tb[600];
	uint32_t t, next = 0;

	KT_ASSERT_EQ(l2_pool_init(&pool, descs, NBUF, storage, BSZ, 96), 0);
	KT_ASSERT_EQ(pdcp_init(&ue_pdcp, &pc, &ue_po, &env, &pool), 0);
	pc.tx_dir = SEC_DIR_DL;
	KT_ASSERT_EQ(pdcp_init(&enb_pdcp, &pc, &enb_po, &env, &pool), 0);
	pdcp_set_security(&ue_pdcp, SEC_EEA2, k, SEC_EIA2, k);
	pdcp_set_security(&enb_pdcp, SEC_EEA2, k, SEC_EIA2, k);
	KT_ASSERT_EQ(rlc_am_init(&ue_rlc, &rc, &ue_ro, &env, &pool), 0);
	KT_ASSERT_EQ(rlc_am_init(&enb_rlc, &rc, &enb_ro, &env, &pool), 0);
	for (t = 0; t < 3000 && delivered < NSDU; t++) {
		struct mac_lch lch = {
			.lcid = 1, .priority = 1, .pbr = MAC_PBR_INFINITY, .tx_pdu = ue_rlc_tx};
		struct mac_pdu_writer w;
		struct mac_pdu_view v;
		struct l2_buf *pdus[4], *b;
		uint32_t tbs = 100 + (t * 37) % 500;
		unsigned n, i;

		now_ms = t;
		while (next < NSDU && ue_rlc.c.txq.q.count < 4) {
			b = l2_buf_alloc(&pool);
			KT_ASSERT(b != NULL);
			for (i = 0; i < sdu_len(next); i++)
				*l2_buf_put(b, 1) = (uint8_t)(next + i);
			pdcp_tx_sdu(&ue_pdcp, b);
			next++;
		}
		mac_pdu_init(&w, tbs, MAC_UL);
		n = mac_lcp_fill(&lch, 1, &w, pdus, 4);
		if (n) {
			mac_pdu_finish(&w, tb);
			for (i = 0; i < n; i++)
				l2_buf_free(pdus[i]);
			if (t % 5 != 4 && mac_pdu_parse(tb, tbs, MAC_UL, &v) == 0)
				for (i = 0; i < v.n; i++)
					if (v.e[i].lcid == 1 &&
					    (b = l2_buf_from(&pool, tb + v.e[i].off, v.e[i].len)))
						rlc_am_rx_pdu(&enb_rlc, b);
		}
		if ((b = rlc_am_tx_pdu(&enb_rlc, 64)))
			rlc_am_rx_pdu(&ue_rlc, b);
		rlc_am_tick(&ue_rlc);
		rlc_am_tick(&enb_rlc);
	}
	KT_ASSERT_EQ(delivered, NSDU);
	KT_ASSERT_EQ(intact, NSDU);
	KT_ASSERT(ue_rlc.c.stats.tx_retx_pdus > 0);
	KT_ASSERT_EQ(enb_pdcp.stats.rx_integrity_fail, 0);
	rlc_am_release(&ue_rlc);
	rlc_am_release(&enb_rlc);
	pdcp_release(&ue_pdcp);
	pdcp_release(&enb_pdcp);
	KT_ASSERT_EQ(pool.avail, NBUF);
}
