/* SPDX-License-Identifier: BSD-2-Clause */
/* Generated serve loop: receive, dispatch, reply-and-receive; oneway requests get no reply. */
#include "test.h"

#include "fake_ipc.h"
#include "shapes_impl.h"

static void serve_loop_replies_and_receives(void)
{
	const struct fake_ipc_msg script[] = {
		{l4_tag(SHAPES_SHAPES_PING_LABEL, L4_TAG_F_CALL, 1), {0x0f0f0f0fu}},
		{l4_tag(SHAPES_SHAPES_FLIP_LABEL, L4_TAG_F_CALL, 1), {1}}, /* not a shapes::state */
		{l4_tag(SHAPES_SHAPES_NOTIFY_LABEL, 0, 2), {7, 0}},	   /* sent: oneway */
		{l4_tag(SHAPES_SHAPES_FLIP_LABEL, L4_TAG_F_CALL, 1),
		 {(l4_word_t)SHAPES_STATE_FAILED}},
	};
	struct shapes_shapes_server srv = {.ops = &shapes_impl_ops};

	shapes_impl_reset();
	fake_ipc_reset(NULL);
	fake_ipc_script(script, 4);
	CU_ASSERT_EQUAL(shapes_shapes_serve(&srv, FAKE_IPC_EP), -L4_EDEAD);
	fake_ipc_as_server(false);
	/*
	 * recv -> ping; reply_recv -> bad flip; reply_recv -> notify (oneway: no reply);
	 * recv -> flip; reply_recv fails: counted as a failed reply, then recv fails: done.
	 */
	CU_ASSERT_EQUAL(fake_ipc.recvs, 3);
	CU_ASSERT_EQUAL(srv.stats.transport_errors, 1);
	CU_ASSERT_EQUAL(fake_ipc.reply_recvs, 3);
	CU_ASSERT_EQUAL_FATAL(fake_ipc.nreplies, 3);
	CU_ASSERT_EQUAL(fake_ipc.replies[0], l4_tag(L4E_REPLY_OK, 0, 1));
	CU_ASSERT_EQUAL(fake_ipc.reply_words[0][0], 0xf0f0f0f0u);
	CU_ASSERT_EQUAL(fake_ipc.replies[1], l4_tag(L4E_REPLY_BADMSG, 0, 0));
	CU_ASSERT_EQUAL(fake_ipc.replies[2], l4_tag((unsigned)-SHAPES_ERROR_DENIED, 0, 0));
	CU_ASSERT_EQUAL(shapes_impl.notifies, 1);
	CU_ASSERT_EQUAL(shapes_impl.last_event, 7);
	CU_ASSERT_EQUAL(srv.stats.requests, 3);
	CU_ASSERT_EQUAL(srv.stats.bad_value, 1);
}

TEST_SUITE(stubgen_serve, TEST_CASE(serve_loop_replies_and_receives))
