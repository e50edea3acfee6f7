/* SPDX-License-Identifier: BSD-2-Clause */
/* The root task of the firmware: the supervisor, building the system of tasks/system.toml. */
#include "l4e.h"
#include "supervisor.h"

/*
 * Exit statuses of the run (QEMU's status through the kernel's semihosting exit); the
 * full table, with the kernel's and the host tools', is in docs/debugging.md.
 */
#define EXIT_BOOT_FAILED  4
#define EXIT_SYSTEM_RESET 5

int main(const struct l4_bootinfo *bi);

/* The watchdog's tick: half the shortest heartbeat period, from the timer service. */
static int start_ticks(void)
{
	uint32_t period_ms = 0, i;
	int ep = sup_endpoint("l4e::timer");
	l4_cap_t cap;

	for (i = 0; i < sys_info.ntasks; i++) {
		uint32_t hb = sys_info.tasks[i].heartbeat_ms;

		if (hb && (!period_ms || hb < period_ms))
			period_ms = hb;
	}
	if (!period_ms)
		return 0; /* nothing to watch */
	if (ep < 0) {
		sup_logf("no l4e::timer: the watchdog is off");
		return 0;
	}
	cap = sup_client_cap((unsigned)ep);
	if (!cap)
		return -L4_ENOMEM;
	return l4e_timer_arm(cap, 0, period_ms * 500, true);
}

int main(const struct l4_bootinfo *bi)
{
	int err = sup_boot(bi, &sys_info);

	if (err) {
		sup_logf("boot failed system=%s error=%d exit=%d", sys_info.name, err,
			 EXIT_BOOT_FAILED);
		return EXIT_BOOT_FAILED;
	}
	err = start_ticks();
	if (err)
		sup_logf("cannot arm the watchdog tick error=%d", err);
	err = sup_run(L4_ROOT_CAP_THREAD);
	sup_report();
	if (err == SUP_END_SHUTDOWN)
		return sup.shutdown_status;
	if (err == SUP_END_ESCALATED)
		sup_logf("system reset system=%s reason=escalation task=%s exit=%d", sys_info.name,
			 sup.escalated ? sup.escalated : "?", EXIT_SYSTEM_RESET);
	else
		sup_logf("system reset system=%s reason=supervisor-error error=%d exit=%d",
			 sys_info.name, err, EXIT_SYSTEM_RESET);
	return EXIT_SYSTEM_RESET;
}
