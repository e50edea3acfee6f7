/* SPDX-License-Identifier: BSD-2-Clause */
/* LTE MAC (TS 36.321): PDU mux/demux, control elements, HARQ, LCP and random access. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "l2/buf.h"
#include "l2/env.h"

/* LCID values, TS 36.321 Table 6.2.1-1 (DL-SCH) and 6.2.1-2 (UL-SCH). */
enum {
	MAC_LCID_CCCH = 0,
	MAC_LCID_LCH_MAX = 10,
	MAC_LCID_DL_CRI = 28, /* UE Contention Resolution Identity */
	MAC_LCID_DL_TA = 29,  /* Timing Advance Command */
	MAC_LCID_DL_DRX = 30, /* DRX Command */
	MAC_LCID_UL_PHR = 26, /* Power Headroom Report */
	MAC_LCID_UL_CRNTI = 27,
	MAC_LCID_UL_TBSR = 28, /* Truncated BSR */
	MAC_LCID_UL_SBSR = 29, /* Short BSR */
	MAC_LCID_UL_LBSR = 30, /* Long BSR */
	MAC_LCID_PADDING = 31,
};

enum mac_dir {
	MAC_DL = 0,
	MAC_UL = 1,
};

#define MAC_MAX_ELEMS  32 /* subheaders per PDU this implementation accepts */
#define MAC_NUM_LCG    4
#define MAC_HARQ_PROCS 8

/* One element of a parsed MAC PDU: a MAC SDU or control element at p[off, off + len). */
struct mac_elem {
	uint8_t lcid;
	uint16_t off;
	uint16_t len;
};

struct mac_pdu_view {
	uint8_t n;
	struct mac_elem e[MAC_MAX_ELEMS];
	uint16_t padding; /* bytes of padding (subheaders and trailer) */
};

/* Demultiplex an untrusted MAC PDU (§6.1.2): 0, or L2_EPROTO when malformed. */
int mac_pdu_parse(const uint8_t *p, uint32_t len, enum mac_dir dir, struct mac_pdu_view *v);

/* Size of a fixed-size control element with `lcid`, or -1 for an SDU/padding/reserved LCID. */
int mac_ce_size(uint8_t lcid, enum mac_dir dir);

/* Multiplexing a MAC PDU of exactly `tb_size` bytes (§6.1.2), payloads copied in once. */
struct mac_pdu_writer {
	uint32_t tb_size;
	enum mac_dir dir;
	uint8_t n;
	struct {
		uint8_t lcid;
		uint16_t len;
		const uint8_t *data;
	} e[MAC_MAX_ELEMS];
	uint32_t used; /* bytes if every element so far carried a full subheader */
};

void mac_pdu_init(struct mac_pdu_writer *w, uint32_t tb_size, enum mac_dir dir);
/* Room left for the payload of one more SDU (its subheader already taken off). */
uint32_t mac_pdu_room(const struct mac_pdu_writer *w);
/* Add a control element or SDU (data must stay valid until mac_pdu_finish). */
int mac_pdu_add(struct mac_pdu_writer *w, uint8_t lcid, const uint8_t *data, uint16_t len);
/* Write headers, payloads and padding into `out` (tb_size bytes). Returns tb_size. */
int mac_pdu_finish(struct mac_pdu_writer *w, uint8_t *out);

/* Buffer size index, TS 36.321 Table 6.1.3.1-1, and its upper bound in bytes. */
uint8_t mac_bsr_index(uint32_t bytes);
uint32_t mac_bsr_bytes(uint8_t index);
/* Short/truncated BSR (§6.1.3.1): LCG ID (2 bits) | Buffer Size (6 bits). */
uint8_t mac_ce_short_bsr(uint8_t lcg, uint32_t bytes);
/* Long BSR: four 6-bit buffer sizes for LCG 0..3 in 3 bytes. */
void mac_ce_long_bsr(const uint32_t bytes[MAC_NUM_LCG], uint8_t out[3]);
void mac_ce_long_bsr_parse(const uint8_t in[3], uint8_t idx[MAC_NUM_LCG]);
/*
 * Choose and encode the BSR format (§5.4.5) from the bytes buffered per LCG. A regular or
 * periodic BSR is Long when more than one LCG has data, else Short. A padding BSR
 * (`padding` true, `room` bytes of padding including the subheader) is Long if it fits and
 * more than one LCG has data, else Truncated for `top_lcg` (the LCG of the highest-priority
 * channel with data) or Short. Returns the LCID and writes 1 or 3 bytes to `out`, or
 * L2_EAGAIN when no BSR fits or none is needed.
 */
int mac_bsr_select(const uint32_t bytes[MAC_NUM_LCG], uint8_t top_lcg, bool padding, uint32_t room,
		   uint8_t out[3]);

/* PHR (§6.1.3.6): R R PH(6); TA command (§6.1.3.5): R R TA(6) in Rel-8. */
uint8_t mac_ce_phr(uint8_t ph);
uint8_t mac_ce_ta(uint8_t ta);

/* ---------------------------------------------------------------- HARQ (§5.3.2, §5.4.2) */

struct mac_harq_dl {
	struct {
		bool used, ndi, decoded;
	} p[MAC_HARQ_PROCS];
	uint32_t delivered, duplicates, nacks;
};

/* A DL transport block on process `pid` with `ndi`; `crc_ok` from PHY. Returns true for
 * ACK; *deliver says whether the TB goes to demultiplexing (new data decoded once). */
bool mac_harq_dl_rx(struct mac_harq_dl *h, uint8_t pid, bool ndi, bool crc_ok, bool *deliver);

struct mac_harq_ul {
	uint32_t max_tx; /* maxHARQ-Tx */
	struct {
		struct l2_buf *tb;
		bool ndi, nack;
		uint32_t tx_nb;
	} p[MAC_HARQ_PROCS];
	uint32_t flushed; /* TBs dropped at maxHARQ-Tx */
};

void mac_harq_ul_init(struct mac_harq_ul *h, uint32_t max_tx);
/* UL grant for process `pid`: NDI toggled takes `new_tb` (owned); else an adaptive
 * retransmission. Returns the TB to send (still owned by HARQ) or NULL. */
struct l2_buf *mac_harq_ul_grant(struct mac_harq_ul *h, uint8_t pid, bool ndi,
				 struct l2_buf *new_tb);
/* PHICH feedback for process `pid`. */
void mac_harq_ul_feedback(struct mac_harq_ul *h, uint8_t pid, bool ack);
/* A TTI of process `pid` without a grant: a non-adaptive retransmission after NACK. */
struct l2_buf *mac_harq_ul_tti(struct mac_harq_ul *h, uint8_t pid);
void mac_harq_ul_release(struct mac_harq_ul *h);

/* ---------------------------------------------------------------- LCP (§5.4.3.1) */

#define MAC_PBR_INFINITY UINT32_MAX

struct mac_lch {
	uint8_t lcid;
	uint8_t priority; /* 1 is the highest */
	uint32_t pbr;	  /* prioritisedBitRate in bytes/s, MAC_PBR_INFINITY for infinity */
	uint32_t bsd_ms;  /* bucketSizeDuration */
	uint8_t lcg;
	int64_t bj; /* Bj in bytes */
	void *ctx;
	/* RLC: a PDU of at most `max` bytes, or NULL; and the bytes it has waiting. */
	struct l2_buf *(*tx_pdu)(void *ctx, uint32_t max);
	uint32_t (*buffer_bytes)(void *ctx);
};

/* Add PBR x TTI to every Bj, up to PBR x BSD (§5.4.3.1); call once per TTI of `tti_ms`. */
void mac_lcp_tti(struct mac_lch *ch, unsigned n, uint32_t tti_ms);

/* Fill `w` from the channels by logical channel prioritisation; the RLC PDUs handed out
 * are stored in `pdus` (freed by the caller after mac_pdu_finish). Returns the count. */
unsigned mac_lcp_fill(struct mac_lch *ch, unsigned n, struct mac_pdu_writer *w,
		      struct l2_buf **pdus, unsigned max_pdus);

/* ---------------------------------------------------------------- UE MAC entity */

#define MAC_UE_MAX_LCH 8

struct mac_ue_config {
	uint32_t periodic_bsr_ms; /* periodicBSR-Timer, 0: infinity */
	uint32_t retx_bsr_ms;	  /* retxBSR-Timer */
};

struct mac_ue_stats {
	uint32_t ul_tbs, bsr_regular, bsr_periodic, bsr_padding, sr;
	uint32_t dl_tbs, dl_sdus, dl_malformed, dl_unknown_lcid, ta_commands;
};

/* The UE side of MAC for one cell: BSR triggering, UL TB assembly, DL demultiplexing. */
struct mac_ue {
	struct mac_ue_config cfg;
	const struct l2_env *env;
	struct l2_pool *pool;
	struct mac_lch lch[MAC_UE_MAX_LCH];
	unsigned n_lch;
	/* DL SDUs of a logical channel go to its RLC; the buffer changes owner. */
	void (*rx_sdu)(void *ctx, uint8_t lcid, struct l2_buf *sdu);
	void *rx_ctx;
	bool bsr_regular, bsr_periodic; /* triggered, not yet sent (§5.4.5) */
	bool sr_pending;		/* a regular BSR waits for a grant: ask for one */
	bool had_data[MAC_UE_MAX_LCH];	/* per channel, at the previous TTI */
	struct l2_timer t_periodic, t_retx;
	uint8_t ta; /* last Timing Advance Command */
	bool phr_triggered;
	uint8_t ph; /* power headroom to report (§6.1.3.6) */
	struct mac_ue_stats stats;
};

int mac_ue_init(struct mac_ue *ue, const struct mac_ue_config *cfg, const struct l2_env *env,
		struct l2_pool *pool);
/* Add a logical channel (its RLC hooks, priority, PBR, BSD, LCG). */
int mac_ue_add_lch(struct mac_ue *ue, const struct mac_lch *lch);
/* Once per TTI: Bj buckets, BSR timers and regular/periodic triggers (§5.4.5). */
void mac_ue_tti(struct mac_ue *ue, uint32_t tti_ms);
/* Build the UL MAC PDU for a grant of `tbs` bytes into `out`: BSR and PHR control elements,
 * then SDUs by LCP, then a padding BSR if it fits (§5.4.3, §5.4.5). Returns tbs. */
int mac_ue_ul_tb(struct mac_ue *ue, uint32_t tbs, uint8_t *out);
/* A decoded DL transport block: SDUs to their channels, control elements applied. */
int mac_ue_dl_tb(struct mac_ue *ue, const uint8_t *tb, uint32_t len);

/* ---------------------------------------------------------------- random access (§5.1) */

enum mac_ra_state {
	MAC_RA_IDLE,
	MAC_RA_WAIT_RAR,
	MAC_RA_BACKOFF,
	MAC_RA_WAIT_CR,
	MAC_RA_SUCCESS,
	MAC_RA_FAILED,
};

struct mac_ra_config {
	uint8_t num_preambles;	    /* numberOfRA-Preambles */
	uint8_t preamble_trans_max; /* preambleTransMax */
	uint8_t rar_window;	    /* ra-ResponseWindowSize, subframes */
	uint8_t cr_timer;	    /* mac-ContentionResolutionTimer, subframes */
	int16_t initial_power_dbm;  /* preambleInitialReceivedTargetPower */
	int16_t delta_preamble_db;  /* DELTA_PREAMBLE of the preamble format (§7.6) */
	uint8_t power_ramping_db;   /* powerRampingStep */
};

/* What the random access procedure asks of the PHY (and of RRC for Msg3). */
struct mac_phy_ops {
	void *ctx;
	/* PREAMBLE_RECEIVED_TARGET_POWER in dBm goes with it (§5.1.3). */
	void (*send_preamble)(void *ctx, uint8_t preamble, uint16_t ra_rnti, int16_t target_dbm);
	/* Send Msg3 of `len` bytes on the RAR grant (20-bit UL grant field). */
	void (*send_msg3)(void *ctx, uint32_t ul_grant, uint16_t tc_rnti, const uint8_t *pdu,
			  uint32_t len);
};

struct mac_rar {
	uint8_t rapid;
	uint16_t ta;
	uint32_t ul_grant;
	uint16_t tc_rnti;
};

struct mac_ra {
	struct mac_ra_config cfg;
	struct mac_phy_ops phy;
	const struct l2_env *env;
	enum mac_ra_state state;
	uint32_t preamble_tx_counter;
	uint8_t preamble;
	uint16_t ra_rnti, tc_rnti, c_rnti;
	uint16_t ta;
	uint32_t backoff_ms; /* from the Backoff Indicator, §7.2 */
	uint32_t deadline;   /* end of the RAR window, backoff or contention timer */
	uint8_t msg3[64];    /* Msg3 as sent: CCCH SDU (or C-RNTI CE) */
	uint32_t msg3_len;
	bool ccch;	    /* contention resolved by the identity CE, else by C-RNTI */
	uint16_t crnti_own; /* C-RNTI already held (connected mode RA) */
	uint32_t attempts, failures;
};

int mac_ra_init(struct mac_ra *ra, const struct mac_ra_config *cfg, const struct mac_phy_ops *phy,
		const struct l2_env *env);
/* Start RA (§5.1.1): with `ccch_sdu` (an RRC connection request, >= 6 bytes) for contention
 * resolution by identity, or with c_rnti != 0 to resolve by C-RNTI. */
int mac_ra_start(struct mac_ra *ra, const uint8_t *ccch_sdu, uint32_t len, uint16_t c_rnti);
/* A DL-SCH PDU on the RA-RNTI (§5.1.4): the MAC RAR PDU. */
int mac_ra_rx_rar(struct mac_ra *ra, uint16_t rnti, const uint8_t *pdu, uint32_t len);
/* Contention resolution (§5.1.5): a PDCCH for the C-RNTI, or a PDU on the TC-RNTI. */
int mac_ra_rx_pdcch_crnti(struct mac_ra *ra, uint16_t rnti);
int mac_ra_rx_msg4(struct mac_ra *ra, uint16_t rnti, const uint8_t *pdu, uint32_t len);
/* Timers: RAR window, backoff, mac-ContentionResolutionTimer (1 ms subframes). */
void mac_ra_tick(struct mac_ra *ra);

/* MAC RAR PDU parser (§6.1.5, §6.2.2, §6.2.3): RARs with their RAPIDs and the backoff. */
struct mac_rar_pdu {
	bool has_bi;
	uint8_t bi;
	uint8_t n;
	struct mac_rar rar[16];
};

int mac_rar_parse(const uint8_t *p, uint32_t len, struct mac_rar_pdu *out);
/* Build one, for tests and the network side; returns bytes or L2_EMSGSIZE. */
int mac_rar_write(uint8_t *p, uint32_t cap, const struct mac_rar_pdu *in);
