/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread system calls: configure, start, suspend, resume, priority, bind, registers, destroy. */
#include "config.h"
#include "ipc.h"
#include "kdebug.h"
#include "object.h"
#include "space.h"
#include "syscall.h"
#include "thread.h"
#include <arch/regs.h>
#include <plat/platform.h>

/* User-settable CPSR bits: flags and GE only; always user mode, ARM state, IRQs on. */
#define PSR_USER_FLAGS 0xf80f0000u

int sys_thread_config(uint32_t tslot, uint32_t sslot, uint32_t utcb, uint32_t fslot, uint32_t prio)
{
	int err;
	struct cap *tc = cap_get(tslot, L4_OBJ_THREAD, L4_RIGHT_CONTROL, &err);
	struct cap *sc, *fc = NULL;
	struct tcb *t;

	if (!tc)
		return err;
	t = tc->obj;
	sc = cap_get(sslot, L4_OBJ_SPACE, L4_RIGHT_CONTROL, &err);
	if (!sc)
		return err;
	if (fslot) {
		fc = cap_get(fslot, L4_OBJ_ENDPOINT, L4_RIGHT_SEND, &err);
		if (!fc)
			return err;
	}
	if (utcb >= L4_USER_TOP || !IS_ALIGNED(utcb, L4_UTCB_ALIGN))
		return -L4_EINVAL;
	if (prio > current->mcp)
		return -L4_EPERM; /* no thread gets more than its creator may have */
	if (t->state == THREAD_DEAD)
		return -L4_EDEAD;
	if (t->state != THREAD_INACTIVE && t->space != sc->obj)
		return -L4_EBUSY; /* a started thread stays in its space */

	if (t->space != sc->obj) {
		t->space = sc->obj; /* not counted: destroying the space destroys its threads */
		KDEBUG_SET(t->space_gen, t->space);
		t->recv_slot = 0; /* a slot of the old space means nothing here */
	}
	if (t->fault_ep)
		endpoint_put(t->fault_ep);
	t->fault_ep = fc ? fc->obj : NULL;
	KDEBUG_SET(t->fault_ep_gen, t->fault_ep);
	t->fault_badge = fc ? fc->badge : 0;
	if (t->fault_ep)
		t->fault_ep->refs++;
	t->utcb = utcb;
	t->mcp = (uint8_t)prio;
	if (t->prio != prio && t->in_rq) {
		sched_block(t, THREAD_SUSPENDED);
		t->prio = (uint8_t)prio;
		sched_wake(t);
	} else {
		t->prio = (uint8_t)prio;
	}
	return 0;
}

static int thread_bind(struct tcb *t, uint32_t nslot)
{
	int err;
	struct cap *nc;
	struct notification *n;

	if (nslot == 0) {
		KDEBUG_CHECK(t->bound, t->bound_gen, "bound notification");
		if (t->bound)
			t->bound->bound = NULL;
		t->bound = NULL;
		return 0;
	}
	nc = cap_get(nslot, L4_OBJ_NOTIFICATION, L4_RIGHT_RECV, &err);
	if (!nc)
		return err;
	n = nc->obj;
	if (n->bound || t->bound)
		return -L4_EBUSY;
	n->bound = t;
	KDEBUG_SET(n->bound_gen, t);
	t->bound = n;
	KDEBUG_SET(t->bound_gen, n);
	return 0;
}

/*
 * Stops `t` wherever it is: out of the ready queue and out of any IPC. A
 * suspended server still owes its caller the reply; a destroyed or restarted
 * one (`drop_reply`) never will, so its caller gets -L4_EDEAD.
 */
static void thread_stop(struct tcb *t, enum thread_state state, bool drop_reply)
{
	ipc_abort(t, -L4_EAGAIN);
	if (t->caller && drop_reply) {
		struct tcb *c = t->caller;

		KDEBUG_CHECK(c, t->caller_gen, "caller");
		t->caller = NULL;
		c->callee = NULL;
		if (c->state == THREAD_BLOCKED_REPLY)
			ipc_cancel(c, -L4_EDEAD);
	}
	t->in_fault = false;
	sched_block(t, state);
}

void thread_kill(struct tcb *t)
{
	thread_stop(t, THREAD_DEAD, true);
	thread_bind(t, 0);
	if (t->fault_ep)
		endpoint_put(t->fault_ep);
	t->fault_ep = NULL;
	t->space = NULL;
}

int sys_thread_ctl(uint32_t tslot, uint32_t op, uint32_t a, uint32_t b)
{
	int err;
	struct cap *tc = cap_get(tslot, L4_OBJ_THREAD, L4_RIGHT_CONTROL, &err);
	struct tcb *t;

	if (!tc)
		return err;
	t = tc->obj;
	if (t->state == THREAD_DEAD)
		return -L4_EDEAD;
	switch (op) {
	case L4_THREAD_START:
		if (!t->space)
			return -L4_EINVAL; /* configure it first */
		if (t == current)
			return -L4_EINVAL;
		thread_stop(t, THREAD_SUSPENDED, true);
		t->regs = (struct arch_regs){0};
		t->regs.pc = a;
		t->regs.sp = b;
		t->regs.cpsr = PSR_MODE_USR;
		t->recv_slot = 0; /* a fresh start takes no caps until it names a slot */
		sched_wake_by(t, L4_WAKE_OTHER);
		return 0;
	case L4_THREAD_SUSPEND:
		if (t->state == THREAD_INACTIVE)
			return -L4_EINVAL;
		thread_stop(t, THREAD_SUSPENDED, false);
		return 0;
	case L4_THREAD_RESUME:
		if (t->state != THREAD_SUSPENDED && t->state != THREAD_STOPPED)
			return -L4_EINVAL;
		sched_wake_by(t, L4_WAKE_OTHER);
		return 0;
	case L4_THREAD_SET_PRIO:
		if (a > current->mcp || a > L4_THREAD_PRIO_MAX)
			return -L4_EPERM;
		if (t == current) {
			t->prio = (uint8_t)a;
			sched_yield();
		} else if (t->in_rq) {
			sched_block(t, THREAD_SUSPENDED);
			t->prio = (uint8_t)a;
			sched_wake(t);
		} else {
			t->prio = (uint8_t)a;
		}
		return 0;
	case L4_THREAD_BIND:
		return thread_bind(t, a);
	case L4_THREAD_DESTROY:
		if (t == current)
			return -L4_EINVAL;
		thread_kill(t);
		return 0;
	case L4_THREAD_SET_SLICE:
		if (a > L4_THREAD_SLICE_MAX_US)
			return -L4_EINVAL;
		t->slice_ticks = (uint32_t)((uint64_t)a * timer_freq() / 1000000u);
		if (a && !t->slice_ticks)
			t->slice_ticks = 1;
		return 0;
	case L4_THREAD_SET_RECV_SLOT:
		if (a >= L4_CAP_SLOTS)
			return -L4_EINVAL;
		t->recv_slot = a;
		return 0;
	case L4_THREAD_SET_ACCT:
		if (a >= L4_ACCT_GROUPS)
			return -L4_EINVAL;
		t->acct = (uint8_t)a;
		return 0;
	case L4_THREAD_CYCLES:
		current->regs.r[1] = (uint32_t)t->cycles;
		current->regs.r[2] = (uint32_t)(t->cycles >> 32);
		return 0;
	default:
		return -L4_EINVAL;
	}
}

/* exchange_registers: the 17 words of struct arch_regs through the caller's UTCB mr[0..16]. */
int sys_thread_regs(uint32_t tslot, uint32_t write)
{
	int err;
	struct cap *tc = cap_get(tslot, L4_OBJ_THREAD, L4_RIGHT_CONTROL, &err);
	uint32_t *utcb = thread_utcb(current);
	uint32_t *regs;
	struct tcb *t;
	unsigned i;

	if (!tc)
		return err;
	t = tc->obj;
	if (t == current || t->state == THREAD_DEAD)
		return -L4_EINVAL;
	if (!utcb)
		return -L4_EFAULT;
	regs = (uint32_t *)&t->regs;
	if (write > 1)
		return -L4_EINVAL;
	if (!write) {
		for (i = 0; i < ARCH_REG_COUNT; i++)
			utcb[i] = regs[i];
		return 0;
	}
	/* A thread blocked in IPC keeps its message registers; refuse to race with it. */
	if (t->state != THREAD_SUSPENDED && t->state != THREAD_STOPPED &&
	    t->state != THREAD_INACTIVE && !t->in_fault)
		return -L4_EBUSY;
	for (i = 0; i < ARCH_REG_CPSR; i++)
		regs[i] = utcb[i];
	t->regs.cpsr = (utcb[ARCH_REG_CPSR] & PSR_USER_FLAGS) | PSR_MODE_USR;
	return 0;
}
