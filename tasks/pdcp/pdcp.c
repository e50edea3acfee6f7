/* SPDX-License-Identifier: BSD-2-Clause */
/* The PDCP task: SDUs from RRC down to RLC, PDUs from RLC up to RRC. */
#include "l4e.h"
#include "pdcp.h"
#include "rlc.h"
#include "rrc.h"
#include "sys_pdcp.h"

#include <l4e/log.h>
#include <l4e/task.h>

#define BEARERS 8

static const struct l4e_pool data_pools[] = {{.id = SYS_POOL_FRAMES_ID,
					      .badge = SYS_CLIENT_PDCP_DATA_RRC,
					      .rights = L4E_BUF_R | L4E_BUF_W,
					      .size = SYS_POOL_FRAMES_SIZE,
					      .base = (void *)SYS_POOL_FRAMES_ADDR}};
static const struct l4e_pool ind_pools[] = {{.id = SYS_POOL_FRAMES_ID,
					     .badge = SYS_CLIENT_PDCP_IND_RLC,
					     .rights = L4E_BUF_R | L4E_BUF_W,
					     .size = SYS_POOL_FRAMES_SIZE,
					     .base = (void *)SYS_POOL_FRAMES_ADDR}};

static volatile uint8_t ready[BEARERS];
static uint32_t sdus; /* since this incarnation started */

static volatile uintptr_t bad_pointer = 0x10; /* nothing is mapped there */

/* The fault-containment test: the 3rd SDU of the first two lives crashes this task. */
static void chaos(void)
{
	if (!DEMO_CHAOS || ++sdus != 3)
		return;
	if (l4e_incarnation() == 0)
		*(volatile uint32_t *)bad_pointer = 0xbad; /* data abort */
	else if (l4e_incarnation() == 1)
		__asm__ volatile(".word 0xe7f000f3"); /* undefined instruction */
}

/* The RLC entity of a bearer is set up on its first SDU (acknowledged mode). */
static int op_tx(void *ctx, l4_word_t badge, uint8_t bearer, const struct l4e_buffer *sdu)
{
	(void)ctx, (void)badge;
	if (bearer >= BEARERS)
		return PDCP_ERROR_NO_BEARER;
	chaos();
	if (!ready[bearer]) {
		if (rlc_data_configure(SYS_CAP_USES_RLC_DATA, bearer, RLC_MODE_AM) != 0)
			return PDCP_ERROR_NO_BEARER;
		ready[bearer] = 1;
	}
	return rlc_data_tx(SYS_CAP_USES_RLC_DATA, bearer, sdu) == 0 ? 0 : PDCP_ERROR_NO_BEARER;
}

static int op_rx(void *ctx, l4_word_t badge, uint8_t bearer, const struct l4e_buffer *pdu)
{
	(void)ctx, (void)badge;
	rrc_ind_rx(SYS_CAP_USES_RRC_IND, bearer, pdu);
	return 0;
}

static const struct pdcp_data_ops data_ops = {.tx = op_tx};
static const struct pdcp_ind_ops ind_ops = {.rx = op_rx};

void pdcp_tx_main(uint32_t arg);
void pdcp_rx_main(uint32_t arg);

void pdcp_tx_main(uint32_t arg)
{
	struct pdcp_data_server srv = {.ops = &data_ops, .pools = data_pools, .npools = 1};

	(void)arg;
	pdcp_data_serve(&srv, SYS_CAP_PROVIDES_PDCP_DATA);
}

void pdcp_rx_main(uint32_t arg)
{
	struct pdcp_ind_server srv = {.ops = &ind_ops, .pools = ind_pools, .npools = 1};

	(void)arg;
	pdcp_ind_serve(&srv, SYS_CAP_PROVIDES_PDCP_IND);
}
