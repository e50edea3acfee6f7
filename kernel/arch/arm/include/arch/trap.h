/* SPDX-License-Identifier: BSD-2-Clause */
/* Architecture entry points the generic kernel calls. */
#pragma once

#include <arch/regs.h>
#include <stdint.h>

/* Vectors, PMU, the end of the boot identity map. */
void arch_init(void);
/* C side of every exception; never returns (goes back through sched_return). */
void arm_trap(struct arch_regs *regs, unsigned kind) __attribute__((noreturn));

void arch_dump_regs(const struct arch_regs *regs);
/* Fault status and address registers, for a panic. */
void arch_dump_cpu_state(void);

static inline uint32_t arch_cycles(void)
{
	uint32_t v;
	__asm__ volatile("mrc p15, 0, %0, c9, c13, 0" : "=r"(v));
	return v;
}
