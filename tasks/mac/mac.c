/* SPDX-License-Identifier: BSD-2-Clause */
/* The MAC task: PDUs down to the radio, frames up to RLC, and a TTI scheduler on the timer. */
#include "l4e.h"
#include "mac.h"
#include "phy.h"
#include "rlc.h"
#include "sys_mac.h"

#include <l4e/log.h>
#include <l4e/task.h>

#define LCID_DATA 3 /* the demo's one data logical channel (TS 36.321 §6.2.1: 3..10) */
#define TTI_US	  1000
#define TTI_TIMER 0

static const struct l4e_pool data_pools[] = {{.id = SYS_POOL_FRAMES_ID,
					      .badge = SYS_CLIENT_MAC_DATA_RLC,
					      .rights = L4E_BUF_R | L4E_BUF_W,
					      .size = SYS_POOL_FRAMES_SIZE,
					      .base = (void *)SYS_POOL_FRAMES_ADDR}};
static const struct l4e_pool ind_pools[] = {{.id = SYS_POOL_FRAMES_ID,
					     .badge = SYS_CLIENT_MAC_IND_RADIO,
					     .rights = L4E_BUF_R | L4E_BUF_W,
					     .size = SYS_POOL_FRAMES_SIZE,
					     .base = (void *)SYS_POOL_FRAMES_ADDR}};

static volatile uint32_t ttis;

static int op_tx(void *ctx, l4_word_t badge, uint8_t lcid, const struct l4e_buffer *pdu)
{
	(void)ctx, (void)badge;
	if (lcid < 1 || lcid > 10)
		return MAC_ERROR_BAD_LCID;
	return phy_radio_tx(SYS_CAP_USES_PHY_RADIO, pdu) == 0 ? 0 : MAC_ERROR_NO_GRANT;
}

static int op_rx(void *ctx, l4_word_t badge, const struct l4e_buffer *frame)
{
	(void)ctx, (void)badge;
	rlc_ind_rx(SYS_CAP_USES_RLC_IND, LCID_DATA, frame);
	return 0;
}

static const struct mac_data_ops data_ops = {.tx = op_tx};
static const struct mac_ind_ops ind_ops = {.rx = op_rx};

void mac_tx_main(uint32_t arg);
void mac_rx_main(uint32_t arg);
void mac_sched_main(uint32_t arg);

void mac_tx_main(uint32_t arg)
{
	struct mac_data_server srv = {.ops = &data_ops, .pools = data_pools, .npools = 1};

	(void)arg;
	mac_data_serve(&srv, SYS_CAP_PROVIDES_MAC_DATA);
}

void mac_rx_main(uint32_t arg)
{
	struct mac_ind_server srv = {.ops = &ind_ops, .pools = ind_pools, .npools = 1};

	(void)arg;
	mac_ind_serve(&srv, SYS_CAP_PROVIDES_MAC_IND);
}

/* One wake-up per TTI from the timer service; a log line every 1000 TTIs. */
void mac_sched_main(uint32_t arg)
{
	uint32_t bits, frames = 0;
	int err;

	(void)arg;
	err = l4e_timer_arm(SYS_CAP_USES_L4E_TIMER, TTI_TIMER, TTI_US, true);
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, "mac: TTI timer armed, status",
		(uint32_t)err, true);
	for (;;) {
		l4_wait(SYS_SLOT_NTFN, &bits);
		if (!(bits & (1u << TTI_TIMER)))
			continue;
		if (++ttis == 20 || ttis % 1000 == 0) {
			phy_radio_rx_count(SYS_CAP_USES_PHY_RADIO, &frames);
			l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, "mac: radio rx_count",
				frames, true);
		}
	}
}
