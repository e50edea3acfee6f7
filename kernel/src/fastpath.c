/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC fastpath: call and reply-and-receive with register-only messages, trap to return. */
#include "config.h"
#include "ipc.h"
#include "object.h"
#include "space.h"
#include "syscall.h"
#include "thread.h"
#include "trace.h"
#include <arch/trap.h>

__noreturn void fastpath_call(struct arch_regs *regs);
__noreturn void fastpath_reply_recv(struct arch_regs *regs);

/* Register-only (length <= L4_MSG_REGS), no flags: what the fastpath carries. */
#define FAST_TAG_MASK (0xff00u | (L4_TAG_LEN_MASK & ~(uint32_t)(L4_MSG_REGS | (L4_MSG_REGS - 1))))
_Static_assert(L4_MSG_REGS == 8, "FAST_TAG_MASK assumes 8 register words");

/* Message words MR0..MR7 (r2-r6, r8-r10) and the tag (r1); r7 stays the receiver's. */
static inline void copy_msg(struct arch_regs *to, const struct arch_regs *from, uint32_t badge)
{
	to->r[0] = 0;
	to->r[1] = from->r[1];
	to->r[2] = from->r[2];
	to->r[3] = from->r[3];
	to->r[4] = from->r[4];
	to->r[5] = from->r[5];
	to->r[6] = from->r[6];
	to->r[8] = from->r[8];
	to->r[9] = from->r[9];
	to->r[10] = from->r[10];
	to->r[11] = badge;
}

static __noreturn void slowpath(struct arch_regs *regs)
{
	syscall_dispatch(regs);
	sched_return();
}

void fastpath_call(struct arch_regs *regs)
{
	struct tcb *cur = current, *dest;
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
	if (unlikely((int)dest->prio < sched_highest_prio()))
		slowpath(regs);

	ep->q.head = dest->wq_next;
	if (ep->q.head)
		ep->q.head->wq_prev = NULL;
	else
		ep->q.tail = NULL, ep->state = EP_IDLE;
	dest->wq_next = NULL;
	dest->blocked_on = NULL;
	dest->state = THREAD_RUNNABLE;
	dest->caller = cur;
	cur->callee = dest;
	cur->state = THREAD_BLOCKED_REPLY;
	copy_msg(&dest->regs, regs, c->badge);

	kstats.syscalls++;
	kstats.ipc++;
	kstats.fastpath++;
	trace_event(L4_TRACE_IPC, regs->r[1], dest->id);
	sched_switch_direct(dest);
}

void fastpath_reply_recv(struct arch_regs *regs)
{
	struct tcb *cur = current, *caller = cur->caller;
	struct endpoint *ep;
	struct cap *c;
	uint32_t slot = regs->r[0];

	if (unlikely((regs->r[1] & FAST_TAG_MASK) || slot >= L4_CAP_SLOTS || !caller))
		slowpath(regs);
	if (unlikely(caller->state != THREAD_BLOCKED_REPLY || caller->in_fault))
		slowpath(regs);
	c = &cur->space->caps[slot];
	if (unlikely(c->type != L4_OBJ_ENDPOINT || !(c->rights & L4_RIGHT_RECV)))
		slowpath(regs);
	ep = c->obj;
	if (unlikely(ep->state == EP_SEND || (cur->bound && cur->bound->word)))
		slowpath(regs);
	if (unlikely((int)caller->prio < sched_highest_prio()))
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

	kstats.syscalls++;
	kstats.ipc++;
	kstats.fastpath++;
	trace_event(L4_TRACE_IPC, regs->r[1], caller->id);
	sched_switch_direct(caller);
}
