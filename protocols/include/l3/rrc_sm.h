/* SPDX-License-Identifier: BSD-2-Clause */
/* RRC procedures: the UE (TS 36.331 §5.3) and the eNB side for the simulator, over the rrc codec. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2/env.h"
#include "l2/link.h"
#include "l3/rrc.h"

/* AS keys for PDCP, TS 33.401 §A.7: from K_eNB with the algorithms of the SMC. */
struct rrc_as_keys {
	uint8_t eea, eia;
	uint8_t k_rrc_enc[16], k_rrc_int[16], k_up_enc[16];
};

void rrc_as_keys_derive(const uint8_t kenb[32], uint8_t eea, uint8_t eia, struct rrc_as_keys *k);

/*
 * shortMAC-I (TS 36.331 §5.3.7.4): the 16 least significant bits of the MAC-I over
 * VarShortMAC-Input (target cell identity, source PCI, source C-RNTI) with the source
 * K_RRCint, COUNT, BEARER and DIRECTION all ones.
 */
uint16_t rrc_short_mac_i(const struct rrc_as_keys *k, uint32_t cell_id, uint16_t pci,
			 uint16_t c_rnti);

/*
 * A radio bearer's layer-2 configuration (RLC, logical channel, PDCP SN length and discard
 * timer) from an SRB-ToAddMod (with the defaults of §9.2.1.1-2) or a DRB-ToAddMod, in
 * the units the layers take: 0 or L2_EINVAL (a value outside the subset, a DRB without
 * its PDCP, RLC, LCID or logical channel configuration).
 */
int rrc_srb_bearer(const struct rrc_srb *s, struct rl_cfg_bearer *b);
int rrc_drb_bearer(const struct rrc_drb *d, struct rl_cfg_bearer *b);
/* The reverse for a DRB: each value rounded up to the next one RRC can express. */
int rrc_drb_from_bearer(const struct rl_cfg_bearer *b, uint8_t ebi, struct rrc_drb *d);

/*
 * DRX-Config of a MAC-MainConfig (§6.3.2) in subframes for mac_drx_configure (TS 36.321
 * §5.7): 0, or L2_EINVAL for an index outside an enumeration (or a spare value). Without DRX
 * or with its release, `out` is all zero: pass NULL to mac_drx_configure then.
 */
struct mac_drx_config;
int rrc_drx_config(const struct rrc_mac_config *m, struct mac_drx_config *out);

/* UE states, §4.2.1, with the two transient ones of connection setup and re-establishment. */
enum rrc_ue_state {
	RRC_UE_IDLE,
	RRC_UE_CONNECTING, /* RRCConnectionRequest sent, T300 */
	RRC_UE_CONNECTED,
	RRC_UE_REESTABLISHING, /* T311 (cell selection), then T301 after the request */
};

/* SRB of a PDU: 0 is CCCH (SRB0), 1 and 2 are DCCH. */
struct rrc_ue_ops {
	void *ctx;
	void (*send)(void *ctx, uint8_t srb, const uint8_t *pdu, size_t len);
	void (*nas)(void *ctx, const uint8_t *pdu, size_t len); /* DL NAS to EMM */
	/* The connection came up, or went down (failure: not a normal release). */
	void (*connection)(void *ctx, bool up, bool failure);
	void (*configure)(void *ctx, const struct rrc_radio_config *rr);
	void (*security)(void *ctx, const struct rrc_as_keys *keys);
	/* §5.3.4.3: verify the SecurityModeCommand's MAC-I with the new K_RRCint (PDCP kept
	 * the PDU, pdcp_verify_last_rx); false fails the procedure. NULL: not checked. */
	bool (*verify_smc)(void *ctx, const struct rrc_as_keys *keys);
	/* §5.3.7.2 / §5.3.7.5: suspend (resume = false) or re-establish and resume SRB1. */
	void (*reestablish_l2)(void *ctx, bool resume);
};

struct rrc_ue_stats {
	uint32_t rx, tx, rx_malformed, rx_unexpected;
	uint32_t setups, rejects, t300_expiries, releases, rlf, reestablishments, reest_failures;
	uint32_t smc_failures;
};

struct rrc_ue {
	struct rrc_ue_ops ops;
	const struct l2_env *env;
	enum rrc_ue_state state;
	struct rrc_ue_eutra_cap cap;
	/* From system information (defaults until SIB2). */
	uint32_t t300_ms, t301_ms, t311_ms;
	uint32_t cell_id;
	uint16_t pci, earfcn;
	bool has_sib1, has_sib2;
	/* The connection. */
	uint16_t c_rnti;
	bool has_s_tmsi;
	uint8_t mmec;
	uint32_t m_tmsi;
	uint8_t nas[1024]; /* initial NAS message awaiting RRCConnectionSetup */
	size_t nas_len;
	uint8_t kenb[32];
	bool has_kenb, security_active;
	struct rrc_as_keys keys;
	uint32_t wait_until; /* RRCConnectionReject waitTime (§5.3.3.8) */
	bool waiting;
	struct l2_timer t300, t301, t311;
	struct rrc_ue_stats stats;
};

void rrc_ue_init(struct rrc_ue *ue, const struct rrc_ue_eutra_cap *cap,
		 const struct rrc_ue_ops *ops, const struct l2_env *env);

/* The serving cell's broadcast (BCCH-BCH / BCCH-DL-SCH); PCI and EARFCN come with it. */
int rrc_ue_rx_bcch(struct rrc_ue *ue, enum rrc_channel ch, const uint8_t *pdu, size_t len,
		   uint16_t pci, uint16_t earfcn);

/* The S-TMSI to identify with in RRCConnectionRequest (from the GUTI); none: random value. */
void rrc_ue_set_s_tmsi(struct rrc_ue *ue, bool valid, uint8_t mmec, uint32_t m_tmsi);

/* The C-RNTI from random access (§5.3.3.1, TS 36.321 §5.1.5). */
void rrc_ue_set_c_rnti(struct rrc_ue *ue, uint16_t c_rnti);

/* K_eNB from NAS after its security mode procedure. */
void rrc_ue_set_kenb(struct rrc_ue *ue, const uint8_t kenb[32]);

/*
 * A NAS PDU to send: in IDLE it opens a connection (§5.3.3.2, `cause` an EstablishmentCause
 * index) and goes in RRCConnectionSetupComplete; when connected in ULInformationTransfer.
 */
int rrc_ue_nas(struct rrc_ue *ue, const uint8_t *nas, size_t len, uint8_t cause);

/* A PDU from SRB0/1/2 (DL-CCCH or DL-DCCH). */
int rrc_ue_rx(struct rrc_ue *ue, uint8_t srb, const uint8_t *pdu, size_t len);

/* Radio link failure (§5.3.11): re-establishment if security is active, else IDLE. */
void rrc_ue_radio_link_failure(struct rrc_ue *ue);

/* A suitable cell was selected while T311 runs: send the re-establishment request (§5.3.7.4). */
int rrc_ue_cell_selected(struct rrc_ue *ue);

/* Leave the connection locally (NAS switch-off detach). */
void rrc_ue_release_local(struct rrc_ue *ue);

void rrc_ue_tick(struct rrc_ue *ue);

/* --- eNB side (simulator): one cell, up to RRC_ENB_MAX_UES UE contexts --- */

#define RRC_ENB_MAX_UES 16

enum rrc_enb_ue_state {
	RRC_ENB_FREE,
	RRC_ENB_SETUP,	    /* RRCConnectionSetup sent */
	RRC_ENB_CONNECTED,  /* SRB1 up, NAS flowing */
	RRC_ENB_SECURITY,   /* SecurityModeCommand sent */
	RRC_ENB_CAPABILITY, /* UECapabilityEnquiry sent */
	RRC_ENB_RECONF,	    /* RRCConnectionReconfiguration sent */
	RRC_ENB_REEST,	    /* RRCConnectionReestablishment sent */
};

struct rrc_enb_ue {
	enum rrc_enb_ue_state state;
	uint16_t rnti;
	uint8_t tid;
	bool security_active, drb_active;
	uint8_t kenb[32];
	struct rrc_as_keys keys;
	uint8_t ebi, qci;
	uint8_t nas[1024]; /* NAS PDU to carry in the next reconfiguration */
	size_t nas_len;
	bool has_cap;
	bool setup_pending; /* the reconfiguration completes an initial context setup */
	struct rrc_ue_eutra_cap cap;
};

struct rrc_enb_ops {
	void *ctx;
	void (*send)(void *ctx, uint16_t rnti, uint8_t srb, const uint8_t *pdu, size_t len);
	void (*s1_nas)(void *ctx, uint16_t rnti, const uint8_t *nas, size_t len, bool initial);
	void (*configure)(void *ctx, uint16_t rnti, const struct rrc_radio_config *rr);
	void (*security)(void *ctx, uint16_t rnti, const struct rrc_as_keys *keys);
	void (*context_setup_done)(void *ctx, uint16_t rnti, bool ok);
	/* The UE context moved to a new C-RNTI (re-establishment) or went away (new = 0). */
	void (*rnti_changed)(void *ctx, uint16_t old_rnti, uint16_t new_rnti);
};

struct rrc_enb_config {
	uint16_t pci, earfcn;
	uint32_t cell_id;
	uint16_t tac;
	struct rrc_plmn plmn;
	uint8_t eea, eia;	   /* AS algorithms to select */
	struct rrc_mac_config mac; /* MAC-MainConfig given with the DRB (DRX, BSR, PHR, TA) */
	bool has_drb;		   /* the default bearer's DRB as `drb` (its EBI set per UE) */
	struct rrc_drb drb;
	struct rrc_sib2 sib2; /* what SIB2 broadcasts (UE timers and constants, ...) */
};

struct rrc_enb_stats {
	uint32_t rx, rx_malformed, setups, rejects, reest, reest_rejects, releases;
};

struct rrc_enb {
	struct rrc_enb_config cfg;
	struct rrc_enb_ops ops;
	const struct l2_env *env;
	struct rrc_enb_ue ues[RRC_ENB_MAX_UES];
	bool reject_all; /* test hook: answer every request with RRCConnectionReject */
	struct rrc_enb_stats stats;
};

int rrc_enb_init(struct rrc_enb *enb, const struct rrc_enb_config *cfg,
		 const struct rrc_enb_ops *ops, const struct l2_env *env);

/* System information to broadcast: MIB, SIB1 or SI (SIB2) encoded into buf. */
int rrc_enb_bcch(const struct rrc_enb *enb, uint8_t type, uint16_t sfn, uint8_t *buf, size_t cap);

/* An uplink PDU of the UE on `rnti` (SRB0: UL-CCCH). */
int rrc_enb_rx(struct rrc_enb *enb, uint16_t rnti, uint8_t srb, const uint8_t *pdu, size_t len);

/* From the MME: downlink NAS, initial context setup, UE context release. */
int rrc_enb_dl_nas(struct rrc_enb *enb, uint16_t rnti, const uint8_t *nas, size_t len);
int rrc_enb_context_setup(struct rrc_enb *enb, uint16_t rnti, const uint8_t kenb[32], uint8_t ebi,
			  uint8_t qci, const uint8_t *nas, size_t len);
int rrc_enb_release(struct rrc_enb *enb, uint16_t rnti);

struct rrc_enb_ue *rrc_enb_find(struct rrc_enb *enb, uint16_t rnti);
