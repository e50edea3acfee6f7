/* SPDX-License-Identifier: BSD-2-Clause */
/* The USIM task: holds the card (IMSI, K, OPc, SQN); other tasks get derived values only. */
#include "l4e.h"
#include "sys_usim.h"
#include "sim.h"

#include <l2/env.h>
#include <l3/usim.h>
#include <l4e/log.h>
#include <l4e/task.h>
#include <string.h>

/*
 * K and OPc live in `card` only: no operation returns them, and AUTHENTICATE answers with
 * RES, CK and IK (or AUTS), as a UICC does (TS 31.102 §7.1.2). The task's data is fresh at
 * every restart, so a restart is a card removal: the AP inserts it again.
 */
static struct usim card;
static char imsi[16];
static bool inserted, have_auts;
static uint8_t last_auts[14]; /* of the last synchronisation failure (op auts) */

static void log_value(const char *what, uint32_t v)
{
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, what, v, true);
}

static int op_insert(void *ctx, l4_word_t badge, const uint8_t *digits, const uint8_t *k,
		     const uint8_t *opc, uint64_t sqn)
{
	unsigned n = 0, i;

	(void)ctx, (void)badge;
	while (n < 16 && digits[n] >= '0' && digits[n] <= '9')
		n++;
	for (i = n; i < 16; i++)
		if (digits[i])
			return SIM_ERROR_BAD_SIM;
	if (n < 6 || n > 15 || sqn > USIM_SQN_MAX)
		return SIM_ERROR_BAD_SIM;
	usim_init(&card, k, opc);
	usim_set_sqn(&card, sqn);
	memcpy(imsi, digits, 16);
	inserted = true;
	log_value("usim: card inserted, IMSI digits", n);
	return 0;
}

static int op_imsi(void *ctx, l4_word_t badge, uint8_t *digits)
{
	(void)ctx, (void)badge;
	if (!inserted)
		return SIM_ERROR_NO_SIM;
	memcpy(digits, imsi, 16);
	return 0;
}

static int op_authenticate(void *ctx, l4_word_t badge, const uint8_t *rand, const uint8_t *autn,
			   struct sim_auth_result *r)
{
	struct usim_auth_result out;
	int err;

	(void)ctx, (void)badge;
	if (!inserted)
		return SIM_ERROR_NO_SIM;
	memset(&out, 0, sizeof(out));
	err = usim_authenticate(&card, rand, autn, &out);
	memset(r, 0, sizeof(*r));
	memcpy(r->res, out.res, sizeof(r->res));
	r->res_len = out.res_len;
	memcpy(r->ck, out.ck, 16);
	memcpy(r->ik, out.ik, 16);
	memcpy(r->sqn_xor_ak, out.sqn_xor_ak, 6);
	memcpy(r->amf, out.amf, 2);
	memcpy(r->auts, out.auts, sizeof(r->auts));
	memset(&out, 0, sizeof(out));
	if (err == L2_EAUTH) {
		log_value("usim: MAC failure, count", card.stats.mac_failures);
		return SIM_ERROR_MAC_FAILURE;
	}
	have_auts = err == L2_ESTALE;
	if (have_auts)
		memcpy(last_auts, r->auts, sizeof(last_auts));
	if (err == L2_ESTALE) {
		log_value("usim: synchronisation failure, count", card.stats.sync_failures);
		return SIM_ERROR_SYNC_FAILURE;
	}
	return err ? SIM_ERROR_BAD_SIM : 0;
}

static int op_auts(void *ctx, l4_word_t badge, uint8_t *a)
{
	(void)ctx, (void)badge;
	if (!inserted)
		return SIM_ERROR_NO_SIM;
	if (!have_auts)
		return SIM_ERROR_BAD_SIM;
	memcpy(a, last_auts, sizeof(last_auts));
	return 0;
}

static const struct sim_card_ops ops = {
	.insert = op_insert, .imsi = op_imsi, .authenticate = op_authenticate, .auts = op_auts};

void usim_main(uint32_t arg);

void usim_main(uint32_t arg)
{
	struct sim_card_server srv = {.ops = &ops};

	(void)arg;
	sim_card_serve(&srv, SYS_CAP_PROVIDES_SIM_CARD);
}
