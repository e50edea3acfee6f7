/* SPDX-License-Identifier: BSD-2-Clause */
/* The MAC task's connected-mode DRX (TS 36.321 §5.7): the drx::ctrl thread and the per-subframe glue. */
#include "drx.h"
#include "l4e.h"
#include "sleep.h"
#include "sys_mac.h"

#include <l2/mac_drx.h>
#include <l2/paging.h>
#include <l4e/keep.h>
#include <l4e/log.h>
#include <l4e/task.h>
#include <stddef.h>

/*
 * RRC configures DRX (drx::ctrl, from the CONFIG message's RL_ITEM_CFG_DRX); it applies from
 * the next connection on. While connected the MAC feeds the DRX library (l2/mac_drx.h) every
 * subframe it sees with what happened in it, and answers each subframe with the next one it
 * must see: the next subframe of Active Time, when the library says it would monitor the
 * PDCCH again. The radio puts that in DONE's wake_at (docs/radio-link.md §6.3), earlier when
 * a timer of the firmware is due, and the simulator skips the subframes between: the CPU
 * sleeps through them in WFI with nothing armed.
 *
 * What keeps the UE awake besides the library's own timers (§5.7's Active Time conditions):
 * a scheduling request pending (sent, no grant yet), and an UL TB in flight, from its
 * transmission to its PHICH (an ACK four subframes on, or a NACK with the retransmission's
 * grant eight on). UL data from the application processor while the UE sleeps: the host
 * link's interrupt wakes the firmware, the simulator then sends the current subframe
 * (sim/README.md), and the MAC, seeing RLC's new bytes at its tick, triggers a BSR and sends
 * the scheduling request in that subframe, which starts Active Time.
 *
 * The ind and drx threads run at the same priority (170) and never preempt each other, so
 * the state below needs no lock.
 */
#define UL_FLIGHT_MAX 16 /* subframes an UL TB may wait for its PHICH before it is forgotten */

static struct mac_drx_config cfg;
static bool cfg_on;
static struct mac_drx drx;
static bool running; /* a connection with DRX */
static struct mac_drx_events ev;
static uint8_t ul_flight;		     /* bit per UL HARQ process: a TB awaits its PHICH */
static uint32_t ul_sent[MAC_DRX_HARQ_PROCS]; /* ... sent in this subframe */
/* Idle-mode paging (TS 36.304 §7): camped until a Paging names our S-TMSI. */
static struct paging_config pcfg;
static bool paging_on, paged;
static uint8_t mmec;
static uint32_t m_tmsi;

/*
 * What a restarted MAC must not lose (docs/reliability.md): the DRX and paging
 * configuration RRC gave once, and whether the page came. Kept in the last DRX_KEEP_SIZE
 * bytes of the MAC's keep pool, behind a header of its own. A new instance on a connection
 * with DRX restarts it as at a connection (drx-InactivityTimer running): awake at least as
 * long as the eNB expects, then back in step with it at the next onDuration.
 */
#define KEEP_VERSION 1
struct drx_keep {
	struct l4e_keep_hdr hdr;
	struct mac_drx_config cfg;
	struct paging_config pcfg;
	uint8_t cfg_on, paging_on, paged, mmec;
	uint32_t m_tmsi;
};
_Static_assert(sizeof(struct drx_keep) <= DRX_KEEP_SIZE, "fits drx_keep");
static struct drx_keep *const kept =
	(struct drx_keep *)(SYS_POOL_MAC_KEEP_ADDR + SYS_POOL_MAC_KEEP_SIZE - DRX_KEEP_SIZE);
static bool resume; /* a new instance found DRX configured: restart it at the next subframe */

static uint32_t keep_sum(void)
{
	return l4e_keep_sum(0, &kept->cfg, (sizeof(*kept) - offsetof(struct drx_keep, cfg)) & ~3u);
}

static void keep_save(void)
{
	l4e_keep_open(&kept->hdr);
	kept->cfg = cfg;
	kept->pcfg = pcfg;
	kept->cfg_on = cfg_on;
	kept->paging_on = paging_on;
	kept->paged = paged;
	kept->mmec = mmec;
	kept->m_tmsi = m_tmsi;
	l4e_keep_seal(&kept->hdr, keep_sum());
}

/* Once per instance, before anything else touches the state. */
static void keep_once(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	if (!l4e_keep_valid(&kept->hdr, KEEP_VERSION, sizeof(*kept), keep_sum())) {
		l4e_keep_reset(&kept->hdr, KEEP_VERSION, sizeof(*kept));
		l4e_keep_seal(&kept->hdr, keep_sum());
		return;
	}
	kept->hdr.takeovers++;
	cfg = kept->cfg;
	pcfg = kept->pcfg;
	cfg_on = kept->cfg_on;
	paging_on = kept->paging_on;
	paged = kept->paged;
	mmec = kept->mmec;
	m_tmsi = kept->m_tmsi;
	resume = cfg_on;
}
static struct {
	uint32_t refused, pdcch_outside, wakes, pcch, pcch_bad, pages;
} stats;

static void log_value(const char *what, uint32_t v)
{
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, what, v, true);
}

static int feed(uint32_t sf, const struct mac_drx_events *e)
{
	uint32_t t = sf % MAC_DRX_SFN_PERIOD;

	return mac_drx_subframe(&drx, (uint16_t)(t / 10), (uint8_t)(t % 10), e);
}

void drx_connected(uint32_t sf)
{
	static const struct mac_drx_events msg4 = {
		.dl = true, .dl_new_tx = true, .ra_active = true};

	(void)sf;
	keep_once();
	resume = false;
	running = cfg_on && mac_drx_configure(&drx, &cfg) == 0;
	ul_flight = 0;
	/* Msg4 is the connection's first PDCCH: a new DL transmission during random access
	 * (drx-InactivityTimer starts), fed at the end of this subframe. The eNB starts its copy
	 * the same way (sim/enb_drx.c). */
	ev = msg4;
}

void drx_released(void)
{
	running = false;
	ul_flight = 0;
}

void drx_dl(uint8_t pid, bool new_tx, bool ack)
{
	if (ev.dl)
		return; /* one DL assignment per subframe */
	ev.dl = true;
	ev.dl_harq = pid & 7;
	ev.dl_new_tx = new_tx;
	ev.dl_nack = !ack;
}

void drx_ul_grant(uint32_t sf, uint8_t pid, bool new_tx)
{
	ev.ul_new_tx |= new_tx;
	ul_flight |= (uint8_t)(1u << (pid & 7));
	ul_sent[pid & 7] = sf;
}

void drx_phich(uint8_t pid)
{
	ul_flight &= (uint8_t) ~(1u << (pid & 7));
}

uint32_t drx_sf_end(uint32_t sf, bool connected, bool sr_pending)
{
	unsigned p;
	int n;

	keep_once();
	if (resume && connected) {
		drx_connected(sf); /* a restarted MAC on its connection: fed from this subframe */
		resume = false;
	}
	if (!running) {
		ev = (struct mac_drx_events){0};
		/* Idle and camped: the next paging occasion. */
		if (paging_on && !paged)
			return paging_next(&pcfg, sf + 1);
		return sf + 1;
	}
	for (p = 0; p < MAC_DRX_HARQ_PROCS; p++)
		if ((ul_flight >> p & 1) && sf - ul_sent[p] > UL_FLIGHT_MAX)
			ul_flight &= (uint8_t) ~(1u << p); /* its PHICH never came */
	ev.sr_pending = sr_pending;
	ev.ul_retx_pending = ul_flight != 0;
	if (feed(sf, &ev) != 0) {
		/* A PDCCH outside our Active Time: the eNB thought us awake (it cannot, as it
		 * follows the same rules). Counted; the subframe counts without it. */
		if (stats.pdcch_outside++ < 4)
			log_value("mac: DRX: PDCCH outside Active Time, subframe", sf);
		ev.dl = ev.ul_new_tx = false;
		feed(sf, &ev);
	}
	ev = (struct mac_drx_events){0};
	n = mac_drx_next_wake(&drx, NULL, NULL);
	if (n <= 1)
		return sf + 1;
	stats.wakes++;
	return sf + (uint32_t)n;
}

bool drx_may_connect(void)
{
	keep_once();
	return !paging_on || paged;
}

void drx_pcch(uint32_t sf, const uint8_t *p, uint32_t len)
{
	struct paging_msg m;

	stats.pcch++;
	if (!paging_on || paged)
		return;
	if (paging_decode(p, len, &m) != 0) {
		if (stats.pcch_bad++ < 4)
			log_value("mac: Paging refused (malformed), subframe", sf);
		return;
	}
	if (paging_has_s_tmsi(&m, mmec, m_tmsi)) {
		paged = true;
		keep_save();
		stats.pages++;
		log_value("mac: paged, random access at subframe", sf + 1);
	}
}

/* ---------------------------------------------------------------- drx::ctrl (RRC) */

static int op_configure(void *ctx, l4_word_t badge, uint8_t on, const struct drx_config *c)
{
	struct mac_drx_config m = {.on_duration = c->on_duration,
				   .inactivity = c->inactivity,
				   .retx = c->retx,
				   .long_cycle = c->long_cycle,
				   .start_offset = c->start_offset,
				   .short_cycle = c->short_cycle,
				   .short_cycle_timer = c->short_cycle_timer};
	struct mac_drx check;

	(void)ctx, (void)badge;
	keep_once();
	if (on && mac_drx_configure(&check, &m) != 0) {
		stats.refused++;
		log_value("mac: DRX-Config refused, long cycle", c->long_cycle);
		return DRX_ERROR_BAD_CONFIG;
	}
	cfg = m;
	cfg_on = on != 0;
	keep_save();
	log_value("mac: DRX configured, long cycle", cfg_on ? cfg.long_cycle : 0);
	return 0;
}

static int op_paging(void *ctx, l4_word_t badge, const struct drx_paging *p)
{
	struct paging_config c = {.t = p->t, .nb = p->nb, .ue_id = p->ue_id};
	struct paging_occasion po;

	(void)ctx, (void)badge;
	keep_once();
	if (paging_occasion(&c, &po) != 0) {
		stats.refused++;
		log_value("mac: paging DRX refused, T", p->t);
		return DRX_ERROR_BAD_PAGING;
	}
	pcfg = c;
	mmec = p->mmec;
	m_tmsi = p->m_tmsi;
	paging_on = true;
	paged = false;
	keep_save();
	log_value("mac: idle, paging frame (SFN mod T)", po.pf);
	return 0;
}

static const struct drx_ctrl_ops drx_ops = {.configure = op_configure, .paging = op_paging};

void mac_drx_main(uint32_t arg);

void mac_drx_main(uint32_t arg)
{
	struct drx_ctrl_server srv = {.ops = &drx_ops};

	(void)arg;
	drx_ctrl_serve(&srv, SYS_CAP_PROVIDES_DRX_CTRL);
}
