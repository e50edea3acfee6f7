/* SPDX-License-Identifier: BSD-2-Clause */
/* Scheduling: priority order, round robin with yield, time-slice preemption, suspend/resume. */
#include "kthread.h"
#include "ktest.h"

static volatile uint32_t order[16];
static volatile unsigned norder;

static void record(uint32_t id)
{
	if (norder < 16)
		order[norder++] = id;
}

static void record_and_yield_thrice(uint32_t id)
{
	unsigned i;

	for (i = 0; i < 3; i++) {
		record(id);
		l4_yield();
	}
}

KTEST(sched_higher_priority_runs_first)
{
	struct kt_thread t[3];
	unsigned i;

	norder = 0;
	KT_ASSERT_EQ(kt_thread_start(&t[0], record, 1, 50, 0, false), 0);
	KT_ASSERT_EQ(kt_thread_start(&t[1], record, 2, 150, 0, false), 0);
	KT_ASSERT_EQ(kt_thread_start(&t[2], record, 3, 100, 0, false), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(norder, 3);
	KT_ASSERT_EQ(order[0], 2);
	KT_ASSERT_EQ(order[1], 3);
	KT_ASSERT_EQ(order[2], 1);
	for (i = 0; i < 3; i++)
		kt_thread_destroy(&t[i]);
}

KTEST(sched_round_robin_on_yield)
{
	struct kt_thread t[3];
	static const uint32_t want[9] = {1, 2, 3, 1, 2, 3, 1, 2, 3};
	unsigned i;

	norder = 0;
	for (i = 0; i < 3; i++)
		KT_ASSERT_EQ(kt_thread_start(&t[i], record_and_yield_thrice, i + 1, 80, 0, false),
			     0);
	kt_let_others_run();
	KT_ASSERT_EQ(norder, 9);
	for (i = 0; i < 9; i++)
		KT_ASSERT_EQ(order[i], want[i]);
	for (i = 0; i < 3; i++)
		kt_thread_destroy(&t[i]);
}

static volatile uint32_t spins[2];
#define SPIN_LIMIT 40000000u

/* Spins without yielding until the other spinner has run too: only preemption ends it. */
static void spinner(uint32_t me)
{
	while (spins[me] < SPIN_LIMIT) {
		spins[me]++;
		if (spins[!me] > 1000 && spins[me] > 1000)
			break;
	}
}

KTEST(sched_time_slice_preempts_a_spinning_thread)
{
	struct kt_thread t[2];
	int irqs = l4_debug_kstat(L4_KSTAT_IRQS);

	spins[0] = spins[1] = 0;
	KT_ASSERT_EQ(kt_thread_start(&t[0], spinner, 0, 60, 0, false), 0);
	KT_ASSERT_EQ(kt_thread_start(&t[1], spinner, 1, 60, 0, false), 0);
	kt_let_others_run();
	KT_ASSERT(spins[0] > 1000 && spins[1] > 1000);
	KT_ASSERT(spins[0] < SPIN_LIMIT && spins[1] < SPIN_LIMIT);
	KT_ASSERT(l4_debug_kstat(L4_KSTAT_IRQS) > irqs); /* the slice timer did it */
	kt_thread_destroy(&t[0]);
	kt_thread_destroy(&t[1]);
}

static volatile uint32_t ticks;

static void ticker(uint32_t n)
{
	while (n--) {
		ticks++;
		l4_yield();
	}
}

KTEST(sched_suspend_and_resume)
{
	struct kt_thread t;

	ticks = 0;
	KT_ASSERT_EQ(kt_thread_start(&t, ticker, 5, 100, 0, false), 0);
	KT_ASSERT_EQ(l4_thread_ctl(t.cap, L4_THREAD_SUSPEND, 0, 0), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(ticks, 0);
	KT_ASSERT_EQ(l4_thread_ctl(t.cap, L4_THREAD_RESUME, 0, 0), 0);
	KT_ASSERT_EQ(l4_thread_ctl(t.cap, L4_THREAD_RESUME, 0, 0), -L4_EINVAL); /* not suspended */
	kt_let_others_run();
	KT_ASSERT_EQ(ticks, 5);
	kt_thread_destroy(&t);
	KT_ASSERT_EQ(l4_thread_ctl(t.cap, L4_THREAD_RESUME, 0, 0), -L4_ECAP);
}

KTEST(sched_priority_limits)
{
	struct kt_thread t;
	l4_cap_t th = kt_create(L4_OBJ_THREAD);

	KT_ASSERT_EQ(kt_thread_start(&t, ticker, 0, 100, 0, false), 0);
	KT_ASSERT_EQ(l4_thread_ctl(t.cap, L4_THREAD_SET_PRIO, 256, 0), -L4_EPERM);
	KT_ASSERT_EQ(l4_thread_ctl(t.cap, L4_THREAD_SET_PRIO, 200, 0), 0);
	KT_ASSERT_EQ(l4_thread_ctl(t.cap, 99, 0, 0), -L4_EINVAL);
	KT_ASSERT_EQ(l4_thread_ctl(L4_ROOT_CAP_RAM, L4_THREAD_SET_PRIO, 1, 0), -L4_ETYPE);
	/* An unconfigured thread cannot start; a bad UTCB or space is refused. */
	KT_ASSERT_EQ(l4_thread_start(th, 0x10000, 0x1000), -L4_EINVAL);
	KT_ASSERT_EQ(l4_thread_config(th, L4_ROOT_CAP_SPACE, 0x100, 0, 10), -L4_EINVAL);
	KT_ASSERT_EQ(l4_thread_config(th, L4_ROOT_CAP_SPACE, 0x80000000u, 0, 10), -L4_EINVAL);
	KT_ASSERT_EQ(l4_thread_config(th, L4_ROOT_CAP_RAM, 0, 0, 10), -L4_ETYPE);
	KT_ASSERT_EQ(l4_thread_config(th, L4_ROOT_CAP_SPACE, 0, L4_ROOT_CAP_RAM, 10), -L4_ETYPE);
	KT_ASSERT_EQ(l4_thread_config(th, L4_ROOT_CAP_SPACE, 0, 0, 300), -L4_EPERM);
	kt_thread_destroy(&t);
	l4_cap_delete(th);
	kt_slot_free(th);
}

KTEST(sched_thread_pool_exhaustion)
{
	static l4_cap_t made[80];
	unsigned n = 0, i;
	int err = 0;

	while (n < 80) {
		made[n] = kt_slot_alloc();
		err = l4_create(L4_ROOT_CAP_KMEM, L4_OBJ_THREAD, made[n]);
		if (err)
			break;
		n++;
	}
	KT_ASSERT_EQ(err, -L4_ENOMEM);
	for (i = 0; i <= n; i++) {
		l4_thread_ctl(made[i], L4_THREAD_DESTROY, 0, 0);
		l4_cap_delete(made[i]);
		kt_slot_free(made[i]);
	}
	made[0] = kt_create(L4_OBJ_THREAD);
	KT_ASSERT(made[0] != 0);
	l4_thread_ctl(made[0], L4_THREAD_DESTROY, 0, 0);
	l4_cap_delete(made[0]);
	kt_slot_free(made[0]);
}

static void cycle_burner(uint32_t n)
{
	kt_spin(n);
}

KTEST(sched_accounts_thread_and_idle_cycles)
{
	struct kt_thread t;
	struct l4_kstats before, after;
	uint64_t cycles = 0;

	KT_ASSERT_EQ(l4_kstats(L4_ROOT_CAP_SYSTEM, &before), 0);
	KT_ASSERT_EQ(kt_thread_start(&t, cycle_burner, 100000, 100, 0, false), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(l4_thread_cycles(t.cap, &cycles), 0);
	KT_ASSERT(cycles >= 200000 && cycles < 2000000);
	KT_ASSERT_EQ(l4_kstats(L4_ROOT_CAP_SYSTEM, &after), 0);
	KT_ASSERT(after.switches >= before.switches + 2);
	KT_ASSERT(after.syscalls > before.syscalls);
	kt_thread_destroy(&t);
}

static volatile uint32_t long_runs, short_runs;

/* Counts its own progress in slices: every time the other thread ran in between. */
static void slicer(uint32_t is_long)
{
	volatile uint32_t *mine = is_long ? &long_runs : &short_runs;
	uint32_t n = 0;

	while (long_runs + short_runs < 10000000) {
		(*mine)++;
		if (++n > 100000000)
			break;
	}
}

KTEST(sched_per_thread_time_slice)
{
	struct kt_thread a, b;

	long_runs = short_runs = 0;
	KT_ASSERT_EQ(kt_thread_start(&a, slicer, 1, 60, 0, false), 0);
	KT_ASSERT_EQ(kt_thread_start(&b, slicer, 0, 60, 0, false), 0);
	KT_ASSERT_EQ(l4_thread_ctl(a.cap, L4_THREAD_SET_SLICE, 4000, 0), 0);
	KT_ASSERT_EQ(l4_thread_ctl(b.cap, L4_THREAD_SET_SLICE, 1000, 0), 0);
	KT_ASSERT_EQ(l4_thread_ctl(b.cap, L4_THREAD_SET_SLICE, 2000000, 0), -L4_EINVAL);
	kt_let_others_run();
	/* Same work per iteration, four times the slice: about four times the progress. */
	KT_ASSERT(long_runs > 3 * short_runs && long_runs < 5 * short_runs);
	kt_thread_destroy(&a);
	kt_thread_destroy(&b);
}

static volatile int no_utcb_stats = 1, no_utcb_regs = 1, no_utcb_pools = 1;
static l4_cap_t no_utcb_self;

/* Started bare (no kt_entry): it has no UTCB, so calls that answer through one fail. */
static void no_utcb_thread(void)
{
	no_utcb_stats = l4_system(L4_ROOT_CAP_SYSTEM, L4_SYSTEM_STATS, 0);
	no_utcb_regs = l4_thread_regs(L4_ROOT_CAP_THREAD, 0);
	no_utcb_pools = l4_system(L4_ROOT_CAP_SYSTEM, L4_SYSTEM_POOLS, 0);
	for (;;)
		l4_thread_ctl(no_utcb_self, L4_THREAD_SUSPEND, 0, 0);
}

KTEST(sched_stats_reset_and_bad_utcb_is_efault)
{
	struct l4_kstats ks;
	uint32_t stack_off;
	uint8_t *stack = kt_alloc_pages(1, &stack_off);

	KT_ASSERT_EQ(l4_system(L4_ROOT_CAP_SYSTEM, L4_SYSTEM_RESET_STATS, 0), 0);
	KT_ASSERT_EQ(l4_kstats(L4_ROOT_CAP_SYSTEM, &ks), 0);
	KT_ASSERT(ks.syscalls <= 2);
	KT_ASSERT_EQ(ks.ipc, 0);
	KT_ASSERT_EQ(ks.fastpath, 0); /* (its unfolded count too) */
	KT_ASSERT_EQ(ks.slowpath, 0);
	KT_ASSERT_EQ(ks.waits, 0);
	KT_ASSERT_EQ(ks.switches, 0);
	no_utcb_self = kt_create(L4_OBJ_THREAD);
	KT_ASSERT_EQ(l4_thread_config(no_utcb_self, L4_ROOT_CAP_SPACE, 0, 0, 10), 0);
	KT_ASSERT_EQ(l4_thread_start(no_utcb_self, (uint32_t)no_utcb_thread,
				     (uint32_t)stack + L4_PAGE_SIZE),
		     0);
	kt_let_others_run();
	KT_ASSERT_EQ(no_utcb_stats, -L4_EFAULT);
	KT_ASSERT_EQ(no_utcb_regs, -L4_EFAULT);
	KT_ASSERT_EQ(no_utcb_pools, -L4_EFAULT);
	l4_thread_ctl(no_utcb_self, L4_THREAD_DESTROY, 0, 0);
	l4_cap_delete(no_utcb_self);
	kt_slot_free(no_utcb_self);
}
