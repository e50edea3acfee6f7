/* SPDX-License-Identifier: BSD-2-Clause */
/* The saved user context, laid out exactly as the trap entry in vectors.S stores it. */
#pragma once

#define ARCH_REG_R0    0
#define ARCH_REG_SP    13
#define ARCH_REG_LR    14
#define ARCH_REG_PC    15
#define ARCH_REG_CPSR  16
#define ARCH_REG_COUNT 17

/* Trap kinds passed from vectors.S to arm_trap(): the vector's index. */
#define ARCH_TRAP_RESET 0
#define ARCH_TRAP_UNDEF 1
#define ARCH_TRAP_SVC	2
#define ARCH_TRAP_PABT	3
#define ARCH_TRAP_DABT	4
#define ARCH_TRAP_HYP	5
#define ARCH_TRAP_IRQ	6
#define ARCH_TRAP_FIQ	7

#ifndef __ASSEMBLER__
#include <stdint.h>

struct arch_regs {
	uint32_t r[13];
	uint32_t sp;
	uint32_t lr;
	uint32_t pc;   /* return address (faulting instruction for aborts) */
	uint32_t cpsr; /* SPSR of the exception */
};
_Static_assert(sizeof(struct arch_regs) == ARCH_REG_COUNT * 4, "vectors.S frame size");
_Static_assert(__builtin_offsetof(struct arch_regs, sp) == ARCH_REG_SP * 4, "vectors.S sp");
_Static_assert(__builtin_offsetof(struct arch_regs, lr) == ARCH_REG_LR * 4, "vectors.S lr");
_Static_assert(__builtin_offsetof(struct arch_regs, pc) == ARCH_REG_PC * 4, "srsdb/rfeia pc");
_Static_assert(__builtin_offsetof(struct arch_regs, cpsr) == ARCH_REG_CPSR * 4, "srsdb/rfeia cpsr");

/*
 * Copies the tag (r1) and message registers MR0..MR7 (r2-r6, r8-r10) of a
 * saved frame with two load/store-multiple pairs; r7 stays the receiver's.
 */
static inline __attribute__((always_inline)) void arch_copy_msg(struct arch_regs *to,
								const struct arch_regs *from)
{
	__asm__ volatile("ldmib	%[f], {r2-r7}\n\t"
			 "stmib	%[t], {r2-r7}\n\t"
			 "add	r2, %[f], #32\n\t"
			 "ldm	r2, {r3-r5}\n\t"
			 "add	r2, %[t], #32\n\t"
			 "stm	r2, {r3-r5}"
			 :
			 : [f] "r"(from), [t] "r"(to)
			 : "r2", "r3", "r4", "r5", "r6", "r7", "memory");
}

/* Loads `regs` and returns to the mode it names; SP_svc is left at its end. */
void arch_restore(struct arch_regs *regs) __attribute__((noreturn));
void arch_idle_loop(void);
#endif

/* CPSR mode field (ARM ARM B1.3.1). */
#define PSR_MODE_MASK 0x1f
#define PSR_MODE_USR  0x10
#define PSR_MODE_FIQ  0x11
#define PSR_MODE_IRQ  0x12
#define PSR_MODE_SVC  0x13
#define PSR_MODE_ABT  0x17
#define PSR_MODE_UND  0x1b
#define PSR_MODE_SYS  0x1f
#define PSR_F	      0x40
#define PSR_I	      0x80
#define PSR_A	      0x100
#define PSR_T	      0x20
