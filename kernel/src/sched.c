/* SPDX-License-Identifier: BSD-2-Clause */
/* Threads and the scheduler: 256 priorities, O(1) bitmap, round robin, Benno direct switch. */
#include "config.h"
#include "irq.h"
#include "kdebug.h"
#include "object.h"
#include "panic.h"
#include "quota.h"
#include "space.h"
#include "thread.h"
#include "sched_fast.h"
#include "trace.h"
#include <arch/cpu.h>
#include <arch/trap.h>
#include <plat/platform.h>

static struct tcb tcbs[CONFIG_MAX_THREADS];
static unsigned tcbs_top; /* tcbs[tcbs_top..] were never used: sched_acct_groups stops there */
struct tcb idle_tcb;

/*
 * Ready queues (sched_rq: the IPC fastpath queues and takes threads too). Benno
 * scheduling: the running thread is never in a queue, and a thread woken by IPC that
 * should run next is not queued either (`candidate`). sched_hot.rq_top has bit w set
 * when sched_hot.rq_bitmap[w] is non-zero. `candidate` and `rotate` are only set within
 * one kernel entry: the fastpath, entered from user mode, finds them clear.
 */
#define rq_head	    (sched_rq.head)
#define rq_tail	    (sched_rq.tail)
#define timer_armed (sched_rq.timer_armed)
struct sched_rq sched_rq;
static struct tcb *candidate;
static bool rotate; /* the current thread's slice ended, or it yielded */
static uint32_t slice_ticks;
struct sched_hot sched_hot;
struct kstats kstats;

/* The CPU's sleeps (always on): the idle thread's intervals, and what ended them. */
#define IDLE_WAKE_NONE 0xffffu
static struct l4_sleep_stats sleep_stats;
static uint32_t irq_wakes[L4_IRQ_LINES];
static unsigned idle_wake_line = IDLE_WAKE_NONE;

_Static_assert(CONFIG_MAX_THREADS <= 255, "thread ids are 8 bits");
KOBJ_LAYOUT_OK(struct tcb);

/* Cycles of freed threads by accounting group (and their kernel cycles last): kept, so a
 * group's figure never goes back when a task's threads are replaced (a restart). */
static uint32_t acct_retired[L4_ACCT_GROUPS + 1];

static void thread_free(struct tcb *t)
{
	struct quota *q = t->quota;

	acct_retired[t->acct] += (uint32_t)t->cycles;
	acct_retired[L4_ACCT_GROUPS] += (uint32_t)t->kcycles;
	KOBJ_RELEASE(t);
	if (q)
		quota_uncharge(q, Q_THREAD);
}

/*
 * A thread whose last cap goes in its own system call (with a space that call
 * destroyed) is still `current` until the switch away: its TCB is freed by the
 * next allocation, or when the next such thread takes its place.
 */
static struct tcb *zombie;

static void zombie_reap(void)
{
	if (zombie && zombie != current) {
		thread_free(zombie);
		zombie = NULL;
	}
}

struct tcb *thread_alloc(const char *name)
{
	unsigned i;

	zombie_reap();
	for (i = 0; i < CONFIG_MAX_THREADS; i++) {
		struct tcb *t = &tcbs[i];

		if (t->in_use)
			continue;
		KOBJ_CLAIM(t, "thread");
		*t = (struct tcb){
			.id = (uint8_t)(i + 1), .name = name, .gen = t->gen, .in_use = true};
		if (i >= tcbs_top)
			tcbs_top = i + 1;
		return t;
	}
	return NULL;
}

void thread_put(struct tcb *t)
{
	KASSERT(t->refs > 0);
	if (--t->refs > 0)
		return;
	if (t->state != THREAD_DEAD)
		thread_kill(t);
	if (t == current) {
		zombie_reap();
		zombie = t;
		return;
	}
	thread_free(t);
}

unsigned thread_pool_free(void)
{
	unsigned i, n = 0;

	zombie_reap();
	for (i = 0; i < CONFIG_MAX_THREADS; i++)
		n += !tcbs[i].in_use;
	return n;
}

void thread_kill_in(struct space *s)
{
	unsigned i;

	for (i = 0; i < CONFIG_MAX_THREADS; i++)
		if (tcbs[i].in_use && tcbs[i].space == s)
			thread_kill(&tcbs[i]);
}

struct tcb *thread_by_id(unsigned id)
{
	return id >= 1 && id <= CONFIG_MAX_THREADS && tcbs[id - 1].in_use ? &tcbs[id - 1] : NULL;
}

uint32_t *thread_utcb(struct tcb *t)
{
	if (!t->utcb || !t->space)
		return NULL;
	return space_translate(t->space, t->utcb, true);
}

static void rq_enqueue(struct tcb *t, bool head)
{
	unsigned p = t->prio;

	if (t->in_rq)
		return;
	KASSERT(t->state == THREAD_RUNNABLE && !t->is_idle);
	KASSERT(!rq_head[p] == !rq_tail[p]);
	t->in_rq = true;
	if (!rq_head[p]) {
		t->rq_next = t->rq_prev = NULL;
		rq_head[p] = rq_tail[p] = t;
	} else if (head) {
		t->rq_prev = NULL;
		t->rq_next = rq_head[p];
		rq_head[p]->rq_prev = t;
		rq_head[p] = t;
	} else {
		t->rq_next = NULL;
		t->rq_prev = rq_tail[p];
		rq_tail[p]->rq_next = t;
		rq_tail[p] = t;
	}
	sched_hot.rq_bitmap[p / 32] |= BIT(p % 32);
	sched_hot.rq_top |= BIT(p / 32);
}

static void rq_dequeue(struct tcb *t)
{
	unsigned p = t->prio;

	if (!t->in_rq)
		return;
	KASSERT(t->rq_prev ? t->rq_prev->rq_next == t : rq_head[p] == t);
	KASSERT(t->rq_next ? t->rq_next->rq_prev == t : rq_tail[p] == t);
	t->in_rq = false;
	if (t->rq_prev)
		t->rq_prev->rq_next = t->rq_next;
	else
		rq_head[p] = t->rq_next;
	if (t->rq_next)
		t->rq_next->rq_prev = t->rq_prev;
	else
		rq_tail[p] = t->rq_prev;
	if (!rq_head[p]) {
		sched_hot.rq_bitmap[p / 32] &= ~BIT(p % 32);
		if (!sched_hot.rq_bitmap[p / 32])
			sched_hot.rq_top &= ~BIT(p / 32);
	}
}

int sched_highest_prio(void)
{
	unsigned w;

	if (!sched_hot.rq_top)
		return -1;
	w = 31 - (unsigned)__builtin_clz(sched_hot.rq_top);
	KASSERT(sched_hot.rq_bitmap[w]);
	KASSERT(rq_head[w * 32 + 31 - (unsigned)__builtin_clz(sched_hot.rq_bitmap[w])]);
	return (int)(w * 32 + 31 - (unsigned)__builtin_clz(sched_hot.rq_bitmap[w]));
}

void sched_init(void)
{
	idle_tcb = (struct tcb){
		.in_use = true, .is_idle = true, .state = THREAD_RUNNABLE, .name = "idle"};
	idle_tcb.regs.pc = (uint32_t)(uintptr_t)arch_idle_loop;
	idle_tcb.regs.cpsr = PSR_MODE_SVC | PSR_F | PSR_I;
	current = &idle_tcb;
	slice_ticks = timer_freq() / 1000 * CONFIG_TIMESLICE_MS;
	trace_init();
	sched_hot.switch_stamp = arch_cycles();
}

static inline bool current_runs(void)
{
	return current->state == THREAD_RUNNABLE && !current->is_idle;
}

void sched_wake(struct tcb *t)
{
	int floor = current_runs() ? current->prio : -1;

	t->state = THREAD_RUNNABLE;
	t->blocked_on = NULL;
	if (t == current || t->in_rq || t == candidate)
		return;
	if ((int)t->prio > floor && (!candidate || t->prio > candidate->prio) &&
	    (int)t->prio >= sched_highest_prio()) {
		if (candidate)
			rq_enqueue(candidate, false);
		candidate = t;
	} else {
		rq_enqueue(t, false);
	}
}

void sched_block(struct tcb *t, enum thread_state state)
{
	t->state = (uint8_t)state;
	rq_dequeue(t);
	if (t == candidate)
		candidate = NULL;
}

void sched_yield(void)
{
	rotate = true;
}

void sched_slice_end(void)
{
	timer_armed = false;
	rotate = true;
}

/*
 * The switch to the idle thread (out of line: the thread-to-thread path keeps its one test).
 * Every idle entry starts afresh with IRQs masked: WFI, then unmask. An interrupt pending
 * already and one that arrives in WFI are then taken at the same instruction (WFI wakes on
 * a pending IRQ even when masked, ARM ARM B1.8.13), so instruction counts do not depend on
 * when it arrived. No slice timer runs into idle: it would fire there, and under icount
 * QEMU would warp its clock to it.
 */
static __attribute__((noinline)) void idle_enter(void)
{
	kstats.idle_sleeps++;
	idle_wake_line = IDLE_WAKE_NONE;
	trace_event(L4_TRACE_SLEEP, 0, 0, 0);
	idle_tcb.regs.pc = (uint32_t)(uintptr_t)arch_idle_loop;
	idle_tcb.regs.cpsr = PSR_MODE_SVC | PSR_F | PSR_I;
	timer_arm(0); /* also a slice timer left from an earlier thread (timer_armed is reset) */
	irq_idle_entry();
}

/*
 * An interrupt taken in idle (irq_handle), the only way out of it: when a thread is to run
 * now, the lines open only in idle close before it does; else idle goes on, lines open.
 */
void sched_idle_irq(void)
{
	if (candidate || sched_highest_prio() >= 0)
		irq_idle_exit();
}

/*
 * The switch away from idle: one sleep of `len` cycles ends (the idle thread's interval,
 * as the switch charges it), woken by the first interrupt line taken in it.
 */
static __attribute__((noinline)) void idle_exit(uint32_t len)
{
	unsigned b = len ? 31 - (unsigned)__builtin_clz(len) : 0;

	sleep_stats.sleeps++;
	sleep_stats.hist[b]++; /* (their total is the idle thread's cycles: sched_sleep_stats) */
	if (idle_wake_line < L4_IRQ_LINES)
		irq_wakes[idle_wake_line]++;
	trace_event(L4_TRACE_WAKE, 0, idle_wake_line, len);
}

void sched_idle_wake_line(unsigned irq)
{
	if (idle_wake_line == IDLE_WAKE_NONE)
		idle_wake_line = irq;
}

static inline void switch_to(struct tcb *next)
{
	uint32_t now;

	kstats.switches++;
	if (unlikely(next->is_idle))
		idle_enter();
	now = arch_cycles();
	if (unlikely(current->is_idle))
		idle_exit(now - sched_hot.switch_stamp);
	else if (CONFIG_ACCT_KERNEL) /* user + kernel = cycles: the kernel part since entry */
		add64(&current->kcycles, now - current->kentry);
	trace_event_at(L4_TRACE_SWITCH, next->id, 0, 0, now);
	sched_switch_fast(next, now);
}

void sched_return(void)
{
	struct tcb *next;
	int hp = sched_highest_prio();

	if (candidate) {
		next = candidate;
		candidate = NULL;
		if (current_runs())
			rq_enqueue(current, !rotate);
	} else if (current_runs() && (hp < current->prio || (hp == current->prio && !rotate))) {
		next = current;
	} else {
		if (current_runs())
			rq_enqueue(current, hp > current->prio && !rotate);
		hp = sched_highest_prio();
		next = hp < 0 ? &idle_tcb : rq_head[hp];
		if (!next->is_idle)
			rq_dequeue(next);
	}
	KASSERT(next->state == THREAD_RUNNABLE && !next->in_rq);
	rotate = false;
	if (unlikely(sched_hot.fastpath & BIT(31)))
		kstats_fold();
	if (next != current) {
		switch_to(next);
		timer_armed = false; /* a switched-in thread starts a fresh slice */
	} else if (CONFIG_ACCT_KERNEL && !current->is_idle) {
		/* Back to the thread that entered: its kernel time ends here. */
		add64(&current->kcycles, arch_cycles() - current->kentry);
	}

	/*
	 * Tickless: the timer runs only while another thread waits at the same
	 * priority. (The IPC fastpath switches without touching it: a partner it
	 * switches to may run on the rest of the caller's slice.)
	 */
	if (!next->is_idle && rq_head[next->prio]) {
		if (!timer_armed) {
			timer_arm(next->slice_ticks ? next->slice_ticks : slice_ticks);
			timer_armed = true;
		}
	} else if (timer_armed) {
		timer_arm(0);
		timer_armed = false;
	}
	arch_restore(&current->regs);
}

/* Called by a running thread, so no idle interval is open: all but idle's accounted time. */
uint32_t sched_busy_cycles(void)
{
	return arch_cycles() - (uint32_t)idle_tcb.cycles;
}

uint64_t sched_idle_cycles(void)
{
	return idle_tcb.cycles;
}

void sched_sleep_stats(struct l4_sleep_stats *out)
{
	*out = sleep_stats;
	out->cycles = idle_tcb.cycles; /* every interval charged to idle is a sleep (idle_exit) */
}

void sched_acct_groups(uint32_t *out)
{
	uint32_t now = arch_cycles(), kernel = 0;
	unsigned i;

	for (i = 0; i < L4_ACCT_GROUPS; i++)
		out[i] = acct_retired[i];
	kernel = acct_retired[L4_ACCT_GROUPS];
	for (i = 0; i < tcbs_top; i++) {
		const struct tcb *t = &tcbs[i];

		if (!t->in_use)
			continue;
		out[t->acct] += (uint32_t)t->cycles;
		if (CONFIG_ACCT_KERNEL)
			kernel += (uint32_t)t->kcycles;
	}
	out[current->acct] +=
		now - sched_hot.switch_stamp; /* not the idle thread: it calls nothing */
	if (CONFIG_ACCT_KERNEL)
		kernel += now - current->kentry;
	out[L4_ACCT_GROUPS] = kernel;
}

void sched_irq_wakes(unsigned first, uint32_t *out)
{
	unsigned i;

	for (i = 0; i < 32; i++)
		out[i] = irq_wakes[first + i];
}
