/* SPDX-License-Identifier: BSD-2-Clause */
/* KDEBUG=1: freed objects are poisoned; caps and stored pointers carry generations checked on use. */
#pragma once

#include "config.h"
#include "util.h"

/*
 * Every pool object (endpoint, notification, TCB, space, interrupt line) ends with
 * `uint16_t gen; bool in_use;`. Freeing one clears in_use and, with CONFIG_KDEBUG,
 * fills everything before `gen` with KDEBUG_POISON and bumps `gen`; allocating it again
 * checks the poison is intact (nothing wrote to it while free). A cap records the
 * generation of its object when it is made, a holder of a stored pointer (a thread's
 * space, fault endpoint and bound notification, its caller and callee, a notification's
 * thread, a line's notification) records it when it stores the pointer, and every use
 * compares: a stale reference panics with what it was. Without CONFIG_KDEBUG all of
 * this compiles to nothing but the in_use store.
 */
#define KDEBUG_POISON 0x6b

__noreturn void kdebug_stale(const char *what, unsigned gen, unsigned now, const char *where);
void kobj_release(void *obj, size_t gen_offset, uint16_t *gen, bool *in_use);
void kobj_claim(const void *obj, size_t gen_offset, const char *what);

#define KOBJ_LAYOUT_OK(type)                                                               \
	_Static_assert(offsetof(type, in_use) == offsetof(type, gen) + sizeof(uint16_t) && \
			       offsetof(type, gen) + sizeof(uint16_t) + sizeof(bool) <=    \
				       sizeof(type),                                       \
		       #type " ends with gen, in_use")

/* Frees pool object *p: in_use cleared; with KDEBUG poisoned and its generation bumped. */
#define KOBJ_RELEASE(p) kobj_release((p), offsetof(__typeof__(*(p)), gen), &(p)->gen, &(p)->in_use)
/* Before reusing pool object *p: with KDEBUG, panics if it was written while free. */
#define KOBJ_CLAIM(p, what) kobj_claim((p), offsetof(__typeof__(*(p)), gen), what)

/* The generation to record with a stored pointer (0 for NULL or without KDEBUG). */
#define KDEBUG_GEN(p) ((uint16_t)(CONFIG_KDEBUG && (p) ? (p)->gen : 0))
/* Records `p`'s generation in `field` (nothing at all without KDEBUG). */
#define KDEBUG_SET(field, p)                     \
	do {                                     \
		if (CONFIG_KDEBUG)               \
			(field) = KDEBUG_GEN(p); \
	} while (0)

/* A use of `p` (a stored pointer or a cap's object) that recorded generation `g`. */
#define KDEBUG_CHECK(p, g, what)                                                       \
	do {                                                                           \
		if (CONFIG_KDEBUG && (p) && unlikely((p)->gen != (g) || !(p)->in_use)) \
			kdebug_stale(what, (g), (p)->gen, __func__);                   \
	} while (0)

/* A pointer kept without a generation (a queue link): the object must at least be live. */
#define KDEBUG_LIVE(p, what)                                              \
	do {                                                              \
		if (CONFIG_KDEBUG && (p) && unlikely(!(p)->in_use))       \
			kdebug_stale(what, (p)->gen, (p)->gen, __func__); \
	} while (0)
