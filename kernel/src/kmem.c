/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot-time frame pool: the RAM after the kernel image, handed out in 4 KiB frames. */
#include "kmem.h"
#include "config.h"
#include "panic.h"
#include "printk.h"

extern char __kernel_end[];

static paddr_t next_frame;
static paddr_t ram_end;

void kmem_init(void)
{
	next_frame = ALIGN_UP(virt_to_phys(__kernel_end), 4096u);
	ram_end = PLAT_RAM_BASE + PLAT_RAM_SIZE;
	if (next_frame >= ram_end)
		panic("kmem: kernel image (%u KiB) fills RAM",
		      (unsigned)(next_frame - PLAT_RAM_BASE) / 1024);
	printk("kmem: %u MiB RAM, kernel image %u KiB, %u frames free\n", CONFIG_RAM_MB,
	       (unsigned)(next_frame - PLAT_RAM_BASE) / 1024, (unsigned)kmem_frames_free());
}

paddr_t kmem_frame_alloc(void)
{
	paddr_t pa;
	uint32_t *p;
	unsigned i;

	if (next_frame >= ram_end)
		return 0;
	pa = next_frame;
	next_frame += 4096;
	p = phys_to_virt(pa);
	for (i = 0; i < 1024; i++)
		p[i] = 0;
	return pa;
}

void kmem_seal(paddr_t *base, uint32_t *size)
{
	*base = next_frame;
	*size = ram_end - next_frame;
	next_frame = ram_end;
}

uint32_t kmem_frames_free(void)
{
	return (ram_end - next_frame) / 4096;
}
