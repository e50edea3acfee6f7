/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt dispatch: the slice timer is the kernel's; every other line goes to a notification. */
#include "irq.h"
#include "config.h"
#include "kdebug.h"
#include "object.h"
#include "printk.h"
#include "thread.h"
#include "trace.h"
#include "util.h"
#include <plat/platform.h>

struct irq_handler irq_handlers[PLAT_IRQ_MAX];
/* Lines acknowledged with L4_IRQ_ACK_AT_IDLE: enabled only in idle while not masked (fired). */
static uint32_t idle_lines[(PLAT_IRQ_MAX + 31) / 32];
static bool any_idle_lines;

/*
 * A user line is masked at the distributor when it fires and stays masked until
 * the driver acknowledges it (L4_SYS_IRQ_ACK): level-triggered devices would
 * otherwise fire again before the driver ran.
 */
void irq_handle(void)
{
	bool from_idle = current->is_idle;
	unsigned irq = gic_ack(), first = irq; /* the line that woke idle, if it was idle */

	for (; irq != GIC_SPURIOUS; irq = gic_ack()) {
		struct irq_handler *h = irq < PLAT_IRQ_MAX ? &irq_handlers[irq] : NULL;

		kstats.irqs++;
		trace_event(L4_TRACE_IRQ, 0, irq, 0);
		if (irq == PLAT_IRQ_PTIMER) {
			timer_arm(0);
			sched_slice_end();
		} else if (h && h->ntfn && (!CONFIG_KDEBUG || h->in_use)) { /* (KDEBUG poisons) */
			KDEBUG_CHECK(h->ntfn, h->ntfn_gen, "notification of an interrupt line");
			gic_disable(irq);
			h->masked = true;
			notification_signal(h->ntfn, h->badge, irq);
		} else {
			printk("irq: %u has no handler, disabled\n", irq);
			gic_disable(irq);
		}
		gic_eoi(irq);
	}
	/* The only way out of idle: its lines close if a thread is to run now (sched.c). */
	if (unlikely(from_idle)) {
		if (first != GIC_SPURIOUS)
			sched_idle_wake_line(first);
		sched_idle_irq();
	}
}

void irq_open_at_idle(unsigned irq)
{
	idle_lines[irq / 32] |= 1u << (irq % 32);
	any_idle_lines = true;
}

void irq_close_at_idle(unsigned irq)
{
	idle_lines[irq / 32] &= ~(1u << (irq % 32));
}

/* Enable (idle entry) or disable (idle exit) every line open only while idle. */
static void idle_lines_set(bool on)
{
	unsigned w;

	for (w = 0; w < ARRAY_SIZE(idle_lines); w++) {
		uint32_t bits = idle_lines[w];

		while (bits) {
			unsigned irq = w * 32 + (unsigned)__builtin_ctz(bits);

			bits &= bits - 1;
			if (irq_handlers[irq].masked)
				continue; /* fired, waiting for its driver's ack: stays masked */
			if (on)
				gic_enable(irq);
			else
				gic_disable(irq);
		}
	}
}

void irq_idle_entry(void)
{
	if (any_idle_lines)
		idle_lines_set(true);
}

void irq_idle_exit(void)
{
	if (any_idle_lines)
		idle_lines_set(false);
}
