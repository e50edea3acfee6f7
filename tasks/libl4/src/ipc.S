/* SPDX-License-Identifier: BSD-2-Clause */
/* libl4 IPC calls: load the tag and message registers, trap, store what came back. */
#include <l4/abi.h>

/*
 * Message registers MR0..MR7 travel in r2-r6, r8-r10 (<l4/abi.h>). Each call
 * saves the callee-saved registers it uses, so from C they are ordinary
 * functions (AAPCS).
 */

/* Loads tag from [r1] (or r1 itself when \byval), MRs from the array at r2. */
.macro IPC_LOAD byval
	push	{r4-r11, lr}
	push	{r1-r3}			/* tag ptr, mr ptr, badge ptr */
	.if \byval == 0
	ldr	r1, [r1]
	.endif
	ldm	r2, {r2-r6, r8-r10}		/* base in the list, no writeback: allowed */
.endm

/* Stores tag, MRs (and badge, when asked) back; returns r0. */
.macro IPC_STORE badge
	pop	{r7, r12, lr}		/* tag ptr, mr ptr, badge ptr */
	str	r1, [r7]
	stm	r12, {r2-r6, r8-r10}
	.if \badge
	cmp	lr, #0
	strne	r11, [lr]
	.endif
	pop	{r4-r11, pc}
.endm

.macro IPC_FUNC name, nr, byval, store, badge
	.global	\name
	.type	\name, %function
\name:
	IPC_LOAD \byval
	mov	r7, #\nr
	svc	#0
	.if \store
	IPC_STORE \badge
	.else
	add	sp, sp, #12
	pop	{r4-r11, pc}
	.endif
	.size	\name, . - \name
.endm

	.text
	.arm
	/* int l4_call(cap, tag *, mr[]) */
	IPC_FUNC l4_call, L4_SYS_CALL, 0, 1, 0
	/* int l4_recv(cap, tag *, mr[], badge *) */
	IPC_FUNC l4_recv, L4_SYS_RECV, 0, 1, 1
	IPC_FUNC l4_nbrecv, L4_SYS_NBRECV, 0, 1, 1
	/* int l4_reply_recv(cap, tag *, mr[], badge *): replies with *tag and mr[] first */
	IPC_FUNC l4_reply_recv, L4_SYS_REPLY_RECV, 0, 1, 1
	/* int l4_send(cap, tag, const mr[]) */
	IPC_FUNC l4_send, L4_SYS_SEND, 1, 0, 0
	IPC_FUNC l4_nbsend, L4_SYS_NBSEND, 1, 0, 0

	/* int l4_reply(tag, const mr[]) */
	.global	l4_reply
	.type	l4_reply, %function
l4_reply:
	push	{r4-r11, lr}
	mov	r12, r1
	mov	r1, r0
	mov	r0, #0
	ldm	r12, {r2-r6, r8-r10}
	mov	r7, #L4_SYS_REPLY
	svc	#0
	pop	{r4-r11, pc}
	.size	l4_reply, . - l4_reply

	/* struct l4_utcb *l4_utcb(void): TPIDRURO holds its address */
	.global	l4_utcb
	.type	l4_utcb, %function
l4_utcb:
	mrc	p15, 0, r0, c13, c0, 3
	bx	lr
	.size	l4_utcb, . - l4_utcb
