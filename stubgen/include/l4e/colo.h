/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Run to completion for the collocated binding (<module>_colo.c): tasks linked into one
 * address space call each other's operations directly, in the caller's thread.
 *
 * A two-way operation is a plain function call. A oneway operation sent while another
 * collocated operation is running (depth > 0) is not run inside it: it is queued, with a
 * copy of its arguments, and run after the outermost collocated operation of that thread
 * returns, in the order sent. So an implementation never re-enters itself through a
 * oneway indication that comes back to it (MAC -> RLC -> MAC), and a oneway send keeps its
 * multi-server meaning: the receiver handles it after the sender's handler has finished.
 * The queue is one per address space: the collocated tasks run one event at a time (their
 * events come at the CPU's idle entry, docs/modem.md), so no two threads are inside it at
 * once.
 */
#pragma once

#include <stdint.h>
#include <string.h>

#define L4E_COLO_ARGS  48u /* bytes of arguments a queued oneway operation may carry */
#define L4E_COLO_QUEUE 64u /* queued oneway operations per address space */

struct l4e_colo_call {
	void (*run)(const void *args);
	uint32_t args[L4E_COLO_ARGS / 4];
};

struct l4e_colo {
	uint32_t depth; /* collocated operations running (nested calls) */
	uint32_t head, tail;
	uint32_t calls;	   /* operations called directly */
	uint32_t deferred; /* oneway operations queued behind the running one */
	uint32_t refused;  /* oneway operations refused because the queue was full */
	uint32_t max_queued;
	struct l4e_colo_call q[L4E_COLO_QUEUE];
};

/* One instance per address space: every <module>_colo.c defines it weak. */
extern struct l4e_colo l4e_colo;

static inline void l4e_colo_enter(void)
{
	l4e_colo.depth++;
	l4e_colo.calls++;
}

/* Leaves an operation; the outermost one runs what was queued meanwhile (which may queue
 * more, run in turn). */
static inline void l4e_colo_leave(void)
{
	if (l4e_colo.depth > 1) {
		l4e_colo.depth--;
		return;
	}
	while (l4e_colo.head != l4e_colo.tail) {
		struct l4e_colo_call c = l4e_colo.q[l4e_colo.head % L4E_COLO_QUEUE];

		l4e_colo.head++;
		l4e_colo.calls++;
		c.run(c.args);
	}
	l4e_colo.depth = 0;
}

/* True when a oneway operation must be queued rather than run now. */
static inline int l4e_colo_busy(void)
{
	return l4e_colo.depth != 0;
}

/* Queues `run(args)`; -1 when the queue is full (the operation is refused and counted). */
static inline int l4e_colo_defer(void (*run)(const void *), const void *args, uint32_t size)
{
	struct l4e_colo_call *c;
	uint32_t n = l4e_colo.tail - l4e_colo.head;

	if (n >= L4E_COLO_QUEUE || size > L4E_COLO_ARGS) {
		l4e_colo.refused++;
		return -1;
	}
	c = &l4e_colo.q[l4e_colo.tail % L4E_COLO_QUEUE];
	c->run = run;
	memcpy(c->args, args, size);
	l4e_colo.tail++;
	l4e_colo.deferred++;
	if (n + 1 > l4e_colo.max_queued)
		l4e_colo.max_queued = n + 1;
	return 0;
}
