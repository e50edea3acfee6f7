/* SPDX-License-Identifier: BSD-2-Clause */
/* Supervisor: builds tasks from sys_info, delivers their faults to policy, restarts them. */
#include "supervisor.h"

#include <l4e/clock.h>
#include <l4e/dma.h>
#include <l4e/pool.h>
#include <l4e/text.h>
#include <stdarg.h>
#include <string.h>

/* Every RAM page the supervisor hands out is also mapped here, at SUP_WINDOW + cap offset. */
#define SUP_WINDOW	  0x40000000u
#define PAGE		  L4_PAGE_SIZE
#define PAGE_UP(x)	  (((x) + PAGE - 1) & ~(PAGE - 1))
#define SUPER_BADGE(task) (0x20000u | (task))

struct sup_state sup;

/* By L4_FAULT_* (the kernel's fault message, MR0); one word each, for the labelled line. */
static const char *const fault_kinds[] = {"unknown", "undefined-instruction", "prefetch-abort",
					  "data-abort", "unknown-syscall"};

static void put_hex(uint32_t v)
{
	l4_debug_puts("0x");
	l4_debug_putx(v);
}

#define SUP_LOG_PREFIX "supervisor: "

void sup_logf(const char *fmt, ...)
{
	char line[160] = SUP_LOG_PREFIX;
	size_t n = sizeof(SUP_LOG_PREFIX) - 1;
	va_list ap;

	va_start(ap, fmt);
	l4e_vformat(line + n, sizeof(line) - n - 1, fmt, ap); /* room left for the newline */
	va_end(ap);
	l4e_cat(line, sizeof(line), "\n");
	l4_debug_puts(line);
	sup.log_lines++;
}

void sup_log(const char *what, const char *task, const char *detail, uint32_t a, uint32_t b)
{
	l4_debug_puts("supervisor: ");
	l4_debug_puts(what);
	if (task) {
		l4_debug_puts(" task=");
		l4_debug_puts(task);
	}
	if (detail) {
		l4_debug_puts(" ");
		l4_debug_puts(detail);
	}
	if (a || b) {
		l4_debug_puts(" ");
		put_hex(a);
		l4_debug_puts(" ");
		put_hex(b);
	}
	l4_debug_puts("\n");
	sup.log_lines++;
}

/*
 * Free slots of the supervisor's own table: restarts give back what they take.
 * A slot someone else filled (another allocator in the same task) is skipped.
 */
static l4_cap_t slot(void)
{
	for (l4_cap_t s = L4_ROOT_CAP_FIRST_FREE; s < L4_CAP_SLOTS; s++) {
		if (!sup.slot_used[s] && l4_cap_info(s).err == -L4_ECAP) {
			sup.slot_used[s] = 1;
			return s;
		}
	}
	return 0;
}

static void slot_free(l4_cap_t s)
{
	if (s && s < L4_CAP_SLOTS) {
		l4_cap_delete(s);
		sup.slot_used[s] = 0;
	}
}

static l4_cap_t create(unsigned type)
{
	l4_cap_t s = slot();

	if (s && l4_create(L4_ROOT_CAP_KMEM, type, s) != 0) {
		slot_free(s);
		return 0;
	}
	return s;
}

/* Pages of the RAM capability, zeroed and visible to the supervisor at SUP_WINDOW + offset. */
static int ram_alloc(uint32_t size, uint32_t *off)
{
	int err;

	size = PAGE_UP(size);
	if (size > sup.bi->ram_size - sup.next_ram)
		return -L4_ENOMEM;
	*off = sup.next_ram;
	for (uint32_t done = 0; done < size; done += 64 * PAGE) {
		uint32_t n = size - done > 64 * PAGE ? 64 * PAGE : size - done;

		err = l4_map(L4_ROOT_CAP_SPACE, L4_ROOT_CAP_RAM, *off + done,
			     SUP_WINDOW + *off + done, n, L4_PERM_R | L4_PERM_W);
		if (err)
			return err;
	}
	sup.next_ram += size;
	memset((void *)(SUP_WINDOW + *off), 0, size);
	return 0;
}

static int map_ram(l4_cap_t space, uint32_t off, uint32_t va, uint32_t size, unsigned perm)
{
	for (uint32_t done = 0; done < size; done += 64 * PAGE) {
		uint32_t n = size - done > 64 * PAGE ? 64 * PAGE : size - done;
		int err = l4_map(space, L4_ROOT_CAP_RAM, off + done, va + done, n, perm);

		if (err)
			return err;
	}
	return 0;
}

/* Bytes of private memory a task needs: writable segments, stacks, UTCB pages. */
static uint32_t task_mem_size(const struct sys_task *d)
{
	uint32_t size = 0, i;

	for (i = 0; i < d->module->nsegs; i++)
		if (d->module->segs[i].flags & 2)
			size += PAGE_UP(d->module->segs[i].memsz);
	for (i = 0; i < d->nthreads; i++)
		size += PAGE_UP(d->threads[i].stack_size) + PAGE;
	if (d->heartbeat_ms)
		size += SYS_HEARTBEAT_STACK_SIZE + PAGE;
	return size;
}

/*
 * A DMA pool is one driver's: a second task mapping it could program the device
 * to write anywhere the pool's owner can. sysgen refuses such a description;
 * this catches tables that did not come from it.
 */
static int check_dma_owners(const struct sys_info *sys)
{
	unsigned p, i, j;

	for (p = 0; p < sys->npools; p++) {
		const char *owner = NULL;

		if (!(sys->pools[p].flags & SYS_POOL_F_DMA))
			continue;
		for (i = 0; i < sys->ntasks; i++) {
			const struct sys_task *d = &sys->tasks[i];

			for (j = 0; j < d->ncaps; j++) {
				if (d->caps[j].kind != SYS_CAP_POOL || d->caps[j].object != p)
					continue;
				if (owner) {
					sup_log("dma pool mapped by a second task, refused",
						d->name, sys->pools[p].name, 0, 0);
					return -L4_EBUSY;
				}
				owner = d->name;
			}
		}
	}
	return 0;
}

/* The physical address of RAM-cap offset `off` (the cap starts at ram_base). */
static uint32_t ram_paddr(uint32_t off)
{
	return sup.bi->ram_base + off;
}

int sup_boot(const struct l4_bootinfo *bi, const struct sys_info *sys)
{
	unsigned i;
	int err;

	memset(&sup, 0, sizeof(sup));
	sup.bi = bi;
	sup.sys = sys;
	if (sys->ntasks > SUP_MAX_TASKS || sys->nendpoints > SUP_MAX_ENDPOINTS ||
	    sys->npools > SUP_MAX_POOLS)
		return -L4_ERANGE;
	err = check_dma_owners(sys);
	if (err)
		return err;
	sup.fault_ep = create(L4_OBJ_ENDPOINT);
	sup.ntfn = create(L4_OBJ_NOTIFICATION);
	if (!sup.fault_ep || !sup.ntfn)
		return -L4_ENOMEM;
	for (i = 0; i < sys->nendpoints; i++) {
		sup.endpoints[i] = create(L4_OBJ_ENDPOINT);
		if (!sup.endpoints[i])
			return -L4_ENOMEM;
	}
	for (i = 0; i < sys->npools; i++) {
		const struct sys_pool *p = &sys->pools[i];
		void *va;

		err = ram_alloc(p->size, &sup.pool_off[i]);
		if (err)
			return err;
		va = (void *)(SUP_WINDOW + sup.pool_off[i]);
		if (p->flags & SYS_POOL_F_DMA) {
			err = l4e_dma_init(va, ram_paddr(sup.pool_off[i]), p->size);
			sup_log("dma pool", NULL, p->name, ram_paddr(sup.pool_off[i]), p->size);
		} else {
			err = l4e_pool_init(va, p->size);
		}
		if (err)
			return err;
		if (strcmp(p->name, "clock") == 0)
			sup.radio_clock = va;
	}
	for (i = 0; i < sys->ntasks; i++) {
		struct sup_task *t = &sup.tasks[i];

		t->desc = &sys->tasks[i];
		/* The tables are generated and checked, but an overrun here would be ours. */
		if (t->desc->nthreads > SYS_MAX_THREADS || !t->desc->module)
			return -L4_ERANGE;
		t->mem_size = task_mem_size(t->desc);
		err = ram_alloc(t->mem_size, &t->mem_off);
		if (err)
			return err;
	}
	for (i = 0; i < sys->ntasks; i++) {
		err = sup_task_start(i);
		if (err) {
			sup_logf("cannot start task=%s error=%d", sys->tasks[i].name, err);
			return err;
		}
	}
	sup_logf("system up system=%s tasks=%u", sys->name, (unsigned)sys->ntasks);
	return 0;
}

/* Text and read-only data in place from the image; writable segments copied afresh. */
static int map_module(struct sup_task *t, uint32_t *mem)
{
	const struct sys_module *m = t->desc->module;
	unsigned i;
	int err;

	for (i = 0; i < m->nsegs; i++) {
		const struct sys_seg *s = &m->segs[i];
		uint32_t size = PAGE_UP(s->memsz);

		if (s->flags & 2) {
			memcpy((void *)(SUP_WINDOW + *mem), s->data, s->filesz);
			memset((void *)(SUP_WINDOW + *mem + s->filesz), 0, size - s->filesz);
			err = map_ram(t->space, *mem, s->vaddr, size, L4_PERM_R | L4_PERM_W);
			*mem += size;
		} else {
			uint32_t off = (uint32_t)s->data - sup.bi->image_base;

			if ((uint32_t)s->data < sup.bi->image_base ||
			    off + size > sup.bi->image_size)
				return -L4_ERANGE; /* not in the image the kernel gave us */
			err = l4_map(t->space, L4_ROOT_CAP_IMAGE, off, s->vaddr, size,
				     L4_PERM_R | ((s->flags & 1) ? L4_PERM_X : 0));
		}
		if (err)
			return err;
	}
	return 0;
}

_Static_assert(sizeof(((struct l4_utcb *)0)->user) >= SYS_UTCB_TASK_NAME * 4 + SYS_NAME_MAX + 1,
	       "the task name fits the UTCB's user words");

/* The task's name into a thread's UTCB (SYS_UTCB_TASK_NAME), for the runtime and gdb. */
static void utcb_set_name(struct l4_utcb *u, const char *name)
{
	char *dst = (char *)&u->user[SYS_UTCB_TASK_NAME];
	unsigned n;

	for (n = 0; n < SYS_NAME_MAX && name[n]; n++)
		dst[n] = name[n];
	for (; n <= SYS_NAME_MAX; n++)
		dst[n] = '\0';
}

/*
 * Stacks, then the UTCB pages: several UTCBs may share a page (512 bytes each),
 * so each distinct page is mapped once and every UTCB found in its frame.
 */
static int map_threads(struct sup_task *t, uint32_t *mem)
{
	const struct sys_task *d = t->desc;
	uint32_t page_va[SYS_MAX_THREADS], page_off[SYS_MAX_THREADS];
	unsigned i, j, npages = 0;
	int err;

	for (i = 0; i < d->nthreads; i++) {
		const struct sys_thread *th = &d->threads[i];
		uint32_t stack = PAGE_UP(th->stack_size), va = th->utcb & ~(PAGE - 1);
		struct l4_utcb *u;

		memset((void *)(SUP_WINDOW + *mem), 0, stack);
		err = map_ram(t->space, *mem, th->stack_top - stack, stack, L4_PERM_R | L4_PERM_W);
		if (err)
			return err;
		*mem += stack;
		for (j = 0; j < npages && page_va[j] != va; j++)
			;
		if (j == npages) {
			page_va[j] = va;
			page_off[j] = *mem;
			memset((void *)(SUP_WINDOW + *mem), 0, PAGE);
			err = map_ram(t->space, *mem, va, PAGE, L4_PERM_R | L4_PERM_W);
			if (err)
				return err;
			*mem += PAGE;
			npages++;
		}
		u = (struct l4_utcb *)(SUP_WINDOW + page_off[j] + (th->utcb & (PAGE - 1)));
		u->user[0] = th->entry;
		u->user[1] = th->arg;
		u->user[2] = SYS_SLOT_THREADS + i;
		u->user[3] = t->total_restarts; /* l4e_incarnation() */
		utcb_set_name(u, d->name);
	}
	return 0;
}

static int map_pools_devices(struct sup_task *t)
{
	const struct sys_task *d = t->desc;
	unsigned i;
	int err = 0;

	for (i = 0; i < d->ncaps && !err; i++) {
		const struct sys_cap *c = &d->caps[i];

		if (c->kind == SYS_CAP_POOL) {
			const struct sys_pool *p = &sup.sys->pools[c->object];
			uint32_t off = sup.pool_off[c->object];

			/* A restarted driver finds its header whatever its last instance did. */
			if (p->flags & SYS_POOL_F_DMA)
				err = l4e_dma_init((void *)(SUP_WINDOW + off), ram_paddr(off),
						   p->size);
			if (!err)
				err = map_ram(t->space, off, p->vaddr, p->size,
					      L4_PERM_R | ((c->rights & 2) ? L4_PERM_W : 0));
		} else if (c->kind == SYS_CAP_DEVICE) {
			const struct sys_device *v = &sup.sys->devices[c->object];

			if (v->paddr < sup.bi->device_base ||
			    v->paddr + v->size > sup.bi->device_base + sup.bi->device_size)
				return -L4_ERANGE;
			err = l4_map(t->space, L4_ROOT_CAP_DEVICE, v->paddr - sup.bi->device_base,
				     v->vaddr, v->size, L4_PERM_R | L4_PERM_W);
		}
	}
	return err;
}

/* The task's capability table: exactly what its description declares, nothing else. */
static int give_caps(unsigned idx)
{
	struct sup_task *t = &sup.tasks[idx];
	const struct sys_task *d = t->desc;
	l4_cap_t tmp;
	unsigned i;
	int err;

	err = l4_cap_copy(t->space, t->space, SYS_SLOT_SPACE);
	if (!err)
		err = l4_cap_copy(t->ntfn, t->space, SYS_SLOT_NTFN);
	if (!err)
		err = l4_cap_mint(sup.fault_ep, t->space, SYS_SLOT_SUPER, L4_RIGHT_SEND,
				  SUPER_BADGE(idx));
	for (i = 0; i < d->ncaps && !err; i++) {
		const struct sys_cap *c = &d->caps[i];

		switch (c->kind) {
		case SYS_CAP_CLIENT:
			err = l4_cap_mint(sup.endpoints[c->object], t->space, c->slot,
					  L4_RIGHT_SEND, c->badge);
			break;
		case SYS_CAP_SERVER:
			err = l4_cap_mint(sup.endpoints[c->object], t->space, c->slot,
					  L4_RIGHT_RECV, 0);
			break;
		case SYS_CAP_IRQ: {
			l4_cap_t bit = slot();

			tmp = slot();
			err = l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, c->object, tmp);
			if (!err)
				err = l4_cap_mint(t->ntfn, 0, bit, L4_RIGHT_SEND, c->badge);
			if (!err)
				err = l4_irq_set(tmp, bit);
			if (!err)
				err = l4_cap_copy(tmp, t->space, c->slot);
			/* The task's copy keeps the line; ours go, so a restart can claim it again. */
			slot_free(bit);
			slot_free(tmp);
			break;
		}
		default:
			break;
		}
	}
	return err;
}

/* Lowest priority of a task's threads, less one: a task busy at any of its priorities starves it. */
static unsigned heartbeat_prio(const struct sys_task *d)
{
	unsigned i, p = d->mcp;

	for (i = 0; i < d->nthreads; i++)
		if (d->threads[i].prio < p)
			p = d->threads[i].prio;
	return p > 1 ? p - 1 : 1;
}

static bool provides(const struct sys_task *d, const char *iface)
{
	unsigned i;

	for (i = 0; i < d->ncaps; i++)
		if (d->caps[i].kind == SYS_CAP_SERVER &&
		    strcmp(sup.sys->endpoints[d->caps[i].object].iface, iface) == 0)
			return true;
	return false;
}

/* The runtime's heartbeat thread: its own stack and UTCB in the reserved range. */
static int start_heartbeat(unsigned idx, uint32_t *mem)
{
	struct sup_task *t = &sup.tasks[idx];
	const struct sys_task *d = t->desc;
	struct l4_utcb *u;
	l4_cap_t fault = slot();
	int err;

	t->hb_ntfn = create(L4_OBJ_NOTIFICATION);
	t->hb_thread = create(L4_OBJ_THREAD);
	if (!t->hb_ntfn || !t->hb_thread || !fault)
		return -L4_ENOMEM;
	err = map_ram(t->space, *mem, SYS_HEARTBEAT_STACK_TOP - SYS_HEARTBEAT_STACK_SIZE,
		      SYS_HEARTBEAT_STACK_SIZE, L4_PERM_R | L4_PERM_W);
	*mem += SYS_HEARTBEAT_STACK_SIZE;
	if (!err)
		err = map_ram(t->space, *mem, SYS_HEARTBEAT_UTCB, PAGE, L4_PERM_R | L4_PERM_W);
	u = (struct l4_utcb *)(SUP_WINDOW + *mem);
	*mem += PAGE;
	memset(u, 0, sizeof(*u));
	u->user[0] = 0; /* l4e_task_start: run the heartbeat loop */
	u->user[2] = SYS_SLOT_THREADS + d->nthreads;
	utcb_set_name(u, d->name);
	if (!err)
		err = l4_cap_mint(sup.fault_ep, 0, fault, L4_RIGHT_SEND,
				  SUP_FAULT_BADGE(idx, d->nthreads));
	if (!err)
		err = l4_thread_config(t->hb_thread, t->space, SYS_HEARTBEAT_UTCB, fault,
				       heartbeat_prio(d));
	slot_free(fault);
	if (!err)
		err = l4_cap_copy(t->hb_thread, t->space, SYS_SLOT_THREADS + d->nthreads);
	if (!err)
		err = l4_cap_mint(t->hb_ntfn, t->space, SYS_SLOT_HEARTBEAT, L4_RIGHT_RECV, 0);
	if (!err)
		err = l4_thread_start(t->hb_thread, d->module->entry, SYS_HEARTBEAT_STACK_TOP);
	t->hb_outstanding = false;
	return err;
}

/*
 * Every server task gets send caps to its clients' notifications (slot
 * SYS_SLOT_CLIENT_NTFN + badge). After any (re)start, fill whatever is missing:
 * a restarted client's new notification, or a restarted server's whole set.
 */
static void link_client_notifications(void)
{
	const struct sys_info *sys = sup.sys;
	unsigned c, i;

	for (c = 0; c < sys->ntasks; c++) {
		const struct sys_task *d = &sys->tasks[c];

		if (sup.tasks[c].state != SUP_TASK_RUNNING)
			continue;
		for (i = 0; i < d->ncaps; i++) {
			const struct sys_cap *cap = &d->caps[i];
			unsigned server;

			if (cap->kind != SYS_CAP_CLIENT || cap->badge >= SYS_BADGE_SUPERVISOR)
				continue;
			server = sys->endpoints[cap->object].server_task;
			if (server >= sys->ntasks || sup.tasks[server].state != SUP_TASK_RUNNING)
				continue;
			/* -L4_EBUSY: already there. */
			l4_cap_mint(sup.tasks[c].ntfn, sup.tasks[server].space,
				    SYS_SLOT_CLIENT_NTFN + cap->badge, L4_RIGHT_SEND, 0);
		}
	}
}

int sup_task_start(unsigned idx)
{
	struct sup_task *t = &sup.tasks[idx];
	const struct sys_task *d = t->desc;
	uint32_t mem = t->mem_off;
	unsigned i;
	int err;

	t->space = create(L4_OBJ_SPACE);
	t->ntfn = create(L4_OBJ_NOTIFICATION);
	if (!t->space || !t->ntfn)
		return -L4_ENOMEM;
	err = map_module(t, &mem);
	if (!err)
		err = map_threads(t, &mem);
	if (!err)
		err = map_pools_devices(t);
	for (i = 0; i < d->nthreads && !err; i++) {
		const struct sys_thread *th = &d->threads[i];
		l4_cap_t fault = slot();

		t->threads[i] = create(L4_OBJ_THREAD);
		if (!t->threads[i] || !fault)
			return -L4_ENOMEM;
		err = l4_cap_mint(sup.fault_ep, 0, fault, L4_RIGHT_SEND, SUP_FAULT_BADGE(idx, i));
		if (!err)
			err = l4_thread_config(t->threads[i], t->space, th->utcb, fault, th->prio);
		slot_free(fault); /* the thread keeps its own reference */
		if (!err && th->slice_us)
			err = l4_thread_ctl(t->threads[i], L4_THREAD_SET_SLICE, th->slice_us, 0);
		if (!err)
			err = l4_cap_copy(t->threads[i], t->space, SYS_SLOT_THREADS + i);
	}
	if (!err)
		err = give_caps(idx);
	if (!err && d->nthreads)
		err = l4_cap_copy(t->threads[0], t->space, SYS_SLOT_SELF);
	/* The timer service signals its clients at SYS_SLOT_CLIENT_NTFN + badge: us too. */
	if (!err && provides(d, "l4e::timer"))
		err = l4_cap_mint(sup.ntfn, t->space, SYS_SLOT_CLIENT_NTFN + SYS_BADGE_SUPERVISOR,
				  L4_RIGHT_SEND, SYS_SUPER_TICK_BIT);
	for (i = 0; i < d->nthreads && !err; i++)
		err = l4_thread_start(t->threads[i], d->module->entry, d->threads[i].stack_top);
	if (!err && d->heartbeat_ms)
		err = start_heartbeat(idx, &mem);
	if (err)
		return err;
	t->state = SUP_TASK_RUNNING;
	link_client_notifications();
	return 0;
}

static uint64_t thread_cycles(l4_cap_t thread)
{
	uint64_t c = 0;

	return thread && l4_thread_cycles(thread, &c) == 0 ? c : 0;
}

void sup_task_stop(unsigned idx)
{
	struct sup_task *t = &sup.tasks[idx];
	unsigned i;

	for (i = 0; i < t->desc->nthreads; i++) {
		if (!t->threads[i])
			continue;
		t->past_cycles += thread_cycles(t->threads[i]);
		l4_thread_ctl(t->threads[i], L4_THREAD_DESTROY, 0, 0);
		l4_cap_revoke(t->threads[i]);
		slot_free(t->threads[i]);
		t->threads[i] = 0;
	}
	if (t->hb_thread) {
		t->past_cycles += thread_cycles(t->hb_thread);
		l4_thread_ctl(t->hb_thread, L4_THREAD_DESTROY, 0, 0);
		l4_cap_revoke(t->hb_thread);
		slot_free(t->hb_thread);
		l4_cap_revoke(t->hb_ntfn);
		slot_free(t->hb_ntfn);
		t->hb_thread = t->hb_ntfn = 0;
	}
	/* Revoke first: the task's own table holds a copy of its space cap. */
	l4_cap_revoke(t->ntfn);
	slot_free(t->ntfn);
	l4_cap_revoke(t->space);
	slot_free(t->space);
	t->ntfn = t->space = 0;
	t->state = SUP_TASK_DOWN;
}

/* Virtual counter ticks (CNTVCT, user-readable) converted to milliseconds. */
static uint32_t now_ms(void)
{
	uint32_t lo, hi;

	if (sup.radio_clock)
		return l4e_clock_at(sup.radio_clock)->subframe; /* radio time (l4e/clock.h) */
	__asm__ volatile("mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
	return (uint32_t)((((uint64_t)hi << 32) | lo) / (sup.bi->timer_hz / 1000));
}

/* After a fault or a missed heartbeat: stop the task, then its policy. True: reset the system. */
static bool apply_policy(unsigned idx)
{
	struct sup_task *t = &sup.tasks[idx];
	uint32_t now;

	t->faults++;
	sup_task_stop(idx);
	switch (t->desc->restart) {
	case SYS_RESTART_TASK:
		now = now_ms();
		if (now - t->window_start > t->desc->restart_window_ms) {
			t->window_start = now;
			t->restarts = 0;
		}
		if (t->restarts >= t->desc->restart_max) {
			sup_logf("restart limit reached, escalating task=%s restarts=%u "
				 "window_ms=%u",
				 t->desc->name, (unsigned)t->restarts,
				 (unsigned)t->desc->restart_window_ms);
			return true;
		}
		t->restarts++;
		t->total_restarts++;
		if (sup_task_start(idx) != 0) {
			sup_logf("restart failed, escalating task=%s", t->desc->name);
			return true;
		}
		sup_logf("restarted task=%s restarts=%u", t->desc->name,
			 (unsigned)t->total_restarts);
		return false;
	case SYS_RESTART_SYSTEM:
		sup_logf("fault of a system-critical task, escalating task=%s", t->desc->name);
		return true;
	default:
		t->state = SUP_TASK_STOPPED;
		sup_logf("stopped by policy task=%s", t->desc->name);
		return false;
	}
}

/*
 * One labelled line per fault: task, thread, kind, the faulting address and status (or
 * the unknown system call's number), pc last. On the host, tools/symbolize turns the pc
 * into function+offset (file:line) with the task's ELF (docs/debugging.md).
 */
bool sup_fault(uint32_t badge, const l4_word_t mr[L4_MSG_REGS])
{
	unsigned idx = (badge >> 8) & 0xff, th = badge & 0xff;
	unsigned kind = mr[0] < 5 ? mr[0] : 0;
	const char *name;

	if (idx >= sup.sys->ntasks || th > sup.tasks[idx].desc->nthreads)
		return false;
	name = th < sup.tasks[idx].desc->nthreads ? sup.tasks[idx].desc->threads[th].name
						  : "heartbeat";
	if (mr[0] == L4_FAULT_SYSCALL)
		sup_logf("fault task=%s thread=%s kind=%s syscall=%u pc=0x%08x",
			 sup.tasks[idx].desc->name, name, fault_kinds[kind], (unsigned)mr[2],
			 (unsigned)mr[1]);
	else if (mr[0] == L4_FAULT_PABT || mr[0] == L4_FAULT_DABT)
		sup_logf("fault task=%s thread=%s kind=%s addr=0x%08x fsr=0x%08x pc=0x%08x",
			 sup.tasks[idx].desc->name, name, fault_kinds[kind], (unsigned)mr[2],
			 (unsigned)mr[3], (unsigned)mr[1]);
	else
		sup_logf("fault task=%s thread=%s kind=%s pc=0x%08x", sup.tasks[idx].desc->name,
			 name, fault_kinds[kind], (unsigned)mr[1]);
	return apply_policy(idx);
}

/* A watchdog tick: a task that has not answered its last ping in time is hung. */
static bool watchdog(void)
{
	uint32_t now = now_ms();
	unsigned i;

	sup.ticks++;
	for (i = 0; i < sup.sys->ntasks; i++) {
		struct sup_task *t = &sup.tasks[i];
		uint32_t period = t->desc->heartbeat_ms;

		if (t->state != SUP_TASK_RUNNING || !period)
			continue;
		if (t->hb_outstanding && now - t->hb_ping_ms >= period) {
			sup_logf("watchdog: missed heartbeat task=%s waited_ms=%u period_ms=%u",
				 t->desc->name, (unsigned)(now - t->hb_ping_ms), (unsigned)period);
			if (apply_policy(i))
				return true;
		} else if (!t->hb_outstanding && now - t->hb_ping_ms >= period) {
			t->hb_outstanding = true;
			t->hb_ping_ms = now;
			l4_signal(t->hb_ntfn, 1);
		}
	}
	return false;
}

/*
 * A task's capability probe: the slots from which it can send must be exactly
 * its declared client slots and the supervisor's own request slot.
 */
static void probe_check(unsigned idx, const l4_word_t mr[L4_MSG_REGS])
{
	const struct sys_task *d = sup.tasks[idx].desc;
	uint32_t want[4] = {0}, s, n = 0;
	bool ok = mr[4] == 0;

	want[SYS_SLOT_SUPER / 32] |= 1u << (SYS_SLOT_SUPER % 32);
	for (s = 0; s < d->ncaps; s++)
		if (d->caps[s].kind == SYS_CAP_CLIENT)
			want[d->caps[s].slot / 32] |= 1u << (d->caps[s].slot % 32);
	for (s = 0; s < L4_CAP_SLOTS; s++) {
		bool have = mr[s / 32] & (1u << (s % 32)), wanted = want[s / 32] & (1u << (s % 32));

		n += have;
		if (have != wanted) {
			sup_logf("probe: %s task=%s slot=%u",
				 have ? "undeclared slot reaches an endpoint"
				      : "declared slot does not reach its endpoint",
				 d->name, (unsigned)s);
			ok = false;
		}
	}
	if (ok)
		sup_logf("probe ok task=%s endpoints reachable=%u", d->name, (unsigned)n);
}

int sup_run(l4_cap_t self)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;
	int err = l4_thread_ctl(self, L4_THREAD_BIND, sup.ntfn, 0);

	if (err)
		return err;
	for (;;) {
		err = l4_recv(sup.fault_ep, &tag, mr, &badge);
		if (err)
			return err;
		if (l4_tag_label(tag) == L4_LABEL_NOTIFY) {
			if ((badge & SYS_SUPER_TICK_BIT) && watchdog())
				return 1;
			continue;
		}
		if (l4_tag_label(tag) == L4_LABEL_FAULT && (badge & 0x10000)) {
			if (sup_fault(badge, mr))
				return 1;
			continue;
		}
		if ((badge & 0x20000) && l4_tag_label(tag) == SYS_SUPER_PROBE &&
		    (badge & 0xff) < sup.sys->ntasks)
			probe_check(badge & 0xff, mr);
		/* A task's own request on SYS_SLOT_SUPER (badge: 0x20000 | task). */
		if ((badge & 0x20000) && l4_tag_label(tag) == SYS_SUPER_SHUTDOWN &&
		    (badge & 0xff) < sup.sys->ntasks &&
		    (sup.sys->tasks[badge & 0xff].flags & SYS_TASK_F_SHUTDOWN)) {
			sup_logf("shutdown requested task=%s status=%d",
				 sup.sys->tasks[badge & 0xff].name, (int)mr[0]);
			sup.shutdown_status = (int)mr[0];
			return 2;
		}
		if ((badge & 0x20000) && l4_tag_label(tag) == SYS_SUPER_HEARTBEAT &&
		    (badge & 0xff) < sup.sys->ntasks) {
			sup.tasks[badge & 0xff].hb_outstanding = false;
			sup.tasks[badge & 0xff].heartbeats++;
		}
		if (l4_tag_flags(tag) & L4_TAG_F_CALL) {
			mr[0] = badge & 0xff;
			l4_reply(l4_tag(0, 0, 1), mr);
		}
	}
}

int sup_endpoint(const char *iface)
{
	unsigned i;

	for (i = 0; i < sup.sys->nendpoints; i++)
		if (strcmp(sup.sys->endpoints[i].iface, iface) == 0)
			return (int)i;
	return -1;
}

l4_cap_t sup_client_cap(unsigned ep)
{
	l4_cap_t s = slot();

	if (s && l4_cap_mint(sup.endpoints[ep], 0, s, L4_RIGHT_SEND, SYS_BADGE_SUPERVISOR) != 0) {
		slot_free(s);
		return 0;
	}
	return s;
}

/* Console columns of the cycle table. */
static void put_col(const char *a, const char *b, unsigned width)
{
	unsigned n = (unsigned)strlen(a) + (b ? 1 + (unsigned)strlen(b) : 0);

	l4_debug_puts("  ");
	l4_debug_puts(a);
	if (b) {
		l4_debug_puts("/");
		l4_debug_puts(b);
	}
	while (n++ < width)
		l4_debug_putc(' ');
}

static void put_u64(uint64_t v, unsigned width)
{
	char buf[21];
	unsigned n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (width-- > n)
		l4_debug_putc(' ');
	while (n)
		l4_debug_putc(buf[--n]);
}

/* " 12.3%" of total, in tenths of a percent. */
static void put_share(uint64_t part, uint64_t total)
{
	uint64_t permille = total ? (part * 1000 + total / 2) / total : 0;

	l4_debug_puts(" ");
	put_u64(permille / 10, 4);
	l4_debug_putc('.');
	l4_debug_putc((char)('0' + permille % 10));
	l4_debug_puts("%\n");
}

#define REPORT_NAME_WIDTH 24
#define REPORT_NUM_WIDTH  12

static void report_line(const char *a, const char *b, uint64_t cycles, uint64_t total)
{
	put_col(a, b, REPORT_NAME_WIDTH);
	put_u64(cycles, REPORT_NUM_WIDTH);
	put_share(cycles, total);
}

static void report_count(const char *what, uint64_t v)
{
	l4_debug_puts(" ");
	l4_debug_puts(what);
	l4_debug_puts("=");
	put_u64(v, 0);
}

/*
 * The profile section (tools/profile reads it; docs/profiling.md): per thread its
 * id, active and kernel cycles and wake-ups by cause; the CPU's sleeps, their histogram
 * and the lines that ended them; with a trace kernel, the trace ring in base64.
 */
/*
 * The supervisor's own row, read before the report prints anything: the interval still
 * open is then work only (printing the idle row's warped time takes a varying number of
 * instructions).
 */
static struct l4_thread_acct self_acct;
static int self_acct_err = -1;

static void profile_thread(const char *task, const char *thread, l4_cap_t cap)
{
	struct l4_thread_acct a;
	unsigned i;
	static const char *const wake_names[L4_WAKE_COUNT] = {"wake_ipc", "wake_ntfn", "wake_irq",
							      "wake_other"};

	if (cap == L4_ROOT_CAP_THREAD) {
		if (self_acct_err)
			return;
		a = self_acct;
	} else if (l4_thread_acct(L4_ROOT_CAP_SYSTEM, cap, &a) != 0) {
		return;
	}
	l4_debug_puts("profile: thread ");
	put_u64(a.id, 0);
	l4_debug_puts(" ");
	l4_debug_puts(task);
	if (thread) {
		l4_debug_puts("/");
		l4_debug_puts(thread);
	}
	report_count("cycles", a.cycles);
	report_count("kernel", a.kernel);
	for (i = 0; i < L4_WAKE_COUNT; i++)
		report_count(wake_names[i], a.wakes[i]);
	l4_debug_puts("\n");
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* `n` bytes (a multiple of 3) as base64, one line. */
static void put_base64(const uint8_t *p, unsigned n)
{
	char line[4 * (12 * 16 / 3) + 2];
	unsigned i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		line[o++] = b64[v >> 18];
		line[o++] = b64[(v >> 12) & 63];
		line[o++] = b64[(v >> 6) & 63];
		line[o++] = b64[v & 63];
	}
	line[o++] = '\n';
	line[o] = 0;
	l4_debug_puts(line);
}

/*
 * The trace ring from its oldest event to the newest at the start of the dump (what
 * the dump itself adds is left out), 12 events of 16 bytes to a line.
 */
static void profile_trace(void)
{
	static struct l4_trace_event ev[12];
	const struct l4_trace_event *u = (const struct l4_trace_event *)l4_utcb();
	struct l4_ret r =
		l4_syscall(L4_SYS_SYSTEM, L4_ROOT_CAP_SYSTEM, L4_SYSTEM_TRACE_READ, 0, 0, 0, 0);
	uint32_t end = r.r3, next = r.r2;
	unsigned n = 0, i;

	if (r.err || end == 0)
		return;
	l4_debug_puts("profile: trace");
	report_count("first", next);
	report_count("events", end - next);
	l4_debug_puts("\n");
	while (next < end) {
		r = l4_syscall(L4_SYS_SYSTEM, L4_ROOT_CAP_SYSTEM, L4_SYSTEM_TRACE_READ, next, 0, 0,
			       0);
		if (r.err || r.r1 == 0 || r.r2 != next)
			break; /* (the ring overran the reader: the dump ends short) */
		for (i = 0; i < r.r1 && next < end; i++, next++) {
			ev[n++] = u[i];
			if (n == 12) {
				put_base64((const uint8_t *)ev, sizeof(ev));
				n = 0;
			}
		}
	}
	if (n) {
		for (i = n; i < 12; i++)
			ev[i] = (struct l4_trace_event){0}; /* type 0: padding */
		put_base64((const uint8_t *)ev, sizeof(ev));
	}
	l4_debug_puts("profile: trace end\n");
}

static void sup_profile(void)
{
	struct l4_sleep_stats ss;
	uint32_t wakes[32];
	unsigned i, j;

	profile_thread("supervisor", NULL, L4_ROOT_CAP_THREAD);
	for (i = 0; i < sup.sys->ntasks; i++) {
		struct sup_task *t = &sup.tasks[i];

		for (j = 0; j < t->desc->nthreads; j++)
			if (t->threads[j])
				profile_thread(t->desc->name, t->desc->threads[j].name,
					       t->threads[j]);
		if (t->hb_thread)
			profile_thread(t->desc->name, "heartbeat", t->hb_thread);
	}
	profile_thread("idle", NULL, 0);
	if (l4_sleep_stats(L4_ROOT_CAP_SYSTEM, &ss) == 0) {
		l4_debug_puts("profile: sleeps");
		report_count("count", ss.sleeps);
		report_count("cycles", ss.cycles);
		l4_debug_puts(" hist=");
		for (i = 0; i < L4_SLEEP_HIST; i++) {
			if (i)
				l4_debug_puts(",");
			put_u64(ss.hist[i], 0);
		}
		l4_debug_puts("\n");
	}
	l4_debug_puts("profile: idle_wakes");
	for (i = 0; i < L4_IRQ_LINES; i += 32) {
		if (l4_irq_wakes(L4_ROOT_CAP_SYSTEM, i, wakes) != 0)
			break;
		for (j = 0; j < 32; j++)
			if (wakes[j]) {
				l4_debug_puts(" irq");
				put_u64(i + j, 0);
				l4_debug_puts("=");
				put_u64(wakes[j], 0);
			}
	}
	l4_debug_puts("\n");
	profile_trace();
}

void sup_report(void)
{
	struct l4_kstats ks;
	uint64_t total, task_sum[SUP_MAX_TASKS], sup_cycles = thread_cycles(L4_ROOT_CAP_THREAD);
	unsigned i, j;

	self_acct_err = l4_thread_acct(L4_ROOT_CAP_SYSTEM, L4_ROOT_CAP_THREAD, &self_acct);

	if (l4_kstats(L4_ROOT_CAP_SYSTEM, &ks) != 0) {
		sup_logf("no kernel statistics: the cycle table is off");
		return;
	}
	/* Every cycle is charged to the thread running it, or to idle. */
	total = sup_cycles + ks.idle_cycles;
	for (i = 0; i < sup.sys->ntasks; i++) {
		struct sup_task *t = &sup.tasks[i];

		task_sum[i] = t->past_cycles + thread_cycles(t->hb_thread);
		for (j = 0; j < t->desc->nthreads; j++)
			task_sum[i] += thread_cycles(t->threads[j]);
		total += task_sum[i];
	}
	sup_logf("cycles since boot (icount; per task, its threads, earlier instances)");
	report_line("supervisor", NULL, sup_cycles, total);
	for (i = 0; i < sup.sys->ntasks; i++) {
		struct sup_task *t = &sup.tasks[i];

		report_line(t->desc->name, NULL, task_sum[i], total);
		for (j = 0; j < t->desc->nthreads; j++)
			if (t->threads[j])
				report_line(t->desc->name, t->desc->threads[j].name,
					    thread_cycles(t->threads[j]), total);
		if (t->hb_thread)
			report_line(t->desc->name, "heartbeat", thread_cycles(t->hb_thread), total);
		if (t->past_cycles)
			report_line(t->desc->name, "(restarted)", t->past_cycles, total);
	}
	report_line("idle", NULL, ks.idle_cycles, total);
	report_line("total", NULL, total, total);
	l4_debug_puts("supervisor: kernel");
	report_count("syscalls", ks.syscalls);
	report_count("ipc", ks.ipc);
	report_count("fastpath", ks.fastpath);
	report_count("slowpath", ks.slowpath);
	report_count("waits", ks.waits);
	report_count("irqs", ks.irqs);
	report_count("switches", ks.switches);
	report_count("idle_sleeps", ks.idle_sleeps);
	l4_debug_puts("\n");
	sup_profile();
}
