/* SPDX-License-Identifier: BSD-2-Clause */
/* Exception handling in C: system calls, interrupts, user faults and kernel faults. */
#include "config.h"
#include "ipc.h"
#include "irq.h"
#include "panic.h"
#include "printk.h"
#include "syscall.h"
#include "thread.h"
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/trap.h>
#include <plat/platform.h>

extern char arm_vectors[];
extern uint32_t boot_l1[];

static const char *const trap_names[] = {
	[ARCH_TRAP_RESET] = "reset",
	[ARCH_TRAP_UNDEF] = "undefined instruction",
	[ARCH_TRAP_SVC] = "supervisor call",
	[ARCH_TRAP_PABT] = "prefetch abort",
	[ARCH_TRAP_DABT] = "data abort",
	[ARCH_TRAP_HYP] = "hyp trap",
	[ARCH_TRAP_IRQ] = "irq",
	[ARCH_TRAP_FIQ] = "fiq",
};

static const char *mode_name(uint32_t cpsr)
{
	switch (cpsr & PSR_MODE_MASK) {
	case PSR_MODE_USR:
		return "usr";
	case PSR_MODE_FIQ:
		return "fiq";
	case PSR_MODE_IRQ:
		return "irq";
	case PSR_MODE_SVC:
		return "svc";
	case PSR_MODE_ABT:
		return "abt";
	case PSR_MODE_UND:
		return "und";
	case PSR_MODE_SYS:
		return "sys";
	default:
		return "???";
	}
}

void arch_init(void)
{
	cp15_write_vbar((uint32_t)(uintptr_t)arm_vectors);
	/* The identity section of head.S is no longer needed: TTBR0 now maps nothing. */
	boot_l1[PLAT_RAM_BASE >> 20] = 0;
	dsb();
	cp15_write_tlbiall(0);
	dsb();
	isb();

	/* PMU cycle counter: enabled, reset, counting every cycle (PMCR.E|C). */
	cp15_write_pmcr((cp15_read_pmcr() & ~0x8u) | 0x5u);
	cp15_write_pmcntenset(BIT(31));
	cp15_write_pmuserenr(CONFIG_USER_PMU ? 1 : 0);
	isb();
}

void arch_dump_regs(const struct arch_regs *r)
{
	unsigned i;

	for (i = 0; i < 13; i++)
		printk("r%-2u %08x%s", i, (unsigned)r->r[i], (i % 4 == 3) ? "\n" : "  ");
	printk("sp  %08x  lr  %08x  pc  %08x  cpsr %08x (%s)\n", (unsigned)r->sp, (unsigned)r->lr,
	       (unsigned)r->pc, (unsigned)r->cpsr, mode_name(r->cpsr));
}

void arch_dump_cpu_state(void)
{
	printk("dfsr %08x  dfar %08x  ifsr %08x  ifar %08x  cycles %u\n",
	       (unsigned)cp15_read_dfsr(), (unsigned)cp15_read_dfar(), (unsigned)cp15_read_ifsr(),
	       (unsigned)cp15_read_ifar(), (unsigned)arch_cycles());
}

static bool from_user(const struct arch_regs *regs)
{
	return (regs->cpsr & PSR_MODE_MASK) == PSR_MODE_USR;
}

/* A user thread faulted: a message to its fault endpoint, or stopped and reported. */
static void user_fault(struct tcb *t, unsigned kind)
{
	switch (kind) {
	case ARCH_TRAP_DABT:
		fault_deliver(t, L4_FAULT_DABT, cp15_read_dfar(), cp15_read_dfsr());
		break;
	case ARCH_TRAP_PABT:
		fault_deliver(t, L4_FAULT_PABT, cp15_read_ifar(), cp15_read_ifsr());
		break;
	default:
		fault_deliver(t, L4_FAULT_UNDEF, t->regs.pc, 0);
		break;
	}
}

void arm_trap(struct arch_regs *regs, unsigned kind)
{
	if (!from_user(regs)) {
		if (kind == ARCH_TRAP_IRQ && current->is_idle) {
			irq_handle();
			sched_return();
		}
		if (kind == ARCH_TRAP_SVC)
			plat_poweroff_psci(); /* semihosting exit not intercepted */
		panic_regs(regs, "unexpected %s in kernel mode", trap_names[kind & 7]);
	}

	switch (kind) {
	case ARCH_TRAP_SVC:
		syscall_dispatch(regs);
		break;
	case ARCH_TRAP_IRQ:
		irq_handle();
		break;
	case ARCH_TRAP_UNDEF:
	case ARCH_TRAP_PABT:
	case ARCH_TRAP_DABT:
		user_fault(current, kind);
		break;
	default:
		panic_regs(regs, "unexpected %s from user mode", trap_names[kind & 7]);
	}
	sched_return();
}
