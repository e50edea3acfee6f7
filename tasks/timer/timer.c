/* SPDX-License-Identifier: BSD-2-Clause */
/* The timer task: one-shot and periodic timeouts on the virtual timer, delivered as notifications. */
#include "l4e.h"
#include "sys_timer.h"

#include <l4e/task.h>

/*
 * Each client (by badge) has L4E_TIMERS_MAX timers; an expiry of timer `id`
 * sets bit `id` of the client's notification, through the send cap the
 * supervisor put at SYS_SLOT_CLIENT_NTFN + badge. One thread serves calls and
 * the interrupt: the task notification (IRQ bit) is bound to it, so the
 * timer table needs no lock.
 */
#define CLIENTS 64

/*
 * Radio time: a system whose timer task provides l4e::clock (tasks/system.toml) takes its
 * time from the radio driver's subframe indications and never arms the generic timer
 * (see idl/l4e.idl). Otherwise time is the virtual counter.
 */
#ifdef SYS_CAP_PROVIDES_L4E_CLOCK
#define RADIO_TIME 1
#else
#define RADIO_TIME 0
#endif

_Static_assert(L4E_TIMERS_MAX <= 32, "a client's armed timers are one word of bits");
_Static_assert(CLIENTS == 64, "the armed clients are one 64-bit word of bits");

struct timer {
	uint64_t deadline; /* CNTVCT ticks, when armed */
	uint64_t period;   /* ticks; 0: one-shot */
};

/*
 * Only armed timers are visited: `armed[c]` has bit i for each armed timer of
 * client c and `clients` bit c for each client with one. An interrupt or a call
 * costs in proportion to the armed timers, not to the size of the table (a full
 * scan of 64 x 16 entries was 24,000 cycles per expiry: the timer task was the
 * busiest task of the demo system).
 */
static struct timer timers[CLIENTS][L4E_TIMERS_MAX];
static uint32_t armed[CLIENTS];
static uint64_t clients;
static uint32_t ticks_per_us;
static uint32_t expiries; /* for a debugger: expiries delivered */

#if RADIO_TIME
#include <l4e/clock.h>
#define CLOCK ((void *)SYS_POOL_CLOCK_ADDR)
#endif

/* Now, in counter ticks: radio time (the clock pool's subframe), or the virtual counter. */
static uint64_t now_ticks(void)
{
#if RADIO_TIME
	return (uint64_t)l4e_clock_at(CLOCK)->subframe * 1000u * ticks_per_us;
#else
	return l4e_now_ticks();
#endif
}

static void set_armed(unsigned c, unsigned i, bool on)
{
	if (on)
		armed[c] |= 1u << i;
	else
		armed[c] &= ~(1u << i);
	if (armed[c])
		clients |= 1ull << c;
	else
		clients &= ~(1ull << c);
}

static void program(void)
{
	uint64_t next = ~0ull, cs = clients;

	while (cs) {
		unsigned c = (unsigned)__builtin_ctzll(cs);
		uint32_t bits = armed[c];

		cs &= cs - 1;
		while (bits) {
			unsigned i = (unsigned)__builtin_ctz(bits);

			bits &= bits - 1;
			if (timers[c][i].deadline < next)
				next = timers[c][i].deadline;
		}
	}
#if RADIO_TIME
	/* Expiries come with l4e::clock advance, which the radio sends from subframe `due`. */
	if (next == ~0ull) {
		l4e_clock_at(CLOCK)->due = ~0u;
	} else {
		uint64_t per_sf = 1000ull * ticks_per_us, sf = (next + per_sf - 1) / per_sf;

		l4e_clock_at(CLOCK)->due = sf < 0xffffffffull ? (uint32_t)sf : ~0u - 1;
	}
	return;
#endif
	if (next == ~0ull) {
		__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(2)); /* IMASK */
		return;
	}
	/* CNTV_CVAL, then enable (ARM ARM B8.1.2): fires when CNTVCT >= CVAL. */
	__asm__ volatile("mcrr p15, 3, %0, %1, c14"
			 :
			 : "r"((uint32_t)next), "r"((uint32_t)(next >> 32)));
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(1));
}

static void expire(void)
{
	uint64_t now = now_ticks(), cs = clients;

	while (cs) {
		unsigned c = (unsigned)__builtin_ctzll(cs);
		uint32_t bits = armed[c], fired = 0;

		cs &= cs - 1;
		while (bits) {
			unsigned i = (unsigned)__builtin_ctz(bits);
			struct timer *t = &timers[c][i];

			bits &= bits - 1;
			if (t->deadline > now)
				continue;
			fired |= 1u << i;
			expiries++;
			if (t->period) {
				while (t->deadline <= now)
					t->deadline += t->period; /* no burst after a stall */
			} else {
				set_armed(c, i, false);
			}
		}
		if (fired)
			l4_signal(SYS_SLOT_CLIENT_NTFN + c, fired);
	}
	program();
}

static int op_arm(void *ctx, l4_word_t badge, uint32_t id, uint32_t us, bool periodic)
{
	(void)ctx;
	if (badge >= CLIENTS || id >= L4E_TIMERS_MAX)
		return L4E_TIMER_ERROR_NO_SUCH_TIMER;
	if (us == 0 || us > 100000000u)
		return L4E_TIMER_ERROR_BAD_PERIOD;
	timers[badge][id].period = periodic ? (uint64_t)us * ticks_per_us : 0;
	timers[badge][id].deadline = now_ticks() + (uint64_t)us * ticks_per_us;
	set_armed(badge, id, true);
	program();
	return 0;
}

static int op_cancel(void *ctx, l4_word_t badge, uint32_t id)
{
	(void)ctx;
	if (badge >= CLIENTS || id >= L4E_TIMERS_MAX)
		return L4E_TIMER_ERROR_NO_SUCH_TIMER;
	set_armed(badge, id, false);
	program();
	return 0;
}

static int op_now_us(void *ctx, l4_word_t badge, uint64_t *result)
{
	(void)ctx, (void)badge;
	*result = now_ticks() / ticks_per_us;
	return 0;
}

static const struct l4e_timer_ops ops = {.arm = op_arm, .cancel = op_cancel, .now_us = op_now_us};

#if RADIO_TIME
/*
 * The radio's indication that a timeout is due (l4e_clock.due): the radio has written
 * the subframe into the clock pool, which is where time comes from.
 */
static int op_advance(void *ctx, l4_word_t badge, uint32_t subframe)
{
	(void)ctx, (void)badge, (void)subframe;
	expire();
	return 0;
}

static const struct l4e_clock_ops clock_ops = {.advance = op_advance};

void timer_clock_main(uint32_t arg);

/* One priority with the server thread: the two never interleave (tasks/system.toml). */
void timer_clock_main(uint32_t arg)
{
	struct l4e_clock_server srv = {.ops = &clock_ops};

	(void)arg;
	ticks_per_us = l4e_timer_hz() / 1000000;
	l4e_clock_at(CLOCK)->due = 0; /* until the timer table says otherwise */
	l4e_clock_serve(&srv, SYS_CAP_PROVIDES_L4E_CLOCK);
}
#endif

void timer_server_main(uint32_t arg);

void timer_server_main(uint32_t arg)
{
	struct l4e_timer_server srv = {.ops = &ops};
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;
	bool reply;

	(void)arg;
	ticks_per_us = l4e_timer_hz() / 1000000;
	if (l4_thread_ctl(SYS_THREAD_SERVER, L4_THREAD_BIND, SYS_SLOT_NTFN, 0) != 0)
		return;
	if (l4_recv(SYS_CAP_PROVIDES_L4E_TIMER, &tag, mr, &badge) != 0)
		return;
	for (;;) {
		if (l4_tag_label(tag) == L4_LABEL_NOTIFY) {
			/* The virtual timer fired (SYS_IRQ_27_MASK): expiries, then unmask the line. */
			expire();
			l4_irq_ack(SYS_CAP_IRQ_27);
			l4_recv(SYS_CAP_PROVIDES_L4E_TIMER, &tag, mr, &badge);
			continue;
		}
		reply = l4e_timer_dispatch(&srv, &tag, mr, badge);
		if (reply)
			l4_reply_recv(SYS_CAP_PROVIDES_L4E_TIMER, &tag, mr, &badge);
		else
			l4_recv(SYS_CAP_PROVIDES_L4E_TIMER, &tag, mr, &badge);
	}
}
