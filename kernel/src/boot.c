/* SPDX-License-Identifier: BSD-2-Clause */
/* Builds the root task: its space from the linked image table, a stack and its thread. */
#include "boot.h"
#include "config.h"
#include "kdebug.h"
#include "kmem.h"
#include "object.h"
#include "panic.h"
#include "printk.h"
#include "quota.h"
#include "space.h"
#include "thread.h"
#include <uapi/l4/abi.h>

#define ROOT_UTCB	   0x7fff8000u
#define ROOT_BOOTINFO	   0x7fff9000u
#define VIRTIO_WINDOW_SIZE 0x4000u /* 32 virtio-mmio slots of 0x200 bytes */

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
	err = space_map_page(s, va, pa, perms, NULL);
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

/* The root task's capabilities: every kernel authority and all memory left after boot. */
static void root_caps(struct space *s, struct tcb *t, const struct boot_seg *text)
{
	paddr_t ram_base;
	uint32_t ram_size;
	int err = 0;

	kmem_seal(&ram_base, &ram_size);
	err |= cap_install(s, L4_ROOT_CAP_SPACE, L4_OBJ_SPACE, L4_RIGHT_CONTROL | L4_RIGHT_GRANT, 0,
			   s);
	err |= cap_install(s, L4_ROOT_CAP_THREAD, L4_OBJ_THREAD, L4_RIGHT_CONTROL | L4_RIGHT_GRANT,
			   0, t);
	err |= cap_install(s, L4_ROOT_CAP_KMEM, L4_OBJ_KMEM, L4_RIGHTS_ALL, 0, &root_quota);
	err |= cap_install(s, L4_ROOT_CAP_IRQ_CONTROL, L4_OBJ_IRQ_CONTROL, L4_RIGHTS_ALL, 0, NULL);
	err |= cap_install(s, L4_ROOT_CAP_SYSTEM, L4_OBJ_SYSTEM, L4_RIGHTS_ALL, 0, NULL);
	err |= cap_install_memory(s, L4_ROOT_CAP_RAM, ram_base, ram_size,
				  L4_RIGHT_MAP | L4_RIGHT_WRITE | L4_RIGHT_GRANT);
	err |= cap_install_memory(s, L4_ROOT_CAP_DEVICE, PLAT_VIRTIO_PA, VIRTIO_WINDOW_SIZE,
				  L4_RIGHT_MAP | L4_RIGHT_WRITE | L4_RIGHT_GRANT | CAP_F_DEVICE);
	err |= cap_install_memory(s, L4_ROOT_CAP_IMAGE, virt_to_phys((void *)(uintptr_t)text->data),
				  ALIGN_UP(text->filesz, L4_PAGE_SIZE),
				  L4_RIGHT_MAP | L4_RIGHT_GRANT);
	if (err)
		panic("boot: cannot install the root task's capabilities");
}

static void write_bootinfo(paddr_t pa, const struct space *s, const struct boot_seg *text)
{
	struct l4_bootinfo *bi = phys_to_virt(pa);

	bi->magic = L4_BOOTINFO_MAGIC;
	bi->ram_base = s->caps[L4_ROOT_CAP_RAM].base;
	bi->ram_size = s->caps[L4_ROOT_CAP_RAM].badge;
	bi->device_base = PLAT_VIRTIO_PA;
	bi->device_size = VIRTIO_WINDOW_SIZE;
	bi->image_base = text->vaddr;
	bi->image_size = ALIGN_UP(text->filesz, L4_PAGE_SIZE);
	bi->utcb = ROOT_UTCB;
	bi->cap_slots = L4_CAP_SLOTS;
	bi->max_threads = CONFIG_MAX_THREADS;
	bi->max_spaces = CONFIG_MAX_SPACES;
	bi->max_endpoints = CONFIG_MAX_ENDPOINTS;
	bi->max_notifications = CONFIG_MAX_NOTIFICATIONS;
	bi->timer_hz = timer_freq();
}

void boot_root_task(void)
{
	const struct boot_image *img = &boot_root_image;
	const struct boot_seg *text = NULL;
	struct space *s;
	struct tcb *t;
	paddr_t bootinfo;
	uint32_t i, va;

	if (img->magic != BOOT_IMAGE_MAGIC || img->nsegs == 0 || img->nsegs > BOOT_SEG_MAX)
		panic("boot: no valid root task image (magic %08x, %u segments)",
		      (unsigned)img->magic, (unsigned)img->nsegs);
	s = space_create();
	t = thread_alloc("root");
	if (!s || !t || !quota_charge(&root_quota, Q_SPACE) || !quota_charge(&root_quota, Q_THREAD))
		panic("boot: no space or thread for the root task");
	s->quota = t->quota = &root_quota;

	for (i = 0; i < img->nsegs; i++) {
		map_segment(s, &img->segs[i]);
		if ((img->segs[i].flags & BOOT_SEG_X) && !text)
			text = &img->segs[i];
	}
	if (!text)
		panic("boot: the root task has no executable segment");
	for (va = ROOT_STACK_TOP - ROOT_STACK_SIZE; va < ROOT_STACK_TOP; va += L4_PAGE_SIZE)
		map_or_panic(s, va, kmem_frame_alloc(), SPACE_R | SPACE_W);
	map_or_panic(s, ROOT_UTCB, kmem_frame_alloc(), SPACE_R | SPACE_W);
	bootinfo = kmem_frame_alloc();
	map_or_panic(s, ROOT_BOOTINFO, bootinfo, SPACE_R);
	root_caps(s, t, text);
	write_bootinfo(bootinfo, s, text);

	t->space = s;
	KDEBUG_SET(t->space_gen, s);
	s->refs++; /* the root task's space is never destroyed */
	t->critical = true;
	t->prio = L4_THREAD_PRIO_MAX;
	t->mcp = L4_THREAD_PRIO_MAX;
	t->utcb = ROOT_UTCB;
	t->regs.r[0] = ROOT_BOOTINFO;
	t->regs.pc = img->entry;
	t->regs.sp = ROOT_STACK_TOP;
	t->regs.cpsr = PSR_MODE_USR;
	sched_wake(t);
	printk("boot: root task entry %08x, %u segments, asid %u, %u KiB RAM for user memory\n",
	       (unsigned)img->entry, (unsigned)img->nsegs, s->asid,
	       (unsigned)(s->caps[L4_ROOT_CAP_RAM].badge / 1024));
}
