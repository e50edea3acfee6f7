/* SPDX-License-Identifier: BSD-2-Clause */
/* Traffic flows on both sides of the network (CBR, full buffer, echo) and their integrity checks. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "pkt.h"

#define TRAFFIC_MAX_FLOWS 32
#define TRAFFIC_LAT_BINS  10000 /* latency histogram: 1 ms bins, the last one open-ended */
#define TRAFFIC_SEEN_BITS 4096	/* sequence numbers remembered for duplicates and late ones */

enum flow_type {
	FLOW_CBR = 0,  /* `rate_kbps` in packets of `size` bytes */
	FLOW_FULL = 1, /* as much as the network takes, `window` bytes in flight at most */
	FLOW_ECHO = 2, /* a request every `interval_ms`, answered by the far end at once */
};

enum flow_dir {
	FLOW_DL = 0, /* sent by the network side into the eNB, received by the AP */
	FLOW_UL = 1, /* sent by the AP over the host link, received by the network side */
};

struct flow_config {
	unsigned ue;
	enum flow_type type;
	enum flow_dir dir; /* echo: the direction of the requests */
	uint8_t drb;	   /* radio bearer id of the DRB */
	uint16_t size;	   /* IP packet bytes */
	uint32_t rate_kbps;
	uint32_t interval_ms;
	uint32_t window;
	uint32_t start_ms, stop_ms; /* sending in [start, stop) */
};

/* What a receiver saw of one direction of a flow (requests or replies of an echo flow). */
struct flow_rx {
	uint32_t next; /* next sequence number expected */
	uint64_t pkts, bytes;
	uint64_t lost_pkts, lost_bytes; /* skipped and never arrived */
	uint64_t dup_pkts, dup_bytes;	/* arrived twice */
	uint64_t late_pkts;		/* arrived after a later one (counted lost, then not) */
	uint64_t corrupt_pkts, corrupt_bytes; /* checksum or payload wrong */
	uint64_t lat_sum;
	uint32_t lat_max;
	uint32_t *lat; /* TRAFFIC_LAT_BINS, ms: one-way (data) or round trip (echo replies) */
	uint8_t seen[TRAFFIC_SEEN_BITS / 8];
};

struct flow {
	struct flow_config cfg;
	uint32_t next_seq;
	uint64_t credit; /* CBR: bits earned and not yet sent */
	uint64_t tx_pkts, tx_bytes, refused_pkts;
	struct flow_rx rx;		       /* data, or the echo requests */
	uint32_t reply_seq;		       /* echo: replies sent by the far end */
	uint64_t reply_tx_pkts, reply_refused; /* echo */
	struct flow_rx reply;		       /* echo: the replies, with round trip times */
};

/* The two ends a flow's packets leave from. */
struct traffic_io {
	void *ctx;
	/* Hand a packet to the network side (FLOW_DL) or the AP's outbox (FLOW_UL); 0 when
	 * taken, negative when refused (then it never existed: no sequence number used). */
	int (*send)(void *ctx, enum flow_dir dir, unsigned ue, uint8_t drb, const uint8_t *pkt,
		    uint16_t len);
};

struct traffic {
	uint64_t seed;
	unsigned n;
	struct flow flow[TRAFFIC_MAX_FLOWS];
	uint8_t buf[PKT_MAX];
	uint64_t foreign_pkts; /* received packets that are not from any flow */
};

/* 0, or -1 for a bad flow (size, rate, direction). */
int traffic_init(struct traffic *t, const struct flow_config *flows, unsigned n, uint64_t seed);
void traffic_free(struct traffic *t);

/* Subframe `sf`: every flow sends what it is due. */
void traffic_tick(struct traffic *t, uint32_t sf, const struct traffic_io *io);

/* A packet arriving at the network side (dir FLOW_UL) or the AP (FLOW_DL) of `ue` at `sf`:
 * checked, counted, and an echo request answered through `io`. */
void traffic_rx(struct traffic *t, uint32_t sf, enum flow_dir dir, unsigned ue, const uint8_t *pkt,
		uint16_t len, const struct traffic_io *io);

/* Latency percentile (0..100) of a receiver in ms; 0 without samples. */
uint32_t flow_rx_percentile(const struct flow_rx *r, unsigned pct);

/* Packets sent and not (yet) received, lost or refused: in flight at the end of a run. */
uint64_t flow_in_flight(const struct flow *f);
