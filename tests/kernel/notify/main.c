/* SPDX-License-Identifier: BSD-2-Clause */
/* Notifications (signal, wait, poll, badges, binding) and interrupt delivery and ack. */
#include "kthread.h"
#include "ktest.h"

static volatile uint32_t got_bits;
static volatile int got_err = 1;

static void waiter(uint32_t n)
{
	uint32_t bits;

	got_err = l4_wait(n, &bits);
	got_bits = bits;
}

KTEST(notify_signal_then_wait_returns_bits)
{
	l4_cap_t n = kt_create(L4_OBJ_NOTIFICATION);
	uint32_t bits = 0;

	KT_ASSERT_EQ(l4_signal(n, 0x5), 0);
	KT_ASSERT_EQ(l4_signal(n, 0x30), 0);
	KT_ASSERT_EQ(l4_wait(n, &bits), 0);
	KT_ASSERT_EQ(bits, 0x35);
	KT_ASSERT_EQ(l4_poll(n, &bits), -L4_EAGAIN); /* wait cleared the word */
	KT_ASSERT_EQ(bits, 0);
	l4_cap_delete(n);
	kt_slot_free(n);
}

KTEST(notify_wait_blocks_until_signal)
{
	l4_cap_t n = kt_create(L4_OBJ_NOTIFICATION);
	struct kt_thread t;

	got_err = 1;
	got_bits = 0;
	KT_ASSERT_EQ(kt_thread_start(&t, waiter, n, 100, 0, false), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(got_err, 1); /* still waiting */
	KT_ASSERT_EQ(l4_signal(n, 0x80000000u), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(got_err, 0);
	KT_ASSERT_EQ(got_bits, 0x80000000u);
	kt_thread_destroy(&t);
	l4_cap_delete(n);
	kt_slot_free(n);
}

KTEST(notify_badge_is_the_signalled_bits)
{
	l4_cap_t n = kt_create(L4_OBJ_NOTIFICATION), m = kt_slot_alloc();
	uint32_t bits;

	KT_ASSERT_EQ(l4_cap_mint(n, 0, m, L4_RIGHT_SEND, 0x100), 0);
	KT_ASSERT_EQ(l4_signal(m, 0x1), 0); /* the badge wins over r1 */
	KT_ASSERT_EQ(l4_poll(n, &bits), 0);
	KT_ASSERT_EQ(bits, 0x100);
	KT_ASSERT_EQ(l4_poll(m, &bits), -L4_EPERM); /* no receive right */
	KT_ASSERT_EQ(l4_signal(L4_ROOT_CAP_RAM, 1), -L4_ETYPE);
	KT_ASSERT_EQ(l4_signal(0, 1), -L4_ECAP);
	l4_cap_delete(m), l4_cap_delete(n);
	kt_slot_free(m), kt_slot_free(n);
}

static volatile uint32_t srv_label, srv_badge;

/* Waits on an endpoint with a bound notification: one receive sees either. */
static void bound_server(uint32_t ep)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;

	for (;;) {
		if (l4_recv(ep, &tag, mr, &badge) != 0)
			return;
		srv_label = l4_tag_label(tag);
		srv_badge = badge;
		if (srv_label != L4_LABEL_NOTIFY)
			l4_reply(l4_tag(0, 0, 0), mr);
	}
}

KTEST(notify_bound_to_a_thread_wakes_its_endpoint_wait)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT), n = kt_create(L4_OBJ_NOTIFICATION);
	l4_word_t mr[L4_MSG_REGS] = {0};
	l4_tag_t tag = l4_tag(9, 0, 0);
	struct kt_thread t;

	KT_ASSERT_EQ(kt_thread_start(&t, bound_server, ep, 100, 0, false), 0);
	KT_ASSERT_EQ(l4_thread_ctl(t.cap, L4_THREAD_BIND, n, 0), 0);
	KT_ASSERT_EQ(l4_thread_ctl(t.cap, L4_THREAD_BIND, n, 0), -L4_EBUSY);
	kt_let_others_run();
	KT_ASSERT_EQ(l4_signal(n, 0x8), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(srv_label, L4_LABEL_NOTIFY);
	KT_ASSERT_EQ(srv_badge, 0x8);
	KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0); /* the endpoint still works */
	KT_ASSERT_EQ(srv_label, 9);
	/* Bits pending before the receive are seen at once. */
	KT_ASSERT_EQ(l4_signal(n, 0x2), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(srv_badge, 0x2);
	kt_thread_destroy(&t);
	l4_cap_delete(ep), l4_cap_delete(n);
	kt_slot_free(ep), kt_slot_free(n);
}

/* Virtual timer registers, user-accessible (CNTKCTL.PL0VTEN). */
static inline void vtimer_arm(uint32_t ticks)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 0" : : "r"(ticks));	  /* CNTV_TVAL */
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(1)); /* CNTV_CTL = ENABLE */
}

static inline void vtimer_stop(void)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(2)); /* IMASK */
}

#define VTIMER_IRQ 27

KTEST(irq_delivered_to_notification_and_acked)
{
	l4_cap_t irq = kt_slot_alloc(), n = kt_create(L4_OBJ_NOTIFICATION), m = kt_slot_alloc();
	uint32_t bits = 0;
	int irqs = l4_debug_kstat(L4_KSTAT_IRQS);

	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, VTIMER_IRQ, irq), 0);
	KT_ASSERT_EQ(l4_cap_mint(n, 0, m, L4_RIGHT_SEND, 0x40), 0);
	KT_ASSERT_EQ(l4_irq_ack(irq), -L4_EINVAL); /* no notification yet */
	KT_ASSERT_EQ(l4_irq_set(irq, m), 0);
	vtimer_arm(1000);
	KT_ASSERT_EQ(l4_wait(n, &bits), 0);
	KT_ASSERT_EQ(bits, 0x40);
	KT_ASSERT(l4_debug_kstat(L4_KSTAT_IRQS) > irqs);
	/* The line stays masked until the ack: a second expiry is not delivered. */
	vtimer_arm(0);
	kt_spin(1000);
	KT_ASSERT_EQ(l4_poll(n, &bits), -L4_EAGAIN);
	KT_ASSERT_EQ(l4_irq_ack(irq), 0);
	KT_ASSERT_EQ(l4_wait(n, &bits), 0); /* still pending at the timer: delivered now */
	KT_ASSERT_EQ(bits, 0x40);
	vtimer_stop();
	KT_ASSERT_EQ(l4_irq_ack(irq), 0);
	l4_cap_delete(irq), l4_cap_delete(m), l4_cap_delete(n);
	kt_slot_free(irq), kt_slot_free(m), kt_slot_free(n);
}

/*
 * L4_SYS_IRQ_ACK with L4_IRQ_ACK_AT_IDLE: the line stays masked while any thread runs and
 * is unmasked when the CPU goes idle, so the pending expiry arrives only once we block.
 */
KTEST(irq_ack_at_idle_unmasks_when_the_cpu_idles)
{
	l4_cap_t irq = kt_slot_alloc(), n = kt_create(L4_OBJ_NOTIFICATION), m = kt_slot_alloc();
	uint32_t bits = 0;

	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, VTIMER_IRQ, irq), 0);
	KT_ASSERT_EQ(l4_cap_mint(n, 0, m, L4_RIGHT_SEND, 0x8), 0);
	KT_ASSERT_EQ(l4_irq_ack_at_idle(irq), -L4_EINVAL); /* no notification yet */
	KT_ASSERT_EQ(l4_irq_set(irq, m), 0);
	vtimer_arm(1000);
	KT_ASSERT_EQ(l4_wait(n, &bits), 0);
	KT_ASSERT_EQ(bits, 0x8);
	vtimer_arm(0); /* fires again at once, but the line is masked */
	KT_ASSERT_EQ(l4_syscall2(L4_SYS_IRQ_ACK, irq, 0x2), -L4_EINVAL); /* unknown flag */
	KT_ASSERT_EQ(l4_irq_ack_at_idle(irq), 0);
	kt_spin(1000);
	kt_let_others_run(); /* other threads run, the CPU is not idle: still masked */
	KT_ASSERT_EQ(l4_poll(n, &bits), -L4_EAGAIN);
	KT_ASSERT_EQ(l4_wait(n, &bits), 0); /* we block, the CPU idles, the line opens */
	KT_ASSERT_EQ(bits, 0x8);
	/* An open line acknowledged for idle is closed while anything runs. */
	vtimer_stop();
	KT_ASSERT_EQ(l4_irq_ack(irq), 0);
	KT_ASSERT_EQ(l4_irq_ack_at_idle(irq), 0);
	vtimer_arm(0);
	kt_spin(1000);
	KT_ASSERT_EQ(l4_poll(n, &bits), -L4_EAGAIN);
	KT_ASSERT_EQ(l4_wait(n, &bits), 0);
	KT_ASSERT_EQ(bits, 0x8);
	vtimer_stop();
	KT_ASSERT_EQ(l4_irq_ack(irq), 0);
	l4_cap_delete(irq), l4_cap_delete(m), l4_cap_delete(n);
	kt_slot_free(irq), kt_slot_free(m), kt_slot_free(n);
}

/* L4_SYS_CPU_BUSY counts work, not waiting: a spin adds its cycles, a sleep adds none. */
KTEST(cpu_busy_counts_work_not_idle)
{
	l4_cap_t irq = kt_slot_alloc(), n = kt_create(L4_OBJ_NOTIFICATION), m = kt_slot_alloc();
	uint32_t a, b, c, bits;

	a = l4_cpu_busy();
	kt_spin(10000);
	b = l4_cpu_busy();
	KT_ASSERT(b - a >= 10000);
	KT_ASSERT(b - a < 10000 * 8);
	/* Sleep on the virtual timer: 2 ms of time, almost no work. */
	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, VTIMER_IRQ, irq), 0);
	KT_ASSERT_EQ(l4_cap_mint(n, 0, m, L4_RIGHT_SEND, 0x1), 0);
	KT_ASSERT_EQ(l4_irq_set(irq, m), 0);
	vtimer_arm(125000);
	b = l4_cpu_busy();
	KT_ASSERT_EQ(l4_wait(n, &bits), 0);
	c = l4_cpu_busy();
	KT_ASSERT(c - b < 5000);
	vtimer_stop();
	l4_cap_delete(irq), l4_cap_delete(m), l4_cap_delete(n);
	kt_slot_free(irq), kt_slot_free(m), kt_slot_free(n);
}

KTEST(irq_get_error_paths)
{
	l4_cap_t irq = kt_slot_alloc(), irq2 = kt_slot_alloc();

	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, 30, irq), -L4_EPERM); /* kernel timer */
	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, 5, irq), -L4_EINVAL); /* an SGI */
	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, 100000, irq), -L4_EINVAL);
	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_KMEM, 40, irq), -L4_ETYPE);
	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, 40, irq), 0);
	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, 40, irq2), -L4_EBUSY);
	KT_ASSERT_EQ(l4_irq_set(irq, L4_ROOT_CAP_RAM), -L4_ETYPE);
	KT_ASSERT_EQ(l4_irq_ack(L4_ROOT_CAP_RAM), -L4_ETYPE);
	/* Deleting the handler cap frees the line for a new claim. */
	KT_ASSERT_EQ(l4_cap_delete(irq), 0);
	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, 40, irq2), 0);
	l4_cap_delete(irq2);
	kt_slot_free(irq), kt_slot_free(irq2);
}

/*
 * Issue 11, finding 2: an interrupt line holds a counted reference to the notification
 * it signals. Before, deleting the notification's last cap freed it under the line, and
 * the next notification created in its pool slot received the interrupts.
 */
KTEST(irq_set_keeps_its_notification_after_the_last_cap_goes)
{
	l4_cap_t irq = kt_slot_alloc(), n1 = kt_create(L4_OBJ_NOTIFICATION), n2;
	uint32_t bits = 0;

	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, VTIMER_IRQ, irq), 0);
	KT_ASSERT_EQ(l4_irq_set(irq, n1), 0);
	KT_ASSERT_EQ(l4_cap_delete(n1), 0);
	n2 = kt_create(L4_OBJ_NOTIFICATION); /* would take n1's pool slot had n1 been freed */
	vtimer_arm(1000);
	kt_spin(20000);
	vtimer_stop();
	KT_ASSERT_EQ(l4_poll(n2, &bits), -L4_EAGAIN); /* never attached: never signalled */
	/* Attaching n2 instead releases n1; n2 now gets the line. */
	KT_ASSERT_EQ(l4_irq_set(irq, n2), 0);
	vtimer_arm(1000);
	KT_ASSERT_EQ(l4_wait(n2, &bits), 0);
	KT_ASSERT_EQ(bits, 1);
	vtimer_stop();
	KT_ASSERT_EQ(l4_cap_delete(irq), 0);
	KT_ASSERT_EQ(l4_cap_delete(n2), 0);
	kt_slot_free(irq), kt_slot_free(n1), kt_slot_free(n2);
}

static l4_cap_t waiter_ep[2];
static volatile uint32_t woke_bits[2];

/* Receives once on its endpoint; records the bits of a bound notification's wake-up. */
static void bound_waiter(uint32_t i)
{
	l4_word_t mr[L4_MSG_REGS], badge = 0;
	l4_tag_t tag = 0;

	if (l4_recv(waiter_ep[i], &tag, mr, &badge) == 0 && l4_tag_label(tag) == L4_LABEL_NOTIFY)
		woke_bits[i] = badge;
}

/*
 * The same with binding: the interrupt reaches the thread its notification is bound to,
 * never the thread bound to a notification created after the last cap went.
 */
KTEST(irq_set_notification_bound_to_a_thread_outlives_its_cap)
{
	l4_cap_t irq = kt_slot_alloc(), n1 = kt_create(L4_OBJ_NOTIFICATION), n2, n3;
	struct kt_thread t, u;

	waiter_ep[0] = kt_create(L4_OBJ_ENDPOINT);
	waiter_ep[1] = kt_create(L4_OBJ_ENDPOINT);
	woke_bits[0] = woke_bits[1] = 0;
	KT_ASSERT_EQ(kt_thread_start(&t, bound_waiter, 0, 100, 0, false), 0);
	KT_ASSERT_EQ(l4_thread_ctl(t.cap, L4_THREAD_BIND, n1, 0), 0);
	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, VTIMER_IRQ, irq), 0);
	KT_ASSERT_EQ(l4_irq_set(irq, n1), 0);
	KT_ASSERT_EQ(l4_cap_delete(n1), 0);
	n2 = kt_create(L4_OBJ_NOTIFICATION);
	KT_ASSERT_EQ(kt_thread_start(&u, bound_waiter, 1, 100, 0, false), 0);
	KT_ASSERT_EQ(l4_thread_ctl(u.cap, L4_THREAD_BIND, n2, 0), 0);
	kt_let_others_run(); /* both wait on their endpoints */
	vtimer_arm(1000);
	kt_spin(20000);
	vtimer_stop();
	kt_let_others_run();
	KT_ASSERT_EQ(woke_bits[0], 1);
	KT_ASSERT_EQ(woke_bits[1], 0);
	/* The line's reference was the last: n1 is finalised and t unbound. */
	KT_ASSERT_EQ(l4_cap_delete(irq), 0);
	n3 = kt_create(L4_OBJ_NOTIFICATION);
	KT_ASSERT_EQ(l4_thread_ctl(t.cap, L4_THREAD_BIND, n3, 0), 0);
	kt_thread_destroy(&t);
	kt_thread_destroy(&u);
	l4_cap_delete(n2), l4_cap_delete(n3), l4_cap_delete(waiter_ep[0]),
		l4_cap_delete(waiter_ep[1]);
	kt_slot_free(irq), kt_slot_free(n1), kt_slot_free(n2), kt_slot_free(n3);
	kt_slot_free(waiter_ep[0]), kt_slot_free(waiter_ep[1]);
}
