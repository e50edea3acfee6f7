/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The trace ring (a kernel with CONFIG_TRACE=1 and a 256-record ring): fastpath IPC stays
 * on the fastpath and is recorded, the events decode in time order, the slices between
 * switches add up to the accounting, and the ring wraps.
 */
#include "kthread.h"
#include "ktest.h"

#define RING_RECORDS 256
#define VTIMER_IRQ   27

static struct l4_trace_event ev[RING_RECORDS];

/* Reads events from index `from` on; returns how many, *first the index of ev[0]. */
static unsigned read_trace(uint32_t from, uint32_t *first, uint32_t *total)
{
	const struct l4_trace_event *u = (const struct l4_trace_event *)l4_utcb();
	unsigned n = 0, i;
	struct l4_ret r;

	*first = from;
	do {
		r = l4_syscall(L4_SYS_SYSTEM, L4_ROOT_CAP_SYSTEM, L4_SYSTEM_TRACE_READ, from, 0, 0,
			       0);
		if (r.err)
			return 0;
		if (n == 0)
			*first = r.r2;
		*total = r.r3;
		for (i = 0; i < r.r1 && n < RING_RECORDS; i++)
			ev[n++] = u[i];
		from = r.r2 + r.r1;
	} while (r.r1 > 0 && n < RING_RECORDS);
	return n;
}

static uint32_t trace_total(void)
{
	return l4_syscall(L4_SYS_SYSTEM, L4_ROOT_CAP_SYSTEM, L4_SYSTEM_TRACE_READ, 0xffffffffu, 0,
			  0, 0)
		.r3;
}

static void ntfn_waiter(uint32_t n)
{
	uint32_t bits;

	while (l4_wait(n, &bits) == 0)
		;
}

static uint64_t fastpath_hits(void)
{
	struct l4_kstats ks;

	l4_kstats(L4_ROOT_CAP_SYSTEM, &ks);
	return ks.fastpath;
}

KTEST(trace_keeps_ipc_on_the_fastpath_and_records_it)
{
	struct l4_thread_acct root, srv;
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	l4_word_t mr[L4_MSG_REGS] = {0};
	struct kt_thread t;
	unsigned n, i, calls = 0, replies = 0;
	uint32_t first, total, start;
	uint64_t fast0;

	KT_ASSERT_EQ(kt_thread_start(&t, kt_echo_server, ep, 100, 0, false), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, L4_ROOT_CAP_THREAD, &root), 0);
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, t.cap, &srv), 0);
	start = trace_total();
	fast0 = fastpath_hits();
	for (i = 0; i < 5; i++) {
		l4_tag_t tag = l4_tag(0x77, 0, 1);

		KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
	}
	KT_ASSERT_EQ(fastpath_hits() - fast0, 10); /* 5 calls and 5 replies, traced */
	n = read_trace(start, &first, &total);
	KT_ASSERT_EQ(first, start);
	KT_ASSERT(n >= 10);
	for (i = 0; i < n; i++) {
		KT_ASSERT(ev[i].type >= L4_TRACE_SWITCH && ev[i].type <= L4_TRACE_TYPES);
		if (i)
			KT_ASSERT(ev[i].cycles - ev[i - 1].cycles <
				  0x80000000u); /* in time order */
		if (ev[i].type != L4_TRACE_FASTIPC || (ev[i].a >> 16) != 0x77)
			continue;
		if (ev[i].a & (L4_TAG_F_CALL << L4_TAG_FLAGS_SHIFT)) {
			KT_ASSERT_EQ(ev[i].to, srv.id);
			calls++;
		} else {
			KT_ASSERT_EQ(ev[i].to, root.id);
			KT_ASSERT_EQ(ev[i].thread,
				     srv.id); /* known: the reader followed the switch */
			replies++;
		}
	}
	KT_ASSERT_EQ(calls, 5);
	KT_ASSERT_EQ(replies, 5);
	kt_thread_destroy(&t);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

/*
 * A thread runs from a switch to it until the next switch: those slices, summed over the
 * trace, are exactly what the accounting charged it (the same cycle stamps).
 */
KTEST(trace_slices_add_up_to_the_accounting)
{
	struct l4_thread_acct a0, a1, b0, b1;
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT), n = kt_create(L4_OBJ_NOTIFICATION);
	l4_word_t mr[L4_MSG_REGS] = {0};
	struct kt_thread s, w;
	uint32_t first, total, start, open_s = 0, open_w = 0;
	uint64_t sum_s = 0, sum_w = 0;
	unsigned i, cnt, running = L4_TRACE_UNKNOWN;

	KT_ASSERT_EQ(kt_thread_start(&s, kt_echo_server, 10, 100, 0, true), 0);
	KT_ASSERT_EQ(kt_thread_give(&s, ep, 10), 0);
	KT_ASSERT_EQ(kt_thread_start(&w, ntfn_waiter, n, 120, 0, false), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, s.cap, &a0), 0);
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, w.cap, &b0), 0);
	start = trace_total();
	for (i = 0; i < 12; i++) { /* fastpath and general path, another space, a notification */
		l4_tag_t tag = l4_tag(1, i % 3 ? 0 : L4_TAG_F_SLOWPATH, 2);

		KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
		l4_signal(n, 1); /* w waits on it: a notify wake */
	}
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, s.cap, &a1), 0);
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, w.cap, &b1), 0);
	cnt = read_trace(start, &first, &total);
	KT_ASSERT_EQ(first, start);
	KT_ASSERT(cnt > 24 && cnt < RING_RECORDS);
	for (i = 0; i < cnt; i++) {
		if (ev[i].type != L4_TRACE_SWITCH && ev[i].type != L4_TRACE_FASTIPC)
			continue;
		if (running == a0.id)
			sum_s += ev[i].cycles - open_s;
		if (running == b0.id)
			sum_w += ev[i].cycles - open_w;
		running = ev[i].to;
		if (running == a0.id)
			open_s = ev[i].cycles;
		if (running == b0.id)
			open_w = ev[i].cycles;
	}
	KT_ASSERT(sum_s > 0 && sum_w > 0);
	KT_ASSERT_EQ(sum_s, a1.cycles - a0.cycles);
	KT_ASSERT_EQ(sum_w, b1.cycles - b0.cycles);
	kt_thread_destroy(&s);
	kt_thread_destroy(&w);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

/* Notifications, interrupts and the CPU's sleeps are events too. */
KTEST(trace_records_notify_irq_sleep_and_wake)
{
	l4_cap_t tn = kt_create(L4_OBJ_NOTIFICATION), irq = kt_slot_alloc();
	uint32_t first, total, start, bits;
	unsigned cnt, i, sleep = 0, wake = 0, irqs = 0, notify = 0;

	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, VTIMER_IRQ, irq), 0);
	KT_ASSERT_EQ(l4_irq_set(irq, tn), 0);
	start = trace_total();
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 0" : : "r"(1000));	  /* CNTV_TVAL */
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(1)); /* enable */
	KT_ASSERT_EQ(l4_wait(tn, &bits), 0);
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(2)); /* IMASK */
	l4_irq_ack(irq);
	cnt = read_trace(start, &first, &total);
	for (i = 0; i < cnt; i++) {
		sleep += ev[i].type == L4_TRACE_SLEEP;
		if (ev[i].type == L4_TRACE_WAKE) {
			KT_ASSERT_EQ(ev[i].a, VTIMER_IRQ);
			KT_ASSERT(ev[i].b > 1000);
			wake++;
		}
		irqs += ev[i].type == L4_TRACE_IRQ && ev[i].a == VTIMER_IRQ;
		notify += ev[i].type == L4_TRACE_NOTIFY && ev[i].b == VTIMER_IRQ && ev[i].to == 1;
	}
	KT_ASSERT_EQ(sleep, 1);
	KT_ASSERT_EQ(wake, 1);
	KT_ASSERT_EQ(irqs, 1);
	KT_ASSERT_EQ(notify, 1);
	l4_cap_delete(irq);
	kt_slot_free(irq);
	l4_cap_delete(tn);
	kt_slot_free(tn);
}

/* More events than the ring holds: the oldest are gone, the rest read in order. */
KTEST(trace_ring_wraps_and_keeps_the_newest)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	l4_word_t mr[L4_MSG_REGS] = {0};
	struct kt_thread t;
	uint32_t first, total, start;
	unsigned n, i;

	KT_ASSERT_EQ(kt_thread_start(&t, kt_echo_server, ep, 100, 0, false), 0);
	kt_let_others_run();
	start = trace_total();
	for (i = 0; i < 300; i++) { /* 600 fastpath records */
		l4_tag_t tag = l4_tag(0x55, 0, 1);

		KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
	}
	n = read_trace(0, &first, &total);
	KT_ASSERT(total >= start + 600);
	KT_ASSERT_EQ(n, RING_RECORDS);
	KT_ASSERT_EQ(first, total - RING_RECORDS); /* the oldest kept */
	for (i = 0; i < n; i++) {
		KT_ASSERT(ev[i].type >= L4_TRACE_SWITCH && ev[i].type <= L4_TRACE_TYPES);
		if (i)
			KT_ASSERT(ev[i].cycles - ev[i - 1].cycles < 0x80000000u);
	}
	KT_ASSERT_EQ(ev[n - 10].type, L4_TRACE_FASTIPC);
	KT_ASSERT_EQ(ev[n - 10].a >> 16, 0x55);
	kt_thread_destroy(&t);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

static void recv_once(uint32_t ep)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;

	l4_recv(ep, &tag, mr, &badge);
}

static void send_once(uint32_t ep)
{
	l4_word_t mr[L4_MSG_REGS] = {0};

	l4_send(ep, l4_tag(0x67, 0, 1), mr);
}

/*
 * One-way sends: to a waiting receiver less urgent than the sender (it runs later), and
 * a receive that finds a sender queued. Each is one IPC event from the sender to the
 * receiver with its label, whichever path the kernel takes.
 */
KTEST(trace_records_sends_and_receives_that_find_a_sender)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	l4_word_t mr[L4_MSG_REGS] = {0}, badge;
	struct l4_thread_acct me, other;
	struct kt_thread t;
	uint32_t first, total, start;
	unsigned n, i, sends = 0, received = 0;
	l4_tag_t tag = 0;

	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, L4_ROOT_CAP_THREAD, &me), 0);
	/* A receiver below the root: the send delivers, the root runs on. */
	KT_ASSERT_EQ(kt_thread_start(&t, recv_once, ep, 100, 0, false), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(l4_thread_acct(L4_ROOT_CAP_SYSTEM, t.cap, &other), 0);
	start = trace_total();
	KT_ASSERT_EQ(l4_send(ep, l4_tag(0x66, 0, 1), mr), 0);
	kt_let_others_run();
	kt_thread_destroy(&t);
	/* A sender queued before the root receives. */
	KT_ASSERT_EQ(kt_thread_start(&t, send_once, ep, 100, 0, false), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(l4_recv(ep, &tag, mr, &badge), 0);
	KT_ASSERT_EQ(l4_tag_label(tag), 0x67);
	n = read_trace(start, &first, &total);
	for (i = 0; i < n; i++) {
		if (ev[i].type != L4_TRACE_IPC && ev[i].type != L4_TRACE_FASTIPC)
			continue;
		if ((ev[i].a >> 16) == 0x66 && ev[i].thread == me.id && ev[i].to == other.id)
			sends++;
		if ((ev[i].a >> 16) == 0x67 && ev[i].to == me.id && ev[i].thread != me.id &&
		    ev[i].thread != L4_TRACE_UNKNOWN)
			received++;
	}
	KT_ASSERT_EQ(sends, 1);
	KT_ASSERT_EQ(received, 1);
	kt_thread_destroy(&t);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}
