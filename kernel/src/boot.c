/* SPDX-License-Identifier: BSD-2-Clause */
/* Builds the root task: its space from the linked image table, a stack and its thread. */
#include "boot.h"
#include "kmem.h"
#include "panic.h"
#include "printk.h"
#include "space.h"
#include "thread.h"
#include <uapi/l4/abi.h>

static unsigned seg_perms(uint32_t flags)
{
	return SPACE_R | ((flags & BOOT_SEG_W) ? SPACE_W : 0) |
	       ((flags & BOOT_SEG_X) ? SPACE_X : 0);
}

static void map_or_panic(struct space *s, vaddr_t va, paddr_t pa, unsigned perms)
{
	int err;

	if (!pa)
		panic("boot: out of frames mapping %08x", (unsigned)va);
	err = space_map_page(s, va, pa, perms);
	if (err)
		panic("boot: mapping %08x failed (%d)", (unsigned)va, err);
}

static void map_segment(struct space *s, const struct boot_seg *seg)
{
	unsigned perms = seg_perms(seg->flags);
	uint32_t off;

	if (!IS_ALIGNED(seg->vaddr, L4_PAGE_SIZE) || !IS_ALIGNED(seg->data, L4_PAGE_SIZE) ||
	    seg->memsz < seg->filesz || seg->vaddr >= L4_USER_TOP ||
	    seg->memsz > L4_USER_TOP - seg->vaddr)
		panic("boot: malformed root segment at %08x", (unsigned)seg->vaddr);

	/* File pages in place (the image pads them with zeros), then fresh zero frames. */
	for (off = 0; off < seg->memsz; off += L4_PAGE_SIZE) {
		paddr_t pa = off < seg->filesz ? virt_to_phys((void *)(uintptr_t)(seg->data + off))
					       : kmem_frame_alloc();

		map_or_panic(s, seg->vaddr + off, pa, perms);
	}
}

void boot_root_task(void)
{
	const struct boot_image *img = &boot_root_image;
	struct space *s;
	struct tcb *t;
	uint32_t i, va;

	if (img->magic != BOOT_IMAGE_MAGIC || img->nsegs == 0 || img->nsegs > BOOT_SEG_MAX)
		panic("boot: no valid root task image (magic %08x, %u segments)",
		      (unsigned)img->magic, (unsigned)img->nsegs);
	s = space_create();
	t = thread_alloc("root");
	if (!s || !t)
		panic("boot: no space or thread for the root task");

	for (i = 0; i < img->nsegs; i++)
		map_segment(s, &img->segs[i]);
	for (va = ROOT_STACK_TOP - ROOT_STACK_SIZE; va < ROOT_STACK_TOP; va += L4_PAGE_SIZE)
		map_or_panic(s, va, kmem_frame_alloc(), SPACE_R | SPACE_W);

	t->space = s;
	t->privileged = true;
	t->regs.pc = img->entry;
	t->regs.sp = ROOT_STACK_TOP;
	t->regs.cpsr = PSR_MODE_USR;
	t->state = THREAD_RUNNABLE;
	printk("boot: root task entry %08x, %u segments, asid %u\n", (unsigned)img->entry,
	       (unsigned)img->nsegs, s->asid);
}
