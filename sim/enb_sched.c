/* SPDX-License-Identifier: BSD-2-Clause */
/* One subframe of the eNB: timers, PHICH, RA, DL HARQ retransmissions, Msg4, new DL and UL grants. */
#include <string.h>

#include "enb_internal.h"
#include "l2/pcap.h"

static void enb_ticks(struct enb *e)
{
	unsigned i, k;

	for (i = 0; i < e->cfg.n_ue; i++) {
		struct enb_ue *u = &e->ue[i];

		for (k = 0; k < u->n_bearers; k++) {
			struct enb_bearer *b = &u->bearer[k];

			if (b->cfg.rlc_mode == RL_RLC_AM)
				rlc_am_tick(&b->rlc.am);
			else
				rlc_um_tick(&b->rlc.um);
			pdcp_tick(&b->pdcp);
		}
	}
}

static bool has_dl_tb(const struct enb_ue *u)
{
	unsigned i;

	for (i = 0; i < u->out.n_tb; i++)
		if (u->out.tb[i].rnti_type == MAC_LTE_C_RNTI)
			return true;
	return false;
}

static void add_dl_tb(struct enb_ue *u, int pid)
{
	const struct harq_dl_proc *p = &u->dl.p[pid];

	u->out.tb[u->out.n_tb++] = (struct enb_dl_tb){.tb = {.rnti = p->rnti,
							     .harq_pid = (uint8_t)pid,
							     .ndi = p->ndi,
							     .rv = harq_dl_rv(p),
							     .tbs = p->tbs,
							     .tb = p->tb,
							     .crc_ok = true},
						      .rnti_type = MAC_LTE_C_RNTI,
						      .retx = (uint8_t)(p->tx - 1)};
}

/* The UEs in this subframe's rotation order, so a short cell does not favour UE 0. */
static unsigned rotated(const struct enb *e, unsigned i)
{
	return (i + e->sched_dl.rr_next) % e->cfg.n_ue;
}

static void enb_dl_retx(struct enb *e, uint32_t sf, uint32_t *prbs)
{
	unsigned i;

	for (i = 0; i < e->cfg.n_ue; i++) {
		struct enb_ue *u = &e->ue[rotated(e, i)];
		uint32_t need;
		int pid;

		if (!u->awake || u->state == ENB_UE_IDLE || u->out.n_tb == ENB_DL_MAX_TB)
			continue;
		pid = harq_dl_retx_due(&u->dl, sf);
		if (pid < 0)
			continue;
		need = enb_prbs(u->dl.p[pid].tbs, u->bpp_dl);
		if (need > *prbs)
			continue; /* waits for a subframe with room */
		*prbs -= need;
		harq_dl_retx(&u->dl, pid, sf);
		add_dl_tb(u, pid);
		sched_served(&e->sched_dl, u->idx, u->dl.p[pid].tbs);
	}
}

/* Msg4: the UE Contention Resolution Identity CE on the TC-RNTI (§5.1.5, §6.1.3.4); in
 * attach mode with RRC's DL-CCCH message (RRCConnectionSetup, ...) after it. */
static void enb_dl_msg4(struct enb *e, uint32_t sf, uint32_t *prbs)
{
	unsigned i;

	for (i = 0; i < e->cfg.n_ue; i++) {
		struct enb_ue *u = &e->ue[i];
		struct mac_pdu_writer w;
		uint32_t tbs = ENB_MSG4_TBS + (u->ccch_len ? u->ccch_len + 3u : 0u);
		uint32_t need = enb_prbs(tbs, u->bpp_dl);
		uint8_t *tb;
		int pid;

		if (!u->awake || u->state != ENB_UE_MSG4 || !u->msg4_due || has_dl_tb(u) ||
		    u->out.n_tb == ENB_DL_MAX_TB || need > *prbs)
			continue;
		pid = harq_dl_free(&u->dl, sf);
		if (pid < 0)
			continue;
		*prbs -= need;
		tb = harq_dl_new(&u->dl, pid, sf, u->rnti, (uint16_t)tbs);
		mac_pdu_init(&w, tbs, MAC_DL);
		mac_pdu_add(&w, MAC_LCID_DL_CRI, u->cri, 6);
		if (u->ccch_len)
			mac_pdu_add(&w, MAC_LCID_CCCH, u->ccch_dl, u->ccch_len);
		mac_pdu_finish(&w, tb);
		u->msg4_pid = pid;
		u->msg4_due = false;
		u->stats.msg4++;
		add_dl_tb(u, pid);
	}
}

/* Bytes a DL TB needs for everything the UE's bearers have queued (with MAC and RLC headers). */
static uint32_t ue_dl_need(const struct enb_ue *u)
{
	uint32_t need = 0;
	unsigned i;

	for (i = 0; i < u->n_bearers; i++) {
		const struct enb_bearer *b = &u->bearer[i];
		const struct rlc_common *c =
			b->cfg.rlc_mode == RL_RLC_AM ? &b->rlc.am.c : &b->rlc.um.c;
		uint32_t bytes = enb_bearer_bytes(b), sdus = c->txq.q.count;

		if (!bytes)
			continue;
		if (sdus > RLC_MAX_LI)
			sdus = RLC_MAX_LI;
		need += bytes + 3 + 4 + 2 * sdus;
	}
	if (need > u->max_tbs)
		need = u->max_tbs;
	return need;
}

static void enb_dl_new(struct enb *e, uint32_t sf, uint32_t *prbs)
{
	struct sched_req req[ENB_MAX_UES];
	int pid[ENB_MAX_UES];
	unsigned i, n = 0;

	for (i = 0; i < e->cfg.n_ue; i++) {
		struct enb_ue *u = &e->ue[i];
		uint32_t need;

		if (!u->awake || u->state != ENB_UE_CONNECTED || has_dl_tb(u) ||
		    u->out.n_tb == ENB_DL_MAX_TB)
			continue;
		need = ue_dl_need(u);
		if (!need)
			continue;
		pid[n] = harq_dl_free(&u->dl, sf);
		if (pid[n] < 0)
			continue;
		if (need < ENB_MIN_TBS)
			need = ENB_MIN_TBS;
		req[n++] = (struct sched_req){
			.ue = (uint16_t)i, .bytes_per_prb = u->bpp_dl, .need = need};
	}
	if (!n)
		return;
	*prbs -= sched_share(&e->sched_dl, req, n, *prbs);
	for (i = 0; i < n; i++) {
		struct enb_ue *u = &e->ue[req[i].ue];
		struct l2_buf *pdus[MAC_MAX_ELEMS];
		struct mac_pdu_writer w;
		unsigned np, k;
		uint8_t *tb;

		if (req[i].bytes < ENB_MIN_TBS)
			continue;
		mac_pdu_init(&w, req[i].bytes, MAC_DL);
		np = mac_lcp_fill(u->lch, u->n_bearers, &w, pdus, MAC_MAX_ELEMS);
		if (!np)
			continue;
		mac_pdu_finish(&w, e->scratch);
		for (k = 0; k < np; k++)
			l2_buf_free(pdus[k]);
		tb = harq_dl_new(&u->dl, pid[i], sf, u->rnti, (uint16_t)req[i].bytes);
		memcpy(tb, e->scratch, req[i].bytes);
		u->stats.dl_tbs++;
		u->stats.dl_bytes += req[i].bytes;
		add_dl_tb(u, pid[i]);
	}
}

static void add_grant(struct enb_ue *u, uint32_t sf, uint16_t rnti, uint16_t tbs)
{
	struct rl_ul_grant *g = &u->out.grant[u->out.n_grant++];

	g->rnti = rnti;
	if (harq_ul_grant(&u->ul, sf, rnti, tbs, false, &g->tbs, &g->harq_pid, &g->ndi) &&
	    u->out.n_phich < 2)
		/* The NACK of the TB retransmitted, with its grant (docs/radio-link.md §6.6). */
		u->out.ph[u->out.n_phich++] = (struct rl_phich){.harq_pid = g->harq_pid};
	if (u->ul.p[g->harq_pid].rnti != rnti)
		g->rnti = u->ul.p[g->harq_pid].rnti; /* a retransmission keeps its RNTI */
}

static void enb_ul_retx(struct enb *e, uint32_t sf, uint32_t *prbs)
{
	unsigned i;

	for (i = 0; i < e->cfg.n_ue; i++) {
		struct enb_ue *u = &e->ue[rotated(e, i)];
		struct harq_ul_proc *p = &u->ul.p[harq_ul_pid(sf)];
		uint32_t need;

		if (!u->awake || !harq_ul_retx_due(&u->ul, sf) ||
		    u->out.n_grant == ENB_DL_MAX_GRANT)
			continue;
		/* A released context's retransmissions go with it (Msg3 ones stay). */
		if (!p->msg3 && (u->state != ENB_UE_CONNECTED || p->rnti != u->rnti)) {
			p->retx_due = false;
			continue;
		}
		need = enb_prbs(p->tbs, u->bpp_ul);
		if (need > *prbs)
			continue;
		*prbs -= need;
		add_grant(u, sf, p->rnti, p->tbs);
		sched_served(&e->sched_ul, u->idx, p->tbs);
	}
}

static uint32_t ue_ul_need(const struct enb *e, const struct enb_ue *u)
{
	uint32_t est = 0, need = 0;
	unsigned i;

	for (i = 0; i < MAC_NUM_LCG; i++)
		est += u->bsr[i];
	if (est)
		need = est + 8; /* BSR and subheaders */
	if ((u->sr || u->crnti_grant) && need < e->cfg.sr_grant)
		need = e->cfg.sr_grant;
	if (need > u->max_tbs)
		need = u->max_tbs;
	return need;
}

static void enb_ul_new(struct enb *e, uint32_t sf, uint32_t *prbs)
{
	struct sched_req req[ENB_MAX_UES];
	unsigned i, n = 0;

	for (i = 0; i < e->cfg.n_ue; i++) {
		struct enb_ue *u = &e->ue[i];
		uint32_t need;

		if (!u->awake || u->state != ENB_UE_CONNECTED || u->out.n_grant ||
		    harq_ul_retx_due(&u->ul, sf))
			continue;
		need = ue_ul_need(e, u);
		if (!need)
			continue;
		if (need < ENB_MIN_TBS)
			need = ENB_MIN_TBS;
		req[n++] = (struct sched_req){
			.ue = (uint16_t)i, .bytes_per_prb = u->bpp_ul, .need = need};
	}
	if (!n)
		return;
	*prbs -= sched_share(&e->sched_ul, req, n, *prbs);
	for (i = 0; i < n; i++) {
		struct enb_ue *u = &e->ue[req[i].ue];

		if (req[i].bytes < ENB_MIN_TBS)
			continue;
		add_grant(u, sf, u->rnti, (uint16_t)req[i].bytes);
		u->sr = false;
		u->crnti_grant = false;
	}
}

void enb_subframe(struct enb *e, uint32_t sf)
{
	uint32_t prbs_dl = e->cfg.prbs_dl, prbs_ul = e->cfg.prbs_ul;
	unsigned i;

	e->now = sf;
	enb_ticks(e);
	for (i = 0; i < e->cfg.n_ue; i++) {
		struct enb_ue *u = &e->ue[i];

		memset(&u->out, 0, sizeof(u->out));
		if (u->awake &&
		    harq_ul_phich(&u->ul, sf, &u->out.ph[0].harq_pid, &u->out.ph[0].ack))
			u->out.n_phich = 1;
	}
	enb_ra_schedule(e, sf, &prbs_dl, &prbs_ul);
	enb_paging_subframe(e, sf, &prbs_dl);
	enb_dl_retx(e, sf, &prbs_dl);
	enb_dl_msg4(e, sf, &prbs_dl);
	if (e->l3)
		enb_l3_subframe(e, sf);
	enb_dl_new(e, sf, &prbs_dl);
	enb_ul_retx(e, sf, &prbs_ul);
	enb_ul_new(e, sf, &prbs_ul);
	e->stats.prbs_dl_used += e->cfg.prbs_dl - prbs_dl;
	e->stats.prbs_ul_used += e->cfg.prbs_ul - prbs_ul;
}
