/* SPDX-License-Identifier: BSD-2-Clause */
/* The eNB's HARQ process tables (TS 36.321 §5.3.2, §5.4.2 from the network side). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define HARQ_PROCS 8
#define HARQ_RTT   8 /* subframes from a transmission to the retransmission of its process */
#define HARQ_PHICH 4 /* subframes from an UL TB to its PHICH */

/*
 * Downlink (asynchronous HARQ): the eNB picks a free process; a TB sent in subframe N is
 * ACKed or NACKed in the UE's UL message N (missing feedback is DTX, taken as NACK); a
 * NACKed TB is sent again, the same bytes on the same process with the same NDI, no earlier
 * than N + HARQ_RTT, until max_tx transmissions; then it is dropped and counted.
 */
enum harq_dl_state {
	HARQ_DL_FREE,
	HARQ_DL_WAIT, /* sent, feedback due in the UL message of sent_sf */
	HARQ_DL_RETX, /* NACKed: to be sent again */
};

struct harq_dl_proc {
	uint8_t state;
	bool ndi;
	uint8_t tx; /* transmissions so far */
	uint16_t tbs;
	uint16_t rnti;
	uint32_t sent_sf;
	uint8_t *tb; /* the TB as first sent (storage of the owner) */
};

struct harq_dl_stats {
	uint32_t new_tx, retx, acks, nacks, dtx, drops, unexpected;
};

struct harq_dl {
	uint8_t max_tx;
	struct harq_dl_proc p[HARQ_PROCS];
	struct harq_dl_stats stats;
};

/* `store` gives each process room for its TB (HARQ_PROCS buffers of the largest TB). */
void harq_dl_init(struct harq_dl *h, uint8_t max_tx, uint8_t *store, uint32_t tb_cap);
/* Forget every process (MAC reset, §5.9): the next TB of each is new data. */
void harq_dl_reset(struct harq_dl *h);
/* A process whose retransmission is due at `sf` (the one NACKed longest ago), or -1. */
int harq_dl_retx_due(const struct harq_dl *h, uint32_t sf);
/* A process free for new data at `sf` (free and its last transmission HARQ_RTT ago), or -1. */
int harq_dl_free(const struct harq_dl *h, uint32_t sf);
/* Start new data on `pid`: NDI toggled, returns where the TB goes. */
uint8_t *harq_dl_new(struct harq_dl *h, int pid, uint32_t sf, uint16_t rnti, uint16_t tbs);
/* Send `pid` again at `sf`. */
void harq_dl_retx(struct harq_dl *h, int pid, uint32_t sf);
/* Redundancy version of the current transmission (0, 2, 3, 1, TS 36.321 §5.3.2.1). */
uint8_t harq_dl_rv(const struct harq_dl_proc *p);
/* HARQ feedback for `pid` in the UL message of `sf`: 0, or L2_ESTALE when none was due
 * (counted). */
int harq_dl_feedback(struct harq_dl *h, int pid, uint32_t sf, bool ack);
/* End of the UL message of `sf`: a TB sent at `sf` without feedback is DTX. */
void harq_dl_end(struct harq_dl *h, uint32_t sf);
/* Processes in use (sent and neither ACKed nor dropped). */
unsigned harq_dl_busy(const struct harq_dl *h);

/*
 * Uplink (synchronous HARQ, process sf % 8): a grant in DL subframe N is answered by the UL
 * TB in UL message N. An ACK goes on the PHICH in DL subframe N + HARQ_PHICH. A NACKed TB
 * is granted again (adaptive retransmission: same process, NDI and size) at N + HARQ_RTT,
 * its PHICH NACK in the same message: docs/radio-link.md §6.6 makes a NACK without a grant
 * for the process a non-adaptive retransmission request, so one never goes alone (except
 * at max_tx, where the UE flushes the TB instead). At max_tx the TB is dropped and counted.
 */
struct harq_ul_proc {
	bool expect;   /* granted for the current subframe, UL TB awaited */
	bool received; /* ... and it came (CRC result in ack) */
	bool ack;
	bool phich_due; /* PHICH with `ack` goes in DL subframe rx_sf + HARQ_PHICH (ACK, drop) */
	bool retx_due;	/* a retransmission is to be granted */
	bool ndi;
	bool msg3; /* the process carries Msg3 of a random access */
	uint8_t tx;
	uint16_t tbs;
	uint16_t rnti;
	uint32_t rx_sf;
	uint32_t first_sf; /* subframe of the first transmission of the TB on it */
};

struct harq_ul_stats {
	uint32_t new_tx, retx, acks, nacks, dtx, drops, unexpected;
};

struct harq_ul {
	uint8_t max_tx;
	struct harq_ul_proc p[HARQ_PROCS];
	struct harq_ul_stats stats;
};

void harq_ul_init(struct harq_ul *h, uint8_t max_tx);
void harq_ul_reset(struct harq_ul *h);
static inline int harq_ul_pid(uint32_t sf)
{
	return (int)(sf % HARQ_PROCS);
}
/* Whether the process of `sf` has a retransmission to grant. */
bool harq_ul_retx_due(const struct harq_ul *h, uint32_t sf);
/* Grant the process of `sf`: a retransmission when one is due (tbs and rnti as before;
 * returns true: its PHICH NACK goes in the same message), else new data of `tbs` bytes for
 * `rnti` (NDI toggled, returns false). Fills the grant's fields. */
bool harq_ul_grant(struct harq_ul *h, uint32_t sf, uint16_t rnti, uint16_t tbs, bool msg3,
		   uint16_t *out_tbs, uint8_t *pid, bool *ndi);
/* An UL TB in the UL message of `sf`: 0 (ack tells the CRC result), or L2_ESTALE when no
 * TB was granted on that process, rnti or size (counted, not decoded). */
int harq_ul_rx(struct harq_ul *h, uint32_t sf, uint16_t rnti, uint8_t pid, uint16_t tbs,
	       bool crc_ok);
/* End of the UL message of `sf`: DTX for a granted TB that did not come; PHICH and
 * retransmission (or drop) decided. True when the TB was dropped at the limit now. */
bool harq_ul_end(struct harq_ul *h, uint32_t sf);
/* The PHICH due in DL subframe `sf`, if any (an ACK, or the NACK of a dropped TB); a
 * retransmission's NACK goes with its grant (harq_ul_grant tells). */
bool harq_ul_phich(struct harq_ul *h, uint32_t sf, uint8_t *pid, bool *ack);
