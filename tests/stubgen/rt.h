/* SPDX-License-Identifier: BSD-2-Clause */
/* The binding under test for the round-trip suite: over fake IPC or collocated. */
#pragma once

#include "shapes_impl.h"

/* True when calls go through client stubs, fake IPC and the server dispatcher. */
extern const bool rt_over_ipc;

/* Binds capability FAKE_IPC_EP to a server running `ops` (and resets the state). */
void rt_setup(const struct shapes_shapes_ops *ops);

/* The server's counters (all zero for the collocated binding). */
const struct l4e_stub_stats *rt_stats(void);
