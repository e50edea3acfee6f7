/* SPDX-License-Identifier: BSD-2-Clause */
/* The UE's NAS: EMM and the ESM default bearer (TS 24.301 §5, §6), over a USIM and RRC it is given. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2/env.h"
#include "l3/nas.h"
#include "l3/nas_sec.h"
#include "l3/usim.h"

/* EMM main states, TS 24.301 §5.1.3.2.2. */
enum emm_state {
	EMM_NULL,		   /* switched off (CFUN=0) */
	EMM_DEREGISTERED,	   /* waiting to (re)attach: T3411/T3402 may run */
	EMM_DEREGISTERED_NO_RETRY, /* rejected for good (#3, #6, #7, #8, AUTH REJECT) */
	EMM_REGISTERED_INITIATED,
	EMM_REGISTERED,
	EMM_DEREGISTERED_INITIATED,
	EMM_TAU_INITIATED,
};

/* Timer values, TS 24.301 §10.2 Table 10.2.2 (ms). */
#define EMM_T3410_MS  15000
#define EMM_T3411_MS  10000
#define EMM_T3402_MS  (12 * 60 * 1000)
#define EMM_T3421_MS  15000
#define EMM_T3430_MS  15000
#define EMM_ATTEMPTS  5 /* attach attempt counter limit, §5.5.1.2.6 */
#define EMM_T3421_MAX 5 /* detach request transmissions, §5.5.2.2.4 */

enum emm_event {
	EMM_EV_REGISTERED,    /* attach accepted and completed: +CEREG: 1 */
	EMM_EV_DEREGISTERED,  /* detached or the attach gave up: arg = EMM cause or 0 */
	EMM_EV_ATTACH_FAILED, /* one attempt failed, arg = cause (0 for timeout/lower layers) */
	EMM_EV_AUTH_FAILED,   /* arg = EMM cause sent in AUTHENTICATION FAILURE */
	EMM_EV_BEARER_UP,     /* default bearer active: arg = EBI */
	EMM_EV_TAU_DONE,
};

/* What the NAS needs from its host: the USIM (by IPC in firmware), RRC, and a listener. */
struct emm_ops {
	void *ctx;
	/* Send a NAS PDU; `initial` means it opens an RRC connection (an initial NAS message). */
	void (*send)(void *ctx, const uint8_t *pdu, size_t len, bool initial);
	/* AUTHENTICATE on the USIM (TS 31.102 §7.1.2): 0, L2_EAUTH or L2_ESTALE (AUTS set). */
	int (*authenticate)(void *ctx, const uint8_t rand[16], const uint8_t autn[16],
			    struct usim_auth_result *out);
	/* AS security input after a NAS security mode procedure: K_eNB (TS 33.401 §A.3). */
	void (*kenb)(void *ctx, const uint8_t kenb[32]);
	/* Release the RRC connection locally (switch-off detach, failures). */
	void (*release)(void *ctx);
	void (*event)(void *ctx, enum emm_event ev, int arg);
};

struct emm_config {
	char imsi[16];
	char imeisv[17];
	struct nas_plmn plmn;  /* serving network: the SN identity of K_ASME */
	uint8_t ue_net_cap[2]; /* EEA and EIA bits, §9.9.3.34 */
	char apn[NAS_MAX_APN];
};

struct emm_stats {
	uint32_t rx, tx, rx_dropped_unprotected, rx_malformed, rx_mac_failures;
	uint32_t attach_attempts, auth_failures;
};

struct emm_ue {
	struct emm_config cfg;
	struct emm_ops ops;
	const struct l2_env *env;
	enum emm_state state;
	bool has_guti, has_ctx;
	struct nas_mobile_id guti;
	uint8_t n_tai;
	struct nas_tai tai[NAS_MAX_TAI];
	struct nas_sec sec;    /* current EPS security context (has_ctx) */
	uint8_t new_kasme[32]; /* from the last AKA, taken into use by SMC */
	uint8_t new_ksi;
	bool has_new_kasme;
	uint8_t attempts;
	uint8_t t3421_count;
	bool detach_switch_off;
	bool reattach_pending; /* network detach "re-attach required", after the release */
	struct l2_timer t3410, t3411, t3402, t3421, t3430;
	/* ESM: the default bearer of the attach (§6.4.1). */
	uint8_t pti, ebi;
	bool bearer_active;
	uint8_t pdn_type, addr_len, addr[12];
	uint8_t qci;
	struct emm_stats stats;
};

/* Power on (CFUN=1): start an attach (§5.5.1.2.2). L2_EINVAL for a bad configuration. */
int emm_init(struct emm_ue *ue, const struct emm_config *cfg, const struct emm_ops *ops,
	     const struct l2_env *env);
int emm_attach(struct emm_ue *ue);

/* UE-initiated detach (§5.5.2.2), switch-off or not. */
int emm_detach(struct emm_ue *ue, bool switch_off);

/* Tracking area updating on request (§5.5.3.2), e.g. after a TAI change. */
int emm_tau(struct emm_ue *ue);

/* A NAS PDU from the network (RRC DLInformationTransfer or the reconfiguration). */
int emm_rx(struct emm_ue *ue, const uint8_t *pdu, size_t len);

/* RRC could not set up the connection or released it before the procedure ended. */
void emm_lower_layer_failure(struct emm_ue *ue);

/* RRC went back to idle (a normal release); a re-attach waiting for it starts now. */
void emm_conn_released(struct emm_ue *ue);

/* Run timers. */
void emm_tick(struct emm_ue *ue);

/* +CEREG stat (TS 27.007 §10.1.22): 0 not registered, 1 registered, 2 searching, 3 denied. */
int emm_cereg(const struct emm_ue *ue);
