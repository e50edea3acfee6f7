/* SPDX-License-Identifier: BSD-2-Clause */
/* eNB RRC for the simulator: connection setup, security, capabilities, DRB, re-establishment, release (TS 36.331 §5.3). */
#include <string.h>

#include "l2/sec.h"
#include "l3/rrc_sm.h"

int rrc_enb_init(struct rrc_enb *enb, const struct rrc_enb_config *cfg,
		 const struct rrc_enb_ops *ops, const struct l2_env *env)
{
	if (!ops->send || !ops->s1_nas || cfg->pci > 503)
		return L2_EINVAL;
	memset(enb, 0, sizeof(*enb));
	enb->cfg = *cfg;
	enb->ops = *ops;
	enb->env = env;
	return 0;
}

struct rrc_enb_ue *rrc_enb_find(struct rrc_enb *enb, uint16_t rnti)
{
	int i;

	for (i = 0; i < RRC_ENB_MAX_UES; i++)
		if (enb->ues[i].state != RRC_ENB_FREE && enb->ues[i].rnti == rnti)
			return &enb->ues[i];
	return NULL;
}

static int enb_send(struct rrc_enb *enb, uint16_t rnti, uint8_t srb, const struct rrc_msg *m)
{
	uint8_t buf[2048];
	int n = rrc_encode(m, buf, sizeof(buf));

	if (n < 0)
		return n;
	enb->ops.send(enb->ops.ctx, rnti, srb, buf, (size_t)n);
	return 0;
}

/* SRB1 as TS 36.331 §9.2.1.1 lists its defaults, given explicitly. */
static void srb1_config(struct rrc_radio_config *rr)
{
	struct rrc_srb *s = &rr->srb[rr->n_srb++];

	memset(s, 0, sizeof(*s));
	s->id = 1;
	s->has_rlc = s->has_lch = true;
	s->rlc.mode = RRC_RLC_AM;
	s->rlc.t_poll_retransmit = 8;  /* ms45 */
	s->rlc.poll_pdu = 7;	       /* pInfinity */
	s->rlc.poll_byte = 14;	       /* kBinfinity */
	s->rlc.max_retx_threshold = 3; /* t4 */
	s->rlc.t_reordering = 7;       /* ms35 */
	s->lch.has_ul = true;
	s->lch.priority = 1;
	s->lch.prioritised_bit_rate = 7; /* infinity */
	s->lch.has_lcg = true;
}

static void srb2_config(struct rrc_radio_config *rr)
{
	struct rrc_srb *s = &rr->srb[rr->n_srb++];

	memset(s, 0, sizeof(*s));
	s->id = 2;
	s->has_rlc = s->rlc_default = true;
	s->has_lch = s->lch_default = true;
}

/* The default bearer's DRB: AM with status reports, LCID 3 (§6.3.2). */
static void drb_config(const struct rrc_enb *enb, const struct rrc_enb_ue *u,
		       struct rrc_radio_config *rr)
{
	struct rrc_drb *d = &rr->drb[rr->n_drb++];

	if (enb->cfg.has_drb) {
		*d = enb->cfg.drb;
		d->eps_bearer_id = u->ebi;
		rr->has_mac = true;
		rr->mac = enb->cfg.mac;
		return;
	}
	memset(d, 0, sizeof(*d));
	d->has_eps_bearer_id = d->has_pdcp = d->has_rlc = d->has_lcid = d->has_lch = true;
	d->eps_bearer_id = u->ebi;
	d->drb_id = 1;
	d->lcid = 3;
	d->pdcp.has_discard_timer = true;
	d->pdcp.discard_timer = 7; /* infinity */
	d->pdcp.has_rlc_am = true;
	d->pdcp.status_report_required = true;
	d->rlc.mode = RRC_RLC_AM;
	d->rlc.t_poll_retransmit = 8;
	d->rlc.poll_pdu = 3;  /* p32 */
	d->rlc.poll_byte = 5; /* kB250 */
	d->rlc.max_retx_threshold = 5;
	d->rlc.t_reordering = 7;
	d->rlc.t_status_prohibit = 1;
	d->lch.has_ul = true;
	d->lch.priority = 13;
	d->lch.has_lcg = true;
	d->lch.lcg = 3;
	rr->has_mac = true;
	rr->mac = enb->cfg.mac;
}

static struct rrc_enb_ue *new_ue(struct rrc_enb *enb, uint16_t rnti)
{
	int i;

	for (i = 0; i < RRC_ENB_MAX_UES; i++)
		if (enb->ues[i].state == RRC_ENB_FREE) {
			memset(&enb->ues[i], 0, sizeof(enb->ues[i]));
			enb->ues[i].rnti = rnti;
			return &enb->ues[i];
		}
	return NULL;
}

static void free_ue(struct rrc_enb *enb, struct rrc_enb_ue *u)
{
	uint16_t rnti = u->rnti;

	memset(u, 0, sizeof(*u));
	if (enb->ops.rnti_changed)
		enb->ops.rnti_changed(enb->ops.ctx, rnti, 0);
}

/* §5.3.3.4: RRCConnectionSetup with SRB1; RRCConnectionReject when full (§5.3.3.8). */
static void on_request(struct rrc_enb *enb, uint16_t rnti)
{
	struct rrc_enb_ue *u = rrc_enb_find(enb, rnti);
	struct rrc_msg m;

	memset(&m, 0, sizeof(m));
	if (enb->reject_all || (!u && !(u = new_ue(enb, rnti)))) {
		m.type = RRC_CONN_REJECT;
		m.u.reject.wait_time = 1;
		enb->stats.rejects++;
		enb_send(enb, rnti, 0, &m);
		return;
	}
	m.type = RRC_CONN_SETUP;
	m.transaction_id = u->tid = 0;
	srb1_config(&m.u.setup.rr);
	m.u.setup.rr.has_mac = true;
	m.u.setup.rr.mac_default = true;
	u->state = RRC_ENB_SETUP;
	enb->stats.setups++;
	if (enb->ops.configure)
		enb->ops.configure(enb->ops.ctx, rnti, &m.u.setup.rr);
	enb_send(enb, rnti, 0, &m);
}

/* §5.3.7.4-5: find the UE by its old C-RNTI, check shortMAC-I, move it, new keys. */
static void on_reest_request(struct rrc_enb *enb, uint16_t rnti, const struct rrc_msg *in)
{
	struct rrc_enb_ue *u = rrc_enb_find(enb, in->u.reest_request.c_rnti);
	uint8_t kstar[32];
	struct rrc_msg m;

	memset(&m, 0, sizeof(m));
	if (!u || !u->security_active || in->u.reest_request.pci != enb->cfg.pci ||
	    rrc_short_mac_i(&u->keys, enb->cfg.cell_id, in->u.reest_request.pci,
			    in->u.reest_request.c_rnti) != in->u.reest_request.short_mac_i) {
		m.type = RRC_REEST_REJECT;
		enb->stats.reest_rejects++;
		enb_send(enb, rnti, 0, &m);
		return;
	}
	if (enb->ops.rnti_changed)
		enb->ops.rnti_changed(enb->ops.ctx, u->rnti, rnti);
	u->rnti = rnti;
	sec_derive_kenb_star(u->kenb, enb->cfg.pci, enb->cfg.earfcn, kstar);
	memcpy(u->kenb, kstar, 32);
	memset(kstar, 0, sizeof(kstar));
	rrc_as_keys_derive(u->kenb, u->keys.eea, u->keys.eia, &u->keys);
	m.type = RRC_REEST;
	m.transaction_id = u->tid = (uint8_t)((u->tid + 1) & 3);
	srb1_config(&m.u.setup.rr);
	m.u.setup.next_hop_chaining_count = 0;
	u->state = RRC_ENB_REEST;
	enb->stats.reest++;
	enb_send(enb, rnti, 0, &m);
	if (enb->ops.configure)
		enb->ops.configure(enb->ops.ctx, rnti, &m.u.setup.rr);
	if (enb->ops.security)
		enb->ops.security(enb->ops.ctx, rnti, &u->keys);
}

/* RRCConnectionReconfiguration: SRB2 and the DRB, with the NAS PDU waiting for it (§5.3.5). */
static void send_reconf(struct rrc_enb *enb, struct rrc_enb_ue *u)
{
	struct rrc_msg m;

	memset(&m, 0, sizeof(m));
	m.type = RRC_RECONF;
	m.transaction_id = u->tid = (uint8_t)((u->tid + 1) & 3);
	m.u.reconf.has_rr = true;
	srb2_config(&m.u.reconf.rr);
	drb_config(enb, u, &m.u.reconf.rr);
	if (u->nas_len) {
		m.u.reconf.n_nas = 1;
		m.u.reconf.nas[0].p = u->nas;
		m.u.reconf.nas[0].len = (uint16_t)u->nas_len;
	}
	u->state = RRC_ENB_RECONF;
	if (enb->ops.configure)
		enb->ops.configure(enb->ops.ctx, u->rnti, &m.u.reconf.rr);
	enb_send(enb, u->rnti, 1, &m);
	u->nas_len = 0;
}

static void send_cap_enquiry(struct rrc_enb *enb, struct rrc_enb_ue *u)
{
	struct rrc_msg m;

	memset(&m, 0, sizeof(m));
	m.type = RRC_UE_CAP_ENQUIRY;
	m.transaction_id = u->tid = (uint8_t)((u->tid + 1) & 3);
	m.u.cap_enquiry.n_rat = 1; /* eutra */
	u->state = RRC_ENB_CAPABILITY;
	enb_send(enb, u->rnti, 1, &m);
}

int rrc_enb_rx(struct rrc_enb *enb, uint16_t rnti, uint8_t srb, const uint8_t *pdu, size_t len)
{
	uint8_t scratch[4096];
	struct rrc_enb_ue *u;
	struct rrc_msg m;
	int err;

	enb->stats.rx++;
	if (srb > 2)
		return L2_EINVAL;
	err = rrc_decode(srb == 0 ? RRC_UL_CCCH : RRC_UL_DCCH, pdu, len, &m, scratch,
			 sizeof(scratch));
	if (err) {
		enb->stats.rx_malformed++;
		return err;
	}
	if (srb == 0) {
		if (m.type == RRC_CONN_REQUEST)
			on_request(enb, rnti);
		else if (m.type == RRC_REEST_REQUEST)
			on_reest_request(enb, rnti, &m);
		return 0;
	}
	if (!(u = rrc_enb_find(enb, rnti)))
		return L2_ESTATE;
	switch (m.type) {
	case RRC_SETUP_COMPLETE:
		if (u->state == RRC_ENB_SETUP) {
			u->state = RRC_ENB_CONNECTED;
			enb->ops.s1_nas(enb->ops.ctx, rnti, m.u.setup_complete.nas.p,
					m.u.setup_complete.nas.len, true);
		}
		break;
	case RRC_UL_INFO:
		enb->ops.s1_nas(enb->ops.ctx, rnti, m.u.info.nas.p, m.u.info.nas.len, false);
		break;
	case RRC_SMC_COMPLETE:
		if (u->state == RRC_ENB_SECURITY) {
			u->security_active = true;
			if (u->has_cap)
				send_reconf(enb, u);
			else
				send_cap_enquiry(enb, u);
		}
		break;
	case RRC_SMC_FAILURE:
		if (u->state == RRC_ENB_SECURITY) {
			if (enb->ops.context_setup_done)
				enb->ops.context_setup_done(enb->ops.ctx, rnti, false);
			rrc_enb_release(enb, rnti);
		}
		break;
	case RRC_UE_CAP_INFO:
		if (u->state == RRC_ENB_CAPABILITY) {
			if (m.u.cap_info.n && m.u.cap_info.c[0].rat == 0 &&
			    rrc_ue_cap_decode(m.u.cap_info.c[0].data.p, m.u.cap_info.c[0].data.len,
					      &u->cap) == 0)
				u->has_cap = true;
			send_reconf(enb, u);
		}
		break;
	case RRC_RECONF_COMPLETE:
		if (u->state == RRC_ENB_RECONF) {
			u->state = RRC_ENB_CONNECTED;
			u->drb_active = true;
			if (u->setup_pending && enb->ops.context_setup_done)
				enb->ops.context_setup_done(enb->ops.ctx, rnti, true);
			u->setup_pending = false;
		}
		break;
	case RRC_REEST_COMPLETE:
		if (u->state == RRC_ENB_REEST) {
			/* §5.3.7.5: SRB2 and the DRBs are resumed by a reconfiguration. */
			if (u->drb_active)
				send_reconf(enb, u);
			else
				u->state = RRC_ENB_CONNECTED;
		}
		break;
	default:
		break;
	}
	return 0;
}

int rrc_enb_dl_nas(struct rrc_enb *enb, uint16_t rnti, const uint8_t *nas, size_t len)
{
	struct rrc_enb_ue *u = rrc_enb_find(enb, rnti);
	struct rrc_msg m;

	if (!u || u->state == RRC_ENB_SETUP || len > 0xffff)
		return L2_ESTATE;
	memset(&m, 0, sizeof(m));
	m.type = RRC_DL_INFO;
	m.transaction_id = u->tid;
	m.u.info.nas.p = nas;
	m.u.info.nas.len = (uint16_t)len;
	return enb_send(enb, rnti, u->security_active ? 2 : 1, &m);
}

/* Initial context setup: AS security first (§5.3.4), then capabilities and the DRB. */
int rrc_enb_context_setup(struct rrc_enb *enb, uint16_t rnti, const uint8_t kenb[32], uint8_t ebi,
			  uint8_t qci, const uint8_t *nas, size_t len)
{
	struct rrc_enb_ue *u = rrc_enb_find(enb, rnti);
	struct rrc_msg m;

	if (!u || u->state != RRC_ENB_CONNECTED || len > sizeof(u->nas))
		return L2_ESTATE;
	memcpy(u->kenb, kenb, 32);
	u->ebi = ebi;
	u->qci = qci;
	memcpy(u->nas, nas, len);
	u->nas_len = len;
	u->setup_pending = true;
	rrc_as_keys_derive(kenb, enb->cfg.eea, enb->cfg.eia, &u->keys);
	if (enb->ops.security)
		enb->ops.security(enb->ops.ctx, rnti, &u->keys);
	memset(&m, 0, sizeof(m));
	m.type = RRC_SMC;
	m.transaction_id = u->tid = (uint8_t)((u->tid + 1) & 3);
	m.u.smc.eea = enb->cfg.eea;
	m.u.smc.eia = enb->cfg.eia;
	u->state = RRC_ENB_SECURITY;
	return enb_send(enb, rnti, 1, &m);
}

int rrc_enb_release(struct rrc_enb *enb, uint16_t rnti)
{
	struct rrc_enb_ue *u = rrc_enb_find(enb, rnti);
	struct rrc_msg m;

	if (!u)
		return L2_ESTATE;
	memset(&m, 0, sizeof(m));
	m.type = RRC_RELEASE;
	m.transaction_id = u->tid = (uint8_t)((u->tid + 1) & 3);
	m.u.release.cause = 1; /* other */
	enb->stats.releases++;
	enb_send(enb, rnti, u->security_active ? 2 : 1, &m);
	free_ue(enb, u);
	return 0;
}

int rrc_enb_bcch(const struct rrc_enb *enb, uint8_t type, uint16_t sfn, uint8_t *buf, size_t cap)
{
	struct rrc_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	switch (type) {
	case RRC_MIB:
		m.u.mib.dl_bandwidth = 2; /* n25 */
		m.u.mib.phich_resource = 2;
		m.u.mib.sfn_msb = (uint8_t)(sfn >> 2);
		break;
	case RRC_SIB1:
		m.u.sib1.n_plmn = 1;
		m.u.sib1.plmn[0] = enb->cfg.plmn;
		m.u.sib1.tac = enb->cfg.tac;
		m.u.sib1.cell_id = enb->cfg.cell_id;
		m.u.sib1.q_rx_lev_min = -65;
		m.u.sib1.freq_band = 7;
		m.u.sib1.n_sched = 1;
		m.u.sib1.sched[0].periodicity = 1; /* rf16: SIB2 alone in the first SI message */
		m.u.sib1.si_window = 4;
		break;
	case RRC_SI:
		m.u.sib2 = enb->cfg.sib2;
		break;
	default:
		return L2_EINVAL;
	}
	return rrc_encode(&m, buf, cap);
}
