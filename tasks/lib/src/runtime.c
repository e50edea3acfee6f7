/* SPDX-License-Identifier: BSD-2-Clause */
/* The l4e task runtime: the heartbeat thread every watched task runs. */
#include <l4e/task.h>

void l4e_heartbeat_main(void);

/*
 * The capability test: try to send on every slot (and a few numbers past the
 * table) without blocking, and tell the supervisor which ones reach an
 * endpoint; it compares that with the system description.
 */
static void probe(void)
{
	l4_word_t mr[L4_MSG_REGS] = {0}, bad = 0;
	l4_tag_t tag;
	uint32_t s;

	for (s = 0; s < L4_CAP_SLOTS + 8; s++) {
		l4_word_t none[L4_MSG_REGS] = {0};
		int err = l4_nbsend(s, l4_tag(0x7ffe, 0, 0), none);

		if (err == -L4_ECAP || err == -L4_ETYPE || err == -L4_EPERM)
			continue;
		if (s < L4_CAP_SLOTS)
			mr[s / 32] |= 1u << (s % 32);
		else
			bad++; /* a slot number past the table must never work */
	}
	mr[SYS_PROBE_BAD] = bad;
	tag = l4_tag(SYS_SUPER_PROBE, 0, SYS_PROBE_BAD + 1);
	l4_call(SYS_SLOT_SUPER, &tag, mr);
}

/*
 * Waits for the watchdog's ping and answers it. It runs one priority below
 * the task's lowest thread, so a task that keeps the CPU busy at any of its
 * priorities (a thread looping forever) never answers and is restarted.
 */
void l4e_heartbeat_main(void)
{
	l4_word_t mr[L4_MSG_REGS] = {0};
	uint32_t bits;

	if (DEMO_PROBE)
		probe(); /* at every start: a restarted task gets exactly its caps again */
	for (;;) {
		if (l4_wait(SYS_SLOT_HEARTBEAT, &bits) != 0)
			return;
		l4_tag_t tag = l4_tag(SYS_SUPER_HEARTBEAT, 0, 0);

		l4_call(SYS_SLOT_SUPER, &tag, mr);
	}
}
