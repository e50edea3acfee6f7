/* SPDX-License-Identifier: BSD-2-Clause */
/* Benchmark helpers for root tasks on a CONFIG_USER_PMU=1 kernel: cycle reads and BENCH lines. */
#pragma once

#include <stdint.h>

#define KBENCH_SAMPLES 1001

/* The samples of the figure being measured. */
extern uint32_t kbench_samples[KBENCH_SAMPLES];

/* PMCCNTR: one per instruction under -icount shift=0. */
static inline uint32_t kbench_cycles(void)
{
	uint32_t v;

	__asm__ volatile("isb\n\tmrc p15, 0, %0, c9, c13, 0" : "=r"(v) : : "memory");
	return v;
}

/* Sorts the first n samples and prints "BENCH name min= median= max="; returns the median. */
uint32_t kbench_report(const char *name, unsigned n);
/* Prints "BENCH-ERROR name why": tools/qemu.py bench fails the run. */
void kbench_error(const char *name, const char *why);
