/* SPDX-License-Identifier: BSD-2-Clause */
/* Functions the eNB's source files share (bearers, random access, scheduling). */
#pragma once

#include "enb.h"

/* Bearers (enb.c). */
void enb_bearer_setup(struct enb *e, struct enb_ue *u, unsigned i, const struct rl_cfg_bearer *c);
void enb_bearers_init(struct enb *e, struct enb_ue *u);
void enb_bearers_release(struct enb_ue *u);
struct enb_bearer *enb_bearer_by_lcid(struct enb_ue *u, uint8_t lcid);
uint32_t enb_bearer_bytes(const struct enb_bearer *b);
/* A new connection on `u` with `rnti`: MAC reset, and bearers reset if it had one before. */
void enb_ue_connect(struct enb *e, struct enb_ue *u, uint16_t rnti);
void enb_ue_release(struct enb *e, struct enb_ue *u);
void enb_ue_suspend(struct enb *e, struct enb_ue *u);
/* Demultiplex a decoded UL MAC PDU of a connected UE (SDUs, BSR); `built_sf` is when the
 * UE built it (its first transmission). */
void enb_ul_demux(struct enb *e, struct enb_ue *u, const uint8_t *tb, uint32_t len,
		  uint32_t built_sf);

/* Random access (enb_ra.c). */
void enb_ra_schedule(struct enb *e, uint32_t sf, uint32_t *prbs_dl, uint32_t *prbs_ul);
/* A decoded TB on a Msg3 process of `u`. */
void enb_ra_msg3(struct enb *e, struct enb_ue *u, uint32_t sf, uint16_t rnti, const uint8_t *tb,
		 uint32_t len);
void enb_ra_end_subframe(struct enb *e, uint32_t sf);

/* Layer 3 in attach mode (enb_l3.c): RRC over SRB0/1/2, the MME and its HSS. */
int enb_l3_init(struct enb *e);
void enb_l3_free(struct enb *e);
/* A CCCH SDU in Msg3 of `u` (now on its TC-RNTI). */
void enb_l3_ccch_rx(struct enb *e, struct enb_ue *u, const uint8_t *sdu, uint32_t len);
/* An SDU out of SRB `srb` of `u`. */
void enb_l3_srb_rx(struct enb *e, struct enb_ue *u, uint8_t srb, const uint8_t *sdu, uint32_t len);
/* Timers and deferred releases, once per subframe; system information for idle UEs. */
void enb_l3_subframe(struct enb *e, uint32_t sf);

static inline uint32_t enb_prbs(uint32_t bytes, uint16_t bpp)
{
	return bpp ? (bytes + bpp - 1u) / bpp : bytes;
}

static inline void enb_log(struct enb *e, enum l2_log_level level, const char *event, int32_t a,
			   int32_t b)
{
	l2_log(&e->env, level, event, a, b);
}
