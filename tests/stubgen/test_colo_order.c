/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The collocated binding's order (l4e/colo.h): oneway operations sent from inside another
 * operation run when the running priority drops below theirs, at once when they are more
 * urgent, most urgent first and in the order sent among equals; never re-entering the
 * operation that sent them. shapes::shapes and base::service are two bound interfaces.
 */
#include "test.h"

#include "fake_ipc.h"
#include "shapes.h"

#include <l4e/colo.h>
#include <string.h>

#define EP_SHAPES 5u
#define EP_BASE	  6u

static char trace[64];
static unsigned depth, max_depth;
static int notify_rc;

static void mark(char c)
{
	size_t n = strlen(trace);

	if (n + 1 < sizeof(trace)) {
		trace[n] = c;
		trace[n + 1] = '\0';
	}
}

/* notify(event, what): records `what`; event 1 sends two more from inside itself. */
static int impl_notify(void *ctx, l4_word_t badge, uint32_t event, const char *what)
{
	(void)ctx, (void)badge;
	if (++depth > max_depth)
		max_depth = depth;
	mark(what[0]);
	if (event == 1) {
		notify_rc |= shapes_shapes_notify(EP_SHAPES, 0, "x");
		notify_rc |= shapes_shapes_notify(EP_SHAPES, 0, "y");
		mark('/');
	}
	depth--;
	return 0;
}

/* ping (shapes): sends notify "n", then calls base's ping, which sends "m". */
static int impl_ping(void *ctx, l4_word_t badge, uint32_t cookie, uint32_t *result)
{
	uint32_t r;

	(void)ctx, (void)badge;
	mark('P');
	notify_rc |= shapes_shapes_notify(EP_SHAPES, 0, cookie ? "n" : "o");
	*result = 0;
	if (cookie)
		return base_service_ping(EP_BASE, 0, &r) == 0 && (mark(')'), 1) ? 0 : 1;
	mark(')');
	return 0;
}

/* ping (base): sends notify "m" from inside; "m" is as urgent as shapes, or more. */
static int impl_base_ping(void *ctx, l4_word_t badge, uint32_t cookie, uint32_t *result)
{
	(void)ctx, (void)badge, (void)cookie;
	mark('B');
	notify_rc |= shapes_shapes_notify(EP_SHAPES, 0, "m");
	mark('b');
	*result = 0;
	return 0;
}

static const struct shapes_shapes_ops ops = {.notify = impl_notify, .ping = impl_ping};
static const struct base_service_ops base_ops = {.ping = impl_base_ping};

static void setup(int shapes_prio, int base_prio)
{
	memset(&l4e_colo, 0, sizeof(l4e_colo));
	trace[0] = '\0';
	depth = max_depth = 0;
	notify_rc = 0;
	shapes_shapes_colo_bind(EP_SHAPES, &ops, NULL, 3);
	shapes_shapes_colo_prio(shapes_prio);
	base_service_colo_bind(EP_BASE, &base_ops, NULL, 3);
	base_service_colo_prio(base_prio);
}

static void outside_runs_at_once_inside_waits(void)
{
	setup(10, 10);
	/* From outside: at once; its own sends wait until it returns, in order. */
	CU_ASSERT_EQUAL(shapes_shapes_notify(EP_SHAPES, 1, "a"), 0);
	CU_ASSERT_STRING_EQUAL(trace, "a/xy");
	CU_ASSERT_EQUAL(max_depth, 1); /* never re-entered */
	CU_ASSERT_EQUAL(notify_rc, 0);
	CU_ASSERT_EQUAL(l4e_colo.deferred, 2);
	CU_ASSERT_EQUAL(l4e_colo.depth, 0);
	CU_ASSERT_EQUAL(l4e_colo.queued, 0);
}

static void queued_until_the_priority_drops(void)
{
	uint32_t r;

	/* base above shapes: "n" (shapes) waits for the ping of shapes that sent it; so
	 * does "m", sent from base's ping: below base, and shapes' ping still runs. */
	setup(10, 20);
	CU_ASSERT_EQUAL(shapes_shapes_ping(EP_SHAPES, 1, &r), 0);
	CU_ASSERT_STRING_EQUAL(trace, "PBb)nm");
	CU_ASSERT_EQUAL(notify_rc, 0);
}

static void more_urgent_runs_at_once(void)
{
	uint32_t r;

	/* shapes above base, but shapes' ping is running (its server is busy, waiting for
	 * base): "m" waits all the same, after "n", until that ping returns. */
	setup(20, 10);
	CU_ASSERT_EQUAL(shapes_shapes_ping(EP_SHAPES, 1, &r), 0);
	CU_ASSERT_STRING_EQUAL(trace, "PBb)nm");
	CU_ASSERT_EQUAL(l4e_colo.preempted, 0);
	CU_ASSERT_EQUAL(l4e_colo.deferred, 2);
	/* Called from outside, base's ping runs at 10 and "m" (20, its interface idle)
	 * preempts it. */
	setup(20, 10);
	CU_ASSERT_EQUAL(base_service_ping(EP_BASE, 1, &r), 0);
	CU_ASSERT_STRING_EQUAL(trace, "Bmb");
	CU_ASSERT_EQUAL(l4e_colo.preempted, 1);
	CU_ASSERT_EQUAL(l4e_colo.deferred, 0);
}

static void most_urgent_first(void)
{
	static uint32_t other;
	uint32_t r;

	/* Two queued at different priorities run most urgent first: shapes' "o" waits
	 * while shapes runs; base's ping called from outside queues nothing. Queue a
	 * base-priority item by hand behind a shapes-priority one and drain. */
	setup(10, 10);
	CU_ASSERT_EQUAL(shapes_shapes_ping(EP_SHAPES, 0, &r), 0);
	CU_ASSERT_STRING_EQUAL(trace, "P)o");
	CU_ASSERT_EQUAL(l4e_colo_enter(50, &other), L4E_COLO_IDLE);
	CU_ASSERT_EQUAL(shapes_shapes_notify(EP_SHAPES, 0, "1"), 0); /* queued at 10 */
	shapes_shapes_colo_prio(30);
	CU_ASSERT_EQUAL(shapes_shapes_notify(EP_SHAPES, 0, "2"), 0); /* queued at 30 */
	shapes_shapes_colo_prio(10);
	CU_ASSERT_EQUAL(shapes_shapes_notify(EP_SHAPES, 0, "3"), 0); /* queued at 10 */
	CU_ASSERT_EQUAL(l4e_colo.queued, 3);
	l4e_colo_leave(L4E_COLO_IDLE, &other);
	CU_ASSERT_STRING_EQUAL(trace, "P)o213");
	CU_ASSERT_EQUAL(l4e_colo.max_queued, 3);
}

static void a_full_queue_refuses(void)
{
	static uint32_t other;
	unsigned i;
	int rc = 0;

	setup(10, 10);
	l4e_colo_enter(10, &other);
	for (i = 0; i < L4E_COLO_QUEUE; i++)
		rc |= shapes_shapes_notify(EP_SHAPES, 0, "q");
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(shapes_shapes_notify(EP_SHAPES, 0, "z"), -L4_EAGAIN);
	CU_ASSERT_EQUAL(l4e_colo.refused, 1);
	l4e_colo_leave(L4E_COLO_IDLE, &other);
	CU_ASSERT_EQUAL(strlen(trace), sizeof(trace) - 1); /* the trace filled; none lost */
	CU_ASSERT_EQUAL(l4e_colo.queued, 0);
	CU_ASSERT_EQUAL(l4e_colo.calls, L4E_COLO_QUEUE + 1);
}

static void wrong_slot_and_unbound(void)
{
	enum shapes_state prev, now;
	uint32_t r;

	setup(10, 10);
	CU_ASSERT_EQUAL(shapes_shapes_notify(EP_BASE, 1, "a"), -L4_ECAP);
	CU_ASSERT_EQUAL(shapes_shapes_flip(EP_SHAPES, SHAPES_STATE_IDLE, &prev, &now),
			-L4E_STUB_ENOOP);
	CU_ASSERT_STRING_EQUAL(trace, "");
	CU_ASSERT_EQUAL(base_service_ping(EP_SHAPES, 1, &r), -L4_ECAP);
	CU_ASSERT_EQUAL(l4e_colo.calls, 0);
}

TEST_SUITE(stubgen_colo_order, TEST_CASE(outside_runs_at_once_inside_waits),
	   TEST_CASE(queued_until_the_priority_drops), TEST_CASE(more_urgent_runs_at_once),
	   TEST_CASE(most_urgent_first), TEST_CASE(a_full_queue_refuses),
	   TEST_CASE(wrong_slot_and_unbound))
