/* SPDX-License-Identifier: BSD-2-Clause */
/* The RRC task (stand-in): applies the simulator's radio configuration, starts the connection, takes SRB SDUs. */
#include "l4e.h"
#include "drx.h"
#include "mac.h"
#include "pdcp.h"
#include "rlc.h"
#include "rrc.h"
#include "sys_rrc.h"

#include <l2/env.h>
#include <l2/link.h>
#include <l4e/log.h>
#include <l4e/pool.h>
#include <l4e/task.h>
#include <string.h>

/*
 * Until RRC runs over SRB1 (RRCConnectionSetup and Reconfiguration, TS 36.331 §5.3.3,
 * §5.3.5), the radio link's CONFIG message carries what they would: MAC-MainConfig, the
 * bearers' RLC, PDCP and logical channel configurations, and K_eNB with the algorithms.
 */
#define POOL ((void *)SYS_POOL_FRAMES_ADDR)

static const struct l4e_pool ind_pools[] = SYS_SERVER_POOLS_RRC_IND;
static uint32_t srb_sdus, refused;
static uint16_t crnti;

static void log_value(const char *what, uint32_t v)
{
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, what, v, true);
}

static int setup_bearer(const struct rl_cfg_bearer *b)
{
	struct rlc_bearer_config rc = {.lcid = b->lcid,
				       .m = b->rlc_mode == RL_RLC_AM ? RLC_MODE_AM : RLC_MODE_UM,
				       .um_sn_bits = b->um_sn_bits,
				       .t_poll_retx_ms = b->t_poll_retx_ms,
				       .t_reordering_ms = b->t_reordering_ms,
				       .t_status_prohibit_ms = b->t_status_prohibit_ms,
				       .poll_pdu = b->poll_pdu,
				       .poll_byte = b->poll_byte,
				       .max_retx = b->max_retx};
	struct pdcp_bearer_config pc = {.rb_id = b->rb_id,
					.lcid = b->lcid,
					.srb = b->srb,
					.rlc_am = b->rlc_mode == RL_RLC_AM,
					.sn_bits = b->pdcp_sn_bits,
					.discard_ms = b->discard_ms};
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
	if (!err)
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
	struct rl_cfg_security sec = {0};
	struct link_item it;
	uint32_t pos = 0, lo;
	uint16_t hi;
	bool have_mac = false, have_sec = false;
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

		if (it.type == RL_ITEM_CFG_BEARER)
			err = rl_get_cfg_bearer(&it, &b) ? L2_EPROTO : setup_bearer(&b);
		else if (it.type == RL_ITEM_CFG_SECURITY)
			have_sec = rl_get_cfg_security(&it, &sec) == 0;
	}
	if (!err && have_sec)
		err = pdcp_data_security(SYS_CAP_USES_PDCP_DATA, sec.eea, sec.eia, sec.kenb);
	if (!err)
		err = apply_drx(m);
	if (err)
		return err;
	log_value("rrc: configured, UE", cm.ue_id);
	connection_request(cm.ue_id, &lo, &hi);
	return mac_ctrl_connect(SYS_CAP_USES_MAC_CTRL, lo, hi);
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
	(void)ctx, (void)badge, (void)lcid;
	srb_sdus++;
	l4e_pool_free(POOL, sdu);
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
	return 0;
}

static const struct rrc_ind_ops ind_ops = {
	.rx = op_rx, .config = op_config, .connected = op_connected};

void rrc_main(uint32_t arg);

void rrc_main(uint32_t arg)
{
	struct rrc_ind_server srv = {
		.ops = &ind_ops, .pools = ind_pools, .npools = SYS_SERVER_NPOOLS_RRC_IND};

	(void)arg;
	rrc_ind_serve(&srv, SYS_CAP_PROVIDES_RRC_IND);
}
