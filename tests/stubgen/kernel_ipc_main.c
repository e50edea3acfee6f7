/* SPDX-License-Identifier: BSD-2-Clause */
/* Generated stubs over real kernel IPC: a client (the root) and a shapes server in another space. */
#include "kthread.h"
#include "ktest.h"

#include "shapes_impl.h"

#include <string.h>

#define SERVER_EP 10 /* the endpoint's slot in the server's own space */

static struct kt_thread server_thread;
static l4_cap_t ep, client_ep;

/* Runs in its own space, on its own copy of the root's globals (kt_thread_start_forked). */
static void shapes_server(uint32_t slot)
{
	static struct shapes_shapes_server server;

	shapes_impl_reset();
	server.ops = &shapes_impl_ops;
	server.pools = shapes_test_pools;
	server.npools = 3;
	shapes_shapes_serve(&server, slot);
}

static uint64_t count(bool fast)
{
	struct l4_kstats ks;

	l4_kstats(L4_ROOT_CAP_SYSTEM, &ks);
	return fast ? ks.fastpath : ks.slowpath;
}

/* The root (client) and the server; the client's cap carries the badge the server expects. */
KTEST(stubgen_kernel_start_server_in_another_space)
{
	ep = kt_create(L4_OBJ_ENDPOINT);
	client_ep = kt_slot_alloc();
	KT_ASSERT_EQ(l4_cap_mint(ep, 0, client_ep, L4_RIGHT_SEND, SHAPES_TEST_BADGE), 0);
	KT_ASSERT_EQ(kt_thread_start_forked(&server_thread, shapes_server, SERVER_EP, 100, 0), 0);
	KT_ASSERT_EQ(kt_thread_give(&server_thread, ep, SERVER_EP), 0);
	kt_let_others_run(); /* the server reaches its receive */
}

KTEST(stubgen_kernel_register_calls_take_the_fastpath)
{
	uint64_t fast = count(true);
	int64_t r = 0;
	uint32_t p = 0;
	unsigned i;

	for (i = 0; i < 10; i++) {
		KT_ASSERT_EQ(shapes_shapes_ping(client_ep, 0x1000 + i, &p), 0);
		KT_ASSERT_EQ(p, ~(0x1000u + i));
	}
	KT_ASSERT_EQ(shapes_shapes_scalars(client_ep, -128, -32768, -5, 255, 65535, true,
					   -(INT64_C(1) << 40), &r),
		     0);
	KT_ASSERT_EQ(r, -128 - 32768 - 5 + 255 + 65535 + 1000000 - (INT64_C(1) << 40));
	KT_ASSERT_EQ(count(true) - fast, 2 * 11); /* every call and every reply */
}

KTEST(stubgen_kernel_long_messages_go_through_the_utcb)
{
	struct shapes_cell c = {.pos = {-5, 7},
				.id = 0xfffe,
				.power = -127,
				.st = SHAPES_STATE_ACTIVE,
				.addr = {1, 2, 3, 4, 5, 6},
				.corners = {{1, 2}, {3, 4}}};
	struct l4e_seq_uint64_20 vals = {.len = 20};
	uint32_t words[40], total = 0, i;
	uint64_t slow = count(false), sum = 0;
	char reply[SHAPES_NAME_MAX + 1];

	KT_ASSERT_EQ(shapes_shapes_move(client_ep, &c), 0);
	KT_ASSERT_EQ(c.pos.x, -4);
	KT_ASSERT_EQ(c.power, 127);
	KT_ASSERT_EQ(c.addr[0], 6);
	for (i = 0; i < 40; i++)
		words[i] = i * 1000;
	KT_ASSERT_EQ(shapes_shapes_big(client_ep, words, &total), 0);
	KT_ASSERT_EQ(total, 780000);
	for (i = 0; i < 20; i++)
		vals.data[i] = (uint64_t)i << 33;
	KT_ASSERT_EQ(shapes_shapes_wide(client_ep, &vals, &sum), 0);
	KT_ASSERT(sum == (uint64_t)190 << 33);
	KT_ASSERT_EQ(shapes_shapes_greet(client_ep, "cortex", reply), 0);
	KT_ASSERT(strcmp(reply, "hi cortex") == 0);
	KT_ASSERT(count(false) - slow >= 4);
}

KTEST(stubgen_kernel_application_error_apart_from_transport_error)
{
	enum shapes_state prev, next;
	l4_cap_t dead = kt_slot_alloc();

	KT_ASSERT_EQ(shapes_shapes_flip(client_ep, SHAPES_STATE_FAILED, &prev, &next),
		     SHAPES_ERROR_DENIED);
	KT_ASSERT_EQ(shapes_shapes_flip(client_ep, SHAPES_STATE_IDLE, &prev, &next), 0);
	/* Transport errors are the kernel's, negative: an empty slot, a wrong right. */
	KT_ASSERT_EQ(shapes_shapes_flip(dead, SHAPES_STATE_IDLE, &prev, &next), -L4_ECAP);
	KT_ASSERT_EQ(l4_cap_mint(ep, 0, dead, L4_RIGHT_RECV, 0), 0);
	KT_ASSERT_EQ(shapes_shapes_flip(dead, SHAPES_STATE_IDLE, &prev, &next), -L4_EPERM);
	l4_cap_delete(dead);
	kt_slot_free(dead);
}

KTEST(stubgen_kernel_malformed_request_gets_an_error_reply_and_service_goes_on)
{
	l4_word_t mr[L4_MSG_REGS] = {2}; /* 2 is no shapes::state */
	l4_tag_t tag = l4_tag(SHAPES_SHAPES_FLIP_LABEL, 0, 1);
	uint32_t p = 0;

	KT_ASSERT_EQ(l4_call(client_ep, &tag, mr), 0);
	KT_ASSERT_EQ(l4_tag_label(tag), L4E_REPLY_BADMSG);
	tag = l4_tag(SHAPES_SHAPES_FLIP_LABEL, 0, 7); /* wrong length */
	KT_ASSERT_EQ(l4_call(client_ep, &tag, mr), 0);
	KT_ASSERT_EQ(l4_tag_label(tag), L4E_REPLY_BADMSG);
	tag = l4_tag(0x7f01, 0, 0); /* no such interface */
	KT_ASSERT_EQ(l4_call(client_ep, &tag, mr), 0);
	KT_ASSERT(l4_tag_label(tag) != L4E_REPLY_OK);
	KT_ASSERT_EQ(shapes_shapes_ping(client_ep, 5, &p), 0);
	KT_ASSERT_EQ(p, ~5u);
}

KTEST(stubgen_kernel_oneway_send)
{
	uint32_t p = 0;

	KT_ASSERT_EQ(shapes_shapes_notify(client_ep, 42, "event"), 0);
	KT_ASSERT_EQ(shapes_shapes_ping(client_ep, 6, &p), 0); /* the server is still there */
	KT_ASSERT_EQ(p, ~6u);
	/* Revoking the endpoint takes the client's minted cap with it. */
	kt_thread_destroy(&server_thread);
	KT_ASSERT_EQ(l4_cap_revoke(ep), 0);
	KT_ASSERT_EQ(shapes_shapes_ping(client_ep, 7, &p), -L4_ECAP);
	l4_cap_delete(ep);
	kt_slot_free(ep), kt_slot_free(client_ep);
}
