/* SPDX-License-Identifier: BSD-2-Clause */
/* The eNB: UE contexts, RLC/PDCP peers per bearer, UL reception and demultiplexing, network side. */
#include <stdlib.h>
#include <string.h>

#include "enb_internal.h"
#include "l2/pcap.h"

static uint32_t enb_clock(void *ctx)
{
	return ((struct enb *)ctx)->now;
}

static uint32_t enb_random(void *ctx)
{
	return rng_u32(&((struct enb *)ctx)->rng);
}

static void enb_log_hook(void *ctx, enum l2_log_level level, const char *event, int32_t a,
			 int32_t b)
{
	struct enb *e = ctx;

	if (e->cfg.log)
		e->cfg.log(e->cfg.ctx, level, event, a, b);
}

/* ---------------------------------------------------------------- bearers */

static void bearer_pdcp_tx(void *ctx, struct l2_buf *pdu)
{
	struct enb_bearer *b = ctx;

	if (b->cfg.rlc_mode == RL_RLC_AM)
		rlc_am_tx_sdu(&b->rlc.am, pdu);
	else
		rlc_um_tx_sdu(&b->rlc.um, pdu);
}

static void bearer_pdcp_discard(void *ctx, uint32_t count)
{
	struct enb_bearer *b = ctx;

	if (b->cfg.rlc_mode == RL_RLC_AM)
		rlc_am_discard_sdu(&b->rlc.am, count);
}

static void bearer_pdcp_rx(void *ctx, struct l2_buf *sdu)
{
	struct enb_bearer *b = ctx;
	struct enb_ue *u = b->ue;
	struct enb *e = b->enb;

	if (b->cfg.srb) {
		u->stats.srb_rx_sdus++;
		if (e->cfg.attach)
			enb_l3_srb_rx(e, u, b->cfg.rb_id, l2_buf_data(sdu), sdu->len);
	} else {
		u->stats.ul_ip_pkts++;
		u->stats.ul_ip_bytes += sdu->len;
		if (e->cfg.rx_ip)
			e->cfg.rx_ip(e->cfg.ctx, u->idx, b->cfg.rb_id, l2_buf_data(sdu), sdu->len);
	}
	l2_buf_free(sdu);
}

static void bearer_integrity_failure(void *ctx, uint32_t count)
{
	struct enb_bearer *b = ctx;

	enb_log(b->enb, L2_LOG_ERROR, "enb_integrity_failure", (int32_t)b->ue->idx, (int32_t)count);
}

static void bearer_rlc_rx(void *ctx, struct l2_buf *sdu)
{
	struct enb_bearer *b = ctx;
	bool re = b->cfg.rlc_mode == RL_RLC_AM ? b->rlc.am.c.reestablishing
					       : b->rlc.um.c.reestablishing;

	pdcp_rx_pdu(&b->pdcp, sdu, re);
}

static void bearer_rlc_delivered(void *ctx, uint32_t tag)
{
	struct enb_bearer *b = ctx;

	pdcp_tx_delivered_upto(&b->pdcp, tag);
}

static void bearer_rlc_max_retx(void *ctx, uint16_t sn)
{
	struct enb_bearer *b = ctx;

	b->ue->rlf_pending = true;
	enb_log(b->enb, L2_LOG_ERROR, "enb_rlc_max_retx", (int32_t)b->ue->idx, sn);
}

static struct l2_buf *bearer_tx_pdu(void *ctx, uint32_t max)
{
	struct enb_bearer *b = ctx;

	return b->cfg.rlc_mode == RL_RLC_AM ? rlc_am_tx_pdu(&b->rlc.am, max)
					    : rlc_um_tx_pdu(&b->rlc.um, max);
}

uint32_t enb_bearer_bytes(const struct enb_bearer *b)
{
	return b->cfg.rlc_mode == RL_RLC_AM ? rlc_am_buffer_bytes(&b->rlc.am)
					    : rlc_um_buffer_bytes(&b->rlc.um);
}

static uint32_t bearer_buffer_bytes(void *ctx)
{
	return enb_bearer_bytes(ctx);
}

static const struct rlc_ops *bearer_rlc_ops(struct enb_bearer *b, struct rlc_ops *ops)
{
	*ops = (struct rlc_ops){.ctx = b,
				.rx_sdu = bearer_rlc_rx,
				.tx_delivered = bearer_rlc_delivered,
				.max_retx = bearer_rlc_max_retx};
	return ops;
}

/* Set up bearer `i` of `u` from `c` in its initial state (PDCP, RLC, the LCP entry). */
void enb_bearer_setup(struct enb *e, struct enb_ue *u, unsigned i, const struct rl_cfg_bearer *c)
{
	struct enb_bearer *b = &u->bearer[i];
	struct pdcp_config pc = {.rb_id = c->rb_id,
				 .srb = c->srb,
				 .rlc_am = c->rlc_mode == RL_RLC_AM,
				 .sn_bits = c->pdcp_sn_bits,
				 .tx_dir = SEC_DIR_DL,
				 .discard_ms = c->discard_ms,
				 /* Attach mode re-establishes: an AM DRB loses nothing then. */
				 .keep_sdus = e->cfg.attach && !c->srb && c->rlc_mode == RL_RLC_AM};
	struct pdcp_ops po = {.ctx = b,
			      .tx_pdu = bearer_pdcp_tx,
			      .tx_discard = bearer_pdcp_discard,
			      .rx_sdu = bearer_pdcp_rx,
			      .integrity_failure = bearer_integrity_failure};
	struct rlc_ops ro;

	memset(b, 0, sizeof(*b));
	b->cfg = *c;
	b->enb = e;
	b->ue = u;
	pdcp_init(&b->pdcp, &pc, &po, &e->env, &e->pool);
	if (!e->cfg.attach)
		pdcp_set_security_kenb(&b->pdcp, e->cfg.sec.kenb, (enum sec_eea)e->cfg.sec.eea,
				       (enum sec_eia)e->cfg.sec.eia);
	if (c->rlc_mode == RL_RLC_AM) {
		struct rlc_am_config rc = {.t_poll_retransmit_ms = c->t_poll_retx_ms,
					   .t_reordering_ms = c->t_reordering_ms,
					   .t_status_prohibit_ms = c->t_status_prohibit_ms,
					   .poll_pdu = c->poll_pdu,
					   .poll_byte = c->poll_byte,
					   .max_retx_threshold = c->max_retx,
					   .max_sdus = e->cfg.rlc_max_sdus};

		rlc_am_init(&b->rlc.am, &rc, bearer_rlc_ops(b, &ro), &e->env, &e->pool);
	} else {
		struct rlc_um_config rc = {.sn_bits = c->um_sn_bits,
					   .t_reordering_ms = c->t_reordering_ms,
					   .max_sdus = e->cfg.rlc_max_sdus};

		rlc_um_init(&b->rlc.um, &rc, bearer_rlc_ops(b, &ro), &e->env, &e->pool);
	}
	/* The eNB's LCP: strict priority, no bucket (infinite PBR). */
	u->lch[i] = (struct mac_lch){.lcid = c->lcid,
				     .priority = c->priority,
				     .pbr = MAC_PBR_INFINITY,
				     .lcg = c->lcg,
				     .ctx = b,
				     .tx_pdu = bearer_tx_pdu,
				     .buffer_bytes = bearer_buffer_bytes};
}

/* The scenario's bearers; in attach mode none: RRC adds them (enb_l3.c). */
void enb_bearers_init(struct enb *e, struct enb_ue *u)
{
	unsigned i;

	u->n_bearers = e->cfg.attach ? 0 : e->cfg.n_bearers;
	for (i = 0; i < u->n_bearers; i++)
		enb_bearer_setup(e, u, i, &e->cfg.bearer[i]);
}

void enb_bearers_release(struct enb_ue *u)
{
	unsigned i;

	for (i = 0; i < u->n_bearers; i++) {
		struct enb_bearer *b = &u->bearer[i];

		if (b->cfg.rlc_mode == RL_RLC_AM) {
			u->stats.rlc_retx += b->rlc.am.c.stats.tx_retx_pdus;
			rlc_am_release(&b->rlc.am);
		} else
			rlc_um_release(&b->rlc.um);
		pdcp_release(&b->pdcp);
	}
}

struct enb_bearer *enb_bearer_by_lcid(struct enb_ue *u, uint8_t lcid)
{
	unsigned i;

	for (i = 0; i < u->n_bearers; i++)
		if (u->bearer[i].cfg.lcid == lcid)
			return &u->bearer[i];
	return NULL;
}

static struct enb_bearer *bearer_by_drb(const struct enb_ue *u, uint8_t rb_id)
{
	unsigned i;

	for (i = 0; i < u->n_bearers; i++)
		if (!u->bearer[i].cfg.srb && u->bearer[i].cfg.rb_id == rb_id)
			return (struct enb_bearer *)&u->bearer[i];
	return NULL;
}

/* ---------------------------------------------------------------- UE contexts */

void enb_ue_connect(struct enb *e, struct enb_ue *u, uint16_t rnti)
{
	/* A new connection is a MAC reset (TS 36.321 §5.9) on both sides; RLC and PDCP start
	 * afresh when the UE had a connection before (re-establishment, TS 36.331 §5.3.7). */
	harq_dl_reset(&u->dl);
	harq_ul_reset(&u->ul);
	if (u->ever_connected) {
		/* Attach mode: RRC decides (a new connection or a re-establishment). */
		if (!e->cfg.attach) {
			enb_bearers_release(u);
			enb_bearers_init(e, u);
		}
		u->stats.reconnections++;
	}
	u->state = ENB_UE_MSG4;
	u->rnti = rnti;
	u->msg4_pid = -1;
	u->msg4_due = true;
	u->sr = false;
	u->crnti_grant = false;
	u->rlf_pending = false;
	memset(u->bsr, 0, sizeof(u->bsr));
	u->bsr_sf = e->now;
}

void enb_ue_release(struct enb *e, struct enb_ue *u)
{
	harq_dl_reset(&u->dl);
	harq_ul_reset(&u->ul);
	enb_bearers_release(u);
	enb_bearers_init(e, u);
	u->state = ENB_UE_IDLE;
	u->rnti = 0;
	u->msg4_pid = -1;
	u->msg4_due = false;
	u->ccch_len = 0;
	u->has_keys = u->ciphering = false;
	u->sr = false;
	u->rlf_pending = false;
	memset(u->bsr, 0, sizeof(u->bsr));
}

/* Attach mode, radio link failure: no scheduling, the bearers and RRC context stay until the
 * UE re-establishes (TS 36.331 §5.3.7) or connects anew. */
void enb_ue_suspend(struct enb *e, struct enb_ue *u)
{
	(void)e;
	harq_dl_reset(&u->dl);
	harq_ul_reset(&u->ul);
	u->state = ENB_UE_IDLE;
	u->rnti = 0;
	u->msg4_pid = -1;
	u->msg4_due = false;
	u->sr = false;
	u->rlf_pending = false;
	memset(u->bsr, 0, sizeof(u->bsr));
}

int enb_init(struct enb *e, const struct enb_config *cfg)
{
	uint32_t nbuf;
	unsigned i;

	if (!cfg || cfg->n_ue == 0 || cfg->n_ue > ENB_MAX_UES ||
	    (cfg->n_bearers == 0 && !cfg->attach) || cfg->n_bearers > ENB_MAX_BEARERS ||
	    !cfg->bytes_per_prb_dl || !cfg->bytes_per_prb_ul || !cfg->prbs_dl || !cfg->prbs_ul)
		return L2_EINVAL;
	memset(e, 0, sizeof(*e));
	e->cfg = *cfg;
	if (!e->cfg.rlc_max_sdus)
		e->cfg.rlc_max_sdus = 512;
	if (!e->cfg.pool_bufs)
		e->cfg.pool_bufs = 1536; /* pages are touched only when buffers are used */
	if (!e->cfg.sr_grant)
		e->cfg.sr_grant = 64;
	if (!e->cfg.rar_window)
		e->cfg.rar_window = 10;
	e->env = (struct l2_env){
		.ctx = e, .now_ms = enb_clock, .random = enb_random, .log = enb_log_hook};
	rng_seed(&e->rng, cfg->seed, 0xe0b);
	nbuf = e->cfg.pool_bufs * cfg->n_ue;
	e->descs = calloc(nbuf, sizeof(*e->descs));
	e->storage = malloc((size_t)nbuf * ENB_BUF_SIZE);
	e->ue = calloc(cfg->n_ue, sizeof(*e->ue));
	if (!e->descs || !e->storage || !e->ue) {
		enb_free(e);
		return L2_ENOMEM;
	}
	l2_pool_init(&e->pool, e->descs, nbuf, e->storage, ENB_BUF_SIZE, ENB_HEADROOM);
	sched_init(&e->sched_dl, cfg->policy, cfg->n_ue);
	sched_init(&e->sched_ul, cfg->policy, cfg->n_ue);
	e->next_rnti = 0x4601;
	for (i = 0; i < cfg->n_ue; i++) {
		struct enb_ue *u = &e->ue[i];

		u->idx = i;
		u->enb = e;
		u->msg4_pid = -1;
		u->max_tbs = LINK_MAX_TBS;
		u->bpp_dl = cfg->ue_bpp_dl[i] ? cfg->ue_bpp_dl[i] : cfg->bytes_per_prb_dl;
		u->bpp_ul = cfg->ue_bpp_ul[i] ? cfg->ue_bpp_ul[i] : cfg->bytes_per_prb_ul;
		harq_dl_init(&u->dl, cfg->max_harq_tx_dl, &u->harq_store[0][0], LINK_MAX_TBS);
		harq_ul_init(&u->ul, cfg->mac.max_harq_tx);
		enb_bearers_init(e, u);
	}
	if (cfg->attach && enb_l3_init(e) < 0) {
		enb_free(e);
		return L2_EINVAL;
	}
	return 0;
}

void enb_free(struct enb *e)
{
	unsigned i;

	if (e->ue && e->storage)
		for (i = 0; i < e->cfg.n_ue; i++)
			enb_bearers_release(&e->ue[i]);
	enb_l3_free(e);
	free(e->ue);
	free(e->storage);
	free(e->descs);
	e->ue = NULL;
	e->storage = NULL;
	e->descs = NULL;
}

/* ---------------------------------------------------------------- UL reception */

/* BSR (TS 36.321 §6.1.3.1): a Short BSR reports the only LCG with data, a Truncated BSR the
 * highest-priority one (others unknown, kept), a Long BSR all four. */
static void enb_rx_bsr(struct enb_ue *u, uint8_t lcid, const uint8_t *p)
{
	uint8_t idx[MAC_NUM_LCG];
	unsigned i;

	u->stats.bsr++;
	if (lcid == MAC_LCID_UL_LBSR) {
		mac_ce_long_bsr_parse(p, idx);
		for (i = 0; i < MAC_NUM_LCG; i++)
			u->bsr[i] = idx[i] ? mac_bsr_bytes(idx[i]) : 0;
		return;
	}
	if (lcid == MAC_LCID_UL_SBSR)
		memset(u->bsr, 0, sizeof(u->bsr));
	u->bsr[p[0] >> 6] = (p[0] & 0x3f) ? mac_bsr_bytes(p[0] & 0x3f) : 0;
}

void enb_ul_demux(struct enb *e, struct enb_ue *u, const uint8_t *tb, uint32_t len,
		  uint32_t built_sf)
{
	uint32_t got[MAC_NUM_LCG] = {0};
	struct mac_pdu_view v;
	/* A HARQ retransmission older than the TB that last told the buffers is stale: its BSR
	 * and its bytes were in that newer report already. */
	bool stale = (int32_t)(built_sf - u->bsr_sf) < 0, bsr = false;
	unsigned i;

	if (mac_pdu_parse(tb, len, MAC_UL, &v) < 0) {
		u->stats.ul_malformed++;
		enb_log(e, L2_LOG_WARN, "enb_ul_malformed", (int32_t)u->idx, (int32_t)len);
		return;
	}
	for (i = 0; i < v.n; i++) {
		const struct mac_elem *el = &v.e[i];
		struct enb_bearer *b;
		struct l2_buf *sdu;

		switch (el->lcid) {
		case MAC_LCID_UL_SBSR:
		case MAC_LCID_UL_TBSR:
		case MAC_LCID_UL_LBSR:
			if (!stale)
				enb_rx_bsr(u, el->lcid, tb + el->off);
			bsr = true;
			continue;
		case MAC_LCID_UL_PHR:
		case MAC_LCID_UL_CRNTI:
		case MAC_LCID_CCCH:
			continue;
		}
		b = enb_bearer_by_lcid(u, el->lcid);
		if (!b || el->len == 0) {
			u->stats.refused++;
			continue;
		}
		got[b->cfg.lcg & 3] += el->len;
		sdu = l2_buf_from(&e->pool, tb + el->off, el->len);
		if (!sdu) {
			enb_log(e, L2_LOG_WARN, "enb_pool_empty", (int32_t)u->idx, el->len);
			continue;
		}
		if (b->cfg.rlc_mode == RL_RLC_AM)
			rlc_am_rx_pdu(&b->rlc.am, sdu);
		else
			rlc_um_rx_pdu(&b->rlc.um, sdu);
	}
	/*
	 * A BSR tells the buffers after this TB (§5.4.5). Without one the UE had no room left
	 * for even a padding BSR: it filled the TB and may hold much more, with nothing to
	 * trigger a regular BSR (§5.4.5 triggers on data arriving in empty buffers). So the
	 * estimate takes off what came but stays at twice that, and grants grow until a
	 * padding or periodic BSR tells the truth.
	 */
	if (stale)
		return;
	u->bsr_sf = built_sf;
	if (!bsr)
		for (i = 0; i < MAC_NUM_LCG; i++) {
			uint32_t left = u->bsr[i] > got[i] ? u->bsr[i] - got[i] : 0;

			u->bsr[i] = left > 2 * got[i] ? left : 2 * got[i];
		}
}

int enb_rx_ul_tb(struct enb *e, unsigned ue, uint32_t sf, const struct rl_ul_tb *tb, uint8_t *retx)
{
	struct enb_ue *u = &e->ue[ue];
	struct harq_ul_proc *p = &u->ul.p[harq_ul_pid(sf)];
	int err;

	*retx = 0;
	err = harq_ul_rx(&u->ul, sf, tb->rnti, tb->harq_pid, tb->tbs, tb->crc_ok);
	if (err < 0) {
		u->stats.ul_refused++;
		enb_log(e, L2_LOG_WARN, "enb_ul_tb_unexpected", (int32_t)ue, tb->rnti);
		return err;
	}
	*retx = (uint8_t)(p->tx - 1);
	if (!tb->crc_ok) {
		u->stats.ul_crc_fail++;
		return 0;
	}
	if (p->msg3) {
		enb_ra_msg3(e, u, sf, tb->rnti, tb->tb, tb->tbs);
		return 0;
	}
	if (u->state != ENB_UE_CONNECTED || tb->rnti != u->rnti)
		return 0;
	u->stats.ul_tbs++;
	u->stats.ul_bytes += tb->tbs;
	enb_ul_demux(e, u, tb->tb, tb->tbs, p->first_sf);
	return 0;
}

int enb_rx_harq_ack(struct enb *e, unsigned ue, uint32_t sf, const struct rl_harq_ack *a)
{
	struct enb_ue *u = &e->ue[ue];
	int err = harq_dl_feedback(&u->dl, a->harq_pid, sf, a->ack);

	if (err < 0) {
		u->stats.refused++;
		enb_log(e, L2_LOG_WARN, "enb_harq_ack_unexpected", (int32_t)ue, a->harq_pid);
		return err;
	}
	if (u->state == ENB_UE_MSG4 && a->harq_pid == u->msg4_pid && a->ack) {
		/* §5.1.5: Msg4 acknowledged, the TC-RNTI is the C-RNTI now. */
		u->state = ENB_UE_CONNECTED;
		u->ever_connected = true;
		u->msg4_pid = -1;
		u->stats.connections++;
		enb_log(e, L2_LOG_INFO, "enb_connected", (int32_t)ue, u->rnti);
	}
	return 0;
}

int enb_rx_sr(struct enb *e, unsigned ue, uint32_t sf)
{
	struct enb_ue *u = &e->ue[ue];

	(void)sf;
	if (u->state != ENB_UE_CONNECTED) {
		u->stats.refused++;
		return L2_ESTATE;
	}
	u->sr = true;
	u->stats.sr++;
	return 0;
}

void enb_ul_end(struct enb *e, unsigned ue, uint32_t sf)
{
	struct enb_ue *u = &e->ue[ue];

	bool msg3 = u->ul.p[harq_ul_pid(sf)].msg3;

	harq_dl_end(&u->dl, sf);
	/*
	 * An UL TB dropped at maxHARQ-Tx may have carried the UE's last BSR. The UE took it as
	 * reported (§5.4.5 cancels the trigger once a BSR is in a MAC PDU) and raises no new
	 * regular BSR while its buffers stay non-empty, so an eNB that waited for one would
	 * leave it without grants until retxBSR-Timer expires (320 ms by default): the UE's
	 * queues overflow and its STATUS PDUs for the DL stop too. So the eNB grants as for
	 * a scheduling request; the TB that answers carries a fresh BSR.
	 */
	if (harq_ul_end(&u->ul, sf) && !msg3 && u->state == ENB_UE_CONNECTED) {
		u->sr = true;
		enb_log(e, L2_LOG_INFO, "enb_ul_tb_dropped", (int32_t)ue, (int32_t)harq_ul_pid(sf));
	}
	/* Msg4 dropped after its last transmission: the attempt is over. */
	if (u->state == ENB_UE_MSG4 && u->msg4_pid >= 0 &&
	    u->dl.p[u->msg4_pid].state == HARQ_DL_FREE) {
		enb_log(e, L2_LOG_WARN, "enb_msg4_failed", (int32_t)ue, u->rnti);
		u->state = ENB_UE_IDLE;
		u->rnti = 0;
		u->msg4_pid = -1;
	}
}

void enb_end_subframe(struct enb *e, uint32_t sf)
{
	unsigned i;

	for (i = 0; i < e->cfg.n_ue; i++) {
		struct enb_ue *u = &e->ue[i];

		if (u->rlf_pending && u->state == ENB_UE_CONNECTED) {
			/* RLC maxRetxThreshold: radio link failure (TS 36.322 §5.2.1); the
			 * context goes, the UE comes back by random access. */
			u->stats.rlf++;
			enb_log(e, L2_LOG_ERROR, "enb_rlf", (int32_t)i, u->rnti);
			if (e->cfg.attach)
				enb_ue_suspend(e, u); /* RRC keeps it for a re-establishment */
			else
				enb_ue_release(e, u);
		}
		u->rlf_pending = false;
	}
	enb_ra_end_subframe(e, sf);
	sched_end_subframe(&e->sched_dl);
	sched_end_subframe(&e->sched_ul);
}

/* ---------------------------------------------------------------- network side */

int enb_tx_ip(struct enb *e, unsigned ue, uint8_t rb_id, const uint8_t *pkt, uint16_t len)
{
	struct enb_ue *u = &e->ue[ue];
	struct enb_bearer *b = bearer_by_drb(u, rb_id);
	const struct rlc_common *c;
	struct l2_buf *sdu;

	/* With paging, an idle UE's packets wait for it (enb_paging.c). */
	if (!b || (u->state != ENB_UE_CONNECTED &&
		   !(e->cfg.paging_on && u->state == ENB_UE_IDLE && !u->ever_connected))) {
		u->stats.dl_ip_refused++;
		return L2_ESTATE;
	}
	c = b->cfg.rlc_mode == RL_RLC_AM ? &b->rlc.am.c : &b->rlc.um.c;
	if (c->txq.q.count >= c->txq.max_sdus || len > PDCP_MAX_SDU ||
	    !(sdu = l2_buf_from(&e->pool, pkt, len))) {
		u->stats.dl_ip_refused++;
		return L2_ENOMEM;
	}
	u->stats.dl_ip_pkts++;
	u->stats.dl_ip_bytes += len;
	return pdcp_tx_sdu(&b->pdcp, sdu);
}

uint32_t enb_dl_queued(const struct enb *e, unsigned ue, uint8_t rb_id)
{
	struct enb_bearer *b = bearer_by_drb(&e->ue[ue], rb_id);

	return b ? enb_bearer_bytes(b) : 0;
}

uint32_t enb_rlc_retx(const struct enb *e, unsigned ue)
{
	const struct enb_ue *u = &e->ue[ue];
	uint32_t n = u->stats.rlc_retx;
	unsigned i;

	for (i = 0; i < u->n_bearers; i++)
		if (u->bearer[i].cfg.rlc_mode == RL_RLC_AM)
			n += u->bearer[i].rlc.am.c.stats.tx_retx_pdus;
	return n;
}
