/* SPDX-License-Identifier: BSD-2-Clause */
/* The trace ring (kernel built with CONFIG_TRACE=1): switch, IPC and IRQ events in order. */
#include "kthread.h"
#include "ktest.h"

KTEST(trace_records_switches_and_ipc_in_time_order)
{
	static struct l4_trace_event ev[1024];
	const struct l4_trace_event *u = (const struct l4_trace_event *)l4_utcb();
	struct l4_ret r;
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	l4_word_t mr[L4_MSG_REGS] = {0};
	struct kt_thread t;
	unsigned n = 0, i, ipc = 0, sw = 0;
	uint32_t first = 0;

	KT_ASSERT_EQ(kt_thread_start(&t, kt_echo_server, ep, 100, 0, false), 0);
	kt_let_others_run();
	for (i = 0; i < 5; i++) {
		l4_tag_t tag = l4_tag(0x77, 0, 1);

		KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
	}
	/* Read the ring in UTCB-sized chunks; the call returns the count in r1. */
	do {
		r = l4_syscall(L4_SYS_SYSTEM, L4_ROOT_CAP_SYSTEM, L4_SYSTEM_TRACE_READ, first, 0, 0,
			       0);
		KT_ASSERT_EQ(r.err, 0);
		for (i = 0; i < r.r1 && n < 1024; i++)
			ev[n++] = u[i];
		first += r.r1;
	} while (r.r1 > 0 && n < 1024);
	KT_ASSERT(n > 10);
	for (i = 0; i < n; i++) {
		KT_ASSERT(ev[i].type >= L4_TRACE_SWITCH && ev[i].type <= L4_TRACE_IRQ);
		if (i)
			KT_ASSERT(ev[i].cycles - ev[i - 1].cycles < 0x80000000u); /* monotonic */
		if (ev[i].type == L4_TRACE_IPC && (ev[i].a >> 16) == 0x77)
			ipc++;
		if (ev[i].type == L4_TRACE_SWITCH)
			sw++;
	}
	KT_ASSERT(ipc >= 10); /* 5 calls and 5 replies */
	KT_ASSERT(sw >= 2);
	kt_thread_destroy(&t);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}
