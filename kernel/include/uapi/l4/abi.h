/* SPDX-License-Identifier: BSD-2-Clause */
/* The user/kernel system-call ABI: numbers, registers and error codes (C and assembly). */
#pragma once

/*
 * System-call convention (ARM state, `svc #0`):
 *   r7          system-call number (L4_SYS_*)
 *   r0..r5      arguments
 *   r0          result: >= 0 on success, a negated L4_E* code otherwise
 * All other registers are preserved.
 */

/* System-call numbers. */
#define L4_SYS_DEBUG_PUTC  0x40 /* r0 = character */
#define L4_SYS_DEBUG_WRITE 0x41 /* r0 = user pointer, r1 = length (<= L4_DEBUG_WRITE_MAX) */
#define L4_SYS_DEBUG_KSTAT 0x42 /* r0 = L4_KSTAT_*; returns the low 31 bits */
#define L4_SYS_SYSTEM_OFF  0x43 /* r0 = exit status; privileged threads only */

/* Error codes, returned negated. */
#define L4_EOK	  0
#define L4_EINVAL 1 /* an argument is out of range */
#define L4_EFAULT 2 /* a user pointer is not mapped with the needed rights */
#define L4_EPERM  3 /* the caller lacks the right for this call */
#define L4_ENOSYS 4 /* no such system call */
#define L4_ENOMEM 5 /* a kernel pool is exhausted */

/* Counters readable with L4_SYS_DEBUG_KSTAT. */
#define L4_KSTAT_SYSCALLS 0
#define L4_KSTAT_IRQS	  1
#define L4_KSTAT_SWITCHES 2
#define L4_KSTAT_COUNT	  3

#define L4_DEBUG_WRITE_MAX 256

/* The user half of every address space: [0, L4_USER_TOP). */
#define L4_USER_TOP  0x80000000u
#define L4_PAGE_SIZE 4096u
