/* SPDX-License-Identifier: BSD-2-Clause */
/* An SRB1 AM transfer with loss (PDCP + RLC AM + MAC) captured as pcap and checked with tshark. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "chan.h"
#include "l2/mac.h"
#include "l2/pcap.h"
#include "l2/pdcp.h"
#include "l2/rlc.h"

#ifndef CAPTURE_PATH
#define CAPTURE_PATH "build/captures/l2_am_transfer.pcap"
#endif
/* The same frames over IPv4/UDP, for the mac_lte_udp heuristic. */
#define CAPTURE_UDP_PATH CAPTURE_PATH ".udp"

#define NBUF  512
#define BSZ   2048
#define NSDU  40
#define CRNTI 0x4601

static struct l2_pool pool;
static struct l2_buf descs[NBUF];
static uint8_t storage[NBUF * BSZ];
static uint32_t now_ms;

static uint32_t clock_ms(void *ctx)
{
	(void)ctx;
	return now_ms;
}

static const struct l2_env env = {.now_ms = clock_ms};

static int file_write(void *ctx, const void *data, uint32_t len)
{
	return fwrite(data, 1, len, ctx) == len ? 0 : L2_EMSGSIZE;
}

/* The UE (PDCP -> RLC AM) and the eNB (RLC AM -> PDCP) on SRB1, LCID 1. */
static struct pdcp_entity ue_pdcp, enb_pdcp;
static struct rlc_am ue_rlc, enb_rlc;
static uint32_t delivered, delivered_ok;
static uint8_t sent[NSDU][512];
static uint16_t sent_len[NSDU];

static void ue_pdcp_tx(void *ctx, struct l2_buf *pdu)
{
	(void)ctx;
	rlc_am_tx_sdu(&ue_rlc, pdu);
}

static void enb_pdcp_rx(void *ctx, struct l2_buf *sdu)
{
	(void)ctx;
	if (delivered < NSDU && sdu->len == sent_len[delivered] &&
	    memcmp(l2_buf_data(sdu), sent[delivered], sdu->len) == 0)
		delivered_ok++;
	delivered++;
	l2_buf_free(sdu);
}

static void enb_rlc_rx(void *ctx, struct l2_buf *sdu)
{
	(void)ctx;
	pdcp_rx_pdu(&enb_pdcp, sdu, false);
}

static void drop_sdu(void *ctx, struct l2_buf *sdu)
{
	(void)ctx;
	l2_buf_free(sdu);
}

static struct l2_buf *ue_rlc_tx(void *ctx, uint32_t max)
{
	(void)ctx;
	return rlc_am_tx_pdu(&ue_rlc, max);
}

/* UPER bits, most significant first. */
struct bitw {
	uint8_t *p;
	uint32_t pos;
};

static void bw_put(struct bitw *b, uint32_t v, unsigned n)
{
	while (n--) {
		if ((v >> n) & 1)
			b->p[b->pos / 8] |= (uint8_t)(0x80 >> (b->pos % 8));
		b->pos++;
	}
}

/*
 * An UL-DCCH-Message (TS 36.331 §6.2.1) ULInformationTransfer-r8 carrying a NAS message
 * that is integrity protected and ciphered (TS 24.301 §9.3.1: security header type 2), so
 * Wireshark decodes every layer and shows the NAS payload as ciphered.
 */
static uint16_t rrc_ul_info_transfer(uint8_t *out, uint32_t k, uint16_t nas_len)
{
	struct bitw b = {.p = out};
	uint16_t i;

	memset(out, 0, 512);
	bw_put(&b, 0, 1); /* UL-DCCH-MessageType: c1 */
	bw_put(&b, 9, 4); /* ulInformationTransfer */
	bw_put(&b, 0, 1); /* criticalExtensions: c1 */
	bw_put(&b, 0, 2); /* ulInformationTransfer-r8 */
	bw_put(&b, 0, 1); /* nonCriticalExtension absent */
	bw_put(&b, 0, 2); /* dedicatedInfoType: dedicatedInfoNAS */
	if (nas_len < 128) {
		bw_put(&b, nas_len, 8);
	} else {
		bw_put(&b, 2, 2);
		bw_put(&b, nas_len, 14);
	}
	bw_put(&b, 0x27, 8); /* security header type 2, EPS mobility management */
	for (i = 1; i < nas_len; i++)
		bw_put(&b, (uint8_t)(k * 13 + i * 101), 8);
	return (uint16_t)((b.pos + 7) / 8);
}

/* Whether an RLC AMD PDU (or segment) carries at least one whole SDU (TS 36.322 §6.2.2.6). */
static bool has_whole_sdu(const uint8_t *p, uint32_t len)
{
	struct rlc_hdr h;
	unsigned i;

	if (rlc_am_parse(p, len, &h) < 0)
		return false;
	for (i = 0; i <= h.n_li; i++)
		if ((i > 0 || !(h.fi & 2)) && (i < h.n_li || !(h.fi & 1)))
			return true;
	return false;
}

#define MAX_FRAMES 2048
static bool frame_whole_sdu[MAX_FRAMES + 1];

static uint32_t run_tshark_on(const char *file, const char *args, char *out, size_t cap)
{
	char cmd[1024];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "tshark -r %s %s 2>/dev/null", file, args);
	p = popen(cmd, "r");
	if (!p)
		return 0;
	n = fread(out, 1, cap - 1, p);
	out[n] = 0;
	pclose(p);
	return (uint32_t)n;
}

static uint32_t run_tshark(const char *args, char *out, size_t cap)
{
	return run_tshark_on(CAPTURE_PATH, args, out, cap);
}

/* TS 36.321 §6.1.2 / TS 36.322 §6.2.1 / TS 36.323 §6.2.2 as Wireshark reads them. */
static void capture_l2_am_transfer_decodes_in_tshark(void)
{
	struct pdcp_config pc = {.rb_id = 1, .srb = true, .sn_bits = 5, .tx_dir = SEC_DIR_UL};
	struct pdcp_ops ue_po = {.tx_pdu = ue_pdcp_tx, .rx_sdu = drop_sdu};
	struct pdcp_ops enb_po = {.tx_pdu = drop_sdu, .rx_sdu = enb_pdcp_rx};
	struct rlc_am_config rc = {.t_poll_retransmit_ms = 40,
				   .t_reordering_ms = 30,
				   .t_status_prohibit_ms = 10,
				   .poll_pdu = 8,
				   .max_retx_threshold = 16,
				   .max_sdus = 64};
	struct rlc_ops ue_ro = {.rx_sdu = drop_sdu}, enb_ro = {.rx_sdu = enb_rlc_rx};
	static struct chan ch;
	struct pcap_writer pw, pu;
	struct pcap_sink sink, usink;
	FILE *uf;
	static char out[1 << 16];
	static uint8_t tb[1024];
	uint32_t k, t, ul_frames = 0, dl_frames = 0, lines = 0, bad = 0;
	char *line;
	FILE *f;

	CU_ASSERT_EQUAL_FATAL(l2_pool_init(&pool, descs, NBUF, storage, BSZ, 96), 0);
	CU_ASSERT_EQUAL_FATAL(system("mkdir -p $(dirname " CAPTURE_PATH ")"), 0);
	f = fopen(CAPTURE_PATH, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	sink = (struct pcap_sink){.ctx = f, .write = file_write};
	CU_ASSERT_EQUAL(pcap_open(&pw, &sink, PCAP_EXPORTED_PDU), 0);
	uf = fopen(CAPTURE_UDP_PATH, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(uf);
	usink = (struct pcap_sink){.ctx = uf, .write = file_write};
	CU_ASSERT_EQUAL(pcap_open(&pu, &usink, PCAP_UDP), 0);
	pdcp_init(&ue_pdcp, &pc, &ue_po, &env, &pool);
	pc.tx_dir = SEC_DIR_DL;
	pdcp_init(&enb_pdcp, &pc, &enb_po, &env, &pool);
	rlc_am_init(&ue_rlc, &rc, &ue_ro, &env, &pool);
	rlc_am_init(&enb_rlc, &rc, &enb_ro, &env, &pool);
	chan_init(&ch, 36322, 15, 0, 0, 0);
	delivered = delivered_ok = 0;
	memset(frame_whole_sdu, 0, sizeof(frame_whole_sdu));

	for (k = 0; k < NSDU; k++) {
		struct l2_buf *b = l2_buf_alloc(&pool);

		sent_len[k] = rrc_ul_info_transfer(sent[k], k, (uint16_t)(20 + (k * 37) % 300));
		l2_buf_append(b, sent[k], sent_len[k]);
		pdcp_tx_sdu(&ue_pdcp, b);
	}
	for (t = 0; t < 5000 && delivered < NSDU; t++) {
		struct mac_lch lch = {
			.lcid = 1, .priority = 1, .pbr = MAC_PBR_INFINITY, .ctx = NULL};
		struct mac_lte_ctx mc = {.rnti_type = MAC_LTE_C_RNTI,
					 .rnti = CRNTI,
					 .ueid = 1,
					 .sfn = (uint16_t)(t / 10 % 1024),
					 .subframe = (uint8_t)(t % 10),
					 .crc_ok = true};
		struct mac_pdu_writer w;
		struct mac_pdu_view v;
		struct l2_buf *pdus[8], *b;
		unsigned n, i;
		uint32_t tbs = 40 + chan_rand(&ch) % 260, retx = ue_rlc.c.stats.tx_retx_pdus;

		now_ms = t;
		/* Uplink: LCP fills a TB; a lost TB is not captured (the eNB never decoded it). */
		lch.tx_pdu = ue_rlc_tx;
		mac_pdu_init(&w, tbs, MAC_UL);
		n = mac_lcp_fill(&lch, 1, &w, pdus, 8);
		if (n) {
			mac_pdu_finish(&w, tb);
			for (i = 0; i < n; i++)
				l2_buf_free(pdus[i]);
			/*
			 * Only first transmissions are lost: Wireshark's sequence analysis calls a
			 * NACK repeated in successive STATUS PDUs an error, which a lost
			 * retransmission would cause.
			 */
			if (ue_rlc.c.stats.tx_retx_pdus != retx || chan_rand(&ch) % 100 >= 15) {
				mc.direction = MAC_LTE_UL;
				pcap_write_mac(&pw, (uint64_t)t * 1000, &mc, tb, tbs);
				pcap_write_mac(&pu, (uint64_t)t * 1000, &mc, tb, tbs);
				ul_frames++;
				CU_ASSERT_EQUAL_FATAL(mac_pdu_parse(tb, tbs, MAC_UL, &v), 0);
				for (i = 0; i < v.n; i++) {
					if (v.e[i].lcid != 1)
						continue;
					if (pw.frames <= MAX_FRAMES &&
					    has_whole_sdu(tb + v.e[i].off, v.e[i].len))
						frame_whole_sdu[pw.frames] = true;
					rlc_am_rx_pdu(&enb_rlc, l2_buf_from(&pool, tb + v.e[i].off,
									    v.e[i].len));
				}
			}
		}
		/* Downlink: the eNB's STATUS PDUs. */
		b = rlc_am_tx_pdu(&enb_rlc, 100);
		if (b) {
			mac_pdu_init(&w, b->len + 2u, MAC_DL);
			mac_pdu_add(&w, 1, l2_buf_data(b), b->len);
			mac_pdu_finish(&w, tb);
			mc.direction = MAC_LTE_DL;
			pcap_write_mac(&pw, (uint64_t)t * 1000 + 500, &mc, tb, b->len + 2u);
			pcap_write_mac(&pu, (uint64_t)t * 1000 + 500, &mc, tb, b->len + 2u);
			dl_frames++;
			rlc_am_rx_pdu(&ue_rlc, b);
		}
		rlc_am_tick(&ue_rlc);
		rlc_am_tick(&enb_rlc);
	}
	fclose(f);
	fclose(uf);
	CU_ASSERT_EQUAL(delivered, NSDU);
	CU_ASSERT_EQUAL(delivered_ok, NSDU);
	CU_ASSERT(ue_rlc.c.stats.tx_retx_pdus > 0);
	CU_ASSERT(dl_frames > 0);

	/* No malformed packet and no error-level expert info anywhere. */
	run_tshark("-Y '_ws.malformed || _ws.expert.severity == error' -T fields -e frame.number",
		   out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "");
	if (out[0])
		fprintf(stderr, "tshark flagged frames: %.200s\n", out);
	/*
	 * Every frame decodes through MAC and RLC; every uplink frame that carries a whole RRC
	 * message through PDCP (and RRC) too. A frame holding only part of an SDU has no PDCP
	 * header: Wireshark shows PDCP where its RLC reassembly completes the SDU.
	 */
	run_tshark("-T fields -e frame.protocols", out, sizeof(out));
	for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		lines++;
		if (!strstr(line, "mac-lte") || !strstr(line, "rlc-lte") ||
		    (lines <= MAX_FRAMES && frame_whole_sdu[lines] &&
		     (!strstr(line, "pdcp-lte") || !strstr(line, "lte_rrc")))) {
			if (bad++ < 3)
				fprintf(stderr, "frame %u not decoded: %s\n", lines, line);
		}
	}
	CU_ASSERT_EQUAL(lines, ul_frames + dl_frames);
	CU_ASSERT_EQUAL(bad, 0);
	/* The UDP framing decodes the same once the heuristic is on. */
	run_tshark_on(CAPTURE_UDP_PATH,
		      "--enable-heuristic mac_lte_udp -Y '_ws.malformed || "
		      "_ws.expert.severity == error || !rlc-lte' -T fields -e frame.number",
		      out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "");
	run_tshark_on(CAPTURE_UDP_PATH,
		      "--enable-heuristic mac_lte_udp -Y 'mac-lte && pdcp-lte' "
		      "-T fields -e frame.number",
		      out, sizeof(out));
	CU_ASSERT(strlen(out) > 0);
	/* And retransmissions are in the capture, as Wireshark sees them. */
	run_tshark("-Y 'rlc-lte.sequence-analysis.retx || rlc-lte.am.segment.offset' -T fields "
		   "-e frame.number",
		   out, sizeof(out));
	CU_ASSERT(strlen(out) > 0);
	rlc_am_release(&ue_rlc);
	rlc_am_release(&enb_rlc);
	pdcp_release(&ue_pdcp);
	pdcp_release(&enb_pdcp);
	chan_purge(&ch);
	CU_ASSERT_EQUAL(pool.avail, NBUF);
}

TEST_SUITE(capture, TEST_CASE(capture_l2_am_transfer_decodes_in_tshark))
