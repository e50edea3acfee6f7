/* SPDX-License-Identifier: BSD-2-Clause */
/* PDCP entity (TS 36.323 Rel-8): SNs, COUNT/HFN, in-order delivery, status reports, security. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "l2/buf.h"
#include "l2/env.h"
#include "l2/sec.h"

#define PDCP_MAX_SDU	 8188 /* TS 36.323 §4.3.1 */
#define PDCP_MAC_I_LEN	 4
#define PDCP_TX_PENDING	 128 /* SDUs waiting for delivery or discard per entity */
#define PDCP_RX_STORE	 64  /* out-of-order SDUs held for in-order delivery */
#define PDCP_HEADROOM	 2   /* largest data PDU header */
#define PDCP_LAST_RX_MAX 64  /* SRB PDU kept for a later integrity check (SecurityModeCommand) */

/* PDU type of a control PDU, TS 36.323 §6.3.8. */
enum pdcp_ctrl_type {
	PDCP_CTRL_STATUS = 0,
	PDCP_CTRL_ROHC_FB = 1,
};

struct pdcp_config {
	uint8_t rb_id;	     /* radio bearer identity: BEARER = rb_id - 1 (§5.6, §5.7) */
	bool srb;	     /* SRB: 5-bit SN and MAC-I; else DRB */
	bool rlc_am;	     /* DRB on RLC AM (12-bit SN) or UM (7 or 12) */
	uint8_t sn_bits;     /* 5 (SRB), 7 or 12 (DRB) */
	uint8_t tx_dir;	     /* DIRECTION of what this entity sends (SEC_DIR_UL in a UE) */
	uint32_t discard_ms; /* discardTimer, 0: infinity (§5.4) */
	/* AM DRB: keep a copy of each SDU until RLC confirms it, so that a re-establishment
	 * retransmits what was not confirmed (§5.2.1.1). Costs a copy per SDU. */
	bool keep_sdus;
	/* Optional, for faster 128-EEA2: an initialised table, outliving the entity (l2/aes.h). */
	const struct aes128_pair_table *aes_pair;
};

/* What the entity calls; buffers passed to tx_pdu and rx_sdu change owner. */
struct pdcp_ops {
	void *ctx;
	void (*tx_pdu)(void *ctx, struct l2_buf *pdu);	      /* to RLC; pdu->tag = COUNT */
	void (*tx_discard)(void *ctx, uint32_t count);	      /* RLC: drop the SDU with COUNT */
	void (*rx_sdu)(void *ctx, struct l2_buf *sdu);	      /* to the upper layer */
	void (*integrity_failure)(void *ctx, uint32_t count); /* to RRC, §5.7 */
};

struct pdcp_stats {
	uint32_t tx_sdus, tx_control, tx_discarded, tx_rejected, tx_retransmitted;
	uint32_t rx_pdus, rx_delivered, rx_duplicates, rx_malformed, rx_integrity_fail;
	uint32_t rx_control, rx_no_buffer;
};

struct pdcp_pending {
	uint32_t count;
	uint32_t deadline;
	struct l2_buf *copy; /* keep_sdus: the SDU as it came */
};

struct pdcp_entity {
	struct pdcp_config cfg;
	struct pdcp_ops ops;
	const struct l2_env *env;
	struct l2_pool *pool; /* control PDUs come from here */
	enum sec_eea cipher;
	enum sec_eia integrity;
	struct sec_key kenc, kint;
	uint32_t sn_mask; /* Maximum_PDCP_SN */
	/* Transmitting side, §7.1. */
	uint32_t tx_next_sn, tx_hfn;
	struct pdcp_pending pending[PDCP_TX_PENDING]; /* ring, ascending COUNT */
	uint32_t pend_head, pend_n;
	/* Receiving side, §7.1. */
	uint32_t rx_next_sn, rx_hfn, last_submitted_sn;
	struct l2_buf *store[PDCP_RX_STORE]; /* by SN modulo, tag = COUNT */
	uint32_t n_stored;		     /* non-NULL entries of store[] */
	/* An SRB without integrity yet keeps its last PDU (deciphered, with its MAC-I). */
	uint8_t last_rx[PDCP_LAST_RX_MAX];
	uint16_t last_rx_len; /* 0: none */
	uint32_t last_rx_count;
	struct pdcp_stats stats;
};

/* Set up an entity in its initial state (§7.1); L2_EINVAL for an invalid configuration. */
int pdcp_init(struct pdcp_entity *e, const struct pdcp_config *cfg, const struct pdcp_ops *ops,
	      const struct l2_env *env, struct l2_pool *pool);

/* Activate security: ciphering for all RBs, integrity for SRBs (§5.6, §5.7). */
int pdcp_set_security(struct pdcp_entity *e, enum sec_eea cipher, const uint8_t kenc[16],
		      enum sec_eia integrity, const uint8_t kint[16]);

/* Activate security from K_eNB (TS 33.401 §7.2.1, §A.7): an SRB takes K_RRCenc and
 * K_RRCint, a DRB K_UPenc, each derived for the algorithm identity chosen. */
int pdcp_set_security_kenb(struct pdcp_entity *e, const uint8_t kenb[32], enum sec_eea cipher,
			   enum sec_eia integrity);

/*
 * TS 36.331 §5.3.4.3: the SecurityModeCommand arrives on an SRB without integrity and
 * is to be verified with the algorithm and K_RRCint it brings. Check the MAC-I of the last
 * PDU this SRB received before integrity was on: 0, L2_EAUTH (mismatch) or L2_ESTATE
 * (none kept: integrity already on, or a PDU above PDCP_LAST_RX_MAX bytes).
 */
int pdcp_verify_last_rx(const struct pdcp_entity *e, enum sec_eia integrity,
			const uint8_t kint[16]);

/* Send an SDU (§5.1.1): SN, MAC-I, ciphering, header; the buffer needs PDCP_HEADROOM and,
 * on an SRB, 4 bytes of tailroom. Consumes `sdu` even on error. */
int pdcp_tx_sdu(struct pdcp_entity *e, struct l2_buf *sdu);

/* RLC AM confirms delivery of the PDU with `count`: its discard timer stops (§5.4). */
void pdcp_tx_delivered(struct pdcp_entity *e, uint32_t count);
/* ... of every PDU up to and including `count` (RLC reports the last SDU of each PDU). */
void pdcp_tx_delivered_upto(struct pdcp_entity *e, uint32_t count);

/* A PDU from RLC (§5.1.2); `reestablish` marks PDUs delivered by an RLC re-establishment.
 * Consumes `pdu`; returns 0 or the reason it was dropped (counted in stats). */
int pdcp_rx_pdu(struct pdcp_entity *e, struct l2_buf *pdu, bool reestablish);

/* Build a PDCP status report (§5.3.1, §6.2.6) for a 12-bit-SN AM DRB and send it. */
int pdcp_tx_status_report(struct pdcp_entity *e);

/* Re-establishment (§5.2): SRB and UM state reset; AM DRBs keep COUNTs and, with keep_sdus,
 * send again every SDU RLC has not confirmed, in COUNT order, with the keys now set. */
void pdcp_reestablish(struct pdcp_entity *e);

/* Free every buffer the entity holds (before it is dropped or re-initialised). */
void pdcp_release(struct pdcp_entity *e);

/* Expire discard timers (§5.4). */
void pdcp_tick(struct pdcp_entity *e);
