/* SPDX-License-Identifier: BSD-2-Clause */
/* Supervisor, the policy: faults, the restart policy, the heartbeat watchdog and the request loop. */
#include "supervisor.h"

#include <l4e/clock.h>
#include <l4e/task.h>
#include <string.h>

/* By L4_FAULT_* (the kernel's fault message, MR0); one word each, for the labelled line. */
static const char *const fault_kinds[L4_FAULT_KINDS] = L4_FAULT_NAMES;

static uint32_t now_ms(void)
{
	uint32_t lo, hi;

	if (sup.radio_clock)
		return l4e_clock_at(sup.radio_clock)->subframe; /* radio time (l4e/clock.h) */
	__asm__ volatile("mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
	return (uint32_t)((((uint64_t)hi << 32) | lo) / (sup.bi->timer_hz / 1000));
}

/* After a fault or a missed heartbeat: stop the task, then its policy. True: reset the system. */
static bool apply_policy(unsigned idx)
{
	struct sup_task *t = &sup.tasks[idx];
	uint32_t now;

	t->faults++;
	sup_task_stop(idx);
	switch (t->desc->restart) {
	case SYS_RESTART_TASK:
		now = now_ms();
		if (now - t->window_start > t->desc->restart_window_ms) {
			t->window_start = now;
			t->restarts = 0;
		}
		if (t->restarts >= t->desc->restart_max) {
			sup_logf("restart limit reached, escalating task=%s restarts=%u "
				 "window_ms=%u",
				 t->desc->name, (unsigned)t->restarts,
				 (unsigned)t->desc->restart_window_ms);
			sup.escalated = t->desc->name;
			return true;
		}
		t->restarts++;
		t->total_restarts++;
		if (sup_task_start(idx) != 0) {
			sup_logf("restart failed, escalating task=%s", t->desc->name);
			sup.escalated = t->desc->name;
			return true;
		}
		sup_logf("restarted task=%s restarts=%u", t->desc->name,
			 (unsigned)t->total_restarts);
		return false;
	case SYS_RESTART_SYSTEM:
		sup_logf("fault of a system-critical task, escalating task=%s", t->desc->name);
		sup.escalated = t->desc->name;
		return true;
	default:
		t->state = SUP_TASK_STOPPED;
		sup_logf("stopped by policy task=%s", t->desc->name);
		return false;
	}
}

/*
 * One labelled line per fault: task, thread, kind, the faulting address and status (or
 * the unknown system call's number), pc last. On the host, tools/symbolize turns the pc
 * into function+offset (file:line) with the task's ELF (docs/debugging.md).
 */
bool sup_fault(uint32_t badge, const l4_word_t mr[L4_MSG_REGS])
{
	unsigned idx = SUP_FAULT_TASK(badge), th = SUP_FAULT_THREAD(badge);
	unsigned kind = mr[0] < 5 ? mr[0] : 0;
	const char *name;

	if (idx >= sup.sys->ntasks || th > sup.tasks[idx].desc->nthreads)
		return false;
	name = th < sup.tasks[idx].desc->nthreads ? sup.tasks[idx].desc->threads[th].name
						  : "heartbeat";
	if (mr[0] == L4_FAULT_SYSCALL)
		sup_logf("fault task=%s thread=%s kind=%s syscall=%u pc=0x%08x",
			 sup.tasks[idx].desc->name, name, fault_kinds[kind], (unsigned)mr[2],
			 (unsigned)mr[1]);
	else if (mr[0] == L4_FAULT_PABT || mr[0] == L4_FAULT_DABT)
		sup_logf("fault task=%s thread=%s kind=%s addr=0x%08x fsr=0x%08x pc=0x%08x",
			 sup.tasks[idx].desc->name, name, fault_kinds[kind], (unsigned)mr[2],
			 (unsigned)mr[3], (unsigned)mr[1]);
	else
		sup_logf("fault task=%s thread=%s kind=%s pc=0x%08x", sup.tasks[idx].desc->name,
			 name, fault_kinds[kind], (unsigned)mr[1]);
	return apply_policy(idx);
}

/* A watchdog tick: a task that has not answered its last ping in time is hung. */
static bool watchdog(void)
{
	uint32_t now = now_ms();
	unsigned i;

	sup.ticks++;
	/* Buffer pools every SUP_POOL_SAMPLE_MS of radio time: a leak or a queue that grows shows. */
	if (sup.radio_clock && now - sup.pools_at >= SUP_POOL_SAMPLE_MS) {
		sup.pools_at = now;
		sup_pools("at", now);
	}
	for (i = 0; i < sup.sys->ntasks; i++) {
		struct sup_task *t = &sup.tasks[i];
		uint32_t period = t->desc->heartbeat_ms;

		if (t->state != SUP_TASK_RUNNING || !period)
			continue;
		if (t->hb_outstanding && now - t->hb_ping_ms >= period) {
			sup_logf("watchdog: missed heartbeat task=%s waited_ms=%u period_ms=%u",
				 t->desc->name, (unsigned)(now - t->hb_ping_ms), (unsigned)period);
			t->missed++;
			if (apply_policy(i))
				return true;
		} else if (!t->hb_outstanding && now - t->hb_ping_ms >= period) {
			t->hb_outstanding = true;
			t->hb_ping_ms = now;
			l4_signal(t->hb_ntfn, 1);
		}
	}
	return false;
}

/*
 * SYS_SUPER_KILL (fault-injection builds): the task named in MR0..3 is killed as if it had
 * faulted, then its policy applies. True: reset the system.
 */
static bool kill(unsigned by, const l4_word_t mr[L4_MSG_REGS])
{
	char name[SYS_NAME_MAX + 1];
	unsigned i;

	memcpy(name, mr, sizeof(name) - 1);
	name[SYS_NAME_MAX] = '\0';
	for (i = 0; i < sup.sys->ntasks; i++)
		if (strcmp(sup.tasks[i].desc->name, name) == 0 &&
		    sup.tasks[i].state == SUP_TASK_RUNNING)
			break;
	if (i == sup.sys->ntasks) {
		sup_logf("fault injection refused task=%s by=%s (no such running task)", name,
			 sup.tasks[by].desc->name);
		return false;
	}
	sup_logf("fault task=%s thread=all kind=injected by=%s", name, sup.tasks[by].desc->name);
	return apply_policy(i);
}

/*
 * A task's own request on SYS_SLOT_SUPER (label SYS_SUPER_*): 0, or what sup_run
 * returns at once (an enum sup_end).
 */
static int request(unsigned idx, unsigned label, const l4_word_t mr[L4_MSG_REGS])
{
	struct sup_task *t = &sup.tasks[idx];

	switch (label) {
	case SYS_SUPER_PROBE:
		sup_probe_check(idx, mr);
		return 0;
	case SYS_SUPER_SHUTDOWN:
		if (!(t->desc->flags & SYS_TASK_F_SHUTDOWN))
			return 0;
		sup_logf("shutdown requested task=%s status=%d", t->desc->name, (int)mr[0]);
		sup.shutdown_status = (int)mr[0];
		return SUP_END_SHUTDOWN;
	case SYS_SUPER_KILL:
		if (!L4E_FAULT_INJECT || !(t->desc->flags & SYS_TASK_F_SHUTDOWN))
			return 0;
		return kill(idx, mr) ? SUP_END_ESCALATED : 0;
	case SYS_SUPER_HEARTBEAT:
		t->hb_outstanding = false;
		t->heartbeats++;
		return 0;
	default:
		return 0;
	}
}

int sup_run(l4_cap_t self)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;
	int err = l4_thread_ctl(self, L4_THREAD_BIND, sup.ntfn, 0);

	if (err)
		return err;
	for (;;) {
		err = l4_recv(sup.fault_ep, &tag, mr, &badge);
		if (err)
			return err;
		if (l4_tag_label(tag) == L4_LABEL_NOTIFY) {
			if ((badge & SYS_SUPER_TICK_BIT) && watchdog())
				return SUP_END_ESCALATED;
			continue;
		}
		if (l4_tag_label(tag) == L4_LABEL_FAULT && (badge & SUP_BADGE_FAULT)) {
			if (sup_fault(badge, mr))
				return SUP_END_ESCALATED;
			continue;
		}
		if ((badge & SUP_BADGE_REQUEST) && SUP_REQUEST_TASK(badge) < sup.sys->ntasks) {
			int r = request(SUP_REQUEST_TASK(badge), l4_tag_label(tag), mr);

			if (r)
				return r;
		}
		if (l4_tag_flags(tag) & L4_TAG_F_CALL) {
			mr[0] = SUP_REQUEST_TASK(badge);
			l4_reply(l4_tag(0, 0, 1), mr);
		}
	}
}
