/* SPDX-License-Identifier: BSD-2-Clause */
/* The RLC task: SDUs from PDCP down to the MAC, PDUs from the MAC up to PDCP (per bearer mode). */
#include "l4e.h"
#include "mac.h"
#include "pdcp.h"
#include "rlc.h"
#include "sys_rlc.h"

#include <l4e/log.h>
#include <l4e/task.h>

#define BEARERS	  8
#define LCID_BASE 3 /* bearer b uses logical channel 3 + b (TS 36.321 §6.2.1) */

static volatile uint8_t modes[BEARERS];
static volatile uint8_t configured[BEARERS];

static const struct l4e_pool data_pools[] = {{.id = SYS_POOL_FRAMES_ID,
					      .badge = SYS_CLIENT_RLC_DATA_PDCP,
					      .rights = L4E_BUF_R | L4E_BUF_W,
					      .size = SYS_POOL_FRAMES_SIZE,
					      .base = (void *)SYS_POOL_FRAMES_ADDR}};
static const struct l4e_pool ind_pools[] = {{.id = SYS_POOL_FRAMES_ID,
					     .badge = SYS_CLIENT_RLC_IND_MAC,
					     .rights = L4E_BUF_R | L4E_BUF_W,
					     .size = SYS_POOL_FRAMES_SIZE,
					     .base = (void *)SYS_POOL_FRAMES_ADDR}};

static int op_configure(void *ctx, l4_word_t badge, uint8_t bearer, enum rlc_mode m)
{
	(void)ctx, (void)badge;
	if (bearer >= BEARERS)
		return RLC_ERROR_NO_BEARER;
	modes[bearer] = (uint8_t)m;
	configured[bearer] = 1;
	return 0;
}

static int op_tx(void *ctx, l4_word_t badge, uint8_t bearer, const struct l4e_buffer *sdu)
{
	(void)ctx, (void)badge;
	if (bearer >= BEARERS || !configured[bearer])
		return RLC_ERROR_NO_BEARER;
	return mac_data_tx(SYS_CAP_USES_MAC_DATA, (uint8_t)(LCID_BASE + bearer), sdu) == 0
		       ? 0
		       : RLC_ERROR_NO_SPACE;
}

static int op_rx(void *ctx, l4_word_t badge, uint8_t lcid, const struct l4e_buffer *pdu)
{
	(void)ctx, (void)badge;
	if (lcid < LCID_BASE || lcid >= LCID_BASE + BEARERS)
		return 0; /* not ours: dropped */
	pdcp_ind_rx(SYS_CAP_USES_PDCP_IND, (uint8_t)(lcid - LCID_BASE), pdu);
	return 0;
}

static const struct rlc_data_ops data_ops = {.configure = op_configure, .tx = op_tx};
static const struct rlc_ind_ops ind_ops = {.rx = op_rx};

void rlc_tx_main(uint32_t arg);
void rlc_rx_main(uint32_t arg);

void rlc_tx_main(uint32_t arg)
{
	struct rlc_data_server srv = {.ops = &data_ops, .pools = data_pools, .npools = 1};

	(void)arg;
	rlc_data_serve(&srv, SYS_CAP_PROVIDES_RLC_DATA);
}

void rlc_rx_main(uint32_t arg)
{
	struct rlc_ind_server srv = {.ops = &ind_ops, .pools = ind_pools, .npools = 1};

	(void)arg;
	rlc_ind_serve(&srv, SYS_CAP_PROVIDES_RLC_IND);
}
