/* SPDX-License-Identifier: BSD-2-Clause */
/* The USIM side of UMTS/EPS AKA (TS 33.102 §6.3.3, Annex C) and the AuC/HSS side that feeds it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "l3/milenage.h"

/*
 * SQN = SEQ (43 bits) | IND (5 bits), the array scheme of TS 33.102 §C.1.2 and §C.2.2:
 * the USIM keeps the highest SEQ accepted for each IND value.
 */
#define USIM_IND_BITS  5
#define USIM_IND_COUNT (1u << USIM_IND_BITS)
#define USIM_SQN_MAX   0xffffffffffffull
/* Δ of TS 33.102 §C.2.1: SEQ may not run more than this far ahead of SEQ_MS. */
#define USIM_SEQ_DELTA (1ull << 28)
#define AKA_RES_MAX    16
#define AKA_AUTS_LEN   14

struct usim_stats {
	uint32_t auth_ok;
	uint32_t mac_failures;
	uint32_t sync_failures;
};

/* K and OPc never leave this structure: callers get RES, CK, IK or AUTS only. */
struct usim {
	struct milenage mil;
	uint64_t seq[USIM_IND_COUNT]; /* SEQ_MS(i), §C.2.2 */
	uint64_t delta;
	struct usim_stats stats;
};

/* What the ME gets back from a successful AUTHENTICATE (TS 31.102 §7.1.2.1). */
struct usim_auth_result {
	uint8_t res[AKA_RES_MAX];
	uint8_t res_len;
	uint8_t ck[16], ik[16];
	uint8_t sqn_xor_ak[6]; /* from AUTN, input to K_ASME (TS 33.401 §A.2) */
	uint8_t amf[2];
	uint8_t auts[AKA_AUTS_LEN]; /* set on synchronisation failure */
};

void usim_init(struct usim *u, const uint8_t k[16], const uint8_t opc[16]);

/* Forget the keys and the SQN state. */
void usim_wipe(struct usim *u);

/*
 * TS 33.102 §6.3.3: recover SQN = (SQN xor AK) xor f5, check XMAC = MAC (else L2_EAUTH, a
 * MAC failure), check SQN freshness (else L2_ESTALE with AUTS = SQN_MS xor AK* | MAC-S in
 * out->auts, a synchronisation failure), then return RES, CK and IK.
 */
int usim_authenticate(struct usim *u, const uint8_t rand[16], const uint8_t autn[16],
		      struct usim_auth_result *out);

/* The highest accepted SQN, SQN_MS of §C.2.2 (0 before the first authentication). */
uint64_t usim_sqn_ms(const struct usim *u);

/* Set the SQN state as a provisioning file gives it: every SEQ_MS(i) = SEQ of `sqn`. */
void usim_set_sqn(struct usim *u, uint64_t sqn);

/* EPS AMF separation bit (TS 33.401 §6.1.1, §H): bit 0 of AMF, 1 for E-UTRAN vectors. */
static inline bool aka_amf_separation(const uint8_t amf[2])
{
	return (amf[0] & 0x80) != 0;
}

/* An EPS authentication vector, TS 33.401 §6.1.2. */
struct eps_av {
	uint8_t rand[16];
	uint8_t xres[AKA_RES_MAX];
	uint8_t xres_len;
	uint8_t autn[16];
	uint8_t kasme[32];
};

/* A subscriber as the HSS/AuC holds it. */
struct hss_subscriber {
	struct milenage mil;
	uint64_t sqn; /* SQN_HE: the last SQN used, SEQ | IND (§C.1.1) */
	uint8_t amf[2];
	uint32_t vectors;
	uint32_t resyncs;
};

void hss_subscriber_init(struct hss_subscriber *s, const uint8_t k[16], const uint8_t opc[16],
			 uint64_t sqn, const uint8_t amf[2]);

/*
 * A fresh EPS AV for serving network `sn_id` (3 octets) with the caller's RAND: SEQ is
 * incremented and IND cycles (§C.1.1.1); AUTN = SQN xor AK | AMF | MAC (§6.3.2);
 * K_ASME as TS 33.401 §A.2.
 */
int hss_generate_av(struct hss_subscriber *s, const uint8_t rand[16], const uint8_t sn_id[3],
		    struct eps_av *av);

/*
 * Resynchronisation, TS 33.102 §6.3.5: check MAC-S of AUTS for `rand` (L2_EAUTH if wrong),
 * then take SQN_MS from it so that the next vector is fresh for the USIM.
 */
int hss_resync(struct hss_subscriber *s, const uint8_t rand[16], const uint8_t auts[AKA_AUTS_LEN]);
