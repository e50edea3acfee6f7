/* SPDX-License-Identifier: BSD-2-Clause */
/* pcap records in Wireshark's MAC-LTE framing (exported-PDU or IPv4/UDP link type). */
#include <string.h>

#include "l2/env.h"
#include "l2/pcap.h"

#define LINKTYPE_IPV4		     228
#define LINKTYPE_WIRESHARK_UPPER_PDU 252
#define EXP_PDU_TAG_DISSECTOR_NAME   12
#define MAC_LTE_UDP_PORT	     9999 /* any port: the heuristic looks at the content */
#define FRAMING_MAX		     32

/* Framing tags, Wireshark packet-mac-lte.h. */
enum {
	TAG_PAYLOAD = 0x01,
	TAG_RNTI = 0x02,
	TAG_UEID = 0x03,
	TAG_FRAME_SUBFRAME = 0x04,
	TAG_RETX = 0x06,
	TAG_CRC_STATUS = 0x07,
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

int pcap_open(struct pcap_writer *w, const struct pcap_sink *sink, enum pcap_link link)
{
	uint8_t h[24];

	if (!sink || !sink->write || (link != PCAP_EXPORTED_PDU && link != PCAP_UDP))
		return L2_EINVAL;
	memset(w, 0, sizeof(*w));
	w->sink = *sink;
	w->link = link;
	/* Classic pcap, little-endian, microsecond timestamps, version 2.4. */
	put32le(h, 0xa1b2c3d4);
	h[4] = 2;
	h[5] = 0;
	h[6] = 4;
	h[7] = 0;
	put32le(h + 8, 0);
	put32le(h + 12, 0);
	put32le(h + 16, 65535);
	put32le(h + 20, link == PCAP_UDP ? LINKTYPE_IPV4 : LINKTYPE_WIRESHARK_UPPER_PDU);
	return w->sink.write(w->sink.ctx, h, sizeof(h));
}

/*
 * "mac-lte" (over UDP only: the heuristic looks for it; the exported-PDU dissector
 * "mac-lte-framed" starts at the fixed fields), radioType, direction, rntiType, context tags,
 * then the payload tag.
 */
static uint32_t mac_lte_framing(uint8_t *f, const struct mac_lte_ctx *c, bool start_string)
{
	uint32_t n = 0;

	if (start_string) {
		memcpy(f, "mac-lte", 7);
		n = 7;
	}
	f[n++] = MAC_LTE_FDD;
	f[n++] = c->direction;
	f[n++] = c->rnti_type;
	f[n++] = TAG_RNTI;
	put16(f + n, c->rnti);
	n += 2;
	f[n++] = TAG_UEID;
	put16(f + n, c->ueid);
	n += 2;
	f[n++] = TAG_FRAME_SUBFRAME;
	put16(f + n, (uint16_t)((c->sfn & 0x3ff) << 4 | (c->subframe & 0xf)));
	n += 2;
	f[n++] = TAG_RETX;
	f[n++] = c->retx;
	f[n++] = TAG_CRC_STATUS;
	f[n++] = c->crc_ok;
	f[n++] = TAG_PAYLOAD;
	return n;
}

/* RFC 791 header checksum. */
static uint16_t ip_checksum(const uint8_t *p, unsigned len)
{
	uint32_t sum = 0;
	unsigned i;

	for (i = 0; i < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int pcap_write_mac(struct pcap_writer *w, uint64_t time_us, const struct mac_lte_ctx *ctx,
		   const uint8_t *pdu, uint32_t len)
{
	uint8_t rec[16], pre[28 + 20], framing[FRAMING_MAX];
	uint32_t fl = mac_lte_framing(framing, ctx, w->link == PCAP_UDP), pl = 0, total;
	int err;

	if (len > 60000)
		return L2_EMSGSIZE;
	if (w->link == PCAP_EXPORTED_PDU) {
		/* Exported-PDU TLVs: dissector name (padded to 32 bits), end of options. */
		put16(pre, EXP_PDU_TAG_DISSECTOR_NAME);
		put16(pre + 2, 16);
		memset(pre + 4, 0, 16);
		memcpy(pre + 4, "mac-lte-framed", 14);
		put16(pre + 20, 0);
		put16(pre + 22, 0);
		pl = 24;
	} else {
		uint16_t udp_len = (uint16_t)(8 + fl + len);

		memset(pre, 0, 28);
		pre[0] = 0x45;
		put16(pre + 2, (uint16_t)(20 + udp_len));
		put16(pre + 4, w->ip_id++);
		pre[8] = 64;
		pre[9] = 17; /* UDP */
		pre[12] = 127, pre[15] = 1;
		pre[16] = 127, pre[19] = 2;
		put16(pre + 10, ip_checksum(pre, 20));
		put16(pre + 20, MAC_LTE_UDP_PORT);
		put16(pre + 22, MAC_LTE_UDP_PORT);
		put16(pre + 24, udp_len);
		pl = 28;
	}
	total = pl + fl + len;
	put32le(rec, (uint32_t)(time_us / 1000000));
	put32le(rec + 4, (uint32_t)(time_us % 1000000));
	put32le(rec + 8, total);
	put32le(rec + 12, total);
	if ((err = w->sink.write(w->sink.ctx, rec, sizeof(rec))) < 0 ||
	    (err = w->sink.write(w->sink.ctx, pre, pl)) < 0 ||
	    (err = w->sink.write(w->sink.ctx, framing, fl)) < 0 ||
	    (err = w->sink.write(w->sink.ctx, pdu, len)) < 0)
		return err;
	w->frames++;
	return 0;
}

int pcap_write_pdu(struct pcap_writer *w, uint64_t time_us, const char *dissector,
		   const uint8_t *pdu, uint32_t len)
{
	uint8_t rec[16], pre[4 + 32 + 4];
	uint32_t name = (uint32_t)strlen(dissector), padded = (name + 3) & ~3u, pl, total;
	int err;

	if (w->link != PCAP_EXPORTED_PDU || name == 0 || name > 32)
		return L2_EINVAL;
	if (len > 60000)
		return L2_EMSGSIZE;
	/* Exported-PDU TLVs: dissector name (zero-padded to 32 bits), end of options. */
	memset(pre, 0, sizeof(pre));
	put16(pre, EXP_PDU_TAG_DISSECTOR_NAME);
	put16(pre + 2, (uint16_t)padded);
	memcpy(pre + 4, dissector, name);
	pl = 4 + padded + 4;
	total = pl + len;
	put32le(rec, (uint32_t)(time_us / 1000000));
	put32le(rec + 4, (uint32_t)(time_us % 1000000));
	put32le(rec + 8, total);
	put32le(rec + 12, total);
	if ((err = w->sink.write(w->sink.ctx, rec, sizeof(rec))) < 0 ||
	    (err = w->sink.write(w->sink.ctx, pre, pl)) < 0 ||
	    (err = w->sink.write(w->sink.ctx, pdu, len)) < 0)
		return err;
	w->frames++;
	return 0;
}
