/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Run to completion for the collocated binding (<module>_colo.c): tasks linked into one
 * address space call each other's operations directly, in the caller's thread.
 *
 * The binding replays the order a fixed-priority scheduler gives the same operations
 * between tasks. Each bound interface has the priority of the thread that served it
 * (`<iface>_colo_prio`, 0 unless set); an operation runs at its interface's priority:
 *
 * - a two-way operation is a plain function call (the caller waits either way);
 * - a oneway operation sent from outside any collocated operation runs at once;
 * - a oneway operation sent from inside one runs at once when its priority is above the
 *   running one's and no operation of its interface is running (its server thread would
 *   have been waiting, and preempted the sender); else it is queued with a copy of its
 *   arguments and runs when the running priority drops below its own and its interface
 *   is idle: when the operation that sent it (or the one it returns to) finishes.
 *   Queued operations run highest priority first, in the order sent among equals.
 *
 * So an implementation never re-enters itself through a oneway indication that comes
 * back to it (MAC -> RLC -> MAC), and a oneway send keeps its multi-server order. The
 * state is one per address space: the collocated tasks run one event at a time (their
 * events come at the CPU's idle entry, docs/modem.md), so no two threads are inside it at
 * once.
 */
#pragma once

#include <stdint.h>
#include <string.h>

#define L4E_COLO_QUEUE 64u   /* queued oneway operations per address space */
#define L4E_COLO_ARENA 4096u /* bytes for their arguments (reused once the queue is empty) */
#define L4E_COLO_IDLE  -1    /* the running priority outside every collocated operation */

struct l4e_colo_call {
	void (*run)(const void *args);
	uint32_t *active; /* its interface's operations running: it waits for 0 */
	int prio;
	uint32_t seq;
	uint32_t args; /* offset of its copied arguments in the arena */
};

struct l4e_colo {
	uint32_t depth; /* collocated operations running (nested calls) */
	int prio;	/* the running one's priority (valid when depth > 0) */
	uint32_t queued, seq;
	uint32_t calls;	    /* operations run (directly or from the queue) */
	uint32_t deferred;  /* oneway operations queued behind a more urgent one */
	uint32_t preempted; /* oneway operations run at once inside a less urgent one */
	uint32_t refused;   /* oneway operations refused because the queue was full */
	uint32_t max_queued;
	uint32_t used; /* bytes of the arena taken */
	struct l4e_colo_call q[L4E_COLO_QUEUE];
	uint64_t arena[L4E_COLO_ARENA / 8];
};

/* One instance per address space: every <module>_colo.c defines it weak. */
extern struct l4e_colo l4e_colo;

/* Runs queued operations above priority `floor` (the running one's) whose interfaces are
 * idle, the most urgent first. */
static inline void l4e_colo_drain(int floor)
{
	for (;;) {
		struct l4e_colo_call c;
		uint32_t i, best = L4E_COLO_QUEUE;

		for (i = 0; i < l4e_colo.queued; i++)
			if (l4e_colo.q[i].prio > floor && !*l4e_colo.q[i].active &&
			    (best == L4E_COLO_QUEUE || l4e_colo.q[i].prio > l4e_colo.q[best].prio ||
			     (l4e_colo.q[i].prio == l4e_colo.q[best].prio &&
			      l4e_colo.q[i].seq - l4e_colo.q[best].seq > 0x80000000u)))
				best = i;
		if (best == L4E_COLO_QUEUE)
			return;
		c = l4e_colo.q[best];
		l4e_colo.q[best] = l4e_colo.q[--l4e_colo.queued];
		(*c.active)++;
		l4e_colo.depth++;
		l4e_colo.prio = c.prio;
		l4e_colo.calls++;
		c.run((const uint8_t *)l4e_colo.arena + c.args);
		l4e_colo.depth--;
		(*c.active)--;
		l4e_colo.prio = floor; /* back in the operation that drains */
		if (!l4e_colo.queued)
			l4e_colo.used = 0;
	}
}

/* Enters an operation of priority `prio` of the interface whose running operations
 * `active` counts; returns what l4e_colo_leave restores. */
static inline int l4e_colo_enter(int prio, uint32_t *active)
{
	int was = l4e_colo.depth ? l4e_colo.prio : L4E_COLO_IDLE;

	(*active)++;
	l4e_colo.depth++;
	l4e_colo.prio = prio;
	l4e_colo.calls++;
	return was;
}

/* Leaves it: back at priority `was`, what was queued above it runs. */
static inline void l4e_colo_leave(int was, uint32_t *active)
{
	(*active)--;
	l4e_colo.depth--;
	l4e_colo.prio = was;
	l4e_colo_drain(was);
}

/* True when a oneway operation of priority `prio` must be queued rather than run now. */
static inline int l4e_colo_busy(int prio, uint32_t *active)
{
	if (!l4e_colo.depth)
		return 0;
	if (prio > l4e_colo.prio && !*active) {
		l4e_colo.preempted++;
		return 0;
	}
	return 1;
}

/* Queues `run(args)` at `prio` with a copy of `size` bytes of `args`; -1 when the queue or
 * the arena is full (refused and counted). */
static inline int l4e_colo_defer(void (*run)(const void *), const void *args, uint32_t size,
				 int prio, uint32_t *active)
{
	uint32_t room = (size + 7u) & ~7u;
	struct l4e_colo_call *c;

	if (l4e_colo.queued >= L4E_COLO_QUEUE || room > L4E_COLO_ARENA - l4e_colo.used) {
		l4e_colo.refused++;
		return -1;
	}
	c = &l4e_colo.q[l4e_colo.queued++];
	c->run = run;
	c->active = active;
	c->prio = prio;
	c->seq = l4e_colo.seq++;
	c->args = l4e_colo.used;
	if (size)
		memcpy((uint8_t *)l4e_colo.arena + c->args, args, size);
	l4e_colo.used += room;
	l4e_colo.deferred++;
	if (l4e_colo.queued > l4e_colo.max_queued)
		l4e_colo.max_queued = l4e_colo.queued;
	return 0;
}
