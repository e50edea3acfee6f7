/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared buffer pools: fixed blocks handed out lock-free across tasks, passed as handles. */
#pragma once

#include <l4e/stub.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * A pool is a region mapped at the same address in every task that has a
 * right to it (tasks/system.toml). Its first block holds the header: a
 * magic, the block count and an allocation bitmap that producers and
 * consumers in different tasks update with load-exclusive/store-exclusive,
 * so no lock and no server is needed. Data blocks follow. A handle
 * (struct l4e_buffer) names a byte range inside one block; it travels in
 * IPC, the bytes never do.
 */
#define L4E_POOL_BLOCK	    2048u
#define L4E_POOL_MAGIC	    0x504f4f4cu /* "POOL" */
#define L4E_POOL_MAX_BLOCKS 4096u

struct l4e_pool_hdr {
	uint32_t magic;
	uint32_t nblocks; /* data blocks, after the header block */
	uint32_t bitmap[L4E_POOL_MAX_BLOCKS / 32];
};
_Static_assert(sizeof(struct l4e_pool_hdr) <= L4E_POOL_BLOCK, "header fits its block");

/* Formats `size` bytes at `base` (the supervisor, once, before any task runs). */
int l4e_pool_init(void *base, uint32_t size);
/*
 * Takes a free block of pool `id` mapped at `base` for `len` bytes (at most
 * L4E_POOL_BLOCK); fills *b. Returns 0, -L4_EINVAL or -L4_ENOMEM.
 */
int l4e_pool_alloc(void *base, uint32_t id, uint32_t len, struct l4e_buffer *b);
/* Returns the block of a valid handle; -L4_EINVAL if it names no allocated block. */
int l4e_pool_free(void *base, const struct l4e_buffer *b);
/* True when `b` lies inside one allocated block of the pool at `base`. */
bool l4e_pool_valid(const void *base, const struct l4e_buffer *b);
/* The bytes of a valid handle. */
static inline void *l4e_pool_ptr(void *base, const struct l4e_buffer *b)
{
	return (char *)base + b->offset;
}
/* Blocks in use (for diagnostics and tests). */
uint32_t l4e_pool_used(const void *base);
