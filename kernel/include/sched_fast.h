/* SPDX-License-Identifier: BSD-2-Clause */
/* The part of a thread switch the IPC fastpath inlines: accounting, space, UTCB register. */
#pragma once

#include "space.h"
#include "thread.h"
#include <arch/cpu.h>
#include <arch/trap.h>

/* *p += v on a doubleword-aligned counter, with one load and one store pair. */
static inline __attribute__((always_inline)) void add64(uint64_t *p, uint32_t v)
{
	uint64_t x;

	__asm__ volatile("ldrd	%Q0, %R0, [%1]\n\t"
			 "adds	%Q0, %Q0, %2\n\t"
			 "adc	%R0, %R0, #0\n\t"
			 "strd	%Q0, %R0, [%1]"
			 : "=&r"(x)
			 : "r"(p), "r"(v)
			 : "cc", "memory");
}

/*
 * Charges the cycles since the last switch to `current` and makes `next`
 * current, with `now` the PMCCNTR stamp of the switch. It does not count the switch (switch_to does; the fastpath's are
 * derived from its message counters, kstats_switches). The caller returns to
 * `next` with an exception return, which is the context synchronisation the
 * space switch still needs.
 */
static inline __attribute__((always_inline)) void sched_switch_fast(struct tcb *next, uint32_t now)
{
	struct sched_hot *h = &sched_hot;
	struct space *s = next->space;

	add64(&h->cur->cycles, now - h->switch_stamp);
	h->switch_stamp = now;
	if (s && s != h->active_space) {
		/* Through the kernel's empty low half (space_activate); rfe gives the final sync. */
		cp15_write_ttbr0(cp15_read_ttbr1());
		isb();
		cp15_write_contextidr(s->asid);
		isb();
		cp15_write_ttbr0(s->l1_pa);
		h->active_space = s;
	}
	/* TPIDRURO: user-readable, kernel-written thread register (ARM ARM B4.1.150). */
	__asm__ volatile("mcr p15, 0, %0, c13, c0, 3" : : "r"(next->utcb));
	h->cur = next;
}

/*
 * Benno invariant: the running thread has the highest priority of all ready
 * threads, so a partner at least as urgent as the current thread may run
 * next without looking at the ready queues.
 */
static inline __attribute__((always_inline)) bool sched_may_run_next(const struct tcb *t)
{
	return t->prio >= current->prio || !sched_hot.rq_top ||
	       (int)t->prio >= sched_highest_prio();
}
