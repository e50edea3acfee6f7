/* SPDX-License-Identifier: BSD-2-Clause */
/* Memory: map, unmap and protect of memory the caller holds a capability to; every error path. */
#include "kthread.h"
#include "ktest.h"

#define VA 0x50000000u

static l4_cap_t ep;
static struct kt_thread t;
static volatile uint32_t progress;

static void touch(uint32_t addr)
{
	*(volatile uint32_t *)addr = 1;
	progress = 1;
}

/* Runs touch(addr) with the root as fault handler; returns the fault kind or 0. */
static uint32_t fault_of_touch(uint32_t addr)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;
	uint32_t kind = 0;

	progress = 0;
	ep = kt_create(L4_OBJ_ENDPOINT);
	kt_thread_start(&t, touch, addr, 100, ep, false);
	kt_let_others_run();
	if (l4_nbrecv(ep, &tag, mr, &badge) == 0 && l4_tag_label(tag) == L4_LABEL_FAULT)
		kind = mr[0];
	kt_thread_destroy(&t);
	l4_cap_delete(ep);
	kt_slot_free(ep);
	return kind;
}

KTEST(mem_map_page_read_write)
{
	uint32_t off;
	volatile uint32_t *p = kt_alloc_pages(1, &off);

	KT_ASSERT(p != NULL);
	p[0] = 0x12345678;
	/* The same frame at a second address: both see one memory. */
	KT_ASSERT_EQ(
		l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_RAM, off, VA, 4096, L4_PERM_R | L4_PERM_W),
		0);
	KT_ASSERT_EQ(*(volatile uint32_t *)VA, 0x12345678);
	*(volatile uint32_t *)(VA + 4) = 99;
	KT_ASSERT_EQ(p[1], 99);
	KT_ASSERT_EQ(fault_of_touch(VA), 0);
	KT_ASSERT_EQ(progress, 1);
	KT_ASSERT_EQ(l4_unmap(L4_ROOT_CAP_SPACE, VA, 4096), 0);
}

KTEST(mem_unmap_then_access_faults)
{
	uint32_t off;

	KT_ASSERT(kt_alloc_pages(1, &off) != NULL);
	KT_ASSERT_EQ(
		l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_RAM, off, VA, 4096, L4_PERM_R | L4_PERM_W),
		0);
	KT_ASSERT_EQ(l4_unmap(L4_ROOT_CAP_SPACE, VA, 4096), 0);
	KT_ASSERT_EQ(fault_of_touch(VA), L4_FAULT_DABT);
	KT_ASSERT_EQ(progress, 0);
}

KTEST(mem_protect_read_only_then_write_faults)
{
	uint32_t off;

	KT_ASSERT(kt_alloc_pages(1, &off) != NULL);
	KT_ASSERT_EQ(
		l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_RAM, off, VA, 4096, L4_PERM_R | L4_PERM_W),
		0);
	KT_ASSERT_EQ(l4_protect(L4_ROOT_CAP_SPACE, VA, 4096, L4_PERM_R), 0);
	KT_ASSERT_EQ(*(volatile uint32_t *)VA, 0); /* still readable */
	KT_ASSERT_EQ(fault_of_touch(VA), L4_FAULT_DABT);
	KT_ASSERT_EQ(l4_protect(L4_ROOT_CAP_SPACE, VA, 4096, L4_PERM_R | L4_PERM_W), -L4_EPERM);
	KT_ASSERT_EQ(l4_protect(L4_ROOT_CAP_SPACE, VA, 4096, L4_PERM_W), -L4_EINVAL);
	KT_ASSERT_EQ(l4_unmap(L4_ROOT_CAP_SPACE, VA, 4096), 0);
}

KTEST(mem_map_section_of_1mib)
{
	/* RAM-cap offsets are physical offsets: pick a MiB-aligned one far from the allocator. */
	uint32_t off = 0x04000000u - (ktest_bootinfo->ram_base & 0xfffffu);
	volatile uint32_t *p = (volatile uint32_t *)(VA + 0x100000);

	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_RAM, off, VA + 0x100000, 0x100000,
			    L4_PERM_R | L4_PERM_W),
		     0);
	p[0] = 1;
	p[0x3ffff] = 2;
	KT_ASSERT_EQ(p[0] + p[0x3ffff], 3);
	/* A page cannot go where a section is. */
	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_RAM, 0, VA + 0x101000, 4096, L4_PERM_R),
		     -L4_EBUSY);
	KT_ASSERT_EQ(l4_unmap(L4_ROOT_CAP_SPACE, VA + 0x100000, 0x100000), 0);
}

KTEST(mem_map_error_paths)
{
	const struct l4_bootinfo *bi = ktest_bootinfo;

	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_RAM, 0, VA + 1, 4096, L4_PERM_R),
		     -L4_EINVAL);
	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_RAM, 0, VA, 0, L4_PERM_R), -L4_EINVAL);
	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_RAM, 0, VA, 4096, L4_PERM_W),
		     -L4_EINVAL);
	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_RAM, 0, VA, 4096,
			    L4_PERM_R | L4_PERM_W | L4_PERM_X),
		     -L4_EINVAL); /* W^X */
	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_RAM, 0, 0x80000000u, 4096, L4_PERM_R),
		     -L4_EINVAL); /* kernel half */
	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_RAM, bi->ram_size, VA, 4096, L4_PERM_R),
		     -L4_ERANGE); /* beyond the cap */
	KT_ASSERT_EQ(
		l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_IMAGE, 0, VA, 4096, L4_PERM_R | L4_PERM_W),
		-L4_EPERM); /* the text cap has no write right */
	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_RAM, 0, VA, 65 * 4096, L4_PERM_R),
		     -L4_ERANGE); /* more than L4_MAP_MAX_UNITS pages in one call */
	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_RAM, L4_ROOT_CAP_RAM, 0, VA, 4096, L4_PERM_R), -L4_ETYPE);
	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_SPACE, 0, VA, 4096, L4_PERM_R),
		     -L4_ETYPE);
	KT_ASSERT_EQ(l4_unmap(L4_ROOT_CAP_SPACE, VA + 2, 4096), -L4_EINVAL);
	KT_ASSERT_EQ(l4_unmap(L4_ROOT_CAP_SPACE, 0x7ffff000u, 0x2000), -L4_EINVAL);
	KT_ASSERT_EQ(l4_unmap(L4_ROOT_CAP_SPACE, VA, 4096), 0); /* nothing there: fine */
}

KTEST(mem_device_window_maps_uncached_and_never_executable)
{
	volatile uint32_t *virtio = (volatile uint32_t *)VA;

	KT_ASSERT_EQ(
		l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_DEVICE, 0, VA, 4096, L4_PERM_R | L4_PERM_X),
		-L4_EINVAL);
	KT_ASSERT_EQ(
		l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_DEVICE, 0, VA, 4096, L4_PERM_R | L4_PERM_W),
		0);
	KT_ASSERT_EQ(virtio[0], 0x74726976); /* "virt": virtio-mmio MagicValue */
	KT_ASSERT_EQ(l4_unmap(L4_ROOT_CAP_SPACE, VA, 4096), 0);
}

KTEST(mem_page_table_pool_exhaustion_is_enomem)
{
	l4_cap_t sp = kt_create(L4_OBJ_SPACE);
	uint32_t mib;
	int err = 0;

	/* One page in each of many MiB regions needs a second-level table each. */
	for (mib = 0; mib < 200 && !err; mib++)
		err = l4_map(sp, L4_ROOT_CAP_RAM, 0, 0x10000000u + mib * 0x100000, 4096, L4_PERM_R);
	KT_ASSERT_EQ(err, -L4_ENOMEM);
	KT_ASSERT(mib > 50);
	/* Deleting the space returns its tables to the pool. */
	KT_ASSERT_EQ(l4_cap_delete(sp), 0);
	KT_ASSERT_EQ(l4_create(L4_ROOT_CAP_KMEM, L4_OBJ_SPACE, sp), 0);
	KT_ASSERT_EQ(l4_map(sp, L4_ROOT_CAP_RAM, 0, 0x10000000u, 4096, L4_PERM_R), 0);
	KT_ASSERT_EQ(l4_map(sp, L4_ROOT_CAP_RAM, 0, 0x20000000u, 4096, L4_PERM_R), 0);
	l4_cap_delete(sp);
	kt_slot_free(sp);
}

/*
 * Issue 11, finding 1: PROTECT of a device page kept it device memory. Before, it was
 * rewritten as cacheable Normal memory, which the kernel then accepted as a UTCB and
 * read through the RAM linear map (a kernel data abort on a 9-word call).
 */
KTEST(sys_protect_keeps_device_memory_device)
{
	struct kt_thread srv;
	l4_word_t mr[L4_MSG_REGS] = {1, 2, 3, 4, 5, 6, 7, 8};
	l4_tag_t tag = l4_tag(3, 0, L4_MSG_REGS + 1);
	volatile uint32_t *virtio = (volatile uint32_t *)VA;
	struct l4_kstats ks;
	int err;

	ep = kt_create(L4_OBJ_ENDPOINT);
	KT_ASSERT_EQ(
		l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_DEVICE, 0, VA, 4096, L4_PERM_R | L4_PERM_W),
		0);
	KT_ASSERT_EQ(l4_protect(L4_ROOT_CAP_SPACE, VA, 4096, L4_PERM_R), 0);
	KT_ASSERT_EQ(virtio[0], 0x74726976); /* still the device, still readable */
	/* A device page is never executable, whatever PROTECT asks. */
	KT_ASSERT_EQ(l4_protect(L4_ROOT_CAP_SPACE, VA, 4096, L4_PERM_R | L4_PERM_X), -L4_EPERM);
	/* DEBUG_WRITE does not read device memory. */
	KT_ASSERT_EQ(l4_debug_write((const void *)VA, 4), -L4_EFAULT);

	/* Our UTCB on the device page: the kernel neither reads nor writes it. */
	KT_ASSERT_EQ(kt_thread_start(&srv, kt_echo_server, ep, 100, 0, false), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(
		l4_thread_config(L4_ROOT_CAP_THREAD, L4_ROOT_CAP_SPACE, VA, 0, L4_THREAD_PRIO_MAX),
		0);
	err = l4_call(ep, &tag, mr);
	KT_ASSERT_EQ(l4_kstats(L4_ROOT_CAP_SYSTEM, &ks), -L4_EFAULT);
	KT_ASSERT_EQ(l4_thread_config(L4_ROOT_CAP_THREAD, L4_ROOT_CAP_SPACE, ktest_bootinfo->utcb,
				      0, L4_THREAD_PRIO_MAX),
		     0);
	KT_ASSERT_EQ(err, 0);
	/* The words past the registers could not be read: the message arrived truncated. */
	KT_ASSERT_EQ(l4_tag_len(tag), L4_MSG_REGS);
	KT_ASSERT_EQ(l4_tag_flags(tag) & L4_TAG_F_TRUNCATED, L4_TAG_F_TRUNCATED);
	KT_ASSERT_EQ(mr[7], 8);
	kt_thread_destroy(&srv);
	KT_ASSERT_EQ(l4_unmap(L4_ROOT_CAP_SPACE, VA, 4096), 0);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

/*
 * Mappings live as long as the cap they were made through: deleting a memory cap
 * (alone, or by revoking its parent) unmaps, in every space, what was mapped through it.
 */
KTEST(cap_revoke_of_a_memory_cap_unmaps_what_was_mapped_through_it)
{
	l4_cap_t m1 = kt_slot_alloc(), m2 = kt_slot_alloc(), sp = kt_create(L4_OBJ_SPACE);
	uint32_t off;
	volatile uint32_t *p = kt_alloc_pages(1, &off);
	struct l4_pools before, after;

	KT_ASSERT(p != NULL);
	p[0] = 42;
	KT_ASSERT_EQ(l4_cap_copy(L4_ROOT_CAP_RAM, 0, m1), 0);
	KT_ASSERT_EQ(l4_cap_copy(m1, 0, m2), 0);
	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, m1, off, VA, 4096, L4_PERM_R | L4_PERM_W), 0);
	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, m2, off, VA + 0x1000, 4096, L4_PERM_R | L4_PERM_W),
		     0);
	KT_ASSERT_EQ(l4_map(L4_ROOT_CAP_SPACE, m2,
			    0x04000000u - (ktest_bootinfo->ram_base & 0xfffffu), VA + 0x100000,
			    0x100000, L4_PERM_R | L4_PERM_W),
		     0);
	KT_ASSERT_EQ(fault_of_touch(VA + 0x1000), 0); /* (touch writes 1) */
	p[0] = 42;
	KT_ASSERT_EQ(l4_map(sp, m2, off, 0x10000000u, 4096, L4_PERM_R), 0);
	KT_ASSERT_EQ(*(volatile uint32_t *)(VA + 0x1000), 42);
	KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_SYSTEM, &before), 0);
	/* Revoking m1 deletes m2: its page, its section and its page in sp go; m1's stays. */
	p[0] = 42;
	KT_ASSERT_EQ(l4_cap_revoke(m1), 0);
	KT_ASSERT_EQ(fault_of_touch(VA + 0x1000), L4_FAULT_DABT);
	KT_ASSERT_EQ(fault_of_touch(VA + 0x100000), L4_FAULT_DABT);
	KT_ASSERT_EQ(*(volatile uint32_t *)VA, 42);
	/* Mapping sp's page again needs a cap that still exists, and so on. */
	KT_ASSERT_EQ(l4_map(sp, m1, off, 0x10000000u, 4096, L4_PERM_R), 0);
	KT_ASSERT_EQ(l4_cap_delete(m1), 0);
	KT_ASSERT_EQ(fault_of_touch(VA), L4_FAULT_DABT);
	KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_SYSTEM, &after), 0);
	KT_ASSERT_EQ(after.l2_tables, before.l2_tables); /* unmapping keeps the tables */
	l4_cap_delete(sp);
	kt_slot_free(m1), kt_slot_free(m2), kt_slot_free(sp);
}
