/* SPDX-License-Identifier: BSD-2-Clause */
/* UE EMM procedures (TS 24.301 §5.4, §5.5) and the default bearer of the attach (§6.4.1). */
#include <string.h>

#include "l3/emm.h"
#include "nas_ie.h"

static void emm_event(struct emm_ue *ue, enum emm_event ev, int arg)
{
	if (ue->ops.event)
		ue->ops.event(ue->ops.ctx, ev, arg);
}

static void emm_release(struct emm_ue *ue)
{
	if (ue->ops.release)
		ue->ops.release(ue->ops.ctx);
}

static void stop_timers(struct emm_ue *ue)
{
	l2_timer_stop(&ue->t3410);
	l2_timer_stop(&ue->t3411);
	l2_timer_stop(&ue->t3402);
	l2_timer_stop(&ue->t3421);
	l2_timer_stop(&ue->t3430);
}

/* The serving network identity as TS 24.301 §9.9.3.32 octets (the SN id of K_ASME). */
static void sn_id(const struct emm_ue *ue, uint8_t out[3])
{
	struct nas_wr w = {out, 3, 0, 0};

	nas_put_plmn(&w, &ue->cfg.plmn);
}

/*
 * Encode and send: plain without a context, else protected with `hdr` (§4.4.5: initial NAS
 * messages are integrity protected only; everything else is also ciphered).
 */
static int emm_send(struct emm_ue *ue, const struct nas_msg *m, uint8_t hdr, bool initial)
{
	uint8_t plain[NAS_MAX_MSG], out[NAS_MAX_MSG + NAS_SEC_HDR_LEN];
	int n = nas_encode(m, plain, sizeof(plain));

	if (n < 0)
		return n;
	if (ue->has_ctx && hdr != NAS_SEC_PLAIN) {
		n = nas_sec_protect(&ue->sec, hdr, plain, (size_t)n, out, sizeof(out));
		if (n < 0)
			return n;
		ue->ops.send(ue->ops.ctx, out, (size_t)n, initial);
	} else {
		ue->ops.send(ue->ops.ctx, plain, (size_t)n, initial);
	}
	ue->stats.tx++;
	return 0;
}

static int esm_encode_into(struct nas_esm_container *c, const struct nas_msg *m)
{
	int n = nas_encode(m, c->v, sizeof(c->v));

	c->len = (uint16_t)(n > 0 ? n : 0);
	return n < 0 ? n : 0;
}

/* PDN CONNECTIVITY REQUEST for the default bearer (§6.5.1.2): IPv4, the APN, a DNS request. */
static int esm_pdn_request(struct emm_ue *ue, struct nas_esm_container *c)
{
	static const uint8_t pco_dns[] = {0x80, 0x00, 0x0d, 0x00}; /* DNS server IPv4 request */
	struct nas_msg m;
	int n;

	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_ESM;
	m.type = NAS_PDN_CONN_REQUEST;
	ue->pti = (uint8_t)(ue->pti % 254 + 1);
	m.pti = ue->pti;
	m.u.pdn_conn_request.request_type = NAS_REQUEST_INITIAL;
	m.u.pdn_conn_request.pdn_type = NAS_PDN_IPV4;
	if (ue->cfg.apn[0]) {
		n = nas_apn_from_str(ue->cfg.apn, m.u.pdn_conn_request.apn.v,
				     sizeof(m.u.pdn_conn_request.apn.v));
		if (n < 0)
			return n;
		m.u.pdn_conn_request.apn.len = (uint16_t)n;
		m.u.pdn_conn_request.has_apn = true;
	}
	memcpy(m.u.pdn_conn_request.pco.v, pco_dns, sizeof(pco_dns));
	m.u.pdn_conn_request.pco.len = sizeof(pco_dns);
	m.u.pdn_conn_request.has_pco = true;
	return esm_encode_into(c, &m);
}

static void own_identity(const struct emm_ue *ue, struct nas_mobile_id *id)
{
	if (ue->has_guti)
		*id = ue->guti;
	else
		nas_id_imsi(id, ue->cfg.imsi);
}

int emm_init(struct emm_ue *ue, const struct emm_config *cfg, const struct emm_ops *ops,
	     const struct l2_env *env)
{
	struct nas_mobile_id id;

	if (!ops->send || !ops->authenticate || nas_id_imsi(&id, cfg->imsi) < 0)
		return L2_EINVAL;
	memset(ue, 0, sizeof(*ue));
	ue->cfg = *cfg;
	ue->ops = *ops;
	ue->env = env;
	ue->state = EMM_NULL;
	return 0;
}

/* ATTACH REQUEST with a PDN CONNECTIVITY REQUEST (§5.5.1.2.2), T3410 running. */
int emm_attach(struct emm_ue *ue)
{
	struct nas_msg m;
	struct nas_attach_request *a = &m.u.attach_request;
	int err;

	if (ue->state == EMM_DEREGISTERED_NO_RETRY || ue->state == EMM_REGISTERED ||
	    ue->state == EMM_REGISTERED_INITIATED)
		return L2_ESTATE;
	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	m.type = NAS_ATTACH_REQUEST;
	a->attach_type = NAS_ATTACH_TYPE_EPS;
	a->ksi = ue->has_ctx ? ue->sec.ksi : NAS_KSI_NONE;
	own_identity(ue, &a->id);
	a->ue_net_cap.len = 2;
	memcpy(a->ue_net_cap.v, ue->cfg.ue_net_cap, 2);
	if ((err = esm_pdn_request(ue, &a->esm)))
		return err;
	a->has_drx = true;
	stop_timers(ue);
	ue->state = EMM_REGISTERED_INITIATED;
	ue->bearer_active = false;
	ue->stats.attach_attempts++;
	l2_timer_start(&ue->t3410, l2_now(ue->env), EMM_T3410_MS);
	return emm_send(ue, &m, NAS_SEC_INT, true);
}

int emm_detach(struct emm_ue *ue, bool switch_off)
{
	struct nas_msg m;
	int err;

	if (ue->state != EMM_REGISTERED && ue->state != EMM_TAU_INITIATED &&
	    ue->state != EMM_REGISTERED_INITIATED && ue->state != EMM_DEREGISTERED_INITIATED) {
		stop_timers(ue);
		ue->state = EMM_NULL;
		return 0;
	}
	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	m.type = NAS_DETACH_REQUEST;
	m.u.detach_request.ue_originating = true;
	m.u.detach_request.switch_off = switch_off;
	m.u.detach_request.type = NAS_DETACH_EPS;
	m.u.detach_request.ksi = ue->has_ctx ? ue->sec.ksi : NAS_KSI_NONE;
	own_identity(ue, &m.u.detach_request.id);
	stop_timers(ue);
	ue->detach_switch_off = switch_off;
	err = emm_send(ue, &m, NAS_SEC_INT, true);
	if (switch_off) {
		/* §5.5.2.2.2: no DETACH ACCEPT is awaited; the UE is deregistered at once. */
		ue->state = EMM_NULL;
		ue->bearer_active = false;
		emm_release(ue);
		emm_event(ue, EMM_EV_DEREGISTERED, 0);
	} else {
		if (ue->state != EMM_DEREGISTERED_INITIATED)
			ue->t3421_count = 0;
		ue->t3421_count++;
		ue->state = EMM_DEREGISTERED_INITIATED;
		l2_timer_start(&ue->t3421, l2_now(ue->env), EMM_T3421_MS);
	}
	return err;
}

int emm_tau(struct emm_ue *ue)
{
	struct nas_msg m;
	struct nas_tau_request *t = &m.u.tau_request;

	if (ue->state != EMM_REGISTERED || !ue->has_guti)
		return L2_ESTATE;
	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	m.type = NAS_TAU_REQUEST;
	t->update_type = NAS_TAU_TYPE_TA;
	t->ksi = ue->has_ctx ? ue->sec.ksi : NAS_KSI_NONE;
	t->old_guti = ue->guti;
	t->has_ue_net_cap = true;
	t->ue_net_cap.len = 2;
	memcpy(t->ue_net_cap.v, ue->cfg.ue_net_cap, 2);
	if (ue->bearer_active) {
		t->has_bearer_status = true;
		t->bearer_status = (uint16_t)(1u << ue->ebi);
	}
	ue->state = EMM_TAU_INITIATED;
	l2_timer_start(&ue->t3430, l2_now(ue->env), EMM_T3430_MS);
	return emm_send(ue, &m, NAS_SEC_INT, true);
}

/* §5.5.1.2.6: an attempt failed; retry after T3411, or after T3402 from the fifth on. */
static void attach_abnormal(struct emm_ue *ue, int cause)
{
	l2_timer_stop(&ue->t3410);
	ue->attempts++;
	ue->state = EMM_DEREGISTERED;
	emm_event(ue, EMM_EV_ATTACH_FAILED, cause);
	if (ue->attempts < EMM_ATTEMPTS) {
		l2_timer_start(&ue->t3411, l2_now(ue->env), EMM_T3411_MS);
	} else {
		l2_timer_start(&ue->t3402, l2_now(ue->env), EMM_T3402_MS);
		emm_event(ue, EMM_EV_DEREGISTERED, cause);
	}
}

static void forget_registration(struct emm_ue *ue, bool keep_ctx)
{
	ue->has_guti = false;
	ue->n_tai = 0;
	ue->bearer_active = false;
	if (!keep_ctx && ue->has_ctx) {
		nas_sec_wipe(&ue->sec);
		ue->has_ctx = false;
	}
}

static void send_simple(struct emm_ue *ue, uint8_t type, uint8_t cause, uint8_t hdr)
{
	struct nas_msg m;

	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	m.type = type;
	m.u.cause.cause = cause;
	emm_send(ue, &m, hdr, false);
}

static void on_auth_request(struct emm_ue *ue, const struct nas_auth_request *a)
{
	struct usim_auth_result r;
	struct nas_msg m;
	uint8_t sn[3];
	int err;

	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	if (!aka_amf_separation(a->autn + 6)) {
		/* §5.4.2.6 (c): not an EPS authentication vector. */
		m.type = NAS_AUTH_FAILURE;
		m.u.auth_failure.cause = EMM_CAUSE_NON_EPS_AUTH_UNACCEPTABLE;
		ue->stats.auth_failures++;
		emm_event(ue, EMM_EV_AUTH_FAILED, EMM_CAUSE_NON_EPS_AUTH_UNACCEPTABLE);
		emm_send(ue, &m, NAS_SEC_INT, false);
		return;
	}
	err = ue->ops.authenticate(ue->ops.ctx, a->rand, a->autn, &r);
	if (err == 0) {
		sn_id(ue, sn);
		sec_derive_kasme(r.ck, r.ik, sn, r.sqn_xor_ak, ue->new_kasme);
		ue->new_ksi = a->ksi & 7;
		ue->has_new_kasme = true;
		m.type = NAS_AUTH_RESPONSE;
		m.u.auth_response.res_len = r.res_len;
		memcpy(m.u.auth_response.res, r.res, r.res_len);
	} else {
		m.type = NAS_AUTH_FAILURE;
		if (err == L2_ESTALE) {
			m.u.auth_failure.cause = EMM_CAUSE_SYNCH_FAILURE;
			m.u.auth_failure.has_auts = true;
			memcpy(m.u.auth_failure.auts, r.auts, AKA_AUTS_LEN);
		} else {
			m.u.auth_failure.cause = EMM_CAUSE_MAC_FAILURE;
		}
		ue->stats.auth_failures++;
		emm_event(ue, EMM_EV_AUTH_FAILED, m.u.auth_failure.cause);
	}
	memset(&r, 0, sizeof(r));
	/*
	 * Integrity protected but not ciphered when a context exists: a network that lost the
	 * context can still read it (TS 24.301 §4.4.4.3 processes it unverified).
	 */
	emm_send(ue, &m, NAS_SEC_INT, false);
}

/*
 * SECURITY MODE COMMAND (§5.4.3.3): read it, build the context it names, verify it with
 * that context, then take the context into use and answer ciphered (header type 4).
 */
static void on_smc(struct emm_ue *ue, const uint8_t *pdu, size_t len, const struct nas_smc *s)
{
	uint8_t plain[NAS_MAX_MSG], hdr, kenb[32];
	struct nas_sec cand;
	const uint8_t *kasme;
	struct nas_msg m;
	uint8_t ksi = s->ksi & 7;

	if (ue->has_new_kasme && ksi == ue->new_ksi)
		kasme = ue->new_kasme;
	else if (ue->has_ctx && ksi == ue->sec.ksi)
		kasme = ue->sec.kasme;
	else
		return; /* no such key: silently ignored, the MME will time out */
	if (s->ue_sec_cap.len < 2 || s->ue_sec_cap.v[0] != ue->cfg.ue_net_cap[0] ||
	    s->ue_sec_cap.v[1] != ue->cfg.ue_net_cap[1]) {
		send_simple(ue, NAS_SMC_REJECT, EMM_CAUSE_UE_SEC_CAP_MISMATCH, NAS_SEC_PLAIN);
		return;
	}
	if (s->eia != SEC_EIA2 || nas_sec_init(&cand, true, kasme, ksi, s->eea, s->eia)) {
		send_simple(ue, NAS_SMC_REJECT, EMM_CAUSE_SEC_MODE_REJECTED, NAS_SEC_PLAIN);
		return;
	}
	if (kasme == ue->sec.kasme)
		cand.tx_count = ue->sec.tx_count, cand.rx_count = ue->sec.rx_count;
	if (nas_sec_unprotect(&cand, pdu, len, plain, sizeof(plain), &hdr) < 0) {
		ue->stats.rx_mac_failures++;
		return;
	}
	ue->sec = cand;
	ue->has_ctx = true;
	ue->has_new_kasme = false;
	memset(ue->new_kasme, 0, sizeof(ue->new_kasme));
	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	m.type = NAS_SMC_COMPLETE;
	if (s->imeisv_request && ue->cfg.imeisv[0]) {
		m.u.smc_complete.has_imeisv = true;
		m.u.smc_complete.imeisv.type = NAS_ID_IMEISV;
		m.u.smc_complete.imeisv.n_digits = (uint8_t)strlen(ue->cfg.imeisv);
		memcpy(m.u.smc_complete.imeisv.digits, ue->cfg.imeisv,
		       m.u.smc_complete.imeisv.n_digits);
	}
	/* K_eNB from the uplink NAS COUNT of the SECURITY MODE COMPLETE (TS 33.401 §A.3). */
	sec_derive_kenb(ue->sec.kasme, ue->sec.tx_count, kenb);
	emm_send(ue, &m, NAS_SEC_INT_ENC_NEW, false);
	if (ue->ops.kenb)
		ue->ops.kenb(ue->ops.ctx, kenb);
	memset(kenb, 0, sizeof(kenb));
}

static void on_attach_accept(struct emm_ue *ue, const struct nas_attach_accept *a)
{
	struct nas_msg esm, m;
	const struct nas_act_default_bearer_req *b = &esm.u.act_default_bearer_req;

	if (ue->state != EMM_REGISTERED_INITIATED)
		return;
	if (nas_decode(a->esm.v, a->esm.len, NAS_DL, &esm) || esm.pd != NAS_PD_ESM ||
	    esm.type != NAS_ACT_DEFAULT_BEARER_REQ || esm.ebi < 5) {
		/* §6.4.1.5: the default bearer cannot be set up; the attach fails. */
		attach_abnormal(ue, EMM_CAUSE_ESM_FAILURE);
		return;
	}
	l2_timer_stop(&ue->t3410);
	if (a->has_guti) {
		ue->guti = a->guti;
		ue->has_guti = true;
	}
	ue->n_tai = a->n_tai;
	memcpy(ue->tai, a->tai, sizeof(a->tai[0]) * a->n_tai);
	ue->ebi = esm.ebi;
	ue->qci = b->qos.len ? b->qos.v[0] : 0;
	ue->pdn_type = b->pdn_type;
	ue->addr_len = b->addr_len;
	memcpy(ue->addr, b->addr, b->addr_len);
	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	m.type = NAS_ATTACH_COMPLETE;
	memset(&esm, 0, sizeof(esm));
	esm.pd = NAS_PD_ESM;
	esm.type = NAS_ACT_DEFAULT_BEARER_ACC;
	esm.ebi = ue->ebi;
	esm_encode_into(&m.u.attach_complete.esm, &esm);
	emm_send(ue, &m, NAS_SEC_INT_ENC, false);
	ue->state = EMM_REGISTERED;
	ue->attempts = 0;
	ue->bearer_active = true;
	emm_event(ue, EMM_EV_REGISTERED, 0);
	emm_event(ue, EMM_EV_BEARER_UP, ue->ebi);
}

static bool cause_permanent(uint8_t cause)
{
	return cause == EMM_CAUSE_ILLEGAL_UE || cause == EMM_CAUSE_ILLEGAL_ME ||
	       cause == EMM_CAUSE_EPS_NOT_ALLOWED || cause == EMM_CAUSE_EPS_AND_NON_EPS_NOT_ALLOWED;
}

/* §5.5.1.2.5: ATTACH REJECT by cause. */
static void on_attach_reject(struct emm_ue *ue, uint8_t cause)
{
	if (ue->state != EMM_REGISTERED_INITIATED)
		return;
	l2_timer_stop(&ue->t3410);
	emm_release(ue);
	if (cause_permanent(cause)) {
		forget_registration(ue, false);
		ue->state = EMM_DEREGISTERED_NO_RETRY;
		emm_event(ue, EMM_EV_DEREGISTERED, cause);
	} else if (cause >= EMM_CAUSE_PLMN_NOT_ALLOWED &&
		   cause <= EMM_CAUSE_NO_SUITABLE_CELLS_IN_TA) {
		/* #11-#15: this PLMN/TA is barred for the UE; one cell, so no retry. */
		forget_registration(ue, true);
		ue->state = EMM_DEREGISTERED_NO_RETRY;
		emm_event(ue, EMM_EV_DEREGISTERED, cause);
	} else {
		if (cause == EMM_CAUSE_UE_ID_NOT_DERIVED)
			forget_registration(ue, false);
		attach_abnormal(ue, cause);
	}
}

static void on_network_detach(struct emm_ue *ue, const struct nas_detach_request *d)
{
	send_simple(ue, NAS_DETACH_ACCEPT, 0, NAS_SEC_INT_ENC);
	stop_timers(ue);
	ue->bearer_active = false;
	if (d->has_cause && cause_permanent(d->cause)) {
		forget_registration(ue, false);
		ue->state = EMM_DEREGISTERED_NO_RETRY;
		emm_event(ue, EMM_EV_DEREGISTERED, d->cause);
		return;
	}
	ue->state = EMM_DEREGISTERED;
	emm_event(ue, EMM_EV_DEREGISTERED, d->has_cause ? d->cause : 0);
	/* §5.5.2.3.2: "re-attach required": attach again once the connection is released. */
	ue->reattach_pending = d->type == NAS_DETACH_EPS;
}

void emm_conn_released(struct emm_ue *ue)
{
	if (ue->reattach_pending && ue->state == EMM_DEREGISTERED) {
		ue->reattach_pending = false;
		emm_attach(ue);
	}
}

static void on_tau_accept(struct emm_ue *ue, const struct nas_tau_accept *t)
{
	if (ue->state != EMM_TAU_INITIATED)
		return;
	l2_timer_stop(&ue->t3430);
	if (t->has_tai) {
		ue->n_tai = t->n_tai;
		memcpy(ue->tai, t->tai, sizeof(t->tai[0]) * t->n_tai);
	}
	if (t->has_bearer_status && !(t->bearer_status & (1u << ue->ebi)))
		ue->bearer_active = false;
	ue->state = EMM_REGISTERED;
	if (t->has_guti) {
		/* A new GUTI is acknowledged with TAU COMPLETE (§5.5.3.2.4). */
		ue->guti = t->guti;
		ue->has_guti = true;
		send_simple(ue, NAS_TAU_COMPLETE, 0, NAS_SEC_INT_ENC);
	}
	emm_event(ue, EMM_EV_TAU_DONE, 0);
}

/* §5.5.3.2.5: TAU REJECT by cause. */
static void on_tau_reject(struct emm_ue *ue, uint8_t cause)
{
	if (ue->state != EMM_TAU_INITIATED)
		return;
	l2_timer_stop(&ue->t3430);
	emm_release(ue);
	if (cause_permanent(cause)) {
		forget_registration(ue, false);
		ue->state = EMM_DEREGISTERED_NO_RETRY;
		emm_event(ue, EMM_EV_DEREGISTERED, cause);
	} else if (cause == EMM_CAUSE_UE_ID_NOT_DERIVED || cause == EMM_CAUSE_IMPLICITLY_DETACHED) {
		/* The network lost the UE: deregister and attach again. */
		forget_registration(ue, cause == EMM_CAUSE_IMPLICITLY_DETACHED);
		ue->state = EMM_DEREGISTERED;
		emm_event(ue, EMM_EV_DEREGISTERED, cause);
		emm_attach(ue);
	} else {
		ue->state = EMM_REGISTERED;
		emm_event(ue, EMM_EV_ATTACH_FAILED, cause);
	}
}

/* ESM messages outside an EMM container: deactivation and ESM information (§6.4.4, §6.6.1). */
static void on_esm(struct emm_ue *ue, const struct nas_msg *in)
{
	struct nas_msg m;

	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_ESM;
	switch (in->type) {
	case NAS_DEACT_BEARER_REQ:
		m.type = NAS_DEACT_BEARER_ACC;
		m.ebi = in->ebi;
		if (in->ebi == ue->ebi)
			ue->bearer_active = false;
		break;
	case NAS_ESM_INFO_REQUEST:
		m.type = NAS_ESM_INFO_RESPONSE;
		m.pti = in->pti;
		if (ue->cfg.apn[0]) {
			int n = nas_apn_from_str(ue->cfg.apn, m.u.esm_info_response.apn.v,
						 sizeof(m.u.esm_info_response.apn.v));

			if (n > 0) {
				m.u.esm_info_response.apn.len = (uint16_t)n;
				m.u.esm_info_response.has_apn = true;
			}
		}
		break;
	default:
		return;
	}
	emm_send(ue, &m, NAS_SEC_INT_ENC, false);
}

/* TS 24.301 §4.4.4.2: what a UE may take unprotected (before security, and after it). */
static bool allowed_plain(const struct nas_msg *m, bool has_ctx)
{
	if (m->pd != NAS_PD_EMM)
		return !has_ctx;
	switch (m->type) {
	case NAS_IDENTITY_REQUEST:
	case NAS_AUTH_REQUEST:
	case NAS_AUTH_REJECT:
	case NAS_ATTACH_REJECT:
	case NAS_DETACH_ACCEPT:
	case NAS_TAU_REJECT:
		return true;
	default:
		return !has_ctx;
	}
}

int emm_rx(struct emm_ue *ue, const uint8_t *pdu, size_t len)
{
	uint8_t plain[NAS_MAX_MSG], hdr = NAS_SEC_PLAIN;
	const uint8_t *p = pdu;
	struct nas_msg m;
	int h = nas_sec_header_type(pdu, len);
	size_t n = len;

	ue->stats.rx++;
	if (ue->state == EMM_NULL)
		return L2_ESTATE;
	if (h == NAS_SEC_INT_NEW) {
		/* SECURITY MODE COMMAND: verified with the context it establishes. */
		const uint8_t *inner = nas_sec_peek(pdu, len, &n);

		if (!inner || nas_decode(inner, n, NAS_DL, &m) || m.type != NAS_SMC) {
			ue->stats.rx_malformed++;
			return L2_EPROTO;
		}
		on_smc(ue, pdu, len, &m.u.smc);
		return 0;
	}
	if (h == NAS_SEC_INT || h == NAS_SEC_INT_ENC) {
		int k;

		if (!ue->has_ctx) {
			ue->stats.rx_dropped_unprotected++;
			return L2_ESTATE;
		}
		k = nas_sec_unprotect(&ue->sec, pdu, len, plain, sizeof(plain), &hdr);
		if (k < 0) {
			ue->stats.rx_mac_failures++;
			return k;
		}
		p = plain;
		n = (size_t)k;
	} else if (h != NAS_SEC_PLAIN) {
		ue->stats.rx_malformed++;
		return L2_ENOTSUP;
	}
	if (nas_decode(p, n, NAS_DL, &m)) {
		ue->stats.rx_malformed++;
		if (m.pd == NAS_PD_EMM && hdr != NAS_SEC_PLAIN)
			send_simple(ue, NAS_EMM_STATUS, EMM_CAUSE_MSG_TYPE_NONEXISTENT,
				    NAS_SEC_INT_ENC);
		return L2_EPROTO;
	}
	if (hdr == NAS_SEC_PLAIN && !allowed_plain(&m, ue->has_ctx)) {
		ue->stats.rx_dropped_unprotected++;
		return L2_EAUTH;
	}
	if (m.pd == NAS_PD_ESM) {
		on_esm(ue, &m);
		return 0;
	}
	switch (m.type) {
	case NAS_IDENTITY_REQUEST: {
		struct nas_msg r;

		memset(&r, 0, sizeof(r));
		r.pd = NAS_PD_EMM;
		r.type = NAS_IDENTITY_RESPONSE;
		nas_id_imsi(&r.u.identity_response.id, ue->cfg.imsi);
		emm_send(ue, &r, NAS_SEC_INT, false);
		break;
	}
	case NAS_AUTH_REQUEST:
		on_auth_request(ue, &m.u.auth_request);
		break;
	case NAS_AUTH_REJECT:
		/* §5.4.2.5: the network refused the USIM; no more attempts. */
		stop_timers(ue);
		forget_registration(ue, false);
		ue->state = EMM_DEREGISTERED_NO_RETRY;
		emm_release(ue);
		emm_event(ue, EMM_EV_DEREGISTERED, 0);
		break;
	case NAS_ATTACH_ACCEPT:
		on_attach_accept(ue, &m.u.attach_accept);
		break;
	case NAS_ATTACH_REJECT:
		on_attach_reject(ue, m.u.attach_reject.cause);
		break;
	case NAS_DETACH_ACCEPT:
		if (ue->state == EMM_DEREGISTERED_INITIATED) {
			stop_timers(ue);
			ue->state = EMM_NULL;
			ue->bearer_active = false;
			emm_release(ue);
			emm_event(ue, EMM_EV_DEREGISTERED, 0);
		}
		break;
	case NAS_DETACH_REQUEST:
		on_network_detach(ue, &m.u.detach_request);
		break;
	case NAS_TAU_ACCEPT:
		on_tau_accept(ue, &m.u.tau_accept);
		break;
	case NAS_TAU_REJECT:
		on_tau_reject(ue, m.u.cause.cause);
		break;
	case NAS_EMM_STATUS:
		break;
	default:
		send_simple(ue, NAS_EMM_STATUS, EMM_CAUSE_MSG_NOT_COMPATIBLE, NAS_SEC_INT_ENC);
		break;
	}
	return 0;
}

void emm_lower_layer_failure(struct emm_ue *ue)
{
	switch (ue->state) {
	case EMM_REGISTERED_INITIATED:
		attach_abnormal(ue, 0);
		break;
	case EMM_TAU_INITIATED:
		l2_timer_stop(&ue->t3430);
		ue->state = EMM_REGISTERED;
		emm_event(ue, EMM_EV_ATTACH_FAILED, 0);
		break;
	case EMM_DEREGISTERED_INITIATED:
		/* §5.5.2.2.4 (b): the detach is completed locally. */
		stop_timers(ue);
		ue->state = EMM_NULL;
		ue->bearer_active = false;
		emm_event(ue, EMM_EV_DEREGISTERED, 0);
		break;
	default:
		break;
	}
}

void emm_tick(struct emm_ue *ue)
{
	uint32_t now = l2_now(ue->env);

	if (l2_timer_expired(&ue->t3410, now)) {
		emm_release(ue);
		attach_abnormal(ue, 0);
	}
	if (l2_timer_expired(&ue->t3411, now) && ue->state == EMM_DEREGISTERED)
		emm_attach(ue);
	if (l2_timer_expired(&ue->t3402, now) && ue->state == EMM_DEREGISTERED) {
		ue->attempts = 0;
		emm_attach(ue);
	}
	if (l2_timer_expired(&ue->t3421, now) && ue->state == EMM_DEREGISTERED_INITIATED) {
		if (ue->t3421_count < EMM_T3421_MAX) {
			emm_detach(ue, false);
		} else {
			ue->state = EMM_NULL;
			ue->bearer_active = false;
			emm_release(ue);
			emm_event(ue, EMM_EV_DEREGISTERED, 0);
		}
	}
	if (l2_timer_expired(&ue->t3430, now) && ue->state == EMM_TAU_INITIATED) {
		ue->state = EMM_REGISTERED;
		emm_release(ue);
		emm_event(ue, EMM_EV_ATTACH_FAILED, 0);
	}
}

int emm_cereg(const struct emm_ue *ue)
{
	switch (ue->state) {
	case EMM_REGISTERED:
	case EMM_TAU_INITIATED:
		return 1;
	case EMM_REGISTERED_INITIATED:
	case EMM_DEREGISTERED:
		return 2;
	case EMM_DEREGISTERED_NO_RETRY:
		return 3;
	default:
		return 0;
	}
}
