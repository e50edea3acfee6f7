/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread control blocks and the scheduler. */
#pragma once

#include "util.h"
#include <arch/regs.h>

struct space;

enum thread_state {
	THREAD_INACTIVE = 0,
	THREAD_RUNNABLE,
	THREAD_STOPPED, /* faulted with nobody to handle it */
};

struct tcb {
	struct arch_regs regs; /* must stay first: the trap entry saves into it */
	enum thread_state state;
	struct space *space;
	const char *name;
	bool privileged; /* may call L4_SYS_SYSTEM_OFF */
	bool is_idle;
	uint64_t cycles; /* active PMCCNTR cycles, added at every switch */
};
_Static_assert(__builtin_offsetof(struct tcb, regs) == 0, "trap entry saves at TCB start");

extern struct tcb *current;

struct tcb *thread_alloc(const char *name);
void sched_init(void);
/* Picks the next thread, switches space and returns to it. */
__noreturn void sched_return(void);

struct kstats {
	uint64_t syscalls;
	uint64_t irqs;
	uint64_t switches;
};
extern struct kstats kstats;
