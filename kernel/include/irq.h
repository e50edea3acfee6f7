/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt dispatch from the platform interrupt controller. */
#pragma once

/* Acknowledges and handles every pending interrupt. */
void irq_handle(void);
/* Line `irq` is unmasked at the next idle entry (L4_IRQ_ACK_AT_IDLE). */
void irq_unmask_at_idle(unsigned irq);
/* The CPU goes idle: unmask the lines acknowledged for it. */
void irq_idle_entry(void);
