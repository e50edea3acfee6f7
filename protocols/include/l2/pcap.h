/* SPDX-License-Identifier: BSD-2-Clause */
/* pcap capture of MAC PDUs in Wireshark's MAC-LTE framing, written through a caller's sink. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/*
 * Two link types (see protocols/README.md for the tshark command lines):
 *  - PCAP_EXPORTED_PDU: LINKTYPE_WIRESHARK_UPPER_PDU (252) naming the "mac-lte-framed"
 *    dissector; Wireshark decodes it with no options.
 *  - PCAP_UDP: raw IPv4 (LINKTYPE_IPV4, 228) + UDP carrying the framing; Wireshark needs
 *    its mac_lte_udp heuristic enabled.
 */
enum pcap_link {
	PCAP_EXPORTED_PDU,
	PCAP_UDP,
};

/* MAC-LTE framing values (Wireshark packet-mac-lte.h). */
enum {
	MAC_LTE_FDD = 1,
	MAC_LTE_UL = 0,
	MAC_LTE_DL = 1,
	MAC_LTE_NO_RNTI = 0,
	MAC_LTE_P_RNTI = 1,
	MAC_LTE_RA_RNTI = 2,
	MAC_LTE_C_RNTI = 3,
	MAC_LTE_SI_RNTI = 4,
};

/* Where the bytes go (a file on the host, a log buffer in firmware). 0 or negative. */
struct pcap_sink {
	void *ctx;
	int (*write)(void *ctx, const void *data, uint32_t len);
};

struct pcap_writer {
	struct pcap_sink sink;
	enum pcap_link link;
	uint32_t frames;
	uint16_t ip_id;
};

/* Everything Wireshark shows for one MAC PDU. */
struct mac_lte_ctx {
	uint8_t direction; /* MAC_LTE_UL / MAC_LTE_DL */
	uint8_t rnti_type;
	uint16_t rnti;
	uint16_t ueid;
	uint16_t sfn;	  /* system frame number, 0..1023 */
	uint8_t subframe; /* 0..9 */
	uint8_t retx;	  /* HARQ retransmission number, 0 for the first transmission */
	bool crc_ok;
};

/* Write the pcap file header. */
int pcap_open(struct pcap_writer *w, const struct pcap_sink *sink, enum pcap_link link);

/* One record: the framing (start string, context tags, payload tag) and the MAC PDU. */
int pcap_write_mac(struct pcap_writer *w, uint64_t time_us, const struct mac_lte_ctx *ctx,
		   const uint8_t *pdu, uint32_t len);

/*
 * One record of an upper-layer PDU for the named Wireshark dissector ("nas-eps",
 * "lte-rrc.ul.dcch", ...); PCAP_EXPORTED_PDU writers only (L2_EINVAL otherwise).
 */
int pcap_write_pdu(struct pcap_writer *w, uint64_t time_us, const char *dissector,
		   const uint8_t *pdu, uint32_t len);
