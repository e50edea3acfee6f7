/* SPDX-License-Identifier: BSD-2-Clause */
/* NAS security: the EPS security context, NAS COUNT, 128-EIA2/128-EEA2 protection (TS 24.301 §4.4, TS 33.401 §8). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2/sec.h"

#define NAS_COUNT_MASK 0xffffffu /* overflow (16 bits) | sequence number (8 bits), §4.4.3.1 */

struct nas_sec_stats {
	uint32_t protected_tx, verified_rx;
	uint32_t mac_failures; /* dropped: MAC mismatch (§4.4.4.3) */
	uint32_t malformed;    /* dropped: too short or an unknown header type */
};

/*
 * A current native EPS security context (TS 24.301 §4.4.2.1) on one side of the link:
 * the UE transmits uplink and receives downlink, the MME the reverse.
 */
struct nas_sec {
	bool ue;
	uint8_t ksi;
	uint8_t eea, eia; /* enum sec_eea / sec_eia */
	uint8_t kasme[32];
	struct sec_key k_enc, k_int;
	uint32_t tx_count; /* NAS COUNT of the next message sent */
	uint32_t rx_count; /* lowest NAS COUNT still accepted on receive */
	struct nas_sec_stats stats;
};

/*
 * Take a context into use: K_NASenc and K_NASint from K_ASME (TS 33.401 §A.7) and both NAS
 * COUNTs at 0 (TS 24.301 §4.4.3.1: a context created by AKA starts at 0).
 * L2_EINVAL for algorithms other than EEA0/128-EEA2 and EIA0/128-EIA2.
 */
int nas_sec_init(struct nas_sec *s, bool ue, const uint8_t kasme[32], uint8_t ksi, uint8_t eea,
		 uint8_t eia);

/* Forget the keys. */
void nas_sec_wipe(struct nas_sec *s);

/*
 * Wrap a plain message in a security protected NAS message (§9.1) with header type `hdr`
 * (NAS_SEC_INT .. NAS_SEC_INT_ENC_NEW): ciphered for types 2 and 4, MAC over the sequence
 * number and the message (TS 33.401 §8.1), and the transmit COUNT stepped. Returns the
 * length written, or L2_EMSGSIZE / L2_EINVAL.
 */
int nas_sec_protect(struct nas_sec *s, uint8_t hdr, const uint8_t *plain, size_t len, uint8_t *out,
		    size_t cap);

/*
 * Verify and unwrap a received security protected message into `plain`: the NAS COUNT is
 * estimated from its sequence number (§4.4.3.1), the MAC checked (L2_EAUTH and counted
 * otherwise) and the message deciphered. A count below rx_count cannot verify (replay).
 * Returns the plain length; *hdr gets the header type.
 */
int nas_sec_unprotect(struct nas_sec *s, const uint8_t *in, size_t len, uint8_t *plain, size_t cap,
		      uint8_t *hdr);

/* The security header type of a received message, or L2_EPROTO if too short. */
int nas_sec_header_type(const uint8_t *in, size_t len);

/*
 * The NAS message inside an integrity-protected, unciphered message (header types 1 and
 * 3) without verifying it: a UE reads the SECURITY MODE COMMAND to learn which context to
 * verify it with (§5.4.3.3). NULL for other headers.
 */
const uint8_t *nas_sec_peek(const uint8_t *in, size_t len, size_t *plain_len);
