/* SPDX-License-Identifier: BSD-2-Clause */
/* Connected-mode DRX (TS 36.321 §5.7): Active Time, DRX cycles and the next PDCCH to monitor.
 *
 * Timer convention: a timer started in subframe n for L subframes runs in n .. n+L-1 and
 * expires in subframe n+L (the first one it no longer covers). drx-InactivityTimer counts the
 * subframes after the PDCCH that started it (§3.1), so it is started for L + 1. */
#include <string.h>

#include "l2/mac_drx.h"

/* TS 36.331 §6.3.2 DRX-Config value sets (Rel-8; onDurationTimer and drx-InactivityTimer in
 * psf, the cycles in sf; the inactivity timer's spare values are not configurable). */
static const uint16_t on_duration_values[] = {1,  2,  3,  4,  5,  6,  8,   10,
					      20, 30, 40, 50, 60, 80, 100, 200};
static const uint16_t inactivity_values[] = {1,	 2,  3,	 4,   5,   6,	8,   10,  20,	30,   40,
					     50, 60, 80, 100, 200, 300, 500, 750, 1280, 1920, 2560};
static const uint16_t retx_values[] = {1, 2, 4, 6, 8, 16, 24, 33};
static const uint16_t long_cycle_values[] = {10,  20,  32,  40,	 64,   80,   128,  160,
					     256, 320, 512, 640, 1024, 1280, 2048, 2560};
static const uint16_t short_cycle_values[] = {2,  5,  8,   10,	16,  20,  32,  40,
					      64, 80, 128, 160, 256, 320, 512, 640};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static bool in_set(uint16_t v, const uint16_t *set, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (set[i] == v)
			return true;
	return false;
}

int mac_drx_configure(struct mac_drx *drx, const struct mac_drx_config *cfg)
{
	if (!drx)
		return L2_EINVAL;
	if (cfg) {
		if (!in_set(cfg->on_duration, on_duration_values, N(on_duration_values)) ||
		    !in_set(cfg->inactivity, inactivity_values, N(inactivity_values)) ||
		    !in_set(cfg->retx, retx_values, N(retx_values)) ||
		    !in_set(cfg->long_cycle, long_cycle_values, N(long_cycle_values)) ||
		    cfg->start_offset >= cfg->long_cycle)
			return L2_EINVAL;
		/* shortDRX-Cycle: "the value of longDRX-Cycle shall be a multiple of the
		 * shortDRX-Cycle value" (TS 36.331 §6.3.2 DRX-Config field descriptions). */
		if (cfg->short_cycle != 0 &&
		    (!in_set(cfg->short_cycle, short_cycle_values, N(short_cycle_values)) ||
		     cfg->long_cycle % cfg->short_cycle != 0 || cfg->short_cycle_timer < 1 ||
		     cfg->short_cycle_timer > 16))
			return L2_EINVAL;
	}
	memset(drx, 0, sizeof(*drx));
	drx->configured = cfg != NULL;
	if (cfg)
		drx->cfg = *cfg;
	return 0;
}

/* drx-InactivityTimer expired or a DRX Command arrived: the short cycle (with drxShortCycleTimer
 * started or restarted) if configured, else the long one (§5.7). */
static void enter_drx_cycle(struct mac_drx *d)
{
	if (d->cfg.short_cycle) {
		d->short_cycle = (uint16_t)(d->cfg.short_cycle_timer * d->cfg.short_cycle);
		d->short_in_use = true;
	} else {
		d->short_in_use = false;
	}
}

/* Move to the next subframe and apply §5.7's per-subframe steps that need no PDCCH: timer
 * expiries, cycle changes, the onDurationTimer start; then Active Time. */
static void advance(struct mac_drx *d, bool level)
{
	bool inactivity_expired = false, short_expired = false;
	uint16_t cycle, offset;
	unsigned p;

	d->now = (uint16_t)((d->now + 1) % MAC_DRX_SFN_PERIOD);
	d->level = level;
	d->stats.subframes++;
	if (!d->configured) {
		d->active = true;
		d->stats.active++;
		return;
	}
	if (d->on_duration)
		d->on_duration--;
	if (d->inactivity && --d->inactivity == 0)
		inactivity_expired = true;
	if (d->short_cycle && --d->short_cycle == 0)
		short_expired = true;
	for (p = 0; p < MAC_DRX_HARQ_PROCS; p++) {
		if (d->retx[p])
			d->retx[p]--;
		/* "if a HARQ RTT Timer expires in this subframe and the data of the corresponding
		 * HARQ process was not successfully decoded: start the drx-RetransmissionTimer". */
		if (d->harq_rtt[p] && --d->harq_rtt[p] == 0 && (d->nack & (1u << p)))
			d->retx[p] = d->cfg.retx;
	}
	/* "if drx-InactivityTimer expires ... in this subframe": short cycle (restarting
	 * drxShortCycleTimer, so it has not expired) or long cycle. */
	if (inactivity_expired) {
		enter_drx_cycle(d);
		short_expired = false;
	}
	/* "if drxShortCycleTimer expires in this subframe: use the Long DRX cycle". */
	if (short_expired)
		d->short_in_use = false;
	/* Short cycle: [(SFN * 10) + subframe] mod shortDRX-Cycle = drxStartOffset mod
	 * shortDRX-Cycle; long: [(SFN * 10) + subframe] mod longDRX-Cycle = drxStartOffset. Both
	 * cycles divide 10240, so the test holds across the SFN wrap. */
	cycle = d->short_in_use ? d->cfg.short_cycle : d->cfg.long_cycle;
	offset = (uint16_t)(d->cfg.start_offset % cycle);
	if (d->now % cycle == offset) {
		d->on_duration = d->cfg.on_duration;
		d->stats.on_durations++;
	}
	/* Active Time (§5.7): onDurationTimer, drx-InactivityTimer or a drx-RetransmissionTimer
	 * running, or an SR pending, RA in progress or an UL retransmission grant possible. */
	d->active = d->on_duration || d->inactivity || level;
	for (p = 0; p < MAC_DRX_HARQ_PROCS && !d->active; p++)
		d->active = d->retx[p] != 0;
	if (d->active)
		d->stats.active++;
}

/* Nothing runs but the cycle itself (and drxShortCycleTimer): no onDurationTimer,
 * drx-InactivityTimer, HARQ RTT Timer or drx-RetransmissionTimer. */
static bool quiet(const struct mac_drx *d)
{
	unsigned p;

	if (d->on_duration || d->inactivity)
		return false;
	for (p = 0; p < MAC_DRX_HARQ_PROCS; p++)
		if (d->harq_rtt[p] || d->retx[p])
			return false;
	return true;
}

/* In a quiet state: subframes (>= 1) from now to the next onDurationTimer start, by the same
 * rules as advance(). drxShortCycleTimer, r subframes left, expires at now + r: the short
 * cycle's starts before that, the long cycle's from then on. */
static uint32_t to_start(const struct mac_drx *d)
{
	uint32_t c, off, first = 1, k;

	if (d->short_in_use && d->short_cycle) {
		c = d->cfg.short_cycle;
		off = d->cfg.start_offset % c;
		k = 1 + (off + c - (d->now + 1u) % c) % c;
		if (k < d->short_cycle)
			return k;
		first = d->short_cycle;
	}
	c = d->cfg.long_cycle;
	off = d->cfg.start_offset;
	return first + (off + c - (d->now + first) % c) % c;
}

/* Pass `n` quiet subframes at once, none of them an onDurationTimer start (n < to_start):
 * what n calls of advance() with nothing happening would do. */
static void skip(struct mac_drx *d, uint32_t n)
{
	d->now = (uint16_t)((d->now + n) % MAC_DRX_SFN_PERIOD);
	d->stats.subframes += n;
	d->level = false;
	d->active = false;
	if (d->short_cycle) {
		if (d->short_cycle <= n) {
			d->short_cycle = 0;
			d->short_in_use = false;
		} else {
			d->short_cycle = (uint16_t)(d->short_cycle - n);
		}
	}
}

int mac_drx_subframe(struct mac_drx *drx, uint16_t sfn, uint8_t subframe,
		     const struct mac_drx_events *ev)
{
	static const struct mac_drx_events none;
	struct mac_drx d;
	uint16_t t, gap;
	bool pdcch;

	if (!drx || sfn >= 1024 || subframe >= 10)
		return L2_EINVAL;
	if (!ev)
		ev = &none;
	if (ev->dl && ev->dl_harq >= MAC_DRX_HARQ_PROCS)
		return L2_EINVAL;
	t = (uint16_t)(sfn * 10 + subframe);
	/* Work on a copy: an error leaves `drx` as it was. */
	d = *drx;
	if (!d.started) {
		/* The first subframe: start from the one before, all timers stopped. */
		d.now = (uint16_t)((t + MAC_DRX_SFN_PERIOD - 1) % MAC_DRX_SFN_PERIOD);
		d.started = true;
	}
	gap = (uint16_t)((t + MAC_DRX_SFN_PERIOD - d.now) % MAC_DRX_SFN_PERIOD);
	if (gap == 0)
		return L2_EINVAL;
	/* The subframes slept through: step while timers run, then jump to just before the next
	 * onDurationTimer start (a long cycle is up to 2560 subframes). */
	while (gap > 1) {
		if (d.configured && quiet(&d)) {
			uint32_t k = to_start(&d), n = gap - 1u < k - 1 ? gap - 1u : k - 1;

			if (n) {
				skip(&d, n);
				gap = (uint16_t)(gap - n);
				continue;
			}
		}
		advance(&d, false);
		gap--;
	}
	advance(&d, ev->sr_pending || ev->ra_active || ev->ul_retx_pending);

	pdcch = ev->dl || ev->ul_new_tx || ev->drx_cmd;
	if (pdcch && !d.active)
		return L2_ESTATE;
	if (d.configured) {
		/* During the Active Time, "if the PDCCH indicates a DL transmission or if a DL
		 * assignment has been configured for this subframe: start the HARQ RTT Timer for
		 * the corresponding HARQ process; stop the drx-RetransmissionTimer" (§5.7). */
		if (ev->dl) {
			d.harq_rtt[ev->dl_harq] = MAC_DRX_HARQ_RTT;
			d.retx[ev->dl_harq] = 0;
			if (ev->dl_nack)
				d.nack |= (uint8_t)(1u << ev->dl_harq);
			else
				d.nack &= (uint8_t) ~(1u << ev->dl_harq);
		}
		/* "if the PDCCH indicates a new transmission (DL or UL): start or restart
		 * drx-InactivityTimer" (counted from the next subframe). */
		if ((ev->dl && ev->dl_new_tx) || ev->ul_new_tx)
			d.inactivity = (uint16_t)(d.cfg.inactivity + 1);
		/* "if a DRX Command MAC control element is received: stop onDurationTimer; stop
		 * drx-InactivityTimer", then the short or long cycle. The command arrives in the
		 * PDSCH its own PDCCH scheduled, so it is applied after that PDCCH's inactivity
		 * restart (which it would otherwise always be undone by) and takes effect from the
		 * next subframe. */
		if (ev->drx_cmd) {
			d.on_duration = 0;
			d.inactivity = 0;
			enter_drx_cycle(&d);
			d.stats.drx_commands++;
		}
	}
	*drx = d;
	return 0;
}

bool mac_drx_active(const struct mac_drx *drx)
{
	return drx->started && drx->active;
}

int mac_drx_next_wake(const struct mac_drx *drx, uint16_t *sfn, uint8_t *subframe)
{
	struct mac_drx d;
	uint32_t n = 0, now;

	if (!drx || !drx->started)
		return L2_ESTATE;
	d = *drx;
	/* A condition (SR pending, RA, UL retransmission) is taken to hold on: the next
	 * subframe. Else the same steps as mac_drx_subframe with nothing happening, while timers
	 * run (at most the 8 subframes of a HARQ RTT Timer without Active Time), then straight
	 * to the next onDurationTimer start. */
	for (;;) {
		if (d.configured && !drx->level && quiet(&d)) {
			n += to_start(&d);
			break;
		}
		advance(&d, drx->level);
		n++;
		if (d.active)
			break;
	}
	now = (drx->now + n) % MAC_DRX_SFN_PERIOD;
	if (sfn)
		*sfn = (uint16_t)(now / 10);
	if (subframe)
		*subframe = (uint8_t)(now % 10);
	return (int)n;
}
