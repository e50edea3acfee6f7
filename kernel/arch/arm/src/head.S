/* SPDX-License-Identifier: BSD-2-Clause */
/* Reset entry: runs at the physical load address, turns the MMU on and jumps high. */
#include <arch/mmu.h>
#include <arch/regs.h>
#include <plat/platform.h>

#define PV_OFFSET (KERNEL_VBASE - PLAT_RAM_BASE)

#if CONFIG_RAM_MB > (DEVICE_VBASE - KERNEL_VBASE) / 0x100000
#error "CONFIG_RAM_MB does not fit below the device window"
#endif

	.section .boot, "ax"
	.arm
	.global _start
_start:
	cpsid	aif, #PSR_MODE_SVC

	/* MMU and caches off; drop whatever the TLBs and I-cache hold. */
	mrc	p15, 0, r0, c1, c0, 0
	bic	r0, r0, #(SCTLR_M | SCTLR_C)
	bic	r0, r0, #SCTLR_I
	mcr	p15, 0, r0, c1, c0, 0
	isb
	mov	r0, #0
	mcr	p15, 0, r0, c8, c7, 0		/* TLBIALL */
	mcr	p15, 0, r0, c7, c5, 0		/* ICIALLU */
	mcr	p15, 0, r0, c7, c5, 6		/* BPIALL */
	dsb
	isb

	/* Zero .bss through its physical address (it holds the boot table). */
	ldr	r3, =PV_OFFSET
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	sub	r0, r0, r3
	sub	r1, r1, r3
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b

	/* r4 = physical address of boot_l1. */
	ldr	r4, =boot_l1
	sub	r4, r4, r3

	/* Identity section for the code below, removed again by arch_init(). */
	ldr	r0, =(PLAT_RAM_BASE | L1_SECT_KERNEL)
	add	r1, r4, #((PLAT_RAM_BASE >> 20) * 4)
	str	r0, [r1]

	/* RAM linear map at KERNEL_VBASE, 1 MiB sections. */
	ldr	r0, =(PLAT_RAM_BASE | L1_SECT_KERNEL)
	add	r1, r4, #((KERNEL_VBASE >> 20) * 4)
	ldr	r2, =CONFIG_RAM_MB
2:	str	r0, [r1], #4
	add	r0, r0, #0x100000
	subs	r2, r2, #1
	bne	2b

	/* Device window: physical pa -> DEVICE_VBASE + pa. */
	ldr	r0, =((PLAT_DEVICE_FIRST_MB << 20) | L1_SECT_DEVICE)
	ldr	r1, =((DEVICE_VBASE >> 20) + PLAT_DEVICE_FIRST_MB)
	add	r1, r4, r1, lsl #2
	mov	r2, #(PLAT_DEVICE_LAST_MB - PLAT_DEVICE_FIRST_MB + 1)
3:	str	r0, [r1], #4
	add	r0, r0, #0x100000
	subs	r2, r2, #1
	bne	3b

	mov	r0, #TTBCR_N
	mcr	p15, 0, r0, c2, c0, 2		/* TTBCR */
	orr	r0, r4, #TTBR_WALK_WBWA
	mcr	p15, 0, r0, c2, c0, 0		/* TTBR0: low half of the same table */
	mcr	p15, 0, r0, c2, c0, 1		/* TTBR1 */
	mov	r0, #1
	mcr	p15, 0, r0, c3, c0, 0		/* DACR: domain 0 client */
	mov	r0, #0
	mcr	p15, 0, r0, c13, c0, 1		/* CONTEXTIDR: reserved ASID 0 */
	dsb
	isb

	mrc	p15, 0, r0, c1, c0, 0
	bic	r0, r0, #SCTLR_A
	bic	r0, r0, #SCTLR_V
	bic	r0, r0, #(SCTLR_TRE | SCTLR_AFE)
	orr	r0, r0, #(SCTLR_M | SCTLR_C)
	orr	r0, r0, #SCTLR_Z
	orr	r0, r0, #SCTLR_I
	mcr	p15, 0, r0, c1, c0, 0
	isb

	ldr	pc, =arm_boot_high
	.ltorg

	.text
	.arm
arm_boot_high:
	ldr	sp, =kernel_stack_top
	bl	kernel_main
	b	.

	.section .bss.boot_l1, "aw", %nobits
	.balign	16384
	.global	boot_l1
boot_l1:
	.space	16384
