/* SPDX-License-Identifier: BSD-2-Clause */
/* The l4e task runtime: the heartbeat thread every watched task runs. */
#include <l4e/task.h>

void l4e_heartbeat_main(void);

/*
 * Waits for the watchdog's ping and answers it. It runs one priority below
 * the task's lowest thread, so a task that keeps the CPU busy at any of its
 * priorities (a thread looping forever) never answers and is restarted.
 */
void l4e_heartbeat_main(void)
{
	l4_word_t mr[L4_MSG_REGS] = {0};
	uint32_t bits;

	for (;;) {
		if (l4_wait(SYS_SLOT_HEARTBEAT, &bits) != 0)
			return;
		l4_tag_t tag = l4_tag(SYS_SUPER_HEARTBEAT, 0, 0);

		l4_call(SYS_SLOT_SUPER, &tag, mr);
	}
}
