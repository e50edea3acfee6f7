/* SPDX-License-Identifier: BSD-2-Clause */
/* The host UE model: a UE layer 2 built from protocols/ that speaks the link as the firmware does. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "l2/buf.h"
#include "l2/link.h"
#include "l2/mac.h"
#include "l2/pdcp.h"
#include "l2/rlc.h"
#include "l3/at.h"
#include "l3/emm.h"
#include "l3/rrc_sm.h"
#include "l3/usim.h"
#include "rng.h"

#define UE_HOST_BEARERS	 4
#define UE_HOST_OUTQ	 64 /* host-link messages one input may produce */
#define UE_HOST_BUFS	 1536
#define UE_HOST_BUF_SIZE (LINK_MAX_TBS + 160) /* any RLC PDU of a TB, with headroom */

struct ue_host;

struct ue_host_bearer {
	struct rl_cfg_bearer cfg;
	struct ue_host *ue;
	struct pdcp_entity pdcp;
	union {
		struct rlc_am am;
		struct rlc_um um;
	} rlc;
};

struct ue_host_config {
	unsigned idx;
	uint64_t seed;
	uint32_t max_tbs;	/* announced in HELLO */
	uint32_t dsr_trans_max; /* SRs without a grant before a radio link failure; 0: 64 */
};

/*
 * Layer 3 of the host UE in attach mode (CONFIG without bearers): the USIM, EMM/ESM and
 * RRC of protocols/, driven by AT commands and the SIM on the host link.
 */
struct ue_host_l3 {
	struct rrc_ue rrc;
	struct emm_ue emm;
	struct usim usim;
	struct at_engine at;
	char imsi[16];
	bool sim, powered, attaching;
	bool ra_wanted;	  /* RRC sent a CCCH message: random access carries it */
	bool cell_found;  /* a DL TB passed the CRC check since the radio link failure */
	bool teardown;	  /* the connection ended: layer 2 goes at the next subframe */
	bool release_due; /* EMM asked to leave the connection at release_at */
	uint32_t release_at;
	bool has_keys, cipher_pending, ciphering;
	struct rrc_as_keys keys;
	uint8_t ccch[32];
	uint8_t ccch_len;
	uint32_t dl_hist, dl_hist_n; /* CRC outcomes of the last 32 DL TBs: +CSQ */
	uint32_t at_lines;
	bool at_open; /* an AP_MSG_AT_RSP is being filled */
};

struct ue_host_stats {
	uint32_t rx_refused; /* malformed, out of sequence or unexpected messages */
	uint32_t ra_started, ra_failed, connections, rlf, rlf_rlc, rlf_sr;
	uint32_t dl_tbs, dl_crc_fail, dl_dup, ul_tbs, ul_retx, sr;
	uint32_t ap_ul_pkts, ap_ul_refused, ap_dl_pkts, ap_dl_dropped, srb_rx_sdus;
};

/*
 * One UE. Every message the simulator gives it (ue_host_rx) is answered by exactly one
 * radio-link message and any number of host-link messages, queued for ue_host_tx; the
 * host-link ones come first and are counted in the answer's ap_tx.
 */
struct ue_host {
	struct ue_host_config cfg;
	struct l2_env env;
	uint32_t now;
	struct rng rng;
	bool configured, connected, done, rlf;
	uint32_t rx_seq[2], tx_seq[2]; /* per link: radio 0, host 1 */
	uint32_t rx_msgs, ap_tx;
	struct rl_cfg_mac mac_cfg;
	struct rl_cfg_security sec;
	unsigned n_bearers;
	struct ue_host_bearer bearer[UE_HOST_BEARERS];
	struct mac_ue mac;
	struct mac_ra ra;
	struct mac_harq_dl harq_dl;
	struct mac_harq_ul harq_ul;
	uint16_t c_rnti;
	uint8_t ccch[32]; /* Msg3's CCCH SDU: its first 6 bytes identify the UE (§6.1.3.4) */
	uint8_t ccch_len;
	bool prach_due;
	struct rl_prach prach;
	bool msg3_due;
	uint32_t sr_count;
	/* Memory: buffers for RLC/PDCP, and TBs kept by UL HARQ. */
	struct l2_pool pool, tb_pool;
	struct l2_buf *descs, tb_descs[MAC_HARQ_PROCS + 2];
	uint8_t *storage, *tb_storage;
	/* Outgoing messages. */
	uint8_t radio_out[LINK_MAX_MSG];
	int radio_len; /* 0: none queued */
	uint8_t (*host_out)[LINK_MAX_MSG];
	uint16_t host_len[UE_HOST_OUTQ];
	unsigned host_head, host_n;
	struct link_writer ap; /* the AP_MSG_DATA_DL being filled, when ap_open */
	bool ap_open;
	uint8_t ap_type; /* of the message being filled: AP_MSG_DATA_DL or AP_MSG_AT_RSP */
	uint8_t tb[LINK_MAX_TBS];
	bool attach_mode;
	struct ue_host_l3 *l3; /* attach mode */
	struct ue_host_stats stats;
};

/* Allocate its memory and queue HELLO. 0 or L2_ENOMEM. */
int ue_host_init(struct ue_host *u, const struct ue_host_config *cfg);
void ue_host_free(struct ue_host *u);
/* A message from the simulator on the radio link (`host` false) or the host link. */
void ue_host_rx(struct ue_host *u, bool host, const uint8_t *msg, uint32_t len);
/* The next queued message on that link into `buf`: its length, or 0 when none. */
int ue_host_tx(struct ue_host *u, bool host, uint8_t *buf, uint32_t cap);
