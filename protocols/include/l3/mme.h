/* SPDX-License-Identifier: BSD-2-Clause */
/* The network side of EMM/ESM for the simulator: an MME with its HSS (TS 24.301 §5, TS 23.401 §5.3.2). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2/env.h"
#include "l3/nas.h"
#include "l3/nas_sec.h"
#include "l3/usim.h"

#define MME_MAX_SUBSCRIBERS 16
#define MME_MAX_UES	    16
#define MME_T3460_MS	    6000 /* authentication / security mode, §10.2 Table 10.2.2 */
#define MME_T3450_MS	    6000 /* attach accept, TAU accept with a new GUTI */
#define MME_T3422_MS	    6000 /* network detach */
#define MME_RETX_MAX	    5	 /* transmissions before the procedure is aborted */
#define MME_MAX_RESYNC	    2

enum mme_ue_state {
	MME_UE_FREE,
	MME_UE_DEREGISTERED,
	MME_UE_AUTH,   /* AUTHENTICATION REQUEST sent */
	MME_UE_SMC,    /* SECURITY MODE COMMAND sent */
	MME_UE_ACCEPT, /* ATTACH ACCEPT sent, waiting for ATTACH COMPLETE */
	MME_UE_REGISTERED,
	MME_UE_DETACHING, /* network-initiated detach */
};

struct mme_subscriber {
	char imsi[16];
	struct hss_subscriber hss;
	bool used;
};

struct mme_ue {
	enum mme_ue_state state;
	uint32_t conn; /* the S1 connection (eNB UE id) it is reachable on, 0: none */
	int sub;       /* subscriber index */
	struct nas_guti guti;
	bool has_ctx;
	struct nas_sec sec;
	struct eps_av av;
	uint8_t ksi;
	uint8_t ue_net_cap[2];
	uint8_t pti, ebi;
	uint8_t ip[4];
	bool bearer_active;
	uint8_t resyncs;
	uint8_t retx;
	uint8_t last[NAS_MAX_MSG + NAS_SEC_HDR_LEN]; /* the message a timer retransmits */
	size_t last_len;
	struct l2_timer timer;
};

/* Where the MME's output goes: the eNB (S1AP in a real network) and a listener. */
struct mme_ops {
	void *ctx;
	/* Downlink NAS transport on S1 connection `conn`. */
	void (*send)(void *ctx, uint32_t conn, const uint8_t *pdu, size_t len);
	/*
	 * Initial context setup (TS 36.413 §8.3.1): K_eNB, the default bearer (EBI, QCI), and
	 * the NAS PDU (ATTACH ACCEPT) to pass to the UE with the DRB setup.
	 */
	void (*context_setup)(void *ctx, uint32_t conn, const uint8_t kenb[32], uint8_t ebi,
			      uint8_t qci, const uint8_t *nas, size_t len);
	/* UE context release (TS 36.413 §8.3.3). */
	void (*release)(void *ctx, uint32_t conn);
	/* A UE attached (imsi index), detached, failed authentication... for the KPIs. */
	void (*event)(void *ctx, uint32_t conn, const char *what, int sub);
};

struct mme_config {
	struct nas_plmn plmn;
	uint16_t tac;
	uint16_t mmegi;
	uint8_t mmec;
	uint8_t t3412;	    /* GPRS timer value sent in ATTACH ACCEPT */
	uint8_t ip_base[4]; /* UE addresses are base + 1, + 2, ... */
	char apn[NAS_MAX_APN];
};

struct mme_stats {
	uint32_t attaches, detaches, auth_failures, resyncs, rejects, tau;
	uint32_t rx_dropped, rx_malformed;
};

struct mme {
	struct mme_config cfg;
	struct mme_ops ops;
	const struct l2_env *env;
	struct mme_subscriber subs[MME_MAX_SUBSCRIBERS];
	struct mme_ue ues[MME_MAX_UES];
	uint32_t next_tmsi;
	uint32_t next_rand;
	struct mme_stats stats;
};

int mme_init(struct mme *mme, const struct mme_config *cfg, const struct mme_ops *ops,
	     const struct l2_env *env);

/* HSS provisioning: a subscriber's IMSI, K, OPc, SQN and AMF (separation bit set for EPS). */
int mme_add_subscriber(struct mme *mme, const char *imsi, const uint8_t k[16],
		       const uint8_t opc[16], uint64_t sqn);

/* An uplink NAS PDU on S1 connection `conn` (initial UE message or uplink NAS transport). */
int mme_rx(struct mme *mme, uint32_t conn, const uint8_t *pdu, size_t len);

/* The eNB finished the initial context setup (AS security and the DRB are up). */
void mme_context_setup_done(struct mme *mme, uint32_t conn, bool ok);

/* The S1 connection went away (RRC release, radio link failure without recovery). */
void mme_conn_released(struct mme *mme, uint32_t conn);

/* Network-initiated detach of the UE on `conn` (§5.5.2.3). */
int mme_detach(struct mme *mme, uint32_t conn, bool reattach);

void mme_tick(struct mme *mme);

/* The UE context on `conn`, or NULL. */
struct mme_ue *mme_find_conn(struct mme *mme, uint32_t conn);
