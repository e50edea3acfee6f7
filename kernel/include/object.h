/* SPDX-License-Identifier: BSD-2-Clause */
/* Capabilities and the kernel objects they name: endpoints, notifications, IRQ handlers. */
#pragma once

#include "util.h"
#include <uapi/l4/abi.h>

struct tcb;
struct space;
struct quota;

/* Internal memory-cap flag: the region is device memory (mapped uncached, never executable). */
#define CAP_F_DEVICE 0x80

/*
 * A capability. Caps copied or minted from a cap are its children in the
 * derivation tree; revoke deletes all descendants, delete re-parents the
 * children to the deleted cap's parent.
 */
struct cap {
	uint8_t type;	/* L4_OBJ_* */
	uint8_t rights; /* L4_RIGHT_* (| CAP_F_DEVICE for memory) */
	uint16_t maps;	/* memory: entries mapped through this cap (mmu.c's mapping database) */
	uint32_t badge; /* endpoint, notification; memory: region size */
	union {
		void *obj;     /* endpoint, notification, tcb, space */
		uint32_t base; /* memory: physical base; irq: line number */
	};
	struct cap *parent, *first_child, *next_sib, *prev_sib;
	uint32_t gen; /* KDEBUG: the object's generation when the cap was made (kdebug.h) */
};
_Static_assert(sizeof(struct cap) == 32, "cap size is a power of two");

/* Endpoint state: which kind of thread its queue holds (seL4 style). */
enum ep_state {
	EP_IDLE = 0,
	EP_SEND,
	EP_RECV,
};

/* A wait queue of threads, linked through tcb.wq_next/wq_prev. */
struct wait_queue {
	struct tcb *head, *tail;
};

struct endpoint {
	uint16_t refs; /* caps naming it, plus threads using it as fault endpoint */
	uint8_t state; /* enum ep_state; queue empty iff EP_IDLE */
	struct wait_queue q;
	struct quota *quota; /* charged for it */
	uint16_t gen;	     /* KDEBUG generation, then in_use: the pool object's tail (kdebug.h) */
	bool in_use;
};

struct notification {
	uint16_t refs;	     /* caps naming it, plus interrupt lines attached to it */
	uint16_t bound_gen;  /* KDEBUG: generation of `bound` */
	uint32_t word;	     /* pending bits */
	struct wait_queue q; /* threads waiting on it directly */
	struct tcb *bound;   /* thread whose endpoint receive also waits here */
	struct quota *quota; /* charged for it */
	uint16_t gen;
	bool in_use;
};

/* One interrupt line: in use while claimed (L4_SYS_IRQ_GET). */
struct irq_handler {
	uint16_t refs; /* caps naming it; the line is released at 0 */
	bool masked;
	uint16_t ntfn_gen;	   /* KDEBUG: generation of `ntfn` */
	struct notification *ntfn; /* counted: it lives while the line is attached to it */
	uint32_t badge;
	uint16_t gen;
	bool in_use;
};

/* Capability tables. */
struct cap *cap_lookup(struct space *s, uint32_t slot);
/* Looks `slot` up in the current space and checks type and rights; NULL + *err on failure. */
struct cap *cap_get(uint32_t slot, unsigned type, unsigned rights, int *err);
int cap_copy(struct cap *src, struct space *dst_space, uint32_t dst_slot, unsigned rights,
	     uint32_t badge, bool mint);
void cap_delete(struct cap *c);
void cap_revoke(struct cap *c);
/* Installs a new original cap (no parent) in an empty slot of `s`. */
int cap_install(struct space *s, uint32_t slot, unsigned type, unsigned rights, uint32_t badge,
		void *obj);
/*
 * Installs the first cap to a new object (or interrupt line) in an empty slot of the
 * caller's table, as a child of the kmem or irq-control cap it came from: revoking
 * that cap deletes every cap made from it, and so destroys what only they named.
 */
int cap_install_child(struct cap *parent, uint32_t slot, unsigned type, unsigned rights, void *obj);
int cap_install_memory(struct space *s, uint32_t slot, paddr_t base, uint32_t size,
		       unsigned rights);

/* Object pools. */
struct endpoint *endpoint_alloc(void);
struct notification *notification_alloc(void);
void endpoint_put(struct endpoint *ep);
void notification_put(struct notification *n);
/* Free endpoints and notifications (L4_SYSTEM_POOLS). */
void object_pools_free(struct l4_pools *p);

/* IPC and notifications (ipc.c). */
void wq_append(struct wait_queue *q, struct tcb *t);
void wq_remove(struct wait_queue *q, struct tcb *t);
/* `line`: the interrupt line that signals, or NTFN_BY_THREAD (wake-up causes, trace). */
#define NTFN_BY_THREAD 0xffffu
void notification_signal(struct notification *n, uint32_t bits, unsigned line);
/* Cancels whatever IPC `t` is blocked in; it returns `err` from that call. */
void ipc_cancel(struct tcb *t, int err);

extern struct irq_handler irq_handlers[];
