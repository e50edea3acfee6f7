/* SPDX-License-Identifier: BSD-2-Clause */
/* The generated stubs on the target CPU: round trips through the client stubs, the fake
 * in-process transport and the dispatcher, built with the cross compiler and run in QEMU
 * (layouts, packing and -fshort-enums as the firmware sees them). */
#include "ktest.h"

#include "fake_ipc.h"
#include "shapes_impl.h"

#include <string.h>

static struct shapes_shapes_server server;

static bool serve(l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], l4_word_t badge)
{
	return shapes_shapes_dispatch(&server, tag, mr, badge);
}

static void setup(void)
{
	shapes_impl_reset();
	fake_ipc_reset(serve);
	fake_ipc.badge = SHAPES_TEST_BADGE;
	memset(&server, 0, sizeof(server));
	server.ops = &shapes_impl_ops;
	server.pools = shapes_test_pools;
	server.npools = 3;
}

KTEST(stubgen_target_layouts)
{
	KT_ASSERT_EQ(sizeof(enum shapes_state), 4);
	KT_ASSERT_EQ(sizeof(struct shapes_cell), 48);
	KT_ASSERT_EQ(sizeof(struct shapes_record), 112);
	KT_ASSERT_EQ(sizeof(struct l4e_seq_uint64_20), 168);
}

KTEST(stubgen_target_scalars_in_registers)
{
	int64_t r = 0;
	uint32_t p = 0;

	setup();
	KT_ASSERT_EQ(shapes_shapes_ping(FAKE_IPC_EP, 0x12345678u, &p), 0);
	KT_ASSERT_EQ(p, ~0x12345678u);
	KT_ASSERT_EQ(shapes_shapes_scalars(FAKE_IPC_EP, -128, -32768, -5, 255, 65535, true,
					   -(INT64_C(1) << 40), &r),
		     0);
	KT_ASSERT_EQ(r, -128 - 32768 - 5 + 255 + 65535 + 1000000 - (INT64_C(1) << 40));
	KT_ASSERT_EQ(l4_tag_len(fake_ipc.last_tag), 8);
}

KTEST(stubgen_target_struct_in_utcb)
{
	struct shapes_cell c = {.pos = {-5, 7},
				.id = 0xfffe,
				.power = -127,
				.up = true,
				.st = SHAPES_STATE_ACTIVE,
				.addr = {1, 2, 3, 4, 5, 6},
				.corners = {{1, 2}, {3, 4}},
				.stamp = 0xfffffffffffffffeull};

	setup();
	KT_ASSERT_EQ(shapes_shapes_move(FAKE_IPC_EP, &c), 0);
	KT_ASSERT_EQ(l4_tag_len(fake_ipc.last_tag), 14);
	KT_ASSERT_EQ(c.pos.x, -4);
	KT_ASSERT_EQ(c.power, 127);
	KT_ASSERT_EQ(c.st, SHAPES_STATE_FAILED);
	KT_ASSERT_EQ(c.addr[0], 6);
	KT_ASSERT_EQ(c.addr[5], 1);
	KT_ASSERT_EQ(c.corners[0].x, 3);
	KT_ASSERT(c.stamp == 0xffffffffffffffffull);
}

KTEST(stubgen_target_packed_sequences_and_strings)
{
	struct shapes_bytes in = {.len = 40}, out;
	struct shapes_shorts s = {.len = 5, .data = {1, 2, 3, 0x7fff, 0xffff}};
	char reply[SHAPES_NAME_MAX + 1];

	setup();
	for (unsigned i = 0; i < 40; i++)
		in.data[i] = (uint8_t)(3 * i + 1);
	KT_ASSERT_EQ(shapes_shapes_echo_bytes(FAKE_IPC_EP, &in, &out, &s), 0);
	KT_ASSERT_EQ(out.len, 40);
	KT_ASSERT_EQ(out.data[0], 3 * 39 + 1);
	KT_ASSERT_EQ(out.data[39], 1);
	KT_ASSERT_EQ(s.data[3], 0xfffe);
	KT_ASSERT_EQ(s.data[4], 0xfffe);
	KT_ASSERT_EQ(shapes_shapes_greet(FAKE_IPC_EP, "arm", reply), 0);
	KT_ASSERT(strcmp(reply, "hi arm") == 0);
}

KTEST(stubgen_target_errors_kept_apart)
{
	enum shapes_state prev, next;
	l4_word_t mr[L4_MSG_REGS] = {2}; /* 2 is no shapes::state */
	l4_tag_t tag = l4_tag(SHAPES_SHAPES_FLIP_LABEL, L4_TAG_F_CALL, 1);

	setup();
	KT_ASSERT_EQ(shapes_shapes_flip(FAKE_IPC_EP, SHAPES_STATE_FAILED, &prev, &next),
		     SHAPES_ERROR_DENIED);
	fake_ipc.fail = -L4_EDEAD;
	KT_ASSERT_EQ(shapes_shapes_flip(FAKE_IPC_EP, SHAPES_STATE_IDLE, &prev, &next), -L4_EDEAD);
	fake_ipc_as_server(true);
	KT_ASSERT(shapes_shapes_dispatch(&server, &tag, mr, SHAPES_TEST_BADGE));
	fake_ipc_as_server(false);
	KT_ASSERT_EQ(l4_tag_label(tag), L4E_REPLY_BADMSG);
	KT_ASSERT_EQ(server.stats.bad_value, 1);
	KT_ASSERT_EQ(shapes_impl.calls, 1);
}
