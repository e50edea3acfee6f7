/* SPDX-License-Identifier: BSD-2-Clause */
/* DMA pools (l4e/dma.h): the header the supervisor writes and the driver checks. */
#include <l4/abi.h>
#include <l4e/dma.h>

static int dma_sane(uint32_t paddr, uint32_t size)
{
	if (paddr % L4_PAGE_SIZE || size % L4_PAGE_SIZE || size < L4_PAGE_SIZE ||
	    paddr + size < paddr)
		return -L4_EINVAL;
	return 0;
}

int l4e_dma_init(void *va, uint32_t paddr, uint32_t size)
{
	volatile struct l4e_dma_hdr *h = va;
	int err = dma_sane(paddr, size);

	if (err)
		return err;
	h->paddr = paddr;
	h->size = size;
	h->reserved = 0;
	h->magic = L4E_DMA_MAGIC;
	return 0;
}

int l4e_dma_get(void *va, uint32_t mapped, struct l4e_dma *out)
{
	const volatile struct l4e_dma_hdr *h = va;
	uint32_t paddr = h->paddr, size = h->size;

	if (h->magic != L4E_DMA_MAGIC || dma_sane(paddr, size) || size != mapped)
		return -L4_EINVAL;
	out->va = (uint8_t *)va + L4E_DMA_HDR_SIZE;
	out->paddr = paddr + L4E_DMA_HDR_SIZE;
	out->size = size - L4E_DMA_HDR_SIZE;
	return 0;
}
