/* SPDX-License-Identifier: BSD-2-Clause */
/* The host interface's link state, written by it into the `hostlink` pool and read by the radio. */
#pragma once

#include <l4e/pool.h>
#include <stdint.h>

/*
 * Before each answer the radio must know how many host-link messages the host interface
 * has sent (DONE and IDLE carry the count, docs/radio-link.md) and have it send the DL
 * message it is gathering. Both are in the first data block of the `hostlink` pool
 * (tasks/system.toml: written by the host interface only), so the radio reads the count
 * and sends hostif::ind flush only when a message is open: most subframes then cost the
 * two tasks no message at all.
 */
struct l4e_hostlink {
	volatile uint32_t sent;	   /* host-link messages sent since boot */
	volatile uint32_t dl_open; /* nonzero: a DL message is being gathered */
};

static inline struct l4e_hostlink *l4e_hostlink_at(void *pool)
{
	return (struct l4e_hostlink *)(void *)((char *)pool + L4E_POOL_BLOCK);
}
