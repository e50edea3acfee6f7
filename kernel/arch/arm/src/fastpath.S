/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC fastpath: call, send, receive and reply-and-receive, from the SVC vector to rfe, message in registers. */
#include <arch/prof.inc>
#include <arch/regs.h>
#include <asm_offsets.h>
#include <uapi/l4/abi.h>

/*
 * Entered from svc_entry's table with the caller's full frame saved in its
 * TCB and sp pointing at that frame, which is the TCB itself (regs is its
 * first member). The message (tag r1, MR0..MR7 in r2-r6, r8-r10) stays in the
 * CPU registers until it is delivered. Free for us: r0 (after reading the
 * slot), r7, r11, r12, lr; sp is the current TCB until the exit sequence.
 *
 * Each entry point first checks everything and goes to fastpath_slow on any
 * condition it does not handle, having changed nothing: the general path then
 * runs on the saved frame with the same semantics (docs/kernel.md). The line
 * marked POINT OF NO RETURN is where the changes start; from there every path
 * ends in one of these exits:
 *
 *   fastpath_switch   to the partner with the message in the CPU registers
 *                     (its r0 = 0, r11 = badge; its r7, r12, sp, lr from its frame);
 *   fastpath_defer    the current thread blocked and a ready thread is more
 *                     urgent than the partner: the partner gets the message in its
 *                     frame and joins its ready queue, and that thread runs;
 *   fastpath_stay     a send to a receiver no more urgent than the sender: the
 *                     receiver gets the message in its frame and joins its ready
 *                     queue, and the sender goes on;
 *   fastpath_return   a receive that found its message: back to the receiver
 *                     with it in the CPU registers;
 *   fastpath_switch_full  to a thread with all its registers in its frame.
 *
 * A partner's saved r1-r10 are stale after fastpath_switch, which is harmless:
 * a running thread's frame is rewritten at its next kernel entry. The ready
 * queues are changed exactly as sched.c's rq_enqueue and rq_dequeue do.
 */

/*
 * Fastpath message: \tag = the tag with L4_TAG_F_CALL cleared; its flags and
 * length (low 16 bits) at most L4_MSG_REGS, i.e. no other flag and a
 * register-only length; a slot in the table. Else: general path. Uses r7.
 */
.macro CHECK_TAG tag
	lsl	r7, \tag, #16
	cmp	r7, #((L4_MSG_REGS + 1) << 16)
	bhs	fastpath_slow
	cmp	r0, #L4_CAP_SLOTS
	bhs	fastpath_slow
.endm

/* r7 = the cap in slot r0 of the current space; it must be an endpoint with \right. Uses r12. */
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

/*
 * Partner \t is less urgent than the current thread, which blocks. Benno
 * invariant: the current thread is at least as urgent as every ready one, so
 * only a ready thread above \t can come first. To \run when none is (\t runs
 * next); to \defer when one is and it is alone at its priority (it runs, no
 * slice timer to start: fastpath_defer); else the general path. Uses r12, lr.
 */
.macro CHECK_HIGHEST t, run, defer
	ldr	r12, =sched_hot
	ldr	lr, [r12, #HOT_RQ_TOP]
	cmp	lr, #0
	beq	\run
	clz	lr, lr
	rsb	lr, lr, #31				/* w: highest non-empty word */
	add	r12, r12, #HOT_RQ_BITMAP
	ldr	r12, [r12, lr, lsl #2]
	clz	r12, r12
	rsb	r12, r12, #31
	add	r12, r12, lr, lsl #5			/* highest ready priority */
	ldrb	lr, [\t, #TCB_PRIO]
	cmp	lr, r12
	bge	\run
	ldr	lr, =sched_rq
	add	lr, lr, r12, lsl #2
	ldr	lr, [lr, #RQ_HEAD]			/* the most urgent ready thread */
	ldr	lr, [lr, #TCB_RQ_NEXT]
	cmp	lr, #0
	bne	fastpath_slow				/* round robin: the slice timer */
	b	\defer
.endm

/*
 * r0 = the first receiver in the queue of endpoint r7: out of it (wq links and
 * blocked_on mean nothing outside a queue). Uses r12, lr.
 */
.macro EP_DEQUEUE_HEAD
	ldr	r12, [r0, #TCB_WQ_NEXT]
	str	r12, [r7, #EP_HEAD]
	cmp	r12, #0
	streq	r12, [r7, #EP_TAIL]
	strbeq	r12, [r7, #EP_STATE]			/* EP_IDLE is 0 */
	movne	lr, #0
	strne	lr, [r12, #TCB_WQ_PREV]
.endm

/* A call to receiver r0 from endpoint r7: the receiver owes the current thread a reply. */
.macro CALL_COMMIT
	EP_DEQUEUE_HEAD
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
.endm

/*
 * The reply to caller r11, then the current thread waits on endpoint r7 (at
 * the tail of its receivers). Leaves r0 = the caller, r11 = 0 (its badge).
 */
.macro REPLY_RECV_COMMIT
	mov	r12, #0
	str	r12, [sp, #TCB_CALLER]
	str	r12, [r11, #TCB_CALLEE]
	str	r12, [sp, #TCB_WQ_NEXT]
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
	mov	r0, r11
	mov	r11, #0
.endm

/*
 * The message in the CPU registers into the frame of thread \t, as the general
 * path delivers it: r0 = 0, tag r1, MR0..MR7, badge r11; its r7 stays. Uses r0, r7.
 */
.macro DELIVER_TO_FRAME t
	mov	r0, #0
	stmia	\t, {r0-r6}
	add	r7, \t, #TCB_R8
	stmia	r7, {r8-r11}
.endm

/*
 * Thread \t (runnable, in no ready queue) to the \where (head or tail) of its
 * priority's ready queue, as rq_enqueue() does. \hot = &sched_hot (its
 * bitmaps); \p, \x, \y are scratch.
 */
.macro RQ_ENQUEUE t, where, hot, p, x, y
	mov	\x, #1
	strb	\x, [\t, #TCB_IN_RQ]
	ldrb	\p, [\t, #TCB_PRIO]
	ldr	\x, =sched_rq
	add	\x, \x, \p, lsl #2			/* + RQ_HEAD, RQ_TAIL: its queue */
	ldr	\y, [\x, #RQ_HEAD]
	cmp	\y, #0
	beq	.Lrq_empty\@
	.ifc	\where,head
	str	\y, [\t, #TCB_RQ_NEXT]
	str	\t, [\y, #TCB_RQ_PREV]
	mov	\y, #0
	str	\y, [\t, #TCB_RQ_PREV]
	str	\t, [\x, #RQ_HEAD]
	.else
	ldr	\y, [\x, #RQ_TAIL]
	str	\y, [\t, #TCB_RQ_PREV]
	str	\t, [\y, #TCB_RQ_NEXT]
	mov	\y, #0
	str	\y, [\t, #TCB_RQ_NEXT]
	str	\t, [\x, #RQ_TAIL]
	.endif
	b	.Lrq_done\@
.Lrq_empty\@:
	str	\y, [\t, #TCB_RQ_NEXT]			/* \y is 0 */
	str	\y, [\t, #TCB_RQ_PREV]
	str	\t, [\x, #RQ_HEAD]
	str	\t, [\x, #RQ_TAIL]
	lsr	\y, \p, #5				/* w = p / 32 */
	mov	\x, #1
	lsl	\x, \x, \y
	ldr	\y, [\hot, #HOT_RQ_TOP]
	orr	\y, \y, \x
	str	\y, [\hot, #HOT_RQ_TOP]
	lsr	\y, \p, #5
	add	\y, \hot, \y, lsl #2			/* + HOT_RQ_BITMAP: rq_bitmap[w] */
	and	\p, \p, #31
	mov	\x, #1
	lsl	\x, \x, \p
	ldr	\p, [\y, #HOT_RQ_BITMAP]
	orr	\p, \p, \x
	str	\p, [\y, #HOT_RQ_BITMAP]
.Lrq_done\@:
.endm

/*
 * Makes r0 current: counts the fastpath message, charges the cycles since the
 * last switch to the current thread, switches space if needed (space_activate
 * in mmu.c: TTBR0 empty while the ASID changes, ARM ARM B3.10.4; rfe is the
 * final synchronisation), sets TPIDRURO. Leaves r7 = &sched_hot. Uses r12, lr.
 */
.macro SWITCH_TO_R0
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
	ldr	r12, [r0, #TCB_SPACE]
	ldr	lr, [r7, #HOT_ACTIVE_SPACE]
	cmp	r12, lr
	beq	.Lsame_space\@
	str	r12, [r7, #HOT_ACTIVE_SPACE]
	mrc	p15, 0, lr, c2, c0, 1			/* TTBR1: maps nothing below 2 GiB */
	mcr	p15, 0, lr, c2, c0, 0			/* TTBR0 = it, while the ASID changes */
	isb
	ldrb	lr, [r12, #SPACE_ASID]
	mcr	p15, 0, lr, c13, c0, 1			/* CONTEXTIDR = asid */
	isb
	ldr	lr, [r12, #SPACE_L1PA]
	mcr	p15, 0, lr, c2, c0, 0			/* TTBR0 */
.Lsame_space\@:
	ldr	lr, [r0, #TCB_UTCB]
	mcr	p15, 0, lr, c13, c0, 3			/* TPIDRURO */
	str	r0, [r7, #HOT_CUR]
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
	blo	.Lcall_lower
.Lcall_run:
	/* POINT OF NO RETURN */
	CALL_COMMIT
	b	fastpath_switch
.Lcall_lower:
	CHECK_HIGHEST r0, .Lcall_run, .Lcall_defer
.Lcall_defer:
	/* POINT OF NO RETURN */
	CALL_COMMIT
	b	fastpath_defer

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
	blo	.Lrr_lower
.Lrr_run:
	/* POINT OF NO RETURN */
	REPLY_RECV_COMMIT
	b	fastpath_switch
.Lrr_lower:
	CHECK_HIGHEST r11, .Lrr_run, .Lrr_defer
.Lrr_defer:
	/* POINT OF NO RETURN */
	REPLY_RECV_COMMIT
	b	fastpath_defer

	/* Send and non-blocking send: the same when a receiver waits. */
	.global	fastpath_send
fastpath_send:
	bic	r1, r1, #(L4_TAG_F_CALL << L4_TAG_FLAGS_SHIFT)	/* a sender's own value is ignored */
	CHECK_TAG r1
	LOOKUP_EP L4_RIGHT_SEND
	ldr	r11, [r7, #(SPACE_CAPS + CAP_BADGE)]
	ldr	r7, [r7, #(SPACE_CAPS + CAP_OBJ)]	/* r7 = endpoint */
	ldrb	r12, [r7, #EP_STATE]
	cmp	r12, #EP_RECV_VAL
	bne	fastpath_slow				/* nobody waits: block or -L4_EAGAIN */
	ldr	r0, [r7, #EP_HEAD]			/* r0 = receiver */
	/* POINT OF NO RETURN */
	EP_DEQUEUE_HEAD
	mov	r12, #THREAD_RUNNABLE_VAL
	strb	r12, [r0, #TCB_STATE]
	ldrb	r12, [r0, #TCB_PRIO]
	ldrb	lr, [sp, #TCB_PRIO]
	cmp	r12, lr
	bls	fastpath_stay
	/*
	 * The receiver is the most urgent thread (Benno) and runs; the sender is
	 * preempted with its result 0, at the head of its ready queue. The badge
	 * waits in the receiver's frame while r11 is a scratch register.
	 */
	mov	r12, #0
	str	r12, [sp]				/* the sender's r0 */
	str	r11, [r0, #TCB_R11]
	ldr	r7, =sched_hot
	RQ_ENQUEUE sp, head, r7, r12, lr, r11
	ldr	r11, [r0, #TCB_R11]
	b	fastpath_switch

/*
 * Receive and non-blocking receive from an endpoint where a sender waits: its
 * message comes from its frame into the CPU registers. A call leaves the
 * caller waiting for the reply and the receiver runs on; a send wakes the
 * sender, which runs first when it is more urgent.
 */
	.global	fastpath_recv
fastpath_recv:
	cmp	r0, #L4_CAP_SLOTS
	bhs	fastpath_slow
	LOOKUP_EP L4_RIGHT_RECV				/* (a notification: the general path) */
	ldr	r12, [sp, #TCB_CALLER]
	cmp	r12, #0
	bne	fastpath_slow				/* a reply is owed: -L4_EBUSY */
	ldr	r7, [r7, #(SPACE_CAPS + CAP_OBJ)]	/* r7 = endpoint */
	ldrb	r12, [r7, #EP_STATE]
	cmp	r12, #EP_SEND_VAL
	bne	fastpath_slow				/* nobody waits: block or -L4_EAGAIN */
	ldr	r12, [sp, #TCB_BOUND]
	cmp	r12, #0
	ldrne	r12, [r12, #NTFN_WORD]
	cmpne	r12, #0
	bne	fastpath_slow				/* a notification is pending */
	ldr	r0, [r7, #EP_HEAD]			/* r0 = sender */
	ldrb	r12, [r0, #TCB_IN_FAULT]
	cmp	r12, #0
	bne	fastpath_slow				/* a fault message */
	ldr	r1, [r0, #TCB_R1]
	bic	r1, r1, #(L4_TAG_F_CALL << L4_TAG_FLAGS_SHIFT)
	lsl	r12, r1, #16
	cmp	r12, #((L4_MSG_REGS + 1) << 16)
	bhs	fastpath_slow				/* a flag, or words in the UTCB */
	/* POINT OF NO RETURN */
	EP_DEQUEUE_HEAD
	add	lr, r0, #TCB_R2
	ldmia	lr, {r2-r6}
	add	lr, r0, #TCB_R8
	ldmia	lr, {r8-r10}
	ldr	r11, [r0, #TCB_SEND_BADGE]
	TRACE_FAST_RECEIVED
	mov	r12, #0
	str	r12, [r0, #TCB_BLOCKED_ON]
	ldrb	r12, [r0, #TCB_SEND_IS_CALL]
	cmp	r12, #0
	beq	.Lrecv_send
	orr	r1, r1, #(L4_TAG_F_CALL << L4_TAG_FLAGS_SHIFT)	/* a reply is owed */
	str	r0, [sp, #TCB_CALLER]
	str	sp, [r0, #TCB_CALLEE]
#if CONFIG_KDEBUG
	ldrh	r12, [r0, #TCB_GEN]
	strh	r12, [sp, #TCB_CALLER_GEN]
	ldrh	r12, [sp, #TCB_GEN]
	strh	r12, [r0, #TCB_CALLEE_GEN]
#endif
	mov	r12, #THREAD_BLOCKED_REPLY_VAL
	strb	r12, [r0, #TCB_STATE]
	b	fastpath_return
.Lrecv_send:
	str	r12, [r0]				/* the sender's result: 0 */
	mov	r12, #THREAD_RUNNABLE_VAL
	strb	r12, [r0, #TCB_STATE]
	ldrb	r12, [r0, #TCB_PRIO]
	ldrb	lr, [sp, #TCB_PRIO]
	cmp	r12, lr
	bls	.Lrecv_stay
	/*
	 * The sender is more urgent (it waited only for a receiver) and runs; the
	 * receiver, preempted with the message in its frame, goes to the head of
	 * its ready queue (as sched_wake and sched_return do).
	 */
	mov	r12, r0
	DELIVER_TO_FRAME sp
	ldr	r7, =sched_hot
	RQ_ENQUEUE sp, head, r7, r0, r1, r2
	mov	r0, r12
	b	fastpath_switch_full
.Lrecv_stay:
	/* The sender joins the tail of its ready queue; the badge waits in our frame meanwhile. */
	str	r11, [sp, #TCB_R11]
	ldr	r7, =sched_hot
	RQ_ENQUEUE r0, tail, r7, r12, lr, r11
	ldr	r11, [sp, #TCB_R11]
	b	fastpath_return

/* r0 = next thread (the partner), sp = current TCB, r11 = badge, message in registers. */
fastpath_switch:
	SWITCH_TO_R0
	TRACE_FASTIPC
	/* The partner's registers: r12 and user sp, lr; r7; then pc and cpsr by rfe. */
	add	sp, r0, #TCB_R12
	ldmia	sp, {r12-r14}^
	ldr	r7, [r0, #TCB_R7]			/* (not banked: no hazard after ldm^) */
	mov	r0, #0
	add	sp, sp, #(TCB_PC - TCB_R12)
	rfeia	sp!

/*
 * r0 = the partner (runnable, in no queue), r11 = its badge, message in
 * registers; the current thread has blocked, and a more urgent thread than the
 * partner is ready, alone at its priority (CHECK_HIGHEST). The partner gets
 * the message in its frame and joins the tail of its ready queue (as
 * sched_wake does below the current priority); that thread is taken from its
 * queue and runs with its whole frame, a fresh slice (as sched_return does).
 */
fastpath_defer:
	TRACE_FAST_DELIVER
	mov	r12, r0
	DELIVER_TO_FRAME r12
	ldr	r7, =sched_hot
	RQ_ENQUEUE r12, tail, r7, r0, r1, r2
	ldr	r1, [r7, #HOT_RQ_TOP]			/* r0 = highest ready priority */
	clz	r1, r1
	rsb	r1, r1, #31				/* w */
	add	r0, r7, r1, lsl #2
	ldr	r0, [r0, #HOT_RQ_BITMAP]
	clz	r0, r0
	rsb	r0, r0, #31
	add	r0, r0, r1, lsl #5
	ldr	r5, =sched_rq
	add	r2, r5, r0, lsl #2
	ldr	r3, [r2, #RQ_HEAD]			/* r3 = next, alone in its queue */
	mov	r4, #0
	str	r4, [r2, #RQ_HEAD]
	str	r4, [r2, #RQ_TAIL]
	strb	r4, [r3, #TCB_IN_RQ]
	strb	r4, [r5, #RQ_TIMER_ARMED]		/* a fresh slice */
	and	r0, r0, #31
	mov	r2, #1
	lsl	r2, r2, r0				/* its bit in rq_bitmap[w] */
	add	r0, r7, r1, lsl #2
	ldr	r4, [r0, #HOT_RQ_BITMAP]
	bics	r4, r4, r2
	str	r4, [r0, #HOT_RQ_BITMAP]
	bne	1f
	mov	r2, #1
	lsl	r2, r2, r1
	ldr	r4, [r7, #HOT_RQ_TOP]
	bic	r4, r4, r2
	str	r4, [r7, #HOT_RQ_TOP]
1:	mov	r0, r3
	/* fall through */

/* r0 = next thread, all its registers in its frame. */
fastpath_switch_full:
	SWITCH_TO_R0
	TRACE_FAST_SWITCH
	add	sp, r0, #TCB_PC
	ldmdb	sp, {r0-r14}^
	nop					/* no banked access right after LDM^ (ARM ARM B9.3.6) */
	rfeia	sp!

/*
 * Back to the current thread with the message it received in r1-r6, r8-r11:
 * r0 = 0, its r7, r12, sp, lr from its frame. No switch: counted in
 * kstats.fastpath_stay too.
 */
fastpath_return:
	ACCT_FAST_STAY
	ldr	r7, =sched_hot
	ldr	r12, [r7, #HOT_FASTPATH]
	add	r12, r12, #1
	str	r12, [r7, #HOT_FASTPATH]
	ldr	lr, =(kstats + KSTATS_FASTPATH_STAY)
	ldr	r12, [lr]
	adds	r12, r12, #1
	str	r12, [lr]
	ldr	r12, [lr, #4]
	adc	r12, r12, #0
	str	r12, [lr, #4]
	add	sp, sp, #TCB_R12
	ldmia	sp, {r12-r14}^
	ldr	r7, [sp, #(TCB_R7 - TCB_R12)]		/* (not banked: no hazard after ldm^) */
	mov	r0, #0
	add	sp, sp, #(TCB_PC - TCB_R12)
	rfeia	sp!

/*
 * r0 = the receiver (runnable, in no queue), r11 = badge, message in
 * registers, sp = the sender, at least as urgent. The receiver gets the
 * message in its frame and joins the tail of its ready queue (sched_wake);
 * the sender goes on with 0 and every other register as it was. No switch:
 * counted in kstats.fastpath_stay too.
 */
fastpath_stay:
	ACCT_FAST_STAY
	TRACE_FAST_DELIVER
	mov	r12, r0
	DELIVER_TO_FRAME r12
	ldr	r7, =sched_hot
	RQ_ENQUEUE r12, tail, r7, r0, r1, r2
	ldr	r0, [r7, #HOT_FASTPATH]
	add	r0, r0, #1
	str	r0, [r7, #HOT_FASTPATH]
	ldr	r0, =(kstats + KSTATS_FASTPATH_STAY)	/* rare enough for 64 bits */
	ldrd	r2, r3, [r0]
	adds	r2, r2, #1
	adc	r3, r3, #0
	strd	r2, r3, [r0]
	mov	r0, #0
	str	r0, [sp]				/* the sender's result */
	add	sp, sp, #TCB_PC
	ldmdb	sp, {r0-r14}^
	nop					/* no banked access right after LDM^ (ARM ARM B9.3.6) */
	rfeia	sp!

/* Everything else: the general path, on the kernel stack, with the saved frame. */
fastpath_slow:
	mov	r0, sp
	ldr	sp, =kernel_stack_top
	mov	r1, #ARCH_TRAP_SVC
	bl	arm_trap
	b	.
	.ltorg
