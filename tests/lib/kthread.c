/* SPDX-License-Identifier: BSD-2-Clause */
/* Test toolkit for root tasks (see kthread.h). */
#include "kthread.h"
#include "ktest.h"

#include <string.h>

/* Root mappings of RAM-cap memory: offset o appears at KT_RAM_VA + o. */
#define KT_RAM_VA      0x40000000u
#define KT_STACK_PAGES 2
/* In a thread's own space: its stack below KT_CHILD_STACK_TOP, its UTCB above. */
#define KT_CHILD_STACK_TOP 0x70000000u
#define KT_CHILD_UTCB	   0x70001000u
/* A thread's own cap slot for its thread cap (used to suspend itself on return). */
#define KT_SELF_SLOT_CHILD 2

const struct l4_bootinfo *ktest_bootinfo;
/* Above what a supervisor under test hands out from offset 0, below 64 MiB (tests/kernel/mem). */
static uint32_t next_offset = 32u << 20;
static uint8_t slot_used[L4_CAP_SLOTS];

/* Entry of every kt thread: fn = utcb->user[0], arg = user[1], self cap = user[2]. */
__asm__(".text\n"
	".global kt_entry\n"
	"kt_entry:\n"
	"	mrc p15, 0, r4, c13, c0, 3\n"
	"	ldr r1, [r4, #256]\n"
	"	ldr r0, [r4, #260]\n"
	"	blx r1\n"
	"	mrc p15, 0, r4, c13, c0, 3\n"
	"	ldr r0, [r4, #264]\n"
	"	mov r1, #"
	"2"
	"\n"			 /* L4_THREAD_SUSPEND */
	"	mov r7, #0x22\n" /* L4_SYS_THREAD_CTL */
	"	svc #0\n"
	"	udf #1\n");
_Static_assert(L4_THREAD_SUSPEND == 2 && L4_SYS_THREAD_CTL == 0x22, "kt_entry constants");
_Static_assert(__builtin_offsetof(struct l4_utcb, user) == 256, "kt_entry offsets");

l4_cap_t kt_slot_alloc(void)
{
	l4_cap_t s;

	for (s = L4_ROOT_CAP_FIRST_FREE; s < L4_CAP_SLOTS; s++) {
		/* Skip slots another allocator of this task filled (a supervisor under test). */
		if (!slot_used[s] && l4_cap_info(s).err == -L4_ECAP) {
			slot_used[s] = 1;
			return s;
		}
	}
	return 0;
}

void kt_slot_free(l4_cap_t slot)
{
	if (slot < L4_CAP_SLOTS)
		slot_used[slot] = 0;
}

void *kt_alloc_pages(unsigned n, uint32_t *offset)
{
	uint32_t off = next_offset, size = n * L4_PAGE_SIZE;

	if (l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_RAM, off, KT_RAM_VA + off, size,
		   L4_PERM_R | L4_PERM_W) != 0)
		return NULL;
	next_offset += size;
	memset((void *)(KT_RAM_VA + off), 0, size);
	if (offset)
		*offset = off;
	return (void *)(KT_RAM_VA + off);
}

l4_cap_t kt_create(unsigned type)
{
	l4_cap_t s = kt_slot_alloc();

	if (s && l4_create(L4_ROOT_CAP_KMEM, type, s) != 0) {
		kt_slot_free(s);
		return 0;
	}
	return s;
}

unsigned kt_pool_free(unsigned type)
{
	static l4_cap_t made[L4_CAP_SLOTS];
	unsigned n = 0, i;

	while (n < L4_CAP_SLOTS && (made[n] = kt_slot_alloc()) != 0) {
		if (l4_create(L4_ROOT_CAP_KMEM, type, made[n]) != 0) {
			kt_slot_free(made[n]);
			break;
		}
		n++;
	}
	for (i = 0; i < n; i++) {
		if (type == L4_OBJ_THREAD)
			l4_thread_ctl(made[i], L4_THREAD_DESTROY, 0, 0);
		l4_cap_delete(made[i]);
		kt_slot_free(made[i]);
	}
	return n;
}

extern char __data_start[], __bss_end[];

/* A private copy of the root's data and bss pages, mapped at the same addresses. */
static int copy_data(l4_cap_t space)
{
	uint32_t start = (uint32_t)__data_start & ~(L4_PAGE_SIZE - 1);
	uint32_t size = (((uint32_t)__bss_end + L4_PAGE_SIZE - 1) & ~(L4_PAGE_SIZE - 1)) - start;
	uint32_t off;
	void *copy = kt_alloc_pages(size / L4_PAGE_SIZE, &off);

	if (!copy)
		return -L4_ENOMEM;
	memcpy(copy, (const void *)start, size);
	return l4_map(space, L4_ROOT_CAP_RAM, off, start, size, L4_PERM_R | L4_PERM_W);
}

static int child_space(struct kt_thread *t, uint32_t *stack_off, uint32_t *utcb_off)
{
	const struct l4_bootinfo *bi = ktest_bootinfo;
	int err;

	t->space = kt_create(L4_OBJ_SPACE);
	if (!t->space)
		return -L4_ENOMEM;
	err = l4_map(t->space, L4_ROOT_CAP_IMAGE, 0, bi->image_base, bi->image_size,
		     L4_PERM_R | L4_PERM_X);
	if (!err)
		err = l4_map(t->space, L4_ROOT_CAP_RAM, *stack_off,
			     KT_CHILD_STACK_TOP - KT_STACK_PAGES * L4_PAGE_SIZE,
			     KT_STACK_PAGES * L4_PAGE_SIZE, L4_PERM_R | L4_PERM_W);
	if (!err)
		err = l4_map(t->space, L4_ROOT_CAP_RAM, *utcb_off, KT_CHILD_UTCB, L4_PAGE_SIZE,
			     L4_PERM_R | L4_PERM_W);
	return err;
}

static int thread_start(struct kt_thread *t, kt_fn fn, uint32_t arg, unsigned prio,
			l4_cap_t fault_ep, bool own_space, bool forked)
{
	uint32_t stack_off, utcb_off;
	uint8_t *stack = kt_alloc_pages(KT_STACK_PAGES, &stack_off);
	void *utcb = kt_alloc_pages(1, &utcb_off);
	int err;

	memset(t, 0, sizeof(*t));
	if (!stack || !utcb)
		return -L4_ENOMEM;
	t->own_space = own_space;
	t->utcb = utcb;
	t->cap = kt_create(L4_OBJ_THREAD);
	if (!t->cap)
		return -L4_ENOMEM;
	if (own_space) {
		err = child_space(t, &stack_off, &utcb_off);
		if (!err && forked)
			err = copy_data(t->space);
		if (err)
			return err;
		t->utcb_va = KT_CHILD_UTCB;
		t->stack_top = KT_CHILD_STACK_TOP;
		err = l4_cap_copy(t->cap, t->space, KT_SELF_SLOT_CHILD);
		if (err)
			return err;
		t->utcb->user[2] = KT_SELF_SLOT_CHILD;
	} else {
		t->space = L4_ROOT_CAP_SPACE;
		t->utcb_va = (uint32_t)utcb;
		t->stack_top = (uint32_t)stack + KT_STACK_PAGES * L4_PAGE_SIZE;
		t->utcb->user[2] = t->cap;
	}
	t->utcb->user[0] = (uint32_t)fn;
	t->utcb->user[1] = arg;
	err = l4_thread_config(t->cap, t->space, t->utcb_va, fault_ep, prio);
	if (err)
		return err;
	return l4_thread_start(t->cap, (uint32_t)kt_entry, t->stack_top);
}

int kt_thread_start(struct kt_thread *t, kt_fn fn, uint32_t arg, unsigned prio, l4_cap_t fault_ep,
		    bool own_space)
{
	return thread_start(t, fn, arg, prio, fault_ep, own_space, false);
}

int kt_thread_start_forked(struct kt_thread *t, kt_fn fn, uint32_t arg, unsigned prio,
			   l4_cap_t fault_ep)
{
	return thread_start(t, fn, arg, prio, fault_ep, true, true);
}

int kt_thread_give(struct kt_thread *t, l4_cap_t root_slot, l4_cap_t slot)
{
	return l4_cap_copy(root_slot, t->space, slot);
}

void kt_thread_destroy(struct kt_thread *t)
{
	l4_thread_ctl(t->cap, L4_THREAD_DESTROY, 0, 0);
	l4_cap_delete(t->cap);
	kt_slot_free(t->cap);
	if (t->own_space) {
		l4_cap_delete(t->space);
		kt_slot_free(t->space);
	}
	t->cap = 0;
}

void kt_echo_server(uint32_t ep)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;

	l4_recv(ep, &tag, mr, &badge);
	for (;;)
		l4_reply_recv(ep, &tag, mr, &badge);
}

void kt_spin(uint32_t n)
{
	while (n--)
		__asm__ volatile("" ::: "memory");
}

void kt_let_others_run(void)
{
	l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_SET_PRIO, 0, 0);
	l4_yield();
	l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_SET_PRIO, L4_THREAD_PRIO_MAX, 0);
}
