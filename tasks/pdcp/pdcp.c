/* SPDX-License-Identifier: BSD-2-Clause */
/* The PDCP task: a PDCP entity of protocols/ per radio bearer (TS 36.323) with 128-EEA2/128-EIA2. */
#include "hostif.h"
#include "l4e.h"
#include "pdcp.h"
#include "rlc.h"
#include "rrc.h"
#include "sys_pdcp.h"

#include <l2/pdcp.h>
#include <l4e/l2.h>
#include <l4e/log.h>
#include <l4e/task.h>

#define POOL	((void *)SYS_POOL_FRAMES_ADDR)
#define NDESC	96
#define BEARERS RLC_LCH_MAX /* named by LCID 1..BEARERS */
#define QLEN	80

struct bearer {
	bool used;
	uint8_t lcid;
	bool srb;
	struct pdcp_entity e;
	struct pdcp_ops ops;
};

/* Handles queued by a library callback, sent once the library returned (l4e/l2.h). */
struct hq {
	struct {
		uint8_t lcid;
		struct l4e_buffer h;
	} q[QLEN];
	uint32_t n;
};

static struct bearer bearers[BEARERS];
static struct l4e_l2pool bufs;
static struct l2_buf descs[NDESC];
static struct l2_env env = {.ctx = (void *)SYS_POOL_CLOCK_ADDR, .now_ms = l4e_l2_now_ms};
static struct hq down, up; /* down: the tx thread's; up: the rx thread's */
static uint32_t dropped, integrity_failures;

static const struct l4e_pool data_pools[] = SYS_SERVER_POOLS_PDCP_DATA;
static const struct l4e_pool ind_pools[] = SYS_SERVER_POOLS_PDCP_IND;

static void init_once(void)
{
	static bool done;

	if (!done)
		done = l4e_l2pool_init(&bufs, descs, NDESC, POOL, SYS_POOL_FRAMES_ID,
				       PDCP_HEADROOM) == 0;
}

static struct bearer *bearer_of(uint8_t lcid)
{
	if (lcid < 1 || lcid > BEARERS || !bearers[lcid - 1].used)
		return NULL;
	return &bearers[lcid - 1];
}

static void hq_put(struct hq *q, uint8_t lcid, struct l2_buf *b)
{
	if (q->n == QLEN) {
		if (dropped++ < 4)
			l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_WARN,
				"pdcp: dropped, queue full, lcid", lcid, true);
		l2_buf_free(b);
		return;
	}
	q->q[q->n].lcid = lcid;
	l4e_l2_handoff(&bufs, b, &q->q[q->n].h);
	q->n++;
}

static void tx_pdu(void *ctx, struct l2_buf *pdu)
{
	hq_put(&down, ((struct bearer *)ctx)->lcid, pdu);
}

static void rx_sdu(void *ctx, struct l2_buf *sdu)
{
	hq_put(&up, ((struct bearer *)ctx)->lcid, sdu);
}

static void integrity_failure(void *ctx, uint32_t count)
{
	(void)ctx, (void)count;
	integrity_failures++; /* counted in the entity's stats too; RRC acts on it later */
}

static int op_configure(void *ctx, l4_word_t badge, const struct pdcp_bearer_config *c)
{
	struct bearer *b;
	struct pdcp_config cfg = {.rb_id = c->rb_id,
				  .srb = c->srb,
				  .rlc_am = c->rlc_am,
				  .sn_bits = c->sn_bits,
				  .tx_dir = SEC_DIR_UL,
				  .discard_ms = c->discard_ms};

	(void)ctx, (void)badge;
	init_once();
	if (c->lcid < 1 || c->lcid > BEARERS)
		return PDCP_ERROR_NO_BEARER;
	b = &bearers[c->lcid - 1];
	if (b->used)
		return PDCP_ERROR_BAD_CONFIG;
	b->lcid = c->lcid;
	b->srb = c->srb;
	b->ops = (struct pdcp_ops){.ctx = b,
				   .tx_pdu = tx_pdu,
				   .rx_sdu = rx_sdu,
				   .integrity_failure = integrity_failure};
	if (pdcp_init(&b->e, &cfg, &b->ops, &env, &bufs.pool) != 0)
		return PDCP_ERROR_BAD_CONFIG;
	b->used = true;
	return 0;
}

/* TS 33.401 §7.2.1: every bearer's keys from K_eNB; SRBs integrity-protected too. */
static int op_security(void *ctx, l4_word_t badge, uint8_t eea, uint8_t eia, const uint8_t *kenb)
{
	unsigned i;

	(void)ctx, (void)badge;
	if ((eea != SEC_EEA0 && eea != SEC_EEA2) || (eia != SEC_EIA0 && eia != SEC_EIA2))
		return PDCP_ERROR_BAD_CONFIG;
	for (i = 0; i < BEARERS; i++)
		if (bearers[i].used &&
		    pdcp_set_security_kenb(&bearers[i].e, kenb, (enum sec_eea)eea,
					   (enum sec_eia)eia) != 0)
			return PDCP_ERROR_BAD_CONFIG;
	return 0;
}

static int op_tx(void *ctx, l4_word_t badge, uint8_t lcid, const struct l4e_buffer *sdu)
{
	struct bearer *b = bearer_of(lcid);
	struct l2_buf *buf;
	int err = 0;
	uint32_t i;

	(void)ctx, (void)badge;
	if (!b) {
		l4e_pool_free(POOL, sdu);
		return PDCP_ERROR_NO_BEARER;
	}
	buf = l4e_l2_adopt(&bufs, sdu);
	if (!buf)
		return PDCP_ERROR_NO_SPACE;
	pdcp_tick(&b->e);
	if (pdcp_tx_sdu(&b->e, buf) != 0)
		err = PDCP_ERROR_NO_SPACE;
	for (i = 0; i < down.n; i++) {
		int e = rlc_data_tx(SYS_CAP_USES_RLC_DATA, down.q[i].lcid, &down.q[i].h);

		if (e) {
			dropped++;	     /* RLC took the block back (its queue is full) */
			err = err ? err : e; /* passed up: tx raises rlc::error too */
		}
	}
	down.n = 0;
	return err;
}

static int op_rx(void *ctx, l4_word_t badge, uint8_t lcid, const struct l4e_buffer *pdu)
{
	struct bearer *b = bearer_of(lcid);
	struct l2_buf *buf;
	uint32_t i;

	(void)ctx, (void)badge;
	if (!b) {
		l4e_pool_free(POOL, pdu);
		return 0;
	}
	buf = l4e_l2_adopt(&bufs, pdu);
	if (!buf)
		return 0;
	pdcp_rx_pdu(&b->e, buf, false); /* drops and counts what is malformed or forged */
	for (i = 0; i < up.n; i++) {
		const struct bearer *to = bearer_of(up.q[i].lcid);
		int e = to && to->srb
				? rrc_ind_rx(SYS_CAP_USES_RRC_IND, up.q[i].lcid, &up.q[i].h)
				: hostif_ind_rx(SYS_CAP_USES_HOSTIF_IND, up.q[i].lcid, &up.q[i].h);

		if (e) {
			dropped++;
			l4e_pool_free(POOL, &up.q[i].h);
		}
	}
	up.n = 0;
	return 0;
}

static const struct pdcp_data_ops data_ops = {
	.tx = op_tx, .configure = op_configure, .security = op_security};
static const struct pdcp_ind_ops ind_ops = {.rx = op_rx};

void pdcp_tx_main(uint32_t arg);
void pdcp_rx_main(uint32_t arg);

void pdcp_tx_main(uint32_t arg)
{
	struct pdcp_data_server srv = {
		.ops = &data_ops, .pools = data_pools, .npools = SYS_SERVER_NPOOLS_PDCP_DATA};

	(void)arg;
	init_once();
	pdcp_data_serve(&srv, SYS_CAP_PROVIDES_PDCP_DATA);
}

void pdcp_rx_main(uint32_t arg)
{
	struct pdcp_ind_server srv = {
		.ops = &ind_ops, .pools = ind_pools, .npools = SYS_SERVER_NPOOLS_PDCP_IND};

	(void)arg;
	init_once();
	pdcp_ind_serve(&srv, SYS_CAP_PROVIDES_PDCP_IND);
}
