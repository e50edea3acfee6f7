/* SPDX-License-Identifier: BSD-2-Clause */
/* Security protected NAS messages (TS 24.301 §4.4.3, §9.1): NAS COUNT, MAC, ciphering. */
#include <string.h>

#include "l2/env.h"
#include "l3/nas.h"
#include "l3/nas_sec.h"

/* BEARER input for NAS is the constant 0 (TS 33.401 §8.1.1, §8.2). */
#define NAS_BEARER 0

int nas_sec_init(struct nas_sec *s, bool ue, const uint8_t kasme[32], uint8_t ksi, uint8_t eea,
		 uint8_t eia)
{
	uint8_t k[16];

	if ((eea != SEC_EEA0 && eea != SEC_EEA2) || (eia != SEC_EIA0 && eia != SEC_EIA2) ||
	    ksi > 15)
		return L2_EINVAL;
	memset(s, 0, sizeof(*s));
	s->ue = ue;
	s->ksi = ksi;
	s->eea = eea;
	s->eia = eia;
	memcpy(s->kasme, kasme, 32);
	sec_derive_alg_key(kasme, SEC_NAS_ENC, eea, k);
	sec_key_init(&s->k_enc, k);
	sec_derive_alg_key(kasme, SEC_NAS_INT, eia, k);
	sec_key_init(&s->k_int, k);
	memset(k, 0, sizeof(k));
	return 0;
}

void nas_sec_wipe(struct nas_sec *s)
{
	volatile uint8_t *p = (volatile uint8_t *)s;
	size_t i;

	for (i = 0; i < sizeof(*s); i++)
		p[i] = 0;
}

static uint8_t tx_dir(const struct nas_sec *s)
{
	return s->ue ? SEC_DIR_UL : SEC_DIR_DL;
}

int nas_sec_protect(struct nas_sec *s, uint8_t hdr, const uint8_t *plain, size_t len, uint8_t *out,
		    size_t cap)
{
	uint32_t count = s->tx_count & NAS_COUNT_MASK;

	if (hdr < NAS_SEC_INT || hdr > NAS_SEC_INT_ENC_NEW || len < 2 || len > 0xffff)
		return L2_EINVAL;
	if (cap < NAS_SEC_HDR_LEN || len > cap - NAS_SEC_HDR_LEN)
		return L2_EMSGSIZE;
	out[0] = (uint8_t)(hdr << 4 | NAS_PD_EMM);
	out[5] = (uint8_t)count;
	memmove(out + NAS_SEC_HDR_LEN, plain, len);
	if (hdr == NAS_SEC_INT_ENC || hdr == NAS_SEC_INT_ENC_NEW)
		sec_cipher(s->eea, &s->k_enc, count, NAS_BEARER, tx_dir(s), out + NAS_SEC_HDR_LEN,
			   (uint32_t)len * 8);
	/* MAC over the sequence number and the NAS message (§4.4.3.3, TS 33.401 §8.1.1). */
	sec_integrity(s->eia, &s->k_int, count, NAS_BEARER, tx_dir(s), out + 5,
		      (uint32_t)(len + 1) * 8, out + 1);
	s->tx_count = (s->tx_count + 1) & NAS_COUNT_MASK;
	s->stats.protected_tx++;
	return (int)(len + NAS_SEC_HDR_LEN);
}

int nas_sec_header_type(const uint8_t *in, size_t len)
{
	if (len < 2)
		return L2_EPROTO;
	if ((in[0] & 0xf) != NAS_PD_EMM)
		return NAS_SEC_PLAIN;
	return in[0] >> 4;
}

const uint8_t *nas_sec_peek(const uint8_t *in, size_t len, size_t *plain_len)
{
	int hdr = nas_sec_header_type(in, len);

	if ((hdr != NAS_SEC_INT && hdr != NAS_SEC_INT_NEW) || len < NAS_SEC_HDR_LEN + 2)
		return NULL;
	*plain_len = len - NAS_SEC_HDR_LEN;
	return in + NAS_SEC_HDR_LEN;
}

int nas_sec_unprotect(struct nas_sec *s, const uint8_t *in, size_t len, uint8_t *plain, size_t cap,
		      uint8_t *hdr_out)
{
	uint8_t rx_dir = s->ue ? SEC_DIR_DL : SEC_DIR_UL, mac[4];
	int hdr = nas_sec_header_type(in, len);
	uint32_t count, diff = 0;
	size_t n;
	int i;

	if (hdr < NAS_SEC_INT || hdr > NAS_SEC_INT_ENC_NEW || len < NAS_SEC_HDR_LEN + 2) {
		s->stats.malformed++;
		return L2_EPROTO;
	}
	n = len - NAS_SEC_HDR_LEN;
	if (n > cap)
		return L2_EMSGSIZE;
	/* §4.4.3.1: the overflow counter follows the local count; a smaller SQN means it wrapped. */
	count = (s->rx_count & 0xffff00u) | in[5];
	if (count < s->rx_count)
		count = (count + 0x100) & NAS_COUNT_MASK;
	sec_integrity(s->eia, &s->k_int, count, NAS_BEARER, rx_dir, in + 5, (uint32_t)(n + 1) * 8,
		      mac);
	for (i = 0; i < 4; i++)
		diff |= (uint32_t)(mac[i] ^ in[1 + i]);
	if (diff) {
		s->stats.mac_failures++;
		return L2_EAUTH;
	}
	memmove(plain, in + NAS_SEC_HDR_LEN, n);
	if (hdr == NAS_SEC_INT_ENC || hdr == NAS_SEC_INT_ENC_NEW)
		sec_cipher(s->eea, &s->k_enc, count, NAS_BEARER, rx_dir, plain, (uint32_t)n * 8);
	s->rx_count = (count + 1) & NAS_COUNT_MASK;
	s->stats.verified_rx++;
	*hdr_out = (uint8_t)hdr;
	return (int)n;
}
