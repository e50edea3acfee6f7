/* SPDX-License-Identifier: BSD-2-Clause */
/* The AuC/HSS side of EPS AKA: authentication vectors and resynchronisation (TS 33.102, 33.401). */
#include <string.h>

#include "l2/env.h"
#include "l2/sec.h"
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

void hss_subscriber_init(struct hss_subscriber *s, const uint8_t k[16], const uint8_t opc[16],
			 uint64_t sqn, const uint8_t amf[2])
{
	memset(s, 0, sizeof(*s));
	milenage_init(&s->mil, k, opc);
	s->sqn = sqn & USIM_SQN_MAX;
	memcpy(s->amf, amf, 2);
}

int hss_generate_av(struct hss_subscriber *s, const uint8_t rand[16], const uint8_t sn_id[3],
		    struct eps_av *av)
{
	uint64_t seq = s->sqn >> USIM_IND_BITS;
	unsigned ind = (unsigned)(s->sqn & (USIM_IND_COUNT - 1));
	uint8_t sqn_b[6], ak[6], ck[16], ik[16];
	int i;

	/* §C.1.1.1: SEQ_HE + 1; IND steps through the array (§C.1.2). */
	if (seq + 1 > (USIM_SQN_MAX >> USIM_IND_BITS))
		return L2_ESTATE;
	s->sqn = (seq + 1) << USIM_IND_BITS | ((ind + 1) & (USIM_IND_COUNT - 1));
	put48(sqn_b, s->sqn);
	memcpy(av->rand, rand, 16);
	milenage_f2345(&s->mil, rand, av->xres, ck, ik, ak, NULL);
	av->xres_len = 8;
	for (i = 0; i < 6; i++)
		av->autn[i] = sqn_b[i] ^ ak[i];
	memcpy(av->autn + 6, s->amf, 2);
	milenage_f1(&s->mil, rand, sqn_b, s->amf, av->autn + 8, NULL);
	sec_derive_kasme(ck, ik, sn_id, av->autn, av->kasme);
	memset(ck, 0, sizeof(ck));
	memset(ik, 0, sizeof(ik));
	s->vectors++;
	return 0;
}

int hss_resync(struct hss_subscriber *s, const uint8_t rand[16], const uint8_t auts[AKA_AUTS_LEN])
{
	static const uint8_t amf_star[2] = {0, 0};
	uint8_t ak_star[6], ms[6], mac_s[8];
	int i, diff = 0;

	milenage_f2345(&s->mil, rand, NULL, NULL, NULL, NULL, ak_star);
	for (i = 0; i < 6; i++)
		ms[i] = auts[i] ^ ak_star[i];
	milenage_f1(&s->mil, rand, ms, amf_star, NULL, mac_s);
	for (i = 0; i < 8; i++)
		diff |= mac_s[i] ^ auts[6 + i];
	if (diff)
		return L2_EAUTH;
	/* §6.3.5: SQN_HE is set to SQN_MS; the next vector is then fresh for the USIM. */
	s->sqn = get48(ms);
	s->resyncs++;
	return 0;
}
