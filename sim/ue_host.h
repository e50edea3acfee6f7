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
	uint8_t ccch[6]; /* RRCConnectionRequest: the contention resolution identity */
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
	uint8_t tb[LINK_MAX_TBS];
	struct ue_host_stats stats;
};

/* Allocate its memory and queue HELLO. 0 or L2_ENOMEM. */
int ue_host_init(struct ue_host *u, const struct ue_host_config *cfg);
void ue_host_free(struct ue_host *u);
/* A message from the simulator on the radio link (`host` false) or the host link. */
void ue_host_rx(struct ue_host *u, bool host, const uint8_t *msg, uint32_t len);
/* The next queued message on that link into `buf`: its length, or 0 when none. */
int ue_host_tx(struct ue_host *u, bool host, uint8_t *buf, uint32_t cap);
