/* SPDX-License-Identifier: BSD-2-Clause */
/* QEMU `virt` machine, Cortex-A7: addresses, interrupts and platform calls. */
#pragma once

#include <arch/mmu.h>

/* Memory map (QEMU hw/arm/virt.c; docs/boot.md). */
#define PLAT_RAM_BASE  0x40000000u
#define PLAT_RAM_SIZE  (CONFIG_RAM_MB * 0x100000u)
#define PLAT_GICD_PA   0x08000000u
#define PLAT_GICC_PA   0x08010000u
#define PLAT_UART_PA   0x09000000u
#define PLAT_VIRTIO_PA 0x0a000000u

/* The device window head.S maps: physical [0x08000000, 0x0b000000). */
#define PLAT_DEVICE_FIRST_MB 0x080
#define PLAT_DEVICE_LAST_MB  0x0af

/* Interrupt ids (GIC numbering: PPIs 16..31, SPIs from 32). */
#define PLAT_IRQ_PTIMER 30
#define PLAT_IRQ_VTIMER 27
#define PLAT_IRQ_UART	33
#define PLAT_IRQ_MAX	288

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

void plat_console_init(void);
void plat_console_putc(char c);

void gic_init(void);
void gic_enable(unsigned irq);
void gic_disable(unsigned irq);
/* Returns the acknowledged interrupt id, or 1023 when none is pending. */
unsigned gic_ack(void);
void gic_eoi(unsigned irq);
#define GIC_SPURIOUS 1023

void timer_init(void);
/* Arms the slice timer to fire after `ticks`; 0 disarms it. */
void timer_arm(uint32_t ticks);
uint32_t timer_freq(void);
/* Boot self-check: the timer interrupt reaches the CPU through the GIC. */
void timer_selftest(void);

/*
 * Ends the run. With CONFIG_SEMIHOSTING QEMU exits with `status`; otherwise
 * PSCI SYSTEM_OFF (QEMU exits with 0).
 */
__attribute__((noreturn)) void plat_poweroff(int status);
/* Called when the semihosting trap was not taken by QEMU. */
__attribute__((noreturn)) void plat_poweroff_psci(void);
#endif
