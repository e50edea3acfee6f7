/* SPDX-License-Identifier: BSD-2-Clause */
/* The PDCP task: a PDCP entity of protocols/ per radio bearer (TS 36.323) with 128-EEA2/128-EIA2. */
#include "hostif.h"
#include "l4e.h"
#include "pdcp.h"
#include "rlc.h"
#include "rrc.h"
#include "sys_pdcp.h"

#include <l2/pdcp.h>
#include <l4e/keep.h>
#include <l4e/l2.h>
#include <l4e/log.h>
#include <l4e/task.h>
#include <stddef.h>
#include <string.h>

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
		uint32_t tag; /* the COUNT, for RLC's delivery reports */
	} q[QLEN];
	uint32_t n;
};

static struct bearer bearers[BEARERS];
static struct l2_env env = {.ctx = (void *)SYS_POOL_CLOCK_ADDR, .now_ms = l4e_l2_now_ms};
static struct hq down, up; /* down: the tx thread's; up: the rx thread's */
static uint32_t dropped, integrity_failures;

/*
 * What PDCP keeps across its restarts (docs/reliability.md): each bearer's configuration
 * and COUNTs (TX_NEXT/TX_HFN, the receive state, TS 36.323 §7.1) and the security
 * configuration (K_eNB and the algorithms, from which the keys come again), checksummed
 * and sealed after every operation; and its buffer descriptors, whose blocks a new
 * instance gives back. A new instance re-establishes every entity from them (§5.2: AM
 * DRBs keep their COUNTs) and sends a status report on each AM DRB (§5.3.1).
 */
#define KEEP_VERSION 1
struct kept_bearer {
	uint32_t used;
	struct pdcp_bearer_config cfg;
	uint32_t tx_next_sn, tx_hfn, rx_next_sn, rx_hfn, last_submitted_sn;
};
struct pdcp_keep {
	struct l4e_keep_hdr hdr;
	uint32_t have_sec, eea, eia;
	uint8_t kenb[32];
	struct kept_bearer b[BEARERS];
	/* Not in the checksum: changed at every buffer, given back when taken over. */
	struct l4e_l2pool bufs;
	struct l2_buf descs[NDESC];
};
_Static_assert(sizeof(struct pdcp_keep) <= SYS_POOL_PDCP_KEEP_SIZE, "fits pdcp_keep");
_Static_assert(offsetof(struct pdcp_keep, bufs) % 4 == 0, "the checksummed part is whole words");
static struct pdcp_keep *const kept = (struct pdcp_keep *)SYS_POOL_PDCP_KEEP_ADDR;
static bool status_owed; /* a new instance: status reports go out before anything else */

static uint32_t cfg_sum; /* the checksum's constant part: security and configurations */

/* The part that changes only with RRC: security and every bearer's configuration. */
static uint32_t config_sum(void)
{
	uint32_t sum =
		l4e_keep_sum(0, &kept->have_sec,
			     offsetof(struct pdcp_keep, b) - offsetof(struct pdcp_keep, have_sec));
	unsigned i;

	for (i = 0; i < BEARERS; i++)
		sum = l4e_keep_sum(sum, &kept->b[i], offsetof(struct kept_bearer, tx_next_sn));
	return sum;
}

/* The checksum: the constant part, then the COUNTs of the bearers in use. */
static uint32_t keep_sum(void)
{
	uint32_t sum = cfg_sum;
	unsigned i;

	for (i = 0; i < BEARERS; i++)
		if (kept->b[i].used)
			sum = l4e_keep_sum(sum, &kept->b[i].tx_next_sn,
					   sizeof(struct kept_bearer) -
						   offsetof(struct kept_bearer, tx_next_sn));
	return sum;
}

/* After a change of configuration or security: the constant part again, then the seal. */
static void keep_config_seal(void)
{
	cfg_sum = config_sum();
	l4e_keep_seal(&kept->hdr, keep_sum());
}

/* Every entity's COUNTs into the kept state, sealed: after each operation. */
static void keep_counts(void)
{
	unsigned i;

	l4e_keep_open(&kept->hdr);
	for (i = 0; i < BEARERS; i++) {
		const struct pdcp_entity *e = &bearers[i].e;
		struct kept_bearer *k = &kept->b[i];

		if (!bearers[i].used)
			continue;
		k->tx_next_sn = e->tx_next_sn;
		k->tx_hfn = e->tx_hfn;
		k->rx_next_sn = e->rx_next_sn;
		k->rx_hfn = e->rx_hfn;
		k->last_submitted_sn = e->last_submitted_sn;
	}
	l4e_keep_seal(&kept->hdr, keep_sum());
}

static const struct l4e_pool data_pools[] = SYS_SERVER_POOLS_PDCP_DATA;
static const struct l4e_pool ind_pools[] = SYS_SERVER_POOLS_PDCP_IND;

static int configure(const struct pdcp_bearer_config *c);

/*
 * A new instance with a valid kept state: its predecessor's blocks go back to the pool,
 * then every bearer is set up again with its configuration, keys and COUNTs: a PDCP
 * re-establishment (TS 36.323 §5.2) in which AM DRBs keep their COUNTs and so do SRBs and
 * UM DRBs, whose peer is not re-established (their SNs must go on). Reordering state and
 * discard timers start afresh.
 */
static void take_over(void)
{
	uint32_t freed = l4e_keep_free_blocks(&kept->bufs.pool, kept->descs, NDESC, POOL,
					      SYS_POOL_FRAMES_ID);
	unsigned i;

	kept->hdr.takeovers++;
	l4e_l2pool_init(&kept->bufs, kept->descs, NDESC, POOL, SYS_POOL_FRAMES_ID, PDCP_HEADROOM);
	for (i = 0; i < BEARERS; i++) {
		const struct kept_bearer *k = &kept->b[i];
		struct pdcp_entity *e = &bearers[i].e;

		if (!k->used || configure(&k->cfg) != 0)
			continue;
		if (kept->have_sec && pdcp_set_security_kenb(e, kept->kenb, (enum sec_eea)kept->eea,
							     (enum sec_eia)kept->eia) != 0)
			continue;
		e->tx_next_sn = k->tx_next_sn;
		e->tx_hfn = k->tx_hfn;
		e->rx_next_sn = k->rx_next_sn;
		e->rx_hfn = k->rx_hfn;
		e->last_submitted_sn = k->last_submitted_sn;
		if (!k->cfg.srb && k->cfg.rlc_am) {
			pdcp_reestablish(e); /* an AM DRB keeps its COUNTs (§5.2.2) */
			status_owed = status_owed || k->cfg.sn_bits == 12;
		}
	}
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO,
		"pdcp: restarted, bearers re-established; blocks given back", freed, true);
}

/* Either thread may run first after a (re)start; one priority, so no interleaving here. */
static void init_once(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	cfg_sum = config_sum();
	if (l4e_keep_valid(&kept->hdr, KEEP_VERSION, sizeof(*kept), keep_sum())) {
		take_over();
		return;
	}
	l4e_keep_reset(&kept->hdr, KEEP_VERSION, sizeof(*kept));
	keep_config_seal();
	l4e_l2pool_init(&kept->bufs, kept->descs, NDESC, POOL, SYS_POOL_FRAMES_ID, PDCP_HEADROOM);
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
	q->q[q->n].tag = b->tag;
	l4e_l2_handoff(&kept->bufs, b, &q->q[q->n].h);
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

static int configure(const struct pdcp_bearer_config *c)
{
	struct bearer *b;
	struct pdcp_config cfg = {.rb_id = c->rb_id,
				  .srb = c->srb,
				  .rlc_am = c->rlc_am,
				  .sn_bits = c->sn_bits,
				  .tx_dir = SEC_DIR_UL,
				  .discard_ms = c->discard_ms,
				  .keep_sdus = c->keep_sdus && !c->srb && c->rlc_am};

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
	if (pdcp_init(&b->e, &cfg, &b->ops, &env, &kept->bufs.pool) != 0)
		return PDCP_ERROR_BAD_CONFIG;
	b->used = true;
	return 0;
}

static int op_configure(void *ctx, l4_word_t badge, const struct pdcp_bearer_config *c)
{
	int err;

	(void)ctx, (void)badge;
	init_once();
	err = configure(c);
	if (!err) {
		l4e_keep_open(&kept->hdr);
		kept->b[c->lcid - 1].used = 1;
		kept->b[c->lcid - 1].cfg = *c;
		keep_config_seal();
		keep_counts();
	}
	return err;
}

/* TS 33.401 §7.2.1: every bearer's keys from K_eNB; SRBs integrity-protected too. */
static int security(uint8_t eea, uint8_t eia, const uint8_t *kenb)
{
	unsigned i;

	if ((eea != SEC_EEA0 && eea != SEC_EEA2) || (eia != SEC_EIA0 && eia != SEC_EIA2))
		return PDCP_ERROR_BAD_CONFIG;
	for (i = 0; i < BEARERS; i++)
		if (bearers[i].used &&
		    pdcp_set_security_kenb(&bearers[i].e, kenb, (enum sec_eea)eea,
					   (enum sec_eia)eia) != 0)
			return PDCP_ERROR_BAD_CONFIG;
	return 0;
}

static int op_security(void *ctx, l4_word_t badge, uint8_t eea, uint8_t eia, const uint8_t *kenb)
{
	int err;

	(void)ctx, (void)badge;
	err = security(eea, eia, kenb);
	if (!err) {
		l4e_keep_open(&kept->hdr);
		kept->have_sec = 1;
		kept->eea = eea;
		kept->eia = eia;
		memcpy(kept->kenb, kenb, sizeof(kept->kenb));
		keep_config_seal();
	}
	return err;
}

/* The bearer gone (a new connection sets it up afresh): its entity, COUNTs and buffers. */
static int op_release(void *ctx, l4_word_t badge, uint8_t lcid)
{
	struct bearer *b = bearer_of(lcid);

	(void)ctx, (void)badge;
	if (!b)
		return PDCP_ERROR_NO_BEARER;
	pdcp_release(&b->e);
	b->used = false;
	l4e_keep_open(&kept->hdr);
	memset(&kept->b[lcid - 1], 0, sizeof(kept->b[lcid - 1]));
	keep_config_seal();
	return 0;
}

static int down_flush(int err);

/* One bearer's AS keys from RRC (attach mode): integrity only until ciphering is given. */
static int op_keys(void *ctx, l4_word_t badge, uint8_t lcid, uint8_t eea, const uint8_t *k_enc,
		   uint8_t eia, const uint8_t *k_int)
{
	struct bearer *b = bearer_of(lcid);

	(void)ctx, (void)badge;
	if (!b)
		return PDCP_ERROR_NO_BEARER;
	if ((eea != SEC_EEA0 && eea != SEC_EEA2) || (eia != SEC_EIA0 && eia != SEC_EIA2) ||
	    pdcp_set_security(&b->e, (enum sec_eea)eea, k_enc, (enum sec_eia)eia,
			      eia == SEC_EIA0 ? NULL : k_int) != 0)
		return PDCP_ERROR_BAD_CONFIG;
	return 0;
}

static int op_verify_last(void *ctx, l4_word_t badge, uint8_t lcid, uint8_t eia,
			  const uint8_t *k_int, bool *ok)
{
	struct bearer *b = bearer_of(lcid);

	(void)ctx, (void)badge;
	if (!b)
		return PDCP_ERROR_NO_BEARER;
	*ok = pdcp_verify_last_rx(&b->e, (enum sec_eia)eia, k_int) == 0;
	return 0;
}

static int op_reestablish(void *ctx, l4_word_t badge, uint8_t lcid)
{
	struct bearer *b = bearer_of(lcid);

	(void)ctx, (void)badge;
	if (!b)
		return PDCP_ERROR_NO_BEARER;
	pdcp_reestablish(&b->e);
	keep_counts();
	return down_flush(0);
}

/* What the tx thread queued goes to RLC; the first error, or `err`. */
static int down_flush(int err)
{
	uint32_t i;

	for (i = 0; i < down.n; i++) {
		int e = rlc_data_tx(SYS_CAP_USES_RLC_DATA, down.q[i].lcid, &down.q[i].h,
				    down.q[i].tag);

		if (e) {
			dropped++;	     /* RLC took the block back (its queue is full) */
			err = err ? err : e; /* passed up: tx raises rlc::error too */
		}
	}
	down.n = 0;
	return err;
}

/* A new instance's first PDUs: a status report on every AM DRB (TS 36.323 §5.3.1). */
static void send_status_reports(void)
{
	unsigned i;

	status_owed = false;
	for (i = 0; i < BEARERS; i++)
		if (bearers[i].used && !bearers[i].srb && pdcp_tx_status_report(&bearers[i].e) == 0)
			l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO,
				"pdcp: status report after re-establishment, lcid", bearers[i].lcid,
				true);
	down_flush(0);
}

static int op_tx(void *ctx, l4_word_t badge, uint8_t lcid, const struct l4e_buffer *sdu)
{
	struct bearer *b = bearer_of(lcid);
	struct l2_buf *buf;
	int err = 0;

	(void)ctx, (void)badge;
	if (!b) {
		l4e_pool_free(POOL, sdu);
		return PDCP_ERROR_NO_BEARER;
	}
	buf = l4e_l2_adopt(&kept->bufs, sdu);
	if (!buf)
		return PDCP_ERROR_NO_SPACE;
	pdcp_tick(&b->e);
	if (pdcp_tx_sdu(&b->e, buf) != 0)
		err = PDCP_ERROR_NO_SPACE;
	keep_counts(); /* before RLC has the PDU: a new instance never reuses its COUNT */
	return down_flush(err);
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
	buf = l4e_l2_adopt(&kept->bufs, pdu);
	if (!buf)
		return 0;
	pdcp_rx_pdu(&b->e, buf, false); /* drops and counts what is malformed or forged */
	keep_counts();
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

static const struct pdcp_data_ops data_ops = {.tx = op_tx,
					      .configure = op_configure,
					      .security = op_security,
					      .release = op_release,
					      .keys = op_keys,
					      .verify_last = op_verify_last,
					      .reestablish = op_reestablish};
/* RLC AM acknowledged SDUs up to `count`: their kept copies go (keep_sdus). */
static int op_delivered(void *ctx, l4_word_t badge, uint8_t lcid, uint32_t count)
{
	struct bearer *b = bearer_of(lcid);

	(void)ctx, (void)badge;
	if (b)
		pdcp_tx_delivered_upto(&b->e, count);
	return 0;
}

static const struct pdcp_ind_ops ind_ops = {.rx = op_rx, .delivered = op_delivered};

void pdcp_tx_main(uint32_t arg);
void pdcp_rx_main(uint32_t arg);

void pdcp_tx_main(uint32_t arg)
{
	struct pdcp_data_server srv = {
		.ops = &data_ops, .pools = data_pools, .npools = SYS_SERVER_NPOOLS_PDCP_DATA};

	(void)arg;
	init_once();
	if (status_owed)
		send_status_reports();
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
