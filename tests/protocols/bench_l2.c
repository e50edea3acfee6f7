/* SPDX-License-Identifier: BSD-2-Clause */
/* Cost per byte in icount cycles: PDCP (EEA2 on/off), RLC AM, MAC, the radio link codec, CRC24A. */
#include <l4/syscall.h>
#include <string.h>

#include "l2/link.h"
#include "l2/mac.h"
#include "l2/pdcp.h"
#include "l2/rlc.h"

int main(void);

#define RUNS 41
#define NBUF 64
#define BSZ  2048

static struct l2_pool pool;
static struct l2_buf descs[NBUF];
static uint8_t storage[NBUF * BSZ];
static uint8_t tb[BSZ];
static struct pdcp_entity ue_pdcp, enb_pdcp;
static struct rlc_am ue_rlc, enb_rlc;
static struct l2_buf *handed; /* what the last callback passed on */

/* One row per layer and direction; samples in cycles per SDU. */
enum { PDCP_TX, RLC_TX, MAC_TX, MAC_RX, RLC_RX, PDCP_RX, NSTAGE };
static const char *const stage_name[NSTAGE] = {"ul_pdcp", "ul_rlc", "ul_mac",
					       "dl_mac",  "dl_rlc", "dl_pdcp"};
static uint32_t samples[NSTAGE][RUNS];

static inline uint32_t cycles(void)
{
	uint32_t v;

	__asm__ volatile("isb\n\tmrc p15, 0, %0, c9, c13, 0" : "=r"(v) : : "memory");
	return v;
}

static void keep(void *ctx, struct l2_buf *b)
{
	(void)ctx;
	handed = b;
}

static void sort(uint32_t *a, unsigned n)
{
	unsigned i, j;

	for (i = 1; i < n; i++) {
		uint32_t v = a[i];

		for (j = i; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

/* Cycles per byte with one decimal. */
static void put_per_byte(uint32_t c, uint32_t bytes)
{
	uint32_t tenths = (c * 10 + bytes / 2) / bytes;

	l4_debug_putu(tenths / 10);
	l4_debug_puts(".");
	l4_debug_putu(tenths % 10);
}

static void report_named(const char *prefix, const char *name, const char *suffix, uint32_t size,
			 uint32_t *s)
{
	sort(s, RUNS);
	l4_debug_puts("BENCH ");
	l4_debug_puts(prefix);
	l4_debug_puts(name);
	l4_debug_puts(suffix);
	l4_debug_puts("_");
	l4_debug_putu(size);
	l4_debug_puts("_cpb min=");
	put_per_byte(s[0], size);
	l4_debug_puts(" median=");
	put_per_byte(s[RUNS / 2], size);
	l4_debug_puts(" max=");
	put_per_byte(s[RUNS - 1], size);
	l4_debug_puts("\n");
}

static void report(const char *cipher, uint32_t size, unsigned stage, uint32_t *s)
{
	report_named("l2_", stage_name[stage], cipher, size, s);
}

/* 128-EEA2 with the 1 KiB round table or with the 256 KiB pair table (l2/aes.h). */
static struct aes128_pair_table pair;

/* UE -> eNB over one DRB (12-bit SN, RLC AM, LCID 3): RUNS SDUs of `size` bytes. */
static int run(uint32_t size, bool eea2, bool with_pair)
{
	static const uint8_t k[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	struct pdcp_config pc = {.rb_id = 3,
				 .rlc_am = true,
				 .sn_bits = 12,
				 .tx_dir = SEC_DIR_UL,
				 .aes_pair = with_pair ? &pair : NULL};
	struct pdcp_ops po = {.tx_pdu = keep, .rx_sdu = keep};
	struct rlc_am_config rc = {.t_poll_retransmit_ms = 1000,
				   .t_reordering_ms = 1000,
				   .poll_pdu = 1000,
				   .max_retx_threshold = 4};
	struct rlc_ops ro = {.rx_sdu = keep};
	unsigned i, s;

	if (l2_pool_init(&pool, descs, NBUF, storage, BSZ, 96) < 0 ||
	    pdcp_init(&ue_pdcp, &pc, &po, NULL, &pool) < 0 ||
	    rlc_am_init(&ue_rlc, &rc, &ro, NULL, &pool) < 0 ||
	    rlc_am_init(&enb_rlc, &rc, &ro, NULL, &pool) < 0)
		return -1;
	pc.tx_dir = SEC_DIR_DL;
	pdcp_init(&enb_pdcp, &pc, &po, NULL, &pool);
	pdcp_set_security(&ue_pdcp, eea2 ? SEC_EEA2 : SEC_EEA0, k, SEC_EIA0, NULL);
	pdcp_set_security(&enb_pdcp, eea2 ? SEC_EEA2 : SEC_EEA0, k, SEC_EIA0, NULL);
	for (i = 0; i < RUNS; i++) {
		struct l2_buf *sdu = l2_buf_alloc(&pool), *pdu;
		struct mac_pdu_writer w;
		struct mac_pdu_view v;
		uint32_t t[7], tbs = size + 2 + 2 + 3;

		memset(l2_buf_put(sdu, (uint16_t)size), (int)i, size);
		t[0] = cycles();
		pdcp_tx_sdu(&ue_pdcp, sdu);
		t[1] = cycles();
		rlc_am_tx_sdu(&ue_rlc, handed);
		pdu = rlc_am_tx_pdu(&ue_rlc, size + 2 + 2);
		t[2] = cycles();
		mac_pdu_init(&w, tbs, MAC_UL);
		mac_pdu_add(&w, 3, l2_buf_data(pdu), pdu->len);
		mac_pdu_finish(&w, tb);
		l2_buf_free(pdu);
		t[3] = cycles();
		mac_pdu_parse(tb, tbs, MAC_UL, &v);
		pdu = l2_buf_from(&pool, tb + v.e[0].off, v.e[0].len);
		t[4] = cycles();
		handed = NULL;
		rlc_am_rx_pdu(&enb_rlc, pdu);
		t[5] = cycles();
		pdcp_rx_pdu(&enb_pdcp, handed, false);
		t[6] = cycles();
		if (!handed || handed->len != size || l2_buf_data(handed)[size - 1] != (uint8_t)i)
			return -2;
		l2_buf_free(handed);
		for (s = 0; s < NSTAGE; s++)
			samples[s][i] = t[s + 1] - t[s];
		/* Acknowledge everything (outside the timing) so the window never fills. */
		{
			uint8_t st[2];
			struct rlc_status ack = {.ack_sn = ue_rlc.vt_s};

			rlc_status_write(st, 2, &ack);
			rlc_am_rx_pdu(&ue_rlc, l2_buf_from(&pool, st, 2));
		}
	}
	for (s = 0; s < NSTAGE; s++)
		report(!eea2 ? "" : with_pair ? "_eea2pt" : "_eea2", size, s, samples[s]);
	rlc_am_release(&ue_rlc);
	rlc_am_release(&enb_rlc);
	pdcp_release(&ue_pdcp);
	pdcp_release(&enb_pdcp);
	return pool.avail == NBUF ? 0 : -3;
}

/*
 * The radio link (docs/radio-link.md) per TB byte: CRC24A (sliced by four) against CRC24B
 * (the same code a byte at a time), the firmware's receive path of a DL message (parse,
 * walk, decode with the CRC check) and its UL message built in place (header, TB item with
 * CRC, DONE), the TB bytes themselves not counted.
 */
static void bench_link(void)
{
	static const uint32_t sizes[] = {100, 1500, 8192};
	static uint8_t m[LINK_MAX_MSG];
	uint32_t sample[RUNS], i, k, t0;

	for (i = 0; i < sizeof(tb); i++)
		tb[i] = (uint8_t)(i * 13 + 1);
	for (k = 0; k < 3; k++) {
		for (i = 0; i < RUNS; i++) {
			t0 = cycles();
			crc24a(m, sizes[k]);
			sample[i] = cycles() - t0;
		}
		report_named("link_", "crc24a", "", sizes[k], sample);
	}
	for (i = 0; i < RUNS; i++) {
		t0 = cycles();
		crc24b(m, 1500);
		sample[i] = cycles() - t0;
	}
	report_named("link_", "crc24b", "", 1500, sample);
	for (i = 0; i < RUNS; i++) {
		struct link_writer w;
		struct link_msg msg;
		struct link_item it;
		struct rl_dl_tb dl;
		uint32_t pos = 0;
		int n;

		link_writer_init(&w, m, sizeof(m), RL_MAGIC, RL_MSG_DL, i, i);
		rl_put_ul_grant(&w, &(struct rl_ul_grant){.rnti = 61, .harq_pid = 1, .tbs = 100});
		rl_put_dl_tb(&w, &(struct rl_dl_tb){.rnti = 61, .tbs = 1300, .tb = tb});
		n = link_finish(&w);
		t0 = cycles();
		if (link_parse(m, (uint32_t)n, &msg) < 0)
			return;
		while (link_next(&msg, &pos, &it) == 1)
			if (it.type == RL_ITEM_DL_TB && (rl_get_dl_tb(&it, &dl) < 0 || !dl.crc_ok))
				return;
		sample[i] = cycles() - t0;
	}
	report_named("link_", "dl_rx", "", 1300, sample);
	for (i = 0; i < RUNS; i++) {
		struct link_writer w;

		t0 = cycles();
		link_writer_init(&w, m, sizeof(m), RL_MAGIC, RL_MSG_UL, i, i);
		rl_put_ul_tb_begin(&w, &(struct rl_ul_tb){.rnti = 61, .harq_pid = 1, .tbs = 1300});
		link_put_tb_end(&w);
		rl_put_harq_ack(&w, &(struct rl_harq_ack){.harq_pid = 0, .ack = true});
		rl_put_done(&w, &(struct rl_done){.subframe = i, .wake_at = i + 1});
		if (link_finish(&w) < 0)
			return;
		sample[i] = cycles() - t0;
	}
	report_named("link_", "ul_tx", "", 1300, sample);
}

int main(void)
{
	static const uint32_t sizes[] = {100, 500, 1500};
	unsigned i;

	bench_link();
	aes128_pair_table_init(&pair);
	for (i = 0; i < 3; i++)
		if (run(sizes[i], false, false) < 0 || run(sizes[i], true, false) < 0 ||
		    run(sizes[i], true, true) < 0) {
			l4_debug_puts("bench_l2: loopback failed\n");
			return 1;
		}
	return 0;
}
