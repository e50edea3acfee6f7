/* SPDX-License-Identifier: BSD-2-Clause */
/* What the RLC task publishes for the MAC in the rlc_status pool, so the MAC calls rlc::data tick only when it has work. */
#pragma once

#include <stdint.h>

/*
 * Written by RLC at the end of every operation (and when a new instance starts), read by
 * the MAC at the start of each subframe. A tick is a no-op unless a timer of an entity
 * is due or SDUs wait in RLC's up queue, and the bytes waiting change only in RLC's
 * operations; so the MAC takes `bytes` from here and calls tick only when
 * `tick_due` says so: the timers still run on the subframe they are due, and the MAC
 * sees the same buffer status a tick would have answered.
 */
#define L4E_RLC_STATUS_LCH 6 /* logical channels 1..6 (rlc::LCH_MAX), index lcid - 1 */

struct l4e_rlc_status {
	uint32_t bytes[L4E_RLC_STATUS_LCH]; /* bytes waiting per logical channel (BSR, LCP) */
	uint32_t due_ms;		    /* radio time the earliest running timer is due at */
	uint32_t timers;		    /* nonzero: a timer runs (due_ms is valid) */
	uint32_t up_pending; /* nonzero: SDUs wait in the up queue (tick sends them) */
	uint32_t valid;	     /* nonzero once an RLC instance published */
};

/* True when the tick at radio time `now_ms` would do something (or nothing is known). */
static inline int l4e_rlc_tick_due(const volatile struct l4e_rlc_status *s, uint32_t now_ms)
{
	return !s->valid || s->up_pending || (s->timers && (int32_t)(now_ms - s->due_ms) >= 0);
}
