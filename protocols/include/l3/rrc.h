/* SPDX-License-Identifier: BSD-2-Clause */
/* RRC messages of connection setup and use (TS 36.331 Rel-8 subset §6.2.2) in unaligned PER. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Logical channels and their message classes, TS 36.331 §6.2.1. */
enum rrc_channel {
	RRC_BCCH_BCH,
	RRC_BCCH_DL_SCH,
	RRC_DL_CCCH,
	RRC_DL_DCCH,
	RRC_UL_CCCH,
	RRC_UL_DCCH,
};

enum rrc_msg_type {
	RRC_MIB,
	RRC_SIB1,
	RRC_SI, /* SystemInformation carrying SIB2 */
	RRC_CONN_REQUEST,
	RRC_REEST_REQUEST,
	RRC_CONN_SETUP,
	RRC_CONN_REJECT,
	RRC_REEST,
	RRC_REEST_REJECT,
	RRC_SETUP_COMPLETE,
	RRC_SMC_COMPLETE,
	RRC_SMC_FAILURE,
	RRC_UE_CAP_INFO,
	RRC_RECONF_COMPLETE,
	RRC_UL_INFO,
	RRC_REEST_COMPLETE,
	RRC_SMC,
	RRC_UE_CAP_ENQUIRY,
	RRC_RECONF,
	RRC_DL_INFO,
	RRC_RELEASE,
	RRC_MSG_TYPES
};

#define RRC_MAX_DRB	11 /* maxDRB */
#define RRC_MAX_SRB	2
#define RRC_MAX_PLMN	6 /* maxPLMN-r11 */
#define RRC_MAX_SI	4 /* SI messages this codec keeps (maxSI-Message is 32) */
#define RRC_MAX_SIB_MAP 8
#define RRC_MAX_RAT	8 /* maxRAT-Capabilities */
#define RRC_MAX_BANDS	8 /* bands this codec keeps (maxBands is 64) */

/* An OCTET STRING value: encode reads `p`; decode points `p` into the caller's scratch. */
struct rrc_octets {
	const uint8_t *p;
	uint16_t len;
};

struct rrc_plmn {
	bool has_mcc;
	uint8_t mcc[3];
	uint8_t mnc_len; /* 2 or 3 */
	uint8_t mnc[3];
};

/* RLC-Config (§6.3.2): AM or UM bi-directional; enum fields carry the ASN.1 index. */
enum rrc_rlc_mode {
	RRC_RLC_AM,
	RRC_RLC_UM_BI,
	RRC_RLC_UM_UL,
	RRC_RLC_UM_DL,
};

struct rrc_rlc_config {
	uint8_t mode;		    /* enum rrc_rlc_mode */
	uint8_t t_poll_retransmit;  /* T-PollRetransmit index: ms5 + 5 ms steps to ms250, ... */
	uint8_t poll_pdu;	    /* PollPDU index: p4, p8, ..., pInfinity */
	uint8_t poll_byte;	    /* PollByte index: kB25 ... kBinfinity */
	uint8_t max_retx_threshold; /* t1, t2, t3, t4, t6, t8, t16, t32 */
	uint8_t t_reordering;	    /* T-Reordering index: ms0 + 5 ms steps ... */
	uint8_t t_status_prohibit;  /* T-StatusProhibit index */
	uint8_t ul_sn_10, dl_sn_10; /* UM SN-FieldLength: 0 size5, 1 size10 */
};

struct rrc_lch_config {
	bool has_ul;
	uint8_t priority;	      /* 1..16 */
	uint8_t prioritised_bit_rate; /* kBps0, 8, 16, 32, 64, 128, 256, infinity */
	uint8_t bucket_size_duration; /* ms50, 100, 150, 300, 500, 1000 */
	bool has_lcg;
	uint8_t lcg; /* 0..3 */
};

struct rrc_pdcp_config {
	bool has_discard_timer, has_rlc_am, has_rlc_um;
	uint8_t discard_timer; /* ms50, 100, 150, 300, 500, 750, 1500, infinity */
	bool status_report_required;
	uint8_t um_sn_12; /* pdcp-SN-Size: 0 len7bits, 1 len12bits */
};

struct rrc_srb {
	uint8_t id; /* 1..2 */
	bool has_rlc, rlc_default, has_lch, lch_default;
	struct rrc_rlc_config rlc;
	struct rrc_lch_config lch;
};

struct rrc_drb {
	bool has_eps_bearer_id, has_pdcp, has_rlc, has_lcid, has_lch;
	uint8_t eps_bearer_id; /* 0..15 */
	uint8_t drb_id;	       /* 1..32 */
	uint8_t lcid;	       /* 3..10 */
	struct rrc_pdcp_config pdcp;
	struct rrc_rlc_config rlc;
	struct rrc_lch_config lch;
};

/* MAC-MainConfig (§6.3.2) with DRX; enum fields are ASN.1 indexes. */
struct rrc_mac_config {
	bool has_ul_sch, has_drx, has_phr;
	bool has_max_harq_tx, has_periodic_bsr;
	uint8_t max_harq_tx, periodic_bsr_timer, retx_bsr_timer;
	bool tti_bundling;
	bool drx_setup; /* false: release */
	uint8_t on_duration_timer, drx_inactivity_timer, drx_retx_timer;
	uint8_t long_cycle;  /* longDRX-CycleStartOffset choice: sf10 .. sf2560 */
	uint16_t drx_offset; /* its start offset */
	bool has_short_drx;
	uint8_t short_cycle, short_cycle_timer; /* shortDRX-Cycle index, drxShortCycleTimer 1..16 */
	uint8_t time_alignment_timer;		/* sf500 .. infinity */
	bool phr_setup;
	uint8_t periodic_phr_timer, prohibit_phr_timer, dl_pathloss_change;
};

struct rrc_radio_config {
	uint8_t n_srb, n_drb, n_drb_release;
	struct rrc_srb srb[RRC_MAX_SRB];
	struct rrc_drb drb[RRC_MAX_DRB];
	uint8_t drb_release[RRC_MAX_DRB];
	bool has_mac, mac_default;
	struct rrc_mac_config mac;
};

struct rrc_mib {
	uint8_t dl_bandwidth; /* n6, n15, n25, n50, n75, n100 */
	uint8_t phich_duration, phich_resource;
	uint8_t sfn_msb; /* the 8 most significant bits of the SFN */
};

struct rrc_sched_info {
	uint8_t periodicity; /* rf8 .. rf512 */
	uint8_t n_sib;
	uint8_t sib[RRC_MAX_SIB_MAP]; /* SIB-Type index: 0 = sibType3 */
};

struct rrc_sib1 {
	uint8_t n_plmn;
	struct rrc_plmn plmn[RRC_MAX_PLMN];
	bool reserved[RRC_MAX_PLMN];
	uint16_t tac;
	uint32_t cell_id; /* 28 bits */
	bool barred, intra_freq_not_allowed, csg_indication;
	int8_t q_rx_lev_min; /* -70..-22 (x 2 dBm) */
	bool has_p_max;
	int8_t p_max; /* -30..33 */
	uint8_t freq_band;
	uint8_t n_sched;
	struct rrc_sched_info sched[RRC_MAX_SI];
	bool has_tdd;
	uint8_t tdd_sa, tdd_ssp;
	uint8_t si_window; /* ms1, 2, 5, 10, 15, 20, 40 */
	uint8_t value_tag;
};

/* SystemInformationBlockType2 (§6.3.1), the Rel-8 root; enum fields are ASN.1 indexes. */
struct rrc_sib2 {
	bool has_ac_barring;
	bool ac_barring_emergency;
	uint8_t n_preambles; /* n4 .. n64 */
	bool has_group_a;
	uint8_t group_a_size, group_a_msg_size, group_b_power_offset;
	uint8_t power_ramping_step, preamble_init_target_power;
	uint8_t preamble_trans_max, ra_response_window, contention_resolution_timer;
	uint8_t max_harq_msg3_tx; /* 1..8 */
	uint8_t modification_period_coeff, default_paging_cycle, nb;
	uint16_t root_sequence_index;
	uint8_t prach_config_index;
	bool high_speed;
	uint8_t zero_correlation_zone, prach_freq_offset;
	int8_t reference_signal_power;
	uint8_t p_b;
	uint8_t n_sb;
	bool hopping_inter_intra;
	uint8_t pusch_hopping_offset;
	bool enable_64qam, group_hopping, sequence_hopping;
	uint8_t group_assignment_pusch, cyclic_shift;
	uint8_t delta_pucch_shift, n_rb_cqi, n_cs_an;
	uint16_t n1_pucch_an;
	bool srs_setup;
	uint8_t srs_bw_config, srs_subframe_config;
	bool srs_ack_nack_simultaneous, srs_max_up_pts;
	int16_t p0_nominal_pusch;
	uint8_t alpha;
	int8_t p0_nominal_pucch;
	uint8_t delta_f_pucch[5];
	int8_t delta_preamble_msg3;
	uint8_t ul_cp_length;
	uint8_t t300, t301, t310, n310, t311, n311;
	bool has_ul_carrier, has_ul_bandwidth;
	uint16_t ul_carrier_freq;
	uint8_t ul_bandwidth;
	uint8_t additional_spectrum_emission; /* 1..32 */
	uint8_t time_alignment_timer;
	uint8_t extensions_skipped; /* extension additions present, ignored by a Rel-8 reader */
};

struct rrc_ue_cap_container {
	uint8_t rat; /* RAT-Type: 0 eutra */
	struct rrc_octets data;
};

/* UE-EUTRA-Capability (§6.3.6), Rel-8 root, encoded on its own into a container. */
struct rrc_ue_eutra_cap {
	uint8_t release;  /* AccessStratumRelease: 0 rel8 */
	uint8_t category; /* 1..5 */
	bool rohc_profiles[9];
	bool has_max_rohc;
	uint8_t max_rohc_sessions;
	bool tx_antenna_selection, specific_ref_sigs;
	uint8_t n_bands;
	uint8_t band[RRC_MAX_BANDS];
	bool half_duplex[RRC_MAX_BANDS];
	bool need_gaps[RRC_MAX_BANDS][RRC_MAX_BANDS]; /* interFreqNeedForGaps per band pair */
	bool has_fgi;
	uint32_t fgi;
};

struct rrc_msg {
	uint8_t type;		/* enum rrc_msg_type */
	uint8_t transaction_id; /* RRC-TransactionIdentifier where the message has one */
	union {
		struct rrc_mib mib;
		struct rrc_sib1 sib1;
		struct rrc_sib2 sib2;
		struct {
			bool s_tmsi;
			uint8_t mmec;
			uint32_t m_tmsi;
			uint64_t random; /* 40 bits */
			uint8_t cause; /* emergency, highPriorityAccess, mt-Access, mo-Signalling, mo-Data */
		} conn_request;
		struct {
			uint16_t c_rnti, pci, short_mac_i;
			uint8_t cause; /* reconfigurationFailure, handoverFailure, otherFailure */
		} reest_request;
		struct {
			struct rrc_radio_config rr;
			uint8_t next_hop_chaining_count; /* reestablishment */
		} setup; /* RRCConnectionSetup, RRCConnectionReestablishment */
		struct {
			uint8_t wait_time; /* 1..16 s */
		} reject;
		struct rrc_setup_complete {
			uint8_t selected_plmn; /* 1..6 */
			bool has_registered_mme;
			bool mme_has_plmn;
			struct rrc_plmn mme_plmn;
			uint16_t mmegi;
			uint8_t mmec;
			struct rrc_octets nas;
		} setup_complete;
		struct {
			uint8_t eea, eia; /* algorithm identities (§6.3.3) */
		} smc;
		struct {
			uint8_t n_rat;
			uint8_t rat[RRC_MAX_RAT];
		} cap_enquiry;
		struct {
			uint8_t n;
			struct rrc_ue_cap_container c[RRC_MAX_RAT];
		} cap_info;
		struct {
			uint8_t n_nas;
			struct rrc_octets nas[RRC_MAX_DRB];
			bool has_rr;
			struct rrc_radio_config rr;
		} reconf;
		struct {
			struct rrc_octets nas;
		} info; /* UL and DL information transfer */
		struct {
			uint8_t cause; /* loadBalancingTAUrequired, other */
			bool has_redirect;
			uint16_t redirect_earfcn;
		} release;
	} u;
};

/* The channel a message type travels on. */
enum rrc_channel rrc_msg_channel(uint8_t type);
const char *rrc_msg_name(uint8_t type);

/*
 * Encode `m` as a message of its channel's message class (e.g. UL-DCCH-Message), padded to
 * whole octets. Returns the length, L2_EMSGSIZE, or L2_EINVAL for out-of-range values.
 */
int rrc_encode(const struct rrc_msg *m, uint8_t *buf, size_t cap);

/*
 * Decode a message of `ch`. OCTET STRING values are copied into `scratch` (cap octets) and
 * pointed to from `m`. L2_EPROTO for a malformed message, L2_ENOTSUP for a valid one outside
 * the subset (another message, critical extension, an IE this codec does not hold, or an
 * unknown extension value); non-critical extensions and extension additions are skipped.
 */
int rrc_decode(enum rrc_channel ch, const uint8_t *buf, size_t len, struct rrc_msg *m,
	       uint8_t *scratch, size_t scratch_cap);

/* UE-EUTRA-Capability on its own (the content of ueCapabilityRAT-Container for E-UTRA). */
int rrc_ue_cap_encode(const struct rrc_ue_eutra_cap *c, uint8_t *buf, size_t cap);
int rrc_ue_cap_decode(const uint8_t *buf, size_t len, struct rrc_ue_eutra_cap *c);
