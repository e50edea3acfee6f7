/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt dispatch: the slice timer is the kernel's; every other line goes to a notification. */
#include "irq.h"
#include "config.h"
#include "object.h"
#include "printk.h"
#include "thread.h"
#include "trace.h"
#include "util.h"
#include <plat/platform.h>

struct irq_handler irq_handlers[PLAT_IRQ_MAX];
static uint32_t unmask_at_idle[(PLAT_IRQ_MAX + 31) / 32];
static bool any_at_idle;

/*
 * A user line is masked at the distributor when it fires and stays masked until
 * the driver acknowledges it (L4_SYS_IRQ_ACK): level-triggered devices would
 * otherwise fire again before the driver ran.
 */
void irq_handle(void)
{
	unsigned irq;

	while ((irq = gic_ack()) != GIC_SPURIOUS) {
		struct irq_handler *h = irq < PLAT_IRQ_MAX ? &irq_handlers[irq] : NULL;

		kstats.irqs++;
		trace_event(L4_TRACE_IRQ, irq, 0);
		if (irq == PLAT_IRQ_PTIMER) {
			timer_arm(0);
			sched_slice_end();
		} else if (h && h->ntfn) {
			gic_disable(irq);
			h->masked = true;
			notification_signal(h->ntfn, h->badge);
		} else {
			printk("irq: %u has no handler, disabled\n", irq);
			gic_disable(irq);
		}
		gic_eoi(irq);
	}
}

void irq_unmask_at_idle(unsigned irq)
{
	unmask_at_idle[irq / 32] |= 1u << (irq % 32);
	any_at_idle = true;
}

/* A line released or acknowledged plainly since is left as it is. */
void irq_idle_entry(void)
{
	unsigned w;

	if (!any_at_idle)
		return;
	any_at_idle = false;
	for (w = 0; w < ARRAY_SIZE(unmask_at_idle); w++) {
		while (unmask_at_idle[w]) {
			unsigned irq = w * 32 + (unsigned)__builtin_ctz(unmask_at_idle[w]);
			struct irq_handler *h = &irq_handlers[irq];

			unmask_at_idle[w] &= unmask_at_idle[w] - 1;
			if (h->claimed && h->ntfn && h->masked) {
				h->masked = false;
				gic_enable(irq);
			}
		}
	}
}
