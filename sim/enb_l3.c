/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The network's layer 3 in attach mode: the eNB's RRC (protocols/rrc, TS 36.331) over SRB0
 * (Msg3 and Msg4), SRB1 and SRB2, an MME with its HSS (protocols/nas, TS 24.301) behind it,
 * and system information for the UEs that are not connected.
 */
#include <stdlib.h>
#include <string.h>

#include "enb_internal.h"
#include "l2/pcap.h"
#include "l3/mme.h"

#define SI_RNTI	     0xffffu /* TS 36.321 Table 7.1-1 */
#define SI_PERIOD    20	     /* SIB1 in subframe 5, SI (SIB2) in subframe 15, of every 20 */
#define RELEASE_WAIT 40	     /* subframes from RRCConnectionRelease to dropping the context */
#define BCCH_MAX     128

struct enb_l3 {
	struct rrc_enb rrc;
	struct mme mme;
	uint8_t sib1[BCCH_MAX], si[BCCH_MAX];
	uint16_t sib1_len, si_len;
};

/* S1 connection of a UE: its index + 1 (one connection per UE at a time). */
static struct enb_ue *ue_of_rnti(struct enb *e, uint16_t rnti)
{
	unsigned i;

	for (i = 0; i < e->cfg.n_ue; i++)
		if (e->ue[i].state != ENB_UE_IDLE && e->ue[i].rnti == rnti)
			return &e->ue[i];
	return NULL;
}

static struct enb_bearer *srb_of(struct enb_ue *u, uint8_t srb)
{
	unsigned i;

	for (i = 0; i < u->n_bearers; i++)
		if (u->bearer[i].cfg.srb && u->bearer[i].cfg.rb_id == srb)
			return &u->bearer[i];
	return NULL;
}

/* A bearer's keys: integrity only on SRBs until the SMC completes (TS 33.401 §7.2.4.5). */
static void bearer_keys(struct enb_ue *u, struct enb_bearer *b)
{
	enum sec_eea eea = u->ciphering ? (enum sec_eea)u->keys.eea : SEC_EEA0;

	if (!u->has_keys)
		return;
	if (b->cfg.srb)
		pdcp_set_security(&b->pdcp, eea, u->keys.k_rrc_enc, (enum sec_eia)u->keys.eia,
				  u->keys.k_rrc_int);
	else
		pdcp_set_security(&b->pdcp, eea, u->keys.k_up_enc, SEC_EIA0, NULL);
}

static void all_keys(struct enb_ue *u)
{
	unsigned i;

	for (i = 0; i < u->n_bearers; i++)
		bearer_keys(u, &u->bearer[i]);
}

/*
 * The plain NAS message inside `pdu` as the NAS layers see it, for the NAS capture: an
 * integrity-only message is read in place, a ciphered one deciphered (and its MAC checked)
 * with a copy of the MME's context, turned around for the downlink.
 */
static void nas_trace(struct enb *e, unsigned ue, bool ul, const uint8_t *pdu, size_t len)
{
	struct mme_ue *m = mme_find_conn(&e->l3->mme, ue + 1);
	uint8_t plain[NAS_MAX_MSG + NAS_SEC_HDR_LEN];
	const uint8_t *p = pdu;
	size_t n = len;
	int hdr = nas_sec_header_type(pdu, len);

	if (!e->cfg.nas || hdr < 0)
		return;
	if (hdr == NAS_SEC_INT || hdr == NAS_SEC_INT_NEW) {
		p = nas_sec_peek(pdu, len, &n);
	} else if (hdr == NAS_SEC_INT_ENC || hdr == NAS_SEC_INT_ENC_NEW) {
		struct nas_sec c;
		uint8_t h;
		int r;

		if (!m)
			return;
		c = m->sec;
		if (!ul) {
			c.ue = true;
			c.rx_count = (c.tx_count - 1) & NAS_COUNT_MASK;
		}
		r = nas_sec_unprotect(&c, pdu, len, plain, sizeof(plain), &h);
		nas_sec_wipe(&c);
		p = r > 0 ? plain : NULL;
		n = r > 0 ? (size_t)r : 0;
	}
	if (p && n)
		e->cfg.nas(e->cfg.ctx, ue, ul, p, (uint32_t)n);
	else
		enb_log(e, L2_LOG_WARN, "enb_nas_trace_failed", (int32_t)ue, hdr);
}

/* ---------------------------------------------------------------- RRC's callbacks */

static void rrc_send(void *ctx, uint16_t rnti, uint8_t srb, const uint8_t *pdu, size_t len)
{
	struct enb *e = ctx;
	struct enb_ue *u = ue_of_rnti(e, rnti);
	struct enb_bearer *b;
	struct l2_buf *sdu;

	if (!u) {
		enb_log(e, L2_LOG_INFO, "enb_rrc_no_ue", rnti, srb);
		return;
	}
	if (srb == 0) {
		/* DL-CCCH goes in Msg4 with the contention resolution identity. */
		if (len > sizeof(u->ccch_dl)) {
			enb_log(e, L2_LOG_ERROR, "enb_ccch_too_long", (int32_t)u->idx,
				(int32_t)len);
			return;
		}
		memcpy(u->ccch_dl, pdu, len);
		u->ccch_len = (uint16_t)len;
		return;
	}
	/* SecurityModeComplete came: ciphering both ways from the next message on (TS 33.401
	 * §7.2.4.5); the SMC itself went integrity protected only. */
	if (!u->ciphering && u->has_keys) {
		struct rrc_enb_ue *r = rrc_enb_find(&e->l3->rrc, rnti);

		if (r && r->security_active) {
			u->ciphering = true;
			all_keys(u);
		}
	}
	b = srb_of(u, srb);
	if (!b || !(sdu = l2_buf_from(&e->pool, pdu, (uint16_t)len))) {
		enb_log(e, L2_LOG_ERROR, "enb_srb_send_failed", (int32_t)u->idx, srb);
		return;
	}
	pdcp_tx_sdu(&b->pdcp, sdu);
}

static void rrc_s1_nas(void *ctx, uint16_t rnti, const uint8_t *nas, size_t len, bool initial)
{
	struct enb *e = ctx;
	struct enb_ue *u = ue_of_rnti(e, rnti);
	uint32_t conn;

	if (!u)
		return;
	conn = u->idx + 1;
	/* A new connection of a UE the MME still knows on its old one: that one is gone. */
	if (initial && mme_find_conn(&e->l3->mme, conn))
		mme_conn_released(&e->l3->mme, conn);
	nas_trace(e, u->idx, true, nas, len);
	mme_rx(&e->l3->mme, conn, nas, len);
}

/* Add (or replace) the bearers of an RRC radio resource configuration. */
static void rrc_configure(void *ctx, uint16_t rnti, const struct rrc_radio_config *rr)
{
	struct enb *e = ctx;
	struct enb_ue *u = ue_of_rnti(e, rnti);
	struct rl_cfg_bearer c[RRC_MAX_SRB + RRC_MAX_DRB];
	unsigned n = 0, i, k;

	if (!u)
		return;
	for (i = 0; i < rr->n_srb; i++)
		if (rrc_srb_bearer(&rr->srb[i], &c[n]) == 0)
			n++;
	for (i = 0; i < rr->n_drb; i++)
		if (rrc_drb_bearer(&rr->drb[i], &c[n]) == 0)
			n++;
	for (i = 0; i < n; i++) {
		for (k = 0; k < u->n_bearers; k++)
			if (u->bearer[k].cfg.lcid == c[i].lcid)
				break;
		if (k == u->n_bearers && k == ENB_MAX_BEARERS) {
			enb_log(e, L2_LOG_ERROR, "enb_bearers_full", (int32_t)u->idx, c[i].lcid);
			continue;
		}
		if (k < u->n_bearers) {
			/* Already there (re-establishment's SRB1, the DRB again): keep its state. */
			continue;
		}
		enb_bearer_setup(e, u, k, &c[i]);
		u->n_bearers++;
		bearer_keys(u, &u->bearer[k]);
	}
}

static void rrc_security(void *ctx, uint16_t rnti, const struct rrc_as_keys *keys)
{
	struct enb *e = ctx;
	struct enb_ue *u = ue_of_rnti(e, rnti);
	struct rrc_enb_ue *r = rrc_enb_find(&e->l3->rrc, rnti);

	if (!u)
		return;
	u->keys = *keys;
	u->has_keys = true;
	/* Re-establishment: security was on, it stays on with the new keys (§5.3.7.5), and
	 * every bearer's RLC and PDCP are re-established: an AM DRB sends again what RLC had
	 * not confirmed (TS 36.323 §5.2.1.1). */
	u->ciphering = r && r->security_active;
	all_keys(u);
	if (u->ciphering) {
		unsigned i;

		for (i = 0; i < u->n_bearers; i++) {
			struct enb_bearer *b = &u->bearer[i];

			if (b->cfg.rlc_mode == RL_RLC_AM) {
				u->stats.rlc_retx += b->rlc.am.c.stats.tx_retx_pdus;
				rlc_am_reestablish(&b->rlc.am);
			} else
				rlc_um_reestablish(&b->rlc.um);
			pdcp_reestablish(&b->pdcp);
		}
		u->l3.rrc_reest++;
	}
}

static void rrc_setup_done(void *ctx, uint16_t rnti, bool ok)
{
	struct enb *e = ctx;
	struct enb_ue *u = ue_of_rnti(e, rnti);

	if (u)
		mme_context_setup_done(&e->l3->mme, u->idx + 1, ok);
}

static void rrc_rnti_changed(void *ctx, uint16_t old_rnti, uint16_t new_rnti)
{
	struct enb *e = ctx;
	struct enb_ue *u = ue_of_rnti(e, old_rnti);

	if (!u || new_rnti)
		return;
	/* The RRC context is gone (release): the MME's S1 connection goes, and the layer-2
	 * context once RLC had time to deliver RRCConnectionRelease. */
	if (mme_find_conn(&e->l3->mme, u->idx + 1))
		mme_conn_released(&e->l3->mme, u->idx + 1);
	u->l3.rrc_releases++;
	u->release_due = true;
	u->release_at = e->now + RELEASE_WAIT;
}

/* ---------------------------------------------------------------- the MME's callbacks */

static uint16_t conn_rnti(struct enb *e, uint32_t conn)
{
	if (conn < 1 || conn > e->cfg.n_ue || e->ue[conn - 1].state == ENB_UE_IDLE)
		return 0;
	return e->ue[conn - 1].rnti;
}

static void mme_send(void *ctx, uint32_t conn, const uint8_t *pdu, size_t len)
{
	struct enb *e = ctx;
	uint16_t rnti = conn_rnti(e, conn);

	nas_trace(e, conn - 1, false, pdu, len);
	if (rnti)
		rrc_enb_dl_nas(&e->l3->rrc, rnti, pdu, len);
}

static void mme_setup(void *ctx, uint32_t conn, const uint8_t kenb[32], uint8_t ebi, uint8_t qci,
		      const uint8_t *nas, size_t len)
{
	struct enb *e = ctx;
	uint16_t rnti = conn_rnti(e, conn);

	nas_trace(e, conn - 1, false, nas, len);
	if (rnti)
		rrc_enb_context_setup(&e->l3->rrc, rnti, kenb, ebi, qci, nas, len);
}

static void mme_release(void *ctx, uint32_t conn)
{
	struct enb *e = ctx;
	uint16_t rnti = conn_rnti(e, conn);

	if (rnti)
		rrc_enb_release(&e->l3->rrc, rnti);
}

static void mme_event(void *ctx, uint32_t conn, const char *what, int sub)
{
	struct enb *e = ctx;
	struct enb_l3_stats *st;

	if (conn < 1 || conn > e->cfg.n_ue)
		return;
	st = &e->ue[conn - 1].l3;
	if (!strcmp(what, "attach")) {
		st->attaches++;
		if (!st->first_attach_sf)
			st->first_attach_sf = e->now + 1;
	} else if (!strcmp(what, "detach")) {
		st->detaches++;
	} else if (!strcmp(what, "auth-failure")) {
		st->auth_failures++;
	} else if (!strcmp(what, "resync")) {
		st->resyncs++;
	} else if (!strcmp(what, "attach-reject")) {
		st->attach_rejects++;
	} else if (!strcmp(what, "auth-reject")) {
		st->auth_rejects++;
	}
	enb_log(e, L2_LOG_INFO, what, (int32_t)(conn - 1), sub);
}

/* ---------------------------------------------------------------- the eNB's side */

int enb_l3_init(struct enb *e)
{
	static const struct rrc_enb_ops rops = {.send = rrc_send,
						.s1_nas = rrc_s1_nas,
						.configure = rrc_configure,
						.security = rrc_security,
						.context_setup_done = rrc_setup_done,
						.rnti_changed = rrc_rnti_changed};
	static const struct mme_ops mops = {.send = mme_send,
					    .context_setup = mme_setup,
					    .release = mme_release,
					    .event = mme_event};
	struct rrc_enb_ops ro = rops;
	struct mme_ops mo = mops;
	struct rrc_enb_config rc;
	struct mme_config mc;
	struct enb_l3 *l;
	unsigned i;
	int n;

	l = e->l3 = calloc(1, sizeof(*l));
	if (!l)
		return L2_ENOMEM;
	ro.ctx = mo.ctx = e;
	memset(&rc, 0, sizeof(rc));
	rc.pci = 1;
	rc.earfcn = 3100;
	rc.cell_id = 0x19b01;
	rc.tac = 7;
	rc.plmn = (struct rrc_plmn){.has_mcc = true, .mcc = {0, 0, 1}, .mnc_len = 2, .mnc = {0, 1}};
	rc.eea = e->cfg.sec.eea;
	rc.eia = e->cfg.sec.eia;
	rc.mac.time_alignment_timer = 7; /* infinity */
	rc.sib2.t300 = 3;		 /* ms400 */
	rc.sib2.t301 = 3;		 /* ms400 */
	rc.sib2.t311 = 1;		 /* ms3000 */
	rc.sib2.max_harq_msg3_tx = 4;
	rc.sib2.n_sb = 1;
	rc.sib2.additional_spectrum_emission = 1;
	rc.sib2.p0_nominal_pusch = -85;
	rc.sib2.p0_nominal_pucch = -107;
	rc.sib2.n_preambles = 15;		 /* n64 */
	rc.sib2.ra_response_window = 7;		 /* sf10 */
	rc.sib2.contention_resolution_timer = 7; /* sf64 */
	rc.sib2.preamble_trans_max = 6;		 /* n10 */
	/* The DRB as the scenario's first DRB says, in RRC's values. */
	for (i = 0; i < e->cfg.n_bearers && !rc.has_drb; i++)
		if (!e->cfg.bearer[i].srb)
			rc.has_drb = rrc_drb_from_bearer(&e->cfg.bearer[i], 5, &rc.drb) == 0;
	if (rrc_enb_init(&l->rrc, &rc, &ro, &e->env) < 0)
		return L2_EINVAL;
	memset(&mc, 0, sizeof(mc));
	mc.plmn = (struct nas_plmn){1, 1, 2};
	mc.tac = 7;
	mc.mmegi = 0x8001;
	mc.mmec = 0x1a;
	mc.t3412 = 0x21;					   /* 1 minute steps: 1 min */
	mc.ip_base[0] = 10, mc.ip_base[1] = 45, mc.ip_base[3] = 1; /* UE k: 10.45.0.(2 + k) */
	memcpy(mc.apn, "internet", 9);
	if (mme_init(&l->mme, &mc, &mo, &e->env) < 0)
		return L2_EINVAL;
	for (i = 0; i < e->cfg.n_ue; i++) {
		const struct enb_subscriber *s = &e->cfg.sub[i];

		if (mme_add_subscriber(&l->mme, s->imsi, s->k, s->opc, s->sqn) < 0)
			return L2_EINVAL;
	}
	n = rrc_enb_bcch(&l->rrc, RRC_SIB1, 0, l->sib1, sizeof(l->sib1));
	if (n <= 0)
		return L2_EINVAL;
	l->sib1_len = (uint16_t)n;
	n = rrc_enb_bcch(&l->rrc, RRC_SI, 0, l->si, sizeof(l->si));
	if (n <= 0)
		return L2_EINVAL;
	l->si_len = (uint16_t)n;
	return 0;
}

void enb_l3_free(struct enb *e)
{
	free(e->l3);
	e->l3 = NULL;
}

void enb_l3_ccch_rx(struct enb *e, struct enb_ue *u, const uint8_t *sdu, uint32_t len)
{
	u->ccch_len = 0;
	u->release_due = false;
	/* UL-CCCH-Message c1: rrcConnectionRequest (second bit 1) starts afresh; a
	 * re-establishment request keeps the bearers for RRC to re-establish. */
	if (len && (sdu[0] & 0x40)) {
		enb_bearers_release(u);
		u->n_bearers = 0;
		u->has_keys = u->ciphering = false;
	}
	if (rrc_enb_rx(&e->l3->rrc, u->rnti, 0, sdu, len) < 0)
		enb_log(e, L2_LOG_WARN, "enb_ccch_refused", (int32_t)u->idx, (int32_t)len);
	else if (u->ccch_len)
		u->l3.rrc_setups++;
}

void enb_l3_srb_rx(struct enb *e, struct enb_ue *u, uint8_t srb, const uint8_t *sdu, uint32_t len)
{
	if (rrc_enb_rx(&e->l3->rrc, u->rnti, srb, sdu, len) < 0)
		enb_log(e, L2_LOG_WARN, "enb_dcch_refused", (int32_t)u->idx, (int32_t)len);
}

/* System information on the SI-RNTI for each awake UE that is not connected. */
static void put_si(struct enb *e, struct enb_ue *u, uint32_t sf)
{
	struct enb_dl_out *o = &u->out;
	const uint8_t *p;
	uint16_t len;

	if (sf % SI_PERIOD == 5)
		p = e->l3->sib1, len = e->l3->sib1_len;
	else if (sf % SI_PERIOD == 15)
		p = e->l3->si, len = e->l3->si_len;
	else
		return;
	if (o->n_tb == ENB_DL_MAX_TB)
		return;
	o->tb[o->n_tb++] =
		(struct enb_dl_tb){.tb = {.rnti = SI_RNTI, .tbs = len, .tb = p, .crc_ok = true},
				   .rnti_type = MAC_LTE_SI_RNTI};
}

void enb_l3_subframe(struct enb *e, uint32_t sf)
{
	unsigned i;

	mme_tick(&e->l3->mme);
	for (i = 0; i < e->cfg.n_ue; i++) {
		struct enb_ue *u = &e->ue[i];

		if (u->release_due && (int32_t)(sf - u->release_at) >= 0) {
			u->release_due = false;
			if (u->state != ENB_UE_IDLE)
				enb_ue_release(e, u);
		}
		if (u->awake && u->state == ENB_UE_IDLE)
			put_si(e, u, sf);
	}
}
