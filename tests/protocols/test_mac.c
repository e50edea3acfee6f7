/* SPDX-License-Identifier: BSD-2-Clause */
/* MAC (TS 36.321): PDU formats, control elements, HARQ, LCP and random access. */
#include "test.h"

#include "l2/mac.h"

static uint8_t tb[70000];
static uint8_t data[70000];

/* §6.1.2, §6.2.1: subheaders, a short BSR, an SDU and tail padding, byte by byte. */
static void mac_ts36321_6_1_2_mux_known_bytes(void)
{
	struct mac_pdu_writer w;
	struct mac_pdu_view v;
	uint8_t bsr = mac_ce_short_bsr(2, 100), i;

	for (i = 0; i < 10; i++)
		data[i] = (uint8_t)(0xa0 + i);
	mac_pdu_init(&w, 20, MAC_UL);
	CU_ASSERT_EQUAL(mac_pdu_add(&w, MAC_LCID_UL_SBSR, &bsr, 1), 0);
	CU_ASSERT_EQUAL(mac_pdu_add(&w, 3, data, 10), 0);
	CU_ASSERT_EQUAL(mac_pdu_finish(&w, tb), 20);
	CU_ASSERT_EQUAL(tb[0], 0x3d);	       /* R F2 E=1 LCID 11101 */
	CU_ASSERT_EQUAL(tb[1], 0x23);	       /* E=1 LCID 3 */
	CU_ASSERT_EQUAL(tb[2], 0x0a);	       /* F=0 L=10 */
	CU_ASSERT_EQUAL(tb[3], 0x1f);	       /* E=0 padding */
	CU_ASSERT_EQUAL(tb[4], (2 << 6) | 16); /* LCG 2, index 16: 91 < 100 <= 107 */
	CU_ASSERT_EQUAL(memcmp(tb + 5, data, 10), 0);
	CU_ASSERT_EQUAL(tb[19], 0);
	CU_ASSERT_EQUAL(mac_pdu_parse(tb, 20, MAC_UL, &v), 0);
	CU_ASSERT_EQUAL(v.n, 2);
	CU_ASSERT_EQUAL(v.e[0].lcid, MAC_LCID_UL_SBSR);
	CU_ASSERT_EQUAL(v.e[0].off, 4);
	CU_ASSERT_EQUAL(v.e[1].lcid, 3);
	CU_ASSERT_EQUAL(v.e[1].len, 10);
	CU_ASSERT_EQUAL(v.e[1].off, 5);
	CU_ASSERT_EQUAL(v.padding, 6);
}

/* §6.1.2: one- and two-byte padding go in front; an exact fit has none; the last L is implied. */
static void mac_ts36321_6_1_2_padding_forms(void)
{
	struct mac_pdu_writer w;
	struct mac_pdu_view v;
	uint32_t extra;

	for (extra = 0; extra < 6; extra++) {
		mac_pdu_init(&w, 2 + 1 + 50 + 30 + extra, MAC_DL);
		mac_pdu_add(&w, 1, data, 50);
		mac_pdu_add(&w, 2, data + 50, 30);
		CU_ASSERT_EQUAL(mac_pdu_finish(&w, tb), (int)w.tb_size);
		CU_ASSERT_EQUAL_FATAL(mac_pdu_parse(tb, w.tb_size, MAC_DL, &v), 0);
		CU_ASSERT_EQUAL(v.n, 2);
		CU_ASSERT_EQUAL(v.e[0].len, 50);
		CU_ASSERT_EQUAL(v.e[1].len, 30);
		CU_ASSERT_EQUAL(memcmp(tb + v.e[1].off, data + 50, 30), 0);
		/* From 3 bytes on, one goes to the last SDU's L field. */
		CU_ASSERT_EQUAL(v.padding, extra < 3 ? extra : extra - 1);
		if (extra == 1 || extra == 2)
			CU_ASSERT_EQUAL(tb[0], 0x3f);
		if (extra == 0)
			CU_ASSERT_EQUAL(tb[2], 0x02); /* last subheader: E=0, no L */
	}
	/* A TB with nothing to send is all padding. */
	mac_pdu_init(&w, 7, MAC_UL);
	CU_ASSERT_EQUAL(mac_pdu_finish(&w, tb), 7);
	CU_ASSERT_EQUAL(tb[0], 0x1f);
	CU_ASSERT_EQUAL(mac_pdu_parse(tb, 7, MAC_UL, &v), 0);
	CU_ASSERT_EQUAL(v.n, 0);
}

/* §6.2.1: L field forms at their boundaries: 7-bit (127), 15-bit (128, 32767), F2 16-bit. */
static void mac_ts36321_6_2_1_length_field_boundaries(void)
{
	static const uint16_t lens[] = {1, 127, 128, 32767, 32768, 65000};
	struct mac_pdu_writer w;
	struct mac_pdu_view v;
	unsigned i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		mac_pdu_init(&w, lens[i] + 3u + 1 + 4 + 3, MAC_DL);
		CU_ASSERT_EQUAL(mac_pdu_add(&w, 5, data, lens[i]), 0);
		CU_ASSERT_EQUAL(mac_pdu_add(&w, 6, data, 4), 0);
		mac_pdu_finish(&w, tb);
		CU_ASSERT_EQUAL(tb[0] & 0x40, lens[i] > 32767 ? 0x40 : 0);
		CU_ASSERT_EQUAL_FATAL(mac_pdu_parse(tb, w.tb_size, MAC_DL, &v), 0);
		CU_ASSERT_EQUAL(v.e[0].len, lens[i]);
		CU_ASSERT_EQUAL(v.e[1].len, 4);
	}
}

/* §6.2.1: reserved LCIDs, truncated headers, L = 0 and overruns are malformed. */
static void mac_ts36321_6_2_1_malformed_rejected(void)
{
	static const struct {
		uint8_t b[8];
		uint8_t len;
		enum mac_dir dir;
	} bad[] = {
		{{0x0f, 1}, 2, MAC_DL},		    /* LCID 15 reserved in Rel-8 DL */
		{{0x1b, 1, 2}, 3, MAC_DL},	    /* LCID 27 reserved in DL */
		{{0x21}, 1, MAC_DL},		    /* E=1 and nothing after */
		{{0x21, 0x00, 0x02}, 3, MAC_DL},    /* L = 0 */
		{{0x21, 0x05, 0x02, 1}, 4, MAC_DL}, /* L overruns */
		{{0x21, 0x80}, 2, MAC_DL},	    /* 15-bit L truncated */
		{{0x01}, 1, MAC_DL},		    /* last SDU with no bytes */
		{{0x3d, 0x1d}, 2, MAC_UL},	    /* short BSR without its byte */
		{{0}, 0, MAC_UL},
	};
	struct mac_pdu_view v;
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(mac_pdu_parse(bad[i].b, bad[i].len, bad[i].dir, &v), L2_EPROTO);
}

/* §6.1.3.1 Table 6.1.3.1-1: buffer size index at each boundary; long BSR packing. */
static void mac_ts36321_6_1_3_1_bsr(void)
{
	uint32_t b[4] = {0, 10, 11, 150001};
	uint8_t out[3], idx[4];

	CU_ASSERT_EQUAL(mac_bsr_index(0), 0);
	CU_ASSERT_EQUAL(mac_bsr_index(1), 1);
	CU_ASSERT_EQUAL(mac_bsr_index(10), 1);
	CU_ASSERT_EQUAL(mac_bsr_index(11), 2);
	CU_ASSERT_EQUAL(mac_bsr_index(93479), 59);
	CU_ASSERT_EQUAL(mac_bsr_index(93480), 60);
	CU_ASSERT_EQUAL(mac_bsr_index(150000), 62);
	CU_ASSERT_EQUAL(mac_bsr_index(150001), 63);
	CU_ASSERT_EQUAL(mac_bsr_bytes(16), 107);
	mac_ce_long_bsr(b, out);
	/* 000000 000001 000010 111111 */
	CU_ASSERT_EQUAL(out[0], 0x00);
	CU_ASSERT_EQUAL(out[1], 0x10);
	CU_ASSERT_EQUAL(out[2], 0xbf);
	mac_ce_long_bsr_parse(out, idx);
	CU_ASSERT_EQUAL(idx[1], 1);
	CU_ASSERT_EQUAL(idx[2], 2);
	CU_ASSERT_EQUAL(idx[3], 63);
	CU_ASSERT_EQUAL(mac_ce_phr(0xff), 0x3f);
	CU_ASSERT_EQUAL(mac_ce_ta(31), 31);
	CU_ASSERT_EQUAL(mac_ce_size(MAC_LCID_DL_CRI, MAC_DL), 6);
	CU_ASSERT_EQUAL(mac_ce_size(MAC_LCID_UL_LBSR, MAC_UL), 3);
	CU_ASSERT_EQUAL(mac_ce_size(MAC_LCID_UL_CRNTI, MAC_UL), 2);
}

/* §5.4.5: Long BSR with several LCGs, Short with one, Truncated in a small padding space. */
static void mac_ts36321_5_4_5_bsr_format(void)
{
	uint32_t one[4] = {0, 500, 0, 0}, two[4] = {0, 500, 0, 20000}, none[4] = {0};
	uint8_t out[3];

	CU_ASSERT_EQUAL(mac_bsr_select(two, 3, false, 0, out), MAC_LCID_UL_LBSR);
	CU_ASSERT_EQUAL(out[0] >> 2, 0); /* LCG 0 empty */
	CU_ASSERT_EQUAL(out[2] & 0x3f, mac_bsr_index(20000));
	CU_ASSERT_EQUAL(mac_bsr_select(one, 1, false, 0, out), MAC_LCID_UL_SBSR);
	CU_ASSERT_EQUAL(out[0], (1 << 6) | mac_bsr_index(500));
	CU_ASSERT_EQUAL(mac_bsr_select(none, 0, false, 0, out), L2_EAGAIN);
	/* Padding: 2 bytes fit only a short form; 4 fit the long one. */
	CU_ASSERT_EQUAL(mac_bsr_select(two, 3, true, 2, out), MAC_LCID_UL_TBSR);
	CU_ASSERT_EQUAL(out[0], (3 << 6) | mac_bsr_index(20000));
	CU_ASSERT_EQUAL(mac_bsr_select(two, 3, true, 4, out), MAC_LCID_UL_LBSR);
	CU_ASSERT_EQUAL(mac_bsr_select(none, 0, true, 2, out), MAC_LCID_UL_SBSR);
	CU_ASSERT_EQUAL(out[0], 0);
	CU_ASSERT_EQUAL(mac_bsr_select(two, 3, true, 1, out), L2_EAGAIN);
}

/* §6.1.5, §6.2.2, §6.2.3: the MAC RAR PDU with a backoff indicator and two RARs. */
static void mac_ts36321_6_1_5_rar_pdu(void)
{
	struct mac_rar_pdu in = {.has_bi = true, .bi = 5, .n = 2}, out;
	int n;

	in.rar[0] =
		(struct mac_rar){.rapid = 63, .ta = 0x7ff, .ul_grant = 0xfffff, .tc_rnti = 0x4601};
	in.rar[1] = (struct mac_rar){.rapid = 7, .ta = 1, .ul_grant = 0x12345, .tc_rnti = 1};
	n = mac_rar_write(tb, sizeof(tb), &in);
	CU_ASSERT_EQUAL(n, 3 + 12);
	CU_ASSERT_EQUAL(tb[0], 0x85); /* E=1 T=0 R R BI=5 */
	CU_ASSERT_EQUAL(tb[1], 0xff); /* E=1 T=1 RAPID 63 */
	CU_ASSERT_EQUAL(tb[2], 0x47); /* E=0 T=1 RAPID 7 */
	CU_ASSERT_EQUAL(tb[3], 0x7f); /* R, TA[10:4] */
	CU_ASSERT_EQUAL(tb[4], 0xff); /* TA[3:0] grant[19:16] */
	CU_ASSERT_EQUAL(mac_rar_parse(tb, (uint32_t)n, &out), 0);
	CU_ASSERT_TRUE(out.has_bi);
	CU_ASSERT_EQUAL(out.bi, 5);
	CU_ASSERT_EQUAL(out.n, 2);
	CU_ASSERT_EQUAL(out.rar[0].ta, 0x7ff);
	CU_ASSERT_EQUAL(out.rar[1].ul_grant, 0x12345);
	CU_ASSERT_EQUAL(out.rar[0].tc_rnti, 0x4601);
	CU_ASSERT_EQUAL(mac_rar_parse(tb, (uint32_t)n - 1, &out), L2_EPROTO);
}

/* §5.3.2.2: NDI toggling, retransmission after a failed CRC, duplicate after success. */
static void mac_ts36321_5_3_2_harq_dl_ndi(void)
{
	struct mac_harq_dl h = {0};
	bool deliver;

	CU_ASSERT_FALSE(mac_harq_dl_rx(&h, 3, true, false, &deliver)); /* new, CRC fail: NACK */
	CU_ASSERT_FALSE(deliver);
	CU_ASSERT_TRUE(mac_harq_dl_rx(&h, 3, true, true, &deliver)); /* retx decodes */
	CU_ASSERT_TRUE(deliver);
	CU_ASSERT_TRUE(mac_harq_dl_rx(&h, 3, true, true, &deliver)); /* same NDI again */
	CU_ASSERT_FALSE(deliver);
	CU_ASSERT_EQUAL(h.duplicates, 1);
	CU_ASSERT_TRUE(mac_harq_dl_rx(&h, 3, false, true, &deliver)); /* toggled: new data */
	CU_ASSERT_TRUE(deliver);
	CU_ASSERT_TRUE(mac_harq_dl_rx(&h, 4, false, true, &deliver)); /* processes independent */
	CU_ASSERT_TRUE(deliver);
	CU_ASSERT_FALSE(mac_harq_dl_rx(&h, 8, false, true, &deliver)); /* no process 8 */
	CU_ASSERT_EQUAL(h.delivered, 3);
}

/* §5.4.2: UL HARQ retransmits on NACK (non-adaptive) or same NDI (adaptive), up to maxHARQ-Tx. */
static void mac_ts36321_5_4_2_harq_ul_max_tx(void)
{
	static struct l2_pool pool;
	static struct l2_buf descs[4];
	static uint8_t st[4 * 64];
	struct mac_harq_ul h;
	struct l2_buf *a, *b;

	l2_pool_init(&pool, descs, 4, st, 64, 0);
	mac_harq_ul_init(&h, 3);
	a = l2_buf_alloc(&pool);
	CU_ASSERT_PTR_EQUAL(mac_harq_ul_grant(&h, 2, true, a), a); /* CURRENT_TX_NB 1 */
	CU_ASSERT_PTR_NULL(mac_harq_ul_tti(&h, 2));		   /* no NACK yet */
	mac_harq_ul_feedback(&h, 2, false);
	CU_ASSERT_PTR_EQUAL(mac_harq_ul_tti(&h, 2), a); /* non-adaptive, 2 */
	mac_harq_ul_feedback(&h, 2, false);
	b = l2_buf_alloc(&pool);
	CU_ASSERT_PTR_EQUAL(mac_harq_ul_grant(&h, 2, true, b), a); /* adaptive, 3 */
	mac_harq_ul_feedback(&h, 2, false);			   /* maxHARQ-Tx: flushed */
	CU_ASSERT_EQUAL(h.flushed, 1);
	CU_ASSERT_PTR_NULL(mac_harq_ul_tti(&h, 2));
	b = l2_buf_alloc(&pool);
	CU_ASSERT_PTR_EQUAL(mac_harq_ul_grant(&h, 2, false, b), b); /* toggled: new TB */
	mac_harq_ul_feedback(&h, 2, true);
	CU_ASSERT_PTR_NULL(mac_harq_ul_tti(&h, 2));
	mac_harq_ul_release(&h);
	CU_ASSERT_EQUAL(pool.avail, 4);
}

/* A stand-in RLC: `left` bytes queued, PDUs of whatever size MAC allows. */
struct fake_rlc {
	struct l2_pool *pool;
	uint32_t left, served, calls;
};

static struct l2_buf *fake_tx(void *ctx, uint32_t max)
{
	struct fake_rlc *r = ctx;
	uint32_t n = r->left < max ? r->left : max;
	struct l2_buf *b;

	if (n == 0)
		return NULL;
	b = l2_buf_alloc(r->pool);
	memset(l2_buf_put(b, (uint16_t)n), 0x5a, n);
	r->left -= n;
	r->served += n;
	r->calls++;
	return b;
}

/* §5.4.3.1: PBR first in priority order, Bj accounting, then strict priority. */
static void mac_ts36321_5_4_3_1_lcp(void)
{
	static struct l2_pool pool;
	static struct l2_buf descs[32];
	static uint8_t st[32 * 2048];
	struct fake_rlc r[3];
	struct mac_lch ch[3];
	struct mac_pdu_writer w;
	struct l2_buf *pdus[16];
	unsigned n, i;

	l2_pool_init(&pool, descs, 32, st, 2048, 0);
	for (i = 0; i < 3; i++)
		r[i] = (struct fake_rlc){.pool = &pool, .left = 1000};
	/* LCID 3: priority 3, PBR 8 kB/s; LCID 4: priority 1, PBR 16 kB/s; LCID 5: priority 2. */
	ch[0] = (struct mac_lch){.lcid = 3, .priority = 3, .pbr = 8000, .bsd_ms = 50};
	ch[1] = (struct mac_lch){.lcid = 4, .priority = 1, .pbr = 16000, .bsd_ms = 50};
	ch[2] = (struct mac_lch){.lcid = 5, .priority = 2, .pbr = 0, .bsd_ms = 50};
	for (i = 0; i < 3; i++) {
		ch[i].ctx = &r[i];
		ch[i].tx_pdu = fake_tx;
	}
	for (i = 0; i < 10; i++)
		mac_lcp_tti(ch, 3, 1);
	CU_ASSERT_EQUAL(ch[0].bj, 80);
	CU_ASSERT_EQUAL(ch[1].bj, 160);
	CU_ASSERT_EQUAL(ch[2].bj, 0);
	for (i = 0; i < 100; i++)
		mac_lcp_tti(ch, 3, 1);
	CU_ASSERT_EQUAL(ch[0].bj, 400); /* bucket: PBR x BSD */
	CU_ASSERT_EQUAL(ch[1].bj, 800);
	/* A 1000-byte grant: step 1 gives LCID 4 its 800, LCID 3 what is left (< 400). */
	mac_pdu_init(&w, 1000, MAC_UL);
	n = mac_lcp_fill(ch, 3, &w, pdus, 16);
	CU_ASSERT_EQUAL(r[1].served, 800);
	CU_ASSERT(r[0].served > 150 && r[0].served < 200);
	CU_ASSERT_EQUAL(r[2].served, 0);
	CU_ASSERT_EQUAL(ch[1].bj, 0);
	CU_ASSERT_EQUAL(ch[0].bj, 400 - (int64_t)r[0].served);
	CU_ASSERT_EQUAL(mac_pdu_finish(&w, tb), 1000);
	for (i = 0; i < n; i++)
		l2_buf_free(pdus[i]);
	/* Next grant: Bj of LCID 4 is 0, so LCID 3 (Bj > 0) first; then step 3 by priority. */
	mac_pdu_init(&w, 1300, MAC_UL);
	n = mac_lcp_fill(ch, 3, &w, pdus, 16);
	CU_ASSERT_EQUAL(r[0].served, 400);
	CU_ASSERT_EQUAL(r[1].served, 1000); /* priority 1 takes its last 200 in step 3 */
	CU_ASSERT(r[2].served > 800);	    /* then priority 2 gets the rest */
	CU_ASSERT(r[2].left > 0);
	CU_ASSERT_EQUAL(mac_pdu_finish(&w, tb), 1300);
	for (i = 0; i < n; i++)
		l2_buf_free(pdus[i]);
	CU_ASSERT_EQUAL(pool.avail, 32);
}

static uint32_t fake_bytes(void *ctx)
{
	return ((struct fake_rlc *)ctx)->left;
}

static uint32_t ue_clock_ms;

static uint32_t ue_clock(void *ctx)
{
	(void)ctx;
	return ue_clock_ms;
}

struct dl_sink {
	uint32_t n, bytes;
	uint8_t last_lcid;
};

static void dl_sdu(void *ctx, uint8_t lcid, struct l2_buf *b)
{
	struct dl_sink *d = ctx;

	d->n++;
	d->bytes += b->len;
	d->last_lcid = lcid;
	l2_buf_free(b);
}

/* §5.4.5, §5.4.3.1, §6.1.2: data arrival triggers a regular BSR (and an SR); the UL TB
 * carries the BSR first, then SDUs by priority; a padding BSR fills leftover room. */
static void mac_ts36321_5_4_5_ue_ul_bsr_and_lcp(void)
{
	static struct l2_pool pool;
	static struct l2_buf descs[32];
	static uint8_t st[32 * 2048];
	const struct l2_env env = {.now_ms = ue_clock};
	struct mac_ue_config cfg = {.periodic_bsr_ms = 20, .retx_bsr_ms = 320};
	struct fake_rlc r[2];
	struct mac_lch lch = {
		.pbr = MAC_PBR_INFINITY, .tx_pdu = fake_tx, .buffer_bytes = fake_bytes};
	struct mac_pdu_view v;
	struct mac_ue ue;
	uint8_t idx[4];

	l2_pool_init(&pool, descs, 32, st, 2048, 0);
	ue_clock_ms = 0;
	CU_ASSERT_EQUAL_FATAL(mac_ue_init(&ue, &cfg, &env, &pool), 0);
	r[0] = (struct fake_rlc){.pool = &pool};
	r[1] = (struct fake_rlc){.pool = &pool};
	lch.lcid = 1, lch.priority = 1, lch.lcg = 0, lch.ctx = &r[0];
	CU_ASSERT_EQUAL(mac_ue_add_lch(&ue, &lch), 0);
	lch.lcid = 3, lch.priority = 5, lch.lcg = 2, lch.ctx = &r[1];
	CU_ASSERT_EQUAL(mac_ue_add_lch(&ue, &lch), 0);
	lch.lcid = 0;
	CU_ASSERT_EQUAL(mac_ue_add_lch(&ue, &lch), L2_EINVAL);
	mac_ue_tti(&ue, 1);
	CU_ASSERT_FALSE(ue.bsr_regular);
	/* Data arrives on LCID 3 (LCG 2): regular BSR and SR. */
	r[1].left = 5000;
	mac_ue_tti(&ue, 1);
	CU_ASSERT_TRUE(ue.bsr_regular);
	CU_ASSERT_TRUE(ue.sr_pending);
	CU_ASSERT_EQUAL(mac_ue_ul_tb(&ue, 100, tb), 100);
	CU_ASSERT_EQUAL_FATAL(mac_pdu_parse(tb, 100, MAC_UL, &v), 0);
	CU_ASSERT_EQUAL(v.n, 2);
	CU_ASSERT_EQUAL(v.e[0].lcid, MAC_LCID_UL_SBSR);
	/* Reported after this TB's SDU left the buffer. */
	CU_ASSERT_EQUAL(tb[v.e[0].off], (2 << 6) | mac_bsr_index(r[1].left));
	CU_ASSERT_EQUAL(v.e[1].lcid, 3);
	CU_ASSERT_FALSE(ue.bsr_regular);
	CU_ASSERT_FALSE(ue.sr_pending);
	/* Both LCGs with data: the next regular BSR is Long; LCID 1 goes before LCID 3. */
	r[0].left = 300;
	mac_ue_tti(&ue, 1);
	CU_ASSERT_EQUAL(mac_ue_ul_tb(&ue, 200, tb), 200);
	CU_ASSERT_EQUAL_FATAL(mac_pdu_parse(tb, 200, MAC_UL, &v), 0);
	CU_ASSERT_EQUAL(v.e[0].lcid, MAC_LCID_UL_LBSR);
	CU_ASSERT_EQUAL(v.e[1].lcid, 1);
	mac_ce_long_bsr_parse(tb + v.e[0].off, idx);
	CU_ASSERT_EQUAL(idx[0], mac_bsr_index(r[0].left));
	CU_ASSERT_EQUAL(idx[2], mac_bsr_index(r[1].left));
	/* Little data left, a big grant: SDUs, then a padding BSR in front (§6.1.2). */
	r[0].left = 0;
	r[1].left = 10;
	mac_ue_tti(&ue, 1);
	ue.bsr_regular = ue.bsr_periodic = false;
	CU_ASSERT_EQUAL(mac_ue_ul_tb(&ue, 60, tb), 60);
	CU_ASSERT_EQUAL_FATAL(mac_pdu_parse(tb, 60, MAC_UL, &v), 0);
	CU_ASSERT_EQUAL(v.e[0].lcid, MAC_LCID_UL_SBSR);
	CU_ASSERT_EQUAL(tb[v.e[0].off] & 0x3f, 0);
	CU_ASSERT_EQUAL(v.e[1].lcid, 3);
	CU_ASSERT_EQUAL(v.e[1].len, 10);
	CU_ASSERT_EQUAL(ue.stats.bsr_padding, 1);
	/* New data on a lower-priority channel while a higher one has data: no regular BSR. */
	r[0].left = 100;
	mac_ue_tti(&ue, 1);
	ue.bsr_regular = false;
	r[1].left = 0;
	mac_ue_tti(&ue, 1);
	r[1].left = 50;
	mac_ue_tti(&ue, 1);
	CU_ASSERT_FALSE(ue.bsr_regular);
	/* periodicBSR-Timer expiry triggers a periodic BSR. */
	ue_clock_ms = 100;
	mac_ue_tti(&ue, 1);
	CU_ASSERT_TRUE(ue.bsr_periodic);
	/* A TB empties every buffer between two TTIs; data arriving before the next TTI finds
	 * them empty: a regular BSR (and an SR), not a wait for retxBSR-Timer. */
	r[0].left = 0;
	r[1].left = 40;
	CU_ASSERT_EQUAL(mac_ue_ul_tb(&ue, 100, tb), 100);
	CU_ASSERT_EQUAL(r[1].left, 0);
	ue.bsr_regular = ue.bsr_periodic = ue.sr_pending = false;
	r[1].left = 500;
	mac_ue_tti(&ue, 1);
	CU_ASSERT_TRUE(ue.bsr_regular);
	CU_ASSERT_TRUE(ue.sr_pending);
	/* A grant that takes all the data cancels the triggered BSR and the SR (§5.4.4, §5.4.5):
	 * no more SRs for data that is gone. */
	CU_ASSERT_EQUAL(mac_ue_ul_tb(&ue, 600, tb), 600);
	CU_ASSERT_EQUAL(r[1].left, 0);
	CU_ASSERT_FALSE(ue.bsr_regular);
	CU_ASSERT_FALSE(ue.sr_pending);
	mac_ue_tti(&ue, 1);
	CU_ASSERT_FALSE(ue.sr_pending);
	CU_ASSERT_EQUAL(pool.avail, 32);
}

/* §6.1.2, §6.1.3.5: a DL TB's SDUs go to their channels; TA commands are kept; malformed
 * TBs are counted and dropped. */
static void mac_ts36321_6_1_2_ue_dl_demux(void)
{
	static struct l2_pool pool;
	static struct l2_buf descs[8];
	static uint8_t st[8 * 256];
	struct mac_ue_config cfg = {0};
	struct dl_sink sink = {0};
	struct mac_pdu_writer w;
	struct mac_ue ue;
	uint8_t ta = mac_ce_ta(33);

	l2_pool_init(&pool, descs, 8, st, 256, 0);
	mac_ue_init(&ue, &cfg, NULL, &pool);
	ue.rx_sdu = dl_sdu;
	ue.rx_ctx = &sink;
	mac_pdu_init(&w, 80, MAC_DL);
	mac_pdu_add(&w, MAC_LCID_DL_TA, &ta, 1);
	mac_pdu_add(&w, 1, data, 20);
	mac_pdu_add(&w, 4, data, 30);
	mac_pdu_finish(&w, tb);
	CU_ASSERT_EQUAL(mac_ue_dl_tb(&ue, tb, 80), 0);
	CU_ASSERT_EQUAL(sink.n, 2);
	CU_ASSERT_EQUAL(sink.bytes, 50);
	CU_ASSERT_EQUAL(sink.last_lcid, 4);
	CU_ASSERT_EQUAL(ue.ta, 33);
	tb[0] = 0x0f; /* reserved LCID */
	CU_ASSERT_EQUAL(mac_ue_dl_tb(&ue, tb, 80), L2_EPROTO);
	CU_ASSERT_EQUAL(ue.stats.dl_malformed, 1);
	CU_ASSERT_EQUAL(pool.avail, 8);
}

/* ---------------------------------------------------------------- random access */

static uint32_t ra_now, ra_rand;
static uint8_t sent_preamble, msg3[64];
static uint16_t sent_ra_rnti, msg3_rnti;
static uint32_t preambles, msg3s, msg3_len;

static uint32_t ra_clock(void *ctx)
{
	(void)ctx;
	return ra_now;
}

static uint32_t ra_random(void *ctx)
{
	(void)ctx;
	return ra_rand++;
}

static int16_t sent_dbm;

static void phy_preamble(void *ctx, uint8_t preamble, uint16_t ra_rnti, int16_t target_dbm)
{
	(void)ctx;
	sent_dbm = target_dbm;
	sent_preamble = preamble;
	sent_ra_rnti = ra_rnti;
	preambles++;
}

static void phy_msg3(void *ctx, uint32_t grant, uint16_t tc_rnti, const uint8_t *pdu, uint32_t len)
{
	(void)ctx;
	(void)grant;
	msg3_rnti = tc_rnti;
	memcpy(msg3, pdu, len);
	msg3_len = len;
	msg3s++;
}

static const struct l2_env ra_env = {.now_ms = ra_clock, .random = ra_random};
static const struct mac_phy_ops ra_phy = {.send_preamble = phy_preamble, .send_msg3 = phy_msg3};
static const struct mac_ra_config ra_cfg = {.num_preambles = 52,
					    .preamble_trans_max = 3,
					    .rar_window = 10,
					    .cr_timer = 48,
					    .initial_power_dbm = -104,
					    .power_ramping_db = 2};
static const uint8_t ccch[6] = {0x40, 0x12, 0x34, 0x56, 0x78, 0x96};

static void ra_reset(struct mac_ra *ra)
{
	ra_now = 1003;
	ra_rand = 7;
	preambles = msg3s = 0;
	CU_ASSERT_EQUAL_FATAL(mac_ra_init(ra, &ra_cfg, &ra_phy, &ra_env), 0);
}

static int send_rar(struct mac_ra *ra, uint8_t rapid, uint16_t tc_rnti, bool bi)
{
	struct mac_rar_pdu r = {.n = 1, .has_bi = bi, .bi = 3};
	uint8_t p[32];
	int n;

	r.rar[0] =
		(struct mac_rar){.rapid = rapid, .ta = 12, .ul_grant = 0x5a5a, .tc_rnti = tc_rnti};
	n = mac_rar_write(p, sizeof(p), &r);
	return mac_ra_rx_rar(ra, sent_ra_rnti, p, (uint32_t)n);
}

static uint32_t msg4(const uint8_t id[6])
{
	struct mac_pdu_writer w;

	mac_pdu_init(&w, 20, MAC_DL);
	mac_pdu_add(&w, MAC_LCID_DL_CRI, id, 6);
	mac_pdu_add(&w, MAC_LCID_CCCH, (const uint8_t *)"setup", 5);
	return (uint32_t)mac_pdu_finish(&w, tb);
}

/* §5.1.1-§5.1.5: preamble, RAR, Msg3 with the CCCH SDU, contention resolved by identity. */
static void mac_ts36321_5_1_ra_contention_success(void)
{
	struct mac_ra ra;
	struct mac_pdu_view v;

	ra_reset(&ra);
	CU_ASSERT_EQUAL(mac_ra_start(&ra, ccch, 6, 0), 0);
	CU_ASSERT_EQUAL(preambles, 1);
	CU_ASSERT_EQUAL(sent_dbm, -104);
	CU_ASSERT_EQUAL(sent_preamble, 7 % 52);
	CU_ASSERT_EQUAL(sent_ra_rnti, 1 + 3); /* t_id = subframe 3 */
	CU_ASSERT_EQUAL(send_rar(&ra, (uint8_t)(sent_preamble + 1), 0x1234, false), L2_EAGAIN);
	CU_ASSERT_EQUAL(send_rar(&ra, sent_preamble, 0x4601, false), 0);
	CU_ASSERT_EQUAL(msg3s, 1);
	CU_ASSERT_EQUAL(msg3_rnti, 0x4601);
	CU_ASSERT_EQUAL_FATAL(mac_pdu_parse(msg3, msg3_len, MAC_UL, &v), 0);
	CU_ASSERT_EQUAL(v.e[0].lcid, MAC_LCID_CCCH);
	CU_ASSERT_EQUAL(memcmp(msg3 + v.e[0].off, ccch, 6), 0);
	ra_now += 5;
	mac_ra_tick(&ra);
	CU_ASSERT_EQUAL(mac_ra_rx_msg4(&ra, 0x4601, tb, msg4(ccch)), 0);
	CU_ASSERT_EQUAL(ra.state, MAC_RA_SUCCESS);
	CU_ASSERT_EQUAL(ra.c_rnti, 0x4601);
}

/* §5.1.5, §5.1.4: a wrong identity, a missing RAR and a contention timer expiry each fail an
 * attempt; after preambleTransMax the random access problem is reported. */
static void mac_ts36321_5_1_ra_contention_failure(void)
{
	const uint8_t other[6] = {0x40, 0x99, 0x99, 0x99, 0x99, 0x99};
	struct mac_ra ra;

	ra_reset(&ra);
	mac_ra_start(&ra, ccch, 6, 0);
	send_rar(&ra, sent_preamble, 0x4601, true); /* BI 3: backoff up to 30 ms */
	CU_ASSERT_EQUAL(ra.backoff_ms, 30);
	CU_ASSERT_EQUAL(mac_ra_rx_msg4(&ra, 0x4601, tb, msg4(other)), L2_EAUTH);
	CU_ASSERT_EQUAL(ra.state, MAC_RA_BACKOFF);
	CU_ASSERT_EQUAL(ra.tc_rnti, 0);
	ra_now += 31;
	mac_ra_tick(&ra);
	CU_ASSERT_EQUAL(preambles, 2);
	CU_ASSERT_EQUAL(sent_dbm, -104 + 2); /* §5.1.3 power ramping */
	/* No RAR in the window (3 + 10 subframes). */
	ra_now += 12;
	mac_ra_tick(&ra);
	CU_ASSERT_EQUAL(ra.state, MAC_RA_WAIT_RAR);
	ra_now += 1;
	mac_ra_tick(&ra);
	CU_ASSERT_EQUAL(ra.state, MAC_RA_BACKOFF);
	ra_now += 31;
	mac_ra_tick(&ra);
	CU_ASSERT_EQUAL(preambles, 3);
	/* Third attempt: Msg3 sent, the contention resolution timer expires. */
	send_rar(&ra, sent_preamble, 0x4602, false);
	ra_now += 48;
	mac_ra_tick(&ra);
	CU_ASSERT_EQUAL(ra.state, MAC_RA_FAILED);
	CU_ASSERT_EQUAL(ra.failures, 3);
	CU_ASSERT_EQUAL(mac_ra_start(&ra, ccch, 3, 0), L2_EINVAL);
}

/* §5.1.4, §5.1.5: in connected mode Msg3 carries the C-RNTI CE; a PDCCH to it resolves. */
static void mac_ts36321_5_1_ra_crnti(void)
{
	struct mac_ra ra;
	struct mac_pdu_view v;

	ra_reset(&ra);
	CU_ASSERT_EQUAL(mac_ra_start(&ra, NULL, 0, 0x1111), 0);
	send_rar(&ra, sent_preamble, 0x2222, false);
	CU_ASSERT_EQUAL_FATAL(mac_pdu_parse(msg3, msg3_len, MAC_UL, &v), 0);
	CU_ASSERT_EQUAL(v.e[0].lcid, MAC_LCID_UL_CRNTI);
	CU_ASSERT_EQUAL(msg3[v.e[0].off], 0x11);
	CU_ASSERT_EQUAL(mac_ra_rx_pdcch_crnti(&ra, 0x2222), L2_ESTATE);
	CU_ASSERT_EQUAL(mac_ra_rx_pdcch_crnti(&ra, 0x1111), 0);
	CU_ASSERT_EQUAL(ra.state, MAC_RA_SUCCESS);
}

TEST_SUITE(mac, TEST_CASE(mac_ts36321_6_1_2_mux_known_bytes),
	   TEST_CASE(mac_ts36321_6_1_2_padding_forms),
	   TEST_CASE(mac_ts36321_6_2_1_length_field_boundaries),
	   TEST_CASE(mac_ts36321_6_2_1_malformed_rejected), TEST_CASE(mac_ts36321_6_1_3_1_bsr),
	   TEST_CASE(mac_ts36321_5_4_5_bsr_format), TEST_CASE(mac_ts36321_6_1_5_rar_pdu),
	   TEST_CASE(mac_ts36321_5_3_2_harq_dl_ndi), TEST_CASE(mac_ts36321_5_4_2_harq_ul_max_tx),
	   TEST_CASE(mac_ts36321_5_4_3_1_lcp), TEST_CASE(mac_ts36321_5_4_5_ue_ul_bsr_and_lcp),
	   TEST_CASE(mac_ts36321_6_1_2_ue_dl_demux),
	   TEST_CASE(mac_ts36321_5_1_ra_contention_success),
	   TEST_CASE(mac_ts36321_5_1_ra_contention_failure), TEST_CASE(mac_ts36321_5_1_ra_crnti))
