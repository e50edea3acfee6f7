/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the DMA pool header (tasks/lib/src/dma.c). */
#include "test.h"

#include <l4/abi.h>
#include <l4e/dma.h>
#include <string.h>

#define SIZE (4 * L4_PAGE_SIZE)

static uint32_t mem[SIZE / 4];

static void dma_header_round_trip(void)
{
	struct l4e_dma d;

	memset(mem, 0, sizeof(mem));
	CU_ASSERT_EQUAL(l4e_dma_init(mem, 0x40123000u, SIZE), 0);
	CU_ASSERT_EQUAL(mem[0], L4E_DMA_MAGIC);
	CU_ASSERT_EQUAL(l4e_dma_get(mem, SIZE, &d), 0);
	CU_ASSERT_PTR_EQUAL(d.va, (uint8_t *)mem + L4E_DMA_HDR_SIZE);
	CU_ASSERT_EQUAL(d.paddr, 0x40123000u + L4E_DMA_HDR_SIZE);
	CU_ASSERT_EQUAL(d.size, SIZE - L4E_DMA_HDR_SIZE);
	CU_ASSERT_EQUAL(l4e_dma_paddr(&d, d.va + 100), 0x40123000u + L4E_DMA_HDR_SIZE + 100);
	CU_ASSERT_EQUAL(d.paddr % 16, 0); /* virtqueue descriptor tables need 16 */
}

static void dma_init_refuses_bad_regions(void)
{
	CU_ASSERT_EQUAL(l4e_dma_init(mem, 0x40123004u, SIZE), -L4_EINVAL);
	CU_ASSERT_EQUAL(l4e_dma_init(mem, 0x40123000u, SIZE + 8), -L4_EINVAL);
	CU_ASSERT_EQUAL(l4e_dma_init(mem, 0x40123000u, 0), -L4_EINVAL);
	CU_ASSERT_EQUAL(l4e_dma_init(mem, 0xfffff000u, SIZE), -L4_EINVAL); /* wraps */
}

static void dma_get_refuses_a_missing_or_wrong_header(void)
{
	struct l4e_dma d = {0};

	memset(mem, 0, sizeof(mem));
	CU_ASSERT_EQUAL(l4e_dma_get(mem, SIZE, &d), -L4_EINVAL); /* never written */
	CU_ASSERT_EQUAL(l4e_dma_init(mem, 0x40123000u, SIZE), 0);
	CU_ASSERT_EQUAL(l4e_dma_get(mem, SIZE - L4_PAGE_SIZE, &d),
			-L4_EINVAL); /* not the mapping */
	mem[1] = 0x40123800u;	     /* misaligned */
	CU_ASSERT_EQUAL(l4e_dma_get(mem, SIZE, &d), -L4_EINVAL);
	CU_ASSERT_EQUAL(l4e_dma_init(mem, 0x40123000u, SIZE), 0);
	mem[0] ^= 1;
	CU_ASSERT_EQUAL(l4e_dma_get(mem, SIZE, &d), -L4_EINVAL);
	CU_ASSERT_PTR_NULL(d.va); /* untouched on failure */
}

TEST_SUITE(tasks_dma, TEST_CASE(dma_header_round_trip), TEST_CASE(dma_init_refuses_bad_regions),
	   TEST_CASE(dma_get_refuses_a_missing_or_wrong_header))
