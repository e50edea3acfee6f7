/* SPDX-License-Identifier: BSD-2-Clause */
/* Where every task thread starts: the supervisor left entry, argument and own slot in its UTCB. */
#include <l4/abi.h>

/*
 * UTCB user words (struct l4_utcb, offset 256): [0] entry function, [1] its
 * argument, [2] the thread's own capability slot. When the entry function
 * returns, the thread suspends itself for good. An entry of 0 is the
 * runtime's heartbeat thread (l4e_heartbeat_main).
 */
	.text
	.arm
	.global	l4e_task_start
l4e_task_start:
	mov	fp, #0
	mov	lr, #0
	mrc	p15, 0, r4, c13, c0, 3		/* TPIDRURO: this thread's UTCB */
	ldr	r1, [r4, #256]
	ldr	r0, [r4, #260]
	cmp	r1, #0
	ldreq	r1, =l4e_heartbeat_main
	blx	r1
	mrc	p15, 0, r4, c13, c0, 3
	ldr	r0, [r4, #264]
	mov	r1, #L4_THREAD_SUSPEND
	mov	r7, #L4_SYS_THREAD_CTL
	svc	#0
	udf	#0
	.ltorg
