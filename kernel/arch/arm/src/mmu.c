/* SPDX-License-Identifier: BSD-2-Clause */
/* User address spaces on ARMv7 short descriptors: TTBR0 tables, ASIDs, user access checks. */
#include "config.h"
#include "kmem.h"
#include "panic.h"
#include "space.h"
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <uapi/l4/abi.h>

/* TTBR0 with TTBCR.N = 1 walks an 8 KiB table aligned to 8 KiB (ARM ARM B3.5.4). */
static uint32_t l1_pool[CONFIG_MAX_SPACES][L1_USER_ENTRIES] __aligned(8192);
static uint32_t l2_pool[CONFIG_MAX_L2_TABLES][L2_ENTRIES] __aligned(1024);
static struct space spaces[CONFIG_MAX_SPACES];
static unsigned l2_used;

_Static_assert(CONFIG_MAX_SPACES < 256, "one ASID per space, ASID 0 reserved");

/* Page-table writes must reach the point of unification before a walk. */
static void pte_write(uint32_t *pte, uint32_t val)
{
	*pte = val;
	dsb();
	cp15_write_dccmvau((uint32_t)(uintptr_t)pte);
	dsb();
}

void space_init(void)
{
	l2_used = 0;
}

struct space *space_create(void)
{
	unsigned i, j;

	for (i = 0; i < CONFIG_MAX_SPACES; i++) {
		if (spaces[i].in_use)
			continue;
		spaces[i].in_use = true;
		spaces[i].l1 = l1_pool[i];
		spaces[i].asid = (uint8_t)(i + 1);
		for (j = 0; j < L1_USER_ENTRIES; j++)
			spaces[i].l1[j] = 0;
		return &spaces[i];
	}
	return NULL;
}

static uint32_t l2_perm_bits(unsigned perms)
{
	uint32_t v = L2_TYPE_SMALL | L2_NORMAL_WBWA | L2_NG;

	v |= (perms & SPACE_W) ? L2_AP_USER_RW : L2_AP_USER_RO;
	if (!(perms & SPACE_X))
		v |= L2_XN;
	return v;
}

int space_map_page(struct space *s, vaddr_t va, paddr_t pa, unsigned perms)
{
	uint32_t *l1e, *l2;

	if (va >= L4_USER_TOP || !IS_ALIGNED(va, L4_PAGE_SIZE) || !IS_ALIGNED(pa, L4_PAGE_SIZE))
		return -L4_EINVAL;
	if ((perms & SPACE_W) && (perms & SPACE_X))
		return -L4_EINVAL; /* W^X */

	l1e = &s->l1[va >> 20];
	if ((*l1e & 0x3) == 0) {
		if (l2_used >= CONFIG_MAX_L2_TABLES)
			return -L4_ENOMEM;
		l2 = l2_pool[l2_used++];
		for (unsigned i = 0; i < L2_ENTRIES; i++)
			l2[i] = 0;
		pte_write(l1e, virt_to_phys(l2) | L1_TYPE_TABLE | L1_TABLE_PXN);
	} else if ((*l1e & 0x3) != L1_TYPE_TABLE) {
		return -L4_EINVAL;
	}
	l2 = phys_to_virt(*l1e & ~0x3ffu);
	pte_write(&l2[(va >> 12) & 0xff], pa | l2_perm_bits(perms));
	cp15_write_tlbimva((va & ~0xfffu) | s->asid);
	dsb();
	isb();
	return 0;
}

/*
 * Switch TTBR0 and ASID through the reserved ASID 0, so no walk ever pairs
 * the new table with the old ASID (ARM ARM B3.10.4).
 */
void space_activate(struct space *s)
{
	cp15_write_contextidr(0);
	isb();
	cp15_write_ttbr0(virt_to_phys(s->l1) | TTBR_WALK_WBWA);
	isb();
	cp15_write_contextidr(s->asid);
	isb();
}

static bool user_page_ok(vaddr_t va, bool write)
{
	if (write)
		cp15_write_ats1cuw(va);
	else
		cp15_write_ats1cur(va);
	isb();
	return (cp15_read_par() & 1) == 0;
}

bool user_range_ok(vaddr_t va, size_t len, bool write)
{
	vaddr_t page, last;

	if (len == 0)
		return true;
	if (va >= L4_USER_TOP || len > L4_USER_TOP - va)
		return false;
	last = va + (vaddr_t)len - 1;
	for (page = ALIGN_DOWN(va, L4_PAGE_SIZE);; page += L4_PAGE_SIZE) {
		if (!user_page_ok(page, write))
			return false;
		if (page >= ALIGN_DOWN(last, L4_PAGE_SIZE))
			return true;
	}
}
