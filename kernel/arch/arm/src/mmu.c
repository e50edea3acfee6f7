/* SPDX-License-Identifier: BSD-2-Clause */
/* User address spaces on ARMv7 short descriptors: TTBR0 tables, ASIDs, user access checks. */
#include "config.h"
#include "kdebug.h"
#include "kmem.h"
#include "panic.h"
#include "quota.h"
#include "space.h"
#include "thread.h"
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <uapi/l4/abi.h>

/* TTBR0 with TTBCR.N = 1 walks an 8 KiB table aligned to 8 KiB (ARM ARM B3.5.4). */
static uint32_t l1_pool[CONFIG_MAX_SPACES][L1_USER_ENTRIES] __aligned(8192);
static uint32_t l2_pool[CONFIG_MAX_L2_TABLES][L2_ENTRIES] __aligned(1024);
static bool l2_used[CONFIG_MAX_L2_TABLES];
static struct space spaces[CONFIG_MAX_SPACES];

/*
 * The mapping database: the cap every entry was mapped through (cap_id; 0: none, for
 * the boot's own mappings), so that deleting a memory cap unmaps exactly what was
 * mapped through it, and which space and MiB each second-level table serves.
 */
static uint16_t l1_origin[CONFIG_MAX_SPACES][L1_USER_ENTRIES];
static uint16_t l2_origin[CONFIG_MAX_L2_TABLES][L2_ENTRIES];
static uint16_t l2_owner[CONFIG_MAX_L2_TABLES]; /* space index << 11 | first-level index */
_Static_assert(CONFIG_MAX_SPACES *L4_CAP_SLOTS <= 0x10000 && L1_USER_ENTRIES == 1u << 11,
	       "cap ids and table owners fit 16 bits");
#define MAPS_MAX 0xffffu /* a cap's count stops here: its deletion then always searches */

_Static_assert(CONFIG_MAX_SPACES < 256, "one ASID per space, ASID 0 reserved");
KOBJ_LAYOUT_OK(struct space);

#define L1_SECT_USER_BASE  (L1_TYPE_SECTION | 0x20000u) /* nG */
#define L1_SECT_XN	   0x10u
#define L1_SECT_AP_USER_RW 0xc00u  /* AP[1:0]=11 */
#define L1_SECT_AP_USER_RO 0x8800u /* AP[2]=1 AP[1:0]=10 */
#define L1_SECT_NORMAL	   0x100cu /* TEX=001 C=1 B=1 */
#define L1_SECT_DEV	   0x0004u /* TEX=000 C=0 B=1: shareable device */
#define L2_DEV		   0x04u   /* TEX=000 C=0 B=1 */

/* Page-table writes must reach the point of unification before a walk. */
static void pte_write(uint32_t *pte, uint32_t val)
{
	*pte = val;
	dsb();
	cp15_write_dccmvau((uint32_t)(uintptr_t)pte);
	dsb();
}

static void tlb_flush_va(struct space *s, vaddr_t va)
{
	cp15_write_tlbimva((va & ~0xfffu) | s->asid);
	dsb();
	isb();
}

void space_init(void)
{
}

void space_pools_free(struct l4_pools *p)
{
	unsigned i;

	p->spaces = p->l2_tables = 0;
	for (i = 0; i < CONFIG_MAX_SPACES; i++)
		p->spaces += !spaces[i].in_use;
	for (i = 0; i < CONFIG_MAX_L2_TABLES; i++)
		p->l2_tables += !l2_used[i];
}

struct space *space_create(void)
{
	unsigned i, j;

	for (i = 0; i < CONFIG_MAX_SPACES; i++) {
		struct space *s = &spaces[i];

		if (s->in_use)
			continue;
		KOBJ_CLAIM(s, "space");
		s->in_use = true;
		s->refs = 0;
		s->quota = NULL; /* the creator charges it */
		s->l1 = l1_pool[i];
		s->l1_pa = virt_to_phys(s->l1) | TTBR_WALK_WBWA;
		s->asid = (uint8_t)(i + 1);
		for (j = 0; j < L1_USER_ENTRIES; j++)
			s->l1[j] = 0;
		for (j = 0; j < L4_CAP_SLOTS; j++)
			s->caps[j] = (struct cap){0};
		dsb();
		return s;
	}
	return NULL;
}

struct space *space_of_cap(const struct cap *c)
{
	uintptr_t off = (uintptr_t)c - (uintptr_t)spaces;

	return off < sizeof(spaces) ? &spaces[off / sizeof(struct space)] : NULL;
}

/* A cap's place in all tables: space index * L4_CAP_SLOTS + slot (never 0: slot 0 is empty). */
static uint16_t cap_id(const struct cap *c)
{
	struct space *s = space_of_cap(c);

	return s ? (uint16_t)((s - spaces) * L4_CAP_SLOTS + (c - s->caps)) : 0;
}

static void origin_set(uint16_t *origin, struct cap *from)
{
	*origin = from ? cap_id(from) : 0;
	if (from && from->maps != MAPS_MAX)
		from->maps++;
}

static void origin_clear(uint16_t *origin)
{
	struct cap *c;

	if (!*origin)
		return;
	c = &spaces[*origin / L4_CAP_SLOTS].caps[*origin % L4_CAP_SLOTS];
	if (c->maps && c->maps != MAPS_MAX)
		c->maps--;
	*origin = 0;
}

static unsigned l2_index(uint32_t l1e)
{
	return (unsigned)((uint32_t *)phys_to_virt(l1e & ~0x3ffu) - l2_pool[0]) / L2_ENTRIES;
}

/* TLBIASID (ARM ARM B4.2.3): every entry of one address space. */
static void tlb_flush_asid(struct space *s)
{
	dsb();
	__asm__ volatile("mcr p15, 0, %0, c8, c7, 2" : : "r"((uint32_t)s->asid) : "memory");
	dsb();
	isb();
}

void space_unmap_cap(struct cap *c)
{
	uint16_t id = cap_id(c);
	bool touched[CONFIG_MAX_SPACES] = {false};
	unsigned i, j;

	for (i = 0; i < CONFIG_MAX_SPACES; i++) {
		if (!spaces[i].in_use)
			continue;
		for (j = 0; j < L1_USER_ENTRIES; j++) {
			if (l1_origin[i][j] == id && (spaces[i].l1[j] & 0x3) == L1_TYPE_SECTION) {
				pte_write(&spaces[i].l1[j], 0);
				l1_origin[i][j] = 0;
				touched[i] = true;
			}
		}
	}
	for (i = 0; i < CONFIG_MAX_L2_TABLES; i++) {
		if (!l2_used[i])
			continue;
		for (j = 0; j < L2_ENTRIES; j++) {
			if (l2_origin[i][j] == id) {
				pte_write(&l2_pool[i][j], 0);
				l2_origin[i][j] = 0;
				touched[l2_owner[i] >> 11] = true;
			}
		}
	}
	for (i = 0; i < CONFIG_MAX_SPACES; i++)
		if (touched[i])
			tlb_flush_asid(&spaces[i]);
	c->maps = 0;
}

/*
 * Destroys a space no cap outside its own table names any more: its threads, its
 * caps (which may destroy what only they named), its second-level tables and its
 * ASID's TLB entries.
 */
void space_put(struct space *s)
{
	struct quota *q = s->quota;
	unsigned i;

	KASSERT(s->refs > 0);
	if (--s->refs > 0)
		return;
	thread_kill_in(s);
	for (i = 0; i < L4_CAP_SLOTS; i++)
		if (s->caps[i].type != L4_OBJ_NULL)
			cap_delete(&s->caps[i]);
	/* What is left was mapped through caps of other tables: they count one fewer. */
	for (i = 0; i < L1_USER_ENTRIES; i++) {
		if ((s->l1[i] & 0x3) == L1_TYPE_TABLE) {
			unsigned t = l2_index(s->l1[i]), j;

			for (j = 0; j < L2_ENTRIES; j++)
				origin_clear(&l2_origin[t][j]);
			l2_used[t] = false;
			quota_uncharge(q, Q_L2_TABLE);
		}
		origin_clear(&l1_origin[s - spaces][i]);
		s->l1[i] = 0;
	}
	tlb_flush_asid(s); /* before the ASID is reused */
	KOBJ_RELEASE(s);
	quota_uncharge(q, Q_SPACE);
}

static uint32_t l2_perm_bits(unsigned perms)
{
	uint32_t v = L2_TYPE_SMALL | L2_NG;

	v |= (perms & SPACE_DEVICE) ? L2_DEV : L2_NORMAL_WBWA;
	v |= (perms & SPACE_W) ? L2_AP_USER_RW : L2_AP_USER_RO;
	if (!(perms & SPACE_X))
		v |= L2_XN;
	return v;
}

static uint32_t l1_sect_bits(unsigned perms)
{
	uint32_t v = L1_SECT_USER_BASE;

	v |= (perms & SPACE_DEVICE) ? L1_SECT_DEV : L1_SECT_NORMAL;
	v |= (perms & SPACE_W) ? L1_SECT_AP_USER_RW : L1_SECT_AP_USER_RO;
	if (!(perms & SPACE_X))
		v |= L1_SECT_XN;
	return v;
}

static int check_map_args(vaddr_t va, paddr_t pa, unsigned perms, uint32_t align)
{
	if (va >= L4_USER_TOP || !IS_ALIGNED(va, align) || !IS_ALIGNED(pa, align))
		return -L4_EINVAL;
	if ((perms & SPACE_W) && (perms & SPACE_X))
		return -L4_EINVAL; /* W^X */
	if ((perms & SPACE_DEVICE) && (perms & SPACE_X))
		return -L4_EINVAL;
	return 0;
}

static uint32_t *l2_alloc(void)
{
	unsigned i, j;

	for (i = 0; i < CONFIG_MAX_L2_TABLES; i++) {
		if (l2_used[i])
			continue;
		l2_used[i] = true;
		for (j = 0; j < L2_ENTRIES; j++)
			l2_pool[i][j] = 0;
		return l2_pool[i];
	}
	return NULL;
}

int space_map_page(struct space *s, vaddr_t va, paddr_t pa, unsigned perms, struct cap *from)
{
	uint32_t *l1e, *l2;
	unsigned t, e = (va >> 12) & 0xff;
	int err = check_map_args(va, pa, perms, L4_PAGE_SIZE);

	if (err)
		return err;
	l1e = &s->l1[va >> 20];
	if ((*l1e & 0x3) == 0) {
		if (!quota_charge(s->quota, Q_L2_TABLE))
			return -L4_ENOMEM;
		l2 = l2_alloc();
		if (!l2) {
			quota_uncharge(s->quota, Q_L2_TABLE);
			return -L4_ENOMEM;
		}
		pte_write(l1e, virt_to_phys(l2) | L1_TYPE_TABLE | L1_TABLE_PXN);
		l2_owner[l2_index(*l1e)] = (uint16_t)((s - spaces) << 11 | va >> 20);
	} else if ((*l1e & 0x3) != L1_TYPE_TABLE) {
		return -L4_EBUSY; /* a section is mapped there */
	}
	t = l2_index(*l1e);
	origin_clear(&l2_origin[t][e]); /* (a mapping replaced) */
	origin_set(&l2_origin[t][e], from);
	pte_write(&l2_pool[t][e], pa | l2_perm_bits(perms));
	tlb_flush_va(s, va);
	return 0;
}

int space_map_section(struct space *s, vaddr_t va, paddr_t pa, unsigned perms, struct cap *from)
{
	uint32_t *l1e;
	uint16_t *origin = &l1_origin[s - spaces][va >> 20];
	int err = check_map_args(va, pa, perms, L4_SECTION_SIZE);

	if (err)
		return err;
	l1e = &s->l1[va >> 20];
	if ((*l1e & 0x3) == L1_TYPE_TABLE)
		return -L4_EBUSY; /* pages are mapped there */
	origin_clear(origin);
	origin_set(origin, from);
	pte_write(l1e, pa | l1_sect_bits(perms));
	tlb_flush_va(s, va);
	return 0;
}

/* The second-level entry of `va`, or NULL when no table covers it. */
static uint32_t *l2_entry(struct space *s, vaddr_t va)
{
	uint32_t l1e = s->l1[(va >> 20) & (L1_USER_ENTRIES - 1)];

	if ((l1e & 0x3) != L1_TYPE_TABLE)
		return NULL;
	return (uint32_t *)phys_to_virt(l1e & ~0x3ffu) + ((va >> 12) & 0xff);
}

unsigned space_perms(struct space *s, vaddr_t va)
{
	uint32_t l1e = s->l1[(va >> 20) & (L1_USER_ENTRIES - 1)], *l2e;

	if ((l1e & 0x3) == L1_TYPE_SECTION)
		return SPACE_R |
		       ((l1e & (L1_SECT_AP_USER_RW | L1_SECT_AP_USER_RO)) == L1_SECT_AP_USER_RW
				? SPACE_W
				: 0) |
		       ((l1e & L1_SECT_XN) ? 0 : SPACE_X) |
		       ((l1e & 0x700cu) == L1_SECT_NORMAL ? 0 : SPACE_DEVICE);
	l2e = l2_entry(s, va);
	if (!l2e || !(*l2e & L2_TYPE_SMALL))
		return 0;
	return SPACE_R | ((*l2e & 0x230u) == L2_AP_USER_RW ? SPACE_W : 0) |
	       ((*l2e & L2_XN) ? 0 : SPACE_X) |
	       ((*l2e & 0x1ccu) == L2_NORMAL_WBWA ? 0 : SPACE_DEVICE);
}

uint32_t space_unmap_one(struct space *s, vaddr_t va, bool protect, unsigned perms)
{
	uint32_t *l1e = &s->l1[(va >> 20) & (L1_USER_ENTRIES - 1)], *l2e;

	/* Protect changes access rights only: memory stays the type it was mapped as. */
	perms = (perms & ~SPACE_DEVICE) | (space_perms(s, va) & SPACE_DEVICE);
	if ((*l1e & 0x3) == L1_TYPE_SECTION) {
		if (!IS_ALIGNED(va, L4_SECTION_SIZE))
			return L4_PAGE_SIZE; /* only whole sections */
		if (!protect)
			origin_clear(&l1_origin[s - spaces][(va >> 20) & (L1_USER_ENTRIES - 1)]);
		pte_write(l1e, protect ? (*l1e & 0xfff00000u) | l1_sect_bits(perms) : 0);
		tlb_flush_va(s, va);
		return L4_SECTION_SIZE;
	}
	l2e = l2_entry(s, va);
	if (l2e && (*l2e & L2_TYPE_SMALL)) {
		if (!protect)
			origin_clear(&l2_origin[l2_index(*l1e)][(va >> 12) & 0xff]);
		pte_write(l2e, protect ? (*l2e & ~0xfffu) | l2_perm_bits(perms) : 0);
		tlb_flush_va(s, va);
	}
	return L4_PAGE_SIZE;
}

/*
 * Switch TTBR0 and ASID so that no walk ever pairs a table with another space's
 * ASID (ARM ARM B3.10.4): TTBR0 first points at the low half of the kernel's table
 * (TTBR1's, which maps nothing below 2 GiB), then the ASID changes, then TTBR0 takes
 * the new table. One CONTEXTIDR write per switch: QEMU flushes its whole TLB and
 * jump cache on every change of the ASID, so a detour through ASID 0 cost two.
 */
void space_activate(struct space *s)
{
	cp15_write_ttbr0(cp15_read_ttbr1());
	isb();
	cp15_write_contextidr(s->asid);
	isb();
	cp15_write_ttbr0(s->l1_pa);
	isb();
}

/* The kernel alias of a physical address, only if it is RAM (the linear map covers nothing else). */
static void *ram_to_virt(paddr_t pa)
{
	return pa - PLAT_RAM_BASE < PLAT_RAM_SIZE ? phys_to_virt(pa) : NULL;
}

void *space_translate(struct space *s, vaddr_t va, bool write)
{
	uint32_t l1e, l2e;

	if (va >= L4_USER_TOP)
		return NULL;
	l1e = s->l1[va >> 20];
	if ((l1e & 0x3) == L1_TYPE_SECTION) {
		uint32_t ap = l1e & (L1_SECT_AP_USER_RW | L1_SECT_AP_USER_RO);

		if ((l1e & 0x700cu) != L1_SECT_NORMAL)
			return NULL; /* never device memory */
		if (write ? ap != L1_SECT_AP_USER_RW : !(ap & 0x800))
			return NULL;
		return ram_to_virt((l1e & 0xfff00000u) | (va & 0xfffffu));
	}
	if ((l1e & 0x3) != L1_TYPE_TABLE)
		return NULL;
	l2e = ((uint32_t *)phys_to_virt(l1e & ~0x3ffu))[(va >> 12) & 0xff];
	if (!(l2e & L2_TYPE_SMALL) || (l2e & 0x1ccu) != L2_NORMAL_WBWA)
		return NULL;
	if (write ? (l2e & 0x230) != L2_AP_USER_RW : !(l2e & 0x20))
		return NULL;
	return ram_to_virt((l2e & ~0xfffu) | (va & 0xfffu));
}
