/* SPDX-License-Identifier: BSD-2-Clause */
/* Capability system calls: info, copy, mint, delete, revoke, create; every error path. */
#include "kthread.h"
#include "ktest.h"

KTEST(cap_info_root_slots)
{
	struct l4_ret r = l4_cap_info(L4_ROOT_CAP_RAM);

	KT_ASSERT_EQ(r.err, 0);
	KT_ASSERT_EQ(r.r1, L4_OBJ_MEMORY);
	KT_ASSERT_EQ(r.r2, L4_RIGHT_MAP | L4_RIGHT_WRITE | L4_RIGHT_GRANT);
	KT_ASSERT_EQ(l4_cap_info(L4_ROOT_CAP_SPACE).r1, L4_OBJ_SPACE);
	KT_ASSERT_EQ(l4_cap_info(L4_ROOT_CAP_THREAD).r1, L4_OBJ_THREAD);
	KT_ASSERT_EQ(l4_cap_info(L4_ROOT_CAP_KMEM).r1, L4_OBJ_KMEM);
	KT_ASSERT_EQ(l4_cap_info(L4_ROOT_CAP_SYSTEM).r1, L4_OBJ_SYSTEM);
	KT_ASSERT_EQ(l4_cap_info(L4_ROOT_CAP_IMAGE).r2, L4_RIGHT_MAP | L4_RIGHT_GRANT);
}

KTEST(cap_info_rejects_bad_slots)
{
	KT_ASSERT_EQ(l4_cap_info(0).err, -L4_ECAP);
	KT_ASSERT_EQ(l4_cap_info(L4_CAP_SLOTS).err, -L4_ECAP);
	KT_ASSERT_EQ(l4_cap_info(0xffffffffu).err, -L4_ECAP);
	KT_ASSERT_EQ(l4_cap_info(L4_CAP_SLOTS - 1).err, -L4_ECAP); /* empty */
}

KTEST(cap_create_each_type)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT), n = kt_create(L4_OBJ_NOTIFICATION);
	l4_cap_t th = kt_create(L4_OBJ_THREAD), sp = kt_create(L4_OBJ_SPACE);

	KT_ASSERT(ep && n && th && sp);
	KT_ASSERT_EQ(l4_cap_info(ep).r1, L4_OBJ_ENDPOINT);
	KT_ASSERT_EQ(l4_cap_info(ep).r2, L4_RIGHT_SEND | L4_RIGHT_RECV | L4_RIGHT_GRANT);
	KT_ASSERT_EQ(l4_cap_info(n).r1, L4_OBJ_NOTIFICATION);
	KT_ASSERT_EQ(l4_cap_info(th).r1, L4_OBJ_THREAD);
	KT_ASSERT_EQ(l4_cap_info(sp).r1, L4_OBJ_SPACE);
	KT_ASSERT_EQ(l4_cap_delete(ep) | l4_cap_delete(n) | l4_cap_delete(th) | l4_cap_delete(sp),
		     0);
	KT_ASSERT_EQ(l4_cap_info(ep).err, -L4_ECAP);
	kt_slot_free(ep), kt_slot_free(n), kt_slot_free(th), kt_slot_free(sp);
}

KTEST(cap_create_error_paths)
{
	l4_cap_t s = kt_slot_alloc();

	KT_ASSERT_EQ(l4_create(L4_ROOT_CAP_RAM, L4_OBJ_ENDPOINT, s), -L4_ETYPE);
	KT_ASSERT_EQ(l4_create(0, L4_OBJ_ENDPOINT, s), -L4_ECAP);
	KT_ASSERT_EQ(l4_create(L4_ROOT_CAP_KMEM, L4_OBJ_MEMORY, s), -L4_EINVAL);
	KT_ASSERT_EQ(l4_create(L4_ROOT_CAP_KMEM, 99, s), -L4_EINVAL);
	KT_ASSERT_EQ(l4_create(L4_ROOT_CAP_KMEM, L4_OBJ_ENDPOINT, L4_ROOT_CAP_RAM), -L4_EBUSY);
	KT_ASSERT_EQ(l4_create(L4_ROOT_CAP_KMEM, L4_OBJ_ENDPOINT, L4_CAP_SLOTS), -L4_ECAP);
	kt_slot_free(s);
}

KTEST(cap_create_exhausts_pool_then_recovers)
{
	static l4_cap_t made[80];
	unsigned n = 0, i;
	int err = 0;

	while (n < 80) {
		made[n] = kt_slot_alloc();
		err = l4_create(L4_ROOT_CAP_KMEM, L4_OBJ_NOTIFICATION, made[n]);
		if (err)
			break;
		n++;
	}
	KT_ASSERT_EQ(err, -L4_ENOMEM);
	KT_ASSERT(n >= 32 && n <= 64);
	for (i = 0; i <= n; i++) {
		l4_cap_delete(made[i]);
		kt_slot_free(made[i]);
	}
	made[0] = kt_create(L4_OBJ_NOTIFICATION);
	KT_ASSERT(made[0] != 0);
	l4_cap_delete(made[0]);
	kt_slot_free(made[0]);
}

KTEST(cap_mint_reduces_rights_and_sets_badge)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT), m = kt_slot_alloc(), m2 = kt_slot_alloc();
	struct l4_ret r;

	KT_ASSERT_EQ(l4_cap_mint(ep, 0, m, L4_RIGHT_SEND, 0x1234), 0);
	r = l4_cap_info(m);
	KT_ASSERT_EQ(r.r2, L4_RIGHT_SEND);
	KT_ASSERT_EQ(r.r3, 0x1234);
	/* Rights never grow, a badge is never changed. */
	KT_ASSERT_EQ(l4_cap_mint(m, 0, m2, L4_RIGHTS_ALL, 0x1234), 0);
	KT_ASSERT_EQ(l4_cap_info(m2).r2, L4_RIGHT_SEND);
	l4_cap_delete(m2);
	KT_ASSERT_EQ(l4_cap_mint(m, 0, m2, L4_RIGHT_SEND, 0x9999), -L4_EINVAL);
	KT_ASSERT_EQ(l4_cap_info(m2).err, -L4_ECAP);
	KT_ASSERT_EQ(l4_cap_mint(ep, 0, m, L4_RIGHT_SEND, 1), -L4_EBUSY);
	KT_ASSERT_EQ(l4_cap_mint(0, 0, m2, L4_RIGHT_SEND, 1), -L4_ECAP);
	KT_ASSERT_EQ(l4_cap_mint(ep, L4_ROOT_CAP_RAM, m2, L4_RIGHT_SEND, 1), -L4_ETYPE);
	l4_cap_revoke(ep);
	l4_cap_delete(ep);
	kt_slot_free(ep), kt_slot_free(m), kt_slot_free(m2);
}

KTEST(cap_copy_to_other_space_needs_grant)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT), sp = kt_create(L4_OBJ_SPACE);
	l4_cap_t nogrant = kt_slot_alloc();

	KT_ASSERT_EQ(l4_cap_copy(ep, sp, 20), 0);
	KT_ASSERT_EQ(l4_cap_copy(ep, sp, 20), -L4_EBUSY);
	KT_ASSERT_EQ(l4_cap_copy(ep, sp, L4_CAP_SLOTS), -L4_ECAP);
	KT_ASSERT_EQ(l4_cap_mint(ep, 0, nogrant, L4_RIGHT_SEND, 0), 0);
	KT_ASSERT_EQ(l4_cap_copy(nogrant, sp, 21), -L4_EPERM);
	KT_ASSERT_EQ(l4_cap_copy(nogrant, 0, kt_slot_alloc()), 0); /* own table: allowed */
	l4_cap_revoke(ep);
	l4_cap_delete(ep);
	l4_cap_delete(sp);
	kt_slot_free(ep), kt_slot_free(sp), kt_slot_free(nogrant);
}

KTEST(cap_revoke_deletes_every_derived_cap)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	l4_cap_t a = kt_slot_alloc(), b = kt_slot_alloc(), c = kt_slot_alloc(), d = kt_slot_alloc();

	KT_ASSERT_EQ(l4_cap_mint(ep, 0, a, L4_RIGHT_SEND | L4_RIGHT_GRANT, 7), 0);
	KT_ASSERT_EQ(l4_cap_copy(a, 0, b), 0);
	KT_ASSERT_EQ(l4_cap_copy(b, 0, c), 0);
	KT_ASSERT_EQ(l4_cap_copy(ep, 0, d), 0);
	/* Deleting a middle cap keeps its children revocable from above. */
	KT_ASSERT_EQ(l4_cap_delete(b), 0);
	KT_ASSERT_EQ(l4_cap_info(c).r1, L4_OBJ_ENDPOINT);
	KT_ASSERT_EQ(l4_cap_revoke(a), 0);
	KT_ASSERT_EQ(l4_cap_info(c).err, -L4_ECAP);
	KT_ASSERT_EQ(l4_cap_info(a).r1, L4_OBJ_ENDPOINT);
	KT_ASSERT_EQ(l4_cap_copy(a, 0, b), 0);
	KT_ASSERT_EQ(l4_cap_revoke(ep), 0);
	KT_ASSERT_EQ(l4_cap_info(a).err, -L4_ECAP);
	KT_ASSERT_EQ(l4_cap_info(b).err, -L4_ECAP);
	KT_ASSERT_EQ(l4_cap_info(d).err, -L4_ECAP);
	KT_ASSERT_EQ(l4_cap_info(ep).r1, L4_OBJ_ENDPOINT);
	KT_ASSERT_EQ(l4_cap_revoke(0), -L4_ECAP);
	KT_ASSERT_EQ(l4_cap_delete(L4_CAP_SLOTS), -L4_ECAP);
	l4_cap_delete(ep);
	kt_slot_free(ep), kt_slot_free(a), kt_slot_free(b), kt_slot_free(c), kt_slot_free(d);
}

KTEST(cap_no_ambient_authority)
{
	l4_cap_t kmem = kt_slot_alloc(), s = kt_slot_alloc(), sys = kt_slot_alloc();

	/* A kmem cap without CONTROL creates nothing; a system cap without it reads nothing. */
	KT_ASSERT_EQ(l4_cap_mint(L4_ROOT_CAP_KMEM, 0, kmem, L4_RIGHT_GRANT, 0), 0);
	KT_ASSERT_EQ(l4_create(kmem, L4_OBJ_ENDPOINT, s), -L4_EPERM);
	KT_ASSERT_EQ(l4_cap_mint(L4_ROOT_CAP_SYSTEM, 0, sys, L4_RIGHT_GRANT, 0), 0);
	KT_ASSERT_EQ(l4_system(sys, L4_SYSTEM_STATS, 0), -L4_EPERM);
	KT_ASSERT_EQ(l4_system(L4_ROOT_CAP_RAM, L4_SYSTEM_STATS, 0), -L4_ETYPE);
	KT_ASSERT_EQ(l4_system(L4_ROOT_CAP_SYSTEM, 77, 0), -L4_EINVAL);
	l4_cap_delete(kmem);
	l4_cap_delete(sys);
	kt_slot_free(kmem), kt_slot_free(s), kt_slot_free(sys);
}

/*
 * Issue 11, finding 4: a thread lives while a cap names it, a space while a cap outside
 * its own table names it. Before, deleting the last cap to a thread that was never
 * destroyed kept its TCB, and the thread's reference kept its space and its caps.
 */
KTEST(cap_delete_of_the_last_thread_and_space_caps_frees_both)
{
	unsigned threads = kt_pool_free(L4_OBJ_THREAD), spaces = kt_pool_free(L4_OBJ_SPACE);
	l4_cap_t t = kt_create(L4_OBJ_THREAD), s = kt_create(L4_OBJ_SPACE);

	KT_ASSERT_EQ(l4_thread_config(t, s, 0, 0, 10), 0);
	KT_ASSERT_EQ(l4_cap_delete(t), 0);
	KT_ASSERT_EQ(l4_cap_delete(s), 0);
	KT_ASSERT_EQ(kt_pool_free(L4_OBJ_THREAD), threads);
	KT_ASSERT_EQ(kt_pool_free(L4_OBJ_SPACE), spaces);
	kt_slot_free(t), kt_slot_free(s);
}

static volatile uint32_t spins;

static void spinner(uint32_t n)
{
	while (n--)
		spins++;
}

/* A started thread whose last cap goes is destroyed: it never runs. */
KTEST(cap_delete_of_the_last_cap_of_a_started_thread_stops_it)
{
	unsigned threads = kt_pool_free(L4_OBJ_THREAD);
	struct kt_thread t;

	spins = 0;
	KT_ASSERT_EQ(kt_thread_start(&t, spinner, 1000, 10, 0, false), 0);
	KT_ASSERT_EQ(l4_cap_delete(t.cap), 0);
	kt_let_others_run();
	KT_ASSERT_EQ(spins, 0);
	KT_ASSERT_EQ(kt_pool_free(L4_OBJ_THREAD), threads);
	kt_slot_free(t.cap);
}

/* Destroying a space stops every thread in it; their caps then name dead threads. */
KTEST(cap_delete_of_the_last_space_cap_destroys_its_threads)
{
	unsigned spaces = kt_pool_free(L4_OBJ_SPACE);
	struct kt_thread t;
	uint64_t cycles;

	KT_ASSERT_EQ(kt_thread_start(&t, (kt_fn)kt_spin, 100000, 10, 0, true), 0);
	KT_ASSERT_EQ(l4_cap_delete(t.space), 0);
	KT_ASSERT_EQ(l4_thread_cycles(t.cap, &cycles), -L4_EDEAD);
	KT_ASSERT_EQ(l4_thread_ctl(t.cap, L4_THREAD_RESUME, 0, 0), -L4_EDEAD);
	KT_ASSERT_EQ(l4_thread_config(t.cap, L4_ROOT_CAP_SPACE, 0, 0, 10), -L4_EDEAD);
	KT_ASSERT_EQ(kt_pool_free(L4_OBJ_SPACE), spaces);
	KT_ASSERT_EQ(l4_cap_delete(t.cap), 0);
	kt_slot_free(t.cap), kt_slot_free(t.space);
}

/*
 * A space whose own table names it and the thread in it: once the caps outside are
 * gone, nothing can reach them, and both are freed.
 */
KTEST(cap_delete_frees_a_space_and_thread_that_name_each_other)
{
	unsigned threads = kt_pool_free(L4_OBJ_THREAD), spaces = kt_pool_free(L4_OBJ_SPACE);
	struct kt_thread t;

	/* kt gives the thread its own cap (slot 2); add its space's cap too. */
	KT_ASSERT_EQ(kt_thread_start(&t, (kt_fn)kt_spin, 100000, 10, 0, true), 0);
	KT_ASSERT_EQ(l4_cap_copy(t.space, t.space, 3), 0);
	KT_ASSERT_EQ(l4_cap_delete(t.cap), 0);
	KT_ASSERT_EQ(l4_cap_delete(t.space), 0);
	KT_ASSERT_EQ(kt_pool_free(L4_OBJ_THREAD), threads);
	KT_ASSERT_EQ(kt_pool_free(L4_OBJ_SPACE), spaces);
	kt_slot_free(t.cap), kt_slot_free(t.space);
}

KTEST(sys_system_pools_counts_free_objects)
{
	struct l4_pools a, b;
	l4_cap_t ep, n, th, sp, sys = kt_slot_alloc();

	KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_SYSTEM, &a), 0);
	KT_ASSERT_EQ(a.threads, kt_pool_free(L4_OBJ_THREAD));
	KT_ASSERT_EQ(a.spaces, kt_pool_free(L4_OBJ_SPACE));
	KT_ASSERT_EQ(a.endpoints, kt_pool_free(L4_OBJ_ENDPOINT));
	KT_ASSERT_EQ(a.notifications, kt_pool_free(L4_OBJ_NOTIFICATION));
	ep = kt_create(L4_OBJ_ENDPOINT), n = kt_create(L4_OBJ_NOTIFICATION);
	th = kt_create(L4_OBJ_THREAD), sp = kt_create(L4_OBJ_SPACE);
	KT_ASSERT_EQ(l4_map(sp, L4_ROOT_CAP_RAM, 0, 0x10000000u, 4096, L4_PERM_R), 0);
	KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_SYSTEM, &b), 0);
	KT_ASSERT_EQ(b.threads + 1, a.threads);
	KT_ASSERT_EQ(b.spaces + 1, a.spaces);
	KT_ASSERT_EQ(b.endpoints + 1, a.endpoints);
	KT_ASSERT_EQ(b.notifications + 1, a.notifications);
	KT_ASSERT_EQ(b.l2_tables + 1, a.l2_tables);
	l4_cap_delete(ep), l4_cap_delete(n), l4_cap_delete(th), l4_cap_delete(sp);
	KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_SYSTEM, &b), 0);
	KT_ASSERT_EQ(b.threads, a.threads);
	KT_ASSERT_EQ(b.spaces, a.spaces);
	KT_ASSERT_EQ(b.l2_tables, a.l2_tables);
	KT_ASSERT_EQ(b.kmem, a.kmem);
	/* Error paths: the system cap with CONTROL, nothing else. */
	KT_ASSERT_EQ(l4_cap_mint(L4_ROOT_CAP_SYSTEM, 0, sys, L4_RIGHT_GRANT, 0), 0);
	KT_ASSERT_EQ(l4_pools(sys, &b), -L4_EPERM);
	KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_KMEM, &b), -L4_ETYPE);
	KT_ASSERT_EQ(l4_pools(0, &b), -L4_ECAP);
	l4_cap_delete(sys);
	kt_slot_free(ep), kt_slot_free(n), kt_slot_free(th), kt_slot_free(sp), kt_slot_free(sys);
}

/*
 * What CREATE makes is a child of the kmem cap used: revoking that cap deletes every
 * cap made from it and so destroys every object only those caps named, even spaces
 * whose tables name each other (which no delete from outside can free).
 */
KTEST(cap_revoke_of_a_kmem_cap_destroys_what_was_made_from_it)
{
	struct l4_pools before, after;
	l4_cap_t k = kt_slot_alloc(), x = kt_slot_alloc(), y = kt_slot_alloc();
	l4_cap_t t = kt_slot_alloc(), ep = kt_slot_alloc(), keep = kt_slot_alloc();

	KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_SYSTEM, &before), 0);
	KT_ASSERT_EQ(l4_cap_copy(L4_ROOT_CAP_KMEM, 0, k), 0);
	KT_ASSERT_EQ(l4_create(k, L4_OBJ_SPACE, x), 0);
	KT_ASSERT_EQ(l4_create(k, L4_OBJ_SPACE, y), 0);
	KT_ASSERT_EQ(l4_create(k, L4_OBJ_THREAD, t), 0);
	KT_ASSERT_EQ(l4_create(k, L4_OBJ_ENDPOINT, ep), 0);
	KT_ASSERT_EQ(l4_cap_copy(x, y, 5), 0); /* x and y name each other */
	KT_ASSERT_EQ(l4_cap_copy(y, x, 5), 0);
	KT_ASSERT_EQ(l4_cap_copy(ep, x, 6), 0);
	KT_ASSERT_EQ(l4_thread_config(t, x, 0, 0, 10), 0);
	KT_ASSERT_EQ(l4_map(x, L4_ROOT_CAP_RAM, 0, 0x10000000u, 4096, L4_PERM_R), 0);
	KT_ASSERT_EQ(l4_cap_copy(t, y, 7), 0);
	KT_ASSERT_EQ(l4_cap_delete(x), 0);
	KT_ASSERT_EQ(l4_cap_delete(y), 0);
	KT_ASSERT_EQ(l4_cap_copy(ep, 0, keep), 0);
	KT_ASSERT_EQ(l4_cap_revoke(k), 0);
	KT_ASSERT_EQ(l4_cap_info(t).err, -L4_ECAP);
	KT_ASSERT_EQ(l4_cap_info(keep).err, -L4_ECAP); /* a copy is made from it too */
	KT_ASSERT_EQ(l4_cap_info(k).r1, L4_OBJ_KMEM);
	KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_SYSTEM, &after), 0);
	KT_ASSERT_EQ(after.spaces, before.spaces);
	KT_ASSERT_EQ(after.threads, before.threads);
	KT_ASSERT_EQ(after.endpoints, before.endpoints);
	KT_ASSERT_EQ(after.l2_tables, before.l2_tables);
	l4_cap_delete(k);
	kt_slot_free(k), kt_slot_free(x), kt_slot_free(y), kt_slot_free(t), kt_slot_free(ep);
	kt_slot_free(keep);
}

/* The same for interrupt lines: revoking an irq-control cap releases every line it claimed. */
KTEST(cap_revoke_of_an_irq_control_cap_releases_its_lines)
{
	l4_cap_t c = kt_slot_alloc(), irq = kt_slot_alloc(), again = kt_slot_alloc();

	KT_ASSERT_EQ(l4_cap_copy(L4_ROOT_CAP_IRQ_CONTROL, 0, c), 0);
	KT_ASSERT_EQ(l4_irq_get(c, 40, irq), 0);
	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, 40, again), -L4_EBUSY);
	KT_ASSERT_EQ(l4_cap_revoke(c), 0);
	KT_ASSERT_EQ(l4_cap_info(irq).err, -L4_ECAP);
	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, 40, again), 0);
	l4_cap_delete(again), l4_cap_delete(c);
	kt_slot_free(c), kt_slot_free(irq), kt_slot_free(again);
}

/*
 * A kmem quota: what may be made through a kmem cap, per pool, reserved in its parent
 * when it is made. A task with one cannot take more, and cannot take what others hold.
 */
KTEST(sys_create_kmem_quota_limits_every_pool)
{
	struct l4_pools before, after;
	l4_cap_t q = kt_slot_alloc(), sub = kt_slot_alloc(), s = kt_slot_alloc();
	l4_cap_t made[6];
	unsigned i;

	for (i = 0; i < 6; i++)
		made[i] = kt_slot_alloc();
	KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_SYSTEM, &before), 0);
	KT_ASSERT_EQ(l4_create_kmem(L4_ROOT_CAP_KMEM, q, 2, 1, 1, 0, 1, 1), 0);
	KT_ASSERT_EQ(l4_cap_info(q).r1, L4_OBJ_KMEM);
	KT_ASSERT_EQ(l4_create(q, L4_OBJ_THREAD, made[0]), 0);
	KT_ASSERT_EQ(l4_create(q, L4_OBJ_THREAD, made[1]), 0);
	KT_ASSERT_EQ(l4_create(q, L4_OBJ_THREAD, made[2]), -L4_ENOMEM);
	KT_ASSERT_EQ(l4_create(q, L4_OBJ_NOTIFICATION, made[2]), -L4_ENOMEM);
	KT_ASSERT_EQ(l4_create(q, L4_OBJ_ENDPOINT, made[2]), 0);
	KT_ASSERT_EQ(l4_create(q, L4_OBJ_SPACE, made[3]), 0);
	/* One page table for the space made through q; a second MiB needs another. */
	KT_ASSERT_EQ(l4_map(made[3], L4_ROOT_CAP_RAM, 0, 0x10000000u, 4096, L4_PERM_R), 0);
	KT_ASSERT_EQ(l4_map(made[3], L4_ROOT_CAP_RAM, 0, 0x10001000u, 4096, L4_PERM_R), 0);
	KT_ASSERT_EQ(l4_map(made[3], L4_ROOT_CAP_RAM, 0, 0x10100000u, 4096, L4_PERM_R), -L4_ENOMEM);
	/* A quota inside q: it reserves from q, and q may make only one. */
	KT_ASSERT_EQ(l4_create_kmem(q, sub, 1, 0, 0, 0, 0, 0), -L4_ENOMEM); /* threads used */
	KT_ASSERT_EQ(l4_cap_delete(made[1]), 0);
	KT_ASSERT_EQ(l4_create_kmem(q, sub, 1, 0, 0, 0, 0, 0), 0);
	KT_ASSERT_EQ(l4_create(q, L4_OBJ_THREAD, made[1]), -L4_ENOMEM); /* reserved for sub */
	KT_ASSERT_EQ(l4_create(sub, L4_OBJ_THREAD, made[1]), 0);
	KT_ASSERT_EQ(l4_create_kmem(q, made[4], 0, 0, 0, 0, 0, 0), -L4_ENOMEM);
	/* More than the root has left cannot be reserved at all. */
	KT_ASSERT_EQ(l4_create_kmem(L4_ROOT_CAP_KMEM, made[4], 255, 0, 0, 0, 0, 0), -L4_ENOMEM);
	/* What the root reserved for q is no longer the root's to make. */
	KT_ASSERT_EQ(l4_create_kmem(L4_ROOT_CAP_KMEM, made[4], before.threads - 1, 0, 0, 0, 0, 0),
		     -L4_ENOMEM);
	KT_ASSERT_EQ(l4_create(L4_ROOT_CAP_KMEM, 99, made[4]), -L4_EINVAL);
	KT_ASSERT_EQ(l4_create(made[2], L4_OBJ_KMEM, made[4]), -L4_ETYPE);
	/* Revoking q takes back everything, the quotas too. */
	KT_ASSERT_EQ(l4_cap_revoke(q), 0);
	KT_ASSERT_EQ(l4_cap_delete(q), 0);
	KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_SYSTEM, &after), 0);
	KT_ASSERT_EQ(after.threads, before.threads);
	KT_ASSERT_EQ(after.spaces, before.spaces);
	KT_ASSERT_EQ(after.endpoints, before.endpoints);
	KT_ASSERT_EQ(after.l2_tables, before.l2_tables);
	KT_ASSERT_EQ(after.kmem, before.kmem);
	KT_ASSERT_EQ(l4_create_kmem(L4_ROOT_CAP_KMEM, q, before.threads, 0, 0, 0, 0, 0), 0);
	l4_cap_delete(q);
	for (i = 0; i < 6; i++)
		kt_slot_free(made[i]);
	kt_slot_free(q), kt_slot_free(sub), kt_slot_free(s);
}

static volatile uint32_t after_own_delete;

static void delete_own_cap(uint32_t slot)
{
	after_own_delete = (uint32_t)l4_cap_delete(slot) + 1; /* never runs: it is destroyed */
}

/* A thread that deletes the last cap to itself ends there; its TCB is freed after it. */
KTEST(cap_delete_of_its_own_last_cap_ends_the_running_thread)
{
	struct l4_pools before, after;
	struct kt_thread t;

	after_own_delete = 0;
	KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_SYSTEM, &before), 0);
	KT_ASSERT_EQ(kt_thread_start(&t, delete_own_cap, 0, 10, 0, false), 0);
	t.utcb->user[1] = t.cap; /* its argument: its own (and only) cap */
	kt_let_others_run();
	KT_ASSERT_EQ(after_own_delete, 0);
	KT_ASSERT_EQ(l4_cap_info(t.cap).err, -L4_ECAP);
	KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_SYSTEM, &after), 0);
	KT_ASSERT_EQ(after.threads, before.threads);
	kt_slot_free(t.cap);
}
