/* SPDX-License-Identifier: BSD-2-Clause */
/* Supervisor, the builder: endpoints, pools and every task's space, memory, caps and threads. */
#include "supervisor.h"

#include <l4e/dma.h>
#include <l4e/pool.h>
#include <string.h>

/* Every RAM page the supervisor hands out is also mapped here, at SUP_WINDOW + cap offset. */
#define SUP_WINDOW 0x40000000u
#define PAGE	   L4_PAGE_SIZE
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))

struct sup_state sup;

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
		if (d->module->segs[i].flags & SYS_SEG_W)
			size += PAGE_UP(d->module->segs[i].memsz);
	for (i = 0; i < d->nthreads; i++)
		size += PAGE_UP(d->threads[i].stack_size) + PAGE;
	if (d->heartbeat_ms)
		size += SYS_HEARTBEAT_STACK_SIZE + PAGE;
	return size;
}

/*
 * A DMA pool is one driver's: a second task mapping it could program the device
 * to write anywhere the pool's owner can. A keep pool is one task's: its state,
 * trusted again after a restart. sysgen refuses such a description; this catches
 * tables that did not come from it.
 */
static int check_dma_owners(const struct sys_info *sys)
{
	unsigned p, i, j;

	for (p = 0; p < sys->npools; p++) {
		const char *owner = NULL;

		if (!(sys->pools[p].flags & (SYS_POOL_F_DMA | SYS_POOL_F_KEEP)))
			continue;
		for (i = 0; i < sys->ntasks; i++) {
			const struct sys_task *d = &sys->tasks[i];

			for (j = 0; j < d->ncaps; j++) {
				if (d->caps[j].kind != SYS_CAP_POOL || d->caps[j].object != p)
					continue;
				if (owner) {
					sup_log((sys->pools[p].flags & SYS_POOL_F_DMA)
							? "dma pool mapped by a second task, "
							  "refused"
							: "keep pool mapped by a second task, "
							  "refused",
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
		} else if (p->flags & SYS_POOL_F_KEEP) {
			err = 0; /* zeroed once, here; every instance of its task finds it as left */
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

		if (s->flags & SYS_SEG_W) {
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
				     L4_PERM_R | ((s->flags & SYS_SEG_X) ? L4_PERM_X : 0));
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
		u->user[SYS_UTCB_ENTRY] = th->entry;
		u->user[SYS_UTCB_ARG] = th->arg;
		u->user[SYS_UTCB_SELF] = SYS_SLOT_THREADS + i;
		u->user[SYS_UTCB_INCARNATION] = t->total_restarts; /* l4e_incarnation() */
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
					      L4_PERM_R |
						      ((c->rights & SYS_RIGHT_W) ? L4_PERM_W : 0));
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
/*
 * Every thread of task `idx` (its heartbeat thread too) counts in accounting group idx + 1
 * (the supervisor's own threads in 0), so a task given SYS_CAP_ACCT reads every task's
 * cycles in one call (L4_SYSTEM_ACCT_GROUPS; names: SYS_TASK_NAMES). Threads a task
 * creates itself inherit the group. Tasks past the last group count with the supervisor.
 */
static int set_acct(l4_cap_t thread, unsigned idx)
{
	if (idx + 1 >= L4_ACCT_GROUPS)
		return 0;
	return l4_thread_ctl(thread, L4_THREAD_SET_ACCT, idx + 1, 0);
}

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
				  SUP_REQUEST_BADGE(idx));
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
		case SYS_CAP_ACCOUNTING: /* reads the groups' cycles (set_acct) and nothing else */
			err = l4_cap_mint(L4_ROOT_CAP_SYSTEM, t->space, c->slot, L4_RIGHT_RECV, 0);
			break;
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
	u->user[SYS_UTCB_ENTRY] = 0; /* l4e_task_start: run the heartbeat loop */
	u->user[SYS_UTCB_SELF] = SYS_SLOT_THREADS + d->nthreads;
	utcb_set_name(u, d->name);
	if (!err)
		err = l4_cap_mint(sup.fault_ep, 0, fault, L4_RIGHT_SEND,
				  SUP_FAULT_BADGE(idx, d->nthreads));
	if (!err)
		err = l4_thread_config(t->hb_thread, t->space, SYS_HEARTBEAT_UTCB, fault,
				       heartbeat_prio(d));
	if (!err)
		err = set_acct(t->hb_thread, idx);
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
			err = set_acct(t->threads[i], idx);
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

uint64_t sup_thread_cycles(l4_cap_t thread)
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
		t->past_cycles += sup_thread_cycles(t->threads[i]);
		l4_thread_ctl(t->threads[i], L4_THREAD_DESTROY, 0, 0);
		l4_cap_revoke(t->threads[i]);
		slot_free(t->threads[i]);
		t->threads[i] = 0;
	}
	if (t->hb_thread) {
		t->past_cycles += sup_thread_cycles(t->hb_thread);
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
void *sup_pool_va(unsigned i)
{
	return (void *)(SUP_WINDOW + sup.pool_off[i]);
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
