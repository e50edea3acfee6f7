/* SPDX-License-Identifier: BSD-2-Clause */
/* RLC (TS 36.322): header and STATUS codecs, TM, UM and AM over a seeded lossy channel. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "chan.h"
#include "l2/rlc.h"

#define NBUF	 1024
#define BSZ	 2048
#define HEADROOM 96

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

static void pool_setup(void)
{
	CU_ASSERT_EQUAL_FATAL(l2_pool_init(&pool, descs, NBUF, storage, BSZ, HEADROOM), 0);
	now_ms = 0;
}

/* SDU k: its length and bytes follow from k, so the receiver can check each one. */
static uint16_t sdu_len(uint64_t seed, uint32_t k)
{
	uint64_t z = seed * 0x9e3779b97f4a7c15ull + k * 0xbf58476d1ce4e5b9ull;

	z ^= z >> 29;
	return (uint16_t)(1 + (z % 1500));
}

static struct l2_buf *make_sdu(uint64_t seed, uint32_t k)
{
	uint16_t len = sdu_len(seed, k), i;
	struct l2_buf *b = l2_buf_alloc(&pool);
	uint8_t *p = l2_buf_put(b, len);

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(k * 31 + i * 7);
	b->tag = k;
	return b;
}

static bool sdu_matches(uint64_t seed, uint32_t k, const struct l2_buf *b)
{
	uint16_t i;

	if (b->len != sdu_len(seed, k))
		return false;
	for (i = 0; i < b->len; i++)
		if (l2_buf_data(b)[i] != (uint8_t)(k * 31 + i * 7))
			return false;
	return true;
}

/* What the receiving side saw. */
struct rx_check {
	uint64_t seed;
	uint32_t next; /* next SDU index expected */
	uint32_t bad;  /* delivered out of order or corrupted */
	uint32_t delivered;
	bool skip_allowed;   /* UM: losses allowed, order and content still checked */
	uint32_t acked_upto; /* AM transmitter: highest tag acknowledged + 1 */
	uint32_t rlf;
};

static void check_sdu(void *ctx, struct l2_buf *b)
{
	struct rx_check *r = ctx;
	uint32_t k = r->next;

	if (r->skip_allowed)
		while (k < r->next + 5000 && !sdu_matches(r->seed, k, b))
			k++;
	if (sdu_matches(r->seed, k, b)) {
		r->next = k + 1;
		r->delivered++;
	} else {
		r->bad++;
	}
	l2_buf_free(b);
}

static void note_delivered(void *ctx, uint32_t tag)
{
	struct rx_check *r = ctx;

	if (tag + 1 > r->acked_upto)
		r->acked_upto = tag + 1;
}

static void note_rlf(void *ctx, uint16_t sn)
{
	(void)sn;
	((struct rx_check *)ctx)->rlf++;
}

/* §6.2.1.4, §6.2.2: AMD PDU header bits for every field at its boundary values. */
static void rlc_ts36322_6_2_1_4_amd_header_bits(void)
{
	struct rlc_hdr h = {.sn = 0x155, .p = true, .fi = 1}, g;
	static uint8_t p[4096];
	int n;

	n = rlc_am_write_hdr(p, sizeof(p), &h);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(p[0], 0xa9); /* D/C 1, RF 0, P 1, FI 01, E 0, SN 01 */
	CU_ASSERT_EQUAL(p[1], 0x55);
	p[2] = 0xee;
	CU_ASSERT_EQUAL(rlc_am_parse(p, 3, &g), 0);
	CU_ASSERT_EQUAL(g.sn, 0x155);
	CU_ASSERT_TRUE(g.p);
	CU_ASSERT_EQUAL(g.fi, 1);
	/* Segment: RF 1, LSF 1, SO 0x7fff, SN 1023, three LIs (one at 2047): 4 + 5 bytes. */
	memset(&h, 0, sizeof(h));
	h.rf = h.lsf = true;
	h.so = 0x7fff;
	h.sn = 1023;
	h.fi = 3;
	h.n_li = 3;
	h.li[0] = 1;
	h.li[1] = 2047;
	h.li[2] = 0x555;
	n = rlc_am_write_hdr(p, sizeof(p), &h);
	CU_ASSERT_EQUAL(n, 4 + 5);
	CU_ASSERT_EQUAL(p[0], 0xdf); /* 1 1 0 11 1 11 */
	CU_ASSERT_EQUAL(p[1], 0xff);
	CU_ASSERT_EQUAL(p[2], 0xff); /* LSF 1, SO 0x7f.. */
	CU_ASSERT_EQUAL(p[3], 0xff);
	CU_ASSERT_EQUAL(p[4], 0x80); /* E 1, LI 00000000001 */
	CU_ASSERT_EQUAL(p[5], 0x1f); /* ... E 1, LI 11111111111 */
	CU_ASSERT_EQUAL(p[6], 0xff);
	CU_ASSERT_EQUAL(p[7], 0x55); /* E 0, LI 10101010101, 4 padding bits */
	CU_ASSERT_EQUAL(p[8], 0x50);
	memset(p + 9, 0xab, 1 + 2048 + 0x555);
	CU_ASSERT_EQUAL(rlc_am_parse(p, 9 + 1 + 2047 + 0x555 + 1, &g), 0);
	CU_ASSERT_EQUAL(g.hdr_len, 9);
	CU_ASSERT_EQUAL(g.so, 0x7fff);
	CU_ASSERT_TRUE(g.lsf);
	CU_ASSERT_EQUAL(g.n_li, 3);
	CU_ASSERT_EQUAL(g.li[1], 2047);
	/* LIs covering the whole data field leave no last element: malformed. */
	CU_ASSERT_EQUAL(rlc_am_parse(p, 9 + 1 + 2047 + 0x555, &g), L2_EPROTO);
}

/* §6.2.1.3: UMD PDU headers with 5- and 10-bit SNs; reserved/invalid encodings rejected. */
static void rlc_ts36322_6_2_1_3_umd_headers(void)
{
	struct rlc_hdr h = {.sn = 31, .fi = 2, .n_li = 2, .li = {5, 6}}, g;
	uint8_t p[32] = {0};

	CU_ASSERT_EQUAL(rlc_um_write_hdr(p, sizeof(p), 5, &h), 4);
	CU_ASSERT_EQUAL(p[0], 0xbf); /* FI 10, E 1, SN 11111 */
	CU_ASSERT_EQUAL(rlc_um_parse(p, 4 + 5 + 6 + 1, 5, &g), 0);
	CU_ASSERT_EQUAL(g.sn, 31);
	CU_ASSERT_EQUAL(g.n_li, 2);
	CU_ASSERT_EQUAL(g.li[1], 6);
	h.sn = 1023;
	h.n_li = 0;
	h.fi = 1;
	CU_ASSERT_EQUAL(rlc_um_write_hdr(p, sizeof(p), 10, &h), 2);
	CU_ASSERT_EQUAL(p[0], 0x0b); /* R R R FI 01 E 0 SN 11 */
	CU_ASSERT_EQUAL(p[1], 0xff);
	CU_ASSERT_EQUAL(rlc_um_parse(p, 3, 10, &g), 0);
	CU_ASSERT_EQUAL(g.sn, 1023);
	CU_ASSERT_EQUAL(rlc_um_parse(p, 2, 10, &g), L2_EPROTO); /* no data */
	p[0] = 0x20;						/* E 1, then LI = 0 */
	p[1] = 0x00;
	p[2] = 0x00;
	CU_ASSERT_EQUAL(rlc_um_parse(p, 8, 5, &g), L2_EPROTO);
	CU_ASSERT_EQUAL(rlc_um_write_hdr(p, 1, 10, &h), L2_EMSGSIZE);
}

/* §6.2.1.6: STATUS PDU with ACK_SN, NACK_SNs and SOstart/SOend, and its error cases. */
static void rlc_ts36322_6_2_1_6_status_pdu(void)
{
	struct rlc_status s = {.ack_sn = 5}, g;
	uint8_t p[64];
	int n;

	n = rlc_status_write(p, sizeof(p), &s);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(p[0], 0x00);
	CU_ASSERT_EQUAL(p[1], 0x14); /* ACK_SN 0000|000101, E1 0, padding */
	s.ack_sn = 1023;
	s.n_nack = 3;
	s.nack[0] = (struct rlc_nack){.sn = 1};
	s.nack[1] = (struct rlc_nack){2, true, 0, 0x7fff};
	s.nack[2] = (struct rlc_nack){1000, true, 100, 199};
	n = rlc_status_write(p, sizeof(p), &s);
	CU_ASSERT_EQUAL(n, (15 + 12 * 3 + 60 + 7) / 8);
	CU_ASSERT_EQUAL(rlc_status_parse(p, (uint32_t)n, &g), 0);
	CU_ASSERT_EQUAL(g.ack_sn, 1023);
	CU_ASSERT_EQUAL(g.n_nack, 3);
	CU_ASSERT_FALSE(g.nack[0].has_so);
	CU_ASSERT_EQUAL(g.nack[1].so_end, 0x7fff);
	CU_ASSERT_EQUAL(g.nack[2].sn, 1000);
	CU_ASSERT_EQUAL(g.nack[2].so_start, 100);
	CU_ASSERT_EQUAL(g.nack[2].so_end, 199);
	CU_ASSERT_EQUAL(rlc_status_parse(p, (uint32_t)n - 2, &g), L2_EPROTO); /* truncated */
	p[0] |= 0x10;							      /* CPT 001 */
	CU_ASSERT_EQUAL(rlc_status_parse(p, (uint32_t)n, &g), L2_EPROTO);
	s.n_nack = 1;
	s.nack[0] = (struct rlc_nack){7, true, 10, 9};
	n = rlc_status_write(p, sizeof(p), &s);
	CU_ASSERT_EQUAL(rlc_status_parse(p, (uint32_t)n, &g), L2_EPROTO); /* SOend < SOstart */
	CU_ASSERT_EQUAL(rlc_status_write(p, 1, &s), L2_EMSGSIZE);
}

/* §5.1.1: TM passes SDUs through unchanged and never segments. */
static void rlc_ts36322_5_1_1_tm_transparent(void)
{
	struct rx_check rc = {.seed = 1};
	struct rlc_ops ops = {.ctx = &rc, .rx_sdu = check_sdu};
	struct rlc_tm tm;
	struct l2_buf *b;

	pool_setup();
	CU_ASSERT_EQUAL(rlc_tm_init(&tm, &ops, &env, &pool, 4), 0);
	rlc_tm_tx_sdu(&tm, make_sdu(1, 0));
	CU_ASSERT_PTR_NULL(rlc_tm_tx_pdu(&tm, sdu_len(1, 0) - 1u));
	b = rlc_tm_tx_pdu(&tm, 2000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	rlc_tm_rx_pdu(&tm, b);
	CU_ASSERT_EQUAL(rc.delivered, 1);
	CU_ASSERT_EQUAL(rc.bad, 0);
	CU_ASSERT_EQUAL(pool.avail, NBUF);
}

/* §5.1.2: UM with loss and reordering delivers what arrives, in order, and counts the rest. */
static void um_run(uint8_t sn_bits, uint64_t seed, unsigned loss)
{
	struct rx_check rc = {.seed = seed, .skip_allowed = true};
	struct rlc_ops ops = {.ctx = &rc, .rx_sdu = check_sdu};
	struct rlc_um_config cfg = {.sn_bits = sn_bits, .t_reordering_ms = 20, .max_sdus = 64};
	static struct rlc_um tx, rx;
	static struct chan ch;
	uint32_t k = 0, n = 400, t;
	struct l2_buf *b;

	pool_setup();
	CU_ASSERT_EQUAL_FATAL(rlc_um_init(&tx, &cfg, &ops, &env, &pool), 0);
	CU_ASSERT_EQUAL_FATAL(rlc_um_init(&rx, &cfg, &ops, &env, &pool), 0);
	chan_init(&ch, seed, loss, 0, 2, sn_bits == 5 ? 3 : 8);
	for (t = 0; t < 20000 && (k < n || ch.n || rx.t_reordering.running); t++) {
		now_ms = t;
		while (k < n && tx.c.txq.q.count < 8)
			rlc_um_tx_sdu(&tx, make_sdu(seed, k++));
		/* A 5-bit SN covers 32 PDUs: keep fewer than half in flight (§7.2). */
		if (sn_bits == 10 || t % 2 == 0) {
			b = rlc_um_tx_pdu(&tx, 100 + chan_rand(&ch) % 1200);
			if (b)
				chan_put(&ch, b, t);
		}
		while ((b = chan_get(&ch, t)))
			rlc_um_rx_pdu(&rx, b);
		rlc_um_tick(&rx);
	}
	CU_ASSERT_EQUAL(rc.bad, 0);
	CU_ASSERT(rc.delivered > 0);
	CU_ASSERT(rc.delivered <= n);
	if (loss == 0)
		CU_ASSERT_EQUAL(rc.delivered, n);
	if (loss)
		CU_ASSERT(rx.c.stats.rx_sdu_lost > 0);
	CU_ASSERT_EQUAL(rx.c.stats.rx_malformed, 0);
	rlc_um_release(&tx);
	rlc_um_release(&rx);
	chan_purge(&ch);
	CU_ASSERT_EQUAL(pool.avail, NBUF);
}

static void rlc_ts36322_5_1_2_um_loss_reorder_sn5(void)
{
	um_run(5, 11, 0);
	um_run(5, 12, 10);
}

static void rlc_ts36322_5_1_2_um_loss_reorder_sn10(void)
{
	um_run(10, 21, 0);
	um_run(10, 22, 15);
}

/* One AM transfer A -> B over channels with loss, duplication and reordering. */
struct am_result {
	uint32_t delivered, bad, rlf, acked_upto, retx, t;
};

static struct am_result am_run(uint64_t seed, uint32_t n, unsigned loss, unsigned dup,
			       uint32_t jitter, uint32_t max_retx, bool small_grants)
{
	static struct rlc_am a, b;
	static struct chan ul, dl;
	struct rx_check at = {.seed = seed}, bt = {.seed = seed};
	struct rlc_ops aops = {.ctx = &at,
			       .rx_sdu = check_sdu,
			       .tx_delivered = note_delivered,
			       .max_retx = note_rlf};
	struct rlc_ops bops = {.ctx = &bt, .rx_sdu = check_sdu};
	struct rlc_am_config cfg = {.t_poll_retransmit_ms = 45,
				    .t_reordering_ms = 35,
				    .t_status_prohibit_ms = 10,
				    .poll_pdu = 16,
				    .poll_byte = 25000,
				    .max_retx_threshold = max_retx,
				    .max_sdus = 32};
	struct am_result r = {0};
	struct l2_buf *p;
	uint32_t k = 0, t;

	pool_setup();
	CU_ASSERT_EQUAL(rlc_am_init(&a, &cfg, &aops, &env, &pool), 0);
	CU_ASSERT_EQUAL(rlc_am_init(&b, &cfg, &bops, &env, &pool), 0);
	chan_init(&ul, seed, loss, dup, 4, jitter);
	chan_init(&dl, seed ^ 0x5555, loss, dup, 4, jitter);
	for (t = 0; t < 120000; t++) {
		uint32_t grant;

		now_ms = t;
		while (k < n && a.c.txq.q.count < 16)
			rlc_am_tx_sdu(&a, make_sdu(seed, k++));
		grant = small_grants ? 20 + chan_rand(&ul) % 200 : 30 + chan_rand(&ul) % 1600;
		if ((p = rlc_am_tx_pdu(&a, grant)))
			chan_put(&ul, p, t);
		if ((p = rlc_am_tx_pdu(&b, 20 + chan_rand(&dl) % 100)))
			chan_put(&dl, p, t);
		while ((p = chan_get(&ul, t)))
			rlc_am_rx_pdu(&b, p);
		while ((p = chan_get(&dl, t)))
			rlc_am_rx_pdu(&a, p);
		rlc_am_tick(&a);
		rlc_am_tick(&b);
		if (at.rlf || (bt.next == n && at.acked_upto == n))
			break;
	}
	r.delivered = bt.delivered;
	r.bad = bt.bad + at.bad;
	r.rlf = at.rlf;
	r.acked_upto = at.acked_upto;
	r.retx = a.c.stats.tx_retx_pdus;
	r.t = t;
	rlc_am_release(&a);
	rlc_am_release(&b);
	chan_purge(&ul);
	chan_purge(&dl);
	CU_ASSERT_EQUAL(pool.avail, NBUF);
	return r;
}

/* §5.1.3, §5.2: every SDU delivered once, in order, byte-identical, over many seeds. */
static void rlc_ts36322_5_1_3_am_lossy_channel_delivers_all(void)
{
	static const struct {
		unsigned loss, dup;
		uint32_t jitter;
		bool small;
	} cases[] = {{0, 0, 0, false},	  {5, 0, 0, false}, {10, 5, 6, false},	{20, 5, 12, false},
		     {30, 10, 20, false}, {10, 5, 6, true}, {25, 10, 15, true}, {40, 5, 5, false}};
	/* RLC_SEEDS=N soaks with more seeds per case (default 3). */
	unsigned i, s, seeds = getenv("RLC_SEEDS") ? (unsigned)atoi(getenv("RLC_SEEDS")) : 3;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (s = 0; s < seeds; s++) {
			uint64_t seed = 1000 * i + s + 1;
			struct am_result r = am_run(seed, 300, cases[i].loss, cases[i].dup,
						    cases[i].jitter, 64, cases[i].small);

			if (getenv("RLC_VERBOSE") || r.bad || r.rlf || r.delivered != 300 ||
			    r.acked_upto != 300)
				fprintf(stderr,
					"AM case %u seed %llu: delivered %u bad %u rlf %u acked %u "
					"retx %u t %u\n",
					i, (unsigned long long)seed, r.delivered, r.bad, r.rlf,
					r.acked_upto, r.retx, r.t);
			CU_ASSERT_EQUAL(r.bad, 0);
			CU_ASSERT_EQUAL(r.rlf, 0);
			CU_ASSERT_EQUAL(r.delivered, 300);
			CU_ASSERT_EQUAL(r.acked_upto, 300);
			if (cases[i].loss)
				CU_ASSERT(r.retx > 0);
		}
}

/* §5.2.1: crossing maxRetxThreshold is reported as radio link failure. */
static void rlc_ts36322_5_2_1_am_max_retx_reports_rlf(void)
{
	struct am_result r = am_run(77, 50, 100, 0, 0, 4, false);

	CU_ASSERT_EQUAL(r.rlf, 1);
	CU_ASSERT_EQUAL(r.delivered, 0);
	CU_ASSERT_EQUAL(r.bad, 0);
}

/* §5.1.3.1.2, §6.2.1.5: a NACKed PDU retransmitted in small grants goes as segments (SO). */
static void rlc_ts36322_5_1_3_1_2_am_resegmentation(void)
{
	struct rx_check at = {.seed = 1}, bt = {.seed = 1};
	struct rlc_ops aops = {.ctx = &at, .rx_sdu = check_sdu, .tx_delivered = note_delivered};
	struct rlc_ops bops = {.ctx = &bt, .rx_sdu = check_sdu};
	struct rlc_am_config cfg = {.t_poll_retransmit_ms = 50,
				    .t_reordering_ms = 30,
				    .t_status_prohibit_ms = 0,
				    .max_retx_threshold = 8};
	static struct rlc_am a, b;
	struct l2_buf *p, *segs[64];
	struct rlc_hdr h;
	unsigned nseg = 0, i;

	pool_setup();
	rlc_am_init(&a, &cfg, &aops, &env, &pool);
	rlc_am_init(&b, &cfg, &bops, &env, &pool);
	rlc_am_tx_sdu(&a, make_sdu(1, 0));
	rlc_am_tx_sdu(&a, make_sdu(1, 1));
	rlc_am_tx_sdu(&a, make_sdu(1, 2));
	/* PDU 0 carries all three SDUs (and a poll: buffers are empty); it is lost. */
	p = rlc_am_tx_pdu(&a, 1900);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(rlc_am_parse(l2_buf_data(p), p->len, &h), 0);
	CU_ASSERT_EQUAL(h.n_li, 2);
	CU_ASSERT_TRUE(h.p);
	l2_buf_free(p);
	/* t-PollRetransmit expires: the PDU is retransmitted as segments of at most 100 bytes. */
	now_ms = 50;
	while ((p = rlc_am_tx_pdu(&a, 100)) && nseg < 64) {
		CU_ASSERT(p->len <= 100);
		CU_ASSERT_EQUAL(rlc_am_parse(l2_buf_data(p), p->len, &h), 0);
		CU_ASSERT_TRUE(h.rf);
		segs[nseg++] = p;
	}
	CU_ASSERT(nseg > 10);
	CU_ASSERT_EQUAL(rlc_am_parse(l2_buf_data(segs[0]), segs[0]->len, &h), 0);
	CU_ASSERT_EQUAL(h.so, 0);
	CU_ASSERT_EQUAL(rlc_am_parse(l2_buf_data(segs[nseg - 1]), segs[nseg - 1]->len, &h), 0);
	CU_ASSERT_TRUE(h.lsf);
	CU_ASSERT_TRUE(h.p);
	/* Deliver in reverse order with the first one twice: B reassembles all three SDUs. */
	for (i = nseg; i-- > 0;) {
		struct l2_buf *dup = l2_buf_from(&pool, l2_buf_data(segs[i]), segs[i]->len);

		rlc_am_rx_pdu(&b, segs[i]);
		if (i == nseg - 1 || i == 0)
			rlc_am_rx_pdu(&b, dup);
		else
			l2_buf_free(dup);
	}
	CU_ASSERT_EQUAL(bt.delivered, 3);
	CU_ASSERT_EQUAL(bt.bad, 0);
	/* Bytes already held are a duplicate; once SN 0 is complete it is below VR(R). */
	CU_ASSERT_EQUAL(b.c.stats.rx_duplicates, 1);
	CU_ASSERT_EQUAL(b.c.stats.rx_outside, 1);
	/* B's STATUS acknowledges SN 0; A reports all three SDUs delivered. */
	p = rlc_am_tx_pdu(&b, 100);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	rlc_am_rx_pdu(&a, p);
	CU_ASSERT_EQUAL(at.acked_upto, 3);
	CU_ASSERT_EQUAL(a.vt_a, 1);
	rlc_am_release(&a);
	rlc_am_release(&b);
	CU_ASSERT_EQUAL(pool.avail, NBUF);
}

/* §5.2.3, §6.2.1.6: a partly received PDU is NACKed with SOstart/SOend; t-StatusProhibit. */
static void rlc_ts36322_5_2_3_status_nack_so_and_prohibit(void)
{
	struct rx_check bt = {.seed = 9};
	struct rlc_ops bops = {.ctx = &bt, .rx_sdu = check_sdu};
	struct rlc_am_config cfg = {.t_poll_retransmit_ms = 50,
				    .t_reordering_ms = 30,
				    .t_status_prohibit_ms = 20,
				    .max_retx_threshold = 8};
	static struct rlc_am b;
	struct rlc_hdr h = {.rf = true, .so = 100, .sn = 0, .p = true, .fi = 3};
	struct rlc_status st;
	struct l2_buf *p;

	pool_setup();
	rlc_am_init(&b, &cfg, &bops, &env, &pool);
	/* Bytes 100..149 of SN 0 and all of SN 1 (poll) arrive. */
	p = l2_buf_alloc(&pool);
	rlc_am_write_hdr(l2_buf_put(p, 4), 4, &h);
	memset(l2_buf_put(p, 50), 0x11, 50);
	rlc_am_rx_pdu(&b, p);
	h = (struct rlc_hdr){.sn = 1, .p = true, .fi = 2};
	p = l2_buf_alloc(&pool);
	rlc_am_write_hdr(l2_buf_put(p, 2), 2, &h);
	memset(l2_buf_put(p, 10), 0x22, 10);
	rlc_am_rx_pdu(&b, p);
	/* VR(MS) is 0 until t-Reordering expires; the poll on SN 1 waits (§5.2.3). */
	CU_ASSERT_PTR_NULL(rlc_am_tx_pdu(&b, 100));
	now_ms = 30;
	p = rlc_am_tx_pdu(&b, 100);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(rlc_status_parse(l2_buf_data(p), p->len, &st), 0);
	CU_ASSERT_EQUAL(st.ack_sn, 2);
	CU_ASSERT_EQUAL(st.n_nack, 2);
	CU_ASSERT_EQUAL(st.nack[0].sn, 0);
	CU_ASSERT_EQUAL(st.nack[0].so_start, 0);
	CU_ASSERT_EQUAL(st.nack[0].so_end, 99);
	CU_ASSERT_EQUAL(st.nack[1].so_start, 150);
	CU_ASSERT_EQUAL(st.nack[1].so_end, RLC_SO_END);
	l2_buf_free(p);
	/* A new trigger within t-StatusProhibit waits for its expiry, and is not data available
	 * for transmission until then (§4.5). */
	now_ms = 40;
	b.status_triggered = true;
	CU_ASSERT_EQUAL(rlc_am_buffer_bytes(&b), 0);
	CU_ASSERT_PTR_NULL(rlc_am_tx_pdu(&b, 100));
	now_ms = 50;
	CU_ASSERT(rlc_am_buffer_bytes(&b) >= 2);
	p = rlc_am_tx_pdu(&b, 100);
	CU_ASSERT_PTR_NOT_NULL(p);
	l2_buf_free(p);
	/* A STATUS that does not fit is cut at a NACK and ACK_SN says where (§6.2.2.14). */
	b.status_triggered = true;
	now_ms = 100;
	p = rlc_am_tx_pdu(&b, 4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(rlc_status_parse(l2_buf_data(p), p->len, &st), 0);
	CU_ASSERT_EQUAL(st.ack_sn, 0);
	CU_ASSERT_EQUAL(st.n_nack, 0);
	l2_buf_free(p);
	rlc_am_release(&b);
	CU_ASSERT_EQUAL(pool.avail, NBUF);
}

/* §5.2.2.1: pollPDU sets P on every pollPDU-th new PDU. */
static void rlc_ts36322_5_2_2_1_poll_pdu(void)
{
	struct rx_check at = {.seed = 3};
	struct rlc_ops aops = {.ctx = &at, .rx_sdu = check_sdu};
	struct rlc_am_config cfg = {.t_poll_retransmit_ms = 1000,
				    .poll_pdu = 4,
				    .max_retx_threshold = 8,
				    .max_sdus = 64};
	static struct rlc_am a;
	struct rlc_hdr h;
	struct l2_buf *p;
	unsigned i;

	pool_setup();
	rlc_am_init(&a, &cfg, &aops, &env, &pool);
	for (i = 0; i < 40; i++)
		rlc_am_tx_sdu(&a, make_sdu(3, i));
	for (i = 1; i <= 12; i++) {
		p = rlc_am_tx_pdu(&a, 50);
		CU_ASSERT_EQUAL(rlc_am_parse(l2_buf_data(p), p->len, &h), 0);
		CU_ASSERT_EQUAL(h.p, i % 4 == 0);
		CU_ASSERT_EQUAL(h.sn, i - 1);
		l2_buf_free(p);
	}
	CU_ASSERT_EQUAL(a.poll_sn, 11);
	CU_ASSERT_TRUE(a.t_poll_retransmit.running);
	rlc_am_release(&a);
	CU_ASSERT_EQUAL(pool.avail, NBUF);
}

/* §5.1.3.2.2: PDUs outside the receiving window and malformed PDUs are dropped and counted. */
static void rlc_ts36322_5_1_3_2_am_rx_drops(void)
{
	struct rx_check bt = {.seed = 3};
	struct rlc_ops bops = {.ctx = &bt, .rx_sdu = check_sdu};
	struct rlc_am_config cfg = {.max_retx_threshold = 8};
	static struct rlc_am b;
	struct rlc_hdr h = {.sn = 700};
	struct l2_buf *p;

	pool_setup();
	rlc_am_init(&b, &cfg, &bops, &env, &pool);
	p = l2_buf_alloc(&pool);
	rlc_am_write_hdr(l2_buf_put(p, 2), 2, &h);
	memset(l2_buf_put(p, 10), 0, 10);
	CU_ASSERT_EQUAL(rlc_am_rx_pdu(&b, p), L2_ESTALE);
	CU_ASSERT_EQUAL(b.c.stats.rx_outside, 1);
	CU_ASSERT_EQUAL(rlc_am_rx_pdu(&b, l2_buf_from(&pool, "\x80", 1)), L2_EPROTO);
	CU_ASSERT_EQUAL(rlc_am_rx_pdu(&b, l2_buf_from(&pool, "", 0)), L2_EPROTO);
	/* A STATUS acknowledging SNs never sent is malformed for the transmitter. */
	CU_ASSERT_EQUAL(rlc_am_rx_pdu(&b, l2_buf_from(&pool, "\x00\x50", 2)), L2_EPROTO);
	CU_ASSERT_EQUAL(b.c.stats.rx_malformed, 3);
	rlc_am_release(&b);
	CU_ASSERT_EQUAL(pool.avail, NBUF);
}

/* §5.3: PDCP may discard an SDU no segment of which was sent; buffer status follows. */
static void rlc_ts36322_5_3_sdu_discard_and_buffer_status(void)
{
	struct rx_check at = {.seed = 1};
	struct rlc_ops aops = {.ctx = &at, .rx_sdu = check_sdu};
	struct rlc_am_config cfg = {.max_retx_threshold = 4, .max_sdus = 8};
	static struct rlc_am a;
	struct l2_buf *p;
	uint32_t before;

	pool_setup();
	rlc_am_init(&a, &cfg, &aops, &env, &pool);
	CU_ASSERT_EQUAL(rlc_am_buffer_bytes(&a), 0);
	rlc_am_tx_sdu(&a, make_sdu(1, 0));
	rlc_am_tx_sdu(&a, make_sdu(1, 1));
	rlc_am_tx_sdu(&a, make_sdu(1, 2));
	before = rlc_am_buffer_bytes(&a);
	CU_ASSERT(before >= 691u + 263 + 743);
	/* Half of SDU 0 goes out: it can no longer be discarded; SDU 1 can. */
	p = rlc_am_tx_pdu(&a, 300);
	CU_ASSERT_PTR_NOT_NULL(p);
	l2_buf_free(p);
	CU_ASSERT_EQUAL(rlc_am_discard_sdu(&a, 0), L2_ESTATE);
	CU_ASSERT_EQUAL(rlc_am_discard_sdu(&a, 1), 0);
	CU_ASSERT_EQUAL(rlc_am_discard_sdu(&a, 1), L2_EINVAL);
	CU_ASSERT_EQUAL(a.c.txq.q.count, 2);
	CU_ASSERT(rlc_am_buffer_bytes(&a) < before - 263);
	CU_ASSERT_EQUAL(a.c.stats.tx_discarded, 1);
	rlc_am_release(&a);
	CU_ASSERT_EQUAL(pool.avail, NBUF);
}

static struct rlc_am *reest_entity;
static uint32_t reest_flagged;

static void check_sdu_reest(void *ctx, struct l2_buf *b)
{
	reest_flagged += reest_entity->c.reestablishing;
	check_sdu(ctx, b);
}

/* §5.4: re-establishment passes up what can be reassembled, then resets everything. */
static void rlc_ts36322_5_4_am_reestablishment(void)
{
	struct rx_check at = {.seed = 1}, bt = {.seed = 1, .skip_allowed = true};
	struct rlc_ops aops = {.ctx = &at, .rx_sdu = check_sdu};
	struct rlc_ops bops = {.ctx = &bt, .rx_sdu = check_sdu_reest};
	struct rlc_am_config cfg = {.t_reordering_ms = 50, .max_retx_threshold = 4, .max_sdus = 8};
	static struct rlc_am a, b;
	struct l2_buf *p;
	uint32_t k;

	pool_setup();
	rlc_am_init(&a, &cfg, &aops, &env, &pool);
	rlc_am_init(&b, &cfg, &bops, &env, &pool);
	reest_entity = &b;
	reest_flagged = 0;
	for (k = 0; k < 4; k++) {
		rlc_am_tx_sdu(&a, make_sdu(1, k));
		p = rlc_am_tx_pdu(&a, sdu_len(1, k) + 2u); /* one whole SDU per PDU */
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		if (k == 0)
			l2_buf_free(p); /* SN 0 lost */
		else
			rlc_am_rx_pdu(&b, p);
	}
	CU_ASSERT_EQUAL(bt.delivered, 0);
	rlc_am_reestablish(&b);
	CU_ASSERT_EQUAL(bt.delivered, 3);
	CU_ASSERT_EQUAL(bt.next, 4);
	CU_ASSERT_EQUAL(bt.bad, 0);
	CU_ASSERT_EQUAL(reest_flagged, 3);
	CU_ASSERT_FALSE(b.c.reestablishing);
	CU_ASSERT_EQUAL(b.vr_r, 0);
	CU_ASSERT_EQUAL(b.vr_h, 0);
	CU_ASSERT_FALSE(b.t_reordering.running);
	rlc_am_reestablish(&a); /* transmit side: PDUs in flight dropped */
	CU_ASSERT_EQUAL(a.vt_s, 0);
	rlc_am_release(&a);
	rlc_am_release(&b);
	CU_ASSERT_EQUAL(pool.avail, NBUF);
}

/* §5.4: a UM receiver waiting on t-Reordering passes up what it holds on re-establishment. */
static void rlc_ts36322_5_4_um_reestablishment(void)
{
	struct rx_check rc = {.seed = 1, .skip_allowed = true};
	struct rlc_ops ops = {.ctx = &rc, .rx_sdu = check_sdu};
	struct rlc_um_config cfg = {.sn_bits = 5, .t_reordering_ms = 50};
	static struct rlc_um tx, rx;
	struct l2_buf *p;
	uint32_t k;

	pool_setup();
	rlc_um_init(&tx, &cfg, &ops, &env, &pool);
	rlc_um_init(&rx, &cfg, &ops, &env, &pool);
	for (k = 0; k < 3; k++) {
		rlc_um_tx_sdu(&tx, make_sdu(1, k));
		p = rlc_um_tx_pdu(&tx, sdu_len(1, k) + 1u);
		if (k == 0)
			l2_buf_free(p);
		else
			rlc_um_rx_pdu(&rx, p);
	}
	CU_ASSERT_EQUAL(rc.delivered, 0);
	CU_ASSERT_TRUE(rx.t_reordering.running);
	rlc_um_reestablish(&rx);
	CU_ASSERT_EQUAL(rc.delivered, 2);
	CU_ASSERT_EQUAL(rc.bad, 0);
	CU_ASSERT_FALSE(rx.t_reordering.running);
	CU_ASSERT_EQUAL(rx.vr_uh, 0);
	rlc_um_release(&tx);
	rlc_um_release(&rx);
	CU_ASSERT_EQUAL(pool.avail, NBUF);
}

TEST_SUITE(rlc, TEST_CASE(rlc_ts36322_6_2_1_4_amd_header_bits),
	   TEST_CASE(rlc_ts36322_6_2_1_3_umd_headers), TEST_CASE(rlc_ts36322_6_2_1_6_status_pdu),
	   TEST_CASE(rlc_ts36322_5_1_1_tm_transparent),
	   TEST_CASE(rlc_ts36322_5_1_2_um_loss_reorder_sn5),
	   TEST_CASE(rlc_ts36322_5_1_2_um_loss_reorder_sn10),
	   TEST_CASE(rlc_ts36322_5_1_3_am_lossy_channel_delivers_all),
	   TEST_CASE(rlc_ts36322_5_2_1_am_max_retx_reports_rlf),
	   TEST_CASE(rlc_ts36322_5_1_3_1_2_am_resegmentation),
	   TEST_CASE(rlc_ts36322_5_2_3_status_nack_so_and_prohibit),
	   TEST_CASE(rlc_ts36322_5_2_2_1_poll_pdu), TEST_CASE(rlc_ts36322_5_1_3_2_am_rx_drops),
	   TEST_CASE(rlc_ts36322_5_3_sdu_discard_and_buffer_status),
	   TEST_CASE(rlc_ts36322_5_4_am_reestablishment),
	   TEST_CASE(rlc_ts36322_5_4_um_reestablishment))
