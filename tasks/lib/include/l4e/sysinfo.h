/* SPDX-License-Identifier: BSD-2-Clause */
/* The system description as the supervisor reads it: tables generated from tasks/system.toml. */
#pragma once

#include <stdint.h>

/*
 * tools/sysgen turns tasks/system.toml into one C file defining `sys_info`
 * (and an assembly file embedding every task's PT_LOAD segments in the
 * supervisor's read-only data, so the supervisor can map text in place and
 * copy data afresh at every (re)start). Everything is const; the supervisor
 * builds the system from it at boot and on restarts.
 */

#define SYS_NAME_MAX 15

/* Per-task capability slots every task finds filled (l4e runtime conventions). */
#define SYS_SLOT_SPACE	   1 /* its own space (CONTROL): map pools, devices */
#define SYS_SLOT_SELF	   2 /* its first thread */
#define SYS_SLOT_NTFN	   3 /* its own notification (bound to no thread; timer/heartbeat bits) */
#define SYS_SLOT_SUPER	   4 /* send cap to the supervisor's control endpoint, badge = task id */
#define SYS_SLOT_HEARTBEAT 5 /* the runtime's heartbeat notification (receive) */
/*
 * A server task holds, at SYS_SLOT_CLIENT_NTFN + b, a send cap to the
 * notification (SYS_SLOT_NTFN) of its client with badge b (b < 63), so it can
 * signal clients asynchronously (the timer service's expiries). Badge 63 is the
 * supervisor itself as a client.
 */
#define SYS_SLOT_CLIENT_NTFN 64
#define SYS_BADGE_SUPERVISOR 63
/* Calls on SYS_SLOT_SUPER (label). */
#define SYS_SUPER_HEARTBEAT 1
#define SYS_SUPER_SHUTDOWN  2 /* MR0 = exit status; only a task with SYS_TASK_F_SHUTDOWN */
#define SYS_SUPER_PROBE	    3 /* MR0..3: slots that reach an endpoint, MR4: bad numbers */
/*
 * MR0..3: a task's name (NUL-padded); the supervisor kills that task as if it had
 * faulted and applies its restart policy. Only in a fault-injection build (the
 * supervisor compiled with L4E_FAULT_INJECT) and only from a task with
 * SYS_TASK_F_SHUTDOWN (the simulator's agent): docs/reliability.md.
 */
#define SYS_SUPER_KILL	4
#define SYS_PROBE_WORDS (L4_CAP_SLOTS / 32) /* the probe's bitmap words, one bit per slot */
#define SYS_PROBE_BAD	SYS_PROBE_WORDS	    /* its word counting numbers past the table */
/* sys_task.flags */
#define SYS_TASK_F_SHUTDOWN 0x1u /* may end the run (system.toml: shutdown = true) */
/* The supervisor's notification bit of the watchdog tick. */
#define SYS_SUPER_TICK_BIT 0x1u
/*
 * The runtime's heartbeat thread: its stack and UTCB live in this reserved
 * range of every task (the generator lays nothing out there).
 */
#define SYS_HEARTBEAT_STACK_TOP	 0x6ff00000u
#define SYS_HEARTBEAT_STACK_SIZE 0x1000u
#define SYS_HEARTBEAT_UTCB	 0x6ff00000u
#define SYS_SLOT_THREADS	 8  /* its threads, in declaration order, from here */
#define SYS_SLOT_FIRST_GEN	 24 /* interface, pool, irq and device caps from here (sys_cap) */
#define SYS_MAX_THREADS		 8  /* declared threads; the runtime may add its heartbeat thread */
/*
 * UTCB user words of every task thread, set by the supervisor: [0] entry, [1] its
 * argument, [2] its own slot, [3] incarnation, [4..7] the task's name (NUL-padded,
 * SYS_NAME_MAX + 1 bytes): what l4e_task_name() and the debugger's task helper read.
 */
#define SYS_UTCB_ENTRY	     0
#define SYS_UTCB_ARG	     1
#define SYS_UTCB_SELF	     2
#define SYS_UTCB_INCARNATION 3
#define SYS_UTCB_TASK_NAME   4

/* One PT_LOAD segment of a task ELF, embedded page-aligned in the supervisor image. */
struct sys_seg {
	const uint8_t *data; /* page-aligned, zero-padded to a page */
	uint32_t vaddr;	     /* page-aligned user address in the task */
	uint32_t filesz, memsz;
	uint32_t flags; /* ELF p_flags: SYS_SEG_X, SYS_SEG_W, SYS_SEG_R */
};
/* sys_seg.flags: the ELF p_flags bits. */
#define SYS_SEG_X 0x1u
#define SYS_SEG_W 0x2u
#define SYS_SEG_R 0x4u

struct sys_module {
	uint32_t entry; /* ELF entry (unused: threads name their entries) */
	uint32_t nsegs;
	const struct sys_seg *segs;
};

struct sys_thread {
	char name[SYS_NAME_MAX + 1];
	uint32_t entry;	     /* address of the thread's C entry function in the task */
	uint32_t arg;	     /* passed in r0 */
	uint32_t stack_size; /* bytes, page multiple; mapped below stack_top with a guard page */
	uint32_t stack_top;
	uint32_t utcb;	   /* user address of its UTCB (512-byte aligned) */
	uint32_t slice_us; /* 0: the kernel default */
	uint8_t prio;
};

/* What a generated cap slot holds. */
enum sys_cap_kind {
	SYS_CAP_CLIENT =
		1, /* send right to endpoint `object` (a used interface), badge = client id */
	SYS_CAP_SERVER = 2, /* receive right to endpoint `object` (a provided interface) */
	SYS_CAP_POOL = 3,   /* (not a cap: a pool mapping) pool `object` mapped with `rights` */
	SYS_CAP_IRQ = 4, /* irq line `object`, delivered to the task's notification (bit `badge`) */
	SYS_CAP_DEVICE = 5,	/* (not a cap: a device mapping) device `object` */
	SYS_CAP_ACCOUNTING = 6, /* the system cap with L4_RIGHT_RECV only: L4_SYSTEM_ACCT_GROUPS */
};

struct sys_cap {
	uint8_t kind;	/* enum sys_cap_kind */
	uint8_t slot;	/* cap slot in the task's table (CLIENT, SERVER, IRQ) */
	uint8_t rights; /* POOL: SYS_RIGHT_R, SYS_RIGHT_W */
	uint8_t pad;
	uint16_t object; /* endpoint, pool, irq or device index */
	uint16_t pad2;
	uint32_t badge; /* CLIENT: badge the server sees; IRQ: notification bit */
};

/* sys_cap.rights of a pool mapping. */
#define SYS_RIGHT_R 0x1u
#define SYS_RIGHT_W 0x2u

/* One endpoint per provided interface; the provider's server threads receive on it. */
struct sys_endpoint {
	char iface[32]; /* IDL name, e.g. "demo::rlc" */
	uint16_t server_task;
	uint16_t pad;
};

/* A shared buffer pool: physical memory from the supervisor, the same address in every task. */
struct sys_pool {
	char name[SYS_NAME_MAX + 1];
	uint32_t size;	/* page multiple */
	uint32_t vaddr; /* page-aligned */
	uint32_t flags; /* SYS_POOL_F_* */
};
/* sys_pool.flags */
#define SYS_POOL_F_DMA	0x1u /* one driver's DMA memory: an l4e_dma_hdr, not a buffer pool */
#define SYS_POOL_F_KEEP 0x2u /* one task's memory kept across its restarts (l4e/keep.h) */

struct sys_device {
	char name[SYS_NAME_MAX + 1];
	uint32_t paddr, size, vaddr; /* page-aligned; inside the supervisor's device window */
};

enum sys_restart {
	SYS_RESTART_NEVER = 0,	/* a fault leaves the task stopped (logged) */
	SYS_RESTART_TASK = 1,	/* restart the task with fresh state */
	SYS_RESTART_SYSTEM = 2, /* a fault of this task resets the whole system */
};

struct sys_task {
	char name[SYS_NAME_MAX + 1];
	const struct sys_module *module;
	uint8_t mcp;	     /* highest priority of its threads */
	uint8_t restart;     /* enum sys_restart */
	uint8_t restart_max; /* restarts allowed within restart_window_ms, then escalate */
	uint8_t nthreads;
	uint32_t restart_window_ms;
	uint32_t heartbeat_ms; /* 0: no watchdog for this task */
	uint32_t flags;	       /* SYS_TASK_F_* */
	const struct sys_thread *threads;
	uint32_t ncaps;
	const struct sys_cap *caps;
};

struct sys_info {
	char name[SYS_NAME_MAX + 1];
	uint32_t ntasks, nendpoints, npools, ndevices;
	const struct sys_task *tasks;
	const struct sys_endpoint *endpoints;
	const struct sys_pool *pools;
	const struct sys_device *devices;
};

extern const struct sys_info sys_info;
