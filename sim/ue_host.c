/* SPDX-License-Identifier: BSD-2-Clause */
/* Host UE: RA, MAC with HARQ, RLC AM/UM and PDCP with CONFIG's keys, behind the link messages. */
#include <stdlib.h>
#include <string.h>

#include "ue_host.h"

static uint32_t ue_clock(void *ctx)
{
	return ((struct ue_host *)ctx)->now;
}

static uint32_t ue_random(void *ctx)
{
	return rng_u32(&((struct ue_host *)ctx)->rng);
}

/* ---------------------------------------------------------------- host link out */

static void ap_flush(struct ue_host *u)
{
	int len;

	if (!u->ap_open)
		return;
	u->ap_open = false;
	len = link_finish(&u->ap);
	if (len <= 0)
		return;
	u->host_len[(u->host_head + u->host_n) % UE_HOST_OUTQ] = (uint16_t)len;
	u->host_n++;
	u->tx_seq[1]++;
	u->ap_tx++;
}

/* The open host-link message of `type` with room for `bytes` more, or false (queue full). */
static bool ap_open_msg(struct ue_host *u, uint8_t type, uint32_t bytes)
{
	if (u->ap_open && (u->ap_type != type || u->ap.len + bytes > LINK_MAX_MSG ||
			   u->ap.n_items == LINK_MAX_ITEMS))
		ap_flush(u);
	if (!u->ap_open) {
		if (u->host_n == UE_HOST_OUTQ)
			return false;
		link_writer_init(&u->ap, u->host_out[(u->host_head + u->host_n) % UE_HOST_OUTQ],
				 LINK_MAX_MSG, AP_MAGIC, type, u->tx_seq[1], u->now);
		u->ap_open = true;
		u->ap_type = type;
	}
	return true;
}

/* A DL IP packet for the application processor: into the open AP_MSG_DATA_DL, or a new one. */
static void ap_put(struct ue_host *u, uint8_t rb_id, const uint8_t *pkt, uint16_t len)
{
	if (!ap_open_msg(u, AP_MSG_DATA_DL, LINK_ITEM_HDR + AP_IP_FIXED + len)) {
		u->stats.ap_dl_dropped++;
		return;
	}
	ap_put_ip(&u->ap, rb_id, pkt, len);
	u->stats.ap_dl_pkts++;
}

/* ---------------------------------------------------------------- bearers */

static void l3_srb_rx(struct ue_host *u, uint8_t srb, const uint8_t *pdu, uint16_t len);

static void ub_pdcp_tx(void *ctx, struct l2_buf *pdu)
{
	struct ue_host_bearer *b = ctx;

	if (b->cfg.rlc_mode == RL_RLC_AM)
		rlc_am_tx_sdu(&b->rlc.am, pdu);
	else
		rlc_um_tx_sdu(&b->rlc.um, pdu);
}

static void ub_pdcp_discard(void *ctx, uint32_t count)
{
	struct ue_host_bearer *b = ctx;

	if (b->cfg.rlc_mode == RL_RLC_AM)
		rlc_am_discard_sdu(&b->rlc.am, count);
}

static void ub_pdcp_rx(void *ctx, struct l2_buf *sdu)
{
	struct ue_host_bearer *b = ctx;

	if (b->cfg.srb) {
		b->ue->stats.srb_rx_sdus++;
		if (b->ue->attach_mode)
			l3_srb_rx(b->ue, b->cfg.rb_id, l2_buf_data(sdu), sdu->len);
	} else
		ap_put(b->ue, b->cfg.rb_id, l2_buf_data(sdu), sdu->len);
	l2_buf_free(sdu);
}

static void ub_rlc_rx(void *ctx, struct l2_buf *sdu)
{
	struct ue_host_bearer *b = ctx;
	bool re = b->cfg.rlc_mode == RL_RLC_AM ? b->rlc.am.c.reestablishing
					       : b->rlc.um.c.reestablishing;

	pdcp_rx_pdu(&b->pdcp, sdu, re);
}

static void ub_rlc_delivered(void *ctx, uint32_t tag)
{
	struct ue_host_bearer *b = ctx;

	pdcp_tx_delivered_upto(&b->pdcp, tag);
}

static void ub_rlc_max_retx(void *ctx, uint16_t sn)
{
	struct ue_host_bearer *b = ctx;

	(void)sn;
	b->ue->rlf = true;
	b->ue->stats.rlf_rlc++;
}

static struct l2_buf *ub_tx_pdu(void *ctx, uint32_t max)
{
	struct ue_host_bearer *b = ctx;

	return b->cfg.rlc_mode == RL_RLC_AM ? rlc_am_tx_pdu(&b->rlc.am, max)
					    : rlc_um_tx_pdu(&b->rlc.um, max);
}

static uint32_t ub_buffer_bytes(void *ctx)
{
	struct ue_host_bearer *b = ctx;

	return b->cfg.rlc_mode == RL_RLC_AM ? rlc_am_buffer_bytes(&b->rlc.am)
					    : rlc_um_buffer_bytes(&b->rlc.um);
}

static void ue_bearers_release(struct ue_host *u)
{
	unsigned i;

	for (i = 0; i < u->n_bearers; i++) {
		struct ue_host_bearer *b = &u->bearer[i];

		if (b->cfg.rlc_mode == RL_RLC_AM)
			rlc_am_release(&b->rlc.am);
		else
			rlc_um_release(&b->rlc.um);
		pdcp_release(&b->pdcp);
	}
}

static void ue_bearer_keys(struct ue_host *u, struct ue_host_bearer *b);

/* Bearer `i` from its configuration: PDCP, RLC and its logical channel in the MAC. */
static int ue_bearer_setup(struct ue_host *u, unsigned i)
{
	struct ue_host_bearer *b = &u->bearer[i];
	const struct rl_cfg_bearer *c = &b->cfg;
	struct pdcp_config pc = {.rb_id = c->rb_id,
				 .srb = c->srb,
				 .rlc_am = c->rlc_mode == RL_RLC_AM,
				 .sn_bits = c->pdcp_sn_bits,
				 .tx_dir = SEC_DIR_UL,
				 .discard_ms = c->discard_ms,
				 .keep_sdus =
					 u->attach_mode && !c->srb && c->rlc_mode == RL_RLC_AM};
	struct pdcp_ops po = {.ctx = b,
			      .tx_pdu = ub_pdcp_tx,
			      .tx_discard = ub_pdcp_discard,
			      .rx_sdu = ub_pdcp_rx};
	struct rlc_ops ro = {.ctx = b,
			     .rx_sdu = ub_rlc_rx,
			     .tx_delivered = ub_rlc_delivered,
			     .max_retx = ub_rlc_max_retx};
	struct mac_lch lch = {.lcid = c->lcid,
			      .priority = c->priority,
			      .pbr = c->pbr_kbps == 0xffff ? MAC_PBR_INFINITY
							   : (uint32_t)c->pbr_kbps * 125,
			      .bsd_ms = c->bsd_ms,
			      .lcg = c->lcg,
			      .ctx = b,
			      .tx_pdu = ub_tx_pdu,
			      .buffer_bytes = ub_buffer_bytes};
	int err;

	b->ue = u;
	err = pdcp_init(&b->pdcp, &pc, &po, &u->env, &u->pool);
	if (!err && !u->attach_mode)
		err = pdcp_set_security_kenb(&b->pdcp, u->sec.kenb, (enum sec_eea)u->sec.eea,
					     (enum sec_eia)u->sec.eia);
	if (!err && u->attach_mode)
		ue_bearer_keys(u, b);
	if (!err && c->rlc_mode == RL_RLC_AM) {
		struct rlc_am_config rc = {.t_poll_retransmit_ms = c->t_poll_retx_ms,
					   .t_reordering_ms = c->t_reordering_ms,
					   .t_status_prohibit_ms = c->t_status_prohibit_ms,
					   .poll_pdu = c->poll_pdu,
					   .poll_byte = c->poll_byte,
					   .max_retx_threshold = c->max_retx,
					   .max_sdus = 512};

		err = rlc_am_init(&b->rlc.am, &rc, &ro, &u->env, &u->pool);
	} else if (!err) {
		struct rlc_um_config rc = {.sn_bits = c->um_sn_bits,
					   .t_reordering_ms = c->t_reordering_ms,
					   .max_sdus = 512};

		err = rlc_um_init(&b->rlc.um, &rc, &ro, &u->env, &u->pool);
	}
	if (!err)
		err = mac_ue_add_lch(&u->mac, &lch);
	return err;
}

/* The MAC entity and the bearers CONFIG gave (none in attach mode: RRC adds them). */
static int ue_bearers_init(struct ue_host *u)
{
	struct mac_ue_config mc = {.periodic_bsr_ms = u->mac_cfg.periodic_bsr_ms,
				   .retx_bsr_ms = u->mac_cfg.retx_bsr_ms};
	unsigned i;
	int err = mac_ue_init(&u->mac, &mc, &u->env, &u->pool);

	for (i = 0; i < u->n_bearers && !err; i++)
		err = ue_bearer_setup(u, i);
	u->mac.rx_sdu = NULL;
	return err;
}

static struct ue_host_bearer *ue_bearer_lcid(struct ue_host *u, uint8_t lcid)
{
	unsigned i;

	for (i = 0; i < u->n_bearers; i++)
		if (u->bearer[i].cfg.lcid == lcid)
			return &u->bearer[i];
	return NULL;
}

static void ue_mac_rx_sdu(void *ctx, uint8_t lcid, struct l2_buf *sdu)
{
	struct ue_host *u = ctx;
	struct ue_host_bearer *b = ue_bearer_lcid(u, lcid);

	if (lcid == MAC_LCID_CCCH && u->attach_mode) {
		/* DL-CCCH: RRCConnectionSetup and its kin, in Msg4 (TS 36.331 §6.2.1). */
		rrc_ue_rx(&u->l3->rrc, 0, l2_buf_data(sdu), sdu->len);
		l2_buf_free(sdu);
		return;
	}
	if (!b) {
		l2_buf_free(sdu);
		return;
	}
	if (b->cfg.rlc_mode == RL_RLC_AM)
		rlc_am_rx_pdu(&b->rlc.am, sdu);
	else
		rlc_um_rx_pdu(&b->rlc.um, sdu);
}

/* ---------------------------------------------------------------- layer 3 (attach mode) */

#define UE_SI_RNTI 0xffffu
#define UE_PCI	   1 /* the simulator's cell (docs: sim/README.md, attach mode) */
#define UE_EARFCN  3100

/* A bearer's AS keys: integrity only on SRBs until SecurityModeComplete went out. */
static void ue_bearer_keys(struct ue_host *u, struct ue_host_bearer *b)
{
	struct ue_host_l3 *l = u->l3;
	enum sec_eea eea = l->ciphering ? (enum sec_eea)l->keys.eea : SEC_EEA0;

	if (!l->has_keys)
		return;
	if (b->cfg.srb)
		pdcp_set_security(&b->pdcp, eea, l->keys.k_rrc_enc, (enum sec_eia)l->keys.eia,
				  l->keys.k_rrc_int);
	else
		pdcp_set_security(&b->pdcp, eea, l->keys.k_up_enc, SEC_EIA0, NULL);
}

static void l3_all_keys(struct ue_host *u)
{
	unsigned i;

	for (i = 0; i < u->n_bearers; i++)
		ue_bearer_keys(u, &u->bearer[i]);
}

static void at_out(void *ctx, const char *text, size_t len)
{
	struct ue_host *u = ctx;

	if (!len || len > AP_AT_MAX ||
	    !ap_open_msg(u, AP_MSG_AT_RSP, LINK_ITEM_HDR + (uint32_t)len)) {
		u->stats.ap_dl_dropped++;
		return;
	}
	ap_put_at(&u->ap, text, (uint16_t)len);
	u->l3->at_lines++;
}

static void l3_emm_config(struct ue_host *u, struct emm_config *c)
{
	const char *apn = at_apn(&u->l3->at, 1);

	memset(c, 0, sizeof(*c));
	memcpy(c->imsi, u->l3->imsi, sizeof(c->imsi));
	memcpy(c->imeisv, "3534900698733190", 17);
	c->plmn = (struct nas_plmn){1, 1, 2};
	c->ue_net_cap[0] = c->ue_net_cap[1] = 0xe0; /* EEA0-2, EIA0-2 */
	memcpy(c->apn, apn[0] ? apn : "internet", strlen(apn[0] ? apn : "internet") + 1);
}

static int at_cfun(void *ctx, uint8_t fun)
{
	struct ue_host *u = ctx;
	struct ue_host_l3 *l = u->l3;

	if (fun == 1 && !l->powered) {
		l->powered = true;
		l->attaching = false; /* starts once system information is in */
	} else if (fun == 0 && l->powered) {
		/* Switch-off detach (TS 24.301 §5.5.2.2.2): EMM sends DETACH REQUEST and asks
		 * for the release, which waits for the radio to carry it. */
		if (l->attaching)
			emm_detach(&l->emm, true);
		else
			rrc_ue_release_local(&l->rrc);
		l->powered = l->attaching = false;
	}
	return 0;
}

/* +CSQ from the channel the simulator gives this UE: the share of the last 32 DL TBs
 * whose CRC passed, scaled to 0..31 (99 before any TB). */
static void at_status(void *ctx, struct at_status *st)
{
	struct ue_host *u = ctx;
	struct ue_host_l3 *l = u->l3;
	unsigned ok = (unsigned)__builtin_popcount(l->dl_hist), n = l->dl_hist_n;

	st->fun = l->powered;
	st->sim = l->sim;
	st->cereg = l->powered && l->attaching ? (uint8_t)emm_cereg(&l->emm) : 0;
	st->has_addr = l->emm.bearer_active && l->emm.addr_len >= 4;
	memcpy(st->addr, l->emm.addr, 4);
	st->rssi = n ? (uint8_t)(ok * 31 / n) : 99;
	st->ber = 99;
	st->tac = 7;
	st->cell_id = l->rrc.cell_id;
}

/* RRC below EMM. */
static void l3_rrc_send(void *ctx, uint8_t srb, const uint8_t *pdu, size_t len)
{
	struct ue_host *u = ctx;
	struct ue_host_l3 *l = u->l3;
	struct ue_host_bearer *b;
	struct l2_buf *sdu;
	unsigned i;

	if (srb == 0) {
		/* A CCCH message goes in Msg3 of a new random access (TS 36.321 §5.1). */
		if (len > sizeof(l->ccch))
			return;
		memcpy(l->ccch, pdu, len);
		l->ccch_len = (uint8_t)len;
		l->ra_wanted = true;
		if (!u->connected)
			u->ra.state = MAC_RA_IDLE; /* a new random access, whatever the last did */
		return;
	}
	for (i = 0, b = NULL; i < u->n_bearers; i++)
		if (u->bearer[i].cfg.srb && u->bearer[i].cfg.rb_id == srb)
			b = &u->bearer[i];
	if (!b || !(sdu = l2_buf_from(&u->pool, pdu, (uint16_t)len)))
		return;
	pdcp_tx_sdu(&b->pdcp, sdu);
	/* SecurityModeComplete went out integrity protected only; ciphering from now. */
	if (l->cipher_pending) {
		l->cipher_pending = false;
		l->ciphering = true;
		l3_all_keys(u);
	}
}

static void l3_rrc_nas(void *ctx, const uint8_t *pdu, size_t len)
{
	emm_rx(&((struct ue_host *)ctx)->l3->emm, pdu, len);
}

static void l3_rrc_connection(void *ctx, bool up, bool failure)
{
	struct ue_host *u = ctx;
	struct ue_host_l3 *l = u->l3;

	if (up)
		return;
	/* Layer 2 goes at the next subframe (we may be inside one of its entities now). */
	l->teardown = true;
	if (failure)
		emm_lower_layer_failure(&l->emm);
	else
		emm_conn_released(&l->emm);
}

static void l3_rrc_configure(void *ctx, const struct rrc_radio_config *rr)
{
	struct ue_host *u = ctx;
	struct rl_cfg_bearer c[RRC_MAX_SRB + RRC_MAX_DRB];
	unsigned n = 0, i, k;

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
		if (k < u->n_bearers || k == UE_HOST_BEARERS)
			continue; /* there already (its state stays), or no room */
		u->bearer[k].cfg = c[i];
		if (ue_bearer_setup(u, k) == 0)
			u->n_bearers++;
	}
}

/* §5.3.7.5: RLC and PDCP of every bearer re-established (SRB2 and the DRBs would wait for
 * the reconfiguration, §5.3.5.3; this eNB sends it at once). */
static void l3_rrc_reest_l2(void *ctx, bool resume)
{
	struct ue_host *u = ctx;
	unsigned i;

	if (!resume)
		return; /* suspended: nothing is sent until the request went out */
	for (i = 0; i < u->n_bearers; i++) {
		struct ue_host_bearer *b = &u->bearer[i];

		if (b->cfg.rlc_mode == RL_RLC_AM)
			rlc_am_reestablish(&b->rlc.am);
		else
			rlc_um_reestablish(&b->rlc.um);
		pdcp_reestablish(&b->pdcp);
	}
}

/* §5.3.4.3: the SecurityModeCommand (SRB1's last PDU) verified with the new K_RRCint. */
static bool l3_rrc_verify_smc(void *ctx, const struct rrc_as_keys *keys)
{
	struct ue_host *u = ctx;
	unsigned i;

	for (i = 0; i < u->n_bearers; i++)
		if (u->bearer[i].cfg.srb && u->bearer[i].cfg.rb_id == 1)
			return pdcp_verify_last_rx(&u->bearer[i].pdcp, (enum sec_eia)keys->eia,
						   keys->k_rrc_int) == 0;
	return false;
}

static void l3_rrc_security(void *ctx, const struct rrc_as_keys *keys)
{
	struct ue_host *u = ctx;
	struct ue_host_l3 *l = u->l3;

	l->keys = *keys;
	l->has_keys = true;
	/* SMC (§5.3.4.3): integrity now, ciphering after SecurityModeComplete. Re-establishment
	 * (§5.3.7.5): both at once with the new keys. */
	if (l->ciphering)
		l->cipher_pending = false;
	else
		l->cipher_pending = true;
	l3_all_keys(u);
}

/* EMM over RRC, the USIM beside it. */
static void l3_emm_send(void *ctx, const uint8_t *pdu, size_t len, bool initial)
{
	(void)initial;
	rrc_ue_nas(&((struct ue_host *)ctx)->l3->rrc, pdu, len, 3 /* mo-Signalling */);
}

static int l3_emm_auth(void *ctx, const uint8_t rand[16], const uint8_t autn[16],
		       struct usim_auth_result *out)
{
	return usim_authenticate(&((struct ue_host *)ctx)->l3->usim, rand, autn, out);
}

static void l3_emm_kenb(void *ctx, const uint8_t kenb[32])
{
	rrc_ue_set_kenb(&((struct ue_host *)ctx)->l3->rrc, kenb);
}

/* EMM leaves the connection (switch-off, failures): after what it just sent had time to
 * go out (RLC has no "sent" signal for the last SDU here; 40 subframes is plenty). */
static void l3_emm_release(void *ctx)
{
	struct ue_host *u = ctx;

	u->l3->release_due = true;
	u->l3->release_at = u->now + 40;
}

static void l3_emm_event(void *ctx, enum emm_event ev, int arg)
{
	struct ue_host *u = ctx;
	struct ue_host_l3 *l = u->l3;

	(void)arg;
	if (ev == EMM_EV_REGISTERED && l->emm.has_guti)
		rrc_ue_set_s_tmsi(&l->rrc, true, l->emm.guti.guti.mmec, l->emm.guti.guti.m_tmsi);
}

static void l3_srb_rx(struct ue_host *u, uint8_t srb, const uint8_t *pdu, uint16_t len)
{
	rrc_ue_rx(&u->l3->rrc, srb, pdu, len);
}

static int l3_init(struct ue_host *u)
{
	static const struct at_ops aops = {.line = at_out, .cfun = at_cfun, .status = at_status};
	struct rrc_ue_ops rops = {.ctx = u,
				  .send = l3_rrc_send,
				  .nas = l3_rrc_nas,
				  .connection = l3_rrc_connection,
				  .configure = l3_rrc_configure,
				  .security = l3_rrc_security,
				  .verify_smc = l3_rrc_verify_smc,
				  .reestablish_l2 = l3_rrc_reest_l2};
	struct at_ops ao = aops;
	struct rrc_ue_eutra_cap cap;

	u->l3 = calloc(1, sizeof(*u->l3));
	if (!u->l3)
		return L2_ENOMEM;
	memset(&cap, 0, sizeof(cap));
	cap.category = 4;
	cap.n_bands = 1;
	cap.band[0] = 7;
	rrc_ue_init(&u->l3->rrc, &cap, &rops, &u->env);
	ao.ctx = u;
	at_init(&u->l3->at, &ao, "l4e host UE model");
	return 0;
}

/* The connection is over: every bearer and the MAC's state go (TS 36.331 §5.3.12). */
static void l3_teardown(struct ue_host *u)
{
	struct ue_host_l3 *l = u->l3;

	l->teardown = false;
	ue_bearers_release(u);
	u->n_bearers = 0;
	ue_bearers_init(u);
	u->mac.rx_sdu = ue_mac_rx_sdu;
	u->mac.rx_ctx = u;
	memset(&u->harq_dl, 0, sizeof(u->harq_dl));
	mac_harq_ul_release(&u->harq_ul);
	mac_harq_ul_init(&u->harq_ul, u->mac_cfg.max_harq_tx);
	u->connected = false;
	u->c_rnti = 0;
	u->sr_count = 0;
	u->ra.state = MAC_RA_IDLE;
	l->ra_wanted = false;
	l->has_keys = l->cipher_pending = l->ciphering = false;
	memset(&l->keys, 0, sizeof(l->keys));
}

/* A SIM inserted: the USIM takes K and OPc, the IMSI is for EMM. */
static void l3_sim(struct ue_host *u, const struct ap_sim *sim)
{
	struct ue_host_l3 *l = u->l3;

	usim_init(&l->usim, sim->k, sim->opc);
	usim_set_sqn(&l->usim, sim->sqn);
	memcpy(l->imsi, sim->imsi, sizeof(l->imsi));
	l->imsi[15] = 0;
	l->sim = true;
}

/* Per subframe, before the DL message: timers, the attach once the cell is known. */
static void l3_subframe_begin(struct ue_host *u)
{
	struct ue_host_l3 *l = u->l3;

	if (l->release_due && (int32_t)(u->now - l->release_at) >= 0) {
		l->release_due = false;
		rrc_ue_release_local(&l->rrc);
	}
	if (l->teardown)
		l3_teardown(u);
	rrc_ue_tick(&l->rrc);
	if (l->rrc.state == RRC_UE_REESTABLISHING && l->rrc.t311.running && l->cell_found)
		rrc_ue_cell_selected(&l->rrc);
	if (l->powered && l->attaching)
		emm_tick(&l->emm);
	if (l->powered && !l->attaching && l->rrc.has_sib1 && l->rrc.has_sib2) {
		struct emm_config c;
		struct emm_ops eo = {.ctx = u,
				     .send = l3_emm_send,
				     .authenticate = l3_emm_auth,
				     .kenb = l3_emm_kenb,
				     .release = l3_emm_release,
				     .event = l3_emm_event};

		l3_emm_config(u, &c);
		if (emm_init(&l->emm, &c, &eo, &u->env) == 0 && emm_attach(&l->emm) == 0)
			l->attaching = true;
	}
	if (l->teardown)
		l3_teardown(u);
}

/* ---------------------------------------------------------------- random access */

static void ue_phy_preamble(void *ctx, uint8_t preamble, uint16_t ra_rnti, int16_t dbm)
{
	struct ue_host *u = ctx;

	(void)dbm;
	u->prach_due = true;
	u->prach = (struct rl_prach){.preamble = preamble, .ra_rnti = ra_rnti};
}

static void ue_phy_msg3(void *ctx, uint32_t grant, uint16_t tc_rnti, const uint8_t *pdu,
			uint32_t len)
{
	struct ue_host *u = ctx;

	(void)grant, (void)tc_rnti, (void)pdu, (void)len;
	/* Sent on the RL_ITEM_UL_GRANT for the TC-RNTI that follows the RAR. */
	u->msg3_due = true;
}

/*
 * An RRCConnectionRequest (TS 36.331 §6.2.1) in UPER: UL-CCCH c1, rrcConnectionRequest,
 * r8, ue-Identity randomValue (40 bits), establishmentCause mo-Data, spare: 48 bits whose
 * random part makes the contention resolution identity (TS 36.321 §6.1.3.4).
 */
static void ue_make_ccch(struct ue_host *u)
{
	uint64_t v = rng_next(&u->rng) & 0xffffffffffull, bits;
	unsigned i;

	bits = (uint64_t)0x1 << 46 | (uint64_t)0x1 << 44 | v << 4 | (uint64_t)4 << 1;
	for (i = 0; i < 6; i++)
		u->ccch[i] = (uint8_t)(bits >> (40 - 8 * i));
}

/* A new connection: MAC reset (TS 36.321 §5.9), then contention-based RA with a CCCH SDU. */
static void ue_start_ra(struct ue_host *u)
{
	struct mac_ra_config rc = {.num_preambles = u->mac_cfg.num_preambles,
				   .preamble_trans_max = u->mac_cfg.preamble_trans_max,
				   .rar_window = u->mac_cfg.rar_window,
				   .cr_timer = u->mac_cfg.cr_timer,
				   .initial_power_dbm = -104,
				   .power_ramping_db = 2};
	struct mac_phy_ops phy = {
		.ctx = u, .send_preamble = ue_phy_preamble, .send_msg3 = ue_phy_msg3};

	memset(&u->harq_dl, 0, sizeof(u->harq_dl));
	mac_harq_ul_release(&u->harq_ul);
	mac_harq_ul_init(&u->harq_ul, u->mac_cfg.max_harq_tx);
	u->connected = false;
	u->c_rnti = 0;
	u->msg3_due = false;
	u->sr_count = 0;
	if (u->attach_mode) {
		/* RRC's CCCH message: its first 48 bits are the contention resolution identity. */
		memcpy(u->ccch, u->l3->ccch, sizeof(u->ccch));
		u->ccch_len = u->l3->ccch_len;
	} else {
		ue_make_ccch(u);
		u->ccch_len = 6; /* RRCConnectionRequest: 48 bits */
	}
	if (mac_ra_init(&u->ra, &rc, &phy, &u->env) == 0 &&
	    mac_ra_start(&u->ra, u->ccch, u->ccch_len, 0) == 0)
		u->stats.ra_started++;
}

/* Radio link failure (TS 36.331 §5.3.11): the bearers start over, and so does the
 * connection (re-establishment by random access). */
static void ue_radio_link_failure(struct ue_host *u)
{
	u->stats.rlf++;
	u->rlf = false;
	if (u->attach_mode) {
		/* RRC decides (§5.3.11): re-establishment with security on, else idle. */
		rrc_ue_radio_link_failure(&u->l3->rrc);
		if (u->l3->rrc.state == RRC_UE_REESTABLISHING) {
			/* T311 runs: the cell is selected once a DL TB passes the CRC check. */
			u->connected = false;
			u->l3->cell_found = false;
		}
		return;
	}
	ue_bearers_release(u);
	ue_bearers_init(u);
	u->mac.rx_sdu = ue_mac_rx_sdu;
	u->mac.rx_ctx = u;
	ue_start_ra(u);
}

/* ---------------------------------------------------------------- messages in */

static void radio_answer_idle(struct ue_host *u, uint32_t subframe)
{
	struct link_writer w;
	struct rl_idle idle;

	ap_flush(u);
	link_writer_init(&w, u->radio_out, sizeof(u->radio_out), RL_MAGIC, RL_MSG_IDLE,
			 u->tx_seq[0], subframe);
	idle = (struct rl_idle){.rx_msgs = u->rx_msgs, .ap_tx = u->ap_tx};
	rl_put_idle(&w, &idle);
	u->radio_len = link_finish(&w);
	u->tx_seq[0]++;
}

static void ue_config(struct ue_host *u, const struct link_msg *m)
{
	struct link_item it;
	uint32_t pos = 0;

	if (u->configured) {
		u->stats.rx_refused++;
		return;
	}
	u->n_bearers = 0;
	u->attach_mode = true; /* until a bearer says the simulator configures them */
	while (link_next(m, &pos, &it)) {
		if (it.type == RL_ITEM_CFG_MAC)
			rl_get_cfg_mac(&it, &u->mac_cfg);
		else if (it.type == RL_ITEM_CFG_SECURITY)
			rl_get_cfg_security(&it, &u->sec);
		else if (it.type == RL_ITEM_CFG_BEARER && u->n_bearers < UE_HOST_BEARERS) {
			rl_get_cfg_bearer(&it, &u->bearer[u->n_bearers++].cfg);
			u->attach_mode = false;
		}
	}
	if (u->attach_mode && !u->l3 && l3_init(u) < 0) {
		u->stats.rx_refused++;
		return;
	}
	if (ue_bearers_init(u) < 0) {
		u->stats.rx_refused++;
		return;
	}
	u->mac.rx_sdu = ue_mac_rx_sdu;
	u->mac.rx_ctx = u;
	u->configured = true;
}

static void ue_ap_data(struct ue_host *u, const struct link_msg *m)
{
	struct link_item it;
	uint32_t pos = 0;

	while (link_next(m, &pos, &it)) {
		const uint8_t *pkt;
		uint16_t len;
		uint8_t rb;
		unsigned i;
		bool sent = false;

		if (ap_get_ip(&it, &rb, &pkt, &len) < 0)
			continue;
		for (i = 0; i < u->n_bearers && !sent; i++) {
			struct ue_host_bearer *b = &u->bearer[i];
			struct l2_buf *sdu;

			if (b->cfg.srb || b->cfg.rb_id != rb)
				continue;
			sent = true;
			sdu = l2_buf_from(&u->pool, pkt, len);
			if (!sdu || pdcp_tx_sdu(&b->pdcp, sdu) < 0)
				u->stats.ap_ul_refused++;
			else
				u->stats.ap_ul_pkts++;
		}
		if (!sent)
			u->stats.ap_ul_refused++;
	}
}

static void ue_ap_at(struct ue_host *u, const struct link_msg *m)
{
	struct link_item it;
	uint32_t pos = 0;
	const char *text;
	uint16_t len;

	if (link_next(m, &pos, &it) && ap_get_at(&it, &text, &len) == 0)
		at_command(&u->l3->at, text, len);
}

static void ue_ap_sim(struct ue_host *u, const struct link_msg *m)
{
	struct link_item it;
	uint32_t pos = 0;
	struct ap_sim sim;

	if (link_next(m, &pos, &it) && ap_get_sim(&it, &sim) == 0)
		l3_sim(u, &sim);
}

static void ue_ticks(struct ue_host *u)
{
	unsigned i;

	for (i = 0; i < u->n_bearers; i++) {
		struct ue_host_bearer *b = &u->bearer[i];

		if (b->cfg.rlc_mode == RL_RLC_AM)
			rlc_am_tick(&b->rlc.am);
		else
			rlc_um_tick(&b->rlc.um);
		pdcp_tick(&b->pdcp);
	}
}

/* An UL grant for our RNTI: the TB for it (new data on a toggled NDI, else the stored one). */
static void ue_grant(struct ue_host *u, const struct rl_ul_grant *g, struct link_writer *w)
{
	struct mac_harq_ul *h = &u->harq_ul;
	struct l2_buf *tb = NULL, *send;
	struct rl_ul_tb ul;
	bool msg3 = !u->connected;

	if (g->harq_pid >= MAC_HARQ_PROCS || g->tbs > LINK_MAX_TBS)
		return;
	if (h->p[g->harq_pid].ndi != g->ndi || !h->p[g->harq_pid].tb) {
		if (msg3 && !u->msg3_due)
			return;
		tb = l2_buf_alloc(&u->tb_pool);
		if (!tb || !l2_buf_put(tb, g->tbs)) {
			l2_buf_free(tb);
			return;
		}
		if (msg3) {
			struct mac_pdu_writer pw;

			/* Msg3: the CCCH SDU in a TB of the granted size (§5.1.4). */
			mac_pdu_init(&pw, g->tbs, MAC_UL);
			mac_pdu_add(&pw, MAC_LCID_CCCH, u->ccch, u->ccch_len);
			mac_pdu_finish(&pw, l2_buf_data(tb));
			u->msg3_due = false;
		} else {
			mac_ue_ul_tb(&u->mac, g->tbs, l2_buf_data(tb));
		}
	} else {
		u->stats.ul_retx++;
	}
	send = mac_harq_ul_grant(h, g->harq_pid, g->ndi, tb);
	if (!send || send->len != g->tbs)
		return;
	ul = (struct rl_ul_tb){
		.rnti = g->rnti, .harq_pid = g->harq_pid, .tbs = g->tbs, .tb = l2_buf_data(send)};
	rl_put_ul_tb(w, &ul);
	u->stats.ul_tbs++;
}

/* A DL TB addressed to us: HARQ (ACK/NACK in this subframe's UL), then RA or demultiplexing. */
static void ue_dl_tb(struct ue_host *u, const struct rl_dl_tb *tb, struct link_writer *w)
{
	struct rl_harq_ack ack = {.harq_pid = tb->harq_pid};
	bool deliver;

	u->stats.dl_tbs++;
	u->stats.dl_crc_fail += !tb->crc_ok;
	if (u->attach_mode) {
		u->l3->cell_found |= tb->crc_ok;
		u->l3->dl_hist = u->l3->dl_hist << 1 | tb->crc_ok;
		u->l3->dl_hist_n += u->l3->dl_hist_n < 32;
		if (tb->rnti == UE_SI_RNTI) {
			/* BCCH on DL-SCH: transparent MAC, no HARQ feedback (TS 36.321 §5.3.1). */
			if (tb->crc_ok && !u->connected)
				rrc_ue_rx_bcch(&u->l3->rrc, RRC_BCCH_DL_SCH, tb->tb, tb->tbs,
					       UE_PCI, UE_EARFCN);
			return;
		}
	}
	if (u->ra.state == MAC_RA_WAIT_RAR && tb->rnti == u->ra.ra_rnti) {
		/* No HARQ on the RA-RNTI: a RAR lost to the channel is just not seen. */
		if (tb->crc_ok)
			mac_ra_rx_rar(&u->ra, tb->rnti, tb->tb, tb->tbs);
		return;
	}
	if (!(u->connected && tb->rnti == u->c_rnti) &&
	    !(u->ra.state == MAC_RA_WAIT_CR && tb->rnti == u->ra.tc_rnti))
		return;
	ack.ack = mac_harq_dl_rx(&u->harq_dl, tb->harq_pid, tb->ndi, tb->crc_ok, &deliver);
	u->stats.dl_dup += ack.ack && !deliver;
	if (deliver && !u->connected) {
		/* §5.1.5: Msg4; feedback only when the identity is ours. */
		if (mac_ra_rx_msg4(&u->ra, tb->rnti, tb->tb, tb->tbs) != 0)
			return;
		u->connected = true;
		u->c_rnti = u->ra.c_rnti;
		u->stats.connections++;
		if (u->attach_mode) {
			u->l3->ra_wanted = false;
			if (u->l3->rrc.state == RRC_UE_CONNECTING)
				rrc_ue_set_c_rnti(&u->l3->rrc, u->c_rnti);
		}
	}
	if (deliver)
		mac_ue_dl_tb(&u->mac, tb->tb, tb->tbs);
	/* After RRCConnectionReestablishment (in that Msg4) the new C-RNTI is the one a
	 * later re-establishment names. */
	if (deliver && u->attach_mode && u->connected && u->l3->rrc.state == RRC_UE_CONNECTED)
		rrc_ue_set_c_rnti(&u->l3->rrc, u->c_rnti);
	rl_put_harq_ack(w, &ack);
}

static void ue_subframe(struct ue_host *u, const struct link_msg *m)
{
	struct link_writer w;
	struct link_item it;
	struct rl_done done;
	uint32_t pos = 0;
	bool granted = false;
	uint8_t nacked, granted_pids;
	unsigned pid;

	u->now = m->subframe;
	if (u->attach_mode)
		l3_subframe_begin(u);
	if (u->rlf)
		ue_radio_link_failure(u);
	ue_ticks(u);
	if (u->connected) {
		mac_ue_tti(&u->mac, 1);
	} else if (u->attach_mode && !u->l3->ra_wanted) {
		/* Idle: random access only when RRC has something for the CCCH. */
	} else if (u->ra.state == MAC_RA_IDLE || u->ra.state == MAC_RA_FAILED) {
		u->stats.ra_failed += u->ra.state == MAC_RA_FAILED;
		ue_start_ra(u);
	} else {
		mac_ra_tick(&u->ra);
	}
	link_writer_init(&w, u->radio_out, sizeof(u->radio_out), RL_MAGIC, RL_MSG_UL, u->tx_seq[0],
			 m->subframe);
	nacked = granted_pids = 0;
	while (link_next(m, &pos, &it)) {
		struct rl_dl_tb tb;
		struct rl_ul_grant g;
		struct rl_phich ph;

		if (it.type == RL_ITEM_DL_TB && rl_get_dl_tb(&it, &tb) == 0) {
			ue_dl_tb(u, &tb, &w);
		} else if (it.type == RL_ITEM_UL_GRANT && rl_get_ul_grant(&it, &g) == 0) {
			if ((u->connected && g.rnti == u->c_rnti) ||
			    (!u->connected && u->ra.state == MAC_RA_WAIT_CR &&
			     g.rnti == u->ra.tc_rnti)) {
				ue_grant(u, &g, &w);
				granted = true;
				granted_pids |= (uint8_t)(1u << g.harq_pid);
			}
		} else if (it.type == RL_ITEM_PHICH && rl_get_phich(&it, &ph) == 0) {
			mac_harq_ul_feedback(&u->harq_ul, ph.harq_pid, ph.ack);
			if (!ph.ack)
				nacked |= (uint8_t)(1u << ph.harq_pid);
		}
	}
	/* docs/radio-link.md §6.6: a PHICH NACK without a grant for its process asks for a
	 * non-adaptive retransmission, now (TS 36.321 §5.4.2.2). */
	for (pid = 0; pid < MAC_HARQ_PROCS; pid++) {
		struct l2_buf *tb;
		struct rl_ul_tb ul;

		if (!((nacked & ~granted_pids) >> pid & 1) ||
		    !(tb = mac_harq_ul_tti(&u->harq_ul, (uint8_t)pid)))
			continue;
		ul = (struct rl_ul_tb){.rnti = u->connected ? u->c_rnti : u->ra.tc_rnti,
				       .harq_pid = (uint8_t)pid,
				       .tbs = tb->len,
				       .tb = l2_buf_data(tb)};
		rl_put_ul_tb(&w, &ul);
		u->stats.ul_retx++;
	}
	/* §5.4.4: an SR while a regular BSR waits for a grant; too many, and the link failed. */
	if (u->connected && granted)
		u->sr_count = 0;
	if (u->connected && u->mac.sr_pending && !granted) {
		rl_put_sr(&w);
		u->stats.sr++;
		if (++u->sr_count >= u->cfg.dsr_trans_max) {
			u->rlf = true;
			u->stats.rlf_sr++;
		}
	}
	if (u->prach_due) {
		rl_put_prach(&w, &u->prach);
		u->prach_due = false;
	}
	if (u->attach_mode)
		at_cereg_update(&u->l3->at);
	ap_flush(u);
	done = (struct rl_done){.subframe = m->subframe,
				.wake_at = m->subframe + 1,
				.ap_tx = u->ap_tx,
				.cycles = 0};
	rl_put_done(&w, &done);
	u->radio_len = link_finish(&w);
	u->tx_seq[0]++;
}

void ue_host_rx(struct ue_host *u, bool host, const uint8_t *msg, uint32_t len)
{
	struct link_msg m;
	int ok = link_parse(msg, len, &m);

	u->rx_msgs++;
	if (ok < 0 || m.magic != (host ? AP_MAGIC : RL_MAGIC) || m.seq != u->rx_seq[host] ||
	    u->done) {
		u->stats.rx_refused++;
		radio_answer_idle(u, ok < 0 ? u->now : m.subframe);
		return;
	}
	u->rx_seq[host]++;
	if (host) {
		u->now = m.subframe;
		if (u->configured && m.type == AP_MSG_DATA_UL)
			ue_ap_data(u, &m);
		else if (u->configured && u->attach_mode && m.type == AP_MSG_AT_CMD)
			ue_ap_at(u, &m);
		else if (u->configured && u->attach_mode && m.type == AP_MSG_SIM)
			ue_ap_sim(u, &m);
		else
			u->stats.rx_refused++;
		radio_answer_idle(u, m.subframe);
		return;
	}
	switch (m.type) {
	case RL_MSG_CONFIG:
		ue_config(u, &m);
		break;
	case RL_MSG_DL:
		if (u->configured) {
			ue_subframe(u, &m);
			return;
		}
		u->stats.rx_refused++;
		break;
	case RL_MSG_END:
		u->done = true;
		break;
	default:
		u->stats.rx_refused++;
		break;
	}
	radio_answer_idle(u, m.subframe);
}

int ue_host_tx(struct ue_host *u, bool host, uint8_t *buf, uint32_t cap)
{
	int len;

	if (!host) {
		len = u->radio_len;
		if (len <= 0 || (uint32_t)len > cap)
			return 0;
		memcpy(buf, u->radio_out, (size_t)len);
		u->radio_len = 0;
		return len;
	}
	if (!u->host_n)
		return 0;
	len = u->host_len[u->host_head];
	if ((uint32_t)len > cap)
		return 0;
	memcpy(buf, u->host_out[u->host_head], (size_t)len);
	u->host_head = (u->host_head + 1) % UE_HOST_OUTQ;
	u->host_n--;
	return len;
}

int ue_host_init(struct ue_host *u, const struct ue_host_config *cfg)
{
	struct link_writer w;
	struct rl_hello hello;

	memset(u, 0, sizeof(*u));
	u->cfg = *cfg;
	if (!u->cfg.max_tbs || u->cfg.max_tbs > LINK_MAX_TBS)
		u->cfg.max_tbs = LINK_MAX_TBS;
	if (!u->cfg.dsr_trans_max)
		u->cfg.dsr_trans_max = 64;
	u->env = (struct l2_env){.ctx = u, .now_ms = ue_clock, .random = ue_random};
	rng_seed(&u->rng, cfg->seed, 0x0e000000ull + cfg->idx);
	u->descs = calloc(UE_HOST_BUFS, sizeof(*u->descs));
	u->storage = malloc((size_t)UE_HOST_BUFS * UE_HOST_BUF_SIZE);
	u->tb_storage = malloc((size_t)(MAC_HARQ_PROCS + 2) * LINK_MAX_TBS);
	u->host_out = malloc(sizeof(*u->host_out) * UE_HOST_OUTQ);
	if (!u->descs || !u->storage || !u->tb_storage || !u->host_out) {
		ue_host_free(u);
		return L2_ENOMEM;
	}
	l2_pool_init(&u->pool, u->descs, UE_HOST_BUFS, u->storage, UE_HOST_BUF_SIZE, 96);
	l2_pool_init(&u->tb_pool, u->tb_descs, MAC_HARQ_PROCS + 2, u->tb_storage, LINK_MAX_TBS, 0);
	mac_harq_ul_init(&u->harq_ul, 4);
	link_writer_init(&w, u->radio_out, sizeof(u->radio_out), RL_MAGIC, RL_MSG_HELLO, 0, 0);
	hello = (struct rl_hello){.fw_version = 0x484f5354 /* "HOST" */, .max_tbs = u->cfg.max_tbs};
	rl_put_hello(&w, &hello);
	u->radio_len = link_finish(&w);
	u->tx_seq[0] = 1;
	return 0;
}

void ue_host_free(struct ue_host *u)
{
	if (u->storage) {
		if (u->configured)
			ue_bearers_release(u);
		mac_harq_ul_release(&u->harq_ul);
	}
	if (u->l3)
		usim_wipe(&u->l3->usim);
	free(u->l3);
	u->l3 = NULL;
	free(u->descs);
	free(u->storage);
	free(u->tb_storage);
	free(u->host_out);
	u->descs = NULL;
	u->storage = u->tb_storage = NULL;
	u->host_out = NULL;
}
