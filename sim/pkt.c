/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv4 (RFC 791) / UDP (RFC 768) test packets with checksums, built and verified byte for byte. */
#include <string.h>

#include "pkt.h"
#include "rng.h"

static const uint8_t pkt_magic[4] = {'L', '4', 'E', 'S'};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

uint32_t pkt_ue_addr(unsigned ue)
{
	return 0x0a2d0002u + ue;
}

/* Ones' complement sum of 16-bit words (RFC 1071), not yet folded or inverted. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* UDP checksum over the pseudo header and the datagram (RFC 768): the field's value when
 * it is zero in `udp`, and 0 when it holds the right checksum. */
static uint16_t udp_csum(const uint8_t *ip, const uint8_t *udp, uint16_t ulen)
{
	uint32_t sum = csum_add(0, ip + 12, 8) + 17 + ulen;

	return csum_fold(csum_add(sum, udp, ulen));
}

static void pkt_fill(uint8_t *p, uint32_t n, uint64_t seed, const struct pkt_info *in)
{
	struct rng r;
	uint32_t i = 0;

	rng_seed(&r, seed ^ ((uint64_t)in->seq << 24) ^ ((uint64_t)in->kind << 56),
		 0x1f000000ull + in->flow);
	while (i < n) {
		uint64_t x = rng_next(&r);
		unsigned k;

		for (k = 0; k < 8 && i < n; k++, i++)
			p[i] = (uint8_t)(x >> (8 * k));
	}
}

int pkt_build(uint8_t *p, uint16_t len, uint64_t seed, const struct pkt_info *in)
{
	uint32_t ue = pkt_ue_addr(in->ue), src = in->uplink ? ue : PKT_NET_ADDR,
		 dst = in->uplink ? PKT_NET_ADDR : ue;
	uint16_t ulen = (uint16_t)(len - PKT_IP_HDR), port = (uint16_t)(5000 + in->flow), csum;
	uint8_t *udp = p + PKT_IP_HDR, *pl = udp + PKT_UDP_HDR;

	if (len < PKT_MIN || len > PKT_MAX)
		return -1;
	memset(p, 0, PKT_IP_HDR + PKT_UDP_HDR);
	p[0] = 0x45;
	put16(p + 2, len);
	put16(p + 4, (uint16_t)in->seq);
	p[6] = 0x40; /* DF */
	p[8] = 64;
	p[9] = 17;
	put32(p + 12, src);
	put32(p + 16, dst);
	put16(p + 10, csum_fold(csum_add(0, p, PKT_IP_HDR)));
	/* An echo request goes to port 7, its reply comes from it. */
	put16(udp, in->kind == PKT_ECHO_REPLY ? PKT_ECHO_PORT : port);
	put16(udp + 2, in->kind == PKT_ECHO_REQ ? PKT_ECHO_PORT : port);
	put16(udp + 4, ulen);
	memcpy(pl, pkt_magic, 4);
	put16(pl + 4, in->flow);
	pl[6] = in->kind;
	pl[7] = in->ue;
	put32(pl + 8, in->seq);
	put32(pl + 12, in->send_sf);
	put32(pl + 16, in->orig_sf);
	pkt_fill(pl + PKT_HDR, (uint32_t)len - PKT_MIN, seed, in);
	csum = udp_csum(p, udp, ulen);
	put16(udp + 6, csum ? csum : 0xffff); /* 0 means "no checksum" */
	return len;
}

int pkt_check(const uint8_t *p, uint16_t len, uint64_t seed, struct pkt_info *out)
{
	static uint8_t want[PKT_MAX];
	const uint8_t *udp = p + PKT_IP_HDR, *pl = udp + PKT_UDP_HDR;
	uint16_t ulen;

	if (len < PKT_MIN || len > PKT_MAX || memcmp(pl, pkt_magic, 4) != 0)
		return -1;
	out->flow = get16(pl + 4);
	out->kind = pl[6];
	out->ue = pl[7];
	out->seq = get32(pl + 8);
	out->send_sf = get32(pl + 12);
	out->orig_sf = get32(pl + 16);
	out->uplink = get32(p + 16) == PKT_NET_ADDR;
	ulen = get16(udp + 4);
	if (p[0] != 0x45 || get16(p + 2) != len || p[9] != 17 ||
	    csum_fold(csum_add(0, p, PKT_IP_HDR)) != 0 || ulen != len - PKT_IP_HDR ||
	    udp_csum(p, udp, ulen) != 0 || out->kind > PKT_ECHO_REPLY)
		return -2;
	pkt_fill(want, (uint32_t)len - PKT_MIN, seed, out);
	return memcmp(pl + PKT_HDR, want, (size_t)len - PKT_MIN) == 0 ? 0 : -2;
}
