/* SPDX-License-Identifier: BSD-2-Clause */
/* The RRC task: sends numbered frames down the stack and checks each comes back intact. */
#include "l4e.h"
#include "pdcp.h"
#include "rrc.h"
#include "sys_rrc.h"

#include <l4e/log.h>
#include <l4e/pool.h>
#include <l4e/task.h>

#define FRAMES	       20
#define FRAME_LEN      1500
#define BEARER	       1
#define SEND_TIMER     0
#define SEND_PERIOD_US 2000
#define LOG_BURST      100 /* DEMO_PROBE: records logged back to back */

#define POOL ((void *)SYS_POOL_FRAMES_ADDR)

static volatile uint32_t received, corrupt;

static const struct l4e_pool ind_pools[] = {{.id = SYS_POOL_FRAMES_ID,
					     .badge = SYS_CLIENT_RRC_IND_PDCP,
					     .rights = L4E_BUF_R,
					     .size = SYS_POOL_FRAMES_SIZE,
					     .base = POOL}};

static uint8_t pattern(uint32_t frame, uint32_t i)
{
	return (uint8_t)(frame * 31u + i * 7u + 1u);
}

/* The demo is over: everything logged reaches the console, then the supervisor ends the run. */
static void end_run(uint32_t status)
{
	l4_word_t mr[L4_MSG_REGS] = {status};
	l4_tag_t tag = l4_tag(SYS_SUPER_SHUTDOWN, 0, 1);
	uint64_t now = 0;
	uint32_t records;

	l4e_timer_now_us(SYS_CAP_USES_L4E_TIMER, &now);
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, "rrc: done at us", (uint32_t)now, true);
	l4e_log_flush(SYS_CAP_USES_L4E_LOG, &records);
	l4_call(SYS_SLOT_SUPER, &tag, mr);
}

/* A frame is back: check every byte, return its block to the pool. */
static int op_rx(void *ctx, l4_word_t badge, uint8_t bearer, const struct l4e_buffer *sdu)
{
	const uint8_t *p = l4e_pool_ptr(POOL, sdu);
	uint32_t frame = p[0], i;

	(void)ctx, (void)badge, (void)bearer;
	for (i = 1; i < sdu->length; i++)
		if (p[i] != pattern(frame, i))
			break;
	if (i != sdu->length || sdu->length != FRAME_LEN)
		corrupt++;
	l4e_pool_free(POOL, sdu);
	if (++received == FRAMES) {
		l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO,
			"rrc: frames back through pdcp, rlc, mac, radio, corrupt", corrupt, true);
		end_run(corrupt ? 1 : 0);
	}
	return 0;
}

static const struct rrc_ind_ops ind_ops = {.rx = op_rx};

void rrc_main(uint32_t arg);
void rrc_rx_main(uint32_t arg);

/*
 * The timer service's contract, checked through the real service by the test build
 * (DEMO_PROBE) before the demo starts: error codes, a one-shot fires once and not
 * early, a periodic timer repeats at its period, a cancelled timer stays silent.
 * Timers 2..4 (the demo's own is 0); expiry of timer i sets bit i of our notification.
 */
static uint64_t now_us(void)
{
	uint64_t now = 0;

	l4e_timer_now_us(SYS_CAP_USES_L4E_TIMER, &now);
	return now;
}

static int timer_check(void)
{
	const l4_cap_t tm = SYS_CAP_USES_L4E_TIMER;
	uint32_t bits, periodic = 0, oneshot = 0;
	uint64_t start, t;

	if (l4e_timer_arm(tm, L4E_TIMERS_MAX, 1000, false) != L4E_TIMER_ERROR_NO_SUCH_TIMER)
		return 1;
	if (l4e_timer_cancel(tm, L4E_TIMERS_MAX) != L4E_TIMER_ERROR_NO_SUCH_TIMER)
		return 2;
	if (l4e_timer_arm(tm, 2, 0, true) != L4E_TIMER_ERROR_BAD_PERIOD ||
	    l4e_timer_arm(tm, 2, 100000001u, false) != L4E_TIMER_ERROR_BAD_PERIOD)
		return 3;
	l4_poll(SYS_SLOT_NTFN, &bits); /* start from a clean word */
	start = now_us();
	if (l4e_timer_arm(tm, 2, 1000, true) || l4e_timer_arm(tm, 3, 3500, false) ||
	    l4e_timer_arm(tm, 4, 500, false) || l4e_timer_cancel(tm, 4))
		return 4;
	while ((t = now_us() - start) < 5500) {
		l4_wait(SYS_SLOT_NTFN, &bits);
		t = now_us() - start;
		if (bits & (1u << 4))
			return 5; /* cancelled before it was due */
		if (bits & (1u << 3)) {
			if (t < 3500 || oneshot++)
				return 6; /* early, or twice */
		}
		if (bits & (1u << 2)) {
			if (t < 1000 * (uint64_t)(periodic + 1))
				return 7; /* faster than its period */
			periodic++;
		}
	}
	if (oneshot != 1 || periodic < 5 || periodic > 6) /* ticks 1..5, and 6 ends the loop */
		return 8;
	/* Cancel the periodic one; a tick already delivered is drained, then silence. */
	if (l4e_timer_cancel(tm, 2) || l4e_timer_arm(tm, 3, 2500, false))
		return 9;
	l4_poll(SYS_SLOT_NTFN, &bits);
	do {
		l4_wait(SYS_SLOT_NTFN, &bits);
		if (bits & (1u << 2))
			return 10;
	} while (!(bits & (1u << 3)));
	return 0;
}

/* Every SEND_PERIOD_US: a block from the pool, filled, handed down by handle. */
void rrc_main(uint32_t arg)
{
	uint32_t bits, sent = 0, i;
	struct l4e_buffer b;
	int err;
	uint8_t *p;

	(void)arg;
	if (DEMO_PROBE && l4e_incarnation() == 0) {
		int failed = timer_check();

		l4e_log(SYS_CAP_USES_L4E_LOG, failed ? L4E_LOG_LEVEL_ERROR : L4E_LOG_LEVEL_INFO,
			failed ? "rrc: timer check failed at step" : "rrc: timer check ok",
			(uint32_t)failed, failed != 0);
		/* More records than the log task's ring holds, at once: none may be lost. */
		for (i = 0; i < LOG_BURST; i++)
			l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_DEBUG, "rrc: log burst", i,
				true);
	}
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, "rrc: sending frames", FRAMES, true);
	l4e_timer_arm(SYS_CAP_USES_L4E_TIMER, SEND_TIMER, SEND_PERIOD_US, true);
	while (sent < FRAMES) {
		l4_wait(SYS_SLOT_NTFN, &bits);
		if (l4e_pool_alloc(POOL, SYS_POOL_FRAMES_ID, FRAME_LEN, &b) != 0)
			continue;
		p = l4e_pool_ptr(POOL, &b);
		p[0] = (uint8_t)sent;
		for (i = 1; i < FRAME_LEN; i++)
			p[i] = pattern(sent, i);
		/* The fault-containment test: the first life hangs half-way, the watchdog acts. */
		while (DEMO_CHAOS && l4e_incarnation() == 0 && sent == FRAMES / 2)
			__asm__ volatile("" ::: "memory");
		err = pdcp_data_tx(SYS_CAP_USES_PDCP_DATA, BEARER, &b);
		if (err == 0) {
			sent++;
		} else {
			/* A restarted layer below: the defined error, then service. Retry. */
			l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_WARN, "rrc: send failed, error",
				(uint32_t)-err, true);
			l4e_pool_free(POOL, &b);
		}
	}
	l4e_timer_cancel(SYS_CAP_USES_L4E_TIMER, SEND_TIMER);
}

void rrc_rx_main(uint32_t arg)
{
	struct rrc_ind_server srv = {.ops = &ind_ops, .pools = ind_pools, .npools = 1};

	(void)arg;
	rrc_ind_serve(&srv, SYS_CAP_PROVIDES_RRC_IND);
}
