/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt dispatch from the platform interrupt controller. */
#pragma once

/* Acknowledges and handles every pending interrupt. */
void irq_handle(void);
