/* SPDX-License-Identifier: BSD-2-Clause */
/* The supervisor (root task): builds the system from sys_info, handles faults, restarts tasks. */
#pragma once

#include <l4/syscall.h>
#include <l4e/sysinfo.h>
#include <stdbool.h>

#define SUP_MAX_TASKS	   16
#define SUP_MAX_ENDPOINTS  32
#define SUP_MAX_POOLS	   16
#define SUP_POOL_SAMPLE_MS 10000 /* radio time between two pool samples on the console */

/*
 * Badges on the supervisor's endpoint (sup.fault_ep). A fault of a task thread carries
 * SUP_BADGE_FAULT with the task's and the thread's index (the heartbeat thread is index
 * nthreads); a task's own request on SYS_SLOT_SUPER carries SUP_BADGE_REQUEST with the
 * task's index.
 */
#define SUP_BADGE_FAULT		      0x10000u
#define SUP_BADGE_REQUEST	      0x20000u
#define SUP_FAULT_BADGE(task, thread) (SUP_BADGE_FAULT | ((task) << 8) | (thread))
#define SUP_FAULT_TASK(badge)	      (((badge) >> 8) & 0xffu)
#define SUP_FAULT_THREAD(badge)	      ((badge)&0xffu)
#define SUP_REQUEST_BADGE(task)	      (SUP_BADGE_REQUEST | (task))
#define SUP_REQUEST_TASK(badge)	      ((badge)&0xffu)

enum sup_task_state {
	SUP_TASK_DOWN = 0,
	SUP_TASK_RUNNING,
	SUP_TASK_STOPPED, /* faulted, restart policy "never" or limit reached */
};

/* What the supervisor keeps per task between restarts. */
struct sup_task {
	const struct sys_task *desc;
	uint8_t state;
	uint8_t restarts;      /* within the current window */
	uint32_t window_start; /* virtual counter ticks */
	uint32_t total_restarts;
	l4_cap_t space; /* in the supervisor's table */
	l4_cap_t threads[SYS_MAX_THREADS];
	l4_cap_t ntfn;	  /* the task's notification (heartbeat bit) */
	uint32_t mem_off; /* its private RAM: data, bss, stacks, UTCBs (RAM-cap offset) */
	uint32_t mem_size;
	l4_cap_t hb_ntfn; /* pinged by the watchdog, answered by the runtime's thread */
	l4_cap_t hb_thread;
	bool hb_outstanding;  /* pinged, not answered yet */
	uint32_t hb_ping_ms;  /* when the last ping went out */
	uint32_t heartbeats;  /* answers received */
	uint32_t faults;      /* faults and missed heartbeats */
	uint32_t missed;      /* missed heartbeats */
	uint64_t past_cycles; /* of earlier instances' threads, read before they were destroyed */
};

struct sup_state {
	const struct l4_bootinfo *bi;
	const struct sys_info *sys;
	struct sup_task tasks[SUP_MAX_TASKS];
	l4_cap_t endpoints[SUP_MAX_ENDPOINTS]; /* one per provided interface */
	uint32_t pool_off[SUP_MAX_POOLS];      /* RAM-cap offset of each pool */
	void *radio_clock; /* the `clock` pool (l4e/clock.h): watchdog on radio time; or NULL */
	l4_cap_t fault_ep; /* faults of every task thread arrive here */
	l4_cap_t ntfn;	   /* the watchdog tick (bound to the supervisor) */
	uint32_t ticks;
	uint32_t pools_at; /* radio time of the last pool sample (sup_pools) */
	uint8_t slot_used[L4_CAP_SLOTS];
	uint32_t next_ram; /* bump allocator over the RAM cap */
	uint32_t log_lines;
	int shutdown_status;   /* with sup_run() == SUP_END_SHUTDOWN */
	const char *escalated; /* with SUP_END_ESCALATED: the task whose policy escalated */
};

extern struct sup_state sup;

/* Builds every endpoint, pool and task of `sys`; returns 0 or the first error. */
int sup_boot(const struct l4_bootinfo *bi, const struct sys_info *sys);
/* (Re)creates and starts task `i` from its description, with fresh data and stacks. */
int sup_task_start(unsigned i);
/* Destroys task `i`'s threads and space; its in-flight callers get -L4_EDEAD. */
void sup_task_stop(unsigned i);
/*
 * Prints the cycle table: every thread's active cycles since boot (icount cycles under
 * -icount), per task and in all, idle, and the kernel's IPC and IRQ counters.
 */
void sup_report(void);
/*
 * One console line per buffer pool (not DMA, not keep): its blocks and how many are in
 * use, labelled with `when` ("at=<ms>" samples while running, "end" in the report).
 */
void sup_pools(const char *when, uint32_t ms);
/*
 * Handles one fault message (badge from the fault endpoint): logs it and applies
 * the task's restart policy. Returns true if the system must be reset.
 */
bool sup_fault(uint32_t badge, const l4_word_t mr[L4_MSG_REGS]);
/* Why sup_run() returned, when not with a negative error. */
enum sup_end {
	SUP_END_ESCALATED = 1, /* a policy escalated (sup.escalated): the system must be reset */
	SUP_END_SHUTDOWN = 2,  /* a permitted shutdown request (status in sup.shutdown_status) */
};

/*
 * Serves the fault endpoint, the tasks' requests and the watchdog tick forever;
 * `self` is the supervisor thread's own capability (its notification is bound
 * to it). Returns an enum sup_end, or a negative error (docs/errors.md).
 */
int sup_run(l4_cap_t self);

/*
 * A console line "supervisor: " + the format (l4e_format: %s %u %d %x ...), every value
 * labelled `name=value` (the log task may not be up, or may be the culprit).
 */
void sup_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The older form: what, task=, detail, then a and b in hex (both left out when zero). */
void sup_log(const char *what, const char *task, const char *detail, uint32_t a, uint32_t b);

/* Active cycles of a thread (by its cap in the supervisor's table) since it started; 0 if none. */
uint64_t sup_thread_cycles(l4_cap_t thread);
/* A task's capability probe (SYS_SUPER_PROBE): its reachable slots against its description. */
void sup_probe_check(unsigned idx, const l4_word_t mr[L4_MSG_REGS]);

/* The supervisor's own view of pool `i` (its header and blocks). */
void *sup_pool_va(unsigned i);

/* The endpoint index of interface `iface` (e.g. "l4e::timer"), or -1. */
int sup_endpoint(const char *iface);
/*
 * A send cap to endpoint `ep` with the supervisor's own badge
 * (SYS_BADGE_SUPERVISOR), for calling a service; 0 on failure.
 */
l4_cap_t sup_client_cap(unsigned ep);
