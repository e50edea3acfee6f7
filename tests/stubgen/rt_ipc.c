/* SPDX-License-Identifier: BSD-2-Clause */
/* Round-trip binding over the fake IPC transport: client stubs -> dispatcher -> implementation. */
#include "fake_ipc.h"
#include "rt.h"

const bool rt_over_ipc = true;
static struct shapes_shapes_server server;

static bool serve(l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], l4_word_t badge)
{
	return shapes_shapes_dispatch(&server, tag, mr, badge);
}

void rt_setup(const struct shapes_shapes_ops *ops)
{
	shapes_impl_reset();
	fake_ipc_reset(serve);
	fake_ipc.badge = SHAPES_TEST_BADGE;
	server = (struct shapes_shapes_server){.ops = ops, .pools = shapes_test_pools, .npools = 3};
}

const struct l4e_stub_stats *rt_stats(void)
{
	return &server.stats;
}
