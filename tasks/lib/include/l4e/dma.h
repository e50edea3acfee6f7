/* SPDX-License-Identifier: BSD-2-Clause */
/* DMA pools: memory a driver shares with its device, with the physical address the device needs. */
#pragma once

#include <stdint.h>

/*
 * A [[pool]] with `dma = true` in tasks/system.toml is physically contiguous
 * RAM mapped into exactly one task (its driver). The supervisor does not
 * format it as a buffer pool: it writes this header at its start, afresh at
 * every (re)start of the task, and the driver uses the rest (struct l4e_dma).
 * The header block is L4E_DMA_HDR_SIZE bytes so the usable part starts
 * aligned for virtqueue rings (16 bytes, virtio 1.2 §2.7) and cache lines.
 *
 * The mapping is cached (Normal write-back, like every task RAM mapping):
 * QEMU does not model caches and its devices read and write guest RAM
 * directly, so a device sees what the CPU stored once the driver's barriers
 * ordered it. A chip with a non-coherent DMA master would need an uncached
 * mapping from the kernel (ARMv7 cache maintenance by address is PL1-only).
 */
#define L4E_DMA_MAGIC	 0x414d4440u /* "@DMA" in memory order */
#define L4E_DMA_HDR_SIZE 64u

struct l4e_dma_hdr {
	uint32_t magic; /* L4E_DMA_MAGIC */
	uint32_t paddr; /* physical address of the pool's first byte (page-aligned) */
	uint32_t size;	/* bytes of the whole pool, header included (page multiple) */
	uint32_t reserved;
};
_Static_assert(sizeof(struct l4e_dma_hdr) <= L4E_DMA_HDR_SIZE, "header fits its block");

/* The usable part of a DMA pool: `size` bytes at `va`, physical address `paddr`. */
struct l4e_dma {
	uint8_t *va;
	uint32_t paddr;
	uint32_t size;
};

/*
 * Writes the header of a `size`-byte DMA pool at `va` whose first byte is at
 * physical `paddr` (the supervisor). Returns 0 or -L4_EINVAL.
 */
int l4e_dma_init(void *va, uint32_t paddr, uint32_t size);
/*
 * Reads the header of the DMA pool mapped at `va` (`mapped` bytes, what the
 * task's sys_<task>.h says) and fills *out with its usable part. Returns 0,
 * or -L4_EINVAL when the header is missing or disagrees with the mapping.
 */
int l4e_dma_get(void *va, uint32_t mapped, struct l4e_dma *out);

/* The physical address of `p`, a pointer into the usable part of `d`. */
static inline uint32_t l4e_dma_paddr(const struct l4e_dma *d, const void *p)
{
	return d->paddr + (uint32_t)((const uint8_t *)p - d->va);
}
