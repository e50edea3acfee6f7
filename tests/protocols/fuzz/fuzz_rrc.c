/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: RRC UPER decoding on every channel, raw input and mutations of valid
 * messages, and the UE and eNB procedures fed the same input in each of their states.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "l2/env.h"
#include "l3/rrc.h"
#include "l3/rrc_sm.h"
#include "rrc_fixtures.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t scratch[8192], scratch2[8192];

/* A decoded message re-encodes, and that encoding decodes and re-encodes to the same octets. */
static void check_stable(enum rrc_channel ch, const struct rrc_msg *m)
{
	static uint8_t a[8192], b[8192];
	static struct rrc_msg d;
	int n = rrc_encode(m, a, sizeof(a)), k;

	if (n < 0 || rrc_msg_channel(m->type) != ch)
		abort();
	if (rrc_decode(ch, a, (size_t)n, &d, scratch2, sizeof(scratch2)) != 0)
		abort();
	k = rrc_encode(&d, b, sizeof(b));
	if (k != n || memcmp(a, b, (size_t)n))
		abort();
}

static void ue_send(void *ctx, uint8_t srb, const uint8_t *pdu, size_t len)
{
	(void)ctx, (void)srb, (void)pdu, (void)len;
}

static void enb_send(void *ctx, uint16_t rnti, uint8_t srb, const uint8_t *pdu, size_t len)
{
	(void)ctx, (void)rnti, (void)srb, (void)pdu, (void)len;
}

static void enb_nas(void *ctx, uint16_t rnti, const uint8_t *nas, size_t len, bool initial)
{
	(void)ctx, (void)rnti, (void)nas, (void)len, (void)initial;
}

/* The UE in each state (§4.2.1) and an eNB UE context in each procedure step get the input. */
static void state_machines(const uint8_t *data, size_t size)
{
	static const uint8_t kenb[32] = {7};
	static const uint8_t nas[] = {0x07, 0x41}; /* only carried, never parsed here */
	static struct rrc_ue ue;
	static struct rrc_enb enb;
	static struct rrc_as_keys keys; /* derived once: key derivation would dominate the run */
	const struct rrc_ue_ops uops = {.send = ue_send};
	const struct rrc_enb_ops eops = {.send = enb_send, .s1_nas = enb_nas};
	struct rrc_enb_config ec;
	struct rrc_ue_eutra_cap cap;
	int st;

	if (!keys.eea)
		rrc_as_keys_derive(kenb, 2, 2, &keys);
	memset(&cap, 0, sizeof(cap));
	cap.category = 3;
	rrc_ue_init(&ue, &cap, &uops, NULL);
	rrc_ue_rx_bcch(&ue, RRC_BCCH_BCH, data, size, 1, 100);
	rrc_ue_rx_bcch(&ue, RRC_BCCH_DL_SCH, data, size, 1, 100);
	rrc_ue_set_c_rnti(&ue, 0x46);
	if (rrc_ue_nas(&ue, nas, sizeof(nas), 3) == 0)
		rrc_ue_rx(&ue, 0, data, size); /* CONNECTING: DL-CCCH */
	rrc_ue_init(&ue, &cap, &uops, NULL);
	ue.state = RRC_UE_CONNECTED;
	rrc_ue_rx(&ue, 1, data, size); /* before security */
	rrc_ue_set_kenb(&ue, kenb);
	rrc_ue_rx(&ue, 1, data, size);
	rrc_ue_init(&ue, &cap, &uops, NULL);
	ue.state = RRC_UE_CONNECTED;
	ue.security_active = true;
	rrc_ue_set_kenb(&ue, kenb);
	ue.keys = keys;
	rrc_ue_rx(&ue, 1, data, size);
	rrc_ue_radio_link_failure(&ue);
	if (rrc_ue_cell_selected(&ue) == 0)
		rrc_ue_rx(&ue, 0, data, size); /* REESTABLISHING: DL-CCCH */
	rrc_ue_tick(&ue);

	memset(&ec, 0, sizeof(ec));
	ec.pci = 1;
	ec.earfcn = 100;
	ec.eea = ec.eia = 2;
	ec.plmn.has_mcc = true;
	ec.plmn.mnc_len = 2;
	if (rrc_enb_init(&enb, &ec, &eops, NULL))
		abort();
	rrc_enb_rx(&enb, 0x46, 0, data, size); /* UL-CCCH from an unknown C-RNTI */
	for (st = RRC_ENB_SETUP; st <= RRC_ENB_REEST; st++) {
		struct rrc_enb_ue *u;

		if (rrc_enb_init(&enb, &ec, &eops, NULL))
			abort();
		u = &enb.ues[0];
		u->state = (enum rrc_enb_ue_state)st;
		u->rnti = 0x47;
		if (st >= RRC_ENB_SECURITY) {
			memcpy(u->kenb, kenb, 32);
			u->keys = keys;
			u->security_active = st > RRC_ENB_SECURITY;
			u->setup_pending = true;
		}
		rrc_enb_rx(&enb, 0x47, 1, data, size);
		rrc_enb_rx(&enb, 0x47, 0, data, size);
		if (enb.ues[0].state == RRC_ENB_CONNECTED)
			rrc_enb_context_setup(&enb, 0x47, kenb, 5, 9, nas, sizeof(nas));
	}
}

static void decode_all(const uint8_t *data, size_t size)
{
	static struct rrc_msg m;
	static struct rrc_ue_eutra_cap u;
	int ch, err;

	state_machines(data, size);
	for (ch = RRC_BCCH_BCH; ch <= RRC_UL_DCCH; ch++) {
		err = rrc_decode((enum rrc_channel)ch, data, size, &m, scratch, sizeof(scratch));
		if (err == 0)
			check_stable((enum rrc_channel)ch, &m);
		else if (err != L2_EPROTO && err != L2_ENOTSUP && err != L2_EMSGSIZE)
			abort();
	}
	if (rrc_ue_cap_decode(data, size, &u) == 0) {
		static uint8_t a[512];
		static struct rrc_ue_eutra_cap v;
		int n = rrc_ue_cap_encode(&u, a, sizeof(a));

		if (n < 0 || rrc_ue_cap_decode(a, (size_t)n, &v) != 0)
			abort();
	}
}

/* A fixture (first octet) with the rest applied as (bit position, flip) edits and a cut. */
static void mutate_fixture(const uint8_t *data, size_t size)
{
	static uint8_t buf[2048], cap_buf[256];
	static struct rrc_msg m;
	static struct rrc_ue_eutra_cap cap;
	size_t i;
	int n;

	if (!rrc_fixture(data[0] % RRC_MSG_TYPES, &m, &cap, cap_buf, sizeof(cap_buf)))
		return;
	n = rrc_encode(&m, buf, sizeof(buf));
	if (n <= 0)
		abort();
	for (i = 1; i + 1 < size; i += 2) {
		unsigned bit = (unsigned)(data[i] << 8 | data[i + 1]) % (unsigned)(n * 8);

		buf[bit / 8] ^= (uint8_t)(0x80 >> bit % 8);
	}
	if (size % 2 == 0 && size > 2)
		n -= data[size - 1] % n;
	decode_all(buf, (size_t)n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	if (size > 1 && data[0] >= 0xe0)
		mutate_fixture(data + 1, size - 1);
	else
		decode_all(data, size);
	return 0;
}
