/* SPDX-License-Identifier: BSD-2-Clause */
/* The simulated eNB's layer 2 for N UEs: random access, scheduling, HARQ, RLC/PDCP peers. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "harq.h"
#include "l2/buf.h"
#include "l2/link.h"
#include "l2/mac.h"
#include "l2/mac_drx.h"
#include "l2/pdcp.h"
#include "l2/rlc.h"
#include "l3/rrc_sm.h"
#include "rng.h"
#include "sched.h"

#define ENB_MAX_UES	SCHED_MAX_UES
#define ENB_MAX_BEARERS 4  /* SRB1, SRB2 and DRBs, as CONFIG describes them */
#define ENB_MAX_RA	16 /* random access attempts in progress */
#define ENB_MSG3_TBS	16 /* bytes granted for Msg3: a CCCH SDU of up to 13 bytes */
#define ENB_MSG4_TBS	8  /* Msg4: the Contention Resolution Identity CE and padding */
#define ENB_RAR_DELAY	3  /* subframes from a preamble to its RAR (TS 36.321 §5.1.4) */
#define ENB_MIN_TBS	8  /* smallest grant worth sending */
#define ENB_HEADROOM	96
/* A buffer holds any RLC PDU a TB can carry (a UE may fill a whole TB with one). */
#define ENB_BUF_SIZE (LINK_MAX_TBS + ENB_HEADROOM + 64)

/* What an eNB puts in one UE's DL message of a subframe. */
#define ENB_DL_MAX_TB	 2
#define ENB_DL_MAX_GRANT 2

struct enb_dl_tb {
	struct rl_dl_tb tb; /* tb.tb points into the eNB, valid until the next subframe */
	uint8_t rnti_type;  /* MAC_LTE_RA_RNTI or MAC_LTE_C_RNTI (l2/pcap.h) */
	uint8_t retx;	    /* HARQ retransmission number, 0 for new data */
};

struct enb_dl_out {
	uint8_t n_tb, n_grant, n_phich;
	struct enb_dl_tb tb[ENB_DL_MAX_TB];
	struct rl_ul_grant grant[ENB_DL_MAX_GRANT];
	struct rl_phich ph[2]; /* an ACK (or drop NACK) of N - 4; a NACK with a retx grant */
};

enum enb_ue_state {
	ENB_UE_IDLE, /* no connection: random access only */
	ENB_UE_MSG4, /* Msg3 decoded: contention resolution (Msg4) on the TC-RNTI */
	ENB_UE_CONNECTED,
};

struct enb;
struct enb_ue;

struct enb_bearer {
	struct rl_cfg_bearer cfg;
	struct enb *enb;
	struct enb_ue *ue;
	struct pdcp_entity pdcp;
	union {
		struct rlc_am am;
		struct rlc_um um;
	} rlc;
};

struct enb_ue_stats {
	uint32_t prach, rar, msg3, msg4, connections, reconnections, rlf;
	uint32_t dl_tbs, dl_bytes, ul_tbs, ul_bytes;	 /* TBs and TB bytes first sent / decoded */
	uint32_t ul_crc_fail, ul_malformed, ul_refused;	 /* TBs */
	uint32_t dl_ip_pkts, dl_ip_bytes, dl_ip_refused; /* network side into the DRB */
	uint32_t ul_ip_pkts, ul_ip_bytes;		 /* out of the DRB to the network */
	uint32_t srb_rx_sdus, sr, bsr, refused;
	uint32_t rlc_retx; /* RLC PDUs retransmitted by released entities */
};

/* Layer-3 events of one UE (attach mode), as the MME and the eNB's RRC saw them. */
struct enb_l3_stats {
	uint32_t rrc_setups, rrc_reest, rrc_releases;
	uint32_t attaches, detaches, auth_failures, resyncs, attach_rejects, auth_rejects;
	uint32_t first_attach_sf; /* subframe of the first attach accepted + 1, 0: none */
};

#define ENB_CCCH_MAX 64 /* a DL-CCCH message for Msg4 */

struct enb_ue {
	unsigned idx;
	struct enb *enb;
	enum enb_ue_state state;
	bool awake;		 /* the runner: this UE gets a DL message this subframe */
	bool ever_connected;	 /* bearers hold state from an earlier connection */
	bool rlf_pending;	 /* an RLC entity reached maxRetxThreshold */
	uint16_t rnti;		 /* C-RNTI (TC-RNTI while in ENB_UE_MSG4) */
	uint16_t max_tbs;	 /* from the UE's HELLO */
	uint16_t bpp_dl, bpp_ul; /* bytes per PRB: this UE's channel quality */
	uint8_t cri[6];		 /* UE Contention Resolution Identity, §6.1.3.4 */
	int msg4_pid;		 /* DL process carrying Msg4, -1 when none */
	bool msg4_due;		 /* Msg4 still to be sent */
	bool crnti_grant;	 /* contention resolved by C-RNTI: grant on the C-RNTI now */
	bool sr;
	uint32_t bsr[MAC_NUM_LCG]; /* bytes the UE reported per LCG, less what came since */
	uint32_t bsr_sf;	   /* when the TB that last set bsr[] was built */
	struct harq_dl dl;
	struct harq_ul ul;
	unsigned n_bearers;
	struct enb_bearer bearer[ENB_MAX_BEARERS];
	struct mac_lch lch[ENB_MAX_BEARERS];
	struct enb_dl_out out;
	/* Attach mode: RRC's DL-CCCH message for Msg4, the AS keys, a release to finish. */
	uint8_t ccch_dl[ENB_CCCH_MAX];
	uint16_t ccch_len;
	bool has_keys, ciphering;
	struct rrc_as_keys keys;
	bool release_due;
	uint32_t release_at;
	struct enb_l3_stats l3;
	/* Connected-mode DRX as the eNB follows it (enb_drx.c): from the connection on. */
	bool drx_started;
	struct mac_drx drx;
	uint32_t drx_held; /* subframes the UE asked for but was not in Active Time */
	uint8_t page[16];  /* the Paging message of this subframe (enb_paging.c) */
	uint32_t pages;	   /* Paging messages sent for this UE */
	struct enb_ue_stats stats;
	uint8_t harq_store[HARQ_PROCS][LINK_MAX_TBS];
};

enum enb_ra_state {
	ENB_RA_FREE,
	ENB_RA_RAR_DUE, /* preamble seen: RAR to send from prach_sf + ENB_RAR_DELAY */
	ENB_RA_MSG3,	/* RAR sent: Msg3 awaited on tc_rnti */
};

struct enb_ra {
	uint8_t state;
	uint8_t preamble;
	uint16_t ra_rnti, tc_rnti;
	uint32_t prach_sf, msg3_sf;
	uint32_t ues; /* bitmap of the UEs that sent this preamble in this subframe */
};

/* A subscriber as the HSS holds it (attach mode). */
struct enb_subscriber {
	char imsi[16];
	uint8_t k[16], opc[16];
	uint64_t sqn; /* SQN_HE */
};

struct enb_config {
	unsigned n_ue;
	bool attach; /* layer 3: RRC, NAS and the MME set up the bearers, not CONFIG */
	struct enb_subscriber sub[ENB_MAX_UES]; /* the HSS, one subscriber per UE */
	uint64_t seed;
	uint16_t prbs_dl, prbs_ul;		     /* cell bandwidth in PRBs per direction */
	uint16_t bytes_per_prb_dl, bytes_per_prb_ul; /* cell default; per UE below */
	uint16_t ue_bpp_dl[ENB_MAX_UES], ue_bpp_ul[ENB_MAX_UES]; /* 0: the cell default */
	enum sched_policy policy;
	uint8_t max_harq_tx_dl; /* the eNB's DL transmission limit */
	uint16_t sr_grant;	/* bytes granted on a scheduling request */
	uint16_t rar_window;	/* subframes the RAR may wait (ra-ResponseWindowSize) */
	uint32_t rlc_max_sdus;	/* SDU queue of each eNB RLC entity */
	uint32_t pool_bufs;	/* buffers per UE in the eNB's pool */
	struct rl_cfg_mac mac;	/* as in CONFIG; max_harq_tx is the UL limit */
	struct rl_cfg_bearer bearer[ENB_MAX_BEARERS];
	unsigned n_bearers;
	struct rl_cfg_security sec;
	bool drx_on;	       /* CONFIG carries DRX: the UEs sleep outside their Active Time */
	struct rl_cfg_drx drx; /* ... this DRX-Config (checked with mac_drx_configure) */
	bool paging_on;	       /* UEs start idle and are paged when DL data comes */
	struct rl_cfg_paging paging; /* ... UE i: ue_id + i, m_tmsi + i (enb_paging.c) */
	/* The network side: an UL IP packet out of a DRB (not kept after the call). */
	void (*rx_ip)(void *ctx, unsigned ue, uint8_t rb_id, const uint8_t *pkt, uint16_t len);
	void (*log)(void *ctx, enum l2_log_level level, const char *event, int32_t a, int32_t b);
	/* Attach mode: each NAS message of `ue` in plain text, as the NAS layers see it. */
	void (*nas)(void *ctx, unsigned ue, bool ul, const uint8_t *pdu, uint32_t len);
	void *ctx;
};

struct enb_stats {
	uint32_t ra_records_full, ra_expired, msg3_collisions, c_rnti_next;
	uint32_t prbs_dl_used, prbs_ul_used; /* summed over subframes */
};

struct enb {
	struct enb_config cfg;
	struct l2_env env;
	uint32_t now; /* the subframe being run: the entities' millisecond clock */
	struct rng rng;
	struct l2_pool pool;
	struct l2_buf *descs;
	uint8_t *storage;
	struct sched sched_dl, sched_ul;
	uint16_t next_rnti;
	struct enb_ra ra[ENB_MAX_RA];
	uint8_t rar_pdu[10][16 * 7 + 1]; /* per RA-RNTI: the RAR PDU of this subframe */
	uint8_t scratch[LINK_MAX_TBS];	 /* a DL TB being built */
	struct enb_stats stats;
	struct enb_ue *ue; /* cfg.n_ue of them */
	struct enb_l3 *l3; /* attach mode */
};

/* Set up the cell and its UE contexts (calloc'd once); 0 or L2_EINVAL / L2_ENOMEM. */
int enb_init(struct enb *e, const struct enb_config *cfg);
void enb_free(struct enb *e);

/* DRX (enb_drx.c). Whether UE `ue` is in Active Time in subframe `sf` as far as the eNB
 * knows before scheduling it (always true without DRX or a connection). */
bool enb_drx_active(struct enb *e, unsigned ue, uint32_t sf);
/* After the UL message of `sf` (before enb_end_subframe): what the eNB sent and learnt in
 * `sf` moves its copy of the UE's DRX on, as the UE's MAC moves its own. */
void enb_drx_end(struct enb *e, unsigned ue, uint32_t sf);

/* Paging (enb_paging.c): UE `ue`'s paging configuration; the Paging messages of `sf`. */
void enb_paging_ue(const struct enb *e, unsigned ue, struct rl_cfg_paging *out);
void enb_paging_subframe(struct enb *e, uint32_t sf, uint32_t *prbs);

/* Schedule subframe `sf` for the UEs marked awake: fills each one's `out`. */
void enb_subframe(struct enb *e, uint32_t sf);

/* What the UL message of subframe `sf` of UE `ue` carried. Refused items return
 * L2_ESTALE / L2_EPROTO / L2_ESTATE and are counted. `retx` gives the HARQ retransmission
 * number of an UL TB (for captures). */
int enb_rx_ul_tb(struct enb *e, unsigned ue, uint32_t sf, const struct rl_ul_tb *tb, uint8_t *retx);
int enb_rx_harq_ack(struct enb *e, unsigned ue, uint32_t sf, const struct rl_harq_ack *a);
int enb_rx_sr(struct enb *e, unsigned ue, uint32_t sf);
int enb_rx_prach(struct enb *e, unsigned ue, uint32_t sf, const struct rl_prach *p);
/* The UL message of `ue` for `sf` is complete: missing HARQ feedback and TBs are DTX. */
void enb_ul_end(struct enb *e, unsigned ue, uint32_t sf);
/* Every UE's UL message of `sf` is in: contention, radio link failures, averages. */
void enb_end_subframe(struct enb *e, uint32_t sf);

/* The network side: an IP packet into the DRB `rb_id` of `ue` (copied). L2_ESTATE when the
 * UE is not connected, L2_ENOMEM when the bearer's queue is full (not admitted). */
int enb_tx_ip(struct enb *e, unsigned ue, uint8_t rb_id, const uint8_t *pkt, uint16_t len);
/* Bytes waiting in the eNB's RLC for the DRB `rb_id` of `ue`. */
uint32_t enb_dl_queued(const struct enb *e, unsigned ue, uint8_t rb_id);
/* RLC retransmitted PDUs, summed over the UE's bearers. */
uint32_t enb_rlc_retx(const struct enb *e, unsigned ue);
