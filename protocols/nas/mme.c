/* SPDX-License-Identifier: BSD-2-Clause */
/* The MME side of attach, authentication, security mode, default bearer, TAU and detach (TS 24.301 §5, §6). */
#include <string.h>

#include "l3/mme.h"
#include "nas_ie.h"

static void mme_event(struct mme *mme, const struct mme_ue *ue, const char *what)
{
	if (mme->ops.event)
		mme->ops.event(mme->ops.ctx, ue->conn, what, ue->sub);
}

int mme_init(struct mme *mme, const struct mme_config *cfg, const struct mme_ops *ops,
	     const struct l2_env *env)
{
	if (!ops->send || !ops->context_setup)
		return L2_EINVAL;
	memset(mme, 0, sizeof(*mme));
	mme->cfg = *cfg;
	mme->ops = *ops;
	mme->env = env;
	mme->next_tmsi = 0x1000;
	mme->next_rand = 0x12345678;
	return 0;
}

int mme_add_subscriber(struct mme *mme, const char *imsi, const uint8_t k[16],
		       const uint8_t opc[16], uint64_t sqn)
{
	static const uint8_t amf[2] = {0x80, 0x00}; /* EPS separation bit, TS 33.401 §6.1.1 */
	size_t n = strlen(imsi);
	int i;

	if (n < 6 || n > 15)
		return L2_EINVAL;
	for (i = 0; i < MME_MAX_SUBSCRIBERS; i++)
		if (!mme->subs[i].used) {
			memcpy(mme->subs[i].imsi, imsi, n + 1);
			hss_subscriber_init(&mme->subs[i].hss, k, opc, sqn, amf);
			mme->subs[i].used = true;
			return i;
		}
	return L2_ENOMEM;
}

static int find_imsi(struct mme *mme, const struct nas_mobile_id *id)
{
	int i;

	if (id->type != NAS_ID_IMSI)
		return -1;
	for (i = 0; i < MME_MAX_SUBSCRIBERS; i++)
		if (mme->subs[i].used && strlen(mme->subs[i].imsi) == id->n_digits &&
		    !memcmp(mme->subs[i].imsi, id->digits, id->n_digits))
			return i;
	return -1;
}

struct mme_ue *mme_find_conn(struct mme *mme, uint32_t conn)
{
	int i;

	for (i = 0; i < MME_MAX_UES; i++)
		if (mme->ues[i].state != MME_UE_FREE && mme->ues[i].conn == conn && conn)
			return &mme->ues[i];
	return NULL;
}

static struct mme_ue *find_guti(struct mme *mme, const struct nas_mobile_id *id)
{
	int i;

	if (id->type != NAS_ID_GUTI)
		return NULL;
	for (i = 0; i < MME_MAX_UES; i++) {
		struct mme_ue *ue = &mme->ues[i];

		if (ue->state != MME_UE_FREE && ue->guti.m_tmsi == id->guti.m_tmsi &&
		    ue->guti.mmec == id->guti.mmec && ue->guti.mmegi == id->guti.mmegi)
			return ue;
	}
	return NULL;
}

static struct mme_ue *new_ue(struct mme *mme, uint32_t conn)
{
	int i;

	for (i = 0; i < MME_MAX_UES; i++)
		if (mme->ues[i].state == MME_UE_FREE) {
			memset(&mme->ues[i], 0, sizeof(mme->ues[i]));
			mme->ues[i].state = MME_UE_DEREGISTERED;
			mme->ues[i].conn = conn;
			mme->ues[i].sub = -1;
			return &mme->ues[i];
		}
	return NULL;
}

static void free_ue(struct mme_ue *ue)
{
	nas_sec_wipe(&ue->sec);
	memset(ue, 0, sizeof(*ue));
}

/* Send to the UE, protected (ciphered) once a context is in use; `retx` keeps it for T3450/60. */
static int ue_send(struct mme *mme, struct mme_ue *ue, const struct nas_msg *m, uint8_t hdr,
		   uint32_t timer_ms)
{
	uint8_t plain[NAS_MAX_MSG];
	int n = nas_encode(m, plain, sizeof(plain));

	if (n < 0)
		return n;
	if (hdr != NAS_SEC_PLAIN) {
		n = nas_sec_protect(&ue->sec, hdr, plain, (size_t)n, ue->last, sizeof(ue->last));
		if (n < 0)
			return n;
	} else {
		memcpy(ue->last, plain, (size_t)n);
	}
	ue->last_len = (size_t)n;
	if (timer_ms) {
		ue->retx = 1;
		l2_timer_start(&ue->timer, l2_now(mme->env), timer_ms);
	}
	if (ue->conn)
		mme->ops.send(mme->ops.ctx, ue->conn, ue->last, ue->last_len);
	return 0;
}

static void send_cause(struct mme *mme, struct mme_ue *ue, uint8_t type, uint8_t cause)
{
	struct nas_msg m;

	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	m.type = type;
	if (type == NAS_ATTACH_REJECT)
		m.u.attach_reject.cause = cause;
	else
		m.u.cause.cause = cause;
	ue_send(mme, ue, &m, NAS_SEC_PLAIN, 0);
}

static void release(struct mme *mme, struct mme_ue *ue)
{
	l2_timer_stop(&ue->timer);
	if (ue->conn && mme->ops.release)
		mme->ops.release(mme->ops.ctx, ue->conn);
	ue->conn = 0;
}

static void reject_attach(struct mme *mme, struct mme_ue *ue, uint8_t cause)
{
	send_cause(mme, ue, NAS_ATTACH_REJECT, cause);
	mme->stats.rejects++;
	mme_event(mme, ue, "attach-reject");
	release(mme, ue);
	free_ue(ue);
}

/* AUTHENTICATION REQUEST with a fresh EPS vector (§5.4.2.2), T3460 running. */
static int start_auth(struct mme *mme, struct mme_ue *ue)
{
	struct mme_subscriber *s = &mme->subs[ue->sub];
	uint8_t rand[16], sn[3];
	struct nas_wr w = {sn, 3, 0, 0};
	struct nas_msg m;
	int i;

	for (i = 0; i < 16; i += 4) {
		uint32_t r = l2_random(mme->env);

		if (!mme->env || !mme->env->random) {
			/* xorshift32: deterministic RANDs when the host gives no randomness */
			mme->next_rand ^= mme->next_rand << 13;
			mme->next_rand ^= mme->next_rand >> 17;
			mme->next_rand ^= mme->next_rand << 5;
			r = mme->next_rand;
		}
		rand[i] = (uint8_t)(r >> 24), rand[i + 1] = (uint8_t)(r >> 16);
		rand[i + 2] = (uint8_t)(r >> 8), rand[i + 3] = (uint8_t)r;
	}
	nas_put_plmn(&w, &mme->cfg.plmn);
	if (hss_generate_av(&s->hss, rand, sn, &ue->av))
		return L2_ESTATE;
	ue->ksi = (uint8_t)((ue->ksi + 1) % 7);
	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	m.type = NAS_AUTH_REQUEST;
	m.u.auth_request.ksi = ue->ksi;
	memcpy(m.u.auth_request.rand, ue->av.rand, 16);
	memcpy(m.u.auth_request.autn, ue->av.autn, 16);
	ue->state = MME_UE_AUTH;
	return ue_send(mme, ue, &m, NAS_SEC_PLAIN, MME_T3460_MS);
}

static void on_attach_request(struct mme *mme, struct mme_ue *ue, const struct nas_msg *m)
{
	const struct nas_attach_request *a = &m->u.attach_request;
	struct nas_msg esm;
	struct mme_ue *old;

	if (nas_decode(a->esm.v, a->esm.len, NAS_UL, &esm) || esm.type != NAS_PDN_CONN_REQUEST) {
		reject_attach(mme, ue, EMM_CAUSE_ESM_FAILURE);
		return;
	}
	ue->pti = esm.pti;
	memcpy(ue->ue_net_cap, a->ue_net_cap.v, 2);
	ue->bearer_active = false;
	if (a->id.type == NAS_ID_GUTI && (old = find_guti(mme, &a->id)) && old != ue) {
		/* A UE the MME knows attaches again: its old context goes. */
		ue->sub = old->sub;
		ue->ksi = old->ksi;
		release(mme, old);
		free_ue(old);
	} else {
		ue->sub = find_imsi(mme, &a->id);
	}
	if (ue->sub < 0) {
		if (a->id.type == NAS_ID_GUTI) {
			/* §5.4.4: ask an unknown GUTI for its IMSI. */
			struct nas_msg r;

			memset(&r, 0, sizeof(r));
			r.pd = NAS_PD_EMM;
			r.type = NAS_IDENTITY_REQUEST;
			r.u.identity_request.id_type = NAS_ID_IMSI;
			ue->state = MME_UE_AUTH;
			ue_send(mme, ue, &r, NAS_SEC_PLAIN, MME_T3460_MS);
			return;
		}
		/* Unknown to the HSS: TS 29.272 DIAMETER_ERROR_USER_UNKNOWN maps to #8. */
		reject_attach(mme, ue, EMM_CAUSE_EPS_AND_NON_EPS_NOT_ALLOWED);
		return;
	}
	ue->resyncs = 0;
	if (start_auth(mme, ue))
		reject_attach(mme, ue, EMM_CAUSE_NETWORK_FAILURE);
}

static void send_smc(struct mme *mme, struct mme_ue *ue)
{
	struct nas_msg m;
	uint8_t eea = (ue->ue_net_cap[0] & 0x20) ? SEC_EEA2 : SEC_EEA0;

	if (!(ue->ue_net_cap[1] & 0x20)) {
		/* No 128-EIA2: the only integrity algorithm here (§5.4.3.2). */
		reject_attach(mme, ue, EMM_CAUSE_UE_SEC_CAP_MISMATCH);
		return;
	}
	nas_sec_init(&ue->sec, false, ue->av.kasme, ue->ksi, eea, SEC_EIA2);
	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	m.type = NAS_SMC;
	m.u.smc.eea = eea;
	m.u.smc.eia = SEC_EIA2;
	m.u.smc.ksi = ue->ksi;
	m.u.smc.ue_sec_cap.len = 2;
	memcpy(m.u.smc.ue_sec_cap.v, ue->ue_net_cap, 2);
	m.u.smc.imeisv_request = true;
	ue->state = MME_UE_SMC;
	ue_send(mme, ue, &m, NAS_SEC_INT_NEW, MME_T3460_MS);
}

static void on_auth_response(struct mme *mme, struct mme_ue *ue, const struct nas_auth_response *r)
{
	if (ue->state != MME_UE_AUTH)
		return;
	l2_timer_stop(&ue->timer);
	if (r->res_len != ue->av.xres_len || memcmp(r->res, ue->av.xres, r->res_len)) {
		/* §5.4.2.4: RES differs from XRES. */
		mme->stats.auth_failures++;
		send_cause(mme, ue, NAS_AUTH_REJECT, 0);
		mme_event(mme, ue, "auth-reject");
		release(mme, ue);
		free_ue(ue);
		return;
	}
	send_smc(mme, ue);
}

static void on_auth_failure(struct mme *mme, struct mme_ue *ue, const struct nas_auth_failure *f)
{
	uint8_t rand[16];

	if (ue->state != MME_UE_AUTH)
		return;
	l2_timer_stop(&ue->timer);
	mme->stats.auth_failures++;
	if (f->cause == EMM_CAUSE_SYNCH_FAILURE && f->has_auts && ue->resyncs < MME_MAX_RESYNC) {
		/* §5.4.2.7 (e), TS 33.102 §6.3.5: resynchronise the HSS and try again. */
		memcpy(rand, ue->av.rand, 16);
		if (hss_resync(&mme->subs[ue->sub].hss, rand, f->auts) == 0) {
			ue->resyncs++;
			mme->stats.resyncs++;
			mme_event(mme, ue, "resync");
			if (start_auth(mme, ue) == 0)
				return;
		}
	}
	mme_event(mme, ue, "auth-failure");
	send_cause(mme, ue, NAS_AUTH_REJECT, 0);
	release(mme, ue);
	free_ue(ue);
}

/* ATTACH ACCEPT carrying ACTIVATE DEFAULT EPS BEARER CONTEXT REQUEST (§5.5.1.2.4, §6.4.1.2). */
static void accept_attach(struct mme *mme, struct mme_ue *ue, uint32_t ul_count)
{
	static const uint8_t pco_dns[] = {0x80, 0x00, 0x0d, 0x04, 8, 8, 8, 8};
	uint8_t plain[NAS_MAX_MSG], kenb[32];
	struct nas_msg m, esm;
	struct nas_attach_accept *a = &m.u.attach_accept;
	struct nas_act_default_bearer_req *b = &esm.u.act_default_bearer_req;
	int n;

	memset(&esm, 0, sizeof(esm));
	esm.pd = NAS_PD_ESM;
	esm.type = NAS_ACT_DEFAULT_BEARER_REQ;
	esm.ebi = ue->ebi = 5;
	esm.pti = ue->pti;
	b->qos.len = 1;
	b->qos.v[0] = 9;
	n = nas_apn_from_str(mme->cfg.apn[0] ? mme->cfg.apn : "internet", b->apn.v,
			     sizeof(b->apn.v));
	b->apn.len = (uint16_t)(n > 0 ? n : 0);
	b->pdn_type = NAS_PDN_IPV4;
	if (!ue->ip[0]) {
		memcpy(ue->ip, mme->cfg.ip_base, 4);
		/* One address per subscriber: base + 1 + its index in the HSS. */
		ue->ip[3] = (uint8_t)(ue->ip[3] + 1 + ue->sub);
	}
	b->addr_len = 4;
	memcpy(b->addr, ue->ip, 4);
	b->has_ambr = true;
	b->ambr.len = 2;
	b->ambr.v[0] = 0xfe, b->ambr.v[1] = 0xfe;
	b->has_pco = true;
	memcpy(b->pco.v, pco_dns, sizeof(pco_dns));
	b->pco.len = sizeof(pco_dns);
	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	m.type = NAS_ATTACH_ACCEPT;
	a->result = NAS_ATTACH_RESULT_EPS;
	a->t3412 = mme->cfg.t3412;
	a->n_tai = 1;
	a->tai[0].plmn = mme->cfg.plmn;
	a->tai[0].tac = mme->cfg.tac;
	n = nas_encode(&esm, a->esm.v, sizeof(a->esm.v));
	a->esm.len = (uint16_t)(n > 0 ? n : 0);
	ue->guti.plmn = mme->cfg.plmn;
	ue->guti.mmegi = mme->cfg.mmegi;
	ue->guti.mmec = mme->cfg.mmec;
	ue->guti.m_tmsi = mme->next_tmsi++;
	a->has_guti = true;
	a->guti.type = NAS_ID_GUTI;
	a->guti.guti = ue->guti;
	n = nas_encode(&m, plain, sizeof(plain));
	if (n < 0)
		return;
	n = nas_sec_protect(&ue->sec, NAS_SEC_INT_ENC, plain, (size_t)n, ue->last,
			    sizeof(ue->last));
	if (n < 0)
		return;
	ue->last_len = (size_t)n;
	ue->state = MME_UE_ACCEPT;
	ue->retx = 1;
	l2_timer_start(&ue->timer, l2_now(mme->env), MME_T3450_MS);
	/* K_eNB from the uplink NAS COUNT of the SECURITY MODE COMPLETE (TS 33.401 §A.3). */
	sec_derive_kenb(ue->sec.kasme, ul_count, kenb);
	mme->ops.context_setup(mme->ops.ctx, ue->conn, kenb, ue->ebi, 9, ue->last, ue->last_len);
	memset(kenb, 0, sizeof(kenb));
}

static void on_tau_request(struct mme *mme, struct mme_ue *ue, const struct nas_tau_request *t)
{
	struct nas_msg m;

	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	m.type = NAS_TAU_ACCEPT;
	m.u.tau_accept.result = NAS_TAU_RESULT_TA;
	m.u.tau_accept.has_t3412 = true;
	m.u.tau_accept.t3412 = mme->cfg.t3412;
	m.u.tau_accept.has_tai = true;
	m.u.tau_accept.n_tai = 1;
	m.u.tau_accept.tai[0].plmn = mme->cfg.plmn;
	m.u.tau_accept.tai[0].tac = mme->cfg.tac;
	m.u.tau_accept.has_bearer_status = true;
	m.u.tau_accept.bearer_status =
		(uint16_t)(ue->bearer_active ? 1u << ue->ebi : 0) & t->bearer_status;
	if (t->has_bearer_status && !(t->bearer_status & (1u << ue->ebi)))
		ue->bearer_active = false;
	mme->stats.tau++;
	ue_send(mme, ue, &m, NAS_SEC_INT_ENC, 0);
	mme_event(mme, ue, "tau");
}

/* Initial messages of a UE the MME may know by GUTI (§4.4.4.3): which context verifies them. */
static struct mme_ue *rebind(struct mme *mme, struct mme_ue *ue, const struct nas_mobile_id *id,
			     uint32_t conn)
{
	struct mme_ue *old = find_guti(mme, id);

	if (!old || old == ue)
		return ue;
	if (ue && ue->state == MME_UE_DEREGISTERED && !ue->has_ctx && ue->sub < 0)
		free_ue(ue);
	old->conn = conn;
	return old;
}

/* §4.4.4.3: messages processed even when their integrity cannot be verified. */
static bool unverified_ok(uint8_t type)
{
	switch (type) {
	case NAS_ATTACH_REQUEST:
	case NAS_IDENTITY_RESPONSE:
	case NAS_AUTH_RESPONSE:
	case NAS_AUTH_FAILURE:
	case NAS_SMC_REJECT:
	case NAS_DETACH_REQUEST:
	case NAS_DETACH_ACCEPT:
	case NAS_TAU_REQUEST:
		return true;
	default:
		return false;
	}
}

int mme_rx(struct mme *mme, uint32_t conn, const uint8_t *pdu, size_t len)
{
	uint8_t plain[NAS_MAX_MSG], hdr = NAS_SEC_PLAIN;
	struct mme_ue *ue = mme_find_conn(mme, conn);
	int h = nas_sec_header_type(pdu, len);
	const uint8_t *p = pdu, *inner = NULL;
	struct nas_msg m, peek;
	size_t n = len, inner_len = 0;
	uint32_t ul_count = 0;
	bool peeked = false;

	if (h < 0) {
		mme->stats.rx_malformed++;
		return h;
	}
	if (h == NAS_SEC_INT) {
		inner = nas_sec_peek(pdu, len, &inner_len);
		peeked = inner && nas_decode(inner, inner_len, NAS_UL, &peek) == 0;
		/* An initial message: the context to verify it may be under its GUTI. */
		if (peeked && peek.type == NAS_ATTACH_REQUEST)
			ue = rebind(mme, ue, &peek.u.attach_request.id, conn);
		else if (peeked && peek.type == NAS_DETACH_REQUEST)
			ue = rebind(mme, ue, &peek.u.detach_request.id, conn);
		else if (peeked && peek.type == NAS_TAU_REQUEST)
			ue = rebind(mme, ue, &peek.u.tau_request.old_guti, conn);
	}
	if (h != NAS_SEC_PLAIN) {
		int k = L2_ESTATE;

		if (ue && (ue->has_ctx || (h == NAS_SEC_INT_ENC_NEW && ue->state == MME_UE_SMC)))
			k = nas_sec_unprotect(&ue->sec, pdu, len, plain, sizeof(plain), &hdr);
		if (k >= 0) {
			ul_count = (ue->sec.rx_count - 1) & NAS_COUNT_MASK;
			p = plain;
			n = (size_t)k;
		} else if (peeked && peek.type == NAS_TAU_REQUEST) {
			/* §5.5.3.2.5: a UE the network cannot identify gets #9 and attaches again. */
			if (!ue && !(ue = new_ue(mme, conn)))
				return L2_ENOMEM;
			send_cause(mme, ue, NAS_TAU_REJECT, EMM_CAUSE_UE_ID_NOT_DERIVED);
			release(mme, ue);
			free_ue(ue);
			return 0;
		} else if (peeked && unverified_ok(peek.type)) {
			/* Taken as if it had come unprotected (§4.4.4.3). */
			p = inner;
			n = inner_len;
		} else {
			mme->stats.rx_dropped++;
			return k;
		}
	}
	if (nas_decode(p, n, NAS_UL, &m)) {
		mme->stats.rx_malformed++;
		return L2_EPROTO;
	}
	if (!ue && !(ue = new_ue(mme, conn)))
		return L2_ENOMEM;
	if (hdr == NAS_SEC_PLAIN && m.pd == NAS_PD_EMM && ue->has_ctx && !unverified_ok(m.type)) {
		/* §4.4.4.3: everything else must be integrity protected. */
		mme->stats.rx_dropped++;
		return L2_EAUTH;
	}
	if (m.pd != NAS_PD_EMM)
		return 0; /* standalone ESM: nothing of the subset expects one */
	switch (m.type) {
	case NAS_ATTACH_REQUEST:
		if (hdr == NAS_SEC_PLAIN && ue->has_ctx) {
			nas_sec_wipe(&ue->sec);
			ue->has_ctx = false;
		}
		on_attach_request(mme, ue, &m);
		break;
	case NAS_IDENTITY_RESPONSE:
		if (ue->state == MME_UE_AUTH && ue->sub < 0) {
			l2_timer_stop(&ue->timer);
			ue->sub = find_imsi(mme, &m.u.identity_response.id);
			if (ue->sub < 0)
				reject_attach(mme, ue, EMM_CAUSE_EPS_AND_NON_EPS_NOT_ALLOWED);
			else if (start_auth(mme, ue))
				reject_attach(mme, ue, EMM_CAUSE_NETWORK_FAILURE);
		}
		break;
	case NAS_AUTH_RESPONSE:
		on_auth_response(mme, ue, &m.u.auth_response);
		break;
	case NAS_AUTH_FAILURE:
		on_auth_failure(mme, ue, &m.u.auth_failure);
		break;
	case NAS_SMC_COMPLETE:
		if (ue->state == MME_UE_SMC && hdr == NAS_SEC_INT_ENC_NEW) {
			l2_timer_stop(&ue->timer);
			ue->has_ctx = true;
			accept_attach(mme, ue, ul_count);
		}
		break;
	case NAS_SMC_REJECT:
		if (ue->state == MME_UE_SMC) {
			mme_event(mme, ue, "smc-reject");
			release(mme, ue);
			free_ue(ue);
		}
		break;
	case NAS_ATTACH_COMPLETE:
		if (ue->state == MME_UE_ACCEPT) {
			struct nas_msg esm;

			l2_timer_stop(&ue->timer);
			ue->bearer_active =
				nas_decode(m.u.attach_complete.esm.v, m.u.attach_complete.esm.len,
					   NAS_UL, &esm) == 0 &&
				esm.type == NAS_ACT_DEFAULT_BEARER_ACC;
			ue->state = MME_UE_REGISTERED;
			mme->stats.attaches++;
			mme_event(mme, ue, "attach");
		}
		break;
	case NAS_DETACH_REQUEST:
		if (!m.u.detach_request.switch_off)
			send_cause(mme, ue, NAS_DETACH_ACCEPT, 0);
		mme->stats.detaches++;
		mme_event(mme, ue, "detach");
		ue->state = MME_UE_DEREGISTERED;
		ue->bearer_active = false;
		release(mme, ue);
		break;
	case NAS_TAU_REQUEST:
		if (ue->state == MME_UE_REGISTERED && hdr != NAS_SEC_PLAIN)
			on_tau_request(mme, ue, &m.u.tau_request);
		else {
			send_cause(mme, ue, NAS_TAU_REJECT, EMM_CAUSE_IMPLICITLY_DETACHED);
			release(mme, ue);
		}
		break;
	case NAS_DETACH_ACCEPT:
		if (ue->state == MME_UE_DETACHING) {
			l2_timer_stop(&ue->timer);
			ue->state = MME_UE_DEREGISTERED;
			release(mme, ue);
		}
		break;
	case NAS_TAU_COMPLETE:
	case NAS_EMM_STATUS:
		break;
	default:
		send_cause(mme, ue, NAS_EMM_STATUS, EMM_CAUSE_MSG_NOT_COMPATIBLE);
		break;
	}
	return 0;
}

void mme_context_setup_done(struct mme *mme, uint32_t conn, bool ok)
{
	struct mme_ue *ue = mme_find_conn(mme, conn);

	if (ue && !ok && ue->state == MME_UE_ACCEPT) {
		mme_event(mme, ue, "context-setup-failed");
		release(mme, ue);
		ue->state = MME_UE_DEREGISTERED;
	}
}

void mme_conn_released(struct mme *mme, uint32_t conn)
{
	struct mme_ue *ue = mme_find_conn(mme, conn);

	if (!ue)
		return;
	ue->conn = 0;
	l2_timer_stop(&ue->timer);
	if (ue->state == MME_UE_AUTH || ue->state == MME_UE_SMC || ue->state == MME_UE_ACCEPT) {
		/* The attach was not completed (§5.5.1.2.7 (b)). */
		free_ue(ue);
	} else if (ue->state == MME_UE_DETACHING) {
		ue->state = MME_UE_DEREGISTERED;
	}
}

int mme_detach(struct mme *mme, uint32_t conn, bool reattach)
{
	struct mme_ue *ue = mme_find_conn(mme, conn);
	struct nas_msg m;

	if (!ue || ue->state != MME_UE_REGISTERED)
		return L2_ESTATE;
	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	m.type = NAS_DETACH_REQUEST;
	m.u.detach_request.type = reattach ? NAS_DETACH_EPS : NAS_DETACH_REATTACH_NOT;
	ue->state = MME_UE_DETACHING;
	ue->bearer_active = false;
	return ue_send(mme, ue, &m, NAS_SEC_INT_ENC, MME_T3422_MS);
}

void mme_tick(struct mme *mme)
{
	uint32_t now = l2_now(mme->env);
	int i;

	for (i = 0; i < MME_MAX_UES; i++) {
		struct mme_ue *ue = &mme->ues[i];

		if (ue->state == MME_UE_FREE || !l2_timer_expired(&ue->timer, now))
			continue;
		if (ue->retx < MME_RETX_MAX && ue->conn) {
			/* T3460/T3450/T3422: the same message again (§5.4.2.7, §5.5.1.2.7). */
			ue->retx++;
			mme->ops.send(mme->ops.ctx, ue->conn, ue->last, ue->last_len);
			l2_timer_start(&ue->timer, now,
				       ue->state == MME_UE_ACCEPT ? MME_T3450_MS : MME_T3460_MS);
			continue;
		}
		mme_event(mme, ue, "procedure-timeout");
		release(mme, ue);
		if (ue->state == MME_UE_DETACHING)
			ue->state = MME_UE_DEREGISTERED;
		else if (ue->state != MME_UE_REGISTERED)
			free_ue(ue);
	}
}
