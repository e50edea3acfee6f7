/* SPDX-License-Identifier: BSD-2-Clause */
/* The RRC task: configured mode (the simulator's CONFIG, radio-link failure recovery) here, attach mode in attach.c. */
#include "l4e.h"
#include "drx.h"
#include "mac.h"
#include "pdcp.h"
#include "rlc.h"
#include "rrc.h"
#include "rrc_task.h"
#include "sys_rrc.h"

#include <l2/env.h>
#include <l2/link.h>
#include <l4e/log.h>
#include <l4e/pool.h>
#include <l4e/task.h>
#include <string.h>

/*
 * Configured mode: the radio link's CONFIG message carries what RRCConnectionSetup and
 * Reconfiguration would (TS 36.331 §5.3.3, §5.3.5): MAC-MainConfig, the bearers' RLC,
 * PDCP and logical channel configurations, and K_eNB with the algorithms. A CONFIG with
 * the MAC's configuration only is attach mode: RRC runs over SRB1 (attach.c).
 */
#define POOL	((void *)SYS_POOL_FRAMES_ADDR)
#define BEARERS RLC_LCH_MAX

static const struct l4e_pool ind_pools[] = SYS_SERVER_POOLS_RRC_IND;
static uint32_t srb_sdus, refused, rlf, ra_failed;
static uint16_t crnti;

/*
 * What CONFIG gave, for a new connection after a radio link failure: the bearers are set
 * up afresh from it, as the cell does on its side (a new connection, not a
 * re-establishment: this stand-in has no RRC signalling to re-establish with).
 */
static struct rl_cfg_bearer bearer[BEARERS];
static unsigned n_bearers;
static struct rl_cfg_security sec;
static bool have_sec, connecting, failed;
static uint32_t ccch_lo;
static uint16_t ccch_hi;

static void log_value(const char *what, uint32_t v)
{
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, what, v, true);
}

/*
 * One bearer in RLC, PDCP and (with_mac) the MAC. `attach`: an AM data bearer keeps its
 * SDUs in PDCP until RLC reports them delivered, so a re-establishment loses none.
 */
int rrc_bearer_setup(const struct rl_cfg_bearer *b, bool with_mac, bool attach)
{
	bool keep = attach && !b->srb && b->rlc_mode == RL_RLC_AM;
	struct rlc_bearer_config rc = {.lcid = b->lcid,
				       .m = b->rlc_mode == RL_RLC_AM ? RLC_MODE_AM : RLC_MODE_UM,
				       .um_sn_bits = b->um_sn_bits,
				       .t_poll_retx_ms = b->t_poll_retx_ms,
				       .t_reordering_ms = b->t_reordering_ms,
				       .t_status_prohibit_ms = b->t_status_prohibit_ms,
				       .poll_pdu = b->poll_pdu,
				       .poll_byte = b->poll_byte,
				       .max_retx = b->max_retx,
				       .report_delivery = keep};
	struct pdcp_bearer_config pc = {.rb_id = b->rb_id,
					.lcid = b->lcid,
					.srb = b->srb,
					.rlc_am = b->rlc_mode == RL_RLC_AM,
					.sn_bits = b->pdcp_sn_bits,
					.discard_ms = b->discard_ms,
					.keep_sdus = keep};
	struct mac_channel mc = {.lcid = b->lcid,
				 .priority = b->priority,
				 .pbr_kbps = b->pbr_kbps,
				 .bsd_ms = b->bsd_ms,
				 .lcg = b->lcg};
	int err;

	if (b->rlc_mode == RL_RLC_TM)
		return L2_EINVAL;
	err = rlc_data_configure(SYS_CAP_USES_RLC_DATA, &rc);
	if (!err)
		err = pdcp_data_configure(SYS_CAP_USES_PDCP_DATA, &pc);
	if (!err && with_mac)
		err = mac_ctrl_add_lch(SYS_CAP_USES_MAC_CTRL, &mc);
	return err;
}

/*
 * RRCConnectionRequest (TS 36.331 §6.2.2) in UPER: UL-CCCH c1, rrcConnectionRequest,
 * -r8, ue-Identity randomValue (40 bits), establishmentCause mo-Data (4), spare: 48 bits.
 */
static void connection_request(uint16_t ue_id, uint32_t *lo, uint16_t *hi)
{
	uint64_t random = 0x5a5a000000ull ^ ((uint64_t)ue_id * 0x9e3779b1ull), bits;

	bits = (0x5ull << 44) | ((random & 0xffffffffffull) << 4) | 0x8u;
	*lo = (uint32_t)(bits >> 16);
	*hi = (uint16_t)bits;
}

/* DRX-Config (RL_ITEM_CFG_DRX, optional) to the MAC's connected-mode DRX; the paging DRX
 * (RL_ITEM_CFG_PAGING, optional) makes the UE start idle and connect when paged. */
static int apply_drx(const struct link_msg *m)
{
	struct link_item it;
	struct rl_cfg_drx d;
	uint32_t pos = 0;
	int err = 0;

	while (link_next(m, &pos, &it) == 1)
		if (it.type == RL_ITEM_CFG_DRX && !err) {
			struct drx_config c;

			if (rl_get_cfg_drx(&it, &d) != 0)
				return L2_EPROTO;
			c = (struct drx_config){.on_duration = d.on_duration,
						.inactivity = d.inactivity,
						.long_cycle = d.long_cycle,
						.start_offset = d.start_offset,
						.short_cycle = d.short_cycle,
						.short_cycle_timer = d.short_cycle_timer,
						.retx = d.retx};
			err = drx_ctrl_configure(SYS_CAP_USES_DRX_CTRL, 1, &c);
		} else if (it.type == RL_ITEM_CFG_PAGING && !err) {
			struct rl_cfg_paging pg;
			struct drx_paging dp;

			if (rl_get_cfg_paging(&it, &pg) != 0)
				return L2_EPROTO;
			dp = (struct drx_paging){.t = pg.t,
						 .nb = pg.nb,
						 .ue_id = pg.ue_id,
						 .mmec = pg.mmec,
						 .m_tmsi = pg.m_tmsi};
			err = drx_ctrl_paging(SYS_CAP_USES_DRX_CTRL, &dp);
		}
	return err;
}

static int apply(const struct link_msg *m)
{
	struct rl_cfg_mac cm = {0};
	struct link_item it;
	uint32_t pos = 0, lo;
	uint16_t hi;
	bool have_mac = false;
	int err = 0;

	while (link_next(m, &pos, &it) == 1)
		if (it.type == RL_ITEM_CFG_MAC)
			have_mac = rl_get_cfg_mac(&it, &cm) == 0;
	if (!have_mac)
		return L2_EPROTO;
	{
		struct mac_main_config mc = {.periodic_bsr_ms = cm.periodic_bsr_ms,
					     .retx_bsr_ms = cm.retx_bsr_ms,
					     .max_harq_tx = cm.max_harq_tx,
					     .preamble_trans_max = cm.preamble_trans_max,
					     .rar_window = cm.rar_window,
					     .cr_timer = cm.cr_timer,
					     .num_preambles = cm.num_preambles};

		err = mac_ctrl_configure(SYS_CAP_USES_MAC_CTRL, &mc);
	}
	pos = 0;
	while (!err && link_next(m, &pos, &it) == 1) {
		struct rl_cfg_bearer b;

		if (it.type == RL_ITEM_CFG_BEARER) {
			err = rl_get_cfg_bearer(&it, &b) ? L2_EPROTO
							 : rrc_bearer_setup(&b, true, false);
			if (!err && n_bearers < BEARERS)
				bearer[n_bearers++] = b;
		} else if (it.type == RL_ITEM_CFG_SECURITY) {
			have_sec = rl_get_cfg_security(&it, &sec) == 0;
		}
	}
	if (!err && have_sec)
		err = pdcp_data_security(SYS_CAP_USES_PDCP_DATA, sec.eea, sec.eia, sec.kenb);
	if (!err)
		err = apply_drx(m);
	if (err)
		return err;
	if (!n_bearers) {
		int terr = l4e_timer_arm(SYS_CAP_USES_L4E_TIMER, 0, RRC_TICK_MS * 1000, true);

		if (terr)
			l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_WARN, "rrc: no timer, error",
				(uint32_t)terr, L4E_LOG_SIGNED);
		rrc_attach_start();
		return 0;
	}
	log_value("rrc: configured, UE", cm.ue_id);
	connection_request(cm.ue_id, &lo, &hi);
	ccch_lo = lo;
	ccch_hi = hi;
	connecting = true;
	return mac_ctrl_connect(SYS_CAP_USES_MAC_CTRL, lo, hi);
}

/*
 * Radio link failure (TS 36.331 §5.3.11.3) in configured mode, as the cell sees it too: MAC
 * reset (§5.3.12), every bearer released and set up afresh from CONFIG (RLC and PDCP
 * start over, what was in flight is lost), security again, and a new random access.
 */
static void link_failed(enum rrc_rlf_cause cause, uint8_t lcid)
{
	unsigned i;
	int err;

	if (connecting || failed)
		return; /* already starting over: a late report of the same failure */
	rlf++;
	failed = true;
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_WARN, "rrc: radio link failure, cause",
		(uint32_t)cause, true);
	(void)lcid;
	err = mac_ctrl_reset(SYS_CAP_USES_MAC_CTRL);
	for (i = 0; !err && i < n_bearers; i++) {
		err = rlc_data_release(SYS_CAP_USES_RLC_DATA, bearer[i].lcid);
		if (!err)
			err = pdcp_data_release(SYS_CAP_USES_PDCP_DATA, bearer[i].lcid);
		if (!err)
			err = rrc_bearer_setup(&bearer[i], false, false);
	}
	if (!err && have_sec)
		err = pdcp_data_security(SYS_CAP_USES_PDCP_DATA, sec.eea, sec.eia, sec.kenb);
	if (!err)
		err = mac_ctrl_connect(SYS_CAP_USES_MAC_CTRL, ccch_lo, ccch_hi);
	if (err) {
		l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_ERROR,
			"rrc: recovery from radio link failure failed, error", (uint32_t)err,
			L4E_LOG_SIGNED); /* docs/errors.md */
		return;
	}
	failed = false;
	connecting = true;
}

static int op_config(void *ctx, l4_word_t badge, const struct l4e_buffer *msg)
{
	struct link_msg m;
	int err;

	(void)ctx, (void)badge;
	if (link_parse(l4e_pool_ptr(POOL, msg), msg->length, &m) != 0 || m.type != RL_MSG_CONFIG)
		err = L2_EPROTO;
	else
		err = apply(&m);
	if (err) {
		refused++;
		l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO,
			"rrc: configuration refused, error", (uint32_t)err,
			L4E_LOG_SIGNED); /* docs/errors.md */
	}
	l4e_pool_free(POOL, msg);
	return 0;
}

static int op_rx(void *ctx, l4_word_t badge, uint8_t lcid, const struct l4e_buffer *sdu)
{
	(void)ctx, (void)badge;
	srb_sdus++;
	if (rrc_attach_active())
		rrc_attach_rx(lcid, l4e_pool_ptr(POOL, sdu), sdu->length);
	l4e_pool_free(POOL, sdu);
	return 0;
}

static int op_bcch(void *ctx, l4_word_t badge, const struct l4e_buffer *tb)
{
	(void)ctx, (void)badge;
	if (rrc_attach_active())
		rrc_attach_bcch(l4e_pool_ptr(POOL, tb), tb->length);
	l4e_pool_free(POOL, tb);
	return 0;
}

static volatile uintptr_t bad_pointer = 0x10; /* nothing is mapped there */

static int op_connected(void *ctx, l4_word_t badge, uint16_t rnti)
{
	(void)ctx, (void)badge;
	/* The fault-containment test: the first incarnation faults here, the stack runs on. */
	if (DEMO_CHAOS && l4e_incarnation() == 0)
		*(volatile uint32_t *)bad_pointer = 0xbad;
	crnti = rnti;
	log_value(rnti ? "rrc: connected, C-RNTI" : "rrc: random access failed", rnti);
	if (rrc_attach_active()) {
		rrc_attach_connected(rnti);
	} else if (rnti) {
		connecting = false;
	} else if (connecting) {
		/* Random access failed (TS 36.321 §5.1.4): the MAC is idle; try again. */
		ra_failed++;
		mac_ctrl_connect(SYS_CAP_USES_MAC_CTRL, ccch_lo, ccch_hi);
	}
	return 0;
}

static int op_link_failed(void *ctx, l4_word_t badge, enum rrc_rlf_cause cause, uint8_t lcid)
{
	(void)ctx, (void)badge;
	if (rrc_attach_active())
		rrc_attach_link_failed();
	else
		link_failed(cause, lcid);
	return 0;
}

static const struct rrc_ind_ops ind_ops = {.rx = op_rx,
					   .config = op_config,
					   .connected = op_connected,
					   .link_failed = op_link_failed,
					   .bcch = op_bcch};

void rrc_main(uint32_t arg);

void rrc_main(uint32_t arg)
{
	struct rrc_ind_server srv = {
		.ops = &ind_ops, .pools = ind_pools, .npools = SYS_SERVER_NPOOLS_RRC_IND};
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;

	(void)arg;
	/* The lower layers' indications and, through the bound notification, RRC's timers. */
	if (l4_thread_ctl(SYS_THREAD_MAIN, L4_THREAD_BIND, SYS_SLOT_NTFN, 0) != 0)
		return;
	for (;;) {
		if (l4_recv(SYS_CAP_PROVIDES_RRC_IND, &tag, mr, &badge) != 0)
			continue;
		if (l4_tag_label(tag) != L4_LABEL_NOTIFY)
			rrc_ind_dispatch(&srv, &tag, mr, badge);
		else
			rrc_attach_tick();
	}
}
