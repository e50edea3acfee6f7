/* SPDX-License-Identifier: BSD-2-Clause */
/* Address spaces: one user page table (TTBR0 half) and one ASID each. */
#pragma once

#include "util.h"

enum space_perm {
	SPACE_R = BIT(0),
	SPACE_W = BIT(1),
	SPACE_X = BIT(2),
};

struct space {
	uint32_t *l1; /* 2048 first-level entries covering [0, 2 GiB) */
	uint8_t asid; /* 1..255; 0 is reserved for the switch sequence */
	bool in_use;
};

void space_init(void);
struct space *space_create(void);
/* Maps one 4 KiB page; returns 0 or -L4_E*. */
int space_map_page(struct space *s, vaddr_t va, paddr_t pa, unsigned perms);
void space_activate(struct space *s);

/*
 * True when the current space lets user mode read (or, with `write`, write)
 * every byte of [va, va + len). Checked with the MMU's own translation
 * (ATS1CUR/ATS1CUW), so it agrees with what a user access would do.
 */
bool user_range_ok(vaddr_t va, size_t len, bool write);
