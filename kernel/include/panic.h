/* SPDX-License-Identifier: BSD-2-Clause */
/* Fatal kernel errors: print the reason and the state, then power off with failure. */
#pragma once

#include "config.h"
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

/*
 * A state the code trusts (a queue it takes the head of is not empty, a count it
 * decrements is not zero): checked only in a KDEBUG=1 kernel, where a broken one panics
 * with the condition and where. Without KDEBUG the condition is not even evaluated (it
 * must have no side effects) and the code is the same as without the assertion.
 * BUG_ON checks in every build.
 */
#define KASSERT(cond)                                                                             \
	do {                                                                                      \
		if (CONFIG_KDEBUG && unlikely(!(cond)))                                           \
			panic("KDEBUG: assertion %s failed at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)
