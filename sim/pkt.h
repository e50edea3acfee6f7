/* SPDX-License-Identifier: BSD-2-Clause */
/* Test IPv4/UDP packets: checksummed headers and a payload of flow, sequence, times, seeded bytes. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define PKT_IP_HDR    20
#define PKT_UDP_HDR   8
#define PKT_HDR	      20 /* the payload's own header */
#define PKT_MIN	      (PKT_IP_HDR + PKT_UDP_HDR + PKT_HDR)
#define PKT_MAX	      1500
#define PKT_ECHO_PORT 7 /* RFC 862 */

enum pkt_kind {
	PKT_DATA = 0,
	PKT_ECHO_REQ = 1,
	PKT_ECHO_REPLY = 2,
};

/* What a packet says about itself. */
struct pkt_info {
	uint16_t flow;
	uint8_t kind;
	uint8_t ue;
	uint32_t seq;
	uint32_t send_sf; /* subframe it was sent in */
	uint32_t orig_sf; /* echo reply: when its request was sent; else send_sf */
	bool uplink;	  /* from the UE's address to the network's */
};

/* UE `ue` is 10.45.0.(2 + ue); the network side is 192.0.2.1 (RFC 5737). */
uint32_t pkt_ue_addr(unsigned ue);
#define PKT_NET_ADDR 0xc0000201u

/* Write a packet of `len` bytes (PKT_MIN..PKT_MAX) into `p`; the bytes after the payload
 * header come from (seed, flow, kind, seq). Returns len, or -1 for a bad length. */
int pkt_build(uint8_t *p, uint16_t len, uint64_t seed, const struct pkt_info *in);

/*
 * Check a received packet: IPv4 header and checksum, UDP length and checksum, the payload
 * header and every seeded byte. Fills `out` from the payload header when it can be read.
 * Returns 0 when intact, -1 when not one of ours at all, -2 when ours but corrupted.
 */
int pkt_check(const uint8_t *p, uint16_t len, uint64_t seed, struct pkt_info *out);
