/* SPDX-License-Identifier: BSD-2-Clause */
/* RRC IE codecs shared by the message codecs (TS 36.331 §6.3). */
#pragma once

#include "rrc_codec.h"

void rrc_c_plmn(struct per_c *c, struct rrc_plmn *p);
void rrc_c_rlc_config(struct per_c *c, struct rrc_rlc_config *x);
void rrc_c_lch_config(struct per_c *c, struct rrc_lch_config *x);
void rrc_c_radio_config(struct per_c *c, struct rrc_radio_config *x);
void rrc_c_sib1(struct per_c *c, struct rrc_sib1 *s);
void rrc_c_sib2(struct per_c *c, struct rrc_sib2 *s);
void rrc_c_ue_cap(struct per_c *c, struct rrc_ue_eutra_cap *u);
