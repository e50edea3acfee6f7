/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC fastpath: call and reply-and-receive with register-only messages, trap to return. */
#include "config.h"
#include "ipc.h"
#include "object.h"
#include "space.h"
#include "syscall.h"
#include "thread.h"
#include "sched_fast.h"
#include "trace.h"
#include <arch/trap.h>

__noreturn void fastpath_call(struct arch_regs *regs);
__noreturn void fastpath_reply_recv(struct arch_regs *regs);

/* Register-only (length <= L4_MSG_REGS), no flags: what the fastpath carries. */
#define FAST_TAG_MASK (0xff00u | (L4_TAG_LEN_MASK & ~(uint32_t)(L4_MSG_REGS | (L4_MSG_REGS - 1))))
_Static_assert(L4_MSG_REGS == 8, "FAST_TAG_MASK assumes 8 register words");
_Static_assert(__builtin_offsetof(struct tcb, in_fault) ==
		       __builtin_offsetof(struct tcb, state) + 1,
	       "state_fault covers state and in_fault, little-endian");

/*
 * Tag (r1) and message words MR0..MR7 (r2-r6, r8-r10) with two load/store
 * multiples; r7 stays the receiver's. r0 = 0 (success), r11 = badge.
 */
static inline void copy_msg(struct arch_regs *to, const struct arch_regs *from, uint32_t badge)
{
	__asm__ volatile("ldmib	%[f], {r2-r7}\n\t"
			 "stmib	%[t], {r2-r7}\n\t"
			 "add	r2, %[f], #32\n\t"
			 "ldm	r2, {r3-r5}\n\t"
			 "add	r2, %[t], #32\n\t"
			 "stm	r2, {r3-r5}"
			 :
			 : [f] "r"(from), [t] "r"(to)
			 : "r2", "r3", "r4", "r5", "r6", "r7", "memory");
	to->r[0] = 0;
	to->r[11] = badge;
}
_Static_assert(__builtin_offsetof(struct arch_regs, r[8]) == 32, "copy_msg offsets");

static __noreturn void slowpath(struct arch_regs *regs)
{
	syscall_dispatch(regs);
	sched_return();
}

void fastpath_call(struct arch_regs *regs)
{
	struct tcb *cur = sched_hot.cur, *dest;
	struct endpoint *ep;
	struct cap *c;
	uint32_t slot = regs->r[0];

	if (unlikely((regs->r[1] & FAST_TAG_MASK) || slot >= L4_CAP_SLOTS))
		slowpath(regs);
	c = &cur->space->caps[slot];
	if (unlikely(c->type != L4_OBJ_ENDPOINT || !(c->rights & L4_RIGHT_SEND)))
		slowpath(regs);
	ep = c->obj;
	if (unlikely(ep->state != EP_RECV))
		slowpath(regs);
	dest = ep->q.head;
	if (unlikely(!sched_may_run_next(dest)))
		slowpath(regs);

	ep->q.head = dest->wq_next;
	if (ep->q.head)
		ep->q.head->wq_prev = NULL;
	else
		ep->q.tail = NULL, ep->state = EP_IDLE;
	/* wq links and blocked_on mean nothing outside a queue: left as they are. */
	dest->state = THREAD_RUNNABLE;
	dest->caller = cur;
	cur->callee = dest;
	cur->state = THREAD_BLOCKED_REPLY;
	copy_msg(&dest->regs, regs, c->badge);

	sched_hot.fastpath++;
	trace_event(L4_TRACE_IPC, regs->r[1], dest->id);
	sched_switch_fast(dest);
	arch_restore(&dest->regs);
}

void fastpath_reply_recv(struct arch_regs *regs)
{
	struct tcb *cur = sched_hot.cur, *caller = cur->caller;
	struct endpoint *ep;
	struct cap *c;
	uint32_t slot = regs->r[0];

	if (unlikely((regs->r[1] & FAST_TAG_MASK) || slot >= L4_CAP_SLOTS || !caller))
		slowpath(regs);
	/* Waiting for a reply, and not for a fault reply (in_fault == 0). */
	if (unlikely(caller->state_fault != THREAD_BLOCKED_REPLY))
		slowpath(regs);
	c = &cur->space->caps[slot];
	if (unlikely(c->type != L4_OBJ_ENDPOINT || !(c->rights & L4_RIGHT_RECV)))
		slowpath(regs);
	ep = c->obj;
	if (unlikely(ep->state == EP_SEND || (cur->bound && cur->bound->word)))
		slowpath(regs);
	if (unlikely(!sched_may_run_next(caller)))
		slowpath(regs);

	cur->caller = NULL;
	caller->callee = NULL;
	cur->wq_next = NULL;
	cur->wq_prev = ep->q.tail;
	if (ep->q.tail)
		ep->q.tail->wq_next = cur;
	else
		ep->q.head = cur;
	ep->q.tail = cur;
	ep->state = EP_RECV;
	cur->state = THREAD_BLOCKED_RECV;
	cur->blocked_on = ep;
	caller->state = THREAD_RUNNABLE;
	copy_msg(&caller->regs, regs, 0);

	sched_hot.fastpath++;
	trace_event(L4_TRACE_IPC, regs->r[1], caller->id);
	sched_switch_fast(caller);
	arch_restore(&caller->regs);
}
