/* SPDX-License-Identifier: BSD-2-Clause */
/* Test toolkit for root tasks: cap slots, memory, threads in the root's or a new space. */
#pragma once

#include <l4/syscall.h>
#include <stdbool.h>
#include <stdint.h>

/* Cap slots above L4_ROOT_CAP_FIRST_FREE. */
l4_cap_t kt_slot_alloc(void);
void kt_slot_free(l4_cap_t slot);

/*
 * Zeroed RAM pages mapped read-write in the root's space. *offset (if given)
 * receives their offset in L4_ROOT_CAP_RAM, for mapping them elsewhere.
 */
void *kt_alloc_pages(unsigned n, uint32_t *offset);

/* Creates an endpoint or notification cap; 0 on failure. */
l4_cap_t kt_create(unsigned type);

/*
 * How many more objects of `type` (thread, space, endpoint, notification) the kernel
 * can create: creates them until -L4_ENOMEM, then destroys them again.
 */
unsigned kt_pool_free(unsigned type);

struct kt_thread {
	l4_cap_t cap;	      /* in the root's table */
	l4_cap_t space;	      /* the thread's space cap in the root's table */
	struct l4_utcb *utcb; /* the thread's UTCB as the root sees it */
	uint32_t utcb_va;     /* ... and as the thread sees it */
	uint32_t stack_top;
	bool own_space;
};

typedef void (*kt_fn)(uint32_t arg);

/* Where every kt thread starts: runs utcb->user[0](utcb->user[1]), then suspends itself. */
void kt_entry(void);

/*
 * Creates and starts a thread running fn(arg) at `prio` with `fault_ep` (a
 * slot of the root, 0 for none). With `own_space` it runs in a new space that
 * maps only the root's text (same address), its stack and its UTCB: fn may
 * use only its stack, its arguments and IPC there. When fn returns the
 * thread suspends itself.
 */
int kt_thread_start(struct kt_thread *t, kt_fn fn, uint32_t arg, unsigned prio, l4_cap_t fault_ep,
		    bool own_space);
/*
 * Like kt_thread_start with own_space, but the new space also gets a private
 * copy of the root's .data and .bss as they are now (at the same addresses):
 * fn may use globals there, and nothing it writes is seen by the root.
 */
int kt_thread_start_forked(struct kt_thread *t, kt_fn fn, uint32_t arg, unsigned prio,
			   l4_cap_t fault_ep);
/* Copies a root cap into the thread's space at `slot` (own_space threads). */
int kt_thread_give(struct kt_thread *t, l4_cap_t root_slot, l4_cap_t slot);
void kt_thread_destroy(struct kt_thread *t);

/* A server that replies to every call with the message it got (same tag, same words). */
void kt_echo_server(uint32_t ep);

/* Spins the CPU for about n iterations, observable by nothing. */
void kt_spin(uint32_t n);

/* Lets every ready thread run until all of them block: drops the root's priority and yields. */
void kt_let_others_run(void);
