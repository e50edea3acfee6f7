/* SPDX-License-Identifier: BSD-2-Clause */
/* The radio task: transmits frames; until the simulated radio link exists it loops them back. */
#include "l4e.h"
#include "mac.h"
#include "phy.h"
#include "sys_radio.h"

#include <l4e/log.h>
#include <l4e/pool.h>
#include <l4e/task.h>

#define QUEUE 32

/* Frames transmitted and not yet received back: the server thread queues, rx drains. */
static struct l4e_buffer queue[QUEUE];
static volatile uint32_t q_head, q_tail, rx_count, dropped;

static const struct l4e_pool pools[] = {{.id = SYS_POOL_FRAMES_ID,
					 .badge = SYS_CLIENT_PHY_RADIO_MAC,
					 .rights = L4E_BUF_R | L4E_BUF_W,
					 .size = SYS_POOL_FRAMES_SIZE,
					 .base = (void *)SYS_POOL_FRAMES_ADDR}};

static int op_tx(void *ctx, l4_word_t badge, const struct l4e_buffer *frame)
{
	(void)ctx, (void)badge;
	if (!l4e_pool_valid((void *)SYS_POOL_FRAMES_ADDR, frame))
		return PHY_ERROR_TOO_LONG;
	if (q_head - q_tail >= QUEUE)
		return PHY_ERROR_BUSY;
	queue[q_head % QUEUE] = *frame;
	q_head++;
	l4_signal(SYS_SLOT_NTFN, 1u << 31); /* loopback: the rx thread takes it */
	return 0;
}

static int op_rx_count(void *ctx, l4_word_t badge, uint32_t *result)
{
	(void)ctx, (void)badge;
	*result = rx_count;
	return 0;
}

static const struct phy_radio_ops ops = {.tx = op_tx, .rx_count = op_rx_count};

void radio_server_main(uint32_t arg);
void radio_rx_main(uint32_t arg);

void radio_server_main(uint32_t arg)
{
	struct phy_radio_server srv = {.ops = &ops, .pools = pools, .npools = 1};

	(void)arg;
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, "radio: up, loopback link", 0, false);
	phy_radio_serve(&srv, SYS_CAP_PROVIDES_PHY_RADIO);
}

/* Hands every received frame up to the MAC; the handle travels, the bytes stay. */
void radio_rx_main(uint32_t arg)
{
	uint32_t bits;

	(void)arg;
	for (;;) {
		l4_wait(SYS_SLOT_NTFN, &bits);
		while (q_tail != q_head) {
			struct l4e_buffer f = queue[q_tail % QUEUE];

			q_tail++;
			if (mac_ind_rx(SYS_CAP_USES_MAC_IND, &f) == 0)
				rx_count++;
			else
				dropped++;
		}
	}
}
