/* SPDX-License-Identifier: BSD-2-Clause */
/* The trace ring: the last CONFIG_TRACE_EVENTS switch/IPC/IRQ events with cycle stamps. */
#include "trace.h"
#include "thread.h"
#include <arch/trap.h>

#define TRACE_EVENTS (CONFIG_TRACE ? 1024u : 1u)

static struct l4_trace_event ring[TRACE_EVENTS];
static uint32_t next_event; /* total recorded; ring index = next_event % TRACE_EVENTS */

void trace_record(unsigned type, uint32_t a, uint32_t b)
{
	struct l4_trace_event *e = &ring[next_event++ % TRACE_EVENTS];

	e->cycles = arch_cycles();
	e->type = (uint16_t)type;
	e->thread = current ? current->id : 0;
	e->a = a;
	e->b = b;
}

/* Events older than the ring are gone; `first` is clamped to the oldest kept. */
unsigned trace_read(uint32_t first, struct l4_trace_event *out, unsigned max)
{
	uint32_t oldest = next_event > TRACE_EVENTS ? next_event - TRACE_EVENTS : 0;
	unsigned n = 0;

	if (!CONFIG_TRACE)
		return 0;
	if (first < oldest)
		first = oldest;
	while (first < next_event && n < max)
		out[n++] = ring[first++ % TRACE_EVENTS];
	return n;
}
