/* SPDX-License-Identifier: BSD-2-Clause */
/* USIM authentication: MAC check, SQN freshness and resynchronisation (TS 33.102 §6.3.3, §C.2). */
#include <string.h>

#include "l2/env.h"
#include "l3/usim.h"

static uint64_t get48(const uint8_t p[6])
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 6; i++)
		v = v << 8 | p[i];
	return v;
}

static void put48(uint8_t p[6], uint64_t v)
{
	int i;

	for (i = 5; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

void usim_init(struct usim *u, const uint8_t k[16], const uint8_t opc[16])
{
	memset(u, 0, sizeof(*u));
	milenage_init(&u->mil, k, opc);
	u->delta = USIM_SEQ_DELTA;
}

void usim_wipe(struct usim *u)
{
	milenage_wipe(&u->mil);
	memset(u->seq, 0, sizeof(u->seq));
}

/* SEQ_MS: the highest SEQ in the array (§C.2.2). */
static uint64_t usim_seq_ms(const struct usim *u, unsigned *ind)
{
	uint64_t best = 0;
	unsigned i;

	*ind = 0;
	for (i = 0; i < USIM_IND_COUNT; i++)
		if (u->seq[i] > best) {
			best = u->seq[i];
			*ind = i;
		}
	return best;
}

uint64_t usim_sqn_ms(const struct usim *u)
{
	unsigned ind;
	uint64_t seq = usim_seq_ms(u, &ind);

	return seq << USIM_IND_BITS | ind;
}

void usim_set_sqn(struct usim *u, uint64_t sqn)
{
	unsigned i;

	for (i = 0; i < USIM_IND_COUNT; i++)
		u->seq[i] = (sqn & USIM_SQN_MAX) >> USIM_IND_BITS;
}

/* TS 33.102 §C.2.2: SEQ > SEQ_MS(IND) and SEQ - SEQ_MS <= Δ. */
static bool usim_sqn_fresh(const struct usim *u, uint64_t sqn)
{
	uint64_t seq = sqn >> USIM_IND_BITS;
	unsigned ind = (unsigned)(sqn & (USIM_IND_COUNT - 1)), max_ind;
	uint64_t seq_ms = usim_seq_ms(u, &max_ind);

	if (seq <= u->seq[ind])
		return false;
	return seq <= seq_ms || seq - seq_ms <= u->delta;
}

int usim_authenticate(struct usim *u, const uint8_t rand[16], const uint8_t autn[16],
		      struct usim_auth_result *out)
{
	uint8_t ak[6], sqn_b[6], xmac[8], ak_star[6], res[8];
	static const uint8_t amf_star[2] = {0, 0};
	uint64_t sqn, sqn_ms;
	int i, diff = 0;

	memset(out, 0, sizeof(*out));
	milenage_f2345(&u->mil, rand, res, out->ck, out->ik, ak, ak_star);
	for (i = 0; i < 6; i++)
		sqn_b[i] = autn[i] ^ ak[i];
	milenage_f1(&u->mil, rand, sqn_b, autn + 6, xmac, NULL);
	for (i = 0; i < 8; i++)
		diff |= xmac[i] ^ autn[8 + i];
	if (diff) {
		memset(out, 0, sizeof(*out));
		u->stats.mac_failures++;
		return L2_EAUTH;
	}
	sqn = get48(sqn_b);
	if (!usim_sqn_fresh(u, sqn)) {
		/* AUTS = SQN_MS xor AK* | MAC-S, MAC-S = f1*(SQN_MS, RAND, AMF = 0) (§6.3.3). */
		uint8_t ms[6], mac_s[8];

		sqn_ms = usim_sqn_ms(u);
		put48(ms, sqn_ms);
		milenage_f1(&u->mil, rand, ms, amf_star, NULL, mac_s);
		memset(out, 0, sizeof(*out));
		for (i = 0; i < 6; i++)
			out->auts[i] = ms[i] ^ ak_star[i];
		memcpy(out->auts + 6, mac_s, 8);
		u->stats.sync_failures++;
		return L2_ESTALE;
	}
	u->seq[sqn & (USIM_IND_COUNT - 1)] = sqn >> USIM_IND_BITS;
	memcpy(out->res, res, 8);
	out->res_len = 8;
	memcpy(out->sqn_xor_ak, autn, 6);
	memcpy(out->amf, autn + 6, 2);
	u->stats.auth_ok++;
	return 0;
}
