/* SPDX-License-Identifier: BSD-2-Clause */
/* The root-task image table the build links into the kernel (site_scons/rootimage.py). */
#pragma once

#include "util.h"

#define BOOT_IMAGE_MAGIC 0x4c344549u /* "IE4L" */
#define BOOT_SEG_MAX	 8

enum boot_seg_flags {
	BOOT_SEG_X = BIT(0),
	BOOT_SEG_W = BIT(1),
	BOOT_SEG_R = BIT(2),
};

/* One ELF PT_LOAD segment; data is page-aligned and zero-padded to a page. */
struct boot_seg {
	uint32_t data;	/* kernel virtual address of the file bytes */
	uint32_t vaddr; /* user virtual address, page-aligned */
	uint32_t filesz;
	uint32_t memsz;
	uint32_t flags; /* enum boot_seg_flags (ELF p_flags) */
};

struct boot_image {
	uint32_t magic;
	uint32_t entry;
	uint32_t nsegs;
	struct boot_seg segs[];
};
_Static_assert(sizeof(struct boot_seg) == 20, "layout shared with rootimage.py");
_Static_assert(__builtin_offsetof(struct boot_image, segs) == 12,
	       "layout shared with rootimage.py");

extern const struct boot_image boot_root_image;

/* Creates the root task's space and thread from boot_root_image. */
void boot_root_task(void);

/* User virtual layout of the root task's stack. */
#define ROOT_STACK_TOP	0x7fff0000u
#define ROOT_STACK_SIZE 0x4000u
