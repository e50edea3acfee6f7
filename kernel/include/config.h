/* SPDX-License-Identifier: BSD-2-Clause */
/* Build configuration: every CONFIG_* is defined to a value (0/1 for switches). */
#pragma once

/*
 * The build passes these with -D; the defaults below only apply to a
 * translation unit compiled outside SCons (for example on the host).
 * Code tests them with `if (CONFIG_X)`, never with #ifdef inside a function body.
 */
#ifndef CONFIG_CONSOLE
#define CONFIG_CONSOLE 1
#endif
#ifndef CONFIG_TRACE
#define CONFIG_TRACE 0
#endif
/*
 * Kernel time per thread (the user/kernel split of the accounting): an entry stamp at
 * every kernel entry and its charge at the switch, about 9 cycles per kernel pass, 18 per
 * fastpath round trip. On with the trace ring (the profiling kernel), off otherwise.
 */
#ifndef CONFIG_ACCT_KERNEL
#define CONFIG_ACCT_KERNEL CONFIG_TRACE
#endif
/* The trace ring's size in bytes, log2: 21 is 2 MiB, 131,072 records of 16 bytes. */
#ifndef CONFIG_TRACE_LOG2
#define CONFIG_TRACE_LOG2 21
#endif
#ifndef CONFIG_DEBUG
#define CONFIG_DEBUG 0
#endif
#ifndef CONFIG_SEMIHOSTING
#define CONFIG_SEMIHOSTING 1
#endif
#ifndef CONFIG_USER_PMU
#define CONFIG_USER_PMU 0
#endif
#ifndef CONFIG_RAM_MB
#define CONFIG_RAM_MB 128
#endif
#ifndef CONFIG_MAX_THREADS
#define CONFIG_MAX_THREADS 64
#endif
#ifndef CONFIG_MAX_SPACES
#define CONFIG_MAX_SPACES 16
#endif
#ifndef CONFIG_MAX_L2_TABLES
#define CONFIG_MAX_L2_TABLES 128
#endif
#ifndef CONFIG_MAX_ENDPOINTS
#define CONFIG_MAX_ENDPOINTS 64
#endif
#ifndef CONFIG_MAX_NOTIFICATIONS
#define CONFIG_MAX_NOTIFICATIONS 64
#endif
#ifndef CONFIG_MAX_KMEM
#define CONFIG_MAX_KMEM 16 /* kernel-memory quotas besides the root's */
#endif
#ifndef CONFIG_TIMESLICE_MS
#define CONFIG_TIMESLICE_MS 10
#endif
#ifndef CONFIG_SELFTEST_PANIC
#define CONFIG_SELFTEST_PANIC 0
#endif
/* Use-after-free detection: poisoned free objects, generations on every reference (kdebug.h). */
#ifndef CONFIG_KDEBUG
#define CONFIG_KDEBUG 0
#endif
/* Test only: L4_SYS_IRQ_SET forgets its reference again (issue 11, finding 2), for KDEBUG to find. */
#ifndef CONFIG_SELFTEST_STALE
#define CONFIG_SELFTEST_STALE 0
#endif
/* Test only: an endpoint keeps its send or receive state when its queue empties, for KASSERT. */
#ifndef CONFIG_SELFTEST_QUEUE
#define CONFIG_SELFTEST_QUEUE 0
#endif

#define KERNEL_VERSION "0.1.0"
