/* SPDX-License-Identifier: BSD-2-Clause */
/* Traffic: IPv4/UDP checksums (RFC 791, 768), CBR rate, full-buffer window, echo round trips, and
 * the integrity counts (lost, duplicated, late, corrupted). */
#include "test.h"

#include <string.h>

#include "traffic.h"

/* A pipe between the two ends: each packet arrives `delay` subframes later, unless the test
 * drops, duplicates, corrupts or holds it back. */
#define PIPE_MAX 4096

static struct pipe {
	unsigned n;
	struct {
		uint32_t at;
		enum flow_dir dir;
		uint16_t len;
		uint8_t p[PKT_MAX];
	} q[PIPE_MAX];
	uint32_t delay, now, sent;
	int drop_seq, dup_seq, corrupt_seq, hold_seq;
	bool accept;
} pipe_;

static int pipe_send(void *ctx, enum flow_dir dir, unsigned ue, uint8_t drb, const uint8_t *pkt,
		     uint16_t len)
{
	struct pipe *pp = ctx;
	uint32_t seq = (uint32_t)pkt[36] << 24 | (uint32_t)pkt[37] << 16 | pkt[38] << 8 | pkt[39];
	unsigned copies = 1, i;

	(void)ue, (void)drb;
	if (!pp->accept || pp->n + 2 > PIPE_MAX)
		return -1;
	pp->sent++;
	if ((int)seq == pp->drop_seq)
		return 0;
	if ((int)seq == pp->dup_seq)
		copies = 2;
	for (i = 0; i < copies; i++) {
		pp->q[pp->n].at = pp->now + pp->delay + ((int)seq == pp->hold_seq ? 2 : 0);
		pp->q[pp->n].dir = dir;
		pp->q[pp->n].len = len;
		memcpy(pp->q[pp->n].p, pkt, len);
		if ((int)seq == pp->corrupt_seq)
			pp->q[pp->n].p[len - 1] ^= 0x10;
		pp->n++;
	}
	return 0;
}

static void pipe_deliver(struct traffic *t, const struct traffic_io *io)
{
	unsigned i = 0;

	while (i < pipe_.n) {
		if (pipe_.q[i].at > pipe_.now) {
			i++;
			continue;
		}
		static uint8_t p[PKT_MAX];
		enum flow_dir dir = pipe_.q[i].dir;
		uint16_t len = pipe_.q[i].len;

		memcpy(p, pipe_.q[i].p, len);
		memmove(&pipe_.q[i], &pipe_.q[i + 1], (pipe_.n - i - 1) * sizeof(pipe_.q[0]));
		pipe_.n--;
		traffic_rx(t, pipe_.now, dir, 0, p, len, io);
	}
}

static struct traffic tr;
static const struct traffic_io io = {.ctx = &pipe_, .send = pipe_send};

static void pipe_reset(uint32_t delay)
{
	memset(&pipe_, 0, sizeof(pipe_));
	pipe_.delay = delay;
	pipe_.drop_seq = pipe_.dup_seq = pipe_.corrupt_seq = pipe_.hold_seq = -1;
	pipe_.accept = true;
}

static void run(uint32_t subframes)
{
	for (pipe_.now = 0; pipe_.now < subframes; pipe_.now++) {
		traffic_tick(&tr, pipe_.now, &io);
		pipe_deliver(&tr, &io);
	}
}

/* RFC 1071: the IPv4 header and the UDP datagram (with its pseudo header) sum to 0xffff; any
 * changed byte is caught. */
static void pkt_checksums_and_payload(void)
{
	struct pkt_info in = {.flow = 3,
			      .kind = PKT_DATA,
			      .ue = 1,
			      .seq = 77,
			      .send_sf = 1234,
			      .orig_sf = 1234,
			      .uplink = true},
			out;
	uint8_t p[200];
	uint32_t sum = 0;
	unsigned i;

	CU_ASSERT_EQUAL_FATAL(pkt_build(p, sizeof(p), 5, &in), (int)sizeof(p));
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	CU_ASSERT_EQUAL(sum, 0xffff);
	CU_ASSERT_EQUAL(p[12], 10); /* 10.45.0.3 -> 192.0.2.1 */
	CU_ASSERT_EQUAL(p[15], 3);
	CU_ASSERT_EQUAL(p[16], 192);
	CU_ASSERT_EQUAL(pkt_check(p, sizeof(p), 5, &out), 0);
	CU_ASSERT_EQUAL(out.seq, 77);
	CU_ASSERT_EQUAL(out.send_sf, 1234);
	CU_ASSERT_TRUE(out.uplink);
	CU_ASSERT_EQUAL(pkt_check(p, sizeof(p), 6, &out), -2); /* another seed, other bytes */
	for (i = 0; i < sizeof(p); i++) {
		int r;

		p[i] ^= 0x01;
		r = pkt_check(p, sizeof(p), 5, &out);
		CU_ASSERT(r < 0);
		p[i] ^= 0x01;
	}
	CU_ASSERT_EQUAL(pkt_build(p, PKT_MIN - 1, 5, &in), -1);
}

/* CBR: 10 Mbit/s of 1250-byte packets is one packet per subframe, all delivered in order. */
static void traffic_cbr_rate_and_latency(void)
{
	struct flow_config fc = {.type = FLOW_CBR,
				 .dir = FLOW_DL,
				 .drb = 1,
				 .size = 1250,
				 .rate_kbps = 10000,
				 .start_ms = 10,
				 .stop_ms = 1010};

	pipe_reset(5);
	CU_ASSERT_EQUAL_FATAL(traffic_init(&tr, &fc, 1, 9), 0);
	run(1100);
	CU_ASSERT_EQUAL(tr.flow[0].tx_pkts, 1000);
	CU_ASSERT_EQUAL(tr.flow[0].rx.pkts, 1000);
	CU_ASSERT_EQUAL(tr.flow[0].rx.bytes, 1250000);
	CU_ASSERT_EQUAL(
		tr.flow[0].rx.lost_pkts + tr.flow[0].rx.dup_pkts + tr.flow[0].rx.corrupt_pkts, 0);
	CU_ASSERT_EQUAL(flow_rx_percentile(&tr.flow[0].rx, 50), 5);
	CU_ASSERT_EQUAL(tr.flow[0].rx.lat_max, 5);
	CU_ASSERT_EQUAL(flow_in_flight(&tr.flow[0]), 0);
	traffic_free(&tr);
}

/* One lost, one duplicated, one corrupted (its bytes never arrive intact: lost too), one late. */
static void traffic_integrity_counts(void)
{
	struct flow_config fc = {.type = FLOW_CBR,
				 .dir = FLOW_UL,
				 .drb = 1,
				 .size = 100,
				 .rate_kbps = 800,
				 .start_ms = 0,
				 .stop_ms = 50};
	const struct flow_rx *r;

	pipe_reset(1);
	pipe_.drop_seq = 5;
	pipe_.dup_seq = 10;
	pipe_.corrupt_seq = 15;
	pipe_.hold_seq = 20;
	CU_ASSERT_EQUAL_FATAL(traffic_init(&tr, &fc, 1, 9), 0);
	run(60);
	r = &tr.flow[0].rx;
	CU_ASSERT_EQUAL(tr.flow[0].tx_pkts, 50);
	CU_ASSERT_EQUAL(r->pkts, 48);
	CU_ASSERT_EQUAL(r->lost_pkts, 2);
	CU_ASSERT_EQUAL(r->lost_bytes, 200);
	CU_ASSERT_EQUAL(r->dup_pkts, 1);
	CU_ASSERT_EQUAL(r->dup_bytes, 100);
	CU_ASSERT_EQUAL(r->corrupt_pkts, 1);
	CU_ASSERT_EQUAL(r->late_pkts, 1);
	CU_ASSERT_EQUAL(r->lat_max, 3);
	traffic_free(&tr);
}

/* Echo: requests every 20 ms answered at once; round trip = both one-way delays. */
static void traffic_echo_round_trip(void)
{
	struct flow_config fc = {.type = FLOW_ECHO,
				 .dir = FLOW_UL,
				 .drb = 1,
				 .size = 84,
				 .interval_ms = 20,
				 .start_ms = 0,
				 .stop_ms = 1000};

	pipe_reset(7);
	CU_ASSERT_EQUAL_FATAL(traffic_init(&tr, &fc, 1, 1), 0);
	run(1100);
	CU_ASSERT_EQUAL(tr.flow[0].tx_pkts, 50);
	CU_ASSERT_EQUAL(tr.flow[0].rx.pkts, 50);
	CU_ASSERT_EQUAL(tr.flow[0].reply_tx_pkts, 50);
	CU_ASSERT_EQUAL(tr.flow[0].reply.pkts, 50);
	CU_ASSERT_EQUAL(flow_rx_percentile(&tr.flow[0].reply, 50), 14);
	CU_ASSERT_EQUAL(flow_rx_percentile(&tr.flow[0].reply, 99), 14);
	CU_ASSERT_EQUAL(tr.flow[0].reply.lat_max, 14);
	CU_ASSERT_EQUAL(tr.foreign_pkts, 0);
	traffic_free(&tr);
}

/* Full buffer: no more than `window` bytes in flight; refusals just wait. */
static void traffic_full_buffer_window(void)
{
	struct flow_config fc = {.type = FLOW_FULL,
				 .dir = FLOW_DL,
				 .drb = 1,
				 .size = 1000,
				 .window = 10500,
				 .start_ms = 0,
				 .stop_ms = 100};

	pipe_reset(1000); /* nothing arrives */
	CU_ASSERT_EQUAL_FATAL(traffic_init(&tr, &fc, 1, 1), 0);
	run(50);
	CU_ASSERT_EQUAL(tr.flow[0].tx_pkts, 10);
	CU_ASSERT_EQUAL(flow_in_flight(&tr.flow[0]), 10);
	traffic_free(&tr);
	pipe_reset(3);
	CU_ASSERT_EQUAL_FATAL(traffic_init(&tr, &fc, 1, 1), 0);
	run(100);
	/* A window every 4 subframes: 3 on the way, then sent again in the next tick. */
	CU_ASSERT_EQUAL(tr.flow[0].tx_pkts, 10 * 100 / 4);
	traffic_free(&tr);
}

/* Bad flows are refused. */
static void traffic_refuses_bad_flows(void)
{
	struct flow_config fc = {.type = FLOW_CBR, .dir = FLOW_DL, .size = 20, .rate_kbps = 1};

	CU_ASSERT_EQUAL(traffic_init(&tr, &fc, 1, 1), -1);
	fc.size = 100;
	fc.rate_kbps = 0;
	CU_ASSERT_EQUAL(traffic_init(&tr, &fc, 1, 1), -1);
	fc.type = FLOW_FULL;
	fc.window = 10;
	CU_ASSERT_EQUAL(traffic_init(&tr, &fc, 1, 1), -1);
}

TEST_SUITE(sim_traffic, TEST_CASE(pkt_checksums_and_payload),
	   TEST_CASE(traffic_cbr_rate_and_latency), TEST_CASE(traffic_integrity_counts),
	   TEST_CASE(traffic_echo_round_trip), TEST_CASE(traffic_full_buffer_window),
	   TEST_CASE(traffic_refuses_bad_flows))
