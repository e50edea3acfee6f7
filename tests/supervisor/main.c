/* SPDX-License-Identifier: BSD-2-Clause */
/* The supervisor on a hand-written system: boot, service, fault containment, restart, isolation. */
#include "kthread.h"
#include "ktest.h"

#include "../../tasks/supervisor/supervisor.h"

#include <l4e/dma.h>
#include <l4e/task.h>

#include <string.h>

#define LABEL_ECHO	  1
#define LABEL_BAD_POINTER 2
#define LABEL_UNDEF	  3
#define LABEL_LOOP	  4
#define TICK_MS		  5
#define SLOT_A		  24 /* first generated slot (SYS_SLOT_FIRST_GEN) */
#define SLOT_B		  25
#define ROUNDS		  50
#define DMA_VA		  0x60000000u
#define DMA_SIZE	  0x2000u
#define LABEL_DMA	  9
#define KEEP_VA		  0x61000000u
#define KEEP_SIZE	  0x1000u

extern char __data_start[], __bss_end[];

/* Task code: runs in the tasks' own spaces, on their copies of this image's data. */
static void echo_server(uint32_t ep)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;

	l4_recv(ep, &tag, mr, &badge);
	for (;;) {
		if (l4_tag_label(tag) == LABEL_BAD_POINTER)
			*(volatile uint32_t *)0x1234 = 1;
		if (l4_tag_label(tag) == LABEL_UNDEF)
			__asm__ volatile(".word 0xe7f000f2");
		mr[0] += 1;
		mr[1] = badge;
		tag = l4_tag(0, 0, 2);
		l4_reply_recv(ep, &tag, mr, &badge);
	}
}

static void client_main(uint32_t arg)
{
	l4_word_t mr[L4_MSG_REGS] = {0};
	uint32_t ok = 0, i;

	(void)arg;
	for (i = 0; i < ROUNDS; i++) {
		l4_tag_t tag = l4_tag(LABEL_ECHO, 0, 1);

		mr[0] = i;
		if (l4_call(SLOT_A, &tag, mr) == 0 && mr[0] == i + 1 && mr[1] == 2)
			ok++;
	}
	mr[0] = ok;
	l4_send(SLOT_B, l4_tag(7, 0, 1), mr);
}

/* Calls every slot it was not given: each must fail without reaching anyone. */
static void prober_main(uint32_t arg)
{
	l4_word_t mr[L4_MSG_REGS] = {0};
	uint32_t tried = 0, reached = 0, s;

	(void)arg;
	for (s = 0; s < L4_CAP_SLOTS + 4; s++) {
		l4_tag_t tag = l4_tag(LABEL_ECHO, 0, 1);
		int err;

		if (s == SLOT_A || s == SYS_SLOT_SUPER)
			continue; /* declared: its report endpoint; the supervisor's own */
		tried++;
		err = l4_nbsend(s, tag, mr);
		if (err != -L4_ECAP && err != -L4_ETYPE && err != -L4_EPERM)
			reached++;
	}
	mr[0] = tried;
	mr[1] = reached;
	l4_send(SLOT_A, l4_tag(8, 0, 2), mr);
}

/* Stands in for the timer service: a watchdog tick every TICK_MS from the virtual timer. */
static void ticker_main(uint32_t ticks_per_ms)
{
	uint32_t bits;

	for (;;) {
		__asm__ volatile("mcr p15, 0, %0, c14, c3, 0" : : "r"(ticks_per_ms * TICK_MS));
		__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(1));
		l4_wait(SYS_SLOT_NTFN, &bits);
		__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(2));
		l4_irq_ack(SLOT_A);
		l4_signal(SYS_SLOT_CLIENT_NTFN + SYS_BADGE_SUPERVISOR, 0);
	}
}

/* Answers calls, and on LABEL_LOOP never again: only its watchdog can end that. */
static void spin_server(uint32_t ep)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;

	l4_recv(ep, &tag, mr, &badge);
	for (;;) {
		while (l4_tag_label(tag) == LABEL_LOOP)
			__asm__ volatile("" ::: "memory");
		mr[0] += 1;
		tag = l4_tag(0, 0, 1);
		l4_reply_recv(ep, &tag, mr, &badge);
	}
}

/*
 * A DMA pool's driver: reports the header it finds (l4e_dma_get's result, the
 * physical address, its incarnation) and the word in its keep pool; the first
 * instance then scribbles over the header, changes the kept word and faults, so
 * the restarted one shows the supervisor rewrote the one and kept the other.
 */
static void dma_main(uint32_t arg)
{
	const struct l4e_dma_hdr *h = (const void *)DMA_VA;
	struct l4e_dma d;
	l4_word_t mr[L4_MSG_REGS] = {0};

	(void)arg;
	mr[0] = (l4_word_t)l4e_dma_get((void *)DMA_VA, DMA_SIZE, &d);
	mr[1] = h->paddr;
	mr[2] = l4e_incarnation();
	mr[3] = *(volatile uint32_t *)KEEP_VA;
	l4_send(SLOT_A, l4_tag(LABEL_DMA, 0, 4), mr);
	if (l4e_incarnation() == 0) {
		*(volatile uint32_t *)KEEP_VA = 0x4b454550u;
		*(volatile uint32_t *)DMA_VA = 0;
		*(volatile uint32_t *)0x1234 = 1;
	}
}

static struct sys_seg segs[2];
static struct sys_module module = {.nsegs = 2, .segs = segs};

#define THREAD(nm, fn, a, k)                                                                \
	{                                                                                   \
		.name = nm, .entry = (uint32_t)(fn), .arg = (a), .stack_size = 8192,        \
		.stack_top = 0x70000000u - (k)*0x10000u, .utcb = 0x70100000u + (k)*0x1000u, \
		.prio = 100                                                                 \
	}

static const struct sys_thread echo_threads[] = {THREAD("srv0", echo_server, SLOT_A, 0),
						 THREAD("srv1", echo_server, SLOT_A, 1)};
static const struct sys_thread client_threads[] = {THREAD("main", client_main, 0, 0)};
static const struct sys_thread prober_threads[] = {THREAD("main", prober_main, 0, 0)};
static const struct sys_thread ticker_threads[] = {THREAD("tick", ticker_main, 62500, 0)};
static const struct sys_thread spin_threads[] = {THREAD("srv", spin_server, SLOT_A, 0)};
static const struct sys_thread dma_threads[] = {THREAD("main", dma_main, 0, 0)};
static const struct sys_cap echo_caps[] = {{.kind = SYS_CAP_SERVER, .slot = SLOT_A, .object = 0}};
static const struct sys_cap client_caps[] = {
	{.kind = SYS_CAP_CLIENT, .slot = SLOT_A, .object = 0, .badge = 2},
	{.kind = SYS_CAP_CLIENT, .slot = SLOT_B, .object = 1, .badge = 2}};
static const struct sys_cap prober_caps[] = {
	{.kind = SYS_CAP_CLIENT, .slot = SLOT_A, .object = 1, .badge = 3}};
static const struct sys_cap ticker_caps[] = {
	{.kind = SYS_CAP_IRQ, .slot = SLOT_A, .object = 27, .badge = 0x4},
	{.kind = SYS_CAP_SERVER, .slot = SLOT_B, .object = 2}};
static const struct sys_cap spin_caps[] = {{.kind = SYS_CAP_SERVER, .slot = SLOT_A, .object = 3}};
static const struct sys_cap dma_caps[] = {
	{.kind = SYS_CAP_CLIENT, .slot = SLOT_A, .object = 4, .badge = 5},
	{.kind = SYS_CAP_POOL, .object = 0, .rights = 3},
	{.kind = SYS_CAP_POOL, .object = 1, .rights = 3}};

static const struct sys_task tasks[] = {
	{.name = "echo",
	 .module = &module,
	 .mcp = 100,
	 .restart = SYS_RESTART_TASK,
	 .restart_max = 2,
	 .restart_window_ms = 60000,
	 .nthreads = 2,
	 .threads = echo_threads,
	 .ncaps = 1,
	 .caps = echo_caps},
	{.name = "client",
	 .module = &module,
	 .mcp = 100,
	 .nthreads = 1,
	 .threads = client_threads,
	 .ncaps = 2,
	 .caps = client_caps},
	{.name = "prober",
	 .module = &module,
	 .mcp = 100,
	 .nthreads = 1,
	 .threads = prober_threads,
	 .ncaps = 1,
	 .caps = prober_caps},
	{.name = "ticker",
	 .module = &module,
	 .mcp = 150,
	 .nthreads = 1,
	 .threads = ticker_threads,
	 .ncaps = 2,
	 .caps = ticker_caps},
	{.name = "spinner",
	 .module = &module,
	 .mcp = 100,
	 .restart = SYS_RESTART_TASK,
	 .restart_max = 5,
	 .restart_window_ms = 60000,
	 .heartbeat_ms = 20,
	 .nthreads = 1,
	 .threads = spin_threads,
	 .ncaps = 1,
	 .caps = spin_caps},
	{.name = "dma",
	 .module = &module,
	 .mcp = 100,
	 .restart = SYS_RESTART_TASK,
	 .restart_max = 2,
	 .restart_window_ms = 60000,
	 .nthreads = 1,
	 .threads = dma_threads,
	 .ncaps = 3,
	 .caps = dma_caps},
};
/* Endpoint 1 ("report") has no server task: the test (the root) receives on it. */
static const struct sys_endpoint endpoints[] = {{.iface = "test::echo", .server_task = 0},
						{.iface = "test::report", .server_task = 0xffff},
						{.iface = "l4e::timer", .server_task = 3},
						{.iface = "test::spin", .server_task = 4},
						{.iface = "test::dma", .server_task = 0xffff}};
static const struct sys_pool pools[] = {
	{.name = "dma", .size = DMA_SIZE, .vaddr = DMA_VA, .flags = SYS_POOL_F_DMA},
	{.name = "keep", .size = KEEP_SIZE, .vaddr = KEEP_VA, .flags = SYS_POOL_F_KEEP}};
static const struct sys_info test_sys = {.name = "suptest",
					 .ntasks = 6,
					 .nendpoints = 5,
					 .npools = 2,
					 .tasks = tasks,
					 .endpoints = endpoints,
					 .pools = pools};

static struct kt_thread sup_thread;
static volatile int sup_result = -1000;
static volatile bool escalated; /* sup_run returned: the policy reset the system */

static void sup_main(uint32_t arg)
{
	(void)arg;
	sup_result = sup_run(sup_thread.cap);
	escalated = true;
}

static int call_ep(unsigned ep, uint32_t label, uint32_t v, uint32_t *out)
{
	l4_word_t mr[L4_MSG_REGS] = {v};
	l4_tag_t tag = l4_tag(label, 0, 1);
	int err = l4_call(sup.endpoints[ep], &tag, mr);

	*out = mr[0];
	return err;
}

static int call_echo(uint32_t label, uint32_t v, uint32_t *out)
{
	return call_ep(0, label, v, out);
}

/* Lets about `ms` of virtual time pass with every other thread free to run. */
static void let_time_pass(uint32_t ms)
{
	l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_SET_PRIO, 0, 0);
	kt_spin(ms * 250000); /* ~4 instructions per iteration, 1 ns each under icount */
	l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_SET_PRIO, L4_THREAD_PRIO_MAX, 0);
}

KTEST(sup_boot_refuses_a_dma_pool_mapped_by_two_tasks)
{
	static const struct sys_task two[] = {
		{.name = "a", .module = &module, .ncaps = 2, .caps = dma_caps},
		{.name = "b", .module = &module, .ncaps = 2, .caps = dma_caps}};
	static const struct sys_info bad = {.name = "bad",
					    .ntasks = 2,
					    .nendpoints = 5,
					    .npools = 1,
					    .tasks = two,
					    .endpoints = endpoints,
					    .pools = pools};

	KT_ASSERT_EQ(sup_boot(ktest_bootinfo, &bad), -L4_EBUSY);
	KT_ASSERT_EQ(sup.fault_ep, 0); /* refused before anything was made */
	KT_ASSERT_EQ(sup.next_ram, 0);
}

KTEST(sup_boot_refuses_a_keep_pool_mapped_by_two_tasks)
{
	static const struct sys_cap keep_caps[] = {
		{.kind = SYS_CAP_POOL, .object = 1, .rights = 3}};
	static const struct sys_task two[] = {
		{.name = "a", .module = &module, .ncaps = 1, .caps = keep_caps},
		{.name = "b", .module = &module, .ncaps = 1, .caps = keep_caps}};
	static const struct sys_info bad = {.name = "bad",
					    .ntasks = 2,
					    .nendpoints = 5,
					    .npools = 2,
					    .tasks = two,
					    .endpoints = endpoints,
					    .pools = pools};

	KT_ASSERT_EQ(sup_boot(ktest_bootinfo, &bad), -L4_EBUSY);
	KT_ASSERT_EQ(sup.fault_ep, 0);
}

KTEST(sup_boots_the_system_from_its_description)
{
	const struct l4_bootinfo *bi = ktest_bootinfo;

	segs[0] = (struct sys_seg){.data = (const uint8_t *)bi->image_base,
				   .vaddr = bi->image_base,
				   .filesz = bi->image_size,
				   .memsz = bi->image_size,
				   .flags = 5};
	segs[1] = (struct sys_seg){.data = (const uint8_t *)__data_start,
				   .vaddr = (uint32_t)__data_start,
				   .filesz = (uint32_t)(__bss_end - __data_start),
				   .memsz = (uint32_t)(__bss_end - __data_start),
				   .flags = 6};
	module.entry = (uint32_t)l4e_task_start;
	/* kt's own allocations go above what the supervisor takes. */
	KT_ASSERT_EQ(sup_boot(bi, &test_sys), 0);
	KT_ASSERT_EQ(sup.tasks[0].state, SUP_TASK_RUNNING);
	KT_ASSERT_EQ(kt_thread_start(&sup_thread, sup_main, 0, 200, 0, false), 0);
}

KTEST(sup_declared_interfaces_answer_and_nothing_else)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;
	uint32_t v = 0, client_ok = 0, tried = 0, reached = 99;
	unsigned i;

	KT_ASSERT_EQ(call_echo(LABEL_ECHO, 41, &v), 0);
	KT_ASSERT_EQ(v, 42);
	/* Two reports: the client's (every call answered, with its badge) and the prober's. */
	for (i = 0; i < 2; i++) {
		KT_ASSERT_EQ(l4_recv(sup.endpoints[1], &tag, mr, &badge), 0);
		if (badge == 2) {
			client_ok = mr[0];
		} else {
			KT_ASSERT_EQ(badge, 3);
			tried = mr[0];
			reached = mr[1];
		}
	}
	KT_ASSERT_EQ(client_ok, ROUNDS);
	KT_ASSERT_EQ(tried, L4_CAP_SLOTS + 4 - 2);
	KT_ASSERT_EQ(reached, 0); /* no undeclared slot reached anything */
}

KTEST(sup_dma_pool_header_names_its_physical_memory_at_every_start)
{
	uint32_t paddr = ktest_bootinfo->ram_base + sup.pool_off[0];
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;

	/* The first instance reads the header the supervisor wrote at boot. */
	KT_ASSERT_EQ(l4_recv(sup.endpoints[4], &tag, mr, &badge), 0);
	KT_ASSERT_EQ(l4_tag_label(tag), LABEL_DMA);
	KT_ASSERT_EQ(badge, 5);
	KT_ASSERT_EQ(mr[0], 0);
	KT_ASSERT_EQ(mr[1], paddr);
	KT_ASSERT_EQ(mr[2], 0);
	KT_ASSERT_EQ(mr[3], 0); /* its keep pool, zeroed at boot */
	KT_ASSERT_EQ(paddr % L4_PAGE_SIZE, 0);
	/* It wrecks the header and faults; its restart finds the header whole again. */
	KT_ASSERT_EQ(l4_recv(sup.endpoints[4], &tag, mr, &badge), 0);
	KT_ASSERT_EQ(mr[0], 0);
	KT_ASSERT_EQ(mr[1], paddr);
	KT_ASSERT_EQ(mr[2], 1);
	KT_ASSERT_EQ(mr[3], 0x4b454550u); /* and the keep pool as the last instance left it */
	KT_ASSERT_EQ(sup.tasks[5].total_restarts, 1);
}

KTEST(sup_bad_pointer_in_a_server_is_contained_and_restarted)
{
	uint32_t v = 0;

	KT_ASSERT_EQ(call_echo(LABEL_BAD_POINTER, 1, &v), -L4_EDEAD); /* in flight: defined error */
	kt_let_others_run(); /* the supervisor (below us) finishes the restart */
	KT_ASSERT_EQ(sup.tasks[0].faults, 1);
	KT_ASSERT_EQ(sup.tasks[0].total_restarts, 1);
	KT_ASSERT_EQ(sup.tasks[0].state, SUP_TASK_RUNNING);
	KT_ASSERT_EQ(call_echo(LABEL_ECHO, 7, &v), 0); /* then service again */
	KT_ASSERT_EQ(v, 8);
}

KTEST(sup_undefined_instruction_is_contained_and_restarted)
{
	uint32_t v = 0;

	KT_ASSERT_EQ(call_echo(LABEL_UNDEF, 1, &v), -L4_EDEAD);
	kt_let_others_run();
	KT_ASSERT_EQ(sup.tasks[0].faults, 2);
	KT_ASSERT_EQ(sup.tasks[0].total_restarts, 2);
	KT_ASSERT_EQ(call_echo(LABEL_ECHO, 9, &v), 0);
	KT_ASSERT_EQ(v, 10);
	KT_ASSERT(!escalated);
}

KTEST(sup_watchdog_heartbeats_are_answered)
{
	let_time_pass(100);
	KT_ASSERT(sup.ticks >= 10);
	KT_ASSERT(sup.tasks[4].heartbeats >= 2);
	KT_ASSERT_EQ(sup.tasks[4].faults, 0);
}

KTEST(sup_watchdog_restarts_a_task_that_loops_forever)
{
	uint32_t v = 0;

	KT_ASSERT_EQ(call_ep(3, LABEL_ECHO, 1, &v), 0);
	KT_ASSERT_EQ(v, 2);
	/* The server loops at its priority; its heartbeat thread, one below, starves. */
	KT_ASSERT_EQ(call_ep(3, LABEL_LOOP, 1, &v), -L4_EDEAD);
	kt_let_others_run();
	KT_ASSERT_EQ(sup.tasks[4].faults, 1);
	KT_ASSERT_EQ(sup.tasks[4].total_restarts, 1);
	KT_ASSERT_EQ(call_ep(3, LABEL_ECHO, 5, &v), 0);
	KT_ASSERT_EQ(v, 6);
}

KTEST(sup_restart_limit_escalates)
{
	uint32_t v = 0;

	/* restart_max 2 within the window: the third fault escalates to a system reset. */
	KT_ASSERT_EQ(call_echo(LABEL_UNDEF, 1, &v), -L4_EDEAD);
	kt_let_others_run();
	KT_ASSERT(escalated);
	KT_ASSERT(sup.escalated && strcmp(sup.escalated, tasks[0].name) == 0);
	KT_ASSERT_EQ(sup_result, SUP_END_ESCALATED);
	KT_ASSERT_EQ(sup.tasks[0].total_restarts, 2);
}
