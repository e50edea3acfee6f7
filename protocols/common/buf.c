/* SPDX-License-Identifier: BSD-2-Clause */
/* Fixed-pool packet buffers with headroom, and FIFO queues of them. */
#include <string.h>

#include "l2/buf.h"

/* The free list of `n` descriptors; each gets its slice of `storage`, or none (NULL). */
static void pool_setup(struct l2_pool *pool, struct l2_buf *descs, uint32_t n, uint8_t *storage,
		       uint16_t buf_size, uint16_t headroom)
{
	uint32_t i;

	memset(pool, 0, sizeof(*pool));
	pool->headroom = headroom;
	pool->buf_size = buf_size;
	pool->total = n;
	for (i = n; i-- > 0;) {
		struct l2_buf *b = &descs[i];

		memset(b, 0, sizeof(*b));
		b->store = storage ? storage + (size_t)i * buf_size : NULL;
		b->cap = buf_size;
		b->pool = pool;
		b->next = pool->free;
		pool->free = b;
	}
	pool->avail = n;
}

int l2_pool_init(struct l2_pool *pool, struct l2_buf *descs, uint32_t n, uint8_t *storage,
		 uint16_t buf_size, uint16_t headroom)
{
	if (!pool || !descs || !storage || n == 0 || headroom >= buf_size)
		return L2_EINVAL;
	pool_setup(pool, descs, n, storage, buf_size, headroom);
	return 0;
}

int l2_pool_init_ext(struct l2_pool *pool, struct l2_buf *descs, uint32_t n, uint16_t buf_size,
		     uint16_t headroom, void *(*store_alloc)(void *ctx),
		     void (*store_free)(void *ctx, void *store), void *ctx)
{
	if (!pool || !descs || n == 0 || headroom >= buf_size || !store_alloc || !store_free)
		return L2_EINVAL;
	pool_setup(pool, descs, n, NULL, buf_size, headroom);
	pool->store_alloc = store_alloc;
	pool->store_free = store_free;
	pool->store_ctx = ctx;
	return 0;
}

/* Take a descriptor off the free list (with storage, for an external-storage pool). */
static struct l2_buf *take(struct l2_pool *pool, void *store)
{
	struct l2_buf *b = pool->free;

	if (!b) {
		pool->alloc_fail++;
		return NULL;
	}
	if (pool->store_alloc) {
		if (!store)
			store = pool->store_alloc(pool->store_ctx);
		if (!store) {
			pool->alloc_fail++;
			return NULL;
		}
		b->store = store;
	}
	pool->free = b->next;
	pool->avail--;
	b->next = NULL;
	return b;
}

struct l2_buf *l2_buf_adopt(struct l2_pool *pool, void *store, uint16_t off, uint16_t len)
{
	struct l2_buf *b;

	if (!pool->store_alloc || !store || (uint32_t)off + len > pool->buf_size)
		return NULL;
	b = take(pool, store);
	if (!b)
		return NULL;
	b->off = off;
	b->len = len;
	b->flags = 0;
	b->tag = 0;
	return b;
}

void *l2_buf_detach(struct l2_buf *b)
{
	struct l2_pool *pool = b->pool;
	void *store = b->store;

	b->store = NULL;
	b->next = pool->free;
	pool->free = b;
	pool->avail++;
	return store;
}

struct l2_buf *l2_buf_alloc(struct l2_pool *pool)
{
	struct l2_buf *b = take(pool, NULL);

	if (!b)
		return NULL;
	b->off = pool->headroom;
	b->len = 0;
	b->flags = 0;
	b->tag = 0;
	return b;
}

void l2_buf_free(struct l2_buf *b)
{
	struct l2_pool *pool;

	if (!b)
		return;
	pool = b->pool;
	if (pool->store_free) {
		pool->store_free(pool->store_ctx, b->store);
		b->store = NULL;
	}
	b->next = pool->free;
	pool->free = b;
	pool->avail++;
}

struct l2_buf *l2_buf_from(struct l2_pool *pool, const void *data, size_t len)
{
	struct l2_buf *b = l2_buf_alloc(pool);

	if (b && l2_buf_append(b, data, len) < 0) {
		l2_buf_free(b);
		return NULL;
	}
	return b;
}

uint8_t *l2_buf_push(struct l2_buf *b, uint16_t n)
{
	if (n > b->off)
		return NULL;
	b->off = (uint16_t)(b->off - n);
	b->len = (uint16_t)(b->len + n);
	return l2_buf_data(b);
}

uint8_t *l2_buf_pull(struct l2_buf *b, uint16_t n)
{
	uint8_t *p = l2_buf_data(b);

	if (n > b->len)
		return NULL;
	b->off = (uint16_t)(b->off + n);
	b->len = (uint16_t)(b->len - n);
	return p;
}

uint8_t *l2_buf_put(struct l2_buf *b, uint16_t n)
{
	uint8_t *p = l2_buf_data(b) + b->len;

	if (n > l2_buf_tailroom(b))
		return NULL;
	b->len = (uint16_t)(b->len + n);
	return p;
}

int l2_buf_trim(struct l2_buf *b, uint16_t n)
{
	if (n > b->len)
		return L2_EMSGSIZE;
	b->len = (uint16_t)(b->len - n);
	return 0;
}

int l2_buf_append(struct l2_buf *b, const void *data, size_t len)
{
	uint8_t *p;

	if (len > l2_buf_tailroom(b))
		return L2_EMSGSIZE;
	p = l2_buf_put(b, (uint16_t)len);
	l2_copy(p, data, len);
	return 0;
}

void l2_queue_init(struct l2_queue *q)
{
	q->head = q->tail = NULL;
	q->count = q->bytes = 0;
}

void l2_queue_push(struct l2_queue *q, struct l2_buf *b)
{
	b->next = NULL;
	if (q->tail)
		q->tail->next = b;
	else
		q->head = b;
	q->tail = b;
	q->count++;
	q->bytes += b->len;
}

void l2_queue_push_front(struct l2_queue *q, struct l2_buf *b)
{
	b->next = q->head;
	q->head = b;
	if (!q->tail)
		q->tail = b;
	q->count++;
	q->bytes += b->len;
}

struct l2_buf *l2_queue_pop(struct l2_queue *q)
{
	struct l2_buf *b = q->head;

	if (!b)
		return NULL;
	q->head = b->next;
	if (!q->head)
		q->tail = NULL;
	q->count--;
	q->bytes -= b->len;
	b->next = NULL;
	return b;
}

void l2_queue_purge(struct l2_queue *q)
{
	struct l2_buf *b;

	while ((b = l2_queue_pop(q)))
		l2_buf_free(b);
}
