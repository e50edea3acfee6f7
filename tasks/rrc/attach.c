/* SPDX-License-Identifier: BSD-2-Clause */
/* The RRC task in attach mode: the UE state machine of protocols/rrc (TS 36.331 §5.3) over MAC, RLC and PDCP, below NAS. */
#include "l4e.h"
#include "mac.h"
#include "nas.h"
#include "pdcp.h"
#include "rlc.h"
#include "rrc.h"
#include "rrc_task.h"
#include "sys_rrc.h"

#include <l2/env.h>
#include <l2/link.h>
#include <l3/rrc_sm.h>
#include <l4e/l2.h>
#include <l4e/log.h>
#include <l4e/pool.h>
#include <l4e/task.h>
#include <string.h>

/*
 * What the host UE model (sim/ue_host.c) does with the same libraries, split over tasks:
 * system information comes from the MAC (SI-RNTI), DL-CCCH from Msg4 (rx on LCID 0), SRB
 * SDUs from PDCP; RRC's CCCH messages go to the MAC as Msg3 of a new random access, its
 * DCCH messages to PDCP; the radio bearers of RRCConnectionSetup and Reconfiguration are
 * set up in RLC, PDCP and the MAC; NAS is a task below (nas::ind) that calls back through
 * rrc::nas. One thread serves each interface, at one priority (no interleaving).
 */
#define POOL	 ((void *)SYS_POOL_FRAMES_ADDR)
#define BEARERS	 RLC_LCH_MAX
#define HEADROOM 96 /* PDCP + RLC + MAC headers (protocols/README.md) */
#define PCI	 1  /* the simulator's cell (sim/README.md, attach mode) */
#define EARFCN	 3100

static struct l2_env env = {.ctx = (void *)SYS_POOL_CLOCK_ADDR, .now_ms = l4e_l2_now_ms};
static struct rrc_ue ue;
static bool active, cell_told;
static struct {
	bool used;
	struct rl_cfg_bearer cfg;
} bearer[BEARERS]; /* by LCID - 1 */
static struct rrc_as_keys keys;
static bool has_keys, cipher_pending, ciphering;
static uint8_t ccch[MAC_CCCH_MAX], ccch_len; /* the last CCCH message, for a new RA */
static uint16_t mac_crnti;
static struct {
	uint32_t tx_dropped, nas_dropped;
} stats;

static void log_value(const char *what, uint32_t v)
{
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, what, v, true);
}

static void log_text(const char *what)
{
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, what, 0, L4E_LOG_NO_VALUE);
}

static void log_error(const char *what, int err)
{
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_WARN, what, (uint32_t)err,
		L4E_LOG_SIGNED); /* docs/errors.md */
}

/* A frames block holding `len` bytes at `headroom`; false when the pool is empty. */
static bool block_of(const uint8_t *p, size_t len, uint32_t headroom, struct l4e_buffer *h)
{
	if (len == 0 || len + headroom > L4E_POOL_BLOCK ||
	    l4e_pool_alloc(POOL, SYS_POOL_FRAMES_ID, L4E_POOL_BLOCK, h) != 0)
		return false;
	memcpy((uint8_t *)l4e_pool_ptr(POOL, h) + headroom, p, len);
	h->offset += headroom;
	h->length = (uint32_t)len;
	return true;
}

/* A new random access with the last CCCH message as Msg3. */
static void ra_again(void)
{
	struct l4e_buffer h;
	int err;

	if (!ccch_len || !block_of(ccch, ccch_len, 0, &h))
		return;
	err = mac_ctrl_connect_sdu(SYS_CAP_USES_MAC_CTRL, &h);
	if (err)
		log_error("rrc: random access refused, error", err);
}

/* ---------------------------------------------------------------- layer 2 for RRC */

/* A bearer's AS keys (TS 33.401 §A.7): SRBs K_RRCenc/K_RRCint, DRBs K_UPenc, integrity
 * only until SecurityModeComplete went out. */
static void bearer_keys(uint8_t lcid)
{
	const struct rl_cfg_bearer *c = &bearer[lcid - 1].cfg;
	uint8_t eea = ciphering ? keys.eea : 0;
	int err;

	if (!has_keys)
		return;
	if (c->srb)
		err = pdcp_data_keys(SYS_CAP_USES_PDCP_DATA, lcid, eea, keys.k_rrc_enc, keys.eia,
				     keys.k_rrc_int);
	else
		err = pdcp_data_keys(SYS_CAP_USES_PDCP_DATA, lcid, eea, keys.k_up_enc, 0,
				     keys.k_rrc_int);
	if (err)
		log_error("rrc: keys refused by PDCP, error", err);
}

static void all_keys(void)
{
	unsigned i;

	for (i = 0; i < BEARERS; i++)
		if (bearer[i].used)
			bearer_keys((uint8_t)(i + 1));
}

/* The connection is over (TS 36.331 §5.3.12): MAC reset, every bearer released. */
static void teardown(void)
{
	unsigned i;
	int err = mac_ctrl_reset(SYS_CAP_USES_MAC_CTRL);

	for (i = 0; i < BEARERS; i++) {
		if (!bearer[i].used)
			continue;
		bearer[i].used = false;
		if (!err)
			err = rlc_data_release(SYS_CAP_USES_RLC_DATA, (uint8_t)(i + 1));
		if (!err)
			err = pdcp_data_release(SYS_CAP_USES_PDCP_DATA, (uint8_t)(i + 1));
	}
	if (err)
		log_error("rrc: release of layer 2 failed, error", err);
	has_keys = cipher_pending = ciphering = false;
	memset(&keys, 0, sizeof(keys));
	mac_crnti = 0;
}

static int bearer_setup(const struct rl_cfg_bearer *b)
{
	if (b->lcid < 1 || b->lcid > BEARERS)
		return L2_EINVAL;
	return rrc_bearer_setup(b, true, true);
}

/* ---------------------------------------------------------------- the library's ops */

static void op_send(void *ctx, uint8_t srb, const uint8_t *pdu, size_t len)
{
	struct l4e_buffer h;
	int err;

	(void)ctx;
	if (srb == 0) {
		/* A CCCH message goes in Msg3 of a new random access (TS 36.321 §5.1). */
		if (len > sizeof(ccch)) {
			stats.tx_dropped++;
			return;
		}
		memcpy(ccch, pdu, len);
		ccch_len = (uint8_t)len;
		ra_again();
		return;
	}
	if (srb > 2 || !bearer[srb - 1].used || !block_of(pdu, len, HEADROOM, &h)) {
		stats.tx_dropped++;
		return;
	}
	err = pdcp_data_tx(SYS_CAP_USES_PDCP_DATA, srb, &h);
	if (err) {
		stats.tx_dropped++;
		log_error("rrc: SRB SDU refused, error", err);
	}
	/* SecurityModeComplete went out integrity protected only; ciphering from now. */
	if (cipher_pending) {
		cipher_pending = false;
		ciphering = true;
		all_keys();
	}
}

static void op_nas(void *ctx, const uint8_t *pdu, size_t len)
{
	struct l4e_buffer h;

	(void)ctx;
	if (!block_of(pdu, len, 0, &h) || nas_ind_rx(SYS_CAP_USES_NAS_IND, &h) != 0)
		stats.nas_dropped++;
}

static void op_connection(void *ctx, bool up, bool failure)
{
	(void)ctx;
	log_value(up	    ? "rrc: connected"
		  : failure ? "rrc: connection failed, state"
			    : "rrc: released, state",
		  ue.state);
	if (!up)
		teardown();
	nas_ind_connection(SYS_CAP_USES_NAS_IND, up, failure);
}

static void op_configure(void *ctx, const struct rrc_radio_config *rr)
{
	struct rl_cfg_bearer c[RRC_MAX_SRB + RRC_MAX_DRB];
	unsigned n = 0, i;
	int err;

	(void)ctx;
	for (i = 0; i < rr->n_srb; i++)
		if (rrc_srb_bearer(&rr->srb[i], &c[n]) == 0)
			n++;
	for (i = 0; i < rr->n_drb; i++)
		if (rrc_drb_bearer(&rr->drb[i], &c[n]) == 0)
			n++;
	for (i = 0; i < n; i++) {
		if (c[i].lcid < 1 || c[i].lcid > BEARERS || bearer[c[i].lcid - 1].used)
			continue; /* there already (its state stays) */
		err = bearer_setup(&c[i]);
		if (err) {
			log_error("rrc: bearer refused, error", err);
			continue;
		}
		bearer[c[i].lcid - 1].used = true;
		bearer[c[i].lcid - 1].cfg = c[i];
		bearer_keys(c[i].lcid);
		log_value("rrc: radio bearer set up, lcid", c[i].lcid);
	}
}

static void op_security(void *ctx, const struct rrc_as_keys *k)
{
	(void)ctx;
	keys = *k;
	has_keys = true;
	/* SMC (§5.3.4.3): integrity now, ciphering after SecurityModeComplete.
	 * Re-establishment (§5.3.7.5): both at once with the new keys. */
	cipher_pending = !ciphering;
	all_keys();
}

/* §5.3.4.3: the SecurityModeCommand (SRB1's last PDU) verified with the new K_RRCint. */
static bool op_verify_smc(void *ctx, const struct rrc_as_keys *k)
{
	bool ok = false;

	(void)ctx;
	return pdcp_data_verify_last(SYS_CAP_USES_PDCP_DATA, 1, k->eia, k->k_rrc_int, &ok) == 0 &&
	       ok;
}

/* §5.3.7.5: RLC and PDCP of every bearer re-established. */
static void op_reestablish_l2(void *ctx, bool resume)
{
	unsigned i;

	(void)ctx;
	if (!resume)
		return; /* suspended: nothing is sent until the request went out */
	for (i = 0; i < BEARERS; i++)
		if (bearer[i].used) {
			rlc_data_reestablish(SYS_CAP_USES_RLC_DATA, (uint8_t)(i + 1));
			pdcp_data_reestablish(SYS_CAP_USES_PDCP_DATA, (uint8_t)(i + 1));
		}
}

/* ---------------------------------------------------------------- from the lower layers */

void rrc_attach_start(void)
{
	static const struct rrc_ue_ops ops = {.send = op_send,
					      .nas = op_nas,
					      .connection = op_connection,
					      .configure = op_configure,
					      .security = op_security,
					      .verify_smc = op_verify_smc,
					      .reestablish_l2 = op_reestablish_l2};
	struct rrc_ue_eutra_cap cap;

	memset(&cap, 0, sizeof(cap));
	cap.category = 4;
	cap.n_bands = 1;
	cap.band[0] = 7;
	rrc_ue_init(&ue, &cap, &ops, &env);
	active = true;
	log_text("rrc: attach mode, RRC and NAS run the connection");
	nas_ind_cell(SYS_CAP_USES_NAS_IND, false);
}

bool rrc_attach_active(void)
{
	return active;
}

void rrc_attach_bcch(const uint8_t *tb, uint32_t len)
{
	rrc_ue_rx_bcch(&ue, RRC_BCCH_DL_SCH, tb, len, PCI, EARFCN);
	if (!cell_told && ue.has_sib1 && ue.has_sib2) {
		cell_told = true;
		log_value("rrc: system information in, cell", ue.cell_id);
		nas_ind_cell(SYS_CAP_USES_NAS_IND, true);
	}
	/* T311 runs: the cell is found again (§5.3.7.3). */
	if (ue.state == RRC_UE_REESTABLISHING && ue.t311.running)
		rrc_ue_cell_selected(&ue);
}

void rrc_attach_rx(uint8_t lcid, const uint8_t *pdu, uint32_t len)
{
	rrc_ue_rx(&ue, lcid, pdu, len);
	/* After RRCConnectionReestablishment the new C-RNTI is the one a later
	 * re-establishment names. */
	if (ue.state == RRC_UE_CONNECTED && mac_crnti && ue.c_rnti != mac_crnti)
		rrc_ue_set_c_rnti(&ue, mac_crnti);
}

void rrc_attach_connected(uint16_t crnti)
{
	if (crnti) {
		mac_crnti = crnti;
		if (ue.state == RRC_UE_CONNECTING)
			rrc_ue_set_c_rnti(&ue, crnti);
	} else if (ue.state == RRC_UE_CONNECTING || ue.state == RRC_UE_REESTABLISHING) {
		ra_again(); /* T300 or T301 decides when to give up */
	}
}

void rrc_attach_link_failed(void)
{
	if (ue.state != RRC_UE_CONNECTED)
		return;
	/* §5.3.11.3: re-establishment with security on (T311, then T301), else idle. */
	rrc_ue_radio_link_failure(&ue);
	log_value("rrc: radio link failure, state", ue.state);
	if (ue.state == RRC_UE_REESTABLISHING) {
		/* MAC reset (§5.3.7.2): idle until the request, so system information comes. */
		mac_crnti = 0;
		if (mac_ctrl_reset(SYS_CAP_USES_MAC_CTRL) != 0)
			log_text("rrc: MAC reset refused");
	}
}

void rrc_attach_tick(void)
{
	if (active)
		rrc_ue_tick(&ue);
}

/* ---------------------------------------------------------------- rrc::nas */

static int nas_send(void *ctx, l4_word_t badge, const struct l4e_buffer *pdu, uint8_t cause)
{
	(void)ctx, (void)badge;
	if (active && rrc_ue_nas(&ue, l4e_pool_ptr(POOL, pdu), pdu->length, cause) != 0)
		stats.tx_dropped++;
	l4e_pool_free(POOL, pdu);
	return 0;
}

static int nas_kenb(void *ctx, l4_word_t badge, const uint8_t *k)
{
	(void)ctx, (void)badge;
	if (active)
		rrc_ue_set_kenb(&ue, k);
	return 0;
}

static int nas_s_tmsi(void *ctx, l4_word_t badge, bool valid, uint8_t mmec, uint32_t m_tmsi)
{
	(void)ctx, (void)badge;
	if (active)
		rrc_ue_set_s_tmsi(&ue, valid, mmec, m_tmsi);
	return 0;
}

static int nas_release(void *ctx, l4_word_t badge)
{
	(void)ctx, (void)badge;
	if (active)
		rrc_ue_release_local(&ue);
	return 0;
}

static const struct rrc_nas_ops nas_ops = {
	.send = nas_send, .kenb = nas_kenb, .s_tmsi = nas_s_tmsi, .release = nas_release};
static const struct l4e_pool nas_pools[] = SYS_SERVER_POOLS_RRC_NAS;

void rrc_nas_main(uint32_t arg);

void rrc_nas_main(uint32_t arg)
{
	struct rrc_nas_server srv = {
		.ops = &nas_ops, .pools = nas_pools, .npools = SYS_SERVER_NPOOLS_RRC_NAS};

	(void)arg;
	rrc_nas_serve(&srv, SYS_CAP_PROVIDES_RRC_NAS);
}
