/* SPDX-License-Identifier: BSD-2-Clause */
/* Keep pools: a task's state that survives its restarts, validated before it is used again. */
#pragma once

#include <l2/buf.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * A [[pool]] with `keep = true` in tasks/system.toml is RAM mapped into exactly one
 * task, zeroed once at boot and never again: the supervisor maps the same pages into
 * every new instance of the task. The task keeps there what it cannot lose in a
 * restart (PDCP COUNTs and keys, RLC state, the radio's lockstep counters), behind
 * this header:
 *
 * - `magic`, `version` and `size` say the memory holds this task's layout;
 * - `busy` is set while the task changes its state (l4e_keep_open) and cleared when
 *   the change is complete (l4e_keep_seal): an instance that died inside a change
 *   leaves it set, and the next one does not trust what it finds;
 * - `sum` is a checksum the task computes over what it chose to protect (its
 *   configuration, keys and sequence state), written at every seal and compared at
 *   takeover: a stray write of the dying instance shows.
 *
 * A new instance calls l4e_keep_valid: true, and it takes the state over (`takeovers`
 * counts it); false, and it starts afresh with l4e_keep_reset (which counts a state it
 * replaces in `discarded`). docs/reliability.md says what each stack task keeps.
 */
#define L4E_KEEP_MAGIC 0x5045454bu /* "KEEP" in memory order */

struct l4e_keep_hdr {
	uint32_t magic;
	uint32_t version;   /* the task's layout version */
	uint32_t size;	    /* bytes of the task's kept structure, header included */
	uint32_t sum;	    /* the task's checksum (l4e_keep_sum) at the last seal */
	uint32_t busy;	    /* nonzero inside a change */
	uint32_t takeovers; /* instances that took the state over */
	uint32_t discarded; /* instances that found it invalid and started afresh */
	uint32_t reserved;
};

/* Fletcher-style checksum of `n` bytes (a multiple of 4, word-aligned), continuing `sum`. */
uint32_t l4e_keep_sum(uint32_t sum, const void *p, uint32_t n);

/* True when `h` holds a complete, sealed state of `version` and `size` whose checksum is `sum`. */
bool l4e_keep_valid(const struct l4e_keep_hdr *h, uint32_t version, uint32_t size, uint32_t sum);

/* Fresh state: zeroes the `size` bytes at `h` but the counters, then writes the header
 * (unsealed: the caller seals it with the checksum of the zeroed state). A previous state
 * found there (the magic set) is counted in `discarded`. */
void l4e_keep_reset(struct l4e_keep_hdr *h, uint32_t version, uint32_t size);

/* A change begins: a restart from here until the seal discards the state. */
static inline void l4e_keep_open(struct l4e_keep_hdr *h)
{
	h->busy = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* The change is complete: the new checksum, then the state is trusted again. */
static inline void l4e_keep_seal(struct l4e_keep_hdr *h, uint32_t sum)
{
	h->sum = sum;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	h->busy = 0;
}

#define L4E_KEEP_MAX_DESCS 1024 /* descriptors l4e_keep_free_blocks walks at most */

/*
 * The pool blocks a dead instance's layer-2 buffers held (its `n` descriptors were kept):
 * every descriptor not on the free list of `pool` whose storage is a block of the shared
 * pool at `base` is returned to it. Returns the blocks freed. Call before re-initialising
 * the descriptors.
 */
uint32_t l4e_keep_free_blocks(const struct l2_pool *pool, struct l2_buf *descs, uint32_t n,
			      void *base, uint32_t id);
/*
 * True when kept descriptors can be trusted: the free list stays inside `descs`, and every
 * descriptor in use holds storage inside an allocated block of the pool at `base`.
 */
bool l4e_keep_descs_ok(const struct l2_pool *pool, const struct l2_buf *descs, uint32_t n,
		       void *base, uint32_t id);
