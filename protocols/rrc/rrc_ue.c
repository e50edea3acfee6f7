/* SPDX-License-Identifier: BSD-2-Clause */
/* UE RRC: connection establishment, security, capabilities, reconfiguration, release, RLF and re-establishment (TS 36.331 §5.3). */
#include <string.h>

#include "l2/sec.h"
#include "l3/rrc_sm.h"

/* UE-TimersAndConstants values (§6.3.6) by ASN.1 index. */
static const uint16_t t300_ms[8] = {100, 200, 300, 400, 600, 1000, 1500, 2000};
static const uint16_t t311_ms[7] = {1000, 3000, 5000, 10000, 15000, 20000, 30000};
/* RRCConnectionReject waitTime is in seconds (§6.2.2). */
#define WAIT_TIME_MS 1000u

void rrc_ue_init(struct rrc_ue *ue, const struct rrc_ue_eutra_cap *cap,
		 const struct rrc_ue_ops *ops, const struct l2_env *env)
{
	memset(ue, 0, sizeof(*ue));
	ue->ops = *ops;
	ue->env = env;
	ue->cap = *cap;
	ue->state = RRC_UE_IDLE;
	/* Until SIB2 says otherwise: 1 s for T300/T301, 1 s for T311. */
	ue->t300_ms = ue->t301_ms = 1000;
	ue->t311_ms = 1000;
}

static int ue_send(struct rrc_ue *ue, uint8_t srb, const struct rrc_msg *m)
{
	uint8_t buf[2048];
	int n = rrc_encode(m, buf, sizeof(buf));

	if (n < 0)
		return n;
	ue->ops.send(ue->ops.ctx, srb, buf, (size_t)n);
	ue->stats.tx++;
	return 0;
}

static void to_idle(struct rrc_ue *ue, bool failure)
{
	bool was_up = ue->state == RRC_UE_CONNECTED || ue->state == RRC_UE_REESTABLISHING;

	l2_timer_stop(&ue->t300);
	l2_timer_stop(&ue->t301);
	l2_timer_stop(&ue->t311);
	ue->state = RRC_UE_IDLE;
	ue->security_active = false;
	ue->has_kenb = false;
	memset(ue->kenb, 0, sizeof(ue->kenb));
	memset(&ue->keys, 0, sizeof(ue->keys));
	ue->nas_len = 0;
	if (ue->ops.connection && (was_up || failure))
		ue->ops.connection(ue->ops.ctx, false, failure);
}

int rrc_ue_rx_bcch(struct rrc_ue *ue, enum rrc_channel ch, const uint8_t *pdu, size_t len,
		   uint16_t pci, uint16_t earfcn)
{
	struct rrc_msg m;
	int err;

	if (ch != RRC_BCCH_BCH && ch != RRC_BCCH_DL_SCH)
		return L2_EINVAL;
	err = rrc_decode(ch, pdu, len, &m, NULL, 0);
	if (err) {
		ue->stats.rx_malformed++;
		return err;
	}
	ue->pci = pci;
	ue->earfcn = earfcn;
	if (m.type == RRC_SIB1) {
		ue->cell_id = m.u.sib1.cell_id;
		ue->has_sib1 = true;
	} else if (m.type == RRC_SI) {
		const struct rrc_sib2 *s = &m.u.sib2;

		ue->t300_ms = t300_ms[s->t300 & 7];
		ue->t301_ms = t300_ms[s->t301 & 7];
		ue->t311_ms = s->t311 < 7 ? t311_ms[s->t311] : 1000;
		ue->has_sib2 = true;
	}
	return 0;
}

void rrc_ue_set_s_tmsi(struct rrc_ue *ue, bool valid, uint8_t mmec, uint32_t m_tmsi)
{
	ue->has_s_tmsi = valid;
	ue->mmec = mmec;
	ue->m_tmsi = m_tmsi;
}

void rrc_ue_set_c_rnti(struct rrc_ue *ue, uint16_t c_rnti)
{
	ue->c_rnti = c_rnti;
}

void rrc_ue_set_kenb(struct rrc_ue *ue, const uint8_t kenb[32])
{
	memcpy(ue->kenb, kenb, 32);
	ue->has_kenb = true;
}

/* §5.3.3.3: RRCConnectionRequest with the S-TMSI or a 40-bit random value, T300. */
static int send_request(struct rrc_ue *ue, uint8_t cause)
{
	struct rrc_msg m;

	memset(&m, 0, sizeof(m));
	m.type = RRC_CONN_REQUEST;
	m.u.conn_request.s_tmsi = ue->has_s_tmsi;
	m.u.conn_request.mmec = ue->mmec;
	m.u.conn_request.m_tmsi = ue->m_tmsi;
	m.u.conn_request.random =
		((uint64_t)(l2_random(ue->env) & 0xff) << 32 | l2_random(ue->env)) &
		0xffffffffffull;
	m.u.conn_request.cause = cause;
	ue->state = RRC_UE_CONNECTING;
	l2_timer_start(&ue->t300, l2_now(ue->env), ue->t300_ms);
	return ue_send(ue, 0, &m);
}

int rrc_ue_nas(struct rrc_ue *ue, const uint8_t *nas, size_t len, uint8_t cause)
{
	struct rrc_msg m;

	if (len == 0 || len > sizeof(ue->nas))
		return L2_EINVAL;
	switch (ue->state) {
	case RRC_UE_IDLE:
		if (ue->waiting && (int32_t)(l2_now(ue->env) - ue->wait_until) < 0)
			return L2_EAGAIN; /* §5.3.3.8: waitTime still runs */
		ue->waiting = false;
		memcpy(ue->nas, nas, len);
		ue->nas_len = len;
		return send_request(ue, cause);
	case RRC_UE_CONNECTED:
		/* §5.6.2: ULInformationTransfer, on SRB2 once it exists (here: security on). */
		memset(&m, 0, sizeof(m));
		m.type = RRC_UL_INFO;
		m.u.info.nas.p = nas;
		m.u.info.nas.len = (uint16_t)len;
		return ue_send(ue, ue->security_active ? 2 : 1, &m);
	default:
		return L2_EAGAIN;
	}
}

static void on_setup(struct rrc_ue *ue, const struct rrc_msg *in)
{
	struct rrc_msg m;

	if (ue->state != RRC_UE_CONNECTING) {
		ue->stats.rx_unexpected++;
		return;
	}
	l2_timer_stop(&ue->t300);
	if (ue->ops.configure)
		ue->ops.configure(ue->ops.ctx, &in->u.setup.rr);
	ue->state = RRC_UE_CONNECTED;
	ue->stats.setups++;
	/* §5.3.3.4: RRCConnectionSetupComplete with the NAS message. */
	memset(&m, 0, sizeof(m));
	m.type = RRC_SETUP_COMPLETE;
	m.transaction_id = in->transaction_id;
	m.u.setup_complete.selected_plmn = 1;
	if (ue->has_s_tmsi) {
		m.u.setup_complete.has_registered_mme = true;
		m.u.setup_complete.mmec = ue->mmec;
	}
	m.u.setup_complete.nas.p = ue->nas;
	m.u.setup_complete.nas.len = (uint16_t)ue->nas_len;
	ue_send(ue, 1, &m);
	ue->nas_len = 0;
	if (ue->ops.connection)
		ue->ops.connection(ue->ops.ctx, true, false);
}

/* §5.3.4.3: AS security from K_eNB with the commanded algorithms. */
static void on_smc(struct rrc_ue *ue, const struct rrc_msg *in)
{
	struct rrc_msg m;

	memset(&m, 0, sizeof(m));
	m.transaction_id = in->transaction_id;
	if (!ue->has_kenb || (in->u.smc.eea != SEC_EEA0 && in->u.smc.eea != SEC_EEA2) ||
	    in->u.smc.eia != SEC_EIA2) {
		/* §5.3.4.5: no keys or an algorithm this UE lacks. */
		m.type = RRC_SMC_FAILURE;
		ue_send(ue, 1, &m);
		return;
	}
	rrc_as_keys_derive(ue->kenb, in->u.smc.eea, in->u.smc.eia, &ue->keys);
	if (ue->ops.verify_smc && !ue->ops.verify_smc(ue->ops.ctx, &ue->keys)) {
		/* §5.3.4.5: the integrity check failed; the configuration stays as it was. */
		memset(&ue->keys, 0, sizeof(ue->keys));
		ue->stats.smc_failures++;
		m.type = RRC_SMC_FAILURE;
		ue_send(ue, 1, &m);
		return;
	}
	if (ue->ops.security)
		ue->ops.security(ue->ops.ctx, &ue->keys);
	ue->security_active = true;
	m.type = RRC_SMC_COMPLETE;
	ue_send(ue, 1, &m);
}

static void on_cap_enquiry(struct rrc_ue *ue, const struct rrc_msg *in)
{
	uint8_t cap[256];
	struct rrc_msg m;
	int n = rrc_ue_cap_encode(&ue->cap, cap, sizeof(cap));
	unsigned i;

	if (n < 0)
		return;
	memset(&m, 0, sizeof(m));
	m.type = RRC_UE_CAP_INFO;
	m.transaction_id = in->transaction_id;
	for (i = 0; i < in->u.cap_enquiry.n_rat; i++)
		if (in->u.cap_enquiry.rat[i] == 0) { /* eutra: the only RAT of this UE */
			m.u.cap_info.n = 1;
			m.u.cap_info.c[0].rat = 0;
			m.u.cap_info.c[0].data.p = cap;
			m.u.cap_info.c[0].data.len = (uint16_t)n;
		}
	ue_send(ue, 1, &m);
}

/* §5.3.5.3: apply the radio configuration, hand the NAS PDUs up, complete. */
static void on_reconf(struct rrc_ue *ue, const struct rrc_msg *in)
{
	struct rrc_msg m;
	unsigned i;

	if (in->u.reconf.has_rr && in->u.reconf.rr.n_drb && !ue->security_active) {
		/* §5.3.5.4... a DRB before security: the connection is released (§5.3.12). */
		to_idle(ue, true);
		return;
	}
	if (in->u.reconf.has_rr && ue->ops.configure)
		ue->ops.configure(ue->ops.ctx, &in->u.reconf.rr);
	memset(&m, 0, sizeof(m));
	m.type = RRC_RECONF_COMPLETE;
	m.transaction_id = in->transaction_id;
	ue_send(ue, 1, &m);
	for (i = 0; i < in->u.reconf.n_nas; i++)
		if (ue->ops.nas)
			ue->ops.nas(ue->ops.ctx, in->u.reconf.nas[i].p, in->u.reconf.nas[i].len);
}

/* §5.3.7.5: K_eNB* for the (same) cell, new AS keys, SRB1 resumed, complete. */
static void on_reestablishment(struct rrc_ue *ue, const struct rrc_msg *in)
{
	uint8_t kstar[32];
	struct rrc_msg m;

	if (ue->state != RRC_UE_REESTABLISHING || !ue->t301.running) {
		ue->stats.rx_unexpected++;
		return;
	}
	l2_timer_stop(&ue->t301);
	sec_derive_kenb_star(ue->kenb, ue->pci, ue->earfcn, kstar);
	memcpy(ue->kenb, kstar, 32);
	memset(kstar, 0, sizeof(kstar));
	rrc_as_keys_derive(ue->kenb, ue->keys.eea, ue->keys.eia, &ue->keys);
	if (ue->ops.configure)
		ue->ops.configure(ue->ops.ctx, &in->u.setup.rr);
	if (ue->ops.security)
		ue->ops.security(ue->ops.ctx, &ue->keys);
	if (ue->ops.reestablish_l2)
		ue->ops.reestablish_l2(ue->ops.ctx, true);
	ue->state = RRC_UE_CONNECTED;
	ue->stats.reestablishments++;
	memset(&m, 0, sizeof(m));
	m.type = RRC_REEST_COMPLETE;
	m.transaction_id = in->transaction_id;
	ue_send(ue, 1, &m);
}

int rrc_ue_rx(struct rrc_ue *ue, uint8_t srb, const uint8_t *pdu, size_t len)
{
	uint8_t scratch[4096];
	struct rrc_msg m;
	int err;

	ue->stats.rx++;
	if (srb > 2)
		return L2_EINVAL;
	err = rrc_decode(srb == 0 ? RRC_DL_CCCH : RRC_DL_DCCH, pdu, len, &m, scratch,
			 sizeof(scratch));
	if (err) {
		ue->stats.rx_malformed++;
		return err;
	}
	if (srb == 0) {
		switch (m.type) {
		case RRC_CONN_SETUP:
			on_setup(ue, &m);
			break;
		case RRC_CONN_REJECT:
			if (ue->state != RRC_UE_CONNECTING)
				break;
			ue->stats.rejects++;
			ue->waiting = true;
			ue->wait_until = l2_now(ue->env) + m.u.reject.wait_time * WAIT_TIME_MS;
			to_idle(ue, true);
			break;
		case RRC_REEST:
			on_reestablishment(ue, &m);
			break;
		case RRC_REEST_REJECT:
			if (ue->state == RRC_UE_REESTABLISHING) {
				/* §5.3.7.8: leave RRC_CONNECTED, "RRC connection failure". */
				ue->stats.reest_failures++;
				to_idle(ue, true);
			}
			break;
		default:
			ue->stats.rx_unexpected++;
		}
		return 0;
	}
	if (ue->state != RRC_UE_CONNECTED) {
		ue->stats.rx_unexpected++;
		return L2_ESTATE;
	}
	switch (m.type) {
	case RRC_SMC:
		on_smc(ue, &m);
		break;
	case RRC_UE_CAP_ENQUIRY:
		on_cap_enquiry(ue, &m);
		break;
	case RRC_RECONF:
		on_reconf(ue, &m);
		break;
	case RRC_DL_INFO:
		if (ue->ops.nas)
			ue->ops.nas(ue->ops.ctx, m.u.info.nas.p, m.u.info.nas.len);
		break;
	case RRC_RELEASE:
		/* §5.3.8.3: leave RRC_CONNECTED, release cause "other". */
		ue->stats.releases++;
		to_idle(ue, false);
		break;
	default:
		ue->stats.rx_unexpected++;
	}
	return 0;
}

void rrc_ue_radio_link_failure(struct rrc_ue *ue)
{
	if (ue->state != RRC_UE_CONNECTED)
		return;
	ue->stats.rlf++;
	if (!ue->security_active) {
		/* §5.3.11.3: without AS security the UE goes straight to RRC_IDLE. */
		to_idle(ue, true);
		return;
	}
	/* §5.3.7.2: suspend all RBs but SRB0, start T311 and select a cell. */
	if (ue->ops.reestablish_l2)
		ue->ops.reestablish_l2(ue->ops.ctx, false);
	ue->state = RRC_UE_REESTABLISHING;
	l2_timer_start(&ue->t311, l2_now(ue->env), ue->t311_ms);
}

int rrc_ue_cell_selected(struct rrc_ue *ue)
{
	struct rrc_msg m;

	if (ue->state != RRC_UE_REESTABLISHING || !ue->t311.running)
		return L2_ESTATE;
	/* §5.3.7.3-4: stop T311, start T301, request with the source C-RNTI and shortMAC-I. */
	l2_timer_stop(&ue->t311);
	l2_timer_start(&ue->t301, l2_now(ue->env), ue->t301_ms);
	memset(&m, 0, sizeof(m));
	m.type = RRC_REEST_REQUEST;
	m.u.reest_request.c_rnti = ue->c_rnti;
	m.u.reest_request.pci = ue->pci;
	m.u.reest_request.short_mac_i =
		rrc_short_mac_i(&ue->keys, ue->cell_id, ue->pci, ue->c_rnti);
	m.u.reest_request.cause = 2; /* otherFailure */
	return ue_send(ue, 0, &m);
}

void rrc_ue_release_local(struct rrc_ue *ue)
{
	if (ue->state != RRC_UE_IDLE)
		to_idle(ue, false);
}

void rrc_ue_tick(struct rrc_ue *ue)
{
	uint32_t now = l2_now(ue->env);

	if (l2_timer_expired(&ue->t300, now) && ue->state == RRC_UE_CONNECTING) {
		/* §5.3.3.6: connection establishment failed. */
		ue->stats.t300_expiries++;
		to_idle(ue, true);
	}
	if ((l2_timer_expired(&ue->t311, now) || l2_timer_expired(&ue->t301, now)) &&
	    ue->state == RRC_UE_REESTABLISHING) {
		/* §5.3.7.6: no suitable cell or no answer: leave RRC_CONNECTED. */
		ue->stats.reest_failures++;
		to_idle(ue, true);
	}
}
