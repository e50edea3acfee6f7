/* SPDX-License-Identifier: BSD-2-Clause */
/* DRX-Config of MAC-MainConfig (TS 36.331 §6.3.2) from ASN.1 indexes to MAC's values. */
#include <string.h>

#include "l2/mac_drx.h"
#include "l3/rrc_sm.h"

/* The enumerations in ASN.1 order: onDurationTimer, drx-InactivityTimer (22 values, then
 * psf0-v1020 and spares: not taken), drx-RetransmissionTimer, longDRX-CycleStartOffset's
 * choice, shortDRX-Cycle. */
static const uint16_t on_duration[16] = {1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 40, 50, 60, 80, 100, 200};
static const uint16_t inactivity[22] = {1,  2,	3,  4,	 5,   6,   8,	10,  20,   30,	 40,
					50, 60, 80, 100, 200, 300, 500, 750, 1280, 1920, 2560};
static const uint8_t retx[8] = {1, 2, 4, 6, 8, 16, 24, 33};
static const uint16_t long_cycle[16] = {10,  20,  32,  40,  64,	  80,	128,  160,
					256, 320, 512, 640, 1024, 1280, 2048, 2560};
static const uint16_t short_cycle[16] = {2,  5,	 8,   10,  16,	20,  32,  40,
					 64, 80, 128, 160, 256, 320, 512, 640};

int rrc_drx_config(const struct rrc_mac_config *m, struct mac_drx_config *out)
{
	struct mac_drx_config c;

	memset(&c, 0, sizeof(c));
	if (!m->has_drx || !m->drx_setup) {
		*out = c;
		return 0;
	}
	if (m->on_duration_timer >= 16 || m->drx_inactivity_timer >= 22 || m->drx_retx_timer >= 8 ||
	    m->long_cycle >= 16 || (m->has_short_drx && m->short_cycle >= 16))
		return L2_EINVAL;
	c.on_duration = on_duration[m->on_duration_timer];
	c.inactivity = inactivity[m->drx_inactivity_timer];
	c.retx = retx[m->drx_retx_timer];
	c.long_cycle = long_cycle[m->long_cycle];
	c.start_offset = m->drx_offset;
	if (m->has_short_drx) {
		c.short_cycle = short_cycle[m->short_cycle];
		c.short_cycle_timer = m->short_cycle_timer;
	}
	/* The ranges between fields (offset, long a multiple of short) are MAC's to check. */
	*out = c;
	return 0;
}
