/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC fastpath: call and reply-and-receive, from the SVC vector to rfe, message left in registers. */
#include <arch/prof.inc>
#include <arch/regs.h>
#include <asm_offsets.h>
#include <uapi/l4/abi.h>

/*
 * Entered from svc_entry with the caller's full frame saved in its TCB and
 * sp pointing at that frame, which is the TCB itself (regs is its first
 * member). The message (tag r1, MR0..MR7 in r2-r6, r8-r10) is never touched:
 * it stays in the CPU registers and reaches the partner when we return to it.
 * Free for us: r0 (after reading the slot), r7, r11, r12, lr; sp is the
 * current TCB until the exit sequence. Any condition we do not handle goes
 * to fastpath_slow, which runs the general path on the saved frame: same
 * semantics, just slower (docs/kernel.md).
 *
 * The partner's own r7, r12, sp and lr come back from its frame; its r0 is 0
 * (success) and r11 the badge. Its saved r1-r10 are stale after this, which
 * is harmless: a running thread's frame is rewritten at its next kernel entry.
 */

/*
 * Fastpath message: \tag = the tag with L4_TAG_F_CALL cleared; its flags and
 * length (low 16 bits) at most L4_MSG_REGS, i.e. no other flag and a
 * register-only length. Else: general path.
 */
.macro CHECK_TAG tag
	lsl	r7, \tag, #16
	cmp	r7, #((L4_MSG_REGS + 1) << 16)
	bhs	fastpath_slow
	cmp	r0, #L4_CAP_SLOTS
	bhs	fastpath_slow
.endm

/*
 * The partner \t may run next only if no ready thread is more urgent (Benno
 * invariant: the current thread is at least as urgent as every ready one, so
 * this runs only for a partner below the current thread). Uses r12, lr.
 */
.macro CHECK_HIGHEST t
	ldr	r12, =sched_hot
	ldr	lr, [r12, #HOT_RQ_TOP]
	cmp	lr, #0
	beq	2b
	clz	lr, lr
	rsb	lr, lr, #31				/* w: highest non-empty word */
	add	r12, r12, #HOT_RQ_BITMAP
	ldr	r12, [r12, lr, lsl #2]
	clz	r12, r12
	rsb	r12, r12, #31
	add	r12, r12, lr, lsl #5			/* highest ready priority */
	ldrb	lr, [\t, #TCB_PRIO]
	cmp	lr, r12
	bge	2b
	b	fastpath_slow
.endm

/* r7 = the cap in slot r0 of the current space; it must be an endpoint with \right. */
.macro LOOKUP_EP right
	ldr	r7, [sp, #TCB_SPACE]
	add	r7, r7, r0, lsl #CAP_SIZE_SHIFT
	ldrb	r12, [r7, #(SPACE_CAPS + CAP_TYPE)]
	cmp	r12, #L4_OBJ_ENDPOINT
	bne	fastpath_slow
	ldrb	r12, [r7, #(SPACE_CAPS + CAP_RIGHTS)]
	tst	r12, #\right
	beq	fastpath_slow
.endm

	.syntax	unified
	.text
	.arm
	.global	fastpath_call
fastpath_call:
	orr	r1, r1, #(L4_TAG_F_CALL << L4_TAG_FLAGS_SHIFT)	/* the receiver owes a reply */
	eor	r7, r1, #(L4_TAG_F_CALL << L4_TAG_FLAGS_SHIFT)
	CHECK_TAG r7
	LOOKUP_EP L4_RIGHT_SEND
	ldr	r11, [r7, #(SPACE_CAPS + CAP_BADGE)]
	ldr	r7, [r7, #(SPACE_CAPS + CAP_OBJ)]	/* r7 = endpoint */
	ldrb	r12, [r7, #EP_STATE]
	cmp	r12, #EP_RECV_VAL
	bne	fastpath_slow
	ldr	r0, [r7, #EP_HEAD]			/* r0 = receiver */
	ldrb	r12, [r0, #TCB_PRIO]
	ldrb	lr, [sp, #TCB_PRIO]
	cmp	r12, lr
	blo	1f
2:	/* Dequeue the receiver; wq links and blocked_on mean nothing outside a queue. */
	ldr	r12, [r0, #TCB_WQ_NEXT]
	str	r12, [r7, #EP_HEAD]
	cmp	r12, #0
	streq	r12, [r7, #EP_TAIL]
	strbeq	r12, [r7, #EP_STATE]			/* EP_IDLE is 0 */
	movne	lr, #0
	strne	lr, [r12, #TCB_WQ_PREV]
	mov	r12, #THREAD_RUNNABLE_VAL
	strb	r12, [r0, #TCB_STATE]
	str	sp, [r0, #TCB_CALLER]
	str	r0, [sp, #TCB_CALLEE]
#if CONFIG_KDEBUG
	/* The generations the general path checks these links against (kdebug.h). */
	ldrh	r12, [sp, #TCB_GEN]
	strh	r12, [r0, #TCB_CALLER_GEN]
	ldrh	r12, [r0, #TCB_GEN]
	strh	r12, [sp, #TCB_CALLEE_GEN]
#endif
	mov	r12, #THREAD_BLOCKED_REPLY_VAL
	strb	r12, [sp, #TCB_STATE]
	b	fastpath_switch
1:	CHECK_HIGHEST r0

	.global	fastpath_reply_recv
fastpath_reply_recv:
	bic	r1, r1, #(L4_TAG_F_CALL << L4_TAG_FLAGS_SHIFT)	/* a reply owes nothing */
	CHECK_TAG r1
	ldr	r11, [sp, #TCB_CALLER]			/* r11 = caller */
	cmp	r11, #0
	beq	fastpath_slow
	ldrh	r12, [r11, #TCB_STATE]			/* state and in_fault together */
	cmp	r12, #THREAD_BLOCKED_REPLY_VAL
	bne	fastpath_slow
	LOOKUP_EP L4_RIGHT_RECV
	ldr	r7, [r7, #(SPACE_CAPS + CAP_OBJ)]	/* r7 = endpoint */
	ldrb	r12, [r7, #EP_STATE]
	cmp	r12, #EP_SEND_VAL
	beq	fastpath_slow				/* a sender waits: receive it */
	ldr	r12, [sp, #TCB_BOUND]
	cmp	r12, #0
	ldrne	r12, [r12, #NTFN_WORD]
	cmpne	r12, #0
	bne	fastpath_slow				/* a notification is pending */
	ldrb	r12, [r11, #TCB_PRIO]
	ldrb	lr, [sp, #TCB_PRIO]
	cmp	r12, lr
	blo	1f
2:	mov	r0, #0
	str	r0, [sp, #TCB_CALLER]
	str	r0, [r11, #TCB_CALLEE]
	/* Wait on the endpoint: append to its queue of receivers. */
	str	r0, [sp, #TCB_WQ_NEXT]
	ldr	lr, [r7, #EP_TAIL]
	str	lr, [sp, #TCB_WQ_PREV]
	cmp	lr, #0
	strne	sp, [lr, #TCB_WQ_NEXT]
	streq	sp, [r7, #EP_HEAD]
	str	sp, [r7, #EP_TAIL]
	mov	lr, #EP_RECV_VAL
	strb	lr, [r7, #EP_STATE]
	str	r7, [sp, #TCB_BLOCKED_ON]
	mov	lr, #THREAD_BLOCKED_RECV_VAL
	strb	lr, [sp, #TCB_STATE]
	mov	lr, #THREAD_RUNNABLE_VAL
	strb	lr, [r11, #TCB_STATE]
	mov	r0, r11					/* next = caller, badge 0 */
	mov	r11, #0
	b	fastpath_switch
1:	CHECK_HIGHEST r11

/*
 * r0 = next thread, sp = current TCB, r11 = badge. Counts the fastpath IPC,
 * charges the cycles since the last switch to the current thread, switches
 * space through the reserved ASID 0 if needed (ARM ARM B3.10.4; rfe is the
 * final synchronisation), sets TPIDRURO and returns to `next`.
 */
fastpath_switch:
	ldr	r7, =sched_hot
	ldr	r12, [r7, #HOT_FASTPATH]
	add	r12, r12, #1
	str	r12, [r7, #HOT_FASTPATH]
	mrc	p15, 0, lr, c9, c13, 0			/* PMCCNTR */
	ldr	r12, [r7, #HOT_STAMP]
	str	lr, [r7, #HOT_STAMP]
	sub	lr, lr, r12
	ldr	r12, [sp, #TCB_CYCLES]
	adds	r12, r12, lr
	str	r12, [sp, #TCB_CYCLES]
	ldr	r12, [sp, #(TCB_CYCLES + 4)]
	adc	r12, r12, #0
	str	r12, [sp, #(TCB_CYCLES + 4)]
	ACCT_FAST_KERNEL
	TRACE_FASTIPC
	ldr	r12, [r0, #TCB_SPACE]
	ldr	lr, [r7, #HOT_ACTIVE_SPACE]
	cmp	r12, lr
	beq	1f
	str	r12, [r7, #HOT_ACTIVE_SPACE]
	mov	lr, #0
	mcr	p15, 0, lr, c13, c0, 1			/* CONTEXTIDR = 0 */
	isb
	ldr	lr, [r12, #SPACE_L1PA]
	mcr	p15, 0, lr, c2, c0, 0			/* TTBR0 */
	isb
	ldrb	lr, [r12, #SPACE_ASID]
	mcr	p15, 0, lr, c13, c0, 1			/* CONTEXTIDR = asid */
1:	ldr	lr, [r0, #TCB_UTCB]
	mcr	p15, 0, lr, c13, c0, 3			/* TPIDRURO */
	str	r0, [r7, #HOT_CUR]
	/* The partner's registers: r12 and user sp, lr; r7; then pc and cpsr by rfe. */
	add	sp, r0, #TCB_R12
	ldmia	sp, {r12-r14}^
	ldr	r7, [r0, #TCB_R7]			/* (not banked: no hazard after ldm^) */
	mov	r0, #0
	add	sp, sp, #(TCB_PC - TCB_R12)
	rfeia	sp!

/* Everything else: the general path, on the kernel stack, with the saved frame. */
fastpath_slow:
	mov	r0, sp
	ldr	sp, =kernel_stack_top
	mov	r1, #ARCH_TRAP_SVC
	bl	arm_trap
	b	.
	.ltorg
