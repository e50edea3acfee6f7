/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt dispatch: the slice timer is the kernel's; every other line goes to a notification. */
#include "irq.h"
#include "config.h"
#include "kdebug.h"
#include "object.h"
#include "printk.h"
#include "thread.h"
#include "trace.h"
#include <plat/platform.h>

struct irq_handler irq_handlers[PLAT_IRQ_MAX];

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
		} else if (h && h->ntfn && (!CONFIG_KDEBUG || h->in_use)) { /* (KDEBUG poisons) */
			KDEBUG_CHECK(h->ntfn, h->ntfn_gen, "notification of an interrupt line");
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
