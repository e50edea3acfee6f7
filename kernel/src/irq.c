/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt dispatch: the kernel owns only its slice timer. */
#include "irq.h"
#include "panic.h"
#include "printk.h"
#include "thread.h"
#include <plat/platform.h>

void irq_handle(void)
{
	unsigned irq;

	while ((irq = gic_ack()) != GIC_SPURIOUS) {
		kstats.irqs++;
		if (irq == PLAT_IRQ_PTIMER)
			timer_arm(0); /* slice end: sched_return() picks the next thread */
		else
			printk("irq: %u has no handler, disabled\n", irq);
		if (irq != PLAT_IRQ_PTIMER)
			gic_disable(irq);
		gic_eoi(irq);
	}
}
