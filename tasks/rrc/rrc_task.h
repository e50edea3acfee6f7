/* SPDX-License-Identifier: BSD-2-Clause */
/* The RRC task's two modes: configured (rrc.c, the simulator's CONFIG) and attach (attach.c, RRC and NAS). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct rl_cfg_bearer;

/* One bearer in RLC, PDCP and (with_mac) the MAC; `attach`: AM data bearers lose nothing
 * through a re-establishment (delivery reports, PDCP keeps the SDUs). rrc.c. */
int rrc_bearer_setup(const struct rl_cfg_bearer *b, bool with_mac, bool attach);

/* Attach mode: CONFIG gave the MAC only; the UE state machine runs the connection. */
void rrc_attach_start(void);
bool rrc_attach_active(void);
void rrc_attach_bcch(const uint8_t *tb, uint32_t len);
void rrc_attach_rx(uint8_t lcid, const uint8_t *pdu, uint32_t len);
void rrc_attach_connected(uint16_t crnti);
void rrc_attach_link_failed(void);
/* Every RRC_TICK_MS of radio time: T300, T301, T311. */
void rrc_attach_tick(void);

#define RRC_TICK_MS 5
