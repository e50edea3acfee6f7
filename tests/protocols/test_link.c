/* SPDX-License-Identifier: BSD-2-Clause */
/* The radio/host link codec (docs/radio-link.md) and the CRCs of TS 36.212 §5.1.1. */
#include "test.h"

#include "hex.h"
#include "l2/env.h"
#include "l2/link.h"

static uint8_t msg[LINK_MAX_MSG + 64];
static uint8_t data[LINK_MAX_MSG];

/* A fixed xorshift generator: every run sees the same "random" cases. */
static uint32_t rng_state;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void fill(uint8_t *p, uint32_t n)
{
	while (n--)
		*p++ = (uint8_t)rng();
}

/* The CRC register one bit at a time, straight from the §5.1.1 definition. */
static uint32_t crc_bitwise(const uint8_t *p, uint32_t len, uint32_t poly, unsigned bits)
{
	uint32_t r = 0, top = 1u << (bits - 1), mask = (top << 1) - 1;
	uint32_t i;
	int b;

	for (i = 0; i < len; i++)
		for (b = 7; b >= 0; b--) {
			uint32_t in = (p[i] >> b) & 1, fb = ((r & top) ? 1 : 0) ^ in;

			r = (r << 1) & mask;
			if (fb)
				r ^= poly;
		}
	return r;
}

#define POLY_24A 0x864cfbu
#define POLY_24B 0x800063u
#define POLY_16	 0x1021u

/* §5.1.1: the check values of the three generators over the ASCII digits "123456789". */
static void link_ts36212_5_1_1_crc_check_values(void)
{
	const uint8_t *s = (const uint8_t *)"123456789";

	CU_ASSERT_EQUAL(crc24a(s, 9), 0xcde703);
	CU_ASSERT_EQUAL(crc24b(s, 9), 0x23ef52);
	CU_ASSERT_EQUAL(crc16_lte(s, 9), 0x31c3);
	CU_ASSERT_EQUAL(crc_bitwise(s, 9, POLY_24A, 24), 0xcde703);
	CU_ASSERT_EQUAL(crc_bitwise(s, 9, POLY_24B, 24), 0x23ef52);
	CU_ASSERT_EQUAL(crc_bitwise(s, 9, POLY_16, 16), 0x31c3);
	CU_ASSERT_EQUAL(crc24a(s, 0), 0);
	CU_ASSERT_EQUAL(crc16_lte(s, 0), 0);
}

/* §5.1.1: the table-driven CRCs equal the bitwise definition at every length and alignment. */
static void link_ts36212_5_1_1_crc_tables_match_bitwise(void)
{
	unsigned i;

	rng_state = 0x1234567;
	fill(data, 4200);
	for (i = 0; i < 600; i++) {
		uint32_t len = i < 40 ? i : rng() % 4096, off = rng() % 64;

		CU_ASSERT_EQUAL(crc24a(data + off, len),
				crc_bitwise(data + off, len, POLY_24A, 24));
		CU_ASSERT_EQUAL(crc24b(data + off, len),
				crc_bitwise(data + off, len, POLY_24B, 24));
		CU_ASSERT_EQUAL(crc16_lte(data + off, len),
				crc_bitwise(data + off, len, POLY_16, 16));
	}
}

/* §5.1.1: a block followed by its parity (highest term first) leaves a zero remainder. */
static void link_ts36212_5_1_1_block_and_parity_divisible(void)
{
	unsigned i;

	rng_state = 99;
	for (i = 0; i < 200; i++) {
		uint32_t len = 1 + rng() % 2000, c;

		fill(data, len);
		c = crc24a(data, len);
		data[len] = (uint8_t)(c >> 16);
		data[len + 1] = (uint8_t)(c >> 8);
		data[len + 2] = (uint8_t)c;
		CU_ASSERT_EQUAL(crc24a(data, len + 3), 0);
		c = crc24b(data, len);
		data[len] = (uint8_t)(c >> 16);
		data[len + 1] = (uint8_t)(c >> 8);
		data[len + 2] = (uint8_t)c;
		CU_ASSERT_EQUAL(crc24b(data, len + 3), 0);
		c = crc16_lte(data, len);
		data[len] = (uint8_t)(c >> 8);
		data[len + 1] = (uint8_t)c;
		CU_ASSERT_EQUAL(crc16_lte(data, len + 2), 0);
	}
}

static int parse(uint32_t len, struct link_msg *m)
{
	return link_parse(msg, len, m);
}

/* The items of a parsed message in order; returns how many. */
static unsigned items(const struct link_msg *m, struct link_item *it, unsigned max)
{
	uint32_t pos = 0;
	unsigned n = 0;

	while (n < max && link_next(m, &pos, &it[n]) == 1)
		n++;
	return n;
}

/*
 * The DL and UL messages of docs/radio-link.md §8, byte for byte: a DL TB carrying a MAC
 * timing advance command, an UL grant and a PHICH ACK; the answer with the HARQ ACK, the UL
 * TB (a short BSR) and DONE.
 */
static const char dl_hex[] = "524c 02 03 07000000 d2040000 0300 3b00"
			     "01 00 1300 3d00 00 01 00 00 0800 3d1f1f0000000000 364867"
			     "02 00 0800 3d00 02 01 0c00 0000"
			     "03 00 0400 05 01 0000";
static const char ul_hex[] = "524c 02 04 07000000 d2040000 0300 4700"
			     "11 00 0400 00 01 0000"
			     "10 00 1700 3d00 02 00 0c00 0000 3d1f8a000000000000000000 3b9922"
			     "14 00 1000 d2040000 d3040000 00000000 55bc0000";
static const uint8_t dl_mac_pdu[8] = {0x3d, 0x1f, 0x1f, 0, 0, 0, 0, 0};
static const uint8_t ul_mac_pdu[12] = {0x3d, 0x1f, 0x8a};

static int build_dl_example(uint8_t *buf, uint32_t cap)
{
	struct link_writer w;

	link_writer_init(&w, buf, cap, RL_MAGIC, RL_MSG_DL, 7, 1234);
	rl_put_dl_tb(&w,
		     &(struct rl_dl_tb){
			     .rnti = 0x3d, .harq_pid = 0, .ndi = 1, .tbs = 8, .tb = dl_mac_pdu});
	rl_put_ul_grant(&w,
			&(struct rl_ul_grant){.rnti = 0x3d, .harq_pid = 2, .ndi = 1, .tbs = 12});
	rl_put_phich(&w, &(struct rl_phich){.harq_pid = 5, .ack = true});
	return link_finish(&w);
}

static int build_ul_example(uint8_t *buf, uint32_t cap)
{
	struct link_writer w;

	link_writer_init(&w, buf, cap, RL_MAGIC, RL_MSG_UL, 7, 1234);
	rl_put_harq_ack(&w, &(struct rl_harq_ack){.harq_pid = 0, .ack = true});
	rl_put_ul_tb(&w,
		     &(struct rl_ul_tb){.rnti = 0x3d, .harq_pid = 2, .tbs = 12, .tb = ul_mac_pdu});
	rl_put_done(&w, &(struct rl_done){.subframe = 1234, .wake_at = 1235, .cycles = 48213});
	return link_finish(&w);
}

/* docs/radio-link.md §8: the documented hexdumps are what the codec writes. */
static void link_doc_example_bytes(void)
{
	uint8_t want[128];
	size_t n;

	n = hex_decode(dl_hex, want, sizeof(want));
	CU_ASSERT_EQUAL_FATAL(build_dl_example(msg, sizeof(msg)), (int)n);
	CU_ASSERT_EQUAL(memcmp(msg, want, n), 0);
	n = hex_decode(ul_hex, want, sizeof(want));
	CU_ASSERT_EQUAL_FATAL(build_ul_example(msg, sizeof(msg)), (int)n);
	CU_ASSERT_EQUAL(memcmp(msg, want, n), 0);
}

/* RL_MSG_DL: every DL item type written, parsed, walked and decoded back. */
static void link_roundtrip_dl_items(void)
{
	struct link_writer w;
	struct link_msg m;
	struct link_item it[8];
	struct rl_dl_tb tb;
	struct rl_ul_grant g;
	struct rl_phich f;
	int n;

	rng_state = 5;
	fill(data, LINK_MAX_TBS);
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_DL, 0xfedcba98, 0x01020304);
	rl_put_dl_tb(&w, &(struct rl_dl_tb){.rnti = 0xfff4,
					    .harq_pid = 7,
					    .ndi = true,
					    .rv = 3,
					    .tbs = LINK_MAX_TBS,
					    .tb = data});
	rl_put_ul_grant(
		&w, &(struct rl_ul_grant){.rnti = 0xbeef, .harq_pid = 6, .ndi = true, .tbs = 1});
	rl_put_phich(&w, &(struct rl_phich){.harq_pid = 3, .ack = false});
	rl_put_dl_tb(&w, &(struct rl_dl_tb){.rnti = 2, .tbs = 1, .tb = data + 9});
	n = link_finish(&w);
	CU_ASSERT_EQUAL_FATAL(n, 16 + 4 + 8 + LINK_MAX_TBS + 3 + 4 + 8 + 4 + 4 + 4 + 8 + 1 + 3);
	CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
	CU_ASSERT_EQUAL(m.magic, RL_MAGIC);
	CU_ASSERT_EQUAL(m.type, RL_MSG_DL);
	CU_ASSERT_EQUAL(m.seq, 0xfedcba98);
	CU_ASSERT_EQUAL(m.subframe, 0x01020304);
	CU_ASSERT_EQUAL(m.n_items, 4);
	CU_ASSERT_EQUAL(m.length, n);
	CU_ASSERT_EQUAL_FATAL(items(&m, it, 8), 4);
	CU_ASSERT_EQUAL_FATAL(rl_get_dl_tb(&it[0], &tb), 0);
	CU_ASSERT_EQUAL(tb.rnti, 0xfff4);
	CU_ASSERT_EQUAL(tb.harq_pid, 7);
	CU_ASSERT_TRUE(tb.ndi);
	CU_ASSERT_EQUAL(tb.rv, 3);
	CU_ASSERT_EQUAL(tb.tbs, LINK_MAX_TBS);
	CU_ASSERT_EQUAL(memcmp(tb.tb, data, LINK_MAX_TBS), 0);
	CU_ASSERT_TRUE(tb.crc_ok);
	CU_ASSERT_EQUAL_FATAL(rl_get_ul_grant(&it[1], &g), 0);
	CU_ASSERT_EQUAL(g.rnti, 0xbeef);
	CU_ASSERT_EQUAL(g.harq_pid, 6);
	CU_ASSERT_TRUE(g.ndi);
	CU_ASSERT_EQUAL(g.tbs, 1);
	CU_ASSERT_EQUAL_FATAL(rl_get_phich(&it[2], &f), 0);
	CU_ASSERT_EQUAL(f.harq_pid, 3);
	CU_ASSERT_FALSE(f.ack);
	CU_ASSERT_EQUAL_FATAL(rl_get_dl_tb(&it[3], &tb), 0);
	CU_ASSERT_EQUAL(tb.tbs, 1);
	CU_ASSERT_EQUAL(tb.tb[0], data[9]);
	CU_ASSERT_FALSE(tb.ndi);
	CU_ASSERT_TRUE(tb.crc_ok);
	/* A decoder refuses an item of another type. */
	CU_ASSERT_EQUAL(rl_get_phich(&it[0], &f), L2_EPROTO);
	CU_ASSERT_EQUAL(rl_get_dl_tb(&it[2], &tb), L2_EPROTO);
}

/* RL_MSG_UL: UL TB, HARQ ACK, SR, PRACH and DONE written, parsed and decoded back. */
static void link_roundtrip_ul_items(void)
{
	struct link_writer w;
	struct link_msg m;
	struct link_item it[8];
	struct rl_ul_tb tb;
	struct rl_harq_ack a;
	struct rl_prach pr;
	struct rl_done d;
	int n;

	rng_state = 6;
	fill(data, 1000);
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 3, 77);
	rl_put_ul_tb(&w,
		     &(struct rl_ul_tb){.rnti = 0x1234, .harq_pid = 5, .tbs = 1000, .tb = data});
	rl_put_harq_ack(&w, &(struct rl_harq_ack){.harq_pid = 7, .ack = true});
	rl_put_harq_ack(&w, &(struct rl_harq_ack){.harq_pid = 1, .ack = false});
	rl_put_sr(&w);
	rl_put_prach(&w, &(struct rl_prach){.preamble = 63, .ra_rnti = 10});
	rl_put_done(&w, &(struct rl_done){.subframe = 77,
					  .wake_at = 0xffffffff,
					  .ap_tx = 12,
					  .cycles = 0xabcdef});
	n = link_finish(&w);
	CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
	CU_ASSERT_EQUAL(m.type, RL_MSG_UL);
	CU_ASSERT_EQUAL_FATAL(items(&m, it, 8), 6);
	CU_ASSERT_EQUAL_FATAL(rl_get_ul_tb(&it[0], &tb), 0);
	CU_ASSERT_EQUAL(tb.rnti, 0x1234);
	CU_ASSERT_EQUAL(tb.harq_pid, 5);
	CU_ASSERT_EQUAL(tb.tbs, 1000);
	CU_ASSERT_EQUAL(memcmp(tb.tb, data, 1000), 0);
	CU_ASSERT_TRUE(tb.crc_ok);
	CU_ASSERT_EQUAL_FATAL(rl_get_harq_ack(&it[1], &a), 0);
	CU_ASSERT_EQUAL(a.harq_pid, 7);
	CU_ASSERT_TRUE(a.ack);
	CU_ASSERT_EQUAL_FATAL(rl_get_harq_ack(&it[2], &a), 0);
	CU_ASSERT_EQUAL(a.harq_pid, 1);
	CU_ASSERT_FALSE(a.ack);
	CU_ASSERT_EQUAL(it[3].type, RL_ITEM_SR);
	CU_ASSERT_EQUAL(it[3].len, 0);
	CU_ASSERT_EQUAL_FATAL(rl_get_prach(&it[4], &pr), 0);
	CU_ASSERT_EQUAL(pr.preamble, 63);
	CU_ASSERT_EQUAL(pr.ra_rnti, 10);
	CU_ASSERT_EQUAL_FATAL(rl_get_done(&it[5], &d), 0);
	CU_ASSERT_EQUAL(d.subframe, 77);
	CU_ASSERT_EQUAL(d.wake_at, 0xffffffff);
	CU_ASSERT_EQUAL(d.ap_tx, 12);
	CU_ASSERT_EQUAL(d.cycles, 0xabcdef);
	CU_ASSERT_EQUAL(rl_get_done(&it[4], &d), L2_EPROTO);
}

/* RL_MSG_HELLO, RL_MSG_IDLE and RL_MSG_END. */
static void link_roundtrip_hello_idle_end(void)
{
	struct link_writer w;
	struct link_msg m;
	struct link_item it[2];
	struct rl_hello h;
	struct rl_idle i;
	int n;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_HELLO, 0, 0);
	rl_put_hello(&w, &(struct rl_hello){.fw_version = 0x01020003, .max_tbs = LINK_MAX_TBS});
	n = link_finish(&w);
	CU_ASSERT_EQUAL(n, 16 + 4 + RL_HELLO_LEN);
	CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
	CU_ASSERT_EQUAL(m.type, RL_MSG_HELLO);
	CU_ASSERT_EQUAL_FATAL(items(&m, it, 2), 1);
	CU_ASSERT_EQUAL_FATAL(rl_get_hello(&it[0], &h), 0);
	CU_ASSERT_EQUAL(h.fw_version, 0x01020003);
	CU_ASSERT_EQUAL(h.max_tbs, LINK_MAX_TBS);

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_IDLE, 1, 5);
	rl_put_idle(&w, &(struct rl_idle){.rx_msgs = 2, .ap_tx = 0x80000001});
	n = link_finish(&w);
	CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
	CU_ASSERT_EQUAL_FATAL(items(&m, it, 2), 1);
	CU_ASSERT_EQUAL_FATAL(rl_get_idle(&it[0], &i), 0);
	CU_ASSERT_EQUAL(i.rx_msgs, 2);
	CU_ASSERT_EQUAL(i.ap_tx, 0x80000001);

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_END, 9, 10000);
	n = link_finish(&w);
	CU_ASSERT_EQUAL(n, LINK_HDR_LEN);
	CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
	CU_ASSERT_EQUAL(m.type, RL_MSG_END);
	CU_ASSERT_EQUAL(m.n_items, 0);
	CU_ASSERT_EQUAL(items(&m, it, 2), 0);
}

static const struct rl_cfg_mac cfg_mac = {.ue_id = 3,
					  .max_harq_tx = 4,
					  .preamble_trans_max = 10,
					  .periodic_bsr_ms = 20,
					  .retx_bsr_ms = 2560,
					  .rar_window = 10,
					  .cr_timer = 64,
					  .num_preambles = 52,
					  .cpu_hz = 400000000};

static const struct rl_cfg_bearer cfg_drb = {.rb_id = 1,
					     .lcid = 3,
					     .srb = false,
					     .rlc_mode = RL_RLC_UM,
					     .pdcp_sn_bits = 12,
					     .um_sn_bits = 10,
					     .priority = 9,
					     .lcg = 3,
					     .pbr_kbps = 0xffff,
					     .bsd_ms = 300,
					     .t_poll_retx_ms = 45,
					     .t_reordering_ms = 35,
					     .t_status_prohibit_ms = 10,
					     .poll_pdu = 64,
					     .poll_byte = 0x00112233,
					     .max_retx = 32,
					     .discard_ms = 1500};

/* RL_MSG_CONFIG: CFG_MAC, two bearers, CFG_SECURITY, every field back. */
static void link_roundtrip_config(void)
{
	struct rl_cfg_bearer srb = {.rb_id = 1, .lcid = 1, .srb = true, .rlc_mode = RL_RLC_AM};
	struct rl_cfg_security sec = {.eea = 2, .eia = 2}, sec2;
	struct rl_cfg_mac mac;
	struct rl_cfg_bearer b;
	struct link_writer w;
	struct link_msg m;
	struct link_item it[5];
	unsigned i;
	int n;

	for (i = 0; i < 32; i++)
		sec.kenb[i] = (uint8_t)(0xa0 + i);
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_CONFIG, 0, 0);
	rl_put_cfg_mac(&w, &cfg_mac);
	rl_put_cfg_bearer(&w, &srb);
	rl_put_cfg_bearer(&w, &cfg_drb);
	rl_put_cfg_security(&w, &sec);
	n = link_finish(&w);
	CU_ASSERT_EQUAL(n,
			16 + 4 * 4 + RL_CFG_MAC_LEN + 2 * RL_CFG_BEARER_LEN + RL_CFG_SECURITY_LEN);
	CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
	CU_ASSERT_EQUAL_FATAL(items(&m, it, 5), 4);
	CU_ASSERT_EQUAL_FATAL(rl_get_cfg_mac(&it[0], &mac), 0);
	CU_ASSERT_EQUAL(memcmp(&mac, &cfg_mac, sizeof(mac)), 0);
	CU_ASSERT_EQUAL_FATAL(rl_get_cfg_bearer(&it[1], &b), 0);
	CU_ASSERT_TRUE(b.srb);
	CU_ASSERT_EQUAL(b.lcid, 1);
	CU_ASSERT_EQUAL(b.rlc_mode, RL_RLC_AM);
	CU_ASSERT_EQUAL_FATAL(rl_get_cfg_bearer(&it[2], &b), 0);
	CU_ASSERT_EQUAL(b.rb_id, cfg_drb.rb_id);
	CU_ASSERT_EQUAL(b.lcid, cfg_drb.lcid);
	CU_ASSERT_EQUAL(b.srb, cfg_drb.srb);
	CU_ASSERT_EQUAL(b.rlc_mode, cfg_drb.rlc_mode);
	CU_ASSERT_EQUAL(b.pdcp_sn_bits, cfg_drb.pdcp_sn_bits);
	CU_ASSERT_EQUAL(b.um_sn_bits, cfg_drb.um_sn_bits);
	CU_ASSERT_EQUAL(b.priority, cfg_drb.priority);
	CU_ASSERT_EQUAL(b.lcg, cfg_drb.lcg);
	CU_ASSERT_EQUAL(b.pbr_kbps, cfg_drb.pbr_kbps);
	CU_ASSERT_EQUAL(b.bsd_ms, cfg_drb.bsd_ms);
	CU_ASSERT_EQUAL(b.t_poll_retx_ms, cfg_drb.t_poll_retx_ms);
	CU_ASSERT_EQUAL(b.t_reordering_ms, cfg_drb.t_reordering_ms);
	CU_ASSERT_EQUAL(b.t_status_prohibit_ms, cfg_drb.t_status_prohibit_ms);
	CU_ASSERT_EQUAL(b.poll_pdu, cfg_drb.poll_pdu);
	CU_ASSERT_EQUAL(b.poll_byte, cfg_drb.poll_byte);
	CU_ASSERT_EQUAL(b.max_retx, cfg_drb.max_retx);
	CU_ASSERT_EQUAL(b.discard_ms, cfg_drb.discard_ms);
	CU_ASSERT_EQUAL_FATAL(rl_get_cfg_security(&it[3], &sec2), 0);
	CU_ASSERT_EQUAL(sec2.eea, 2);
	CU_ASSERT_EQUAL(sec2.eia, 2);
	CU_ASSERT_EQUAL(memcmp(sec2.kenb, sec.kenb, 32), 0);
}

/* AP_MSG_DATA_UL and AP_MSG_DATA_DL with IP items; an AP item is not an RL item. */
static void link_roundtrip_host_link(void)
{
	static const uint8_t pkt[] = {0x45, 0, 0, 20, 1, 2, 3, 4};
	struct link_writer w;
	struct link_msg m;
	struct link_item it[3];
	struct rl_dl_tb tb;
	const uint8_t *p;
	uint16_t len;
	uint8_t bearer;
	uint8_t type;
	int n;

	rng_state = 77;
	fill(data, 1500);
	for (type = AP_MSG_DATA_UL; type <= AP_MSG_DATA_DL; type++) {
		link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, type, 41, 42);
		ap_put_ip(&w, 5, pkt, sizeof(pkt));
		ap_put_ip(&w, 8, data, 1500);
		n = link_finish(&w);
		CU_ASSERT_EQUAL(n, 16 + 4 + 4 + 8 + 4 + 4 + 1500);
		CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
		CU_ASSERT_EQUAL(m.magic, AP_MAGIC);
		CU_ASSERT_EQUAL(m.type, type);
		CU_ASSERT_EQUAL_FATAL(items(&m, it, 3), 2);
		CU_ASSERT_EQUAL_FATAL(ap_get_ip(&it[0], &bearer, &p, &len), 0);
		CU_ASSERT_EQUAL(bearer, 5);
		CU_ASSERT_EQUAL(len, sizeof(pkt));
		CU_ASSERT_EQUAL(memcmp(p, pkt, sizeof(pkt)), 0);
		CU_ASSERT_EQUAL_FATAL(ap_get_ip(&it[1], &bearer, &p, &len), 0);
		CU_ASSERT_EQUAL(bearer, 8);
		CU_ASSERT_EQUAL(len, 1500);
		CU_ASSERT_EQUAL(memcmp(p, data, 1500), 0);
		/* Item type 1 is AP_ITEM_IP here, not RL_ITEM_DL_TB. */
		CU_ASSERT_EQUAL(rl_get_dl_tb(&it[0], &tb), L2_EPROTO);
	}
}

/* AP_MSG_AT_CMD, AP_MSG_AT_RSP and AP_MSG_SIM: the AT and SIM items, byte by byte, and
 * what the parser refuses in them. */
#define AP_REFUSED(len) CU_ASSERT_EQUAL(parse(len, &m), L2_EPROTO)

static void link_host_link_at_and_sim(void)
{
	static const uint8_t sim_bytes[AP_SIM_LEN] = {
		'0',  '0',  '1',  '0',	'1',  '0',  '0',  '0',	'0',  '0',  '0',  '0',	'0',  '0',
		'1',  0,    0x46, 0x5b, 0x5c, 0xe8, 0xb1, 0x99, 0xb4, 0x9f, 0xaa, 0x5f, 0x0a, 0x2e,
		0xe2, 0x38, 0xa6, 0xbc, 0xcd, 0x63, 0xcb, 0x71, 0x95, 0x4a, 0x9f, 0x4e, 0x48, 0xa5,
		0x99, 0x4e, 0x37, 0xa0, 0x2b, 0xaf, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0,    0};
	struct ap_sim sim, back;
	struct link_writer w;
	struct link_msg m;
	struct link_item it[3];
	const char *text;
	uint16_t len;
	uint8_t ip;
	const uint8_t *p;
	int n;

	/* One command line: "AT+CFUN=1" after the header and a 4-byte item header. */
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_AT_CMD, 3, 9);
	ap_put_at(&w, "AT+CFUN=1", 9);
	n = link_finish(&w);
	CU_ASSERT_EQUAL_FATAL(n, 16 + 4 + 9);
	CU_ASSERT_EQUAL(memcmp(msg, "\x41\x50\x02\x03", 4), 0);
	CU_ASSERT_EQUAL(memcmp(msg + 16,
			       "\x02\x00\x09\x00"
			       "AT+CFUN=1",
			       13),
			0);
	CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
	CU_ASSERT_EQUAL_FATAL(items(&m, it, 3), 1);
	CU_ASSERT_EQUAL_FATAL(ap_get_at(&it[0], &text, &len), 0);
	CU_ASSERT_EQUAL(len, 9);
	CU_ASSERT_EQUAL(memcmp(text, "AT+CFUN=1", 9), 0);
	CU_ASSERT_EQUAL(ap_get_ip(&it[0], &ip, &p, &len), L2_EPROTO);
	/* A command message carries exactly one line. */
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_AT_CMD, 3, 9);
	ap_put_at(&w, "AT", 2);
	ap_put_at(&w, "AT", 2);
	AP_REFUSED((uint32_t)link_finish(&w));
	/* A response: several lines, a URC among them. */
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_AT_RSP, 0, 0);
	ap_put_at(&w, "+CEREG: 1", 9);
	ap_put_at(&w, "OK", 2);
	n = link_finish(&w);
	CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
	CU_ASSERT_EQUAL(items(&m, it, 3), 2);
	/* Control characters (CR, LF) and bytes above 0x7e are refused; so is an empty line. */
	msg[16 + 4 + 3] = '\r';
	AP_REFUSED((uint32_t)n);
	msg[16 + 4 + 3] = 0x80;
	AP_REFUSED((uint32_t)n);
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_AT_RSP, 0, 0);
	ap_put_at(&w, "OK\r\n", 4);
	CU_ASSERT_EQUAL(link_finish(&w), L2_EINVAL);
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_AT_RSP, 0, 0);
	ap_put_at(&w, "", 0);
	CU_ASSERT_EQUAL(link_finish(&w), L2_EINVAL);
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_AT_RSP, 0, 0);
	link_put(&w, AP_ITEM_AT, NULL, 0);
	AP_REFUSED((uint32_t)link_finish(&w));
	/* The SIM item: 56 bytes exactly as documented. */
	memset(&sim, 0, sizeof(sim));
	memcpy(sim.imsi, "001010000000001", 15);
	memcpy(sim.k, sim_bytes + 16, 16);
	memcpy(sim.opc, sim_bytes + 32, 16);
	sim.sqn = 0x010203040506ull;
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_SIM, 0, 0);
	ap_put_sim(&w, &sim);
	n = link_finish(&w);
	CU_ASSERT_EQUAL_FATAL(n, 16 + 4 + 56);
	CU_ASSERT_EQUAL(memcmp(msg + 20, sim_bytes, AP_SIM_LEN), 0);
	CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
	CU_ASSERT_EQUAL_FATAL(items(&m, it, 3), 1);
	CU_ASSERT_EQUAL_FATAL(ap_get_sim(&it[0], &back), 0);
	CU_ASSERT_EQUAL(memcmp(&back.imsi, sim.imsi, 16), 0);
	CU_ASSERT_EQUAL(memcmp(back.k, sim.k, 16), 0);
	CU_ASSERT_EQUAL(memcmp(back.opc, sim.opc, 16), 0);
	CU_ASSERT_EQUAL(back.sqn, sim.sqn);
	/* SQN above 48 bits, a letter in the IMSI, a digit after the NUL, too few digits. */
	msg[20 + 55] = 1;
	AP_REFUSED((uint32_t)n);
	msg[20 + 55] = 0;
	msg[20 + 3] = 'a';
	AP_REFUSED((uint32_t)n);
	msg[20 + 3] = '0';
	msg[20 + 15] = '1';
	AP_REFUSED((uint32_t)n); /* 16 digits */
	msg[20 + 15] = 0;
	CU_ASSERT_EQUAL(parse((uint32_t)n, &m), 0);
	memset(msg + 20 + 5, 0, 11);
	AP_REFUSED((uint32_t)n); /* 5 digits */
	sim.sqn = 1ull << 48;
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_SIM, 0, 0);
	ap_put_sim(&w, &sim);
	CU_ASSERT_EQUAL(link_finish(&w), L2_EINVAL);
	/* A SIM message without its item, or with an AT item, is malformed. */
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_SIM, 0, 0);
	AP_REFUSED((uint32_t)link_finish(&w));
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_SIM, 0, 0);
	ap_put_at(&w, "AT", 2);
	AP_REFUSED((uint32_t)link_finish(&w));
}

#undef AP_REFUSED

/* TS 36.212 §5.1.1: a single flipped bit anywhere in a TB or its parity fails the CRC24A. */
static void link_ts36212_5_1_1_any_bit_error_fails_crc(void)
{
	struct link_writer w;
	struct link_msg m;
	struct link_item it;
	struct rl_dl_tb dl;
	struct rl_ul_tb ul;
	uint32_t pos, bit, tb_at = 16 + 4 + 8, tbs = 61, bad = 0, ok = 0;
	int n, dir;

	rng_state = 3;
	fill(data, tbs);
	for (dir = 0; dir < 2; dir++) {
		link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, dir ? RL_MSG_UL : RL_MSG_DL, 0, 1);
		if (dir)
			rl_put_ul_tb(&w, &(struct rl_ul_tb){.tbs = (uint16_t)tbs, .tb = data});
		else
			rl_put_dl_tb(&w, &(struct rl_dl_tb){.tbs = (uint16_t)tbs, .tb = data});
		if (dir)
			rl_put_done(&w, &(struct rl_done){.subframe = 1, .wake_at = 2});
		n = link_finish(&w);
		CU_ASSERT_FATAL(n > 0);
		for (bit = 0; bit <= (tbs + CRC24_LEN) * 8; bit++) {
			bool flip = bit < (tbs + CRC24_LEN) * 8, crc_ok;

			/* The last round is the unflipped message. */
			if (flip)
				msg[tb_at + bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
			pos = 0;
			CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
			CU_ASSERT_EQUAL_FATAL(link_next(&m, &pos, &it), 1);
			if (dir) {
				CU_ASSERT_EQUAL_FATAL(rl_get_ul_tb(&it, &ul), 0);
				crc_ok = ul.crc_ok;
			} else {
				CU_ASSERT_EQUAL_FATAL(rl_get_dl_tb(&it, &dl), 0);
				crc_ok = dl.crc_ok;
			}
			CU_ASSERT_EQUAL(crc_ok, !flip);
			if (flip)
				msg[tb_at + bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
			bad += !crc_ok;
			ok += crc_ok;
		}
	}
	CU_ASSERT_EQUAL(bad, 2 * (tbs + CRC24_LEN) * 8);
	CU_ASSERT_EQUAL(ok, 2);
}

/* Building a TB in place gives the same bytes as copying it in, DL and UL. */
static void link_tb_in_place_equals_put(void)
{
	static uint8_t other[2048];
	struct link_writer w;
	uint8_t *q;
	int n1, n2;
	struct rl_dl_tb dl = {.rnti = 0x10, .harq_pid = 4, .ndi = 1, .rv = 2, .tbs = 1300};
	struct rl_ul_tb ul = {.rnti = 0x11, .harq_pid = 6, .tbs = 333};

	rng_state = 8;
	fill(data, 1300);
	dl.tb = data;
	ul.tb = data + 7;
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_DL, 1, 2);
	rl_put_phich(&w, &(struct rl_phich){.harq_pid = 1});
	rl_put_dl_tb(&w, &dl);
	rl_put_ul_tb(&w, &ul);
	n1 = link_finish(&w);

	memset(other, 0xee, sizeof(other));
	link_writer_init(&w, other, sizeof(other), RL_MAGIC, RL_MSG_DL, 1, 2);
	rl_put_phich(&w, &(struct rl_phich){.harq_pid = 1});
	q = rl_put_dl_tb_begin(&w, &dl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(w.tb_at, 16 + 8);
	memcpy(q, data, 1300);
	link_put_tb_end(&w);
	CU_ASSERT_EQUAL(w.tb_at, 0);
	q = rl_put_ul_tb_begin(&w, &ul);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	memcpy(q, data + 7, 333);
	link_put_tb_end(&w);
	n2 = link_finish(&w);
	CU_ASSERT_EQUAL_FATAL(n1, n2);
	CU_ASSERT_EQUAL(memcmp(msg, other, (size_t)n1), 0);
}

/* A put that does not fit sets L2_EMSGSIZE; nothing is added after it; link_finish says so. */
static void link_writer_overflow_sticky(void)
{
	struct link_writer w;
	int i;

	/* Room for the header, one UL grant (12 bytes) and 5 more bytes. */
	link_writer_init(&w, msg, 16 + 12 + 5, RL_MAGIC, RL_MSG_DL, 0, 0);
	rl_put_ul_grant(&w, &(struct rl_ul_grant){.tbs = 10});
	CU_ASSERT_EQUAL(w.err, 0);
	CU_ASSERT_EQUAL(w.len, 28);
	rl_put_phich(&w, &(struct rl_phich){.harq_pid = 1}); /* 8 bytes: does not fit */
	CU_ASSERT_EQUAL(w.err, L2_EMSGSIZE);
	link_put(&w, RL_ITEM_SR, NULL, 0); /* 4 bytes would fit, but the error sticks */
	CU_ASSERT_PTR_NULL(rl_put_dl_tb_begin(&w, &(struct rl_dl_tb){.tbs = 1}));
	link_put_tb_end(&w);
	CU_ASSERT_EQUAL(w.len, 28);
	CU_ASSERT_EQUAL(w.n_items, 1);
	CU_ASSERT_EQUAL(w.err, L2_EMSGSIZE);
	CU_ASSERT_EQUAL(link_finish(&w), L2_EMSGSIZE);

	/* An exact fit is not an overflow. */
	link_writer_init(&w, msg, 16 + 12 + 8, RL_MAGIC, RL_MSG_DL, 0, 0);
	rl_put_ul_grant(&w, &(struct rl_ul_grant){.tbs = 10});
	rl_put_phich(&w, &(struct rl_phich){.harq_pid = 1});
	CU_ASSERT_EQUAL(link_finish(&w), 36);

	/* No room for a header; a buffer larger than LINK_MAX_MSG counts as LINK_MAX_MSG. */
	link_writer_init(&w, msg, LINK_HDR_LEN - 1, RL_MAGIC, RL_MSG_END, 0, 0);
	CU_ASSERT_EQUAL(link_finish(&w), L2_EMSGSIZE);
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_DATA_DL, 0, 0);
	ap_put_ip(&w, 1, data, LINK_MAX_MSG - 16 - 8 + 1);
	CU_ASSERT_EQUAL(link_finish(&w), L2_EMSGSIZE);
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_DATA_DL, 0, 0);
	ap_put_ip(&w, 1, data, LINK_MAX_MSG - 16 - 8);
	CU_ASSERT_EQUAL(link_finish(&w), (int)LINK_MAX_MSG);

	/* LINK_MAX_ITEMS items, not one more. */
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_DL, 0, 0);
	for (i = 0; i < (int)LINK_MAX_ITEMS; i++)
		rl_put_phich(&w, &(struct rl_phich){.harq_pid = (uint8_t)(i % 8)});
	CU_ASSERT_EQUAL(w.err, 0);
	rl_put_phich(&w, &(struct rl_phich){.harq_pid = 0});
	CU_ASSERT_EQUAL(link_finish(&w), L2_EMSGSIZE);
}

/* The typed puts refuse fields link_parse would refuse (L2_EINVAL), and TB misuse (L2_ESTATE). */
static void link_writer_refuses_invalid_fields(void)
{
	struct link_writer w;

#define EXPECT_PUT_ERR(put, err)                                                   \
	do {                                                                       \
		link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_DL, 0, 5); \
		put;                                                               \
		CU_ASSERT_EQUAL(link_finish(&w), err);                             \
	} while (0)
	EXPECT_PUT_ERR(rl_put_phich(&w, &(struct rl_phich){.harq_pid = 8}), L2_EINVAL);
	EXPECT_PUT_ERR(rl_put_harq_ack(&w, &(struct rl_harq_ack){.harq_pid = 8}), L2_EINVAL);
	EXPECT_PUT_ERR(rl_put_ul_grant(&w, &(struct rl_ul_grant){.tbs = 0}), L2_EINVAL);
	EXPECT_PUT_ERR(rl_put_ul_grant(&w, &(struct rl_ul_grant){.tbs = LINK_MAX_TBS + 1}),
		       L2_EINVAL);
	EXPECT_PUT_ERR(rl_put_dl_tb(&w, &(struct rl_dl_tb){.tbs = 1, .rv = 4, .tb = data}),
		       L2_EINVAL);
	EXPECT_PUT_ERR(rl_put_dl_tb(&w, &(struct rl_dl_tb){.tbs = 1, .harq_pid = 8, .tb = data}),
		       L2_EINVAL);
	EXPECT_PUT_ERR(rl_put_dl_tb(&w, &(struct rl_dl_tb){.tbs = 1}), L2_EINVAL);
	EXPECT_PUT_ERR(rl_put_ul_tb(&w, &(struct rl_ul_tb){.tbs = 0, .tb = data}), L2_EINVAL);
	EXPECT_PUT_ERR(rl_put_prach(&w, &(struct rl_prach){.preamble = 64}), L2_EINVAL);
	EXPECT_PUT_ERR(rl_put_done(&w, &(struct rl_done){.subframe = 5, .wake_at = 5}), L2_EINVAL);
	EXPECT_PUT_ERR(rl_put_cfg_bearer(&w, &(struct rl_cfg_bearer){.rlc_mode = 3}), L2_EINVAL);
	EXPECT_PUT_ERR(ap_put_ip(&w, 1, data, 0), L2_EINVAL);
	EXPECT_PUT_ERR(link_put(&w, RL_ITEM_PHICH, NULL, 4), L2_EINVAL);
	EXPECT_PUT_ERR(link_put_tb_end(&w), L2_ESTATE);
	EXPECT_PUT_ERR(rl_put_ul_tb_begin(&w, &(struct rl_ul_tb){.tbs = 4}), L2_ESTATE);
	EXPECT_PUT_ERR((rl_put_ul_tb_begin(&w, &(struct rl_ul_tb){.tbs = 4}), rl_put_sr(&w)),
		       L2_ESTATE);
#undef EXPECT_PUT_ERR
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, 99, 0, 0);
	CU_ASSERT_EQUAL(link_finish(&w), L2_EINVAL);
	link_writer_init(&w, msg, sizeof(msg), 0x1234, RL_MSG_DL, 0, 0);
	CU_ASSERT_EQUAL(link_finish(&w), L2_EINVAL);
}

/* Item offsets in the examples: DL TB, grant, PHICH; UL HARQ ACK, UL TB, DONE. */
#define DL_TB	 16
#define DL_GRANT 39
#define DL_PHICH 51
#define UL_ACK	 16
#define UL_TB	 24
#define UL_DONE	 51

/*
 * Malformed messages: each test starts from a valid message (checked to parse), breaks one
 * rule and expects L2_EPROTO.
 */
static uint32_t put_header_counts(uint32_t len, uint16_t n_items)
{
	msg[12] = (uint8_t)n_items;
	msg[13] = (uint8_t)(n_items >> 8);
	msg[14] = (uint8_t)len;
	msg[15] = (uint8_t)(len >> 8);
	return len;
}

/* A macro, so a failure names the line of the case. */
static struct link_msg refused;
#define expect_refused(len) CU_ASSERT_EQUAL(parse(len, &refused), L2_EPROTO)

/* The DL example (59 bytes) parses. */
static uint32_t valid_dl(void)
{
	struct link_msg m;
	int n = build_dl_example(msg, sizeof(msg));

	CU_ASSERT_EQUAL_FATAL(n, 59);
	CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
	return (uint32_t)n;
}

/* The UL example (71 bytes) parses. */
static uint32_t valid_ul(void)
{
	struct link_msg m;
	int n = build_ul_example(msg, sizeof(msg));

	CU_ASSERT_EQUAL_FATAL(n, 71);
	CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
	return (uint32_t)n;
}

static void link_refuses_wrong_magic(void)
{
	uint32_t n = valid_dl();

	msg[0] = 0x41; /* "AR" */
	expect_refused(n);
	msg[1] = 0x50; /* AP_MAGIC: type 3 is AP_MSG_AT_CMD, which carries one AT item */
	expect_refused(n);
}

static void link_refuses_wrong_version(void)
{
	uint32_t n = valid_dl();

	msg[2] = LINK_VERSION + 1;
	expect_refused(n);
	msg[2] = 0;
	expect_refused(n);
}

static void link_refuses_unknown_message_type(void)
{
	uint32_t n = valid_dl();

	msg[3] = 0;
	expect_refused(n);
	msg[3] = RL_MSG_END + 1;
	expect_refused(n);
}

static void link_refuses_shorter_than_header(void)
{
	struct link_msg m;
	struct link_writer w;
	uint32_t n;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_END, 0, 0);
	CU_ASSERT_EQUAL_FATAL(link_finish(&w), 16);
	CU_ASSERT_EQUAL(parse(16, &m), 0);
	for (n = 0; n < 16; n++) {
		put_header_counts(n, 0);
		expect_refused(n);
	}
	CU_ASSERT_EQUAL(link_parse(NULL, 0, &m), L2_EPROTO);
}

static void link_refuses_length_field_not_packet_length(void)
{
	uint32_t n = valid_dl();

	put_header_counts(n + 1, 3);
	expect_refused(n);
	put_header_counts(n - 1, 3);
	expect_refused(n);
	put_header_counts(n, 3);
	msg[n] = 0;
	expect_refused(n + 1); /* the packet is one byte longer than the length field says */
}

static void link_refuses_over_link_max_msg(void)
{
	uint32_t n = LINK_MAX_MSG + 1;
	struct link_writer w;

	/* A well-formed host-link message one byte over the limit. */
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_DATA_UL, 0, 0);
	ap_put_ip(&w, 1, data, 100);
	CU_ASSERT_FATAL(link_finish(&w) > 0);
	msg[16 + 2] = (uint8_t)(n - 16 - 4);
	msg[16 + 3] = (uint8_t)((n - 16 - 4) >> 8);
	put_header_counts(n, 1);
	expect_refused(n);
}

static void link_refuses_truncated_item_header(void)
{
	struct link_writer w;
	uint32_t n;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_DL, 0, 0);
	rl_put_phich(&w, &(struct rl_phich){.harq_pid = 1});
	n = (uint32_t)link_finish(&w);
	msg[n] = RL_ITEM_PHICH;
	msg[n + 1] = 0;
	msg[n + 2] = 4;
	put_header_counts(n + 3, 2); /* three of the four header bytes of a second item */
	expect_refused(n + 3);
}

static void link_refuses_truncated_item_body(void)
{
	uint32_t n = valid_dl();

	/* The PHICH (last item) says 4 body bytes; only 3 are there. */
	put_header_counts(n - 1, 3);
	expect_refused(n - 1);
	/* A length field running past the end. */
	n = valid_dl();
	msg[DL_PHICH + 2] = 0xff;
	expect_refused(n);
}

static void link_refuses_trailing_bytes(void)
{
	uint32_t n = valid_dl();

	memset(msg + n, 0, 8);
	put_header_counts(n + 8, 3); /* looks like two empty items of type 0 */
	expect_refused(n + 8);
	put_header_counts(n + 2, 3);
	expect_refused(n + 2);
}

static void link_refuses_n_items_mismatch(void)
{
	uint32_t n = valid_dl();

	put_header_counts(n, 2);
	expect_refused(n);
	put_header_counts(n, 4);
	expect_refused(n);
	put_header_counts(n, 0);
	expect_refused(n);
}

static void link_refuses_n_items_over_max(void)
{
	struct link_writer w;
	uint32_t n;
	int i;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_DL, 0, 0);
	for (i = 0; i < (int)LINK_MAX_ITEMS; i++)
		rl_put_phich(&w, &(struct rl_phich){.harq_pid = 1});
	n = (uint32_t)link_finish(&w);
	CU_ASSERT_EQUAL_FATAL(n, 16 + 64 * 8);
	memcpy(msg + n, msg + 16, 8);
	put_header_counts(n + 8, LINK_MAX_ITEMS + 1);
	expect_refused(n + 8);
}

static void link_refuses_item_flags_nonzero(void)
{
	uint32_t n = valid_dl();

	msg[DL_PHICH + 1] = 0x80;
	expect_refused(n);
}

static void link_refuses_unknown_item_type(void)
{
	uint32_t n = valid_dl();

	msg[DL_PHICH] = 5; /* the PHICH becomes an item type nobody defined */
	expect_refused(n);
	msg[DL_PHICH] = 200;
	expect_refused(n);
}

/* Every item type is allowed in exactly the message types of docs/radio-link.md §5. */
static void link_refuses_item_in_wrong_message_type(void)
{
	uint32_t n = valid_dl();

	msg[DL_PHICH] = RL_ITEM_HARQ_ACK; /* same layout as PHICH: a UL item in a DL message */
	expect_refused(n);
	n = valid_dl();
	msg[3] = RL_MSG_UL; /* DL items in a UL message */
	expect_refused(n);
	n = valid_ul();
	msg[3] = RL_MSG_DL; /* UL_TB, HARQ_ACK, DONE in a DL message */
	expect_refused(n);
	n = valid_ul();
	msg[3] = RL_MSG_IDLE;
	expect_refused(n);
	n = valid_dl();
	msg[3] = RL_MSG_CONFIG;
	expect_refused(n);
}

static void link_refuses_ul_tb_in_dl_message(void)
{
	struct link_writer w;
	int n;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_DL, 0, 0);
	rl_put_ul_tb(&w, &(struct rl_ul_tb){.tbs = 10, .tb = data});
	n = link_finish(&w);
	CU_ASSERT_FATAL(n > 0);
	expect_refused((uint32_t)n);
}

static void link_refuses_any_item_in_end(void)
{
	struct link_writer w;
	int n;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_END, 0, 0);
	rl_put_sr(&w);
	n = link_finish(&w);
	CU_ASSERT_FATAL(n > 0);
	expect_refused((uint32_t)n);
}

static void link_refuses_ul_without_done(void)
{
	struct link_writer w;
	int n;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 0, 0);
	rl_put_sr(&w);
	n = link_finish(&w);
	expect_refused((uint32_t)n);
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 0, 0);
	n = link_finish(&w);
	expect_refused((uint32_t)n); /* an empty UL message */
}

static void link_refuses_done_not_last(void)
{
	struct link_writer w;
	int n;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 0, 0);
	rl_put_done(&w, &(struct rl_done){.wake_at = 1});
	rl_put_sr(&w);
	n = link_finish(&w);
	expect_refused((uint32_t)n);
}

static void link_refuses_second_done(void)
{
	struct link_writer w;
	int n;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 0, 0);
	rl_put_done(&w, &(struct rl_done){.wake_at = 1});
	rl_put_done(&w, &(struct rl_done){.wake_at = 1});
	n = link_finish(&w);
	expect_refused((uint32_t)n);
}

static void link_refuses_done_of_another_subframe(void)
{
	uint32_t n = valid_ul();

	msg[8] = 0xd3; /* header subframe 1235, DONE says 1234 */
	expect_refused(n);
}

static void link_refuses_done_wake_not_after_subframe(void)
{
	uint32_t n = valid_ul();

	msg[UL_DONE + 4 + 4] = 0xd2; /* wake_at 1234 = subframe */
	expect_refused(n);
	msg[UL_DONE + 4 + 4] = 0x00; /* wake_at 1024 < subframe */
	expect_refused(n);
}

static void link_refuses_second_sr_or_prach(void)
{
	struct link_writer w;
	int n;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 0, 0);
	rl_put_sr(&w);
	rl_put_sr(&w);
	rl_put_done(&w, &(struct rl_done){.wake_at = 1});
	n = link_finish(&w);
	expect_refused((uint32_t)n);
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 0, 0);
	rl_put_prach(&w, &(struct rl_prach){.preamble = 1});
	rl_put_prach(&w, &(struct rl_prach){.preamble = 2});
	rl_put_done(&w, &(struct rl_done){.wake_at = 1});
	n = link_finish(&w);
	expect_refused((uint32_t)n);
}

/* RL_ITEM_FAULT (docs/radio-link.md §4): a task name round trip; bad names, a second one in
 * a message and one outside a DL message refused. */
static void link_fault_item(void)
{
	static const char *const bad[] = {"", "with space", "sixteen-chars-xx", "tab\there"};
	struct rl_fault f = {.task = "pdcp"}, got;
	struct link_writer w;
	struct link_item it[2];
	struct link_msg m;
	unsigned i;
	int n;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_DL, 3, 700);
	rl_put_fault(&w, &f);
	n = link_finish(&w);
	CU_ASSERT_EQUAL(n, 16 + 4 + RL_FAULT_LEN);
	CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
	CU_ASSERT_EQUAL_FATAL(items(&m, it, 2), 1);
	CU_ASSERT_EQUAL_FATAL(rl_get_fault(&it[0], &got), 0);
	CU_ASSERT_STRING_EQUAL(got.task, "pdcp");
	CU_ASSERT_EQUAL(rl_get_phich(&it[0], &(struct rl_phich){0}), L2_EPROTO);
	/* Bytes after the name must be zero. */
	msg[16 + 4 + 5] = 'x';
	expect_refused((uint32_t)n);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&f, 0, sizeof(f));
		memcpy(f.task, bad[i],
		       strlen(bad[i]) < RL_FAULT_NAME ? strlen(bad[i]) : RL_FAULT_NAME);
		link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_DL, 3, 700);
		rl_put_fault(&w, &f);
		CU_ASSERT_EQUAL(link_finish(&w), L2_EINVAL);
	}
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_DL, 3, 700);
	rl_put_fault(&w, &(struct rl_fault){.task = "mac"});
	rl_put_fault(&w, &(struct rl_fault){.task = "rlc"});
	expect_refused((uint32_t)link_finish(&w));
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 3, 700);
	rl_put_fault(&w, &(struct rl_fault){.task = "mac"});
	rl_put_done(&w, &(struct rl_done){.subframe = 700, .wake_at = 701});
	expect_refused((uint32_t)link_finish(&w));
}

/*
 * RL_ITEM_TASK_CYCLES: written, its bytes as docs/radio-link.md lays them out, decoded back;
 * refused when empty, not whole entries, too many, a name bad or twice, twice in a message,
 * after DONE or in any other message.
 */
static void link_task_cycles(void)
{
	struct rl_task_cycles t = {.n = 3}, u;
	struct link_writer w;
	struct link_msg m;
	struct link_item it[4];
	uint32_t i, n;
	uint8_t *b;

	strcpy(t.e[0].task, "pdcp");
	t.e[0].cycles = 44986;
	strcpy(t.e[1].task, "supervisor");
	t.e[1].cycles = 0;
	strcpy(t.e[2].task, "abcdefghijklmno"); /* 15 characters: the longest name */
	t.e[2].cycles = 0xfedcba98;
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 1, 9);
	rl_put_task_cycles(&w, &t);
	rl_put_done(&w, &(struct rl_done){.subframe = 9, .wake_at = 10});
	n = (uint32_t)link_finish(&w);
	CU_ASSERT_EQUAL_FATAL(n, 16 + 4 + 60 + 4 + 16);
	b = msg + 16;
	CU_ASSERT_EQUAL(b[0], 21);
	CU_ASSERT_EQUAL(b[1], 0);
	CU_ASSERT_EQUAL(b[2], 60);
	CU_ASSERT_EQUAL(b[3], 0);
	CU_ASSERT_EQUAL(memcmp(b + 4, "pdcp\0\0\0\0\0\0\0\0\0\0\0\0\xba\xaf\0\0", 20), 0);
	CU_ASSERT_EQUAL(memcmp(b + 44, "abcdefghijklmno\0\x98\xba\xdc\xfe", 20), 0);
	CU_ASSERT_EQUAL_FATAL(parse(n, &m), 0);
	CU_ASSERT_EQUAL_FATAL(items(&m, it, 4), 2);
	CU_ASSERT_EQUAL_FATAL(rl_get_task_cycles(&it[0], &u), 0);
	CU_ASSERT_EQUAL(u.n, 3);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_STRING_EQUAL(u.e[i].task, t.e[i].task);
		CU_ASSERT_EQUAL(u.e[i].cycles, t.e[i].cycles);
	}
	CU_ASSERT_EQUAL(rl_get_task_cycles(&it[1], &u), L2_EPROTO);
	/* Bytes changed in place: a name with a space, not NUL-padded, empty; a duplicate. */
	b[4 + 20 + 2] = ' ';
	expect_refused(n);
	b[4 + 20 + 2] = 'p';
	b[4 + 15] = 'x';
	expect_refused(n);
	b[4 + 15] = 0;
	b[4] = 0;
	expect_refused(n);
	b[4] = 'p';
	memcpy(b + 4 + 20, "pdcp\0\0\0\0\0\0", 10);
	expect_refused(n);
	memcpy(b + 4 + 20, "supervisor", 10);
	CU_ASSERT_EQUAL(parse(n, &m), 0);
	/* Not whole entries, none, more than RL_TASK_CYCLES_MAX. */
	{
		uint8_t body[(RL_TASK_CYCLES_MAX + 1) * RL_TASK_ENTRY_LEN] = {0};
		uint16_t lens[] = {0, 19, 21, (RL_TASK_CYCLES_MAX + 1) * RL_TASK_ENTRY_LEN};

		for (i = 0; i <= RL_TASK_CYCLES_MAX; i++) {
			body[i * RL_TASK_ENTRY_LEN] = 'a' + (uint8_t)(i / 10);
			body[i * RL_TASK_ENTRY_LEN + 1] = '0' + (uint8_t)(i % 10);
		}
		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 1, 9);
			link_put(&w, RL_ITEM_TASK_CYCLES, body, lens[i]);
			rl_put_done(&w, &(struct rl_done){.subframe = 9, .wake_at = 10});
			expect_refused((uint32_t)link_finish(&w));
		}
		link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 1, 9);
		link_put(&w, RL_ITEM_TASK_CYCLES, body, RL_TASK_CYCLES_MAX * RL_TASK_ENTRY_LEN);
		rl_put_done(&w, &(struct rl_done){.subframe = 9, .wake_at = 10});
		CU_ASSERT_EQUAL(parse((uint32_t)link_finish(&w), &m), 0);
	}
	/* Twice; after DONE; in a DL or IDLE message. */
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 1, 9);
	rl_put_task_cycles(&w, &t);
	rl_put_task_cycles(&w, &t);
	rl_put_done(&w, &(struct rl_done){.subframe = 9, .wake_at = 10});
	expect_refused((uint32_t)link_finish(&w));
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 1, 9);
	rl_put_done(&w, &(struct rl_done){.subframe = 9, .wake_at = 10});
	rl_put_task_cycles(&w, &t);
	expect_refused((uint32_t)link_finish(&w));
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_DL, 1, 9);
	rl_put_task_cycles(&w, &t);
	expect_refused((uint32_t)link_finish(&w));
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_IDLE, 1, 9);
	rl_put_idle(&w, &(struct rl_idle){0});
	rl_put_task_cycles(&w, &t);
	expect_refused((uint32_t)link_finish(&w));
	/* The writer refuses what the parser would, and leaves the message as it was. */
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 1, 9);
	u = t;
	strcpy(u.e[2].task, "pdcp");
	rl_put_task_cycles(&w, &u);
	CU_ASSERT_EQUAL(w.err, L2_EINVAL);
	CU_ASSERT_EQUAL(w.n_items, 0);
	CU_ASSERT_EQUAL(w.len, 16);
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 1, 9);
	u = t;
	u.n = 0;
	rl_put_task_cycles(&w, &u);
	CU_ASSERT_EQUAL(w.err, L2_EINVAL);
	u.n = RL_TASK_CYCLES_MAX + 1;
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 1, 9);
	rl_put_task_cycles(&w, &u);
	CU_ASSERT_EQUAL(w.err, L2_EINVAL);
	memset(&u, 0, sizeof(u));
	u.n = 1;
	memset(u.e[0].task, 'a', RL_TASK_NAME); /* 16 characters, no NUL */
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 1, 9);
	rl_put_task_cycles(&w, &u);
	CU_ASSERT_EQUAL(w.err, L2_EINVAL);
}

/* Every fixed-size item with one byte more and one byte less than its length. */
static void link_refuses_fixed_body_wrong_length(void)
{
	static const struct {
		uint8_t msg_type, item, len;
	} fixed[] = {
		{RL_MSG_DL, RL_ITEM_UL_GRANT, RL_UL_GRANT_LEN},
		{RL_MSG_DL, RL_ITEM_PHICH, RL_PHICH_LEN},
		{RL_MSG_UL, RL_ITEM_HARQ_ACK, RL_HARQ_ACK_LEN},
		{RL_MSG_UL, RL_ITEM_SR, 0},
		{RL_MSG_UL, RL_ITEM_PRACH, RL_PRACH_LEN},
		{RL_MSG_UL, RL_ITEM_DONE, RL_DONE_LEN},
		{RL_MSG_HELLO, RL_ITEM_HELLO, RL_HELLO_LEN},
		{RL_MSG_IDLE, RL_ITEM_IDLE, RL_IDLE_LEN},
		{RL_MSG_CONFIG, RL_ITEM_CFG_MAC, RL_CFG_MAC_LEN},
		{RL_MSG_CONFIG, RL_ITEM_CFG_BEARER, RL_CFG_BEARER_LEN},
		{RL_MSG_CONFIG, RL_ITEM_CFG_SECURITY, RL_CFG_SECURITY_LEN},
	};
	uint8_t body[64] = {0};
	struct link_writer w;
	struct link_msg m;
	unsigned i;
	int d;

	body[8] = 1; /* a DONE body: subframe 0, wake_at 1 */
	body[4] = 1; /* and a grant of one byte */
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		for (d = -1; d <= 1; d++) {
			int len = fixed[i].len + d, n;

			if (len < 0)
				continue;
			link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, fixed[i].msg_type, 0, 0);
			if (fixed[i].msg_type == RL_MSG_CONFIG && fixed[i].item != RL_ITEM_CFG_MAC)
				rl_put_cfg_mac(&w, &cfg_mac);
			link_put(&w, fixed[i].item, body, (uint16_t)len);
			if (fixed[i].msg_type == RL_MSG_UL && fixed[i].item != RL_ITEM_DONE)
				rl_put_done(&w, &(struct rl_done){.wake_at = 1});
			n = link_finish(&w);
			CU_ASSERT_FATAL(n > 0);
			CU_ASSERT_EQUAL(parse((uint32_t)n, &m), d == 0 ? 0 : L2_EPROTO);
		}
}

static void link_refuses_tb_length_not_fixed_tbs_crc(void)
{
	uint32_t n = valid_dl();

	/* The DL TB's tbs field says 9 while the body holds 8 + 8 + 3 bytes. */
	msg[DL_TB + 4 + 6] = 9;
	expect_refused(n);
	msg[DL_TB + 4 + 6] = 7;
	expect_refused(n);
	n = valid_ul();
	msg[UL_TB + 4 + 4] = 13;
	expect_refused(n);
	n = valid_ul();
	msg[UL_TB + 4 + 4] = 11;
	expect_refused(n);
}

static void link_refuses_tbs_zero(void)
{
	struct link_writer w;
	uint32_t n;
	int i;

	/* A TB item of 8 + 0 + 3 bytes. */
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_DL, 0, 0);
	rl_put_dl_tb(&w, &(struct rl_dl_tb){.tbs = 1, .tb = data});
	n = (uint32_t)link_finish(&w);
	msg[16 + 2] = 8 + 3;
	msg[16 + 4 + 6] = 0;
	expect_refused(put_header_counts(n - 1, 1));
	/* A grant for 0 bytes. */
	i = (int)valid_dl();
	msg[DL_GRANT + 4 + 4] = 0;
	expect_refused((uint32_t)i);
}

static void link_refuses_tbs_over_link_max_tbs(void)
{
	struct link_writer w;
	uint32_t n, tbs = LINK_MAX_TBS + 1;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_DL, 0, 0);
	rl_put_dl_tb(&w, &(struct rl_dl_tb){.tbs = LINK_MAX_TBS, .tb = data});
	n = (uint32_t)link_finish(&w);
	/* One more TB byte, lengths consistent: still too large. */
	msg[16 + 2] = (uint8_t)(8 + tbs + 3);
	msg[16 + 3] = (uint8_t)((8 + tbs + 3) >> 8);
	msg[16 + 4 + 6] = (uint8_t)tbs;
	msg[16 + 4 + 7] = (uint8_t)(tbs >> 8);
	expect_refused(put_header_counts(n + 1, 1));
	n = valid_dl();
	msg[DL_GRANT + 4 + 4] = (uint8_t)tbs;
	msg[DL_GRANT + 4 + 5] = (uint8_t)(tbs >> 8);
	expect_refused(n);
}

static void link_refuses_harq_pid_over_7(void)
{
	static const uint32_t dl_at[] = {DL_TB + 4 + 2, DL_GRANT + 4 + 2, DL_PHICH + 4};
	static const uint32_t ul_at[] = {UL_ACK + 4, UL_TB + 4 + 2};
	uint32_t n;
	unsigned i;

	for (i = 0; i < 3; i++) {
		n = valid_dl();
		msg[dl_at[i]] = 8;
		expect_refused(n);
	}
	for (i = 0; i < 2; i++) {
		n = valid_ul();
		msg[ul_at[i]] = 8;
		expect_refused(n);
	}
}

/* Each reserved byte of each item layout, set to 1 in turn. */
static void link_refuses_nonzero_reserved_bytes(void)
{
	static const uint32_t dl_at[] = {DL_TB + 4 + 5, DL_GRANT + 4 + 6, DL_GRANT + 4 + 7,
					 DL_PHICH + 4 + 2, DL_PHICH + 4 + 3};
	static const uint32_t ul_at[] = {UL_ACK + 4 + 2, UL_ACK + 4 + 3, UL_TB + 4 + 3,
					 UL_TB + 4 + 6, UL_TB + 4 + 7};
	struct link_writer w;
	uint32_t n;
	unsigned i;

	for (i = 0; i < sizeof(dl_at) / sizeof(dl_at[0]); i++) {
		n = valid_dl();
		msg[dl_at[i]] = 1;
		expect_refused(n);
	}
	for (i = 0; i < sizeof(ul_at) / sizeof(ul_at[0]); i++) {
		n = valid_ul();
		msg[ul_at[i]] = 1;
		expect_refused(n);
	}
	/* PRACH byte 1. */
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 0, 0);
	rl_put_prach(&w, &(struct rl_prach){.preamble = 5, .ra_rnti = 3});
	rl_put_done(&w, &(struct rl_done){.wake_at = 1});
	n = (uint32_t)link_finish(&w);
	msg[16 + 4 + 1] = 1;
	expect_refused(n);
	/* CFG_MAC byte 11, CFG_SECURITY bytes 2 and 3. */
	for (i = 0; i < 3; i++) {
		link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_CONFIG, 0, 0);
		rl_put_cfg_mac(&w, &cfg_mac);
		rl_put_cfg_security(&w, &(struct rl_cfg_security){.eea = 2});
		n = (uint32_t)link_finish(&w);
		msg[i == 0 ? 16 + 4 + 11 : 16 + 20 + 4 + 1 + i] = 1;
		expect_refused(n);
	}
	/* AP_ITEM_IP bytes 1 to 3. */
	for (i = 1; i < 4; i++) {
		link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_DATA_UL, 0, 0);
		ap_put_ip(&w, 1, data, 20);
		n = (uint32_t)link_finish(&w);
		msg[16 + 4 + i] = 1;
		expect_refused(n);
	}
}

/* ndi, ack and srb are 0 or 1; rv 0..3; preamble 0..63; rlc_mode an enum rl_rlc_mode. */
static void link_refuses_field_out_of_range(void)
{
	struct link_writer w;
	uint32_t n;

	n = valid_dl();
	msg[DL_TB + 4 + 3] = 2; /* DL TB ndi */
	expect_refused(n);
	n = valid_dl();
	msg[DL_TB + 4 + 4] = 4; /* rv */
	expect_refused(n);
	n = valid_dl();
	msg[DL_GRANT + 4 + 3] = 0xff; /* grant ndi */
	expect_refused(n);
	n = valid_dl();
	msg[DL_PHICH + 4 + 1] = 2; /* PHICH ack */
	expect_refused(n);
	n = valid_ul();
	msg[UL_ACK + 4 + 1] = 2; /* HARQ ack */
	expect_refused(n);
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_UL, 0, 0);
	rl_put_prach(&w, &(struct rl_prach){.preamble = 63});
	rl_put_done(&w, &(struct rl_done){.wake_at = 1});
	n = (uint32_t)link_finish(&w);
	msg[16 + 4] = 64;
	expect_refused(n);
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_CONFIG, 0, 0);
	rl_put_cfg_mac(&w, &cfg_mac);
	rl_put_cfg_bearer(&w, &cfg_drb);
	n = (uint32_t)link_finish(&w);
	msg[16 + 20 + 4 + 2] = 2; /* srb */
	expect_refused(n);
	msg[16 + 20 + 4 + 2] = 0;
	msg[16 + 20 + 4 + 3] = 3; /* rlc_mode */
	expect_refused(n);
}

static void link_refuses_hello_idle_without_exactly_one_item(void)
{
	struct link_writer w;
	int n;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_HELLO, 0, 0);
	n = link_finish(&w);
	expect_refused((uint32_t)n);
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_HELLO, 0, 0);
	rl_put_hello(&w, &(struct rl_hello){0});
	rl_put_hello(&w, &(struct rl_hello){0});
	n = link_finish(&w);
	expect_refused((uint32_t)n);
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_IDLE, 0, 0);
	n = link_finish(&w);
	expect_refused((uint32_t)n);
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_IDLE, 0, 0);
	rl_put_idle(&w, &(struct rl_idle){0});
	rl_put_idle(&w, &(struct rl_idle){0});
	n = link_finish(&w);
	expect_refused((uint32_t)n);
}

static void link_refuses_config_without_one_cfg_mac(void)
{
	struct link_writer w;
	int n;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_CONFIG, 0, 0);
	rl_put_cfg_bearer(&w, &cfg_drb);
	n = link_finish(&w);
	expect_refused((uint32_t)n);
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_CONFIG, 0, 0);
	rl_put_cfg_mac(&w, &cfg_mac);
	rl_put_cfg_mac(&w, &cfg_mac);
	n = link_finish(&w);
	expect_refused((uint32_t)n);
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_CONFIG, 0, 0);
	rl_put_cfg_mac(&w, &cfg_mac);
	rl_put_cfg_security(&w, &(struct rl_cfg_security){0});
	rl_put_cfg_security(&w, &(struct rl_cfg_security){0});
	n = link_finish(&w);
	expect_refused((uint32_t)n);
}

static void link_refuses_empty_host_link_message_or_packet(void)
{
	static const uint8_t no_packet[AP_IP_FIXED] = {5}; /* bearer 5, reserved bytes 0 */
	struct link_writer w;
	uint32_t n;

	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_DATA_DL, 0, 0);
	n = (uint32_t)link_finish(&w);
	expect_refused(n);
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_DATA_DL, 0, 0);
	link_put(&w, AP_ITEM_IP, no_packet, AP_IP_FIXED);
	n = (uint32_t)link_finish(&w);
	expect_refused(n);
	link_writer_init(&w, msg, sizeof(msg), AP_MAGIC, AP_MSG_DATA_UL, 0, 0);
	link_put(&w, RL_ITEM_UL_GRANT, data, 8); /* type 2 is no host-link item */
	n = (uint32_t)link_finish(&w);
	expect_refused(n);
}

/* RL_ITEM_CFG_DRX: its bytes (docs/radio-link.md §4.13a), the round trip, and each value out
 * of its range refused by the writer and by the parser. */
static void link_cfg_drx_bytes_and_ranges(void)
{
	static const uint8_t bytes[RL_CFG_DRX_LEN] = {0x0a, 0, 0x64, 0, 0x40, 0x01,
						      0x07, 0, 0x50, 0, 0x02, 0x04};
	const struct rl_cfg_drx good = {.on_duration = 10,
					.inactivity = 100,
					.long_cycle = 320,
					.start_offset = 7,
					.short_cycle = 80,
					.short_cycle_timer = 2,
					.retx = 4};
	struct rl_cfg_drx bad[8], back;
	struct link_writer w;
	struct link_msg m;
	struct link_item it[3];
	unsigned i;
	int n;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_CONFIG, 0, 0);
	rl_put_cfg_mac(&w, &cfg_mac);
	rl_put_cfg_drx(&w, &good);
	n = link_finish(&w);
	CU_ASSERT_EQUAL_FATAL(n, 16 + 2 * 4 + RL_CFG_MAC_LEN + RL_CFG_DRX_LEN);
	CU_ASSERT_EQUAL(msg[16 + 4 + RL_CFG_MAC_LEN], RL_ITEM_CFG_DRX);
	CU_ASSERT_EQUAL(memcmp(msg + n - RL_CFG_DRX_LEN, bytes, RL_CFG_DRX_LEN), 0);
	CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
	CU_ASSERT_EQUAL_FATAL(items(&m, it, 3), 2);
	CU_ASSERT_EQUAL_FATAL(rl_get_cfg_drx(&it[1], &back), 0);
	CU_ASSERT_EQUAL(memcmp(&back, &good, sizeof(back)), 0);
	/* A second CFG_DRX is refused. */
	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_CONFIG, 0, 0);
	rl_put_cfg_mac(&w, &cfg_mac);
	rl_put_cfg_drx(&w, &good);
	rl_put_cfg_drx(&w, &good);
	expect_refused((uint32_t)link_finish(&w));
	for (i = 0; i < 8; i++)
		bad[i] = good;
	bad[0].on_duration = 0;
	bad[1].inactivity = 2561;
	bad[2].long_cycle = 9;
	bad[3].start_offset = 320;
	bad[4].short_cycle_timer = 0; /* a short cycle without its timer */
	bad[5].short_cycle = 0;	      /* a timer without a short cycle */
	bad[6].retx = 34;
	bad[7].short_cycle = 320; /* not shorter than the long cycle */
	for (i = 0; i < 8; i++) {
		link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_CONFIG, 0, 0);
		rl_put_cfg_mac(&w, &cfg_mac);
		rl_put_cfg_drx(&w, &bad[i]);
		CU_ASSERT_EQUAL(w.err, L2_EINVAL);
		/* The same bytes in a message the parser sees: refused. */
		w.err = 0;
		n = link_finish(&w);
		CU_ASSERT_TRUE_FATAL(n > 0);
		expect_refused((uint32_t)n);
	}
}

/* RL_ITEM_CFG_PAGING: bytes, round trip, T / nB / UE_ID out of range refused. */
static void link_cfg_paging_bytes_and_ranges(void)
{
	static const uint8_t bytes[RL_CFG_PAGING_LEN] = {0x80, 0, 0x40, 0,    0x15, 0x01,
							 0x12, 0, 0x34, 0x12, 0xde, 0xc0};
	const struct rl_cfg_paging good = {
		.t = 128, .nb = 64, .ue_id = 277, .mmec = 0x12, .m_tmsi = 0xc0de1234};
	struct rl_cfg_paging bad[4], back;
	struct link_writer w;
	struct link_msg m;
	struct link_item it[3];
	unsigned i;
	int n;

	link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_CONFIG, 0, 0);
	rl_put_cfg_mac(&w, &cfg_mac);
	rl_put_cfg_paging(&w, &good);
	n = link_finish(&w);
	CU_ASSERT_EQUAL_FATAL(n, 16 + 2 * 4 + RL_CFG_MAC_LEN + RL_CFG_PAGING_LEN);
	CU_ASSERT_EQUAL(memcmp(msg + n - RL_CFG_PAGING_LEN, bytes, RL_CFG_PAGING_LEN), 0);
	CU_ASSERT_EQUAL_FATAL(parse((uint32_t)n, &m), 0);
	CU_ASSERT_EQUAL_FATAL(items(&m, it, 3), 2);
	CU_ASSERT_EQUAL_FATAL(rl_get_cfg_paging(&it[1], &back), 0);
	CU_ASSERT_EQUAL(memcmp(&back, &good, sizeof(back)), 0);
	for (i = 0; i < 4; i++)
		bad[i] = good;
	bad[0].t = 100;
	bad[1].nb = 96;
	bad[2].nb = 1024; /* 8T */
	bad[3].ue_id = 1024;
	for (i = 0; i < 4; i++) {
		link_writer_init(&w, msg, sizeof(msg), RL_MAGIC, RL_MSG_CONFIG, 0, 0);
		rl_put_cfg_mac(&w, &cfg_mac);
		rl_put_cfg_paging(&w, &bad[i]);
		CU_ASSERT_EQUAL(w.err, L2_EINVAL);
		w.err = 0;
		n = link_finish(&w);
		CU_ASSERT_TRUE_FATAL(n > 0);
		expect_refused((uint32_t)n);
	}
}

/* Every proper prefix of a valid message, with or without a matching length field. */
static void link_refuses_every_truncation(void)
{
	uint8_t whole[LINK_HDR_LEN + 128];
	uint32_t n = valid_ul(), k;

	memcpy(whole, msg, n);
	for (k = 0; k < n; k++) {
		memcpy(msg, whole, n);
		expect_refused(k);
		if (k >= LINK_HDR_LEN)
			expect_refused(put_header_counts(k, 3));
	}
}

TEST_SUITE(link, TEST_CASE(link_ts36212_5_1_1_crc_check_values),
	   TEST_CASE(link_ts36212_5_1_1_crc_tables_match_bitwise),
	   TEST_CASE(link_ts36212_5_1_1_block_and_parity_divisible),
	   TEST_CASE(link_ts36212_5_1_1_any_bit_error_fails_crc), TEST_CASE(link_doc_example_bytes),
	   TEST_CASE(link_roundtrip_dl_items), TEST_CASE(link_roundtrip_ul_items),
	   TEST_CASE(link_roundtrip_hello_idle_end), TEST_CASE(link_roundtrip_config),
	   TEST_CASE(link_roundtrip_host_link), TEST_CASE(link_host_link_at_and_sim),
	   TEST_CASE(link_tb_in_place_equals_put), TEST_CASE(link_writer_overflow_sticky),
	   TEST_CASE(link_writer_refuses_invalid_fields), TEST_CASE(link_refuses_wrong_magic),
	   TEST_CASE(link_refuses_wrong_version), TEST_CASE(link_refuses_unknown_message_type),
	   TEST_CASE(link_refuses_shorter_than_header),
	   TEST_CASE(link_refuses_length_field_not_packet_length),
	   TEST_CASE(link_refuses_over_link_max_msg), TEST_CASE(link_refuses_truncated_item_header),
	   TEST_CASE(link_refuses_truncated_item_body), TEST_CASE(link_refuses_trailing_bytes),
	   TEST_CASE(link_refuses_n_items_mismatch), TEST_CASE(link_refuses_n_items_over_max),
	   TEST_CASE(link_refuses_item_flags_nonzero), TEST_CASE(link_refuses_unknown_item_type),
	   TEST_CASE(link_refuses_item_in_wrong_message_type),
	   TEST_CASE(link_refuses_ul_tb_in_dl_message), TEST_CASE(link_refuses_any_item_in_end),
	   TEST_CASE(link_refuses_ul_without_done), TEST_CASE(link_refuses_done_not_last),
	   TEST_CASE(link_refuses_second_done), TEST_CASE(link_refuses_done_of_another_subframe),
	   TEST_CASE(link_refuses_done_wake_not_after_subframe),
	   TEST_CASE(link_refuses_second_sr_or_prach), TEST_CASE(link_fault_item),
	   TEST_CASE(link_refuses_fixed_body_wrong_length), TEST_CASE(link_task_cycles),
	   TEST_CASE(link_refuses_tb_length_not_fixed_tbs_crc), TEST_CASE(link_refuses_tbs_zero),
	   TEST_CASE(link_refuses_tbs_over_link_max_tbs), TEST_CASE(link_refuses_harq_pid_over_7),
	   TEST_CASE(link_refuses_nonzero_reserved_bytes),
	   TEST_CASE(link_refuses_field_out_of_range),
	   TEST_CASE(link_refuses_hello_idle_without_exactly_one_item),
	   TEST_CASE(link_refuses_config_without_one_cfg_mac),
	   TEST_CASE(link_cfg_drx_bytes_and_ranges), TEST_CASE(link_cfg_paging_bytes_and_ranges),
	   TEST_CASE(link_refuses_empty_host_link_message_or_packet),
	   TEST_CASE(link_refuses_every_truncation))
