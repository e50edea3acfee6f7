/* SPDX-License-Identifier: BSD-2-Clause */
/* System-call dispatch: every capability and argument is checked, every error is a code. */
#include "syscall.h"
#include "config.h"
#include "irq.h"
#include "ipc.h"
#include "kdebug.h"
#include "object.h"
#include "printk.h"
#include "quota.h"
#include "space.h"
#include "thread.h"
#include "trace.h"
#include <arch/regs.h>
#include <plat/platform.h>
#include <uapi/l4/abi.h>

/* Through the kernel's alias of each page: only RAM the caller may read, never a device. */
static int sys_debug_write(uint32_t uptr, uint32_t len)
{
	uint32_t done, chunk;

	if (len > L4_DEBUG_WRITE_MAX)
		return -L4_EINVAL;
	for (done = 0; done < len; done += chunk) {
		if (!space_translate(current->space, uptr + done, false))
			return -L4_EFAULT;
		chunk = MIN(len - done, L4_PAGE_SIZE - ((uptr + done) & (L4_PAGE_SIZE - 1)));
	}
	for (done = 0; done < len; done += chunk) {
		chunk = MIN(len - done, L4_PAGE_SIZE - ((uptr + done) & (L4_PAGE_SIZE - 1)));
		console_write(space_translate(current->space, uptr + done, false), chunk);
	}
	return (int)len;
}

static int sys_debug_kstat(uint32_t which)
{
	kstats_fold();
	switch (which) {
	case L4_KSTAT_SYSCALLS:
		return (int)((kstats.syscalls + kstats.fastpath) & 0x7fffffff);
	case L4_KSTAT_IRQS:
		return (int)(kstats.irqs & 0x7fffffff);
	case L4_KSTAT_SWITCHES:
		return (int)(kstats_switches() & 0x7fffffff);
	default:
		return -L4_EINVAL;
	}
}

/* The destination table of a copy or mint: 0 names the caller's own space. */
static struct space *dest_space(uint32_t slot, int *err)
{
	struct cap *sc;

	if (slot == 0)
		return current->space;
	sc = cap_get(slot, L4_OBJ_SPACE, L4_RIGHT_CONTROL, err);
	return sc ? sc->obj : NULL;
}

static int sys_cap_copy(uint32_t *r, bool mint)
{
	struct cap *src = cap_lookup(current->space, r[0]);
	struct space *dst;
	int err;

	if (!src || src->type == L4_OBJ_NULL)
		return -L4_ECAP;
	dst = dest_space(r[1], &err);
	if (!dst)
		return err;
	return cap_copy(src, dst, r[2], r[3], r[4], mint);
}

static int sys_cap_op(uint32_t *r, uint32_t op)
{
	struct cap *c = cap_lookup(current->space, r[0]);

	if (!c || c->type == L4_OBJ_NULL)
		return -L4_ECAP;
	switch (op) {
	case L4_SYS_CAP_DELETE:
		cap_delete(c);
		return 0;
	case L4_SYS_CAP_REVOKE:
		cap_revoke(c);
		return 0;
	default: /* L4_SYS_CAP_INFO */
		r[1] = c->type;
		r[2] = c->rights & L4_RIGHTS_ALL;
		r[3] = c->badge;
		return 0;
	}
}

/* The pool each CREATE type takes from (quota.h). */
static const uint8_t create_kind[] = {
	[L4_OBJ_ENDPOINT] = Q_ENDPOINT,
	[L4_OBJ_NOTIFICATION] = Q_NOTIFICATION,
	[L4_OBJ_THREAD] = Q_THREAD,
	[L4_OBJ_SPACE] = Q_SPACE,
};

/* A new object of `type` charged to `q` (the charge is taken already); NULL: pool empty. */
static void *create_object(unsigned type, struct quota *q)
{
	struct endpoint *ep;
	struct notification *n;
	struct tcb *t;
	struct space *s;

	switch (type) {
	case L4_OBJ_ENDPOINT:
		ep = endpoint_alloc();
		if (ep)
			ep->quota = q;
		return ep;
	case L4_OBJ_NOTIFICATION:
		n = notification_alloc();
		if (n)
			n->quota = q;
		return n;
	case L4_OBJ_THREAD:
		t = thread_alloc("user");
		if (t) {
			t->quota = q;
			t->acct = current->acct; /* a task's own threads count with it */
		}
		return t;
	default:
		s = space_create();
		if (s)
			s->quota = q;
		return s;
	}
}

/* A new object charged to the kmem cap's quota (a new quota reserves its limits there). */
static int sys_create(const uint32_t *r)
{
	int err;
	struct cap *dst = cap_lookup(current->space, r[2]);
	struct cap *kc = cap_get(r[0], L4_OBJ_KMEM, L4_RIGHT_CONTROL, &err);
	uint32_t type = r[1];
	unsigned rights = L4_RIGHT_CONTROL | L4_RIGHT_GRANT;
	struct quota *q;
	void *obj;

	if (!kc)
		return err;
	if (!dst)
		return -L4_ECAP;
	if (dst->type != L4_OBJ_NULL)
		return -L4_EBUSY;
	q = kc->obj;
	if (type == L4_OBJ_KMEM) {
		obj = quota_create(q, r[3], r[4]);
		return obj ? cap_install_child(kc, r[2], type, rights, obj) : -L4_ENOMEM;
	}
	if (type < L4_OBJ_ENDPOINT || type > L4_OBJ_SPACE)
		return -L4_EINVAL;
	if (!quota_charge(q, create_kind[type]))
		return -L4_ENOMEM;
	obj = create_object(type, q);
	if (!obj) {
		quota_uncharge(q, create_kind[type]);
		return -L4_ENOMEM;
	}
	if (type == L4_OBJ_ENDPOINT || type == L4_OBJ_NOTIFICATION)
		rights = L4_RIGHT_SEND | L4_RIGHT_RECV | L4_RIGHT_GRANT;
	return cap_install_child(kc, r[2], type, rights, obj);
}

/* Map, unmap, protect: at most L4_MAP_MAX_UNITS pages or sections per call. */
static int sys_map(uint32_t *r)
{
	int err;
	struct cap *sc = cap_get(r[0], L4_OBJ_SPACE, L4_RIGHT_CONTROL, &err);
	struct cap *mc = sc ? cap_get(r[1], L4_OBJ_MEMORY, L4_RIGHT_MAP, &err) : NULL;
	uint32_t off = r[2], va = r[3], size = r[4], perm = r[5], done = 0, units = 0;
	unsigned perms;

	if (!mc)
		return err;
	if (!size || !IS_ALIGNED(off | va | size, L4_PAGE_SIZE) || perm & ~7u ||
	    !(perm & L4_PERM_R))
		return -L4_EINVAL;
	if (off > mc->badge || size > mc->badge - off)
		return -L4_ERANGE; /* outside the memory the cap grants */
	if (va >= L4_USER_TOP || size > L4_USER_TOP - va)
		return -L4_EINVAL;
	if ((perm & L4_PERM_W) && !(mc->rights & L4_RIGHT_WRITE))
		return -L4_EPERM;
	perms = SPACE_R | ((perm & L4_PERM_W) ? SPACE_W : 0) | ((perm & L4_PERM_X) ? SPACE_X : 0) |
		((mc->rights & CAP_F_DEVICE) ? SPACE_DEVICE : 0);
	while (done < size) {
		paddr_t pa = mc->base + off + done;
		bool sect = IS_ALIGNED(va + done, L4_SECTION_SIZE) &&
			    IS_ALIGNED(pa, L4_SECTION_SIZE) && size - done >= L4_SECTION_SIZE;

		if (++units > L4_MAP_MAX_UNITS)
			return -L4_ERANGE;
		err = sect ? space_map_section(sc->obj, va + done, pa, perms, mc)
			   : space_map_page(sc->obj, va + done, pa, perms, mc);
		if (err)
			return err;
		done += sect ? L4_SECTION_SIZE : L4_PAGE_SIZE;
	}
	return 0;
}

static int sys_unmap_protect(uint32_t *r, bool protect)
{
	int err;
	struct cap *sc = cap_get(r[0], L4_OBJ_SPACE, L4_RIGHT_CONTROL, &err);
	uint32_t va = r[1], size = r[2], perm = r[3], done = 0, units = 0;
	unsigned perms = 0;

	if (!sc)
		return err;
	if (!size || !IS_ALIGNED(va | size, L4_PAGE_SIZE) || va >= L4_USER_TOP ||
	    size > L4_USER_TOP - va)
		return -L4_EINVAL;
	if (protect) {
		if (perm & ~7u || !(perm & L4_PERM_R) || ((perm & L4_PERM_W) && (perm & L4_PERM_X)))
			return -L4_EINVAL;
		/* Protect only narrows: W needs the page writable already (checked per unit). */
		perms = SPACE_R | ((perm & L4_PERM_W) ? SPACE_W : 0) |
			((perm & L4_PERM_X) ? SPACE_X : 0);
	}
	if (size / L4_PAGE_SIZE > L4_MAP_MAX_UNITS && !IS_ALIGNED(va | size, L4_SECTION_SIZE))
		return -L4_ERANGE;
	while (done < size) {
		unsigned now = space_perms(sc->obj, va + done);

		if (++units > L4_MAP_MAX_UNITS)
			return -L4_ERANGE;
		/* W only where it was already; X never on device memory. */
		if (protect && (((perms & SPACE_W) && !(now & SPACE_W)) ||
				((perms & SPACE_X) && (now & SPACE_DEVICE))))
			return -L4_EPERM;
		done += space_unmap_one(sc->obj, va + done, protect, perms);
	}
	return 0;
}

static int sys_irq_get(uint32_t cslot, uint32_t irq, uint32_t dslot)
{
	int err;
	struct cap *dst = cap_lookup(current->space, dslot);
	struct cap *cc = cap_get(cslot, L4_OBJ_IRQ_CONTROL, L4_RIGHT_CONTROL, &err);

	if (!cc)
		return err;
	if (!dst)
		return -L4_ECAP;
	if (irq >= PLAT_IRQ_MAX || irq < 16)
		return -L4_EINVAL;
	if (irq == PLAT_IRQ_PTIMER || irq == PLAT_IRQ_UART)
		return -L4_EPERM; /* the kernel's own timer */
	if (irq_handlers[irq].in_use)
		return -L4_EBUSY;
	if (dst->type != L4_OBJ_NULL)
		return -L4_EBUSY;
	/* The cap's base is the line (the obj union): its reference counts on that handler. */
	KOBJ_CLAIM(&irq_handlers[irq], "interrupt line");
	irq_handlers[irq] =
		(struct irq_handler){.masked = true, .gen = irq_handlers[irq].gen, .in_use = true};
	return cap_install_child(cc, dslot, L4_OBJ_IRQ, L4_RIGHT_CONTROL | L4_RIGHT_GRANT,
				 (void *)(uintptr_t)irq);
}

static int sys_irq_set(uint32_t islot, uint32_t nslot)
{
	int err;
	struct cap *ic = cap_get(islot, L4_OBJ_IRQ, L4_RIGHT_CONTROL, &err);
	struct cap *nc = ic ? cap_get(nslot, L4_OBJ_NOTIFICATION, L4_RIGHT_SEND, &err) : NULL;
	struct irq_handler *h;

	if (!nc)
		return err;
	h = &irq_handlers[ic->base];
	/* The line holds a counted reference: the notification lives while it is attached. */
	if (!CONFIG_SELFTEST_STALE)
		((struct notification *)nc->obj)->refs++;
	if (h->ntfn)
		notification_put(h->ntfn);
	h->ntfn = nc->obj;
	KDEBUG_SET(h->ntfn_gen, h->ntfn);
	h->badge = nc->badge ? nc->badge : 1;
	h->masked = false;
	gic_enable(ic->base);
	return 0;
}

static int sys_irq_ack(uint32_t islot, uint32_t flags)
{
	int err;
	struct cap *ic = cap_get(islot, L4_OBJ_IRQ, L4_RIGHT_CONTROL, &err);
	struct irq_handler *h;

	if (!ic)
		return err;
	h = &irq_handlers[ic->base];
	if (!h->ntfn || (flags & ~(uint32_t)L4_IRQ_ACK_AT_IDLE))
		return -L4_EINVAL;
	if (flags & L4_IRQ_ACK_AT_IDLE) {
		gic_disable(ic->base); /* open only while idle, from now on */
		h->masked = false;
		irq_open_at_idle(ic->base);
		return 0;
	}
	irq_close_at_idle(ic->base);
	h->masked = false;
	gic_enable(ic->base);
	return 0;
}

/* A structure of whole words into the caller's UTCB (64-bit members need no alignment there). */
static int to_utcb(const void *src, unsigned bytes)
{
	uint32_t *utcb = thread_utcb(current);
	const uint32_t *w = src;
	unsigned i;

	if (!utcb)
		return -L4_EFAULT;
	for (i = 0; i < bytes / 4; i++)
		utcb[i] = w[i];
	return 0;
}

/* L4_SYSTEM_THREAD_ACCT: the accounting of the thread in `slot` (0: idle) into the UTCB. */
static int system_thread_acct(uint32_t slot)
{
	struct l4_thread_acct a;
	struct tcb *t = &idle_tcb;
	struct cap *c;
	int err;
	unsigned i;

	if (slot) {
		c = cap_get(slot, L4_OBJ_THREAD, 0, &err);
		if (!c)
			return err;
		t = c->obj; /* a destroyed thread keeps its counters while a cap names it */
	}
	_Static_assert(sizeof(a) <= L4_MSG_WORDS * 4, "fits the UTCB");
	a = (struct l4_thread_acct){.cycles = t->cycles, .kernel = t->kcycles, .id = t->id};
	if (t == current) { /* its open interval too: up to date for the caller */
		uint32_t now = arch_cycles();

		a.cycles += now - sched_hot.switch_stamp;
		if (CONFIG_ACCT_KERNEL)
			a.kernel += now - current->kentry;
	}
	for (i = 0; i < L4_WAKE_COUNT; i++)
		a.wakes[i] = t->wakes[i];
	return to_utcb(&a, sizeof(a));
}

static int sys_system(uint32_t *r)
{
	int err;
	uint32_t *utcb;

	/* Reading the groups' accounting is the one operation a lesser cap allows. */
	if (!cap_get(r[0], L4_OBJ_SYSTEM,
		     r[1] == L4_SYSTEM_ACCT_GROUPS ? L4_RIGHT_RECV : L4_RIGHT_CONTROL, &err))
		return err;
	switch (r[1]) {
	case L4_SYSTEM_OFF:
		printk("system off: status %d, requested by '%s'\n", (int)r[2], current->name);
		plat_poweroff((int)r[2]);
	case L4_SYSTEM_STATS: {
		struct l4_kstats ks;

		kstats_fold();
		ks = (struct l4_kstats){
			/* The fastpath counts only its messages: each is a system call too. */
			.syscalls = kstats.syscalls + kstats.fastpath,
			.ipc = kstats.ipc + kstats.fastpath,
			.fastpath = kstats.fastpath,
			.slowpath = kstats.ipc,
			.irqs = kstats.irqs,
			.switches = kstats_switches(),
			.idle_sleeps = kstats.idle_sleeps,
			.idle_cycles = sched_idle_cycles(),
			.waits = kstats.waits,
		};
		const uint32_t *src = (const uint32_t *)&ks;
		unsigned i;

		utcb = thread_utcb(current);
		if (!utcb)
			return -L4_EFAULT;
		for (i = 0; i < sizeof(ks) / 4; i++)
			utcb[i] = src[i];
		return 0;
	}
	case L4_SYSTEM_TRACE_READ:
		utcb = thread_utcb(current);
		if (!utcb)
			return -L4_EFAULT;
		r[1] = trace_read(r[2], (struct l4_trace_event *)utcb,
				  L4_MSG_WORDS * 4 / sizeof(struct l4_trace_event), &r[2], &r[3]);
		return 0;
	case L4_SYSTEM_THREAD_ACCT:
		return system_thread_acct(r[2]);
	case L4_SYSTEM_ACCT_GROUPS:
		_Static_assert(L4_ACCT_GROUPS + 1 <= L4_MSG_WORDS, "fits the UTCB");
		utcb = thread_utcb(current);
		if (!utcb)
			return -L4_EFAULT;
		sched_acct_groups(utcb);
		return 0;
	case L4_SYSTEM_SLEEP_STATS: {
		struct l4_sleep_stats ss;

		_Static_assert(sizeof(ss) <= L4_MSG_WORDS * 4, "fits the UTCB");
		sched_sleep_stats(&ss);
		return to_utcb(&ss, sizeof(ss));
	}
	case L4_SYSTEM_IRQ_WAKES:
		if (r[2] % 32 || r[2] >= L4_IRQ_LINES)
			return -L4_ERANGE;
		utcb = thread_utcb(current);
		if (!utcb)
			return -L4_EFAULT;
		sched_irq_wakes(r[2], utcb);
		return 0;
	case L4_SYSTEM_RESET_STATS:
		kstats = (struct kstats){0};
		sched_hot.fastpath = 0; /* not yet folded: it would come back */
		return 0;
	case L4_SYSTEM_POOLS: {
		struct l4_pools *p;

		utcb = thread_utcb(current);
		if (!utcb)
			return -L4_EFAULT;
		p = (struct l4_pools *)utcb;
		p->threads = thread_pool_free();
		space_pools_free(p);
		object_pools_free(p);
		return 0;
	}
	default:
		return -L4_EINVAL;
	}
}

/* The IPC system calls that reach the slowpath. */
static int sys_ipc(uint32_t *r, uint32_t nr)
{
	int err, ret;
	struct cap *c;

	switch (nr) {
	case L4_SYS_CALL:
	case L4_SYS_SEND:
	case L4_SYS_NBSEND:
		c = cap_get(r[0], L4_OBJ_ENDPOINT, L4_RIGHT_SEND, &err);
		if (!c)
			return err;
		return ipc_send(c, nr == L4_SYS_CALL, nr != L4_SYS_NBSEND);
	case L4_SYS_RECV:
	case L4_SYS_NBRECV:
		/*
		 * One reply right per thread: no endpoint receive while a reply is owed (a
		 * notification wait is fine). Reply-and-receive never owes one by then.
		 */
		if (unlikely(current->caller)) {
			c = cap_lookup(current->space, r[0]);
			if (c && c->type == L4_OBJ_ENDPOINT)
				return -L4_EBUSY;
		}
		return ipc_recv(r[0], nr == L4_SYS_RECV);
	case L4_SYS_REPLY:
		if ((r[1] & L4_TAG_LEN_MASK) > L4_MSG_WORDS)
			return -L4_ERANGE;
		return ipc_reply();
	default: /* L4_SYS_REPLY_RECV */
		if ((r[1] & L4_TAG_LEN_MASK) > L4_MSG_WORDS)
			return -L4_ERANGE;
		ipc_reply();
		ret = ipc_recv(r[0], true);
		return ret;
	}
}

void syscall_dispatch(struct arch_regs *regs)
{
	uint32_t *r = regs->r;
	int ret, err;
	struct cap *c;

	kstats.syscalls++;
	KDEBUG_CHECK(current->space, current->space_gen, "space of the running thread");
	switch (r[7]) {
	case L4_SYS_CALL:
	case L4_SYS_REPLY_RECV:
	case L4_SYS_SEND:
	case L4_SYS_NBSEND:
	case L4_SYS_RECV:
	case L4_SYS_NBRECV:
	case L4_SYS_REPLY:
		ret = sys_ipc(r, r[7]);
		break;
	case L4_SYS_YIELD:
		sched_yield();
		ret = 0;
		break;
	case L4_SYS_SIGNAL:
		c = cap_get(r[0], L4_OBJ_NOTIFICATION, L4_RIGHT_SEND, &err);
		ret = c ? ipc_signal(c, r[1]) : err;
		break;
	case L4_SYS_CAP_COPY:
	case L4_SYS_CAP_MINT:
		ret = sys_cap_copy(r, r[7] == L4_SYS_CAP_MINT);
		break;
	case L4_SYS_CAP_DELETE:
	case L4_SYS_CAP_REVOKE:
	case L4_SYS_CAP_INFO:
		ret = sys_cap_op(r, r[7]);
		break;
	case L4_SYS_CREATE:
		ret = sys_create(r);
		break;
	case L4_SYS_THREAD_CONFIG:
		ret = sys_thread_config(r[0], r[1], r[2], r[3], r[4]);
		break;
	case L4_SYS_THREAD_CTL:
		ret = sys_thread_ctl(r[0], r[1], r[2], r[3]);
		break;
	case L4_SYS_THREAD_REGS:
		ret = sys_thread_regs(r[0], r[1]);
		break;
	case L4_SYS_MAP:
		ret = sys_map(r);
		break;
	case L4_SYS_UNMAP:
	case L4_SYS_PROTECT:
		ret = sys_unmap_protect(r, r[7] == L4_SYS_PROTECT);
		break;
	case L4_SYS_IRQ_GET:
		ret = sys_irq_get(r[0], r[1], r[2]);
		break;
	case L4_SYS_IRQ_SET:
		ret = sys_irq_set(r[0], r[1]);
		break;
	case L4_SYS_CPU_BUSY:
		r[1] = sched_busy_cycles();
		ret = 0;
		break;
	case L4_SYS_IRQ_ACK:
		ret = sys_irq_ack(r[0], r[1]);
		break;
	case L4_SYS_SYSTEM:
		ret = sys_system(r);
		break;
	case L4_SYS_DEBUG_PUTC:
		console_putc((char)r[0]);
		ret = 0;
		break;
	case L4_SYS_DEBUG_WRITE:
		ret = sys_debug_write(r[0], r[1]);
		break;
	case L4_SYS_DEBUG_KSTAT:
		ret = sys_debug_kstat(r[0]);
		break;
	default:
		if (current->fault_ep) {
			fault_deliver(current, L4_FAULT_SYSCALL, r[7], 0);
			return;
		}
		ret = -L4_ENOSYS;
		break;
	}
	if (ret != SYSCALL_RET_NONE)
		r[0] = (uint32_t)ret;
}
