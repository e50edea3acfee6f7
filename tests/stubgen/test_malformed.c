/* SPDX-License-Identifier: BSD-2-Clause */
/* Generated server dispatcher: every class of malformed request is answered with an error
 * reply and counted, and never reaches the implementation; malformed replies are refused. */
#include "test.h"

#include "fake_ipc.h"
#include "poison.h"
#include "shapes_impl.h"

#include <string.h>

static struct shapes_shapes_server srv;

static void raw_unpoison(void);

static void reset(void)
{
	shapes_impl_reset();
	fake_ipc_reset(NULL);
	srv = (struct shapes_shapes_server){
		.ops = &shapes_impl_ops, .pools = shapes_test_pools, .npools = 3};
	/* The request has been read when the implementation runs; the reply may follow. */
	shapes_impl.on_enter = raw_unpoison;
}

/*
 * Hands a raw request of `len` words (UTCB words beyond the registers) to the dispatcher
 * as the server thread; returns the reply tag and whether a reply is due. Under ASan the
 * words past `len` are unreadable until the implementation runs, so a dispatcher that
 * reads beyond the message fails the test.
 */
static _Alignas(8) l4_word_t raw_mr[L4_MSG_REGS];
static l4_word_t *raw_utcb;

static void raw_unpoison(void)
{
	test_unpoison(raw_mr, sizeof(raw_mr));
	test_unpoison(raw_utcb, L4_MSG_WORDS * sizeof(l4_word_t));
}

/* L4_TAG_F_CALL: raw() delivers a call, as the kernel marks it; 0 delivers a send. */
static unsigned raw_flags = L4_TAG_F_CALL;

static l4_tag_t raw(unsigned label, unsigned len, const l4_word_t *words, bool *reply)
{
	l4_tag_t tag = l4_tag(label, raw_flags, len);
	unsigned first_utcb = len > L4_MSG_REGS ? len : L4_MSG_REGS;

	fake_ipc_as_server(true);
	raw_utcb = l4_utcb()->mr;
	for (unsigned i = 0; i < L4_MSG_WORDS; i++) {
		l4_word_t w = i < len ? words[i] : FAKE_IPC_POISON;

		if (i < L4_MSG_REGS)
			raw_mr[i] = w;
		else
			raw_utcb[i] = w;
	}
	if (len < L4_MSG_REGS)
		test_poison(&raw_mr[len], (L4_MSG_REGS - len) * sizeof(l4_word_t));
	if (first_utcb < L4_MSG_WORDS)
		test_poison(&raw_utcb[first_utcb], (L4_MSG_WORDS - first_utcb) * sizeof(l4_word_t));
	*reply = shapes_shapes_dispatch(&srv, &tag, raw_mr, SHAPES_TEST_BADGE);
	raw_unpoison();
	fake_ipc_as_server(false);
	return tag;
}

/* The request is rejected: BADMSG (or NOOP) reply with no words, one more in `counter`. */
#define REJECTED(label, len, words, reply_label, counter)            \
	do {                                                         \
		uint32_t rj_before = srv.stats.counter;              \
		bool rj_reply;                                       \
		l4_tag_t rj_tag = raw(label, len, words, &rj_reply); \
		CU_ASSERT_TRUE(rj_reply);                            \
		CU_ASSERT_EQUAL(l4_tag_label(rj_tag), reply_label);  \
		CU_ASSERT_EQUAL(l4_tag_len(rj_tag), 0);              \
		CU_ASSERT_EQUAL(srv.stats.counter, rj_before + 1);   \
		CU_ASSERT_EQUAL(shapes_impl.calls, 0);               \
	} while (0)
#define BAD(label, len, words, counter) REJECTED(label, len, words, L4E_REPLY_BADMSG, counter)

static void mal_unknown_labels(void)
{
	l4_word_t w[1] = {0};

	reset();
	REJECTED(L4E_LABEL(10, 9), 0, w, L4E_REPLY_NOOP, bad_label);  /* reserved id */
	REJECTED(L4E_LABEL(11, 1), 1, w, L4E_REPLY_NOOP, bad_label);  /* unknown interface */
	REJECTED(L4E_LABEL(10, 30), 0, w, L4E_REPLY_NOOP, bad_label); /* never defined */
	REJECTED(0, 0, w, L4E_REPLY_NOOP, bad_label);
	CU_ASSERT_EQUAL(srv.stats.bad_label, 4);
}

static void mal_length_versus_label(void)
{
	l4_word_t w[L4_MSG_WORDS] = {0};

	reset();
	BAD(SHAPES_SHAPES_SCALARS_LABEL, 7, w, bad_length);
	BAD(SHAPES_SHAPES_SCALARS_LABEL, 9, w, bad_length);
	BAD(SHAPES_SHAPES_PING_LABEL, 0, w, bad_length);
	BAD(SHAPES_SHAPES_MOVE_LABEL, 13, w, bad_length);
	BAD(SHAPES_SHAPES_ECHO_BYTES_LABEL, 1, w, bad_length);	/* below the minimum */
	BAD(SHAPES_SHAPES_ECHO_BYTES_LABEL, 16, w, bad_length); /* above the maximum */
	BAD(SHAPES_SHAPES_BIG_LABEL, 64, w, bad_length);
	BAD(SHAPES_SHAPES_BIG_LABEL, 127, w, bad_length); /* the tag's largest length */
}

static void mal_counts_disagree_with_length(void)
{
	/* in_data claims 8 bytes (2 words), shorts 0: 1 + 2 + 1 = 4 words, not 3 or 5. */
	l4_word_t w[8] = {8, 0x01020304, 0x05060708, 0, 0};
	bool reply;

	reset();
	BAD(SHAPES_SHAPES_ECHO_BYTES_LABEL, 3, w, bad_length);
	BAD(SHAPES_SHAPES_ECHO_BYTES_LABEL, 5, w, bad_length);
	raw(SHAPES_SHAPES_ECHO_BYTES_LABEL, 4, w, &reply);
	CU_ASSERT_EQUAL(shapes_impl.calls, 1); /* the consistent message goes through */
	CU_ASSERT_EQUAL(srv.stats.requests, 1);
}

static void mal_enum_bool_and_narrow_ranges(void)
{
	l4_word_t ok[8] = {(l4_word_t)-128, 0, 0, 255, 65535, 1, 0, 0};
	static const struct {
		unsigned index;
		l4_word_t value;
	} bad[] = {
		{0, 128}, {0, (l4_word_t)-129}, {1, 32768}, {1, (l4_word_t)-32769},
		{3, 256}, {4, 65536},		{5, 2},	    {5, 0xffffffffu},
	};
	l4_word_t flip[1] = {1};
	bool reply;

	reset();
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		l4_word_t w[8];

		memcpy(w, ok, sizeof(w));
		w[bad[i].index] = bad[i].value;
		BAD(SHAPES_SHAPES_SCALARS_LABEL, 8, w, bad_value);
	}
	BAD(SHAPES_SHAPES_FLIP_LABEL, 1, flip, bad_value); /* 1 is no shapes::state */
	flip[0] = (l4_word_t)-7;
	raw(SHAPES_SHAPES_FLIP_LABEL, 1, flip, &reply); /* FAILED is one */
	raw(SHAPES_SHAPES_SCALARS_LABEL, 8, ok, &reply);
	CU_ASSERT_EQUAL(shapes_impl.calls, 2);
	CU_ASSERT_EQUAL(srv.stats.bad_value, 9);
}

static void mal_nested_enum_in_struct(void)
{
	l4_word_t w[14] = {0};
	bool reply;

	reset();
	w[5] = 2; /* cell.st */
	BAD(SHAPES_SHAPES_MOVE_LABEL, 14, w, bad_value);
	w[5] = 3;
	w[4] = 2; /* cell.up */
	BAD(SHAPES_SHAPES_MOVE_LABEL, 14, w, bad_value);
	w[4] = 1;
	raw(SHAPES_SHAPES_MOVE_LABEL, 14, w, &reply);
	CU_ASSERT_EQUAL(shapes_impl.calls, 1);
}

static void mal_sequence_bounds(void)
{
	l4_word_t w[L4_MSG_WORDS] = {0};

	reset();
	w[0] = 41; /* in_data: 40 at most */
	BAD(SHAPES_SHAPES_ECHO_BYTES_LABEL, 13, w, bad_bound);
	w[0] = 0xffffffffu; /* a count that would wrap the word arithmetic */
	BAD(SHAPES_SHAPES_ECHO_BYTES_LABEL, 2, w, bad_bound);
	w[0] = 0;
	w[1] = 6; /* shorts: 5 at most */
	BAD(SHAPES_SHAPES_ECHO_BYTES_LABEL, 5, w, bad_bound);
	w[0] = 4; /* points: 3 at most */
	BAD(SHAPES_SHAPES_COUNT_POINTS_LABEL, 7, w, bad_bound);
	w[0] = 21; /* sequence<uint64, 20> */
	BAD(SHAPES_SHAPES_WIDE_LABEL, 41, w, bad_bound);
}

static void mal_strings(void)
{
	l4_word_t w[5] = {13, 0x61616161, 0x61616161, 0x61616161, 0x61};
	bool reply;

	reset();
	BAD(SHAPES_SHAPES_GREET_LABEL, 4, w, bad_bound); /* 13 > string<12> */
	w[0] = 4;
	w[1] = 0x64006261; /* "ab\0d": a NUL inside the length */
	BAD(SHAPES_SHAPES_GREET_LABEL, 2, w, bad_string);
	w[1] = 0x64636261;
	raw(SHAPES_SHAPES_GREET_LABEL, 2, w, &reply);
	CU_ASSERT_EQUAL(shapes_impl.calls, 1);
}

static void mal_buffer_handles(void)
{
	static const l4_word_t cases[][6] = {
		{99, 0, 1, 2, 0, 1},		 /* unknown pool */
		{1, 60, 8, 2, 0, 1},		 /* past the end of pool 1 (64 bytes) */
		{1, 0xfffffff0u, 0x20, 2, 0, 1}, /* offset + length wraps around */
		{1, 65, 0, 2, 0, 1},		 /* offset past the end */
		{1, 0, 1, 1, 0, 1},		 /* out_buf needs rw, pool 1 is read-only */
		{3, 0, 1, 2, 0, 1},		 /* pool 3 belongs to another client's badge */
	};
	const l4_word_t ok[6] = {1, 0, 64, 2, 0, 16};
	bool reply;

	reset();
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		BAD(SHAPES_SHAPES_CHECKSUM_LABEL, 6, cases[i], bad_buffer);
	raw(SHAPES_SHAPES_CHECKSUM_LABEL, 6, ok, &reply); /* whole pools are fine */
	CU_ASSERT_EQUAL(shapes_impl.calls, 1);
}

static void mal_oneway_is_counted_without_reply(void)
{
	l4_word_t w[5] = {1, 20, 0, 0, 0};
	bool reply = true;

	reset();
	raw_flags = 0;
	raw(SHAPES_SHAPES_NOTIFY_LABEL, 5, w, &reply);
	raw_flags = L4_TAG_F_CALL;
	CU_ASSERT_FALSE(reply);
	CU_ASSERT_EQUAL(srv.stats.bad_bound, 1);
	CU_ASSERT_EQUAL(shapes_impl.notifies, 0);
}

/* A oneway operation called would leave its caller waiting; a two-way one sent, its reply nowhere. */
static void mal_call_and_send_kinds_checked(void)
{
	l4_word_t w[5] = {1, 2, 'a', 'b', 0};
	l4_word_t p[1] = {5};
	bool reply = false;
	l4_tag_t tag;

	reset();
	tag = raw(SHAPES_SHAPES_NOTIFY_LABEL, 3, w, &reply); /* called */
	CU_ASSERT_TRUE(reply);
	CU_ASSERT_EQUAL(l4_tag_label(tag), L4E_REPLY_BADMSG);
	CU_ASSERT_EQUAL(srv.stats.bad_kind, 1);
	CU_ASSERT_EQUAL(shapes_impl.notifies, 0);
	raw_flags = 0;
	raw(SHAPES_SHAPES_PING_LABEL, 1, p, &reply); /* sent */
	raw_flags = L4_TAG_F_CALL;
	CU_ASSERT_FALSE(reply);
	CU_ASSERT_EQUAL(srv.stats.bad_kind, 2);
	CU_ASSERT_EQUAL(shapes_impl.calls, 0);
}

static void mal_missing_implementation(void)
{
	l4_word_t w[1] = {0};

	reset();
	srv.ops = &shapes_ping_only_ops;
	REJECTED(SHAPES_SHAPES_FLIP_LABEL, 1, w, L4E_REPLY_NOOP, bad_label);
}

/* A hostile or broken server: its replies are checked like requests. */
static l4_tag_t rogue_tag;
static l4_word_t rogue_words[L4_MSG_REGS];

static bool rogue(l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], l4_word_t badge)
{
	(void)badge;
	*tag = rogue_tag;
	memcpy(mr, rogue_words, sizeof(rogue_words));
	return true;
}

static void mal_replies_are_validated(void)
{
	enum shapes_state prev, next;
	char reply[SHAPES_NAME_MAX + 1];
	uint32_t r;

	fake_ipc_reset(rogue);
	rogue_tag = l4_tag(0, 0, 2);
	rogue_words[0] = 1; /* prev: no shapes::state */
	rogue_words[1] = 0;
	CU_ASSERT_EQUAL(shapes_shapes_flip(FAKE_IPC_EP, SHAPES_STATE_IDLE, &prev, &next),
			-L4E_STUB_EPROTO);
	rogue_tag = l4_tag(0, 0, 1); /* too short */
	CU_ASSERT_EQUAL(shapes_shapes_flip(FAKE_IPC_EP, SHAPES_STATE_IDLE, &prev, &next),
			-L4E_STUB_EPROTO);
	rogue_tag = l4_tag((unsigned)-SHAPES_ERROR_FULL, 0, 0);
	CU_ASSERT_EQUAL(shapes_shapes_flip(FAKE_IPC_EP, SHAPES_STATE_IDLE, &prev, &next),
			SHAPES_ERROR_FULL);
	rogue_tag = l4_tag(2, 0, 0); /* FULL's number, not its code: not a shapes::error */
	CU_ASSERT_EQUAL(shapes_shapes_flip(FAKE_IPC_EP, SHAPES_STATE_IDLE, &prev, &next),
			-L4E_STUB_EPROTO);
	rogue_tag = l4_tag(0xa03, 0, 0); /* in the interface's range, but not declared */
	CU_ASSERT_EQUAL(shapes_shapes_flip(FAKE_IPC_EP, SHAPES_STATE_IDLE, &prev, &next),
			-L4E_STUB_EPROTO);
	rogue_tag = l4_tag(77, 0, 0); /* not a shapes::error */
	CU_ASSERT_EQUAL(shapes_shapes_flip(FAKE_IPC_EP, SHAPES_STATE_IDLE, &prev, &next),
			-L4E_STUB_EPROTO);
	rogue_tag = l4_tag(L4E_REPLY_BADMSG, 0, 0);
	CU_ASSERT_EQUAL(shapes_shapes_ping(FAKE_IPC_EP, 1, &r), -L4E_STUB_EBADMSG);
	rogue_tag = l4_tag((unsigned)-SHAPES_ERROR_FULL, 0, 0); /* ping raises nothing */
	CU_ASSERT_EQUAL(shapes_shapes_ping(FAKE_IPC_EP, 1, &r), -L4E_STUB_EPROTO);
	rogue_tag = l4_tag(0, 0, 2);
	rogue_words[0] = 13; /* string longer than string<12> */
	CU_ASSERT_EQUAL(shapes_shapes_greet(FAKE_IPC_EP, "x", reply), -L4E_STUB_EPROTO);
	rogue_words[0] = 2;
	rogue_words[1] = 0x6100;
	CU_ASSERT_EQUAL(shapes_shapes_greet(FAKE_IPC_EP, "x", reply), -L4E_STUB_EPROTO);
	rogue_tag = l4_tag(0, 0, 3); /* count says 1 word of data, length says 2 */
	rogue_words[0] = 2;
	CU_ASSERT_EQUAL(shapes_shapes_greet(FAKE_IPC_EP, "x", reply), -L4E_STUB_EPROTO);
}

static void mal_transport_errors_pass_through(void)
{
	uint32_t r;
	enum shapes_state prev, next;

	reset();
	fake_ipc.fail = -L4_EDEAD;
	CU_ASSERT_EQUAL(shapes_shapes_ping(FAKE_IPC_EP, 1, &r), -L4_EDEAD);
	fake_ipc.fail = -L4_EPERM;
	CU_ASSERT_EQUAL(shapes_shapes_flip(FAKE_IPC_EP, SHAPES_STATE_IDLE, &prev, &next),
			-L4_EPERM);
	CU_ASSERT_EQUAL(shapes_shapes_notify(FAKE_IPC_EP, 1, "x"), -L4_EPERM);
	CU_ASSERT_EQUAL(shapes_impl.calls, 0);
}

/* A deterministic generator of hostile words: small counts, negative values, text, noise. */
static uint32_t rnd_state = 0x2545f491u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static l4_word_t hostile_word(void)
{
	switch (rnd() % 6) {
	case 0:
		return 0;
	case 1:
		return rnd() % 4;
	case 2:
		return rnd() % 64;
	case 3:
		return (l4_word_t) - (int32_t)(rnd() % 8);
	case 4:
		return 0x00636261u;
	default:
		return rnd();
	}
}

static const unsigned labels[] = {
	SHAPES_SHAPES_PING_LABEL,
	SHAPES_SHAPES_SCALARS_LABEL,
	SHAPES_SHAPES_FLIP_LABEL,
	SHAPES_SHAPES_MOVE_LABEL,
	SHAPES_SHAPES_ECHO_BYTES_LABEL,
	SHAPES_SHAPES_COUNT_POINTS_LABEL,
	SHAPES_SHAPES_GREET_LABEL,
	SHAPES_SHAPES_CHECKSUM_LABEL,
	SHAPES_SHAPES_STORE_LABEL,
	SHAPES_SHAPES_NOTIFY_LABEL,
	SHAPES_SHAPES_BIG_LABEL,
	SHAPES_SHAPES_WIDE_LABEL,
	L4E_LABEL(10, 9),
	L4E_LABEL(2, 1),
};

/* Every random request is either handed to the implementation or rejected and counted once. */
static void mal_random_requests_are_accounted(void)
{
	const unsigned n = 20000;
	l4_word_t w[L4_MSG_WORDS];
	unsigned rejected = 0;

	reset();
	for (unsigned i = 0; i < n; i++) {
		unsigned label = labels[rnd() % (sizeof(labels) / sizeof(labels[0]))];
		unsigned len = rnd() % 4 == 0 ? rnd() % 128 : rnd() % 42;
		bool reply;
		l4_tag_t t;

		for (unsigned k = 0; k < L4_MSG_WORDS; k++)
			w[k] = hostile_word();
		t = raw(label, len, w, &reply);
		if (l4_tag_label(t) == L4E_REPLY_BADMSG || l4_tag_label(t) == L4E_REPLY_NOOP) {
			CU_ASSERT_EQUAL(l4_tag_len(t), 0);
			rejected++;
		}
	}
	struct l4e_stub_stats *st = &srv.stats;
	CU_ASSERT_EQUAL(st->requests + st->bad_label + st->bad_kind + st->bad_length +
				st->bad_value + st->bad_bound + st->bad_string + st->bad_buffer,
			n);
	CU_ASSERT_EQUAL(shapes_impl.calls, st->requests);
	/* Every class was exercised, and some requests were well-formed. */
	CU_ASSERT(st->requests > 0 && st->bad_label > 0 && st->bad_length > 0);
	CU_ASSERT(st->bad_value > 0 && st->bad_bound > 0 && st->bad_string > 0);
	CU_ASSERT(st->bad_buffer > 0);
	CU_ASSERT(rejected > 0);
}

static void random_reply(void)
{
	static const unsigned reply_labels[] = {0,
						0,
						0,
						1,
						2,
						0x100,
						77,
						0xa01,
						0xa02,
						0xa03,
						0xaff,
						L4E_REPLY_BADMSG,
						L4E_REPLY_NOOP,
						L4E_REPLY_ESERVER,
						0xffff};

	rogue_tag = l4_tag(reply_labels[rnd() % (sizeof(reply_labels) / sizeof(reply_labels[0]))],
			   0, rnd() % 10);
	for (unsigned k = 0; k < L4_MSG_REGS; k++)
		rogue_words[k] = hostile_word();
}

/* Random replies from a rogue server: the client returns a code, never reads out of bounds,
 * and a success always carries values inside their IDL ranges. */
static void mal_random_replies_are_checked(void)
{
	enum shapes_state prev, next;
	struct shapes_bytes in = {.len = 3}, out;
	struct shapes_shorts s = {.len = 2};
	struct shapes_points p = {.len = 1}, m;
	char reply[SHAPES_NAME_MAX + 1];
	uint32_t r;
	int rc;

	fake_ipc_reset(rogue);
	fake_ipc.poison_replies = true;
	for (unsigned i = 0; i < 5000; i++) {
		random_reply();
		rc = shapes_shapes_flip(FAKE_IPC_EP, SHAPES_STATE_IDLE, &prev, &next);
		fake_ipc_unpoison();
		CU_ASSERT(rc == 0 || (rc < 0 && rc >= L4E_ERR_STUB_MIN) ||
			  rc == SHAPES_ERROR_NOT_FOUND || rc == SHAPES_ERROR_FULL ||
			  rc == SHAPES_ERROR_DENIED);
		if (rc == 0)
			CU_ASSERT(shapes_state_valid(prev) && shapes_state_valid(next));
		random_reply();
		rc = shapes_shapes_echo_bytes(FAKE_IPC_EP, &in, &out, &s);
		fake_ipc_unpoison();
		CU_ASSERT(rc <= 0 && rc >= L4E_ERR_STUB_MIN);
		if (rc == 0)
			CU_ASSERT(out.len <= 40 && s.len <= 5);
		random_reply();
		rc = shapes_shapes_greet(FAKE_IPC_EP, "x", reply);
		fake_ipc_unpoison();
		CU_ASSERT(rc <= 0 && rc >= L4E_ERR_STUB_MIN);
		if (rc == 0)
			CU_ASSERT(strlen(reply) <= SHAPES_NAME_MAX);
		random_reply();
		rc = shapes_shapes_count_points(FAKE_IPC_EP, &p, &m, &r);
		fake_ipc_unpoison();
		CU_ASSERT(rc <= 0 && rc >= L4E_ERR_STUB_MIN);
		if (rc == 0)
			CU_ASSERT(m.len <= 3);
	}
}

TEST_SUITE(stubgen_malformed, TEST_CASE(mal_unknown_labels), TEST_CASE(mal_length_versus_label),
	   TEST_CASE(mal_counts_disagree_with_length), TEST_CASE(mal_enum_bool_and_narrow_ranges),
	   TEST_CASE(mal_nested_enum_in_struct), TEST_CASE(mal_sequence_bounds),
	   TEST_CASE(mal_strings), TEST_CASE(mal_buffer_handles),
	   TEST_CASE(mal_oneway_is_counted_without_reply),
	   TEST_CASE(mal_call_and_send_kinds_checked), TEST_CASE(mal_missing_implementation),
	   TEST_CASE(mal_replies_are_validated), TEST_CASE(mal_transport_errors_pass_through),
	   TEST_CASE(mal_random_requests_are_accounted), TEST_CASE(mal_random_replies_are_checked))
