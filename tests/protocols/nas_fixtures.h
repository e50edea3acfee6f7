/* SPDX-License-Identifier: BSD-2-Clause */
/* Sample messages of every NAS message type of the subset, shared by the NAS tests and fuzzer seeds. */
#pragma once

#include <string.h>

#include "l3/nas.h"

static const struct nas_plmn fx_plmn = {1, 1, 2};      /* MCC 001, MNC 01 */
static const struct nas_plmn fx_plmn3 = {310, 410, 3}; /* a three-digit MNC */
static const uint8_t fx_pco[] = {0x80, 0x80, 0x21, 0x10, 0x01, 0x00, 0x00, 0x10,
				 0x81, 0x06, 0x00, 0x00, 0x00, 0x00, 0x83, 0x06,
				 0x00, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x00};
static const uint8_t fx_rand[16] = {0x23, 0x55, 0x3c, 0xbe, 0x96, 0x37, 0xa8, 0x9d,
				    0x21, 0x8a, 0xe6, 0x4d, 0xae, 0x47, 0xbf, 0x35};
static const uint8_t fx_autn[16] = {0x55, 0xf3, 0x28, 0xb4, 0x35, 0x77, 0xb9, 0xb9,
				    0x4a, 0x9f, 0xfa, 0xc3, 0x54, 0xdf, 0xaf, 0xb3};

static inline void fx_guti(struct nas_mobile_id *id)
{
	memset(id, 0, sizeof(*id));
	id->type = NAS_ID_GUTI;
	id->guti.plmn = fx_plmn;
	id->guti.mmegi = 0x8001;
	id->guti.mmec = 0x1a;
	id->guti.m_tmsi = 0xc0de1234;
}

static inline void fx_apn(struct nas_apn *apn)
{
	apn->len = (uint16_t)nas_apn_from_str("internet", apn->v, sizeof(apn->v));
}

static inline void fx_pco_set(struct nas_pco *pco)
{
	memcpy(pco->v, fx_pco, sizeof(fx_pco));
	pco->len = sizeof(fx_pco);
}

static inline void fx_esm_pdn_request(struct nas_msg *m)
{
	struct nas_pdn_conn_request *p = &m->u.pdn_conn_request;

	memset(m, 0, sizeof(*m));
	m->pd = NAS_PD_ESM;
	m->type = NAS_PDN_CONN_REQUEST;
	m->pti = 1;
	p->request_type = NAS_REQUEST_INITIAL;
	p->pdn_type = NAS_PDN_IPV4;
	p->has_info_flag = true;
	p->has_apn = true;
	fx_apn(&p->apn);
	p->has_pco = true;
	fx_pco_set(&p->pco);
}

static inline void fx_esm_act_default(struct nas_msg *m)
{
	struct nas_act_default_bearer_req *a = &m->u.act_default_bearer_req;
	static const uint8_t addr[4] = {10, 45, 0, 2};

	memset(m, 0, sizeof(*m));
	m->pd = NAS_PD_ESM;
	m->type = NAS_ACT_DEFAULT_BEARER_REQ;
	m->ebi = 5;
	m->pti = 1;
	a->qos.len = 1;
	a->qos.v[0] = 9;
	fx_apn(&a->apn);
	a->pdn_type = NAS_PDN_IPV4;
	a->addr_len = 4;
	memcpy(a->addr, addr, 4);
	a->has_ambr = true;
	a->ambr.len = 2;
	a->ambr.v[0] = 0xfe;
	a->ambr.v[1] = 0xfe;
	a->has_pco = true;
	fx_pco_set(&a->pco);
}

/* Message `i` of the set (and who sends it); 0 past the end. */
static inline int nas_fixture(int i, struct nas_msg *m, enum nas_dir *dir)
{
	struct nas_msg inner;
	int n;

	memset(m, 0, sizeof(*m));
	m->pd = NAS_PD_EMM;
	*dir = NAS_UL;
	switch (i) {
	case 0: {
		struct nas_attach_request *a = &m->u.attach_request;

		m->type = NAS_ATTACH_REQUEST;
		a->attach_type = NAS_ATTACH_TYPE_EPS;
		a->ksi = NAS_KSI_NONE;
		nas_id_imsi(&a->id, "001010123456789");
		a->ue_net_cap.len = 2;
		a->ue_net_cap.v[0] = 0xe0; /* EEA0, 128-EEA1, 128-EEA2 */
		a->ue_net_cap.v[1] = 0xe0; /* EIA0, 128-EIA1, 128-EIA2 */
		fx_esm_pdn_request(&inner);
		n = nas_encode(&inner, a->esm.v, sizeof(a->esm.v));
		a->esm.len = (uint16_t)(n > 0 ? n : 0);
		a->has_last_tai = true;
		a->last_tai.plmn = fx_plmn;
		a->last_tai.tac = 7;
		a->has_drx = true;
		a->has_ms_net_cap = true;
		a->ms_net_cap.len = 2;
		a->ms_net_cap.v[0] = 0xe5;
		a->ms_net_cap.v[1] = 0xe0;
		return 1;
	}
	case 1:
		*dir = NAS_DL;
		m->type = NAS_AUTH_REQUEST;
		m->u.auth_request.ksi = 0;
		memcpy(m->u.auth_request.rand, fx_rand, 16);
		memcpy(m->u.auth_request.autn, fx_autn, 16);
		return 1;
	case 2:
		m->type = NAS_AUTH_RESPONSE;
		m->u.auth_response.res_len = 8;
		memcpy(m->u.auth_response.res, "\xa5\x42\x11\xd5\xe3\xba\x50\xbf", 8);
		return 1;
	case 3:
		m->type = NAS_AUTH_FAILURE;
		m->u.auth_failure.cause = EMM_CAUSE_SYNCH_FAILURE;
		m->u.auth_failure.has_auts = true;
		memcpy(m->u.auth_failure.auts,
		       "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e", 14);
		return 1;
	case 4:
		*dir = NAS_DL;
		m->type = NAS_AUTH_REJECT;
		return 1;
	case 5:
		*dir = NAS_DL;
		m->type = NAS_SMC;
		m->u.smc.eea = 2;
		m->u.smc.eia = 2;
		m->u.smc.ksi = 0;
		m->u.smc.ue_sec_cap.len = 2;
		m->u.smc.ue_sec_cap.v[0] = 0xe0;
		m->u.smc.ue_sec_cap.v[1] = 0xe0;
		m->u.smc.imeisv_request = true;
		return 1;
	case 6: {
		struct nas_mobile_id *id = &m->u.smc_complete.imeisv;

		m->type = NAS_SMC_COMPLETE;
		m->u.smc_complete.has_imeisv = true;
		id->type = NAS_ID_IMEISV;
		id->n_digits = 16;
		memcpy(id->digits, "3534900698733190", 16);
		return 1;
	}
	case 7:
		m->type = NAS_SMC_REJECT;
		m->u.cause.cause = EMM_CAUSE_UE_SEC_CAP_MISMATCH;
		return 1;
	case 8: {
		struct nas_attach_accept *a = &m->u.attach_accept;

		*dir = NAS_DL;
		m->type = NAS_ATTACH_ACCEPT;
		a->result = NAS_ATTACH_RESULT_EPS;
		a->t3412 = 0x21; /* 1 minute units, 1 */
		a->n_tai = 1;
		a->tai[0].plmn = fx_plmn;
		a->tai[0].tac = 7;
		fx_esm_act_default(&inner);
		n = nas_encode(&inner, a->esm.v, sizeof(a->esm.v));
		a->esm.len = (uint16_t)(n > 0 ? n : 0);
		a->has_guti = true;
		fx_guti(&a->guti);
		a->has_t3402 = true;
		a->t3402 = 0x2c;
		a->has_eplmn = true;
		a->n_eplmn = 2;
		a->eplmn[0] = fx_plmn;
		a->eplmn[1] = fx_plmn3;
		a->has_nw_feat = true;
		a->nw_feat.len = 1;
		a->nw_feat.v[0] = 0x01;
		return 1;
	}
	case 9:
		m->type = NAS_ATTACH_COMPLETE;
		memset(&inner, 0, sizeof(inner));
		inner.pd = NAS_PD_ESM;
		inner.type = NAS_ACT_DEFAULT_BEARER_ACC;
		inner.ebi = 5;
		n = nas_encode(&inner, m->u.attach_complete.esm.v,
			       sizeof(m->u.attach_complete.esm.v));
		m->u.attach_complete.esm.len = (uint16_t)(n > 0 ? n : 0);
		return 1;
	case 10:
		*dir = NAS_DL;
		m->type = NAS_ATTACH_REJECT;
		m->u.attach_reject.cause = EMM_CAUSE_EPS_NOT_ALLOWED;
		m->u.attach_reject.has_t3402 = true;
		m->u.attach_reject.t3402 = 0x21;
		return 1;
	case 11:
		*dir = NAS_DL;
		m->type = NAS_IDENTITY_REQUEST;
		m->u.identity_request.id_type = NAS_ID_IMSI;
		return 1;
	case 12:
		m->type = NAS_IDENTITY_RESPONSE;
		nas_id_imsi(&m->u.identity_response.id, "310410123456789");
		return 1;
	case 13:
		m->type = NAS_DETACH_REQUEST;
		m->u.detach_request.ue_originating = true;
		m->u.detach_request.switch_off = true;
		m->u.detach_request.type = NAS_DETACH_EPS;
		m->u.detach_request.ksi = 0;
		fx_guti(&m->u.detach_request.id);
		return 1;
	case 14:
		*dir = NAS_DL;
		m->type = NAS_DETACH_REQUEST;
		m->u.detach_request.type = NAS_DETACH_REATTACH_NOT;
		m->u.detach_request.has_cause = true;
		m->u.detach_request.cause = EMM_CAUSE_EPS_NOT_ALLOWED;
		return 1;
	case 15:
		*dir = NAS_DL;
		m->type = NAS_DETACH_ACCEPT;
		return 1;
	case 16: {
		struct nas_tau_request *t = &m->u.tau_request;

		m->type = NAS_TAU_REQUEST;
		t->update_type = NAS_TAU_TYPE_TA;
		t->ksi = 1;
		fx_guti(&t->old_guti);
		t->has_ue_net_cap = true;
		t->ue_net_cap.len = 2;
		t->ue_net_cap.v[0] = 0xe0;
		t->ue_net_cap.v[1] = 0xe0;
		t->has_last_tai = true;
		t->last_tai.plmn = fx_plmn;
		t->last_tai.tac = 7;
		t->has_drx = true;
		t->has_bearer_status = true;
		t->bearer_status = 1u << 5;
		return 1;
	}
	case 17: {
		struct nas_tau_accept *t = &m->u.tau_accept;

		*dir = NAS_DL;
		m->type = NAS_TAU_ACCEPT;
		t->result = NAS_TAU_RESULT_TA;
		t->has_t3412 = true;
		t->t3412 = 0x21;
		t->has_guti = true;
		fx_guti(&t->guti);
		t->has_tai = true;
		t->n_tai = 2;
		t->tai[0].plmn = fx_plmn;
		t->tai[0].tac = 7;
		t->tai[1].plmn = fx_plmn3;
		t->tai[1].tac = 0x1234;
		t->has_bearer_status = true;
		t->bearer_status = 1u << 5;
		t->has_t3402 = true;
		t->t3402 = 0x2c;
		return 1;
	}
	case 18:
		m->type = NAS_TAU_COMPLETE;
		return 1;
	case 19:
		*dir = NAS_DL;
		m->type = NAS_TAU_REJECT;
		m->u.cause.cause = EMM_CAUSE_UE_ID_NOT_DERIVED;
		return 1;
	case 20:
		m->type = NAS_EMM_STATUS;
		m->u.cause.cause = EMM_CAUSE_MSG_TYPE_NONEXISTENT;
		return 1;
	case 21:
		fx_esm_pdn_request(m);
		return 1;
	case 22:
		*dir = NAS_DL;
		m->pd = NAS_PD_ESM;
		m->type = NAS_PDN_CONN_REJECT;
		m->pti = 1;
		m->u.esm.has_cause = true;
		m->u.esm.cause = ESM_CAUSE_MISSING_OR_UNKNOWN_APN;
		return 1;
	case 23:
		*dir = NAS_DL;
		fx_esm_act_default(m);
		return 1;
	case 24:
		m->pd = NAS_PD_ESM;
		m->type = NAS_ACT_DEFAULT_BEARER_ACC;
		m->ebi = 5;
		return 1;
	case 25:
		m->pd = NAS_PD_ESM;
		m->type = NAS_ACT_DEFAULT_BEARER_REJ;
		m->ebi = 5;
		m->u.esm.has_cause = true;
		m->u.esm.cause = ESM_CAUSE_REQUEST_REJECTED_UNSPECIFIED;
		return 1;
	case 26:
		*dir = NAS_DL;
		m->pd = NAS_PD_ESM;
		m->type = NAS_DEACT_BEARER_REQ;
		m->ebi = 5;
		m->u.esm.has_cause = true;
		m->u.esm.cause = ESM_CAUSE_REGULAR_DEACTIVATION;
		return 1;
	case 27:
		m->pd = NAS_PD_ESM;
		m->type = NAS_DEACT_BEARER_ACC;
		m->ebi = 5;
		return 1;
	case 28:
		*dir = NAS_DL;
		m->pd = NAS_PD_ESM;
		m->type = NAS_ESM_INFO_REQUEST;
		m->pti = 1;
		return 1;
	case 29:
		m->pd = NAS_PD_ESM;
		m->type = NAS_ESM_INFO_RESPONSE;
		m->pti = 1;
		m->u.esm_info_response.has_apn = true;
		fx_apn(&m->u.esm_info_response.apn);
		return 1;
	case 30:
		m->pd = NAS_PD_ESM;
		m->type = NAS_ESM_STATUS;
		m->ebi = 5;
		m->u.cause.cause = ESM_CAUSE_PROTOCOL_ERROR;
		return 1;
	case 31:
		m->pd = NAS_PD_ESM;
		m->type = NAS_PDN_DISCONNECT_REQUEST;
		m->pti = 2;
		m->u.pdn_disconnect_request.linked_ebi = 5;
		return 1;
	default:
		return 0;
	}
}
