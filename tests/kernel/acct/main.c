/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Accounting (a CONFIG_USER_PMU=1 kernel, so the test reads PMCCNTR itself): per-thread
 * user and kernel cycles, wake-ups by cause, sleeps and idle wake-ups by line, and the
 * error paths of the system calls that read them.
 */
#include "kbench.h"
#include "kthread.h"
#include "ktest.h"

#define VTIMER_IRQ 27

static volatile uint32_t ntfn_waits;

static void ntfn_waiter(uint32_t n)
{
	uint32_t bits;

	while (l4_wait(n, &bits) == 0)
		ntfn_waits++;
}

/* Sleeps until the virtual timer fires `ticks` timer counts from now (the CPU idles). */
static void sleep_on_vtimer(l4_cap_t n, l4_cap_t irq, uint32_t ticks)
{
	uint32_t bits;

	__asm__ volatile("mcr p15, 0, %0, c14, c3, 0" : : "r"(ticks));	  /* CNTV_TVAL */
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(1)); /* enable */
	l4_wait(n, &bits);
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(2)); /* IMASK */
	l4_irq_ack(irq);
}

static l4_cap_t vt_irq, vt_ntfn;

/* The virtual timer's line, attached to a notification (claimed once for every test). */
static void vtimer_claim(void)
{
	if (vt_irq)
		return;
	vt_ntfn = kt_create(L4_OBJ_NOTIFICATION);
	vt_irq = kt_slot_alloc();
	l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, VTIMER_IRQ, vt_irq);
	l4_irq_set(vt_irq, vt_ntfn);
}

/*
 * PMCCNTR, then everything charged so far: every thread the test knows, idle and the
 * root (its own row up to the kernel's reading). One function, so both readings run the
 * same instructions between the two.
 */
static __attribute__((noinline)) uint64_t charged(const l4_cap_t *threads, unsigned n,
						  uint32_t *stamp)
{
	struct l4_thread_acct a;
	uint64_t sum = 0;
	unsigned i;

	*stamp = kbench_cycles();
	for (i = 0; i < n; i++) {
		if (l4_thread_acct(L4_ROOT_CAP_SYSTEM, threads[i], &a) != 0)
			return 0;
		sum += a.cycles;
	}
	return sum;
}

/*
 * Every cycle between two readings is charged to exactly one thread or to idle: the
 * sum over all of them moves by exactly what PMCCNTR moved (the reading thread's own
 * row includes its open interval, read at the same instruction distance both times).
 */
KTEST(acct_every_cycle_is_charged_once)
{
	struct kt_thread srv, w;
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT), n = kt_create(L4_OBJ_NOTIFICATION);
	l4_word_t mr[L4_MSG_REGS] = {1, 2};
	uint64_t a0, a1;
	uint32_t t0, t1;
	unsigned i;

	vtimer_claim();
	KT_ASSERT_EQ(kt_thread_start(&srv, kt_echo_server, ep, 100, 0, false), 0);
	KT_ASSERT_EQ(kt_thread_start(&w, ntfn_waiter, n, 120, 0, false), 0);
	kt_let_others_run();
	l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_SET_PRIO, 90, 0);
	{
		const l4_cap_t threads[] = {L4_ROOT_CAP_THREAD, srv.cap, w.cap, 0};

		a0 = charged(threads, 4, &t0);
		for (i = 0; i < 20; i++) { /* fastpath, slowpath, notifications, sleeps */
			l4_tag_t tag = l4_tag(1, i % 2 ? L4_TAG_F_SLOWPATH : 0, 2);

			KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
			l4_signal(n, 1);
			if (i % 5 == 0)
				sleep_on_vtimer(vt_ntfn, vt_irq, 1000);
		}
		a1 = charged(threads, 4, &t1);
	}
	l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_SET_PRIO, L4_THREAD_PRIO_MAX, 0);
	KT_ASSERT(a0 != 0 && a1 > a0);
	KT_ASSERT_EQ(a1 - a0, (uint64_t)(t1 - t0));
	KT_ASSERT_EQ(ntfn_waits, 20);
	kt_thread_destroy(&srv);
	kt_thread_destroy(&w);
}

/* Kernel time is part of the active time; wake-ups are counted by their cause. */
KTEST(acct_splits_kernel_time_and_counts_wakes_by_cause)
{
	struct kt_thread srv, w;
	struct l4_thread_acct s0, s1, w0, w1, root;
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT), n = kt_create(L4_OBJ_NOTIFICATION);
	l4_word_t mr[L4_MSG_REGS] = {0};
	unsigned i;

	ntfn_waits = 0;
	KT_ASSERT_EQ(kt_thread_start(&srv, kt_echo_server, ep, 100, 0, false), 0);
	KT_ASSERT_EQ(kt_thread_start(&w, ntfn_waiter, n, 120, 0, false), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, srv.cap, &s0), 0);
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, w.cap, &w0), 0);
	for (i = 0; i < 10; i++) {
		l4_tag_t tag = l4_tag(1, L4_TAG_F_SLOWPATH, 1);

		KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
		l4_signal(n, 1);
	}
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, srv.cap, &s1), 0);
	KT_ASSERT_EQ(s1.wakes[L4_WAKE_IPC] - s0.wakes[L4_WAKE_IPC], 10);
	kt_let_others_run(); /* w, still ready below the root, would send calls to the general path */
	for (i = 0; i < 10; i++) { /* the fastpath: switches, no wake-up counted */
		l4_tag_t tag = l4_tag(1, 0, 1);

		KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
	}
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, srv.cap, &s1), 0);
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, w.cap, &w1), 0);
	KT_ASSERT_EQ(s1.wakes[L4_WAKE_IPC] - s0.wakes[L4_WAKE_IPC], 10);
	KT_ASSERT_EQ(s1.wakes[L4_WAKE_NTFN], s0.wakes[L4_WAKE_NTFN]);
	KT_ASSERT_EQ(w1.wakes[L4_WAKE_NTFN] - w0.wakes[L4_WAKE_NTFN], 10);
	KT_ASSERT_EQ(w1.wakes[L4_WAKE_IPC], w0.wakes[L4_WAKE_IPC]);
	KT_ASSERT(s1.cycles > s0.cycles && s1.kernel > s0.kernel);
	KT_ASSERT(s1.kernel - s0.kernel < s1.cycles - s0.cycles); /* it ran user code too */
	KT_ASSERT(s1.id >= 1 && s1.id != w1.id);
	/* The caller's own row includes its open interval. */
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, L4_ROOT_CAP_THREAD, &root), 0);
	KT_ASSERT(root.kernel > 0 && root.kernel < root.cycles);
	KT_ASSERT_EQ(root.id, 1);
	/* A destroyed thread keeps its counters while a cap names it. */
	l4_thread_ctl(srv.cap, L4_THREAD_DESTROY, 0, 0);
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, srv.cap, &s0), 0);
	KT_ASSERT_EQ(s0.cycles, s1.cycles);
	kt_thread_destroy(&srv);
	kt_thread_destroy(&w);
}

/* The CPU's sleeps: counted, summed, in the histogram, and the line that ended them. */
KTEST(acct_sleeps_and_idle_wakes_by_line)
{
	struct l4_sleep_stats a, b;
	struct l4_thread_acct idle0, idle1;
	uint32_t w0[32], w1[32];
	uint64_t hist = 0;
	unsigned i;

	vtimer_claim();
	KT_ASSERT_EQ(l4_sleep_stats(L4_ROOT_CAP_SYSTEM, &a), 0);
	KT_ASSERT_EQ(l4_irq_wakes(L4_ROOT_CAP_SYSTEM, 0, w0), 0);
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, 0, &idle0), 0);
	for (i = 0; i < 5; i++)
		sleep_on_vtimer(vt_ntfn, vt_irq, 10000);
	KT_ASSERT_EQ(l4_sleep_stats(L4_ROOT_CAP_SYSTEM, &b), 0);
	KT_ASSERT_EQ(l4_irq_wakes(L4_ROOT_CAP_SYSTEM, 0, w1), 0);
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, 0, &idle1), 0);
	KT_ASSERT_EQ(b.sleeps - a.sleeps, 5);
	KT_ASSERT_EQ(w1[VTIMER_IRQ] - w0[VTIMER_IRQ], 5);
	/* The sleeps are the idle thread's intervals: the same cycles. */
	KT_ASSERT_EQ(b.cycles - a.cycles, idle1.cycles - idle0.cycles);
	KT_ASSERT_EQ(idle1.id, 0);
	KT_ASSERT_EQ(idle1.kernel, 0);
	for (i = 0; i < L4_SLEEP_HIST; i++)
		hist += b.hist[i] - a.hist[i];
	KT_ASSERT_EQ(hist, 5);
	/* 10,000 counts of the 62.5 MHz timer are 160 us: 2^17 <= 160,000 cycles < 2^18. */
	KT_ASSERT_EQ(b.hist[17] - a.hist[17], 5);
}

/* The CPU's busy cycles, then every group's: one function, the same instructions each time. */
static __attribute__((noinline)) uint32_t groups_sum(l4_cap_t sys, uint32_t *g, uint32_t *busy)
{
	uint32_t sum = 0;
	unsigned i;

	*busy = l4_cpu_busy();
	if (l4_acct_groups(sys, g) != 0)
		return 0;
	for (i = 0; i < L4_ACCT_GROUPS; i++)
		sum += g[i];
	return sum;
}

/*
 * Accounting groups: a thread counts in its group (its creator's until set), a group's
 * word is exactly the sum of its threads' cycles, and the groups together move by
 * exactly the CPU's busy cycles. A cap with only L4_RIGHT_RECV reads them.
 */
KTEST(acct_groups_sum_threads_by_group)
{
	struct kt_thread srv, w;
	struct l4_thread_acct a, b;
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT), n = kt_create(L4_OBJ_NOTIFICATION);
	l4_cap_t reader = kt_slot_alloc();
	l4_word_t mr[L4_MSG_REGS] = {1, 2};
	uint32_t g0[L4_ACCT_GROUPS + 1], g1[L4_ACCT_GROUPS + 1], busy0, busy1, s0, s1;
	unsigned i;

	KT_ASSERT_EQ(l4_cap_mint(L4_ROOT_CAP_SYSTEM, 0, reader, L4_RIGHT_RECV, 0), 0);
	/* Created while the root counts in group 7: the server is in group 7 too. */
	KT_ASSERT_EQ(l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_SET_ACCT, 7, 0), 0);
	KT_ASSERT_EQ(kt_thread_start(&srv, kt_echo_server, ep, 100, 0, false), 0);
	KT_ASSERT_EQ(l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_SET_ACCT, 0, 0), 0);
	KT_ASSERT_EQ(kt_thread_start(&w, ntfn_waiter, n, 120, 0, false), 0);
	KT_ASSERT_EQ(l4_thread_ctl(w.cap, L4_THREAD_SET_ACCT, L4_ACCT_GROUPS - 1, 0), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(l4_acct_groups(reader, g0), 0);
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, srv.cap, &a), 0);
	KT_ASSERT_EQ(g0[7], (uint32_t)a.cycles);
	KT_ASSERT(g0[7] != 0);
	l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_SET_PRIO, 90, 0);
	s0 = groups_sum(reader, g0, &busy0);
	for (i = 0; i < 10; i++) {
		l4_tag_t tag = l4_tag(1, i % 2 ? L4_TAG_F_SLOWPATH : 0, 2);

		KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
		l4_signal(n, 1);
	}
	s1 = groups_sum(reader, g1, &busy1);
	l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_SET_PRIO, L4_THREAD_PRIO_MAX, 0);
	KT_ASSERT(s0 != 0 && s1 != 0);
	KT_ASSERT_EQ(s1 - s0, busy1 - busy0);
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, srv.cap, &b), 0);
	KT_ASSERT_EQ(g1[7] - g0[7], (uint32_t)(b.cycles - a.cycles));
	KT_ASSERT(g1[7] - g0[7] > 0);
	KT_ASSERT(g1[L4_ACCT_GROUPS - 1] > g0[L4_ACCT_GROUPS - 1]);
	for (i = 1; i < L4_ACCT_GROUPS - 1; i++)
		if (i != 7)
			KT_ASSERT_EQ(g1[i], g0[i]);
	/* Moved to another group, its cycles move with it. */
	KT_ASSERT_EQ(l4_thread_ctl(srv.cap, L4_THREAD_SET_ACCT, 9, 0), 0);
	KT_ASSERT_EQ(l4_acct_groups(reader, g1), 0);
	KT_ASSERT_EQ(g1[7], 0);
	KT_ASSERT_EQ(g1[9], (uint32_t)b.cycles);
	/* Freed, its cycles stay with the group: a task's restart never makes it go back. */
	kt_thread_destroy(&srv);
	KT_ASSERT_EQ(l4_acct_groups(reader, g1), 0);
	KT_ASSERT_EQ(g1[9], (uint32_t)b.cycles);
	kt_thread_destroy(&w);
	l4_cap_delete(reader);
	kt_slot_free(reader);
	l4_cap_delete(ep);
	kt_slot_free(ep);
	l4_cap_delete(n);
	kt_slot_free(n);
}

KTEST(acct_calls_refuse_bad_arguments)
{
	struct l4_thread_acct a;
	uint32_t w[32];
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);

	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, ep, &a), -L4_ETYPE);
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, 100, &a), -L4_ECAP);
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, 1000, &a), -L4_ECAP);
	KT_ASSERT_EQ(l4_thread_acct(ep, L4_ROOT_CAP_THREAD, &a),
		     -L4_ETYPE); /* not the system cap */
	KT_ASSERT_EQ(l4_irq_wakes(L4_ROOT_CAP_SYSTEM, 5, w), -L4_ERANGE);
	KT_ASSERT_EQ(l4_irq_wakes(L4_ROOT_CAP_SYSTEM, L4_IRQ_LINES, w), -L4_ERANGE);
	KT_ASSERT_EQ(l4_irq_wakes(L4_ROOT_CAP_SYSTEM, 256, w), 0);
	KT_ASSERT_EQ(l4_system(L4_ROOT_CAP_SYSTEM, 99, 0), -L4_EINVAL);
	{
		uint32_t g[L4_ACCT_GROUPS + 1];
		struct l4_kstats ks;
		l4_cap_t reader = kt_slot_alloc(), none = kt_slot_alloc();

		KT_ASSERT_EQ(
			l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_SET_ACCT, L4_ACCT_GROUPS, 0),
			-L4_EINVAL);
		KT_ASSERT_EQ(l4_thread_ctl(ep, L4_THREAD_SET_ACCT, 1, 0), -L4_ETYPE);
		KT_ASSERT_EQ(l4_acct_groups(ep, g), -L4_ETYPE);
		KT_ASSERT_EQ(l4_acct_groups(1000, g), -L4_ECAP);
		/* A reading cap reads the groups and does nothing else. */
		KT_ASSERT_EQ(l4_cap_mint(L4_ROOT_CAP_SYSTEM, 0, reader, L4_RIGHT_RECV, 0), 0);
		KT_ASSERT_EQ(l4_acct_groups(reader, g), 0);
		KT_ASSERT_EQ(l4_kstats(reader, &ks), -L4_EPERM);
		KT_ASSERT_EQ(l4_system(reader, L4_SYSTEM_OFF, 1), -L4_EPERM);
		KT_ASSERT_EQ(l4_system(reader, L4_SYSTEM_RESET_STATS, 0), -L4_EPERM);
		KT_ASSERT_EQ(l4_cap_mint(L4_ROOT_CAP_SYSTEM, 0, none, L4_RIGHT_SEND, 0), 0);
		KT_ASSERT_EQ(l4_acct_groups(none, g), -L4_EPERM);
		l4_cap_delete(reader);
		kt_slot_free(reader);
		l4_cap_delete(none);
		kt_slot_free(none);
	}
	l4_cap_delete(ep);
	kt_slot_free(ep);
}
