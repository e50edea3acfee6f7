/* SPDX-License-Identifier: BSD-2-Clause */
/* LTE MAC connected-mode DRX (TS 36.321 §5.7, FDD, one serving cell). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "l2/env.h"

#define MAC_DRX_HARQ_PROCS 8	 /* FDD DL HARQ processes (TS 36.213 §7) */
#define MAC_DRX_HARQ_RTT   8	 /* HARQ RTT Timer, FDD: 8 subframes (TS 36.321 §7.7) */
#define MAC_DRX_SFN_PERIOD 10240 /* subframes in 1024 radio frames: SFN*10+subframe wraps here */

/* DRX-Config of MAC-MainConfig (TS 36.331 §6.3.2), as values rather than ASN.1 indexes. All
 * durations are (PDCCH-)subframes; in FDD every subframe is a PDCCH-subframe. */
struct mac_drx_config {
	uint16_t on_duration;	   /* onDurationTimer: psf1..6, 8, 10, 20..60, 80, 100, 200 */
	uint16_t inactivity;	   /* drx-InactivityTimer: psf1..6, 8, 10, ..., 2560 (22 values) */
	uint8_t retx;		   /* drx-RetransmissionTimer: psf1, 2, 4, 6, 8, 16, 24, 33 */
	uint16_t long_cycle;	   /* longDRX-CycleStartOffset choice: sf10 .. sf2560 */
	uint16_t start_offset;	   /* drxStartOffset: 0 .. long_cycle - 1 */
	uint16_t short_cycle;	   /* shortDRX-Cycle: sf2 .. sf640; 0 = no short cycle */
	uint8_t short_cycle_timer; /* drxShortCycleTimer: 1..16, in short cycles */
};

/* What happened in one subframe. PDCCH-driven items (dl, ul_new_tx, drx_cmd) can only happen
 * in Active Time, when the UE monitors the PDCCH. The last three are conditions that hold
 * while they are true and keep the UE in Active Time (§5.7). */
struct mac_drx_events {
	bool dl;	      /* a DL assignment (on PDCCH, or configured) for this subframe */
	bool dl_new_tx;	      /* ... and the PDCCH indicates a new transmission */
	uint8_t dl_harq;      /* ... its HARQ process, 0..7 */
	bool dl_nack;	      /* ... and its data was not successfully decoded */
	bool ul_new_tx;	      /* a PDCCH with an UL grant for a new transmission */
	bool drx_cmd;	      /* a DRX Command MAC control element was received (§6.1.3.3) */
	bool sr_pending;      /* a Scheduling Request was sent on PUCCH and is pending */
	bool ra_active;	      /* random access: mac-ContentionResolutionTimer running, or no PDCCH
			  * for the C-RNTI yet after the RAR of a dedicated preamble */
	bool ul_retx_pending; /* an UL grant for a pending HARQ retransmission can occur */
};

struct mac_drx_stats {
	uint32_t subframes;    /* processed, skipped ones included */
	uint32_t active;       /* of them in Active Time */
	uint32_t on_durations; /* onDurationTimer starts */
	uint32_t drx_commands;
};

struct mac_drx {
	bool configured; /* false: no DRX, the PDCCH is monitored continuously */
	struct mac_drx_config cfg;
	bool started;	   /* a subframe has been fed */
	uint16_t now;	   /* SFN * 10 + subframe of the last subframe fed */
	bool active;	   /* that subframe was Active Time */
	bool level;	   /* an SR/RA/UL-retransmission condition held in it */
	bool short_in_use; /* the Short DRX Cycle is used, else the Long */
	/* Timers count the subframes they still run, the current one included; 0 = stopped. */
	uint16_t on_duration, inactivity, short_cycle;
	uint8_t harq_rtt[MAC_DRX_HARQ_PROCS], retx[MAC_DRX_HARQ_PROCS];
	uint8_t nack; /* bit per HARQ process: its last data not successfully decoded */
	struct mac_drx_stats stats;
};

/* Configure DRX (`cfg`), or release it (NULL: continuous reception). Timers stop, the Long DRX
 * Cycle is used. L2_EINVAL for a value outside TS 36.331's ranges, an offset outside the long
 * cycle or a long cycle that is not a multiple of the short one; `drx` is then unchanged. */
int mac_drx_configure(struct mac_drx *drx, const struct mac_drx_config *cfg);

/* Subframe `sfn` * 10 + `subframe` and what happened in it (NULL: nothing). Subframes skipped
 * since the previous call (the UE slept) pass as subframes where nothing happened; the gap is
 * taken modulo the SFN period. 0; L2_EINVAL for an SFN, subframe or HARQ process out of range,
 * the same subframe again; L2_ESTATE for a PDCCH event outside Active Time. On an error
 * nothing changes. */
int mac_drx_subframe(struct mac_drx *drx, uint16_t sfn, uint8_t subframe,
		     const struct mac_drx_events *ev);

/* Whether the subframe last fed is Active Time (the UE monitors the PDCCH in it). */
bool mac_drx_active(const struct mac_drx *drx);

/* The next subframe after the last one fed in which the UE must monitor the PDCCH, if nothing
 * more happens ("wake me at subframe M"): its SFN and subframe, and the number of subframes
 * from now (>= 1) as the result. L2_ESTATE before the first subframe. */
int mac_drx_next_wake(const struct mac_drx *drx, uint16_t *sfn, uint8_t *subframe);
