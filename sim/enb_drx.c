/* SPDX-License-Identifier: BSD-2-Clause */
/* The eNB's side of connected-mode DRX (TS 36.321 §5.7): it schedules a UE only in its Active Time. */
#include <string.h>

#include "enb.h"
#include "enb_internal.h"
#include "l2/pcap.h"

/*
 * The eNB runs the UE's DRX state machine (l2/mac_drx.h) on what it sends and learns, the
 * same inputs the UE's MAC feeds its own copy with, so both agree on the Active Time:
 *
 * - the connection starts both at the subframe of Msg4's acknowledgement, as a PDCCH for a
 *   new DL transmission during random access (drx-InactivityTimer starts);
 * - a DL TB on the C-RNTI: its HARQ process, new data or not, NACKed or not (the eNB knows
 *   from the UE's feedback in the same subframe, docs/radio-link.md §6.6);
 * - an UL grant for new data on the C-RNTI;
 * - conditions that keep the UE awake while they hold: an SR received and not yet granted,
 *   an UL HARQ process with a TB in flight (PHICH or a retransmission grant to come).
 *
 * A mismatch cannot lose data: the runner sends a DL message only in subframes the UE asked
 * for (DONE's wake_at), and the eNB schedules only in its own Active Time, so at worst a
 * transmission waits for a subframe both see.
 */

static bool ul_busy(const struct enb_ue *u)
{
	unsigned p;

	for (p = 0; p < HARQ_PROCS; p++)
		if (u->ul.p[p].expect || u->ul.p[p].phich_due || u->ul.p[p].retx_due)
			return true;
	return false;
}

static struct mac_drx_events levels(const struct enb_ue *u)
{
	return (struct mac_drx_events){.sr_pending = u->sr, .ul_retx_pending = ul_busy(u)};
}

static bool drx_on(const struct enb *e, const struct enb_ue *u)
{
	return e->cfg.drx_on && u->state == ENB_UE_CONNECTED && u->drx_started;
}

bool enb_drx_active(struct enb *e, unsigned ue, uint32_t sf)
{
	struct enb_ue *u = &e->ue[ue];
	struct mac_drx_events ev = levels(u);
	struct mac_drx d;
	uint32_t t = sf % MAC_DRX_SFN_PERIOD;

	if (!drx_on(e, u))
		return true;
	/* On a copy: the subframe is fed for real once its events are known (enb_drx_end). */
	d = u->drx;
	if (mac_drx_subframe(&d, (uint16_t)(t / 10), (uint8_t)(t % 10), &ev) != 0)
		return true;
	return mac_drx_active(&d);
}

void enb_drx_end(struct enb *e, unsigned ue, uint32_t sf)
{
	struct enb_ue *u = &e->ue[ue];
	struct mac_drx_events ev = levels(u);
	uint32_t t = sf % MAC_DRX_SFN_PERIOD;
	unsigned k;

	if (!e->cfg.drx_on || u->state != ENB_UE_CONNECTED) {
		u->drx_started = false;
		return;
	}
	if (!u->drx_started) {
		const struct rl_cfg_drx *c = &e->cfg.drx;
		struct mac_drx_config mc = {.on_duration = c->on_duration,
					    .inactivity = c->inactivity,
					    .retx = c->retx,
					    .long_cycle = c->long_cycle,
					    .start_offset = c->start_offset,
					    .short_cycle = c->short_cycle,
					    .short_cycle_timer = c->short_cycle_timer};

		/* The connection's first subframe: Msg4 as a new DL transmission in RA. */
		if (mac_drx_configure(&u->drx, &mc) != 0)
			return; /* refused by config_check before the run */
		ev = (struct mac_drx_events){.dl = true, .dl_new_tx = true, .ra_active = true};
		u->drx_started = true;
		mac_drx_subframe(&u->drx, (uint16_t)(t / 10), (uint8_t)(t % 10), &ev);
		return;
	}
	for (k = 0; k < u->out.n_tb; k++) {
		const struct enb_dl_tb *tb = &u->out.tb[k];
		uint8_t pid = tb->tb.harq_pid & 7;

		if (tb->rnti_type != MAC_LTE_C_RNTI || tb->tb.rnti != u->rnti || ev.dl)
			continue;
		ev.dl = true;
		ev.dl_harq = pid;
		ev.dl_new_tx = tb->retx == 0;
		ev.dl_nack = u->dl.p[pid].state == HARQ_DL_RETX;
	}
	for (k = 0; k < u->out.n_grant; k++) {
		const struct rl_ul_grant *g = &u->out.grant[k];

		if (g->rnti == u->rnti && u->ul.p[g->harq_pid & 7].tx == 1)
			ev.ul_new_tx = true;
	}
	/* A PDCCH outside the eNB's Active Time cannot happen (it schedules only inside):
	 * refused, the subframe passes without it. */
	if (mac_drx_subframe(&u->drx, (uint16_t)(t / 10), (uint8_t)(t % 10), &ev) != 0) {
		ev.dl = ev.ul_new_tx = false;
		mac_drx_subframe(&u->drx, (uint16_t)(t / 10), (uint8_t)(t % 10), &ev);
	}
}
