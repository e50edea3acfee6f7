/* SPDX-License-Identifier: BSD-2-Clause */
/* The optional trace ring (CONFIG_TRACE): switch, IPC, IRQ, notification, fault, sleep/wake. */
#pragma once

#include "config.h"
#include "thread.h"
#include "util.h"
#include <arch/trap.h>
#include <uapi/l4/abi.h>

/* The ring is aligned to its size: the fastpath tests for the end with one shift. */
#define TRACE_BYTES	   (CONFIG_TRACE ? 1u << CONFIG_TRACE_LOG2 : 16u)
#define TRACE_RECORD_BYTES 16u

/*
 * Appends a record {type | from << 8 | to << 16, a, b, stamp}; `from` is the current
 * thread. The fastpath writes its own records (fastpath.S: {next TCB, tag, badge, stamp}).
 */
void trace_record(uint32_t word0, uint32_t a, uint32_t b, uint32_t stamp);
void trace_init(void);
/*
 * Copies up to `max` events from index `first` (clamped to the oldest one kept) into
 * `out`, decoded; *first_out is the index of the first copied, *total the events recorded.
 */
unsigned trace_read(uint32_t first, struct l4_trace_event *out, unsigned max, uint32_t *first_out,
		    uint32_t *total);

#define trace_word0(type, to) ((uint32_t)(type) | (uint32_t)current->id << 8 | (uint32_t)(to) << 16)

static inline void trace_event_at(unsigned type, unsigned to, uint32_t a, uint32_t b,
				  uint32_t stamp)
{
	if (CONFIG_TRACE)
		trace_record(trace_word0(type, to), a, b, stamp);
}

static inline void trace_event(unsigned type, unsigned to, uint32_t a, uint32_t b)
{
	if (CONFIG_TRACE)
		trace_record(trace_word0(type, to), a, b, arch_cycles());
}
