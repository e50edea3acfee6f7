/* SPDX-License-Identifier: BSD-2-Clause */
/* Zero-copy packet buffers from fixed pools, with headroom so layers prepend and strip headers in place. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2/env.h"

/*
 * A buffer owns `cap` bytes of storage; the payload is storage[off, off + len).
 * Headers are prepended by moving `off` down (l2_buf_push) and stripped by moving it up
 * (l2_buf_pull), so no layer copies the payload to add or remove its header.
 */
struct l2_buf {
	uint8_t *store;	      /* storage, owned by the pool */
	uint16_t cap;	      /* storage size */
	uint16_t off;	      /* payload start */
	uint16_t len;	      /* payload length */
	uint16_t flags;	      /* owner-defined */
	uint32_t tag;	      /* owner-defined (an SN, a COUNT, a handle) */
	struct l2_pool *pool; /* where l2_buf_free returns it */
	struct l2_buf *next;  /* queue or free-list link: one list at a time */
};

/* A fixed pool: the caller supplies every descriptor and every byte of storage. */
struct l2_pool {
	struct l2_buf *free; /* free list */
	uint16_t headroom;   /* payload offset of a fresh buffer */
	uint16_t buf_size;   /* storage per buffer */
	uint32_t total;	     /* buffers in the pool */
	uint32_t avail;	     /* buffers on the free list */
	uint32_t alloc_fail; /* allocations refused because the pool was empty */
	/*
	 * Optional external storage (l2_pool_init_ext): the descriptors are the pool's, the
	 * bytes come from `store_alloc` at allocation and go back through `store_free`, so a
	 * firmware task can hand a buffer's storage to another task (a shared pool block)
	 * without copying. NULL for a pool with its own storage.
	 */
	void *(*store_alloc)(void *ctx);
	void (*store_free)(void *ctx, void *store);
	void *store_ctx;
};

/* A FIFO of buffers linked through l2_buf.next. */
struct l2_queue {
	struct l2_buf *head, *tail;
	uint32_t count; /* buffers queued */
	uint32_t bytes; /* payload bytes queued */
};

/*
 * Carve `n` buffers of `buf_size` bytes each out of `storage` (n * buf_size bytes).
 * Returns 0, or L2_EINVAL when the sizes do not fit.
 */
int l2_pool_init(struct l2_pool *pool, struct l2_buf *descs, uint32_t n, uint8_t *storage,
		 uint16_t buf_size, uint16_t headroom);

/*
 * A pool of `n` descriptors whose storage (`buf_size` bytes each) comes from outside:
 * `store_alloc` returns storage or NULL, `store_free` takes it back. L2_EINVAL on bad sizes.
 */
int l2_pool_init_ext(struct l2_pool *pool, struct l2_buf *descs, uint32_t n, uint16_t buf_size,
		     uint16_t headroom, void *(*store_alloc)(void *ctx),
		     void (*store_free)(void *ctx, void *store), void *ctx);

/*
 * Adopt storage handed over by another owner (an external-storage pool only): a buffer
 * whose payload is store[off, off + len). NULL when no descriptor is free or the range
 * does not fit `buf_size`; the storage is then still the caller's.
 */
struct l2_buf *l2_buf_adopt(struct l2_pool *pool, void *store, uint16_t off, uint16_t len);

/* Give up `b`'s descriptor but not its storage (an external-storage pool only): returns the
 * storage, whose new owner frees it. */
void *l2_buf_detach(struct l2_buf *b);

/* A buffer with an empty payload at the pool's headroom, or NULL when the pool is empty. */
struct l2_buf *l2_buf_alloc(struct l2_pool *pool);

/* Return `b` (may be NULL) to its pool. */
void l2_buf_free(struct l2_buf *b);

/* Copy `len` bytes into a fresh buffer from `pool`; NULL when empty or too long. */
struct l2_buf *l2_buf_from(struct l2_pool *pool, const void *data, size_t len);

static inline uint8_t *l2_buf_data(const struct l2_buf *b)
{
	return b->store + b->off;
}

static inline uint16_t l2_buf_headroom(const struct l2_buf *b)
{
	return b->off;
}

static inline uint16_t l2_buf_tailroom(const struct l2_buf *b)
{
	return (uint16_t)(b->cap - b->off - b->len);
}

/* Prepend `n` bytes; returns the new payload start, NULL when the headroom is too small. */
uint8_t *l2_buf_push(struct l2_buf *b, uint16_t n);

/* Strip `n` bytes from the front; returns the stripped bytes, NULL when shorter than `n`. */
uint8_t *l2_buf_pull(struct l2_buf *b, uint16_t n);

/* Append `n` bytes; returns where they go, NULL when the tailroom is too small. */
uint8_t *l2_buf_put(struct l2_buf *b, uint16_t n);

/* Drop `n` bytes from the tail; L2_EMSGSIZE when shorter than `n`. */
int l2_buf_trim(struct l2_buf *b, uint16_t n);

/* Append a copy of `len` bytes; L2_EMSGSIZE when the tailroom is too small. */
int l2_buf_append(struct l2_buf *b, const void *data, size_t len);

/* Copy `n` bytes between non-overlapping regions, a word at a time (the data-path copy). */
void l2_copy(void *dst, const void *src, size_t n);
/* dst[i] ^= src[i] for `n` bytes. */
void l2_xor(uint8_t *dst, const uint8_t *src, size_t n);

void l2_queue_init(struct l2_queue *q);
void l2_queue_push(struct l2_queue *q, struct l2_buf *b);
void l2_queue_push_front(struct l2_queue *q, struct l2_buf *b);
struct l2_buf *l2_queue_pop(struct l2_queue *q);
/* Free every queued buffer. */
void l2_queue_purge(struct l2_queue *q);

static inline struct l2_buf *l2_queue_peek(const struct l2_queue *q)
{
	return q->head;
}

static inline bool l2_queue_empty(const struct l2_queue *q)
{
	return q->head == NULL;
}
