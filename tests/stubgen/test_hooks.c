/* SPDX-License-Identifier: BSD-2-Clause */
/* What generated stubs report through the runtime's hooks: a wrong slot, a missing operation. */
#include "test.h"

#include "fake_ipc.h"
#include "shapes_impl.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* Stand-ins for the task runtime's hooks (tasks/lib/src/stub_report.c): they record. */
static struct {
	unsigned n;
	l4_cap_t ep;
	const char *iface;
	int err;
} bad;
static struct {
	bool armed;
	jmp_buf back;
	const char *iface, *op;
} missing;

void l4e_stub_bad_slot(l4_cap_t ep, const char *iface, int err)
{
	bad.n++;
	bad.ep = ep;
	bad.iface = iface;
	bad.err = err;
}

void l4e_stub_missing_op(const char *iface, const char *op)
{
	missing.iface = iface;
	missing.op = op;
	if (!missing.armed)
		abort(); /* a test served an incomplete table without expecting it */
	longjmp(missing.back, 1);
}

/* A server of another interface: every label is unknown to it. */
static bool wrong_interface(l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], l4_word_t badge)
{
	(void)mr;
	(void)badge;
	*tag = l4_tag(L4E_REPLY_NOOP, 0, 0);
	return true;
}

static void client_wrong_slot_is_reported(void)
{
	uint32_t reply = 0;

	fake_ipc_reset(NULL);
	memset(&bad, 0, sizeof(bad));
	/* The fake knows FAKE_IPC_EP only: any other slot is empty (-L4_ECAP). */
	CU_ASSERT_EQUAL(shapes_shapes_ping(FAKE_IPC_EP + 1, 1, &reply), -L4_ECAP);
	CU_ASSERT_EQUAL(bad.n, 1);
	CU_ASSERT_EQUAL(bad.ep, FAKE_IPC_EP + 1);
	CU_ASSERT_EQUAL(bad.err, -L4_ECAP);
	CU_ASSERT_STRING_EQUAL(bad.iface, "shapes::shapes");
	/* Oneway sends too. */
	CU_ASSERT_EQUAL(shapes_shapes_notify(FAKE_IPC_EP + 2, 7, "x"), -L4_ECAP);
	CU_ASSERT_EQUAL(bad.n, 2);
	CU_ASSERT_EQUAL(bad.ep, FAKE_IPC_EP + 2);
	/* A server that does not know the operation: most likely another interface's slot. */
	fake_ipc_reset(wrong_interface);
	CU_ASSERT_EQUAL(shapes_shapes_ping(FAKE_IPC_EP, 1, &reply), -L4E_STUB_ENOOP);
	CU_ASSERT_EQUAL(bad.n, 3);
	CU_ASSERT_EQUAL(bad.err, -L4E_STUB_ENOOP);
	fake_ipc_reset(NULL);
	/* A peer that went away is no slot mistake: not reported. */
	fake_ipc.fail = -L4_EDEAD;
	CU_ASSERT_EQUAL(shapes_shapes_ping(FAKE_IPC_EP, 1, &reply), -L4_EDEAD);
	CU_ASSERT_EQUAL(bad.n, 3);
	fake_ipc_reset(NULL);
}

static void serve_names_a_missing_operation_before_serving(void)
{
	static struct shapes_shapes_ops ops;
	struct shapes_shapes_server srv = {.ops = &ops};

	ops = shapes_impl_ops;
	ops.flip = NULL;
	fake_ipc_reset(NULL);
	missing.armed = true;
	if (setjmp(missing.back) == 0) {
		shapes_shapes_serve(&srv, FAKE_IPC_EP);
		CU_FAIL("serve ran with an operation missing");
	}
	missing.armed = false;
	CU_ASSERT_STRING_EQUAL(missing.iface, "shapes::shapes");
	CU_ASSERT_STRING_EQUAL(missing.op, "flip");
	CU_ASSERT_EQUAL(fake_ipc.recvs, 0);
}

TEST_SUITE(stubgen_hooks, TEST_CASE(client_wrong_slot_is_reported),
	   TEST_CASE(serve_names_a_missing_operation_before_serving))
