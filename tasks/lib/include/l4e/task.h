/* SPDX-License-Identifier: BSD-2-Clause */
/* The l4e task runtime: what a task thread may rely on (see tasks/README.md). */
#pragma once

#include <l4/syscall.h>
#include <l4e/sysinfo.h>

/*
 * A task thread starts in l4e_task_start, which calls the entry function its
 * system description names with the declared argument; when that returns,
 * the thread stops. Its capability table holds exactly what the description
 * declares: SYS_SLOT_* and the slots in its generated sys_<task>.h.
 */
void l4e_task_start(void);

/* The virtual counter (CNTVCT) and its frequency (CNTFRQ), both readable in user mode. */
static inline uint64_t l4e_now_ticks(void)
{
	uint32_t lo, hi;

	__asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint32_t l4e_timer_hz(void)
{
	uint32_t v;

	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
	return v;
}

/* 0 for the first start of this task, n after its n-th restart (the supervisor's count). */
static inline uint32_t l4e_incarnation(void)
{
	return l4_utcb()->user[SYS_UTCB_INCARNATION];
}

/*
 * Fault injection for the demo's fault-containment test (scons test builds a
 * copy of the demo with -DDEMO_CHAOS=1); 0 in the firmware.
 */
#ifndef DEMO_CHAOS
#define DEMO_CHAOS 0
#endif
/* A fault-injection build (docs/reliability.md): the simulator may kill a task. */
#ifndef L4E_FAULT_INJECT
#define L4E_FAULT_INJECT 0
#endif
/* The capability probe of the same test build (the runtime's heartbeat thread runs it). */
#ifndef DEMO_PROBE
#define DEMO_PROBE 0
#endif

/* This task's name, as in tasks/system.toml (the supervisor put it in every UTCB). */
static inline const char *l4e_task_name(void)
{
	return (const char *)&l4_utcb()->user[SYS_UTCB_TASK_NAME];
}

/* This thread's own capability slot (to suspend or query itself). */
static inline l4_cap_t l4e_self(void)
{
	return l4_utcb()->user[SYS_UTCB_SELF];
}
