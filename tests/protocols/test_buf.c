/* SPDX-License-Identifier: BSD-2-Clause */
/* Tests of the fixed-pool buffers: headroom, push/pull, exhaustion, queues. */
#include "test.h"

#include <string.h>

#include "l2/buf.h"

#define NBUF 4
#define BSZ  64
#define HEAD 16

static struct l2_pool pool;
static struct l2_buf descs[NBUF];
static uint8_t storage[NBUF * BSZ];

static void setup(void)
{
	CU_ASSERT_EQUAL_FATAL(l2_pool_init(&pool, descs, NBUF, storage, BSZ, HEAD), 0);
}

static void buf_pool_exhaustion_counted(void)
{
	struct l2_buf *b[NBUF];
	int i;

	setup();
	for (i = 0; i < NBUF; i++) {
		b[i] = l2_buf_alloc(&pool);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b[i]);
		CU_ASSERT_EQUAL(l2_buf_headroom(b[i]), HEAD);
		CU_ASSERT_EQUAL(b[i]->len, 0);
	}
	CU_ASSERT_PTR_NULL(l2_buf_alloc(&pool));
	CU_ASSERT_EQUAL(pool.alloc_fail, 1);
	CU_ASSERT_EQUAL(pool.avail, 0);
	for (i = 0; i < NBUF; i++)
		l2_buf_free(b[i]);
	CU_ASSERT_EQUAL(pool.avail, NBUF);
	CU_ASSERT_EQUAL(l2_pool_init(&pool, descs, NBUF, storage, BSZ, BSZ), L2_EINVAL);
}

static void buf_push_pull_in_place(void)
{
	struct l2_buf *b;
	uint8_t *payload, *hdr;

	setup();
	b = l2_buf_from(&pool, "payload", 7);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	payload = l2_buf_data(b);
	hdr = l2_buf_push(b, 2);
	CU_ASSERT_PTR_EQUAL(hdr, payload - 2);
	hdr[0] = 0xAB;
	hdr[1] = 0xCD;
	CU_ASSERT_EQUAL(b->len, 9);
	CU_ASSERT_PTR_NULL(l2_buf_push(b, HEAD)); /* only 14 bytes of headroom left */
	CU_ASSERT_EQUAL(b->len, 9);
	CU_ASSERT_PTR_EQUAL(l2_buf_pull(b, 2), hdr);
	CU_ASSERT_EQUAL(memcmp(l2_buf_data(b), "payload", 7), 0);
	CU_ASSERT_PTR_NULL(l2_buf_pull(b, 8));
	CU_ASSERT_EQUAL(l2_buf_trim(b, 3), 0);
	CU_ASSERT_EQUAL(b->len, 4);
	CU_ASSERT_EQUAL(l2_buf_trim(b, 5), L2_EMSGSIZE);
	CU_ASSERT_EQUAL(l2_buf_tailroom(b), BSZ - HEAD - 4);
	CU_ASSERT_PTR_NULL(l2_buf_put(b, BSZ));
	CU_ASSERT_EQUAL(l2_buf_append(b, storage, BSZ), L2_EMSGSIZE);
	CU_ASSERT_PTR_NULL(l2_buf_from(&pool, storage, BSZ));
	l2_buf_free(b);
	CU_ASSERT_EQUAL(pool.avail, NBUF);
}

static void buf_queue_fifo(void)
{
	struct l2_queue q;
	struct l2_buf *a, *b, *c;

	setup();
	l2_queue_init(&q);
	a = l2_buf_from(&pool, "a", 1);
	b = l2_buf_from(&pool, "bb", 2);
	c = l2_buf_from(&pool, "ccc", 3);
	l2_queue_push(&q, b);
	l2_queue_push(&q, c);
	l2_queue_push_front(&q, a);
	CU_ASSERT_EQUAL(q.count, 3);
	CU_ASSERT_EQUAL(q.bytes, 6);
	CU_ASSERT_PTR_EQUAL(l2_queue_pop(&q), a);
	CU_ASSERT_PTR_EQUAL(l2_queue_pop(&q), b);
	CU_ASSERT_EQUAL(q.bytes, 3);
	l2_buf_free(a);
	l2_buf_free(b);
	l2_queue_purge(&q);
	CU_ASSERT_TRUE(l2_queue_empty(&q));
	CU_ASSERT_EQUAL(pool.avail, NBUF);
}

static void timer_wraps_and_fires_once(void)
{
	struct l2_timer t = {0};

	l2_timer_start(&t, 0xfffffff0u, 0x20);
	CU_ASSERT_FALSE(l2_timer_expired(&t, 0xffffffffu));
	CU_ASSERT_FALSE(l2_timer_expired(&t, 0x0000000fu));
	CU_ASSERT_TRUE(l2_timer_expired(&t, 0x00000010u));
	CU_ASSERT_FALSE(l2_timer_expired(&t, 0x00000011u));
}

/* External storage: a stand-in for a shared pool of blocks owned one at a time. */
#define NBLK 3
static uint8_t blocks[NBLK][BSZ];
static bool blk_used[NBLK];
static int blk_frees;

static void *blk_alloc(void *ctx)
{
	(void)ctx;
	for (int i = 0; i < NBLK; i++)
		if (!blk_used[i]) {
			blk_used[i] = true;
			return blocks[i];
		}
	return NULL;
}

static void blk_free(void *ctx, void *store)
{
	(void)ctx;
	for (int i = 0; i < NBLK; i++)
		if (store == blocks[i]) {
			CU_ASSERT_TRUE(blk_used[i]);
			blk_used[i] = false;
			blk_frees++;
		}
}

static void buf_external_storage_changes_owner(void)
{
	struct l2_pool ext, other;
	struct l2_buf d1[2], d2[2], *a, *b, *c;
	void *store;

	memset(blk_used, 0, sizeof(blk_used));
	blk_frees = 0;
	CU_ASSERT_EQUAL_FATAL(l2_pool_init_ext(&ext, d1, 2, BSZ, HEAD, blk_alloc, blk_free, NULL),
			      0);
	CU_ASSERT_EQUAL_FATAL(l2_pool_init_ext(&other, d2, 2, BSZ, HEAD, blk_alloc, blk_free, NULL),
			      0);
	CU_ASSERT_EQUAL(l2_pool_init_ext(&ext, d1, 2, BSZ, BSZ, blk_alloc, blk_free, NULL),
			L2_EINVAL);
	CU_ASSERT_EQUAL(l2_pool_init_ext(&ext, d1, 2, BSZ, HEAD, NULL, blk_free, NULL), L2_EINVAL);
	CU_ASSERT_EQUAL_FATAL(l2_pool_init_ext(&ext, d1, 2, BSZ, HEAD, blk_alloc, blk_free, NULL),
			      0);
	/* Storage comes from outside; a descriptor without storage is not handed out. */
	a = l2_buf_from(&ext, "abc", 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_EQUAL(a->store, blocks[0]);
	CU_ASSERT_EQUAL(l2_buf_headroom(a), HEAD);
	b = l2_buf_alloc(&ext);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_PTR_NULL(l2_buf_alloc(&ext)); /* no descriptor */
	CU_ASSERT_EQUAL(ext.alloc_fail, 1);
	c = l2_buf_alloc(&other); /* the last block */
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	l2_buf_free(b);
	CU_ASSERT_EQUAL(blk_frees, 1);
	/* Hand a's storage to the other pool without a copy: the bytes stay where they are. */
	store = l2_buf_detach(a);
	CU_ASSERT_PTR_EQUAL(store, blocks[0]);
	CU_ASSERT_EQUAL(ext.avail, 2);
	CU_ASSERT_EQUAL(blk_frees, 1); /* detaching frees no storage */
	b = l2_buf_alloc(&other);      /* other's last descriptor (and block 1) */
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_PTR_NULL(l2_buf_adopt(&other, store, HEAD, 3)); /* no descriptor: still ours */
	CU_ASSERT_TRUE(blk_used[0]);
	l2_buf_free(b);
	l2_buf_free(c);
	b = l2_buf_adopt(&other, store, HEAD, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(memcmp(l2_buf_data(b), "abc", 3), 0);
	CU_ASSERT_PTR_NULL(l2_buf_adopt(&other, store, BSZ - 2, 3)); /* does not fit */
	CU_ASSERT_PTR_NULL(l2_buf_adopt(&pool, store, HEAD, 3));     /* own-storage pool */
	l2_buf_free(b);
	CU_ASSERT_FALSE(blk_used[0] || blk_used[1] || blk_used[2]);
}

TEST_SUITE(l2_buf, TEST_CASE(buf_pool_exhaustion_counted), TEST_CASE(buf_push_pull_in_place),
	   TEST_CASE(buf_queue_fifo), TEST_CASE(timer_wraps_and_fires_once),
	   TEST_CASE(buf_external_storage_changes_owner))
