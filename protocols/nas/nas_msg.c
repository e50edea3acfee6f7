/* SPDX-License-Identifier: BSD-2-Clause */
/* Plain EMM and ESM messages of the subset, TS 24.301 §8.2 (EMM) and §8.3 (ESM). */
#include "nas_ie.h"

/* Copy `n` octets into a NAS_BYTES field; L2_EPROTO if it cannot hold them. */
#define BYTES_SET(f, src, n) \
	((n) <= sizeof((f).v) ? (memcpy((f).v, (src), (n)), (f).len = (uint16_t)(n), 0) : L2_EPROTO)
#define BYTES_OK(f) ((f).len <= sizeof((f).v))

/* IEIs, TS 24.301 §8.2 and §8.3 (named after the IE they carry). */
enum {
	IEI_ADD_GUTI = 0x50,
	IEI_GUTI = 0x50,
	IEI_LAST_TAI = 0x52,
	IEI_EMM_CAUSE = 0x53,
	IEI_TAI_LIST = 0x54,
	IEI_NONCE_UE = 0x55,
	IEI_NONCE_MME = 0x56,
	IEI_BEARER_STATUS = 0x57,
	IEI_UE_NET_CAP = 0x58,
	IEI_ESM_CAUSE = 0x58,
	IEI_T3412 = 0x5a,
	IEI_DRX = 0x5c,
	IEI_APN_AMBR = 0x5e,
	IEI_T3402 = 0x17,
	IEI_T3402_2 = 0x16,
	IEI_T3423 = 0x59,
	IEI_LAI = 0x13,
	IEI_PTMSI_SIG = 0x19,
	IEI_MS_ID = 0x23,
	IEI_IMEISV = 0x23,
	IEI_PCO = 0x27,
	IEI_APN = 0x28,
	IEI_AUTH_FAIL_PARAM = 0x30,
	IEI_MS_NET_CAP = 0x31,
	IEI_LLC_SAPI = 0x32,
	IEI_EPLMN = 0x4a,
	IEI_NW_FEAT = 0x64,
	IEI_ESM_CONTAINER = 0x78,
	IEI_IMEISV_REQ = 0xc0,
	IEI_INFO_FLAG = 0xd0,
};

static const struct nas_tv tv_attach_request[] = {
	{IEI_PTMSI_SIG, 3}, {IEI_LAST_TAI, 5}, {IEI_DRX, 2}, {IEI_LAI, 5}, {0, 0}};
static const struct nas_tv tv_attach_accept[] = {
	{IEI_LAI, 5}, {IEI_EMM_CAUSE, 1}, {IEI_T3402, 1}, {IEI_T3423, 1}, {0, 0}};
static const struct nas_tv tv_detach[] = {{IEI_EMM_CAUSE, 1}, {0, 0}};
static const struct nas_tv tv_tau_request[] = {{IEI_PTMSI_SIG, 3}, {IEI_NONCE_UE, 4},
					       {IEI_LAST_TAI, 5},  {IEI_DRX, 2},
					       {IEI_LAI, 5},	   {0, 0}};
static const struct nas_tv tv_tau_accept[] = {{IEI_T3412, 1}, {IEI_LAI, 5},   {IEI_EMM_CAUSE, 1},
					      {IEI_T3402, 1}, {IEI_T3423, 1}, {0, 0}};
static const struct nas_tv tv_smc[] = {{IEI_NONCE_UE, 4}, {IEI_NONCE_MME, 4}, {0, 0}};
static const struct nas_tv tv_act_default[] = {{IEI_LLC_SAPI, 1}, {IEI_ESM_CAUSE, 1}, {0, 0}};

/* An LV whose value is written in place: the length octet is filled in afterwards. */
static size_t lv_open(struct nas_wr *w)
{
	nas_put8(w, 0);
	return w->n;
}

static void lv_close(struct nas_wr *w, size_t start)
{
	if (!w->err && w->n - start <= 255)
		w->p[start - 1] = (uint8_t)(w->n - start);
	else if (!w->err)
		w->err = L2_EINVAL;
}

static int put_id_lv(struct nas_wr *w, const struct nas_mobile_id *id, bool eps)
{
	size_t start = lv_open(w);
	int err = nas_put_mobile_id(w, id, eps);

	lv_close(w, start);
	return err;
}

static int put_tai_list_lv(struct nas_wr *w, const struct nas_tai *tai, unsigned n)
{
	size_t start = lv_open(w);
	int err = nas_put_tai_list(w, tai, n);

	lv_close(w, start);
	return err;
}

static void put_bearer_status(struct nas_wr *w, uint16_t s)
{
	uint8_t v[2] = {(uint8_t)s, (uint8_t)(s >> 8)};

	nas_put_tlv(w, IEI_BEARER_STATUS, v, 2);
}

static void put_pco(struct nas_wr *w, bool has, const uint8_t *v, uint16_t len)
{
	if (has)
		nas_put_tlv(w, IEI_PCO, v, len);
}

/* EMM bodies, after the security header/PD octet and the message type. */
static int emm_encode(const struct nas_msg *m, struct nas_wr *w)
{
	int err = 0;

	switch (m->type) {
	case NAS_ATTACH_REQUEST: {
		const struct nas_attach_request *a = &m->u.attach_request;

		if (a->attach_type > 7 || a->ksi > 15 || !BYTES_OK(a->ue_net_cap) ||
		    a->ue_net_cap.len < 2 || !BYTES_OK(a->esm) || !BYTES_OK(a->ms_net_cap))
			return L2_EINVAL;
		nas_put8(w, (uint8_t)(a->ksi << 4 | a->attach_type));
		err = put_id_lv(w, &a->id, true);
		nas_put_lv(w, a->ue_net_cap.v, a->ue_net_cap.len);
		nas_put_lve(w, a->esm.v, a->esm.len);
		if (a->has_last_tai) {
			nas_put8(w, IEI_LAST_TAI);
			nas_put_tai(w, &a->last_tai);
		}
		if (a->has_drx) {
			nas_put8(w, IEI_DRX);
			nas_put(w, a->drx, 2);
		}
		if (a->has_ms_net_cap)
			nas_put_tlv(w, IEI_MS_NET_CAP, a->ms_net_cap.v, a->ms_net_cap.len);
		return err;
	}
	case NAS_ATTACH_ACCEPT: {
		const struct nas_attach_accept *a = &m->u.attach_accept;

		if (a->result > 7 || !BYTES_OK(a->esm) || a->n_eplmn > NAS_MAX_PLMNS ||
		    !BYTES_OK(a->nw_feat))
			return L2_EINVAL;
		nas_put8(w, a->result);
		nas_put8(w, a->t3412);
		err = put_tai_list_lv(w, a->tai, a->n_tai);
		nas_put_lve(w, a->esm.v, a->esm.len);
		if (a->has_guti) {
			size_t start;

			nas_put8(w, IEI_GUTI);
			start = lv_open(w);
			err = err ? err : nas_put_mobile_id(w, &a->guti, true);
			lv_close(w, start);
		}
		if (a->has_cause) {
			nas_put8(w, IEI_EMM_CAUSE);
			nas_put8(w, a->cause);
		}
		if (a->has_t3402) {
			nas_put8(w, IEI_T3402);
			nas_put8(w, a->t3402);
		}
		if (a->has_t3423) {
			nas_put8(w, IEI_T3423);
			nas_put8(w, a->t3423);
		}
		if (a->has_eplmn) {
			unsigned i;

			nas_put8(w, IEI_EPLMN);
			nas_put8(w, (uint8_t)(3 * a->n_eplmn));
			for (i = 0; i < a->n_eplmn; i++)
				nas_put_plmn(w, &a->eplmn[i]);
		}
		if (a->has_nw_feat)
			nas_put_tlv(w, IEI_NW_FEAT, a->nw_feat.v, a->nw_feat.len);
		return err;
	}
	case NAS_ATTACH_COMPLETE:
		if (!BYTES_OK(m->u.attach_complete.esm))
			return L2_EINVAL;
		nas_put_lve(w, m->u.attach_complete.esm.v, m->u.attach_complete.esm.len);
		return 0;
	case NAS_ATTACH_REJECT: {
		const struct nas_attach_reject *a = &m->u.attach_reject;

		if (!BYTES_OK(a->esm))
			return L2_EINVAL;
		nas_put8(w, a->cause);
		if (a->has_esm)
			nas_put_tlve(w, IEI_ESM_CONTAINER, a->esm.v, a->esm.len);
		if (a->has_t3402)
			nas_put_tlv(w, IEI_T3402_2, &a->t3402, 1);
		return 0;
	}
	case NAS_DETACH_REQUEST: {
		const struct nas_detach_request *d = &m->u.detach_request;

		if (d->type > 7 || d->ksi > 15)
			return L2_EINVAL;
		if (d->ue_originating) {
			nas_put8(w, (uint8_t)(d->ksi << 4 | d->switch_off << 3 | d->type));
			return put_id_lv(w, &d->id, true);
		}
		nas_put8(w, d->type);
		if (d->has_cause) {
			nas_put8(w, IEI_EMM_CAUSE);
			nas_put8(w, d->cause);
		}
		return 0;
	}
	case NAS_DETACH_ACCEPT:
	case NAS_TAU_COMPLETE:
	case NAS_AUTH_REJECT:
		return 0;
	case NAS_TAU_REQUEST: {
		const struct nas_tau_request *t = &m->u.tau_request;

		if (t->update_type > 7 || t->ksi > 15 || !BYTES_OK(t->ue_net_cap))
			return L2_EINVAL;
		nas_put8(w, (uint8_t)(t->ksi << 4 | t->active << 3 | t->update_type));
		err = put_id_lv(w, &t->old_guti, true);
		if (t->has_ue_net_cap)
			nas_put_tlv(w, IEI_UE_NET_CAP, t->ue_net_cap.v, t->ue_net_cap.len);
		if (t->has_last_tai) {
			nas_put8(w, IEI_LAST_TAI);
			nas_put_tai(w, &t->last_tai);
		}
		if (t->has_drx) {
			nas_put8(w, IEI_DRX);
			nas_put(w, t->drx, 2);
		}
		if (t->has_bearer_status)
			put_bearer_status(w, t->bearer_status);
		return err;
	}
	case NAS_TAU_ACCEPT: {
		const struct nas_tau_accept *t = &m->u.tau_accept;

		if (t->result > 7)
			return L2_EINVAL;
		nas_put8(w, t->result);
		if (t->has_t3412) {
			nas_put8(w, IEI_T3412);
			nas_put8(w, t->t3412);
		}
		if (t->has_guti) {
			size_t start;

			nas_put8(w, IEI_GUTI);
			start = lv_open(w);
			err = nas_put_mobile_id(w, &t->guti, true);
			lv_close(w, start);
		}
		if (t->has_tai) {
			size_t start;

			nas_put8(w, IEI_TAI_LIST);
			start = lv_open(w);
			err = err ? err : nas_put_tai_list(w, t->tai, t->n_tai);
			lv_close(w, start);
		}
		if (t->has_bearer_status)
			put_bearer_status(w, t->bearer_status);
		if (t->has_cause) {
			nas_put8(w, IEI_EMM_CAUSE);
			nas_put8(w, t->cause);
		}
		if (t->has_t3402) {
			nas_put8(w, IEI_T3402);
			nas_put8(w, t->t3402);
		}
		return err;
	}
	case NAS_TAU_REJECT:
	case NAS_SMC_REJECT:
	case NAS_EMM_STATUS:
		nas_put8(w, m->u.cause.cause);
		return 0;
	case NAS_AUTH_REQUEST: {
		const struct nas_auth_request *a = &m->u.auth_request;

		if (a->ksi > 15)
			return L2_EINVAL;
		nas_put8(w, a->ksi);
		nas_put(w, a->rand, 16);
		nas_put_lv(w, a->autn, 16);
		return 0;
	}
	case NAS_AUTH_RESPONSE: {
		const struct nas_auth_response *a = &m->u.auth_response;

		if (a->res_len < 4 || a->res_len > 16)
			return L2_EINVAL;
		nas_put_lv(w, a->res, a->res_len);
		return 0;
	}
	case NAS_AUTH_FAILURE:
		nas_put8(w, m->u.auth_failure.cause);
		if (m->u.auth_failure.has_auts)
			nas_put_tlv(w, IEI_AUTH_FAIL_PARAM, m->u.auth_failure.auts, 14);
		return 0;
	case NAS_IDENTITY_REQUEST:
		if (m->u.identity_request.id_type > 7)
			return L2_EINVAL;
		nas_put8(w, m->u.identity_request.id_type);
		return 0;
	case NAS_IDENTITY_RESPONSE:
		return put_id_lv(w, &m->u.identity_response.id, false);
	case NAS_SMC: {
		const struct nas_smc *s = &m->u.smc;

		if (s->eea > 7 || s->eia > 7 || s->ksi > 15 || !BYTES_OK(s->ue_sec_cap) ||
		    s->ue_sec_cap.len < 2)
			return L2_EINVAL;
		nas_put8(w, (uint8_t)(s->eea << 4 | s->eia));
		nas_put8(w, s->ksi);
		nas_put_lv(w, s->ue_sec_cap.v, s->ue_sec_cap.len);
		if (s->imeisv_request)
			nas_put8(w, IEI_IMEISV_REQ | 1);
		return 0;
	}
	case NAS_SMC_COMPLETE:
		if (m->u.smc_complete.has_imeisv) {
			size_t start;

			nas_put8(w, IEI_IMEISV);
			start = lv_open(w);
			err = nas_put_mobile_id(w, &m->u.smc_complete.imeisv, false);
			lv_close(w, start);
		}
		return err;
	default:
		return L2_ENOTSUP;
	}
}

static int esm_encode(const struct nas_msg *m, struct nas_wr *w)
{
	switch (m->type) {
	case NAS_PDN_CONN_REQUEST: {
		const struct nas_pdn_conn_request *p = &m->u.pdn_conn_request;

		if (p->request_type > 7 || p->pdn_type > 7 || !BYTES_OK(p->apn) ||
		    !BYTES_OK(p->pco))
			return L2_EINVAL;
		nas_put8(w, (uint8_t)(p->pdn_type << 4 | p->request_type));
		if (p->has_info_flag)
			nas_put8(w, IEI_INFO_FLAG | p->info_flag);
		if (p->has_apn)
			nas_put_tlv(w, IEI_APN, p->apn.v, p->apn.len);
		put_pco(w, p->has_pco, p->pco.v, p->pco.len);
		return 0;
	}
	case NAS_ACT_DEFAULT_BEARER_REQ: {
		const struct nas_act_default_bearer_req *a = &m->u.act_default_bearer_req;
		uint8_t addr[13];

		if (!BYTES_OK(a->qos) || a->qos.len < 1 || !BYTES_OK(a->apn) || a->apn.len < 1 ||
		    a->addr_len > 12 || a->pdn_type > 7 || !BYTES_OK(a->ambr) || !BYTES_OK(a->pco))
			return L2_EINVAL;
		nas_put_lv(w, a->qos.v, a->qos.len);
		nas_put_lv(w, a->apn.v, a->apn.len);
		addr[0] = a->pdn_type;
		memcpy(addr + 1, a->addr, a->addr_len);
		nas_put_lv(w, addr, 1u + a->addr_len);
		if (a->has_ambr)
			nas_put_tlv(w, IEI_APN_AMBR, a->ambr.v, a->ambr.len);
		if (a->has_cause) {
			nas_put8(w, IEI_ESM_CAUSE);
			nas_put8(w, a->cause);
		}
		put_pco(w, a->has_pco, a->pco.v, a->pco.len);
		return 0;
	}
	case NAS_PDN_CONN_REJECT:
	case NAS_ACT_DEFAULT_BEARER_REJ:
	case NAS_DEACT_BEARER_REQ:
	case NAS_ACT_DEFAULT_BEARER_ACC:
	case NAS_DEACT_BEARER_ACC: {
		const struct nas_esm_simple *e = &m->u.esm;

		if (!BYTES_OK(e->pco))
			return L2_EINVAL;
		if (m->type != NAS_ACT_DEFAULT_BEARER_ACC && m->type != NAS_DEACT_BEARER_ACC)
			nas_put8(w, e->cause);
		put_pco(w, e->has_pco, e->pco.v, e->pco.len);
		return 0;
	}
	case NAS_ESM_STATUS:
		nas_put8(w, m->u.cause.cause);
		return 0;
	case NAS_ESM_INFO_REQUEST:
		return 0;
	case NAS_ESM_INFO_RESPONSE: {
		const struct nas_esm_info_response *e = &m->u.esm_info_response;

		if (!BYTES_OK(e->apn) || !BYTES_OK(e->pco))
			return L2_EINVAL;
		if (e->has_apn)
			nas_put_tlv(w, IEI_APN, e->apn.v, e->apn.len);
		put_pco(w, e->has_pco, e->pco.v, e->pco.len);
		return 0;
	}
	case NAS_PDN_DISCONNECT_REQUEST: {
		const struct nas_pdn_disconnect_request *d = &m->u.pdn_disconnect_request;

		if (d->linked_ebi > 15 || !BYTES_OK(d->pco))
			return L2_EINVAL;
		nas_put8(w, d->linked_ebi);
		put_pco(w, d->has_pco, d->pco.v, d->pco.len);
		return 0;
	}
	default:
		return L2_ENOTSUP;
	}
}

int nas_encode(const struct nas_msg *m, uint8_t *buf, size_t cap)
{
	struct nas_wr w = {buf, cap, 0, 0};
	int err;

	if (m->pd == NAS_PD_EMM) {
		nas_put8(&w, NAS_PD_EMM);
		nas_put8(&w, m->type);
		err = emm_encode(m, &w);
	} else if (m->pd == NAS_PD_ESM) {
		if (m->ebi > 15)
			return L2_EINVAL;
		nas_put8(&w, (uint8_t)(m->ebi << 4 | NAS_PD_ESM));
		nas_put8(&w, m->pti);
		nas_put8(&w, m->type);
		err = esm_encode(m, &w);
	} else {
		return L2_ENOTSUP;
	}
	if (err)
		return err;
	if (w.err)
		return w.err;
	return (int)w.n;
}

/* Optional IE handlers see the IE; a bad one is skipped and counted (TS 24.301 §7.6.3). */
static void skip(struct nas_msg *m)
{
	if (m->skipped_ies < 255)
		m->skipped_ies++;
}

static void opt_pco(struct nas_msg *m, const struct nas_ie *ie, bool *has, struct nas_pco *pco)
{
	if (ie->len >= 1 && BYTES_SET(*pco, ie->v, ie->len) == 0)
		*has = true;
	else
		skip(m);
}

static int get_id_lv(struct nas_rd *r, bool eps, struct nas_mobile_id *id)
{
	size_t n;
	const uint8_t *p = nas_get_lv(r, 1, eps ? 11 : 9, &n);
	int err;

	if (!p)
		return L2_EPROTO;
	err = nas_get_mobile_id(p, n, eps, id);
	return err == L2_ENOTSUP ? L2_EPROTO : err;
}

static int emm_decode(struct nas_rd *r, enum nas_dir dir, struct nas_msg *m)
{
	struct nas_ie ie;
	const uint8_t *p;
	size_t n;
	int err, more = 0;
	uint8_t b;

	switch (m->type) {
	case NAS_ATTACH_REQUEST: {
		struct nas_attach_request *a = &m->u.attach_request;

		b = nas_get8(r);
		a->attach_type = b & 7;
		a->ksi = b >> 4;
		if ((err = get_id_lv(r, true, &a->id)))
			return err;
		if (!(p = nas_get_lv(r, 2, 13, &n)) || BYTES_SET(a->ue_net_cap, p, n))
			return L2_EPROTO;
		if (!(p = nas_get_lve(r, 1, NAS_MAX_ESM, &n)) || BYTES_SET(a->esm, p, n))
			return L2_EPROTO;
		while ((more = nas_next_ie(r, tv_attach_request, &ie)) > 0) {
			if (ie.iei == IEI_LAST_TAI && !a->has_last_tai &&
			    nas_get_tai(ie.v, &a->last_tai) == 0)
				a->has_last_tai = true;
			else if (ie.iei == IEI_DRX && !a->has_drx) {
				memcpy(a->drx, ie.v, 2);
				a->has_drx = true;
			} else if (ie.iei == IEI_MS_NET_CAP && !a->has_ms_net_cap && ie.len >= 1 &&
				   BYTES_SET(a->ms_net_cap, ie.v, ie.len) == 0)
				a->has_ms_net_cap = true;
			else
				skip(m);
		}
		return more;
	}
	case NAS_ATTACH_ACCEPT: {
		struct nas_attach_accept *a = &m->u.attach_accept;

		a->result = nas_get8(r) & 7;
		a->t3412 = nas_get8(r);
		if (!(p = nas_get_lv(r, 6, 96, &n)) || nas_get_tai_list(p, n, a->tai, &a->n_tai))
			return L2_EPROTO;
		if (!(p = nas_get_lve(r, 1, NAS_MAX_ESM, &n)) || BYTES_SET(a->esm, p, n))
			return L2_EPROTO;
		while ((more = nas_next_ie(r, tv_attach_accept, &ie)) > 0) {
			if (ie.iei == IEI_GUTI && !a->has_guti &&
			    nas_get_mobile_id(ie.v, ie.len, true, &a->guti) == 0 &&
			    a->guti.type == NAS_ID_GUTI)
				a->has_guti = true;
			else if (ie.iei == IEI_EMM_CAUSE && !a->has_cause) {
				a->cause = ie.v[0];
				a->has_cause = true;
			} else if (ie.iei == IEI_T3402 && !a->has_t3402) {
				a->t3402 = ie.v[0];
				a->has_t3402 = true;
			} else if (ie.iei == IEI_T3423 && !a->has_t3423) {
				a->t3423 = ie.v[0];
				a->has_t3423 = true;
			} else if (ie.iei == IEI_EPLMN && !a->has_eplmn && ie.len % 3 == 0 &&
				   ie.len >= 3 && ie.len <= 3 * NAS_MAX_PLMNS) {
				unsigned i;

				for (i = 0; i < ie.len / 3; i++)
					if (nas_get_plmn(ie.v + 3 * i, &a->eplmn[i]))
						break;
				if (i == ie.len / 3) {
					a->n_eplmn = (uint8_t)i;
					a->has_eplmn = true;
				} else {
					skip(m);
				}
			} else if (ie.iei == IEI_NW_FEAT && !a->has_nw_feat && ie.len >= 1 &&
				   BYTES_SET(a->nw_feat, ie.v, ie.len) == 0)
				a->has_nw_feat = true;
			else
				skip(m);
		}
		return more;
	}
	case NAS_ATTACH_COMPLETE:
		if (!(p = nas_get_lve(r, 1, NAS_MAX_ESM, &n)) ||
		    BYTES_SET(m->u.attach_complete.esm, p, n))
			return L2_EPROTO;
		break;
	case NAS_ATTACH_REJECT: {
		struct nas_attach_reject *a = &m->u.attach_reject;

		a->cause = nas_get8(r);
		while ((more = nas_next_ie(r, NULL, &ie)) > 0) {
			if (ie.iei == IEI_ESM_CONTAINER && !a->has_esm && ie.len >= 1 &&
			    BYTES_SET(a->esm, ie.v, ie.len) == 0)
				a->has_esm = true;
			else if (ie.iei == IEI_T3402_2 && !a->has_t3402 && ie.len == 1) {
				a->t3402 = ie.v[0];
				a->has_t3402 = true;
			} else
				skip(m);
		}
		return r->err ? r->err : more;
	}
	case NAS_DETACH_REQUEST: {
		struct nas_detach_request *d = &m->u.detach_request;

		b = nas_get8(r);
		d->type = b & 7;
		d->ue_originating = dir == NAS_UL;
		if (d->ue_originating) {
			d->switch_off = (b >> 3) & 1;
			d->ksi = b >> 4;
			return r->err ? r->err : get_id_lv(r, true, &d->id);
		}
		while ((more = nas_next_ie(r, tv_detach, &ie)) > 0) {
			if (ie.iei == IEI_EMM_CAUSE && !d->has_cause) {
				d->cause = ie.v[0];
				d->has_cause = true;
			} else
				skip(m);
		}
		return r->err ? r->err : more;
	}
	case NAS_DETACH_ACCEPT:
	case NAS_TAU_COMPLETE:
	case NAS_AUTH_REJECT:
		break;
	case NAS_TAU_REQUEST: {
		struct nas_tau_request *t = &m->u.tau_request;

		b = nas_get8(r);
		t->update_type = b & 7;
		t->active = (b >> 3) & 1;
		t->ksi = b >> 4;
		if ((err = get_id_lv(r, true, &t->old_guti)))
			return err;
		while ((more = nas_next_ie(r, tv_tau_request, &ie)) > 0) {
			if (ie.iei == IEI_UE_NET_CAP && !t->has_ue_net_cap && ie.len >= 2 &&
			    BYTES_SET(t->ue_net_cap, ie.v, ie.len) == 0)
				t->has_ue_net_cap = true;
			else if (ie.iei == IEI_LAST_TAI && !t->has_last_tai &&
				 nas_get_tai(ie.v, &t->last_tai) == 0)
				t->has_last_tai = true;
			else if (ie.iei == IEI_DRX && !t->has_drx) {
				memcpy(t->drx, ie.v, 2);
				t->has_drx = true;
			} else if (ie.iei == IEI_BEARER_STATUS && !t->has_bearer_status &&
				   ie.len == 2) {
				t->bearer_status = (uint16_t)(ie.v[0] | ie.v[1] << 8);
				t->has_bearer_status = true;
			} else
				skip(m);
		}
		return more;
	}
	case NAS_TAU_ACCEPT: {
		struct nas_tau_accept *t = &m->u.tau_accept;

		t->result = nas_get8(r) & 7;
		while (!r->err && (more = nas_next_ie(r, tv_tau_accept, &ie)) > 0) {
			if (ie.iei == IEI_T3412 && !t->has_t3412) {
				t->t3412 = ie.v[0];
				t->has_t3412 = true;
			} else if (ie.iei == IEI_GUTI && !t->has_guti &&
				   nas_get_mobile_id(ie.v, ie.len, true, &t->guti) == 0 &&
				   t->guti.type == NAS_ID_GUTI)
				t->has_guti = true;
			else if (ie.iei == IEI_TAI_LIST && !t->has_tai &&
				 nas_get_tai_list(ie.v, ie.len, t->tai, &t->n_tai) == 0)
				t->has_tai = true;
			else if (ie.iei == IEI_BEARER_STATUS && !t->has_bearer_status &&
				 ie.len == 2) {
				t->bearer_status = (uint16_t)(ie.v[0] | ie.v[1] << 8);
				t->has_bearer_status = true;
			} else if (ie.iei == IEI_EMM_CAUSE && !t->has_cause) {
				t->cause = ie.v[0];
				t->has_cause = true;
			} else if (ie.iei == IEI_T3402 && !t->has_t3402) {
				t->t3402 = ie.v[0];
				t->has_t3402 = true;
			} else
				skip(m);
		}
		return r->err ? r->err : more;
	}
	case NAS_TAU_REJECT:
		m->u.cause.cause = nas_get8(r);
		while ((more = nas_next_ie(r, NULL, &ie)) > 0)
			skip(m);
		return r->err ? r->err : more;
	case NAS_SMC_REJECT:
	case NAS_EMM_STATUS:
		m->u.cause.cause = nas_get8(r);
		break;
	case NAS_AUTH_REQUEST: {
		struct nas_auth_request *a = &m->u.auth_request;

		a->ksi = nas_get8(r) & 0xf;
		if (!(p = nas_get(r, 16)))
			return L2_EPROTO;
		memcpy(a->rand, p, 16);
		if (!(p = nas_get_lv(r, 16, 16, &n)))
			return L2_EPROTO;
		memcpy(a->autn, p, 16);
		break;
	}
	case NAS_AUTH_RESPONSE: {
		struct nas_auth_response *a = &m->u.auth_response;

		if (!(p = nas_get_lv(r, 4, 16, &n)))
			return L2_EPROTO;
		memcpy(a->res, p, n);
		a->res_len = (uint8_t)n;
		break;
	}
	case NAS_AUTH_FAILURE: {
		struct nas_auth_failure *a = &m->u.auth_failure;

		a->cause = nas_get8(r);
		while (!r->err && (more = nas_next_ie(r, NULL, &ie)) > 0) {
			if (ie.iei == IEI_AUTH_FAIL_PARAM && !a->has_auts && ie.len == 14) {
				memcpy(a->auts, ie.v, 14);
				a->has_auts = true;
			} else
				skip(m);
		}
		return r->err ? r->err : more;
	}
	case NAS_IDENTITY_REQUEST:
		m->u.identity_request.id_type = nas_get8(r) & 7;
		break;
	case NAS_IDENTITY_RESPONSE:
		return get_id_lv(r, false, &m->u.identity_response.id);
	case NAS_SMC: {
		struct nas_smc *s = &m->u.smc;

		b = nas_get8(r);
		s->eea = (b >> 4) & 7;
		s->eia = b & 7;
		s->ksi = nas_get8(r) & 0xf;
		if (!(p = nas_get_lv(r, 2, 5, &n)) || BYTES_SET(s->ue_sec_cap, p, n))
			return L2_EPROTO;
		while ((more = nas_next_ie(r, tv_smc, &ie)) > 0) {
			if (ie.iei == IEI_IMEISV_REQ)
				s->imeisv_request = (ie.v[0] & 7) == 1;
			else
				skip(m);
		}
		return more;
	}
	case NAS_SMC_COMPLETE: {
		struct nas_smc_complete *s = &m->u.smc_complete;

		while ((more = nas_next_ie(r, NULL, &ie)) > 0) {
			if (ie.iei == IEI_IMEISV && !s->has_imeisv &&
			    nas_get_mobile_id(ie.v, ie.len, false, &s->imeisv) == 0 &&
			    s->imeisv.type == NAS_ID_IMEISV)
				s->has_imeisv = true;
			else
				skip(m);
		}
		return more;
	}
	default:
		return L2_ENOTSUP;
	}
	return r->err;
}

static int esm_decode(struct nas_rd *r, struct nas_msg *m)
{
	struct nas_ie ie;
	const uint8_t *p;
	size_t n;
	int more = 0;
	uint8_t b;

	switch (m->type) {
	case NAS_PDN_CONN_REQUEST: {
		struct nas_pdn_conn_request *c = &m->u.pdn_conn_request;

		b = nas_get8(r);
		c->request_type = b & 7;
		c->pdn_type = (b >> 4) & 7;
		while (!r->err && (more = nas_next_ie(r, NULL, &ie)) > 0) {
			if (ie.iei == IEI_INFO_FLAG && !c->has_info_flag) {
				c->info_flag = ie.v[0] & 1;
				c->has_info_flag = true;
			} else if (ie.iei == IEI_APN && !c->has_apn && ie.len >= 1 &&
				   BYTES_SET(c->apn, ie.v, ie.len) == 0)
				c->has_apn = true;
			else if (ie.iei == IEI_PCO && !c->has_pco)
				opt_pco(m, &ie, &c->has_pco, &c->pco);
			else
				skip(m);
		}
		return r->err ? r->err : more;
	}
	case NAS_ACT_DEFAULT_BEARER_REQ: {
		struct nas_act_default_bearer_req *a = &m->u.act_default_bearer_req;

		if (!(p = nas_get_lv(r, 1, 13, &n)) || BYTES_SET(a->qos, p, n))
			return L2_EPROTO;
		if (!(p = nas_get_lv(r, 1, NAS_MAX_APN, &n)) || BYTES_SET(a->apn, p, n))
			return L2_EPROTO;
		if (!(p = nas_get_lv(r, 5, 13, &n)))
			return L2_EPROTO;
		a->pdn_type = p[0] & 7;
		a->addr_len = (uint8_t)(n - 1);
		memcpy(a->addr, p + 1, n - 1);
		while ((more = nas_next_ie(r, tv_act_default, &ie)) > 0) {
			if (ie.iei == IEI_APN_AMBR && !a->has_ambr && ie.len >= 2 &&
			    BYTES_SET(a->ambr, ie.v, ie.len) == 0)
				a->has_ambr = true;
			else if (ie.iei == IEI_ESM_CAUSE && !a->has_cause) {
				a->cause = ie.v[0];
				a->has_cause = true;
			} else if (ie.iei == IEI_PCO && !a->has_pco)
				opt_pco(m, &ie, &a->has_pco, &a->pco);
			else
				skip(m);
		}
		return more;
	}
	case NAS_PDN_CONN_REJECT:
	case NAS_ACT_DEFAULT_BEARER_REJ:
	case NAS_DEACT_BEARER_REQ:
	case NAS_ACT_DEFAULT_BEARER_ACC:
	case NAS_DEACT_BEARER_ACC: {
		struct nas_esm_simple *e = &m->u.esm;

		if (m->type != NAS_ACT_DEFAULT_BEARER_ACC && m->type != NAS_DEACT_BEARER_ACC) {
			e->cause = nas_get8(r);
			e->has_cause = true;
		}
		while (!r->err && (more = nas_next_ie(r, NULL, &ie)) > 0) {
			if (ie.iei == IEI_PCO && !e->has_pco)
				opt_pco(m, &ie, &e->has_pco, &e->pco);
			else
				skip(m);
		}
		return r->err ? r->err : more;
	}
	case NAS_ESM_STATUS:
		m->u.cause.cause = nas_get8(r);
		break;
	case NAS_ESM_INFO_REQUEST:
		break;
	case NAS_ESM_INFO_RESPONSE: {
		struct nas_esm_info_response *e = &m->u.esm_info_response;

		while ((more = nas_next_ie(r, NULL, &ie)) > 0) {
			if (ie.iei == IEI_APN && !e->has_apn && ie.len >= 1 &&
			    BYTES_SET(e->apn, ie.v, ie.len) == 0)
				e->has_apn = true;
			else if (ie.iei == IEI_PCO && !e->has_pco)
				opt_pco(m, &ie, &e->has_pco, &e->pco);
			else
				skip(m);
		}
		return more;
	}
	case NAS_PDN_DISCONNECT_REQUEST: {
		struct nas_pdn_disconnect_request *d = &m->u.pdn_disconnect_request;

		d->linked_ebi = nas_get8(r) & 0xf;
		while (!r->err && (more = nas_next_ie(r, NULL, &ie)) > 0) {
			if (ie.iei == IEI_PCO && !d->has_pco)
				opt_pco(m, &ie, &d->has_pco, &d->pco);
			else
				skip(m);
		}
		return r->err ? r->err : more;
	}
	default:
		return L2_ENOTSUP;
	}
	return r->err;
}

int nas_decode(const uint8_t *p, size_t len, enum nas_dir dir, struct nas_msg *m)
{
	struct nas_rd r = {p, len, 0, 0};
	int err;

	memset(m, 0, sizeof(*m));
	if (len < 2)
		return L2_EPROTO;
	m->pd = p[0] & 0xf;
	if (m->pd == NAS_PD_EMM) {
		if (p[0] >> 4 != NAS_SEC_PLAIN)
			return L2_ENOTSUP;
		m->type = p[1];
		r.off = 2;
		err = emm_decode(&r, dir, m);
	} else if (m->pd == NAS_PD_ESM) {
		if (len < 3)
			return L2_EPROTO;
		m->ebi = p[0] >> 4;
		m->pti = p[1];
		m->type = p[2];
		r.off = 3;
		err = esm_decode(&r, m);
	} else {
		return L2_ENOTSUP;
	}
	if (err == 0 && r.err)
		err = r.err;
	return err < 0 ? err : 0;
}

const char *nas_msg_name(uint8_t pd, uint8_t type)
{
	static const struct {
		uint8_t pd, type;
		const char *name;
	} names[] = {
		{NAS_PD_EMM, NAS_ATTACH_REQUEST, "attach request"},
		{NAS_PD_EMM, NAS_ATTACH_ACCEPT, "attach accept"},
		{NAS_PD_EMM, NAS_ATTACH_COMPLETE, "attach complete"},
		{NAS_PD_EMM, NAS_ATTACH_REJECT, "attach reject"},
		{NAS_PD_EMM, NAS_DETACH_REQUEST, "detach request"},
		{NAS_PD_EMM, NAS_DETACH_ACCEPT, "detach accept"},
		{NAS_PD_EMM, NAS_TAU_REQUEST, "tracking area update request"},
		{NAS_PD_EMM, NAS_TAU_ACCEPT, "tracking area update accept"},
		{NAS_PD_EMM, NAS_TAU_COMPLETE, "tracking area update complete"},
		{NAS_PD_EMM, NAS_TAU_REJECT, "tracking area update reject"},
		{NAS_PD_EMM, NAS_AUTH_REQUEST, "authentication request"},
		{NAS_PD_EMM, NAS_AUTH_RESPONSE, "authentication response"},
		{NAS_PD_EMM, NAS_AUTH_REJECT, "authentication reject"},
		{NAS_PD_EMM, NAS_AUTH_FAILURE, "authentication failure"},
		{NAS_PD_EMM, NAS_IDENTITY_REQUEST, "identity request"},
		{NAS_PD_EMM, NAS_IDENTITY_RESPONSE, "identity response"},
		{NAS_PD_EMM, NAS_SMC, "security mode command"},
		{NAS_PD_EMM, NAS_SMC_COMPLETE, "security mode complete"},
		{NAS_PD_EMM, NAS_SMC_REJECT, "security mode reject"},
		{NAS_PD_EMM, NAS_EMM_STATUS, "EMM status"},
		{NAS_PD_ESM, NAS_ACT_DEFAULT_BEARER_REQ,
		 "activate default EPS bearer context request"},
		{NAS_PD_ESM, NAS_ACT_DEFAULT_BEARER_ACC,
		 "activate default EPS bearer context accept"},
		{NAS_PD_ESM, NAS_ACT_DEFAULT_BEARER_REJ,
		 "activate default EPS bearer context reject"},
		{NAS_PD_ESM, NAS_DEACT_BEARER_REQ, "deactivate EPS bearer context request"},
		{NAS_PD_ESM, NAS_DEACT_BEARER_ACC, "deactivate EPS bearer context accept"},
		{NAS_PD_ESM, NAS_PDN_CONN_REQUEST, "PDN connectivity request"},
		{NAS_PD_ESM, NAS_PDN_CONN_REJECT, "PDN connectivity reject"},
		{NAS_PD_ESM, NAS_PDN_DISCONNECT_REQUEST, "PDN disconnect request"},
		{NAS_PD_ESM, NAS_ESM_INFO_REQUEST, "ESM information request"},
		{NAS_PD_ESM, NAS_ESM_INFO_RESPONSE, "ESM information response"},
		{NAS_PD_ESM, NAS_ESM_STATUS, "ESM status"},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].pd == pd && names[i].type == type)
			return names[i].name;
	return "unknown";
}

int nas_apn_from_str(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0, label = 0;

	if (!*s || cap < 1)
		return L2_EINVAL;
	out[n++] = 0;
	for (; *s; s++) {
		if (*s == '.') {
			if (out[label] == 0 || n >= cap)
				return L2_EINVAL;
			label = n;
			out[n++] = 0;
			continue;
		}
		if (n >= cap || out[label] == 63)
			return L2_EINVAL;
		out[n++] = (uint8_t)*s;
		out[label]++;
	}
	if (out[label] == 0 || n > NAS_MAX_APN)
		return L2_EINVAL;
	return (int)n;
}

int nas_apn_to_str(const uint8_t *apn, size_t len, char *out, size_t cap)
{
	size_t i = 0, n = 0;

	if (cap < 1)
		return L2_EINVAL;
	while (i < len) {
		size_t l = apn[i++];

		if (l == 0 || l > len - i)
			return L2_EPROTO;
		if (n && n < cap)
			out[n++] = '.';
		if (n + l >= cap)
			return L2_EMSGSIZE;
		memcpy(out + n, apn + i, l);
		n += l;
		i += l;
	}
	if (n == 0)
		return L2_EPROTO;
	out[n] = 0;
	return (int)n;
}

int nas_id_imsi(struct nas_mobile_id *id, const char *digits)
{
	size_t n = strlen(digits);

	if (n < 6 || n > 15)
		return L2_EINVAL;
	memset(id, 0, sizeof(*id));
	id->type = NAS_ID_IMSI;
	id->n_digits = (uint8_t)n;
	memcpy(id->digits, digits, n);
	return 0;
}
