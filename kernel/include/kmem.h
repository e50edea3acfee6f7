/* SPDX-License-Identifier: BSD-2-Clause */
/* Physical memory: the kernel image, the linear map and the boot-time frame pool. */
#pragma once

#include "util.h"
#include <plat/platform.h>

/* The kernel sees all RAM at KERNEL_VBASE (linear map set up by head.S). */
static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)(pa - PLAT_RAM_BASE + KERNEL_VBASE);
}

static inline paddr_t virt_to_phys(const void *va)
{
	return (paddr_t)(uintptr_t)va - KERNEL_VBASE + PLAT_RAM_BASE;
}

void kmem_init(void);

/*
 * Allocates one zeroed 4 KiB frame of the memory the root task will own.
 * Returns 0 when none is left.
 */
paddr_t kmem_frame_alloc(void);

/* Ends boot-time allocation; returns the rest of RAM, which the root task will own. */
void kmem_seal(paddr_t *base, uint32_t *size);

/* Frames still free, for the boot log and tests. */
uint32_t kmem_frames_free(void);
