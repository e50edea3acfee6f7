/* SPDX-License-Identifier: BSD-2-Clause */
/* Address spaces: one user page table (TTBR0 half), one ASID and one capability table each. */
#pragma once

#include "object.h"
#include "util.h"

enum space_perm {
	SPACE_R = BIT(0),
	SPACE_W = BIT(1),
	SPACE_X = BIT(2),
	SPACE_DEVICE = BIT(3),
};

struct space {
	uint32_t *l1;	     /* 2048 first-level entries covering [0, 2 GiB) */
	uint32_t l1_pa;	     /* TTBR0 value: physical address of l1 and walk attributes */
	uint8_t asid;	     /* 1..255; 0 is reserved for the switch sequence */
	uint16_t refs;	     /* caps naming it outside its own table (+1 for the root task's) */
	struct quota *quota; /* charged for it and its second-level tables */
	struct cap caps[L4_CAP_SLOTS];
	uint16_t gen; /* KDEBUG generation, then in_use (kdebug.h) */
	bool in_use;
};

void space_init(void);
/* Free spaces and second-level tables (L4_SYSTEM_POOLS). */
void space_pools_free(struct l4_pools *p);
struct space *space_create(void);
/* Drops a reference; the last one destroys the space, its threads and its caps. */
void space_put(struct space *s);
/* The space whose table holds `c`, or NULL for a cap outside every table. */
struct space *space_of_cap(const struct cap *c);
/*
 * Maps one 4 KiB page or one 1 MiB section (replacing what was there) through memory cap
 * `from` (NULL: the boot's own mappings); returns 0 or -L4_E*.
 */
int space_map_page(struct space *s, vaddr_t va, paddr_t pa, unsigned perms, struct cap *from);
int space_map_section(struct space *s, vaddr_t va, paddr_t pa, unsigned perms, struct cap *from);
/* Unmaps, in every space, what was mapped through memory cap `c` (it is being deleted). */
void space_unmap_cap(struct cap *c);
/*
 * Unmaps, or with `protect` changes to `perms`, what is mapped at `va` (a page
 * or a whole section). Returns the bytes covered (4 KiB, 1 MiB, or 4 KiB when
 * nothing is mapped there).
 */
uint32_t space_unmap_one(struct space *s, vaddr_t va, bool protect, unsigned perms);
/* What is mapped at `va`: SPACE_* bits, 0 when nothing is. */
unsigned space_perms(struct space *s, vaddr_t va);
void space_activate(struct space *s);

/*
 * Translates a user address of `s` by walking its table: returns the kernel
 * address of the byte if user mode may read it (and write it, with `write`)
 * and it is RAM mapped as Normal memory; NULL otherwise (never device memory).
 */
void *space_translate(struct space *s, vaddr_t va, bool write);
