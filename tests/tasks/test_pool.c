/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the shared buffer pool (tasks/lib/src/pool.c). */
#include "test.h"

#include <l4/abi.h>
#include <l4e/pool.h>
#include <stdlib.h>

#define SIZE (16 * L4E_POOL_BLOCK)

static uint32_t mem[SIZE / 4];

static void pool_alloc_until_full_then_free(void)
{
	struct l4e_buffer b[16], extra;
	unsigned i;

	CU_ASSERT_EQUAL(l4e_pool_init(mem, SIZE), 0);
	for (i = 0; i < 15; i++) {
		CU_ASSERT_EQUAL(l4e_pool_alloc(mem, 3, 100 + i, &b[i]), 0);
		CU_ASSERT_EQUAL(b[i].pool, 3);
		CU_ASSERT_EQUAL(b[i].offset, (i + 1) * L4E_POOL_BLOCK); /* block 0 is the header */
		CU_ASSERT(l4e_pool_valid(mem, &b[i]));
	}
	CU_ASSERT_EQUAL(l4e_pool_used(mem), 15);
	CU_ASSERT_EQUAL(l4e_pool_alloc(mem, 3, 1, &extra), -L4_ENOMEM);
	CU_ASSERT_EQUAL(l4e_pool_free(mem, &b[7]), 0);
	CU_ASSERT(!l4e_pool_valid(mem, &b[7]));
	CU_ASSERT_EQUAL(l4e_pool_alloc(mem, 3, 1, &extra), 0);
	CU_ASSERT_EQUAL(extra.offset, b[7].offset); /* the freed block again */
}

static void pool_rejects_bad_handles(void)
{
	struct l4e_buffer b, bad;

	CU_ASSERT_EQUAL(l4e_pool_init(mem, SIZE), 0);
	CU_ASSERT_EQUAL(l4e_pool_alloc(mem, 0, L4E_POOL_BLOCK + 1, &b), -L4_EINVAL);
	CU_ASSERT_EQUAL(l4e_pool_alloc(mem, 0, 64, &b), 0);
	CU_ASSERT_EQUAL(l4e_pool_free(mem, &b), 0);
	CU_ASSERT_EQUAL(l4e_pool_free(mem, &b), -L4_EINVAL); /* double free */
	bad = (struct l4e_buffer){0, 0, 16};		     /* the header */
	CU_ASSERT_EQUAL(l4e_pool_free(mem, &bad), -L4_EINVAL);
	bad = (struct l4e_buffer){0, 2 * L4E_POOL_BLOCK - 8, 16}; /* crosses a block */
	CU_ASSERT(!l4e_pool_valid(mem, &bad));
	bad = (struct l4e_buffer){0, 100 * L4E_POOL_BLOCK, 16}; /* beyond the pool */
	CU_ASSERT(!l4e_pool_valid(mem, &bad));
	CU_ASSERT_EQUAL(l4e_pool_init(mem, L4E_POOL_BLOCK), -L4_EINVAL); /* no data block */
}

static void pool_unformatted_refuses(void)
{
	struct l4e_buffer b;

	mem[0] = 0;
	CU_ASSERT_EQUAL(l4e_pool_alloc(mem, 0, 8, &b), -L4_EINVAL);
}

TEST_SUITE(tasks_pool, TEST_CASE(pool_alloc_until_full_then_free),
	   TEST_CASE(pool_rejects_bad_handles), TEST_CASE(pool_unformatted_refuses))
