/* SPDX-License-Identifier: BSD-2-Clause */
/* Structure offsets and constants for assembly; compiled to .s, turned into asm_offsets.h. */
#include "object.h"
#include "space.h"
#include "thread.h"
#include <stddef.h>

/* site_scons/asm_offsets.py reads the "->NAME value" markers out of the assembly. */
#define DEFINE(sym, val)	  __asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))
#define OFFSET(sym, type, member) DEFINE(sym, offsetof(type, member))

void asm_offsets(void);

void asm_offsets(void)
{
	OFFSET(TCB_STATE, struct tcb, state);
	OFFSET(TCB_PRIO, struct tcb, prio);
	OFFSET(TCB_IN_RQ, struct tcb, in_rq);
	OFFSET(TCB_IN_FAULT, struct tcb, in_fault);
	OFFSET(TCB_SEND_IS_CALL, struct tcb, send_is_call);
	OFFSET(TCB_SEND_BADGE, struct tcb, send_badge);
	OFFSET(TCB_RQ_NEXT, struct tcb, rq_next);
	OFFSET(TCB_RQ_PREV, struct tcb, rq_prev);
	OFFSET(TCB_SPACE, struct tcb, space);
	OFFSET(TCB_UTCB, struct tcb, utcb);
	OFFSET(TCB_WQ_NEXT, struct tcb, wq_next);
	OFFSET(TCB_WQ_PREV, struct tcb, wq_prev);
	OFFSET(TCB_BLOCKED_ON, struct tcb, blocked_on);
	OFFSET(TCB_CALLER, struct tcb, caller);
	OFFSET(TCB_CALLEE, struct tcb, callee);
	OFFSET(TCB_BOUND, struct tcb, bound);
	OFFSET(TCB_CYCLES, struct tcb, cycles);
	OFFSET(TCB_KCYCLES, struct tcb, kcycles);
	OFFSET(TCB_KENTRY, struct tcb, kentry);
	OFFSET(TCB_GEN, struct tcb, gen);
	OFFSET(TCB_CALLER_GEN, struct tcb, caller_gen);
	OFFSET(TCB_CALLEE_GEN, struct tcb, callee_gen);
	OFFSET(TCB_R1, struct tcb, regs.r[1]);
	OFFSET(TCB_R2, struct tcb, regs.r[2]);
	OFFSET(TCB_R7, struct tcb, regs.r[7]);
	OFFSET(TCB_R8, struct tcb, regs.r[8]);
	OFFSET(TCB_R11, struct tcb, regs.r[11]);
	OFFSET(TCB_R12, struct tcb, regs.r[12]);
	OFFSET(TCB_PC, struct tcb, regs.pc);
	OFFSET(SPACE_L1PA, struct space, l1_pa);
	OFFSET(SPACE_ASID, struct space, asid);
	OFFSET(SPACE_CAPS, struct space, caps);
	DEFINE(CAP_SIZE_SHIFT, 5);
	OFFSET(CAP_TYPE, struct cap, type);
	OFFSET(CAP_RIGHTS, struct cap, rights);
	OFFSET(CAP_BADGE, struct cap, badge);
	OFFSET(CAP_OBJ, struct cap, obj);
	OFFSET(EP_STATE, struct endpoint, state);
	OFFSET(EP_HEAD, struct endpoint, q.head);
	OFFSET(EP_TAIL, struct endpoint, q.tail);
	OFFSET(NTFN_WORD, struct notification, word);
	OFFSET(HOT_CUR, struct sched_hot, cur);
	OFFSET(HOT_STAMP, struct sched_hot, switch_stamp);
	OFFSET(HOT_FASTPATH, struct sched_hot, fastpath);
	OFFSET(HOT_ACTIVE_SPACE, struct sched_hot, active_space);
	OFFSET(HOT_RQ_TOP, struct sched_hot, rq_top);
	OFFSET(HOT_RQ_BITMAP, struct sched_hot, rq_bitmap);
	OFFSET(HOT_TRACE, struct sched_hot, trace_ptr);
	OFFSET(RQ_HEAD, struct sched_rq, head);
	OFFSET(RQ_TAIL, struct sched_rq, tail);
	OFFSET(RQ_TIMER_ARMED, struct sched_rq, timer_armed);
	OFFSET(KSTATS_FASTPATH_STAY, struct kstats, fastpath_stay);
	DEFINE(EP_IDLE_VAL, EP_IDLE);
	DEFINE(EP_SEND_VAL, EP_SEND);
	DEFINE(EP_RECV_VAL, EP_RECV);
	DEFINE(THREAD_RUNNABLE_VAL, THREAD_RUNNABLE);
	DEFINE(THREAD_BLOCKED_RECV_VAL, THREAD_BLOCKED_RECV);
	DEFINE(THREAD_BLOCKED_REPLY_VAL, THREAD_BLOCKED_REPLY);
	_Static_assert(sizeof(struct cap) == 1 << 5, "CAP_SIZE_SHIFT");
	_Static_assert(offsetof(struct tcb, regs) == 0, "the frame is the TCB's start");
	_Static_assert(offsetof(struct tcb, regs.sp) == offsetof(struct tcb, regs.r[12]) + 4 &&
			       offsetof(struct tcb, regs.lr) ==
				       offsetof(struct tcb, regs.r[12]) + 8,
		       "one ldm loads r12, sp and lr of a frame");
	_Static_assert(offsetof(struct tcb, in_fault) == offsetof(struct tcb, state) + 1,
		       "ldrh of TCB_STATE reads state and in_fault");
	_Static_assert(offsetof(struct tcb, regs.r[8]) == 32 &&
			       offsetof(struct tcb, regs.r[11]) == 44,
		       "a message goes into a frame with stm {r0-r6} and stm {r8-r11}");
	_Static_assert(offsetof(struct sched_rq, timer_armed) < 4096,
		       "the ready queues are in reach of an ldr offset from sched_rq");
	_Static_assert(offsetof(struct kstats, fastpath_stay) % 8 == 0, "ldrd of a counter");
}
