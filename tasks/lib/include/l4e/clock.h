/* SPDX-License-Identifier: BSD-2-Clause */
/* Radio time: the current subframe, written by the radio driver into a pool every task may read. */
#pragma once

#include <l4e/pool.h>
#include <stdint.h>

/*
 * The radio task writes the current subframe into the first data block of the `clock`
 * pool (tasks/system.toml; read-only for everyone else but the timer task, which writes
 * `due`) at every subframe: one load gives any task radio time, like the clock of an L4
 * kernel-info page, at user level.
 * Milliseconds = subframes. Systems without a radio (the tests' own) have no such pool.
 */
struct l4e_clock {
	volatile uint32_t subframe;
	/*
	 * Written by the timer task: the first subframe at which a timeout is due (~0: none).
	 * The radio tells the timer (l4e::clock advance) only from then on, so a subframe
	 * without an expiry costs no message.
	 */
	volatile uint32_t due;
	/*
	 * Written by the radio: the CRC24A results of the last DL TBs (newest in bit 0, 1:
	 * passed) and how many of those bits count (up to 32), the signal level AT+CSQ
	 * reports (the host interface reads it).
	 */
	volatile uint32_t dl_crc_hist, dl_crc_n;
};

static inline struct l4e_clock *l4e_clock_at(void *clock_pool)
{
	return (struct l4e_clock *)(void *)((char *)clock_pool + L4E_POOL_BLOCK);
}
