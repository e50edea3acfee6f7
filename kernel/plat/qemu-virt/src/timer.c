/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's one timer: the PL1 physical generic timer, armed only when a slice must end. */
#include "config.h"
#include "panic.h"
#include "printk.h"
#include <arch/cpu.h>
#include <plat/platform.h>

#define CNT_CTL_ENABLE	0x1
#define CNT_CTL_IMASK	0x2
#define CNT_CTL_ISTATUS 0x4

/* Ticks the boot self-check waits for (100 us at 62.5 MHz). */
#define SELFTEST_TICKS 6250

static uint32_t freq;

void timer_init(void)
{
	freq = cp15_read_cntfrq();
	if (freq == 0)
		panic("timer: CNTFRQ is 0");
	cp15_write_cntp_ctl(CNT_CTL_IMASK);
	/*
	 * User mode may read the virtual counter and program the virtual timer
	 * (CNTKCTL.PL0VCTEN | PL0VTEN, ARM ARM B4.1.26): the timer service is a
	 * user-level driver of PPI 27. The physical timer stays the kernel's.
	 */
	cp15_write_cntkctl(0x2 | 0x100);
	gic_enable(PLAT_IRQ_PTIMER);
}

uint32_t timer_freq(void)
{
	return freq;
}

void timer_arm(uint32_t ticks)
{
	if (ticks == 0) {
		cp15_write_cntp_ctl(CNT_CTL_IMASK);
		return;
	}
	cp15_write_cntp_tval(ticks);
	cp15_write_cntp_ctl(CNT_CTL_ENABLE);
	isb();
}

/*
 * Arms the timer and waits in WFI with interrupts masked: WFI still wakes on
 * a pending interrupt (ARM ARM B1.8.13), and the GIC must then present
 * exactly the timer's id.
 */
void timer_selftest(void)
{
	uint64_t start = cp15_read_cntpct();
	unsigned irq;

	timer_arm(SELFTEST_TICKS);
	do {
		wfi();
		irq = gic_ack();
	} while (irq == GIC_SPURIOUS && cp15_read_cntpct() - start < 100u * SELFTEST_TICKS);
	timer_arm(0);
	if (irq != PLAT_IRQ_PTIMER)
		panic("timer: self-test got irq %u, expected %u", irq, PLAT_IRQ_PTIMER);
	gic_eoi(irq);
	printk("timer: %u Hz, irq %u ok after %u ticks\n", (unsigned)freq, irq,
	       (unsigned)(cp15_read_cntpct() - start));
}
