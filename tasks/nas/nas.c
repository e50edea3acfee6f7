/* SPDX-License-Identifier: BSD-2-Clause */
/* The NAS task: the UE's EMM and ESM of protocols/nas (TS 24.301) over RRC, authenticating through the USIM task, driven by AT. */
#include "hostif.h"
#include "l4e.h"
#include "nas.h"
#include "rrc.h"
#include "sim.h"
#include "sys_nas.h"

#include <l2/env.h>
#include <l3/emm.h>
#include <l4e/l2.h>
#include <l4e/log.h>
#include <l4e/pool.h>
#include <l4e/task.h>
#include <string.h>

/*
 * Attach mode only (RRC says so with nas::ind cell): +CFUN=1 from the host interface
 * powers on; once RRC has the cell's system information EMM attaches (EPS AKA through
 * the USIM task, which keeps K and OPc: NAS gets RES, CK and IK), NAS security, the
 * default bearer. Its state goes to the host interface for +CEREG and +CGPADDR after
 * every change. Two threads at one priority share the EMM entity: `ind` (RRC's
 * indications and, through the bound notification, EMM's timers) and `ctrl` (AT).
 */
#define POOL	      ((void *)SYS_POOL_FRAMES_ADDR)
#define TICK_MS	      20 /* EMM timers are seconds long: checked this often */
#define RELEASE_MS    40 /* a switch-off DETACH REQUEST goes out before the release */
#define TIMER_TICK    0	 /* l4e::timer ids: bits of the notification */
#define TIMER_RELEASE 1
#define MO_SIGNALLING 3 /* EstablishmentCause mo-Signalling (TS 36.331 §6.2.2) */

static struct l2_env env = {.ctx = (void *)SYS_POOL_CLOCK_ADDR, .now_ms = l4e_l2_now_ms};
static struct emm_ue emm;
static bool attach_mode, cell, powered, attaching;
static char apn[NAS_MAX_APN];
static struct {
	uint8_t fun, cereg;
	bool has_addr;
	uint32_t addr;
	bool sent;
} shown; /* what the host interface was told last */

static const struct l4e_pool ind_pools[] = SYS_SERVER_POOLS_NAS_IND;

static void log_value(const char *what, uint32_t v)
{
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, what, v, true);
}

static void log_text(const char *what)
{
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, what, 0, L4E_LOG_NO_VALUE);
}

/* The state AT shows, to the host interface when it changed. */
static void status(void)
{
	uint8_t cereg = powered && attaching ? (uint8_t)emm_cereg(&emm) : 0;
	bool has_addr = powered && attaching && emm.bearer_active && emm.addr_len >= 4;
	uint32_t addr = has_addr ? (uint32_t)emm.addr[0] << 24 | (uint32_t)emm.addr[1] << 16 |
					   (uint32_t)emm.addr[2] << 8 | emm.addr[3]
				 : 0;

	if (!attach_mode || (shown.sent && shown.fun == powered && shown.cereg == cereg &&
			     shown.has_addr == has_addr && shown.addr == addr))
		return;
	if (cereg != shown.cereg || !shown.sent)
		log_value("nas: registration (+CEREG)", cereg);
	shown.sent = true;
	shown.fun = powered;
	shown.cereg = cereg;
	shown.has_addr = has_addr;
	shown.addr = addr;
	hostif_ind_status(SYS_CAP_USES_HOSTIF_IND, powered, cereg, has_addr, addr);
}

/* ---------------------------------------------------------------- EMM's ops */

static void op_send(void *ctx, const uint8_t *pdu, size_t len, bool initial)
{
	struct l4e_buffer h;

	(void)ctx, (void)initial; /* RRC knows whether it has a connection */
	if (len == 0 || len > L4E_POOL_BLOCK ||
	    l4e_pool_alloc(POOL, SYS_POOL_FRAMES_ID, L4E_POOL_BLOCK, &h) != 0)
		return;
	memcpy(l4e_pool_ptr(POOL, &h), pdu, len);
	h.length = (uint32_t)len;
	if (rrc_nas_send(SYS_CAP_USES_RRC_NAS, &h, MO_SIGNALLING) != 0)
		l4e_pool_free(POOL, &h);
}

/* AUTHENTICATE on the USIM task: derived values only cross (TS 31.102 §7.1.2). */
static int op_authenticate(void *ctx, const uint8_t rand[16], const uint8_t autn[16],
			   struct usim_auth_result *out)
{
	struct sim_auth_result r;
	int err;

	(void)ctx;
	memset(&r, 0, sizeof(r));
	err = sim_card_authenticate(SYS_CAP_USES_SIM_CARD, rand, autn, &r);
	memset(out, 0, sizeof(*out));
	memcpy(out->res, r.res,
	       sizeof(out->res) < sizeof(r.res) ? sizeof(out->res) : sizeof(r.res));
	out->res_len = r.res_len;
	memcpy(out->ck, r.ck, 16);
	memcpy(out->ik, r.ik, 16);
	memcpy(out->sqn_xor_ak, r.sqn_xor_ak, 6);
	memcpy(out->amf, r.amf, 2);
	memcpy(out->auts, r.auts, sizeof(out->auts));
	memset(&r, 0, sizeof(r));
	if (err == SIM_ERROR_MAC_FAILURE)
		return L2_EAUTH;
	if (err == SIM_ERROR_SYNC_FAILURE) {
		/* The error reply carried no result: AUTS for the resynchronisation apart. */
		uint8_t auts[14];

		if (sim_card_auts(SYS_CAP_USES_SIM_CARD, auts) != 0)
			return L2_EAUTH;
		memcpy(out->auts, auts, sizeof(out->auts));
		return L2_ESTALE;
	}
	if (err)
		l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_WARN, "nas: USIM refused, error",
			(uint32_t)err, L4E_LOG_SIGNED); /* docs/errors.md */
	return err ? L2_EAUTH : 0;
}

static void op_kenb(void *ctx, const uint8_t kenb[32])
{
	(void)ctx;
	rrc_nas_kenb(SYS_CAP_USES_RRC_NAS, kenb);
}

/* EMM leaves the connection (switch-off, failures): after what it just sent had time to
 * go out (RLC has no "sent" signal for the last SDU). */
static void op_release(void *ctx)
{
	(void)ctx;
	l4e_timer_arm(SYS_CAP_USES_L4E_TIMER, TIMER_RELEASE, RELEASE_MS * 1000, false);
}

static void op_event(void *ctx, enum emm_event ev, int arg)
{
	(void)ctx;
	if (ev == EMM_EV_REGISTERED && emm.has_guti)
		rrc_nas_s_tmsi(SYS_CAP_USES_RRC_NAS, true, emm.guti.guti.mmec,
			       emm.guti.guti.m_tmsi);
	if (ev == EMM_EV_AUTH_FAILED || ev == EMM_EV_ATTACH_FAILED || ev == EMM_EV_DEREGISTERED)
		log_value(ev == EMM_EV_AUTH_FAILED     ? "nas: authentication failed, cause"
			  : ev == EMM_EV_ATTACH_FAILED ? "nas: attach attempt failed, cause"
						       : "nas: deregistered, cause",
			  (uint32_t)arg);
	else if (ev == EMM_EV_BEARER_UP)
		log_value("nas: default bearer up, EBI", (uint32_t)arg);
}

/* Once powered with a card and a cell: the attach (§5.5.1.2.2). */
static void try_attach(void)
{
	static const struct emm_ops ops = {.send = op_send,
					   .authenticate = op_authenticate,
					   .kenb = op_kenb,
					   .release = op_release,
					   .event = op_event};
	struct emm_config c;
	uint8_t imsi[16];
	int err;

	if (!powered || attaching || !cell)
		return;
	err = sim_card_imsi(SYS_CAP_USES_SIM_CARD, imsi);
	if (err) {
		log_text("nas: no card to attach with");
		return;
	}
	memset(&c, 0, sizeof(c));
	memcpy(c.imsi, imsi, sizeof(c.imsi));
	c.imsi[15] = 0;
	memcpy(c.imeisv, "3534900698733190", 17);
	c.plmn = (struct nas_plmn){1, 1, 2};
	c.ue_net_cap[0] = c.ue_net_cap[1] = 0xe0; /* EEA0-2, EIA0-2 */
	memcpy(c.apn, apn[0] ? apn : "internet", strlen(apn[0] ? apn : "internet") + 1);
	if (emm_init(&emm, &c, &ops, &env) == 0 && emm_attach(&emm) == 0) {
		attaching = true;
		log_text("nas: attach started");
	}
}

/* ---------------------------------------------------------------- nas::ind (RRC) */

static int op_rx(void *ctx, l4_word_t badge, const struct l4e_buffer *pdu)
{
	(void)ctx, (void)badge;
	if (attaching)
		emm_rx(&emm, l4e_pool_ptr(POOL, pdu), pdu->length); /* drops what is bad */
	l4e_pool_free(POOL, pdu);
	status();
	return 0;
}

static int op_connection(void *ctx, l4_word_t badge, bool up, bool failure)
{
	(void)ctx, (void)badge;
	if (attaching && !up) {
		if (failure)
			emm_lower_layer_failure(&emm);
		else
			emm_conn_released(&emm);
	}
	status();
	return 0;
}

static int op_cell(void *ctx, l4_word_t badge, bool found)
{
	(void)ctx, (void)badge;
	if (!attach_mode) {
		attach_mode = true;
		if (l4e_timer_arm(SYS_CAP_USES_L4E_TIMER, TIMER_TICK, TICK_MS * 1000, true) != 0)
			log_text("nas: no timer");
	}
	cell = cell || found;
	try_attach();
	status();
	return 0;
}

static void on_timers(l4_word_t bits)
{
	if (bits >> TIMER_RELEASE & 1)
		rrc_nas_release(SYS_CAP_USES_RRC_NAS);
	if (attaching)
		emm_tick(&emm);
	status();
}

/* ---------------------------------------------------------------- nas::ctrl (AT) */

static int op_power(void *ctx, l4_word_t badge, uint8_t fun, const char *name)
{
	(void)ctx, (void)badge;
	if (fun == 1 && !powered) {
		powered = true;
		size_t n = strlen(name);

		n = n < sizeof(apn) - 1 ? n : sizeof(apn) - 1;
		memcpy(apn, name, n);
		apn[n] = 0;
		log_text("nas: powered on");
		try_attach();
	} else if (fun == 0 && powered) {
		/* Switch-off detach (TS 24.301 §5.5.2.2.2): DETACH REQUEST, then the release. */
		if (attaching && emm.state != EMM_DEREGISTERED && emm.state != EMM_NULL)
			emm_detach(&emm, true);
		else
			rrc_nas_release(SYS_CAP_USES_RRC_NAS);
		powered = attaching = false;
		log_text("nas: powered off");
	}
	status();
	return 0;
}

static const struct nas_ind_ops ind_ops = {
	.rx = op_rx, .connection = op_connection, .cell = op_cell};
static const struct nas_ctrl_ops ctrl_ops = {.power = op_power};

void nas_ind_main(uint32_t arg);
void nas_ctrl_main(uint32_t arg);

void nas_ind_main(uint32_t arg)
{
	struct nas_ind_server srv = {
		.ops = &ind_ops, .pools = ind_pools, .npools = SYS_SERVER_NPOOLS_NAS_IND};
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;

	(void)arg;
	if (l4_thread_ctl(SYS_THREAD_IND, L4_THREAD_BIND, SYS_SLOT_NTFN, 0) != 0)
		return;
	for (;;) {
		if (l4_recv(SYS_CAP_PROVIDES_NAS_IND, &tag, mr, &badge) != 0)
			continue;
		if (l4_tag_label(tag) != L4_LABEL_NOTIFY)
			nas_ind_dispatch(&srv, &tag, mr, badge);
		else
			on_timers(badge); /* the notification bits */
	}
}

void nas_ctrl_main(uint32_t arg)
{
	struct nas_ctrl_server srv = {.ops = &ctrl_ops};

	(void)arg;
	nas_ctrl_serve(&srv, SYS_CAP_PROVIDES_NAS_CTRL);
}
