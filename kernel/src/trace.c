/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The trace ring: 16-byte records with cycle stamps, written in place by the C paths
 * (trace_record) and by the IPC fastpath (fastpath.S, TRACE_FASTIPC), overwriting the
 * oldest when full. A C record's first word is type | from << 8 | to << 16; a fastpath
 * record's is the next thread's TCB address (a kernel address, >= KERNEL_VBASE), then
 * tag, badge, stamp, its low two bits the kind of record (arch/prof.inc). trace_read
 * decodes both into struct l4_trace_event.
 */
#include "trace.h"
#include "thread.h"
#include <arch/trap.h>

#define TRACE_RECORDS (TRACE_BYTES / TRACE_RECORD_BYTES)
_Static_assert(_Alignof(struct tcb) >= 4,
	       "a fastpath record keeps its kind in a TCB address's low bits");
_Static_assert(TRACE_RECORD_BYTES == 16, "fastpath.S stores four words");

static uint32_t ring[TRACE_BYTES / 4] __aligned(TRACE_BYTES);
uint32_t trace_wraps; /* times the write pointer went round (fastpath.S increments it too) */

/* Where the fastpath's switch leaves the sender: the reader follows the running thread. */
static uint32_t rd_next;
static uint8_t rd_cur = L4_TRACE_UNKNOWN;

void trace_init(void)
{
	sched_hot.trace_ptr = ring;
}

void trace_record(uint32_t word0, uint32_t a, uint32_t b, uint32_t stamp)
{
	uint32_t *p = sched_hot.trace_ptr;

	p[0] = word0;
	p[1] = a;
	p[2] = b;
	p[3] = stamp;
	p += 4;
	if (p == ring + TRACE_BYTES / 4) {
		p = ring;
		trace_wraps++;
	}
	sched_hot.trace_ptr = p;
}

static uint32_t trace_total(void)
{
	return trace_wraps * TRACE_RECORDS + (uint32_t)(sched_hot.trace_ptr - ring) / 4;
}

static void decode(const uint32_t *r, struct l4_trace_event *e)
{
	e->cycles = r[3];
	e->a = r[1];
	e->b = r[2];
	e->pad = 0;
	if (r[0] >= 0x80000000u) { /* a fastpath record: a TCB address | kind (prof.inc) */
		uint8_t id = ((const struct tcb *)(uintptr_t)(r[0] & ~3u))->id;
		static const uint8_t types[4] = {L4_TRACE_FASTIPC, L4_TRACE_IPC, L4_TRACE_SWITCH,
						 L4_TRACE_IPC};

		e->type = types[r[0] & 3];
		e->thread = (r[0] & 3) == 3 ? id : rd_cur;
		e->to = (r[0] & 3) == 3 ? rd_cur : id;
	} else {
		e->type = (uint8_t)r[0];
		e->thread = (uint8_t)(r[0] >> 8);
		e->to = (uint8_t)(r[0] >> 16);
	}
	if (e->type == L4_TRACE_SWITCH || e->type == L4_TRACE_FASTIPC)
		rd_cur = e->to;
}

/*
 * The thread running at record `i`, from the nearest earlier record that says (at most
 * TRACE_LOOKBACK back: a read that does not continue the last one is then bounded).
 */
#define TRACE_LOOKBACK 64u
static uint8_t running_before(uint32_t i, uint32_t oldest)
{
	uint32_t stop = i > oldest + TRACE_LOOKBACK ? i - TRACE_LOOKBACK : oldest;

	while (i-- > stop) {
		const uint32_t *r = &ring[(i % TRACE_RECORDS) * 4];

		if (r[0] >= 0x80000000u) {
			if ((r[0] & 3) == 0 || (r[0] & 3) == 2) /* a switch to that thread */
				return ((const struct tcb *)(uintptr_t)(r[0] & ~3u))->id;
		} else if ((uint8_t)r[0] == L4_TRACE_SWITCH) {
			return (uint8_t)(r[0] >> 16);
		} else if ((uint8_t)r[0] != L4_TRACE_IPC) { /* recorded by the running thread */
			return (uint8_t)(r[0] >> 8);
		}
	}
	return L4_TRACE_UNKNOWN;
}

unsigned trace_read(uint32_t first, struct l4_trace_event *out, unsigned max, uint32_t *first_out,
		    uint32_t *total)
{
	uint32_t end, oldest;
	unsigned n = 0;

	*first_out = *total = 0;
	if (!CONFIG_TRACE)
		return 0;
	end = trace_total();
	oldest = end > TRACE_RECORDS ? end - TRACE_RECORDS : 0;
	if (first < oldest)
		first = oldest;
	if (first != rd_next) /* not where the last read ended */
		rd_cur = running_before(first, oldest);
	*first_out = first;
	*total = end;
	while (first < end && n < max)
		decode(&ring[(first++ % TRACE_RECORDS) * 4], &out[n++]);
	rd_next = first;
	return n;
}
