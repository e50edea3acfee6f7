/* SPDX-License-Identifier: BSD-2-Clause */
/* The optional trace ring of switch/IPC/IRQ events (CONFIG_TRACE). */
#pragma once

#include "config.h"
#include "util.h"
#include <uapi/l4/abi.h>

void trace_record(unsigned type, uint32_t a, uint32_t b);
/* Copies up to `max` events starting at `first` into `out`; returns the count. */
unsigned trace_read(uint32_t first, struct l4_trace_event *out, unsigned max);

static inline void trace_event(unsigned type, uint32_t a, uint32_t b)
{
	if (CONFIG_TRACE)
		trace_record(type, a, b);
}
