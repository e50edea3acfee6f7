/* SPDX-License-Identifier: BSD-2-Clause */
/* A radio subframe in one frames-pool block: what the radio hands the MAC, and the MAC's answer. */
#pragma once

#include <l4e/pool.h>
#include <stdint.h>

/*
 * One IPC per subframe each way between the radio and the MAC (docs/modem.md, "One
 * message per subframe"): the radio lists a DL subframe's items in a block of the frames
 * pool (mac::ind subframe, the block becomes the MAC's), the MAC lists its answer the same
 * way (phy::radio answer, the block stays the MAC's). Items keep the radio link's order.
 * A transport block travels as the offset of its own frames block: the DL ones become the
 * MAC's with the list, the UL ones stay the MAC's (the radio copies them out).
 */
enum l4e_sf_type {
	L4E_SF_DL_TB = 1,     /* pid, ndi, crc_ok, rnti, tbs, offset */
	L4E_SF_UL_GRANT = 2,  /* pid, ndi, rnti, tbs */
	L4E_SF_PHICH = 3,     /* pid, ack */
	L4E_SF_UL_TB = 16,    /* pid, rnti, tbs, offset */
	L4E_SF_HARQ_ACK = 17, /* pid, ack */
	L4E_SF_SR = 18,	      /* - */
	L4E_SF_PRACH = 19,    /* preamble (in pid), ra_rnti (in rnti) */
	L4E_SF_WAKE = 20,     /* DRX: the next subframe the MAC must see (in offset), > sf + 1 */
};

struct l4e_sf_item {
	uint8_t type;
	uint8_t pid;  /* HARQ process; PRACH: the preamble */
	uint8_t flag; /* DL_TB, UL_GRANT: NDI; PHICH, HARQ_ACK: ACK */
	uint8_t crc_ok;
	uint16_t rnti; /* PRACH: the RA-RNTI */
	uint16_t tbs;
	uint32_t offset; /* DL_TB, UL_TB: the TB's offset in the frames pool */
};

struct l4e_sf {
	uint32_t subframe;
	uint16_t n; /* items that follow */
	uint16_t reserved;
	struct l4e_sf_item item[];
};

#define L4E_SF_MAX_ITEMS ((L4E_POOL_BLOCK - sizeof(struct l4e_sf)) / sizeof(struct l4e_sf_item))

/* How many items of list `s` (a checked handle of `length` bytes) to read: its `n`, or
 * fewer when they would not fit. */
static inline uint32_t l4e_sf_count(const struct l4e_sf *s, uint32_t length)
{
	uint32_t fit = length < sizeof(*s) ? 0 : (length - sizeof(*s)) / sizeof(s->item[0]);

	return length < sizeof(*s) ? 0 : (s->n < fit ? s->n : fit);
}
