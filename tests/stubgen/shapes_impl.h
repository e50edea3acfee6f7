/* SPDX-License-Identifier: BSD-2-Clause */
/* A test implementation of the shapes interface (idl/examples/shapes.idl) with fault knobs. */
#pragma once

#include "shapes.h"

#define SHAPES_TEST_BADGE 7 /* the client's badge */

struct shapes_impl_state {
	unsigned calls;	   /* implementation invocations */
	int force_rc;	   /* non-zero: every operation returns it */
	bool overflow_out; /* echo_bytes returns 41 bytes, beyond the IDL bound */
	unsigned notifies;
	uint32_t last_event;
	char last_what[SHAPES_NAME_MAX + 1];
	void (*on_enter)(void); /* called by every operation before it returns */
};

extern struct shapes_impl_state shapes_impl;
extern const struct shapes_shapes_ops shapes_impl_ops;
extern const struct shapes_shapes_ops shapes_ping_only_ops;

/* Pools: 1 read-only and 2 read-write for SHAPES_TEST_BADGE, 3 for another client. */
extern uint8_t shapes_pool_mem[3][64];
extern const struct l4e_pool shapes_test_pools[3];

void shapes_impl_reset(void);
