/* SPDX-License-Identifier: BSD-2-Clause */
/* PL011 UART: the kernel's polled debug console (ARM DDI 0183). */
#include "config.h"
#include <plat/platform.h>
#include <stdint.h>

#define UARTDR	  0x000
#define UARTFR	  0x018
#define UARTIBRD  0x024
#define UARTFBRD  0x028
#define UARTLCR_H 0x02c
#define UARTCR	  0x030
#define UARTIMSC  0x038

#define FR_TXFF	   0x20
#define LCRH_FEN   0x10
#define LCRH_WLEN8 0x60
#define CR_UARTEN  0x001
#define CR_TXE	   0x100
#define CR_RXE	   0x200

static inline volatile uint32_t *uart_reg(uint32_t off)
{
	return (volatile uint32_t *)(DEVICE_VA(PLAT_UART_PA) + off);
}

void plat_console_init(void)
{
	*uart_reg(UARTCR) = 0;
	/* 115200 baud from QEMU's 24 MHz UARTCLK: 24e6 / (16 * 115200) = 13.02. */
	*uart_reg(UARTIBRD) = 13;
	*uart_reg(UARTFBRD) = 1;
	*uart_reg(UARTLCR_H) = LCRH_WLEN8 | LCRH_FEN;
	*uart_reg(UARTIMSC) = 0;
	*uart_reg(UARTCR) = CR_UARTEN | CR_TXE | CR_RXE;
}

void plat_console_putc(char c)
{
	while (*uart_reg(UARTFR) & FR_TXFF)
		;
	*uart_reg(UARTDR) = (uint32_t)(unsigned char)c;
}
