/* SPDX-License-Identifier: BSD-2-Clause */
/* Supervisor, the capability probe: what a task can reach against what its description declares. */
#include "supervisor.h"

/*
 * A task's capability probe: the slots from which it can send must be exactly
 * its declared client slots and the supervisor's own request slot.
 */
void sup_probe_check(unsigned idx, const l4_word_t mr[L4_MSG_REGS])
{
	const struct sys_task *d = sup.tasks[idx].desc;
	uint32_t want[SYS_PROBE_WORDS] = {0}, s, n = 0;
	bool ok = mr[SYS_PROBE_BAD] == 0;

	want[SYS_SLOT_SUPER / 32] |= 1u << (SYS_SLOT_SUPER % 32);
	for (s = 0; s < d->ncaps; s++)
		if (d->caps[s].kind == SYS_CAP_CLIENT)
			want[d->caps[s].slot / 32] |= 1u << (d->caps[s].slot % 32);
	for (s = 0; s < L4_CAP_SLOTS; s++) {
		bool have = mr[s / 32] & (1u << (s % 32)), wanted = want[s / 32] & (1u << (s % 32));

		n += have;
		if (have != wanted) {
			sup_logf("probe: %s task=%s slot=%u",
				 have ? "undeclared slot reaches an endpoint"
				      : "declared slot does not reach its endpoint",
				 d->name, (unsigned)s);
			ok = false;
		}
	}
	if (ok)
		sup_logf("probe ok task=%s endpoints reachable=%u", d->name, (unsigned)n);
}
