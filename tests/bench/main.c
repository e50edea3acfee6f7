/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel benchmarks in icount cycles (needs a CONFIG_USER_PMU=1 kernel): IPC, notify, IRQ, yield. */
#include "kbench.h"
#include "kthread.h"
#include "ktest.h"

#include <l4/syscall.h>

#ifdef BENCH_TRACE
#pragma GCC diagnostic ignored "-Wunused-function" /* the trace image runs only bench_rt */
#endif

#define SAMPLES	   KBENCH_SAMPLES
#define samples	   kbench_samples
#define cycles	   kbench_cycles
#define CHILD_EP   10
#define VTIMER_IRQ 27

int main(const struct l4_bootinfo *bi);

static volatile uint32_t stamp;
static volatile unsigned nsamples;

static void report(const char *name, unsigned n)
{
	kbench_report(name, n);
}

static uint64_t fastpath_hits(void)
{
	struct l4_kstats ks;

	l4_kstats(L4_ROOT_CAP_SYSTEM, &ks);
	return ks.fastpath;
}

/* The root runs below the partner threads, so each event switches to them directly. */
static void root_prio(unsigned prio)
{
	l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_SET_PRIO, prio, 0);
}

/* Round trips call + reply-and-receive; checks the fastpath was (or was not) taken. */
static void bench_rt(const char *name, bool own_space, unsigned words, bool slow)
{
	struct kt_thread t;
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	l4_word_t mr[L4_MSG_REGS] = {1, 2, 3, 4};
	uint64_t fast0;
	unsigned i;

	kt_thread_start(&t, kt_echo_server, own_space ? CHILD_EP : ep, 100, 0, own_space);
	if (own_space)
		kt_thread_give(&t, ep, CHILD_EP);
	kt_let_others_run();
	fast0 = fastpath_hits();
	for (i = 0; i < SAMPLES; i++) {
		l4_tag_t tag = l4_tag(1, slow ? L4_TAG_F_SLOWPATH : 0, words);
		uint32_t t0 = cycles();

		l4_call(ep, &tag, mr);
		samples[i] = cycles() - t0;
	}
	if (fastpath_hits() - fast0 != (slow || words > L4_MSG_REGS ? 0 : 2 * SAMPLES)) {
		kbench_error(name, "did not take the expected path");
	}
	report(name, SAMPLES);
	kt_thread_destroy(&t);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

static void oneway_receiver(uint32_t ep)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;

	while (nsamples < SAMPLES) {
		l4_recv(ep, &tag, mr, &badge);
		samples[nsamples++] = cycles() - stamp;
	}
}

static void bench_oneway(void)
{
	struct kt_thread t;
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	l4_word_t mr[L4_MSG_REGS] = {1, 2, 3, 4};

	nsamples = 0;
	kt_thread_start(&t, oneway_receiver, ep, 200, 0, false);
	root_prio(100);
	while (nsamples < SAMPLES) {
		stamp = cycles();
		l4_send(ep, l4_tag(1, 0, 4), mr);
	}
	root_prio(L4_THREAD_PRIO_MAX);
	report("ipc_send_oneway", nsamples);
	kt_thread_destroy(&t);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

static void notify_waiter(uint32_t n)
{
	uint32_t bits;

	while (nsamples < SAMPLES) {
		l4_wait(n, &bits);
		samples[nsamples++] = cycles() - stamp;
	}
}

static void bench_notify(void)
{
	struct kt_thread t;
	l4_cap_t n = kt_create(L4_OBJ_NOTIFICATION);

	nsamples = 0;
	kt_thread_start(&t, notify_waiter, n, 200, 0, false);
	root_prio(100);
	while (nsamples < SAMPLES) {
		stamp = cycles();
		l4_signal(n, 1);
	}
	root_prio(L4_THREAD_PRIO_MAX);
	report("notify_wake", nsamples);
	kt_thread_destroy(&t);
	l4_cap_delete(n);
	kt_slot_free(n);
}

static l4_cap_t irq_cap;

static void irq_driver(uint32_t n)
{
	uint32_t bits;

	while (nsamples < SAMPLES) {
		l4_wait(n, &bits);
		samples[nsamples++] = cycles() - stamp;
		__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb"
				 :
				 : "r"(2)); /* CNTV_CTL: IMASK */
		l4_irq_ack(irq_cap);
	}
}

/* From the instruction that raises the virtual timer IRQ to the driver thread running. */
static void bench_irq(void)
{
	struct kt_thread t;
	l4_cap_t n = kt_create(L4_OBJ_NOTIFICATION);

	irq_cap = kt_slot_alloc();
	nsamples = 0;
	l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, VTIMER_IRQ, irq_cap);
	l4_irq_set(irq_cap, n);
	kt_thread_start(&t, irq_driver, n, 200, 0, false);
	root_prio(100);
	while (nsamples < SAMPLES) {
		__asm__ volatile("mcr p15, 0, %0, c14, c3, 0" : : "r"(0)); /* CNTV_TVAL = 0 */
		stamp = cycles();
		__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb"
				 :
				 : "r"(1)); /* enable: fires */
	}
	root_prio(L4_THREAD_PRIO_MAX);
	report("irq_wake", nsamples);
	kt_thread_destroy(&t);
	l4_cap_delete(irq_cap);
	l4_cap_delete(n);
	kt_slot_free(irq_cap), kt_slot_free(n);
}

static void yielder(uint32_t rounds)
{
	while (rounds--) {
		uint32_t now = cycles();

		if (stamp && nsamples < SAMPLES)
			samples[nsamples++] = now - stamp;
		stamp = cycles();
		l4_yield();
	}
}

static void bench_yield(void)
{
	struct kt_thread a, b;

	nsamples = 0;
	stamp = 0;
	kt_thread_start(&a, yielder, SAMPLES / 2 + 2, 150, 0, false);
	kt_thread_start(&b, yielder, SAMPLES / 2 + 2, 150, 0, false);
	kt_let_others_run();
	report("yield_switch", nsamples);
	kt_thread_destroy(&a);
	kt_thread_destroy(&b);
}

static void bench_syscall(void)
{
	unsigned i;

	for (i = 0; i < SAMPLES; i++) {
		uint32_t t0 = cycles();

		samples[i] = cycles() - t0;
	}
	report("cycle_read", SAMPLES);
	for (i = 0; i < SAMPLES; i++) {
		uint32_t t0 = cycles();

		l4_debug_kstat(L4_KSTAT_COUNT);
		samples[i] = cycles() - t0;
	}
	report("syscall_null", SAMPLES);
	{
		uint32_t g[L4_ACCT_GROUPS + 1];

		for (i = 0; i < SAMPLES; i++) {
			uint32_t t0 = cycles();

			l4_acct_groups(L4_ROOT_CAP_SYSTEM, g);
			samples[i] = cycles() - t0;
		}
		/* The thread slots the image has used so far (the walk's length): see the docs. */
		report("acct_groups_read", SAMPLES);
	}
}

#ifdef BENCH_TRACE
/*
 * On a variant kernel (BENCH_TRACE is the names' prefix: trace_ on the CONFIG_TRACE=1
 * kernel, acct_ on the CONFIG_ACCT_KERNEL=1 one): the round trips only.
 */
#define BENCH_NAME(n) BENCH_TRACE n
int main(const struct l4_bootinfo *bi)
{
	ktest_bootinfo = bi;
	bench_rt(BENCH_NAME("ipc_rt_fast_cross"), true, 4, false);
	bench_rt(BENCH_NAME("ipc_rt_fast_same"), false, 4, false);
	bench_rt(BENCH_NAME("ipc_rt_slow_same"), false, 4, true);
	return 0;
}
#else
int main(const struct l4_bootinfo *bi)
{
	ktest_bootinfo = bi;
	bench_syscall();
	bench_rt("ipc_rt_fast_cross", true, 4, false);
	bench_rt("ipc_rt_fast_same", false, 4, false);
	bench_rt("ipc_rt_fast_cross_0w", true, 0, false);
	bench_rt("ipc_rt_fast_same_0w", false, 0, false);
	bench_rt("ipc_rt_fast_cross_8w", true, 8, false);
	bench_rt("ipc_rt_slow_cross", true, 4, true);
	bench_rt("ipc_rt_slow_same", false, 4, true);
	bench_rt("ipc_rt_slow_cross_0w", true, 0, true);
	bench_rt("ipc_rt_utcb_cross_16w", true, 16, false);
	bench_oneway();
	bench_notify();
	bench_irq();
	bench_yield();
	return 0;
}
#endif
