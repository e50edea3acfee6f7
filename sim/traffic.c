/* SPDX-License-Identifier: BSD-2-Clause */
/* Flows: CBR, full-buffer and echo packets sent on schedule; receivers count every byte once. */
#include <stdlib.h>
#include <string.h>

#include "traffic.h"

int traffic_init(struct traffic *t, const struct flow_config *flows, unsigned n, uint64_t seed)
{
	unsigned i;

	memset(t, 0, sizeof(*t));
	if (n > TRAFFIC_MAX_FLOWS)
		return -1;
	t->seed = seed;
	for (i = 0; i < n; i++) {
		const struct flow_config *c = &flows[i];
		struct flow *f = &t->flow[i];

		if (c->size < PKT_MIN || c->size > PKT_MAX || c->ue > 255 ||
		    (c->dir != FLOW_DL && c->dir != FLOW_UL) ||
		    (c->type == FLOW_CBR && c->rate_kbps == 0) ||
		    (c->type == FLOW_ECHO && c->interval_ms == 0) ||
		    (c->type == FLOW_FULL && c->window < c->size) || c->type > FLOW_ECHO) {
			traffic_free(t);
			return -1;
		}
		f->cfg = *c;
		f->rx.lat = calloc(TRAFFIC_LAT_BINS, sizeof(uint32_t));
		f->reply.lat = calloc(TRAFFIC_LAT_BINS, sizeof(uint32_t));
		t->n = i + 1;
		if (!f->rx.lat || !f->reply.lat) {
			traffic_free(t);
			return -1;
		}
	}
	return 0;
}

void traffic_free(struct traffic *t)
{
	unsigned i;

	for (i = 0; i < t->n; i++) {
		free(t->flow[i].rx.lat);
		free(t->flow[i].reply.lat);
		t->flow[i].rx.lat = t->flow[i].reply.lat = NULL;
	}
	t->n = 0;
}

uint64_t flow_in_flight(const struct flow *f)
{
	uint64_t done = f->rx.pkts + f->rx.lost_pkts;

	return f->tx_pkts > done ? f->tx_pkts - done : 0;
}

/* Build and hand over one packet; true when it was taken. */
static bool flow_send(struct traffic *t, struct flow *f, unsigned idx, uint32_t sf, uint8_t kind,
		      const struct traffic_io *io)
{
	struct pkt_info in = {.flow = (uint16_t)idx,
			      .kind = kind,
			      .ue = (uint8_t)f->cfg.ue,
			      .seq = f->next_seq,
			      .send_sf = sf,
			      .orig_sf = sf,
			      .uplink = f->cfg.dir == FLOW_UL};

	pkt_build(t->buf, f->cfg.size, t->seed, &in);
	if (io->send(io->ctx, f->cfg.dir, f->cfg.ue, f->cfg.drb, t->buf, f->cfg.size) < 0) {
		f->refused_pkts++;
		return false;
	}
	f->next_seq++;
	f->tx_pkts++;
	f->tx_bytes += f->cfg.size;
	return true;
}

void traffic_tick(struct traffic *t, uint32_t sf, const struct traffic_io *io)
{
	unsigned i;

	for (i = 0; i < t->n; i++) {
		struct flow *f = &t->flow[i];
		uint32_t bits = (uint32_t)f->cfg.size * 8;

		if (sf < f->cfg.start_ms || sf >= f->cfg.stop_ms)
			continue;
		switch (f->cfg.type) {
		case FLOW_CBR:
			/* kbit/s is bits per subframe. */
			f->credit += f->cfg.rate_kbps;
			while (f->credit >= bits) {
				f->credit -= bits;
				flow_send(t, f, i, sf, PKT_DATA, io);
			}
			break;
		case FLOW_FULL:
			while ((flow_in_flight(f) + 1) * f->cfg.size <= f->cfg.window &&
			       flow_send(t, f, i, sf, PKT_DATA, io))
				;
			break;
		case FLOW_ECHO:
			if ((sf - f->cfg.start_ms) % f->cfg.interval_ms == 0)
				flow_send(t, f, i, sf, PKT_ECHO_REQ, io);
			break;
		}
	}
}

static bool seen_get(const struct flow_rx *r, uint32_t seq)
{
	return (r->seen[(seq % TRAFFIC_SEEN_BITS) / 8] >> (seq % 8)) & 1;
}

static void seen_set(struct flow_rx *r, uint32_t seq, bool v)
{
	uint8_t *b = &r->seen[(seq % TRAFFIC_SEEN_BITS) / 8], m = (uint8_t)(1u << (seq % 8));

	*b = v ? (uint8_t)(*b | m) : (uint8_t)(*b & ~m);
}

static void rx_latency(struct flow_rx *r, uint32_t ms)
{
	r->lat[ms < TRAFFIC_LAT_BINS ? ms : TRAFFIC_LAT_BINS - 1]++;
	r->lat_sum += ms;
	if (ms > r->lat_max)
		r->lat_max = ms;
}

/* In order, a gap (the missing ones lost), a duplicate, or a late one (not lost after all). */
static void rx_account(struct flow_rx *r, uint32_t seq, uint16_t size, uint32_t lat)
{
	int32_t ahead = (int32_t)(seq - r->next);

	if (ahead >= 0) {
		uint32_t gap = (uint32_t)ahead, s;

		if (gap >= TRAFFIC_SEEN_BITS)
			memset(r->seen, 0, sizeof(r->seen));
		else
			for (s = r->next; s != seq; s++)
				seen_set(r, s, false);
		r->lost_pkts += gap;
		r->lost_bytes += (uint64_t)gap * size;
		r->next = seq + 1;
	} else if ((uint32_t)-ahead > TRAFFIC_SEEN_BITS || seen_get(r, seq)) {
		r->dup_pkts++;
		r->dup_bytes += size;
		return;
	} else {
		r->late_pkts++;
		r->lost_pkts--;
		r->lost_bytes -= size;
	}
	seen_set(r, seq, true);
	r->pkts++;
	r->bytes += size;
	rx_latency(r, lat);
}

void traffic_rx(struct traffic *t, uint32_t sf, enum flow_dir dir, unsigned ue, const uint8_t *pkt,
		uint16_t len, const struct traffic_io *io)
{
	struct pkt_info in;
	struct flow *f;
	int ok = pkt_check(pkt, len, t->seed, &in);
	bool echo, reply;

	if (ok == -1 || in.flow >= t->n) {
		t->foreign_pkts++;
		return;
	}
	f = &t->flow[in.flow];
	echo = f->cfg.type == FLOW_ECHO;
	reply = echo && in.kind == PKT_ECHO_REPLY;
	/* The direction it travelled: requests and data the flow's, replies the other one. */
	if (f->cfg.ue != ue || (reply ? f->cfg.dir == dir : f->cfg.dir != dir) ||
	    (echo ? in.kind == PKT_DATA : in.kind != PKT_DATA) || len != f->cfg.size) {
		if (ok == 0) {
			t->foreign_pkts++;
			return;
		}
		ok = -2;
	}
	if (ok < 0) {
		struct flow_rx *r = reply ? &f->reply : &f->rx;

		r->corrupt_pkts++;
		r->corrupt_bytes += len;
		return;
	}
	if (reply) {
		rx_account(&f->reply, in.seq, len, sf - in.orig_sf);
		return;
	}
	rx_account(&f->rx, in.seq, len, sf - in.send_sf);
	if (echo) {
		/* Answered at once by the far end, in the other direction (RFC 862). */
		struct pkt_info out = {.flow = in.flow,
				       .kind = PKT_ECHO_REPLY,
				       .ue = in.ue,
				       .seq = f->reply_seq,
				       .send_sf = sf,
				       .orig_sf = in.send_sf,
				       .uplink = f->cfg.dir == FLOW_DL};

		pkt_build(t->buf, len, t->seed, &out);
		if (io->send(io->ctx, f->cfg.dir == FLOW_DL ? FLOW_UL : FLOW_DL, ue, f->cfg.drb,
			     t->buf, len) < 0) {
			f->reply_refused++;
			return;
		}
		f->reply_seq++;
		f->reply_tx_pkts++;
	}
}

uint32_t flow_rx_percentile(const struct flow_rx *r, unsigned pct)
{
	uint64_t want, seen = 0;
	uint32_t i;

	if (!r->pkts)
		return 0;
	/* The smallest latency with at least pct % of the samples at or below it. */
	want = (r->pkts * pct + 99) / 100;
	if (want == 0)
		want = 1;
	for (i = 0; i < TRAFFIC_LAT_BINS; i++) {
		seen += r->lat[i];
		if (seen >= want)
			return i == TRAFFIC_LAT_BINS - 1 ? r->lat_max : i;
	}
	return r->lat_max;
}
