/* SPDX-License-Identifier: BSD-2-Clause */
/* Generated stubs: every type shape of idl/examples/shapes.idl there and back (RT_SUITE names
 * the binding: fake IPC or collocated). */
#include "test.h"

#include "fake_ipc.h"
#include "rt.h"

#include <limits.h>
#include <string.h>

#define EP FAKE_IPC_EP

/* The request's label and length, when the call went over the fake transport. */
static void check_request(unsigned label, unsigned len)
{
	if (!rt_over_ipc)
		return;
	CU_ASSERT_EQUAL(l4_tag_label(fake_ipc.last_tag), label);
	CU_ASSERT_EQUAL(l4_tag_len(fake_ipc.last_tag), len);
	CU_ASSERT_FALSE(fake_ipc.unexpected);
}

static void rt_inherited_fastpath(void)
{
	uint32_t r = 0;

	rt_setup(&shapes_impl_ops);
	CU_ASSERT_EQUAL(shapes_shapes_ping(EP, 0x12345678u, &r), 0);
	CU_ASSERT_EQUAL(r, ~0x12345678u);
	check_request(L4E_LABEL(1, 1), 1);
	CU_ASSERT_EQUAL(BASE_SERVICE_PING_LABEL, SHAPES_SHAPES_PING_LABEL);
}

static void rt_scalars_at_extremes(void)
{
	int64_t r = 0;

	rt_setup(&shapes_impl_ops);
	CU_ASSERT_EQUAL(shapes_shapes_scalars(EP, INT8_MIN, INT16_MIN, INT32_MIN, UINT8_MAX,
					      UINT16_MAX, true, INT64_MIN / 2, &r),
			0);
	CU_ASSERT_EQUAL(r, (int64_t)INT8_MIN + INT16_MIN + INT32_MIN + UINT8_MAX + UINT16_MAX +
				   1000000 + INT64_MIN / 2);
	check_request(SHAPES_SHAPES_SCALARS_LABEL, 8);
	CU_ASSERT_EQUAL(shapes_shapes_scalars(EP, INT8_MAX, INT16_MAX, INT32_MAX, 0, 0, false,
					      INT64_MAX - INT32_MAX - INT16_MAX - INT8_MAX, &r),
			0);
	CU_ASSERT_EQUAL(r, INT64_MAX);
	CU_ASSERT_EQUAL(shapes_impl.calls, 2);
}

static void rt_enum_and_application_error(void)
{
	enum shapes_state prev = SHAPES_STATE_FAILED, next = SHAPES_STATE_FAILED;

	rt_setup(&shapes_impl_ops);
	CU_ASSERT_EQUAL(shapes_shapes_flip(EP, SHAPES_STATE_IDLE, &prev, &next), 0);
	CU_ASSERT_EQUAL(prev, SHAPES_STATE_IDLE);
	CU_ASSERT_EQUAL(next, SHAPES_STATE_ACTIVE);
	CU_ASSERT_EQUAL(shapes_shapes_flip(EP, SHAPES_STATE_ACTIVE, &prev, &next), 0);
	CU_ASSERT_EQUAL(next, SHAPES_STATE_FAILED);
	/* An application error is positive and typed; no reply words are read. */
	CU_ASSERT_EQUAL(shapes_shapes_flip(EP, SHAPES_STATE_FAILED, &prev, &next),
			SHAPES_ERROR_DENIED);
	CU_ASSERT_EQUAL(prev, SHAPES_STATE_ACTIVE);
}

static struct shapes_cell sample_cell(void)
{
	return (struct shapes_cell){.pos = {-5, 7},
				    .id = 0xfffe,
				    .power = -128 + 1,
				    .up = true,
				    .st = SHAPES_STATE_ACTIVE,
				    .addr = {1, 2, 3, 4, 5, 6},
				    .corners = {{1, 2}, {3, 4}},
				    .stamp = 0xfffffffffffffffeull};
}

static void rt_nested_struct_inout_utcb(void)
{
	struct shapes_cell c = sample_cell();

	rt_setup(&shapes_impl_ops);
	CU_ASSERT_EQUAL(shapes_shapes_move(EP, &c), 0);
	check_request(SHAPES_SHAPES_MOVE_LABEL, 14);
	CU_ASSERT_EQUAL(c.pos.x, -4);
	CU_ASSERT_EQUAL(c.pos.y, 6);
	CU_ASSERT_EQUAL(c.id, 0xffff);
	CU_ASSERT_EQUAL(c.power, 127);
	CU_ASSERT_FALSE(c.up);
	CU_ASSERT_EQUAL(c.st, SHAPES_STATE_FAILED);
	CU_ASSERT_EQUAL(memcmp(c.addr, (uint8_t[]){6, 5, 4, 3, 2, 1}, 6), 0);
	CU_ASSERT_EQUAL(c.corners[0].x, 3);
	CU_ASSERT_EQUAL(c.corners[1].y, 2);
	CU_ASSERT_EQUAL(c.stamp, 0xffffffffffffffffull);
}

static void rt_sequences_empty_odd_and_full(void)
{
	static const unsigned lens[] = {0, 3, 40};

	rt_setup(&shapes_impl_ops);
	for (unsigned k = 0; k < 3; k++) {
		struct shapes_bytes in = {.len = lens[k]}, out;
		struct shapes_shorts s = {.len = k == 2 ? 5 : k};

		memset(&out, 0x55, sizeof(out));
		for (unsigned i = 0; i < in.len; i++)
			in.data[i] = (uint8_t)(i * 7 + 1);
		for (unsigned i = 0; i < s.len; i++)
			s.data[i] = (uint16_t)(1000 * i + 1);
		CU_ASSERT_EQUAL_FATAL(shapes_shapes_echo_bytes(EP, &in, &out, &s), 0);
		CU_ASSERT_EQUAL(out.len, in.len);
		for (unsigned i = 0; i < in.len; i++)
			CU_ASSERT_EQUAL(out.data[i], in.data[in.len - 1 - i]);
		for (unsigned i = 0; i < s.len; i++)
			CU_ASSERT_EQUAL(s.data[i], (uint16_t)(2000 * i + 2));
		check_request(SHAPES_SHAPES_ECHO_BYTES_LABEL,
			      1 + (in.len + 3) / 4 + 1 + (s.len * 2 + 3) / 4);
	}
}

static void rt_sequence_of_structs(void)
{
	struct shapes_points p = {.len = 3, .data = {{1, -1}, {INT32_MAX, INT32_MIN + 1}, {0, 9}}};
	struct shapes_points m;
	uint32_t n = 99;

	rt_setup(&shapes_impl_ops);
	CU_ASSERT_EQUAL(shapes_shapes_count_points(EP, &p, &m, &n), 0);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(m.len, 3);
	CU_ASSERT_EQUAL(m.data[1].x, -INT32_MAX);
	CU_ASSERT_EQUAL(m.data[1].y, INT32_MAX);
	check_request(SHAPES_SHAPES_COUNT_POINTS_LABEL, 7);
	p.len = 0;
	CU_ASSERT_EQUAL(shapes_shapes_count_points(EP, &p, &m, &n), 0);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(m.len, 0);
}

static void rt_strings(void)
{
	char reply[SHAPES_NAME_MAX + 1];

	rt_setup(&shapes_impl_ops);
	CU_ASSERT_EQUAL(shapes_shapes_greet(EP, "", reply), 0);
	CU_ASSERT_STRING_EQUAL(reply, "hi ");
	check_request(SHAPES_SHAPES_GREET_LABEL, 1);
	CU_ASSERT_EQUAL(shapes_shapes_greet(EP, "bob", reply), 0);
	CU_ASSERT_STRING_EQUAL(reply, "hi bob");
	CU_ASSERT_EQUAL(shapes_shapes_greet(EP, "abcdefghijkl", reply), 0); /* 12: the bound */
	CU_ASSERT_STRING_EQUAL(reply, "hi abcdefghi");
	check_request(SHAPES_SHAPES_GREET_LABEL, 4);
}

static void rt_buffer_handles(void)
{
	struct l4e_buffer data = {.pool = 1, .offset = 10, .length = 4};
	struct l4e_buffer out = {.pool = 2, .offset = 15, .length = 1};
	uint32_t sum = 0;

	rt_setup(&shapes_impl_ops);
	memcpy(&shapes_pool_mem[0][10], (uint8_t[]){10, 20, 30, 40}, 4);
	CU_ASSERT_EQUAL(shapes_shapes_checksum(EP, &data, &out, &sum), 0);
	CU_ASSERT_EQUAL(sum, 100);
	CU_ASSERT_EQUAL(shapes_pool_mem[1][15], 100);
	check_request(SHAPES_SHAPES_CHECKSUM_LABEL, 6);
}

static void rt_record_and_error(void)
{
	struct shapes_record r = {.label = "rec",
				  .payload = {.len = 5, .data = {1, 2, 3, 4, 5}},
				  .where = sample_cell()};
	struct shapes_record back;

	memset(&back, 0, sizeof(back));
	rt_setup(&shapes_impl_ops);
	CU_ASSERT_EQUAL(shapes_shapes_store(EP, &r, &back), 0);
	CU_ASSERT_STRING_EQUAL(back.label, "rec");
	CU_ASSERT_EQUAL(back.payload.len, 5);
	CU_ASSERT_EQUAL(back.payload.data[0], 5);
	CU_ASSERT_EQUAL(back.payload.data[4], 1);
	CU_ASSERT_EQUAL(memcmp(&back.where, &r.where, sizeof(r.where)), 0);
	check_request(SHAPES_SHAPES_STORE_LABEL, 1 + 1 + 1 + 2 + 14);
	r.label[0] = 0;
	CU_ASSERT_EQUAL(shapes_shapes_store(EP, &r, &back), SHAPES_ERROR_NOT_FOUND);
}

static void rt_oneway(void)
{
	rt_setup(&shapes_impl_ops);
	CU_ASSERT_EQUAL(shapes_shapes_notify(EP, 42, "event"), 0);
	CU_ASSERT_EQUAL(shapes_impl.notifies, 1);
	CU_ASSERT_EQUAL(shapes_impl.last_event, 42);
	CU_ASSERT_STRING_EQUAL(shapes_impl.last_what, "event");
	if (rt_over_ipc) {
		CU_ASSERT_EQUAL(fake_ipc.sends, 1);
		CU_ASSERT_EQUAL(fake_ipc.calls, 0);
		check_request(SHAPES_SHAPES_NOTIFY_LABEL, 4);
	}
}

static void rt_long_messages_in_utcb(void)
{
	uint32_t words[40], total = 0, want = 0;
	struct l4e_seq_uint64_20 vals = {.len = 20};
	uint64_t sum = 0, vwant = 0;

	rt_setup(&shapes_impl_ops);
	for (unsigned i = 0; i < 40; i++)
		want += words[i] = 0x01010101u * i;
	CU_ASSERT_EQUAL(shapes_shapes_big(EP, words, &total), 0);
	CU_ASSERT_EQUAL(total, want);
	check_request(SHAPES_SHAPES_BIG_LABEL, 40);
	for (unsigned i = 0; i < 20; i++)
		vwant += vals.data[i] = 0x100000001ull * (i + 1);
	CU_ASSERT_EQUAL(shapes_shapes_wide(EP, &vals, &sum), 0);
	CU_ASSERT_EQUAL(sum, vwant);
	check_request(SHAPES_SHAPES_WIDE_LABEL, 41);
	vals.len = 0;
	CU_ASSERT_EQUAL(shapes_shapes_wide(EP, &vals, &sum), 0);
	CU_ASSERT_EQUAL(sum, 0);
}

static void rt_client_refuses_arguments_beyond_bounds(void)
{
	struct shapes_bytes in = {.len = 41}, out;
	struct shapes_shorts s = {.len = 0};
	char reply[SHAPES_NAME_MAX + 1];

	rt_setup(&shapes_impl_ops);
	CU_ASSERT_EQUAL(shapes_shapes_echo_bytes(EP, &in, &out, &s), -L4E_STUB_EARG);
	in.len = 0;
	s.len = 6;
	CU_ASSERT_EQUAL(shapes_shapes_echo_bytes(EP, &in, &out, &s), -L4E_STUB_EARG);
	CU_ASSERT_EQUAL(shapes_shapes_greet(EP, "abcdefghijklm", reply), -L4E_STUB_EARG);
	CU_ASSERT_EQUAL(shapes_impl.calls, 0);
	CU_ASSERT_EQUAL(fake_ipc.calls, 0);
}

static void rt_undeclared_errors_and_bad_results(void)
{
	enum shapes_state prev, next;
	struct shapes_cell c = sample_cell();
	struct shapes_bytes in = {.len = 1}, out;
	struct shapes_shorts s = {.len = 0};

	rt_setup(&shapes_impl_ops);
	shapes_impl.force_rc = 99; /* not in shapes::error */
	CU_ASSERT_EQUAL(shapes_shapes_flip(EP, SHAPES_STATE_IDLE, &prev, &next), -L4E_STUB_ESERVER);
	shapes_impl.force_rc = -3;
	CU_ASSERT_EQUAL(shapes_shapes_flip(EP, SHAPES_STATE_IDLE, &prev, &next), -L4E_STUB_ESERVER);
	shapes_impl.force_rc = SHAPES_ERROR_FULL; /* move raises nothing */
	CU_ASSERT_EQUAL(shapes_shapes_move(EP, &c), -L4E_STUB_ESERVER);
	shapes_impl.force_rc = 0;
	shapes_impl.overflow_out = true;
	CU_ASSERT_EQUAL(shapes_shapes_echo_bytes(EP, &in, &out, &s), -L4E_STUB_ESERVER);
	CU_ASSERT_EQUAL(rt_stats()->impl_errors, rt_over_ipc ? 4 : 0);
}

static void rt_missing_operation_and_bad_capability(void)
{
	uint32_t r;
	enum shapes_state prev, next;

	rt_setup(&shapes_ping_only_ops);
	CU_ASSERT_EQUAL(shapes_shapes_ping(EP, 1, &r), 0);
	CU_ASSERT_EQUAL(shapes_shapes_flip(EP, SHAPES_STATE_IDLE, &prev, &next), -L4E_STUB_ENOOP);
	CU_ASSERT_EQUAL(shapes_shapes_ping(EP + 1, 1, &r), -L4_ECAP);
}

#define RT_TEST_SUITE(name, ...) TEST_SUITE(name, __VA_ARGS__)
RT_TEST_SUITE(RT_SUITE, TEST_CASE(rt_inherited_fastpath), TEST_CASE(rt_scalars_at_extremes),
	      TEST_CASE(rt_enum_and_application_error), TEST_CASE(rt_nested_struct_inout_utcb),
	      TEST_CASE(rt_sequences_empty_odd_and_full), TEST_CASE(rt_sequence_of_structs),
	      TEST_CASE(rt_strings), TEST_CASE(rt_buffer_handles), TEST_CASE(rt_record_and_error),
	      TEST_CASE(rt_oneway), TEST_CASE(rt_long_messages_in_utcb),
	      TEST_CASE(rt_client_refuses_arguments_beyond_bounds),
	      TEST_CASE(rt_undeclared_errors_and_bad_results),
	      TEST_CASE(rt_missing_operation_and_bad_capability))
