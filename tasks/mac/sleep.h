/* SPDX-License-Identifier: BSD-2-Clause */
/* The MAC task's connected-mode DRX (drx.c): what mac.c tells it per subframe, and when to wake. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* drx.c keeps its configuration across restarts in the last bytes of the MAC's keep pool. */
#define DRX_KEEP_SIZE 128

/* The connection started in subframe `sf` (Msg4 acknowledged): DRX as configured from now. */
void drx_connected(uint32_t sf);
/* The connection ended (random access failed, or the run is over): no DRX until the next. */
void drx_released(void);
/* A DL TB on the C-RNTI in this subframe: its HARQ process, new data or not, acknowledged. */
void drx_dl(uint8_t pid, bool new_tx, bool ack);
/* An UL grant on the C-RNTI in subframe `sf` for process `pid`: new data or not. A TB goes
 * out on it. */
void drx_ul_grant(uint32_t sf, uint8_t pid, bool new_tx);
/* PHICH feedback for process `pid`: its TB is no longer in flight unless granted again. */
void drx_phich(uint8_t pid);
/* End of subframe `sf`, `connected` or not, with `sr_pending` (a scheduling request waits
 * for a grant): the subframe the MAC must see next, sf + 1 or later. */
uint32_t drx_sf_end(uint32_t sf, bool connected, bool sr_pending);

/* Idle-mode paging: whether the MAC may start the connection RRC asked for (no paging
 * configured, or paged); a PCCH message received on the P-RNTI while idle. */
bool drx_may_connect(void);
void drx_pcch(uint32_t sf, const uint8_t *p, uint32_t len);
