/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread pool and a round-robin scheduler with an idle thread in WFI. */
#include "config.h"
#include "panic.h"
#include "space.h"
#include "thread.h"
#include <arch/trap.h>

static struct tcb tcbs[CONFIG_MAX_THREADS];
static struct tcb idle_tcb;
static uint32_t switch_stamp;

struct tcb *current;
struct kstats kstats;

struct tcb *thread_alloc(const char *name)
{
	unsigned i;

	for (i = 0; i < CONFIG_MAX_THREADS; i++) {
		if (tcbs[i].state == THREAD_INACTIVE && !tcbs[i].name) {
			tcbs[i].name = name;
			return &tcbs[i];
		}
	}
	return NULL;
}

void sched_init(void)
{
	idle_tcb.name = "idle";
	idle_tcb.is_idle = true;
	idle_tcb.state = THREAD_RUNNABLE;
	idle_tcb.regs.pc = (uint32_t)(uintptr_t)arch_idle_loop;
	idle_tcb.regs.cpsr = PSR_MODE_SVC | PSR_F;
	current = &idle_tcb;
	switch_stamp = arch_cycles();
}

/* Round robin over the thread table, starting after the current thread. */
static struct tcb *sched_pick(void)
{
	unsigned start = current->is_idle ? 0 : (unsigned)(current - tcbs) + 1;
	unsigned i;

	for (i = 0; i < CONFIG_MAX_THREADS; i++) {
		struct tcb *t = &tcbs[(start + i) % CONFIG_MAX_THREADS];

		if (t->state == THREAD_RUNNABLE)
			return t;
	}
	return &idle_tcb;
}

void sched_return(void)
{
	struct tcb *next = sched_pick();

	if (next != current) {
		uint32_t now = arch_cycles();

		current->cycles += now - switch_stamp;
		switch_stamp = now;
		kstats.switches++;
		if (next->space && next->space != current->space)
			space_activate(next->space);
		current = next;
	}
	arch_restore(&current->regs);
}
