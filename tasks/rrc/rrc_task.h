/* SPDX-License-Identifier: BSD-2-Clause */
/* The RRC task's two modes: configured (rrc.c, the simulator's CONFIG) and attach (attach.c, RRC and NAS). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

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
