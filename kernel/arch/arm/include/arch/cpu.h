/* SPDX-License-Identifier: BSD-2-Clause */
/* ARMv7-A CP15 accessors and barriers used by the kernel. */
#pragma once

#include <stdint.h>

#define CP15_READ(name, op1, crn, crm, op2)                                                     \
	static inline uint32_t cp15_read_##name(void)                                           \
	{                                                                                       \
		uint32_t v;                                                                     \
		__asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(v)); \
		return v;                                                                       \
	}
#define CP15_WRITE(name, op1, crn, crm, op2)                                        \
	static inline void cp15_write_##name(uint32_t v)                            \
	{                                                                           \
		__asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 \
				 :                                                  \
				 : "r"(v)                                           \
				 : "memory");                                       \
	}
#define CP15_RW(name, op1, crn, crm, op2)   \
	CP15_READ(name, op1, crn, crm, op2) \
	CP15_WRITE(name, op1, crn, crm, op2)

/* ARM ARM B4.1: system control registers. */
CP15_RW(sctlr, 0, c1, c0, 0)
CP15_RW(ttbr0, 0, c2, c0, 0)
CP15_RW(ttbr1, 0, c2, c0, 1)
CP15_RW(ttbcr, 0, c2, c0, 2)
CP15_RW(contextidr, 0, c13, c0, 1)
CP15_RW(vbar, 0, c12, c0, 0)
CP15_READ(dfsr, 0, c5, c0, 0)
CP15_READ(ifsr, 0, c5, c0, 1)
CP15_READ(dfar, 0, c6, c0, 0)
CP15_READ(ifar, 0, c6, c0, 2)
CP15_READ(par, 0, c7, c4, 0)
CP15_WRITE(ats1cur, 0, c7, c8, 2)
CP15_WRITE(ats1cuw, 0, c7, c8, 3)
CP15_WRITE(tlbiall, 0, c8, c7, 0)
CP15_WRITE(tlbimva, 0, c8, c7, 1)
CP15_WRITE(dccmvau, 0, c7, c11, 1)
/* PMU (ARM ARM C12): cycle counter. */
CP15_RW(pmcr, 0, c9, c12, 0)
CP15_WRITE(pmcntenset, 0, c9, c12, 1)
CP15_RW(pmccntr, 0, c9, c13, 0)
CP15_WRITE(pmuserenr, 0, c9, c14, 0)
/* Generic timer (ARM ARM B8): physical timer of PL1. */
CP15_READ(cntfrq, 0, c14, c0, 0)
CP15_RW(cntp_tval, 0, c14, c2, 0)
CP15_RW(cntp_ctl, 0, c14, c2, 1)
CP15_RW(cntkctl, 0, c14, c1, 0)

static inline uint64_t cp15_read_cntpct(void)
{
	uint32_t lo, hi;
	__asm__ volatile("mrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

static inline void dsb(void)
{
	__asm__ volatile("dsb" ::: "memory");
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static inline uint32_t cpsr_read(void)
{
	uint32_t v;
	__asm__ volatile("mrs %0, cpsr" : "=r"(v));
	return v;
}
