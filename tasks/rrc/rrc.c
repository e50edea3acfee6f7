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

/* Every SEND_PERIOD_US: a block from the pool, filled, handed down by handle. */
void rrc_main(uint32_t arg)
{
	uint32_t bits, sent = 0, i;
	struct l4e_buffer b;
	int err;
	uint8_t *p;

	(void)arg;
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
