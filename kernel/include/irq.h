/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt dispatch from the platform interrupt controller. */
#pragma once

/* Acknowledges and handles every pending interrupt. */
void irq_handle(void);
/* Line `irq` is enabled only while the CPU is idle (L4_IRQ_ACK_AT_IDLE); not once it fired. */
void irq_open_at_idle(unsigned irq);
/* Line `irq` no longer opens at idle (acknowledged plainly, or released). */
void irq_close_at_idle(unsigned irq);
/* The CPU goes idle, or leaves idle: open or close the lines open only then. */
void irq_idle_entry(void);
void irq_idle_exit(void);
