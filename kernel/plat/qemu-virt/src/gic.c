/* SPDX-License-Identifier: BSD-2-Clause */
/* GICv2 distributor and CPU interface (ARM IHI 0048B), single CPU. */
#include "config.h"
#include <plat/platform.h>
#include <stdint.h>

#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_ISENABLER	0x100
#define GICD_ICENABLER	0x180
#define GICD_ICPENDR	0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR	0x800
#define GICD_ICFGR	0xc00

#define GICC_CTLR 0x00
#define GICC_PMR  0x04
#define GICC_BPR  0x08
#define GICC_IAR  0x0c
#define GICC_EOIR 0x10

#define GIC_PRIO_DEFAULT 0xa0
#define GIC_PMR_ALL	 0xff

static inline volatile uint32_t *gicd(uint32_t off)
{
	return (volatile uint32_t *)(DEVICE_VA(PLAT_GICD_PA) + off);
}

static inline volatile uint32_t *gicc(uint32_t off)
{
	return (volatile uint32_t *)(DEVICE_VA(PLAT_GICC_PA) + off);
}

static unsigned gic_lines;

void gic_init(void)
{
	unsigned i;

	*gicd(GICD_CTLR) = 0;
	gic_lines = 32 * ((*gicd(GICD_TYPER) & 0x1f) + 1);
	if (gic_lines > PLAT_IRQ_MAX)
		gic_lines = PLAT_IRQ_MAX;

	for (i = 0; i < gic_lines; i += 32) {
		*gicd(GICD_ICENABLER + i / 8) = 0xffffffffu;
		*gicd(GICD_ICPENDR + i / 8) = 0xffffffffu;
	}
	for (i = 0; i < gic_lines; i += 4)
		*gicd(GICD_IPRIORITYR + i) = 0x01010101u * GIC_PRIO_DEFAULT;
	/* ITARGETSR for SGIs/PPIs (0..31) is read-only; route every SPI to CPU 0. */
	for (i = 32; i < gic_lines; i += 4)
		*gicd(GICD_ITARGETSR + i) = 0x01010101u;
	/* SPIs level-triggered (ICFGR 0b00 per line). */
	for (i = 32; i < gic_lines; i += 16)
		*gicd(GICD_ICFGR + i / 4) = 0;

	*gicd(GICD_CTLR) = 1;
	*gicc(GICC_PMR) = GIC_PMR_ALL;
	*gicc(GICC_BPR) = 0;
	*gicc(GICC_CTLR) = 1;
}

void gic_enable(unsigned irq)
{
	if (irq < gic_lines)
		*gicd(GICD_ISENABLER + (irq / 32) * 4) = 1u << (irq % 32);
}

void gic_disable(unsigned irq)
{
	if (irq < gic_lines)
		*gicd(GICD_ICENABLER + (irq / 32) * 4) = 1u << (irq % 32);
}

unsigned gic_ack(void)
{
	return *gicc(GICC_IAR) & 0x3ff;
}

void gic_eoi(unsigned irq)
{
	*gicc(GICC_EOIR) = irq;
}
