/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Assembly macros of the accounting and the trace ring at kernel entry and in the IPC
 * fastpath (docs/kernel.md, Accounting). Each is self-contained and marks its own place:
 * ACCT_KENTRY at every kernel entry, ACCT_FAST_KERNEL and TRACE_FASTIPC in the fastpath's
 * switch after the cycle charge.
 */
#pragma once

#include <asm_offsets.h>

/*
 * The kernel entry stamp: PMCCNTR into sched_hot.kentry. The switch (or the return to the
 * same thread) charges the cycles since then to the thread's kernel time. \base and
 * \tmp are free registers.
 */
.macro ACCT_KENTRY base, tmp ldr	\base, = sched_hot mrc p15, 0, \tmp, c9, c13,
				 0 /* PMCCNTR */
	str	\tmp,
				 [\base, #HOT_KENTRY ]
					 .endm

					 /*
 * Fastpath: the current thread's kernel time, from the entry stamp to the switch stamp
 * just taken, into its 64-bit kcycles (the high word out of line, on a carry).
 * r7 = sched_hot, sp = the current TCB; uses r12, lr.
 */
					 .macro ACCT_FAST_KERNEL ldr r12,
				 [ r7, #HOT_KENTRY ] ldr lr, [ r7, #HOT_STAMP ] sub r12, lr,
				 r12 ldr lr, [ sp, #TCB_KCYCLES ] adds lr, lr, r12 str lr,
				 [ sp, #TCB_KCYCLES ] bcs 98f 97 :.pushsection.text.unlikely,
				 "ax" 98 : ldr lr,
				 [ sp, #(TCB_KCYCLES + 4) ] add lr,
				 lr,
				 #1 str lr,
				 [ sp, #(TCB_KCYCLES + 4) ] b 97b.popsection
						   .endm

						   /*
 * Fastpath, CONFIG_TRACE only: one 16-byte record {next TCB, tag, badge, switch stamp}
 * (kernel/src/trace.c decodes it). The ring is aligned to its size, so the write
 * pointer's low CONFIG_TRACE_LOG2 bits are 0 exactly at its end: then back to the start.
 * r0 = next, r1 = tag, r11 = badge, r7 = sched_hot; uses r12, lr.
 */
						   .macro TRACE_FASTIPC
#if CONFIG_TRACE
							   ldr r12,
				 [ r7, #HOT_TRACE ] ldr lr,
				 [ r7, #HOT_STAMP ] stmia r12 !,
				 {r0, r1, r11, lr} str r12,
				 [ r7, #HOT_TRACE ] lsls r12,
				 r12,
				 #(32 - CONFIG_TRACE_LOG2) beq 96f 95 :.pushsection.text.unlikely,
				 "ax" 96 : ldr r12,
				 [ r7, #HOT_TRACE ] sub r12,
				 r12,
				 #(1 << CONFIG_TRACE_LOG2) str r12,
				 [ r7, #HOT_TRACE ] ldr r12,
				 = trace_wraps ldr lr,
				 [r12] add lr,
				 lr,
				 #1 str lr,
				 [r12] b 95b.ltorg.popsection
#endif
						   .endm
