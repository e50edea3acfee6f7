/* SPDX-License-Identifier: BSD-2-Clause */
/* Fatal kernel errors: print the reason and the state, then power off with failure. */
#pragma once

#include "util.h"

struct arch_regs;

/* Exit status QEMU reports after a panic. */
#define PANIC_EXIT_STATUS 3

__noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__noreturn void panic_regs(const struct arch_regs *regs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define BUG_ON(cond)                                                          \
	do {                                                                  \
		if (unlikely(cond))                                           \
			panic("BUG: %s at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)
