/* SPDX-License-Identifier: BSD-2-Clause */
/* EPS NAS messages (TS 24.301 §8, §9): the EMM and ESM subset of attach, security, bearers, TAU, detach. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Protocol discriminator, TS 24.007 §11.2.3.1.1. */
enum nas_pd {
	NAS_PD_ESM = 0x2,
	NAS_PD_EMM = 0x7,
};

/* Security header type, TS 24.301 §9.3.1. */
enum nas_sec_hdr {
	NAS_SEC_PLAIN = 0,
	NAS_SEC_INT = 1,
	NAS_SEC_INT_ENC = 2,
	NAS_SEC_INT_NEW = 3,	 /* SECURITY MODE COMMAND */
	NAS_SEC_INT_ENC_NEW = 4, /* SECURITY MODE COMPLETE */
	NAS_SEC_SERVICE_REQ = 12,
};

/* Message types, TS 24.301 §9.8.1 (EMM) and §9.8.2 (ESM). */
enum nas_msg_type {
	NAS_ATTACH_REQUEST = 0x41,
	NAS_ATTACH_ACCEPT = 0x42,
	NAS_ATTACH_COMPLETE = 0x43,
	NAS_ATTACH_REJECT = 0x44,
	NAS_DETACH_REQUEST = 0x45,
	NAS_DETACH_ACCEPT = 0x46,
	NAS_TAU_REQUEST = 0x48,
	NAS_TAU_ACCEPT = 0x49,
	NAS_TAU_COMPLETE = 0x4a,
	NAS_TAU_REJECT = 0x4b,
	NAS_AUTH_REQUEST = 0x52,
	NAS_AUTH_RESPONSE = 0x53,
	NAS_AUTH_REJECT = 0x54,
	NAS_IDENTITY_REQUEST = 0x55,
	NAS_IDENTITY_RESPONSE = 0x56,
	NAS_AUTH_FAILURE = 0x5c,
	NAS_SMC = 0x5d,
	NAS_SMC_COMPLETE = 0x5e,
	NAS_SMC_REJECT = 0x5f,
	NAS_EMM_STATUS = 0x60,
	NAS_ACT_DEFAULT_BEARER_REQ = 0xc1,
	NAS_ACT_DEFAULT_BEARER_ACC = 0xc2,
	NAS_ACT_DEFAULT_BEARER_REJ = 0xc3,
	NAS_DEACT_BEARER_REQ = 0xcd,
	NAS_DEACT_BEARER_ACC = 0xce,
	NAS_PDN_CONN_REQUEST = 0xd0,
	NAS_PDN_CONN_REJECT = 0xd1,
	NAS_PDN_DISCONNECT_REQUEST = 0xd2,
	NAS_ESM_INFO_REQUEST = 0xd9,
	NAS_ESM_INFO_RESPONSE = 0xda,
	NAS_ESM_STATUS = 0xe8,
};

/* EMM causes, TS 24.301 §9.9.3.9 (the ones the state machines act on). */
enum nas_emm_cause {
	EMM_CAUSE_IMSI_UNKNOWN_IN_HSS = 2,
	EMM_CAUSE_ILLEGAL_UE = 3,
	EMM_CAUSE_IMEI_NOT_ACCEPTED = 5,
	EMM_CAUSE_ILLEGAL_ME = 6,
	EMM_CAUSE_EPS_NOT_ALLOWED = 7,
	EMM_CAUSE_EPS_AND_NON_EPS_NOT_ALLOWED = 8,
	EMM_CAUSE_UE_ID_NOT_DERIVED = 9,
	EMM_CAUSE_IMPLICITLY_DETACHED = 10,
	EMM_CAUSE_PLMN_NOT_ALLOWED = 11,
	EMM_CAUSE_TA_NOT_ALLOWED = 12,
	EMM_CAUSE_ROAMING_NOT_ALLOWED_IN_TA = 13,
	EMM_CAUSE_EPS_NOT_ALLOWED_IN_PLMN = 14,
	EMM_CAUSE_NO_SUITABLE_CELLS_IN_TA = 15,
	EMM_CAUSE_NETWORK_FAILURE = 17,
	EMM_CAUSE_MAC_FAILURE = 20,
	EMM_CAUSE_SYNCH_FAILURE = 21,
	EMM_CAUSE_CONGESTION = 22,
	EMM_CAUSE_UE_SEC_CAP_MISMATCH = 23,
	EMM_CAUSE_SEC_MODE_REJECTED = 24,
	EMM_CAUSE_NON_EPS_AUTH_UNACCEPTABLE = 26,
	EMM_CAUSE_ESM_FAILURE = 19,
	EMM_CAUSE_SEMANTICALLY_INCORRECT = 95,
	EMM_CAUSE_INVALID_MANDATORY_INFO = 96,
	EMM_CAUSE_MSG_TYPE_NONEXISTENT = 97,
	EMM_CAUSE_MSG_NOT_COMPATIBLE = 98,
	EMM_CAUSE_IE_NONEXISTENT = 99,
	EMM_CAUSE_PROTOCOL_ERROR = 111,
};

/* ESM causes, TS 24.301 §9.9.4.4 (a few). */
enum nas_esm_cause {
	ESM_CAUSE_INSUFFICIENT_RESOURCES = 26,
	ESM_CAUSE_MISSING_OR_UNKNOWN_APN = 27,
	ESM_CAUSE_UNKNOWN_PDN_TYPE = 28,
	ESM_CAUSE_REQUEST_REJECTED_UNSPECIFIED = 31,
	ESM_CAUSE_REGULAR_DEACTIVATION = 36,
	ESM_CAUSE_PROTOCOL_ERROR = 111,
};

/* EPS attach type §9.9.3.11, detach types §9.9.3.7, update types §9.9.3.14, results. */
enum {
	NAS_ATTACH_TYPE_EPS = 1,
	NAS_ATTACH_TYPE_COMBINED = 2,
	NAS_ATTACH_TYPE_EMERGENCY = 6,
	NAS_ATTACH_RESULT_EPS = 1,
	NAS_DETACH_EPS = 1,	     /* UE originating; network: re-attach required */
	NAS_DETACH_REATTACH_NOT = 2, /* network originating: re-attach not required */
	NAS_DETACH_IMSI = 3,
	NAS_TAU_TYPE_TA = 0,
	NAS_TAU_TYPE_PERIODIC = 3,
	NAS_TAU_RESULT_TA = 0,
	NAS_KSI_NONE = 7, /* §9.9.3.21: no key is available */
	NAS_PDN_IPV4 = 1,
	NAS_PDN_IPV6 = 2,
	NAS_PDN_IPV4V6 = 3,
	NAS_REQUEST_INITIAL = 1,
};

/* Identity types: TS 24.301 §9.9.3.12 (EPS mobile identity), TS 24.008 §10.5.1.4. */
enum nas_id_type {
	NAS_ID_NONE = 0,
	NAS_ID_IMSI = 1,
	NAS_ID_IMEI = 2,
	NAS_ID_IMEISV = 3,
	NAS_ID_TMSI = 4,
	NAS_ID_GUTI = 6,
};

#define NAS_MAX_DIGITS	16
#define NAS_MAX_TAI	16
#define NAS_MAX_PLMNS	15
#define NAS_MAX_ESM	512 /* an ESM message inside an EMM message */
#define NAS_MAX_APN	100
#define NAS_MAX_PCO	253
#define NAS_MAX_MSG	1024 /* largest plain message this codec writes */
#define NAS_SEC_HDR_LEN 6    /* security header, MAC, sequence number (§9.1) */

/* MCC and MNC as numbers; mnc_digits 2 or 3 (TS 24.008 §10.5.1.13 encoding). */
struct nas_plmn {
	uint16_t mcc, mnc;
	uint8_t mnc_digits;
};

struct nas_tai {
	struct nas_plmn plmn;
	uint16_t tac;
};

struct nas_guti {
	struct nas_plmn plmn;
	uint16_t mmegi;
	uint8_t mmec;
	uint32_t m_tmsi;
};

/* EPS mobile identity or mobile identity: IMSI/IMEI/IMEISV digits, a GUTI or a TMSI. */
struct nas_mobile_id {
	uint8_t type; /* enum nas_id_type */
	uint8_t n_digits;
	char digits[NAS_MAX_DIGITS + 1];
	struct nas_guti guti;
	uint32_t tmsi;
};

/* A length-value IE kept as octets (capabilities, QoS, PCO, APN in label form, ...). */
#define NAS_BYTES(n)            \
	struct {                \
		uint16_t len;   \
		uint8_t v[(n)]; \
	}

/* Named LV values that several messages share. */
struct nas_esm_container {
	uint16_t len;
	uint8_t v[NAS_MAX_ESM];
};

struct nas_apn {
	uint16_t len;
	uint8_t v[NAS_MAX_APN]; /* label form, TS 23.003 §9.1 */
};

struct nas_pco {
	uint16_t len;
	uint8_t v[NAS_MAX_PCO]; /* TS 24.008 §10.5.6.3 */
};

struct nas_ue_net_cap {
	uint16_t len;
	uint8_t v[13]; /* §9.9.3.34: octet 1 EEA0-7, octet 2 EIA0-7, ... */
};

struct nas_attach_request {
	uint8_t attach_type, ksi;
	struct nas_mobile_id id;
	struct nas_ue_net_cap ue_net_cap;
	struct nas_esm_container esm;
	bool has_last_tai, has_drx, has_ms_net_cap;
	struct nas_tai last_tai;
	uint8_t drx[2];
	NAS_BYTES(8) ms_net_cap;
};

struct nas_attach_accept {
	uint8_t result;
	uint8_t t3412; /* GPRS timer, TS 24.008 §10.5.7.3 */
	uint8_t n_tai;
	struct nas_tai tai[NAS_MAX_TAI];
	struct nas_esm_container esm;
	bool has_guti, has_cause, has_t3402, has_t3423, has_eplmn, has_nw_feat;
	struct nas_mobile_id guti;
	uint8_t cause, t3402, t3423;
	uint8_t n_eplmn;
	struct nas_plmn eplmn[NAS_MAX_PLMNS];
	NAS_BYTES(2) nw_feat;
};

struct nas_attach_complete {
	struct nas_esm_container esm;
};

struct nas_attach_reject {
	uint8_t cause;
	bool has_esm, has_t3402;
	struct nas_esm_container esm;
	uint8_t t3402; /* GPRS timer 2 */
};

struct nas_detach_request {
	bool ue_originating;
	uint8_t type; /* detach type (3 bits) */
	bool switch_off;
	uint8_t ksi;
	struct nas_mobile_id id; /* UE originating */
	bool has_cause;		 /* network originating */
	uint8_t cause;
};

struct nas_tau_request {
	uint8_t update_type, ksi;
	bool active;
	struct nas_mobile_id old_guti;
	bool has_ue_net_cap, has_last_tai, has_drx, has_bearer_status;
	struct nas_ue_net_cap ue_net_cap;
	struct nas_tai last_tai;
	uint8_t drx[2];
	uint16_t bearer_status; /* §9.9.2.1: bit n = EBI n active */
};

struct nas_tau_accept {
	uint8_t result;
	bool has_t3412, has_guti, has_tai, has_bearer_status, has_cause, has_t3402;
	uint8_t t3412;
	struct nas_mobile_id guti;
	uint8_t n_tai;
	struct nas_tai tai[NAS_MAX_TAI];
	uint16_t bearer_status;
	uint8_t cause, t3402;
};

struct nas_cause_msg {
	uint8_t cause; /* TAU reject, SMC reject, EMM/ESM status */
};

struct nas_auth_request {
	uint8_t ksi;
	uint8_t rand[16], autn[16];
};

struct nas_auth_response {
	uint8_t res_len;
	uint8_t res[16];
};

struct nas_auth_failure {
	uint8_t cause;
	bool has_auts;
	uint8_t auts[14];
};

struct nas_identity_request {
	uint8_t id_type;
};

struct nas_identity_response {
	struct nas_mobile_id id;
};

struct nas_smc {
	uint8_t eea, eia; /* selected NAS security algorithms, §9.9.3.23 */
	uint8_t ksi;
	NAS_BYTES(5) ue_sec_cap; /* replayed, §9.9.3.36 */
	bool imeisv_request;
};

struct nas_smc_complete {
	bool has_imeisv;
	struct nas_mobile_id imeisv;
};

/* ESM */
struct nas_pdn_conn_request {
	uint8_t request_type, pdn_type;
	bool has_apn, has_pco, has_info_flag;
	bool info_flag;
	struct nas_apn apn;
	struct nas_pco pco;
};

struct nas_act_default_bearer_req {
	NAS_BYTES(13) qos; /* §9.9.4.3: octet 1 is the QCI */
	struct nas_apn apn;
	uint8_t pdn_type;
	uint8_t addr_len;
	uint8_t addr[12]; /* IPv4 (4), IPv6 interface id (8), both (12) */
	bool has_ambr, has_cause, has_pco;
	NAS_BYTES(6) ambr;
	uint8_t cause;
	struct nas_pco pco;
};

/* ESM messages made of a cause and/or PCO (rejects, accepts, deactivation). */
struct nas_esm_simple {
	bool has_cause, has_pco;
	uint8_t cause;
	struct nas_pco pco;
};

struct nas_esm_info_response {
	bool has_apn, has_pco;
	struct nas_apn apn;
	struct nas_pco pco;
};

struct nas_pdn_disconnect_request {
	uint8_t linked_ebi;
	bool has_pco;
	struct nas_pco pco;
};

/* A plain NAS message: header fields and the body of `type`. */
struct nas_msg {
	uint8_t pd;   /* enum nas_pd */
	uint8_t type; /* enum nas_msg_type */
	uint8_t ebi;  /* ESM: EPS bearer identity */
	uint8_t pti;  /* ESM: procedure transaction identity */
	union {
		struct nas_attach_request attach_request;
		struct nas_attach_accept attach_accept;
		struct nas_attach_complete attach_complete;
		struct nas_attach_reject attach_reject;
		struct nas_detach_request detach_request;
		struct nas_tau_request tau_request;
		struct nas_tau_accept tau_accept;
		struct nas_cause_msg cause;
		struct nas_auth_request auth_request;
		struct nas_auth_response auth_response;
		struct nas_auth_failure auth_failure;
		struct nas_identity_request identity_request;
		struct nas_identity_response identity_response;
		struct nas_smc smc;
		struct nas_smc_complete smc_complete;
		struct nas_pdn_conn_request pdn_conn_request;
		struct nas_act_default_bearer_req act_default_bearer_req;
		struct nas_esm_simple esm;
		struct nas_esm_info_response esm_info_response;
		struct nas_pdn_disconnect_request pdn_disconnect_request;
	} u;
	/* Decoder statistics for this message: optional IEs skipped as unknown or bad. */
	uint8_t skipped_ies;
};

/* Who sent the message: the detach request's contents depend on it (§8.2.11). */
enum nas_dir {
	NAS_UL = 0,
	NAS_DL = 1,
};

/*
 * Write `m` as a plain NAS message into `buf`; returns the length, or L2_EMSGSIZE if it
 * does not fit, L2_EINVAL for values outside an IE's range, L2_ENOTSUP for a type outside
 * the subset.
 */
int nas_encode(const struct nas_msg *m, uint8_t *buf, size_t cap);

/*
 * Parse a plain NAS message. L2_EPROTO for a malformed message (truncated, a mandatory IE
 * with a bad length, an unknown comprehension-required IE), L2_ENOTSUP for a message type
 * outside the subset or a security-protected message (unwrap it first with nas_sec).
 * Unknown optional IEs are skipped (TS 24.301 §7.6.1) and counted in m->skipped_ies.
 */
int nas_decode(const uint8_t *p, size_t len, enum nas_dir dir, struct nas_msg *m);

/* A message's name for logs and tests ("attach request"), or "unknown". */
const char *nas_msg_name(uint8_t pd, uint8_t type);

/* APN between dotted text and the label form of TS 23.003 §9.1; length or L2_E*. */
int nas_apn_from_str(const char *s, uint8_t *out, size_t cap);
int nas_apn_to_str(const uint8_t *apn, size_t len, char *out, size_t cap);

/* IMSI digits into an EPS mobile identity / mobile identity. */
int nas_id_imsi(struct nas_mobile_id *id, const char *digits);
