/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread control blocks and the scheduler. */
#pragma once

#include "util.h"
#include <arch/regs.h>
#include <uapi/l4/abi.h>

struct space;
struct endpoint;
struct notification;

enum thread_state {
	THREAD_INACTIVE = 0,  /* created, not started */
	THREAD_RUNNABLE,      /* running (== current) or in a ready queue */
	THREAD_BLOCKED_SEND,  /* in an endpoint queue with a message (send or call) */
	THREAD_BLOCKED_RECV,  /* in an endpoint queue waiting for a message */
	THREAD_BLOCKED_REPLY, /* sent a call, waits for the reply from `callee` */
	THREAD_BLOCKED_NTFN,  /* waits on a notification */
	THREAD_SUSPENDED,     /* stopped by THREAD_CTL or a fault reply */
	THREAD_STOPPED,	      /* faulted with no handler */
	THREAD_DEAD,	      /* destroyed; the TCB is freed when no cap names it */
};

struct tcb {
	struct arch_regs regs; /* must stay first: the trap entry saves into it */
	union {
		struct {
			uint8_t state; /* enum thread_state */
			bool in_fault; /* between a fault and the handler's reply: fault_msg is the message */
		};
		uint16_t state_fault; /* both at once, for the fastpath's reply check */
	};
	uint8_t prio;
	uint8_t mcp; /* highest priority it may give itself or a thread it controls */
	bool is_idle;
	bool in_rq;	   /* in a ready queue (never true for current) */
	bool send_is_call; /* BLOCKED_SEND: the message is a call */
	bool critical;	   /* a fault with no handler ends the run (the root task) */
	uint8_t id;
	uint8_t acct;	     /* accounting group (L4_THREAD_SET_ACCT) */
	uint16_t refs;	     /* caps naming this thread: the last one destroys it */
	struct space *space; /* not counted: a space's destruction kills its threads */
	vaddr_t utcb;	     /* user va of its UTCB, 0 if none */

	struct tcb *rq_next, *rq_prev; /* ready queue */
	struct tcb *wq_next, *wq_prev; /* endpoint or notification queue */
	void *blocked_on;	       /* the endpoint or notification of a BLOCKED_* state */
	uint32_t send_badge;	       /* BLOCKED_SEND: badge of the cap used */
	struct tcb *caller;	       /* the thread waiting for this thread's reply */
	struct tcb *callee;	       /* BLOCKED_REPLY: the thread that owes the reply */

	struct endpoint *fault_ep;
	uint32_t fault_badge;
	uint32_t fault_msg[L4_FAULT_MSG_LEN];
	struct notification *bound;

	uint32_t slice_ticks;	       /* round-robin time slice; 0: the build's default */
	uint32_t recv_slot;	       /* where a cap in a received message goes; 0: none */
	uint64_t cycles __aligned(8);  /* active PMCCNTR cycles, added at every switch (ldrd) */
	uint64_t kcycles;	       /* of those, from a kernel entry to the switch (acct) */
	uint32_t wakes[L4_WAKE_COUNT]; /* left a blocked state, by cause (L4_WAKE_*) */
	uint32_t kentry;	       /* PMCCNTR at its last kernel entry */
	const char *name;
	struct quota *quota; /* charged for it */
	/* KDEBUG: generations of space, fault_ep, bound, caller, callee (kdebug.h). */
	uint16_t space_gen, fault_ep_gen, bound_gen, caller_gen, callee_gen;
	uint16_t gen;
	bool in_use;
};
_Static_assert(__builtin_offsetof(struct tcb, regs) == 0, "trap entry saves at TCB start");

/* What the fast switch touches, kept together so one base register reaches all of it. */
struct sched_hot {
	struct tcb *cur;	    /* the running thread: `current` */
	uint32_t switch_stamp;	    /* PMCCNTR at the last switch */
	uint32_t fastpath;	    /* fastpath messages since the last fold into kstats.fastpath */
	struct space *active_space; /* the space in TTBR0 */
	uint32_t rq_top;	    /* bit w: some priority 32w..32w+31 has a ready thread */
	uint32_t rq_bitmap[8];	    /* bit p%32 of word p/32: priority p has a ready thread */
	uint32_t *trace_ptr;	    /* CONFIG_TRACE: where the next trace record goes */
};
extern struct sched_hot sched_hot;

/* The ready queues, a FIFO per priority (sched.c; the fastpath queues and takes threads too). */
struct sched_rq {
	struct tcb *head[256], *tail[256];
	bool timer_armed; /* the slice timer runs for the current thread */
};
extern struct sched_rq sched_rq;
#define current (sched_hot.cur)
extern struct tcb idle_tcb;

struct tcb *thread_alloc(const char *name);
/* Drops a cap's reference; the last one destroys the thread and frees its TCB. */
void thread_put(struct tcb *t);
struct tcb *thread_by_id(unsigned id);
/*
 * Stops `t` for good (THREAD_DEAD): out of every queue and IPC, its callers get
 * -L4_EDEAD, unbound, its fault endpoint released, no space. The TCB stays until
 * its last cap goes.
 */
void thread_kill(struct tcb *t);
/* Free TCBs (L4_SYSTEM_POOLS). */
unsigned thread_pool_free(void);
/* Kills every thread configured in `s` (the space is being destroyed). */
void thread_kill_in(struct space *s);

void sched_init(void);
/* Makes `t` runnable, and the next to run if it is the most urgent (Benno: not queued then). */
void sched_wake(struct tcb *t);
/* The same for a thread leaving a blocked state: counts the wake-up by `cause` (L4_WAKE_*). */
static inline void sched_wake_by(struct tcb *t, unsigned cause)
{
	t->wakes[cause]++;
	sched_wake(t);
}
/* Removes `t` from the ready queue (it blocked or was suspended). */
void sched_block(struct tcb *t, enum thread_state state);
/* The current thread gives up the rest of its slice. */
void sched_yield(void);
/* Timer interrupt: the current thread's slice is over. */
void sched_slice_end(void);
/* Highest priority with a ready thread, or -1. */
int sched_highest_prio(void);
/* Picks the next thread, switches space and returns to it. */
__noreturn void sched_return(void);

struct kstats {
	uint64_t syscalls;
	uint64_t ipc;		/* messages the general path delivered */
	uint64_t fastpath;	/* messages the fastpath delivered */
	uint64_t fastpath_stay; /* of those, returned to the sender (no switch; counted directly) */
	uint64_t waits;		/* general-path receives and notification waits that blocked */
	uint64_t irqs;
	uint64_t switches;
	uint64_t idle_sleeps;
};
extern struct kstats kstats;

/* The fastpath counts in 32 bits (sched_hot.fastpath); this adds them to the 64-bit total. */
static inline void kstats_fold(void)
{
	kstats.fastpath += sched_hot.fastpath;
	sched_hot.fastpath = 0;
}

/* Switches: the general path's, and one per fastpath message that did not return to its sender. */
static inline uint64_t kstats_switches(void)
{
	return kstats.switches + kstats.fastpath - kstats.fastpath_stay;
}

uint64_t sched_idle_cycles(void);
/* L4_SYSTEM_SLEEP_STATS and L4_SYSTEM_IRQ_WAKES (words 0..31 for lines first..first+31). */
void sched_sleep_stats(struct l4_sleep_stats *out);
void sched_irq_wakes(unsigned first, uint32_t *out);
/* L4_SYSTEM_ACCT_GROUPS: L4_ACCT_GROUPS + 1 words into `out`. */
void sched_acct_groups(uint32_t *out);
/* The first line an interrupt taken in idle acknowledged (the cause of the wake-up). */
void sched_idle_wake_line(unsigned irq);
/* An interrupt was taken in idle: close its idle-only lines if a thread will run. */
void sched_idle_irq(void);
/* L4_SYS_CPU_BUSY: cycles not spent idle, low 32 bits. */
uint32_t sched_busy_cycles(void);

/* The thread's UTCB, mapped and writable, as a kernel pointer; NULL if unusable. */
uint32_t *thread_utcb(struct tcb *t);
