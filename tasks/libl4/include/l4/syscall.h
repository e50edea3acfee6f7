/* SPDX-License-Identifier: BSD-2-Clause */
/* libl4: system-call wrappers for tasks (ABI in <l4/abi.h>). */
#pragma once

#include <l4/abi.h>
#include <stddef.h>
#include <stdint.h>

static inline int l4_syscall2(uint32_t nr, uint32_t a0, uint32_t a1)
{
	register uint32_t r0 __asm__("r0") = a0;
	register uint32_t r1 __asm__("r1") = a1;
	register uint32_t r7 __asm__("r7") = nr;

	__asm__ volatile("svc #0" : "+r"(r0) : "r"(r1), "r"(r7) : "memory");
	return (int)r0;
}

static inline int l4_debug_putc(char c)
{
	return l4_syscall2(L4_SYS_DEBUG_PUTC, (uint32_t)(unsigned char)c, 0);
}

/* Writes up to L4_DEBUG_WRITE_MAX bytes; returns the count or -L4_E*. */
static inline int l4_debug_write(const void *buf, size_t len)
{
	return l4_syscall2(L4_SYS_DEBUG_WRITE, (uint32_t)(uintptr_t)buf, (uint32_t)len);
}

static inline int l4_debug_kstat(unsigned which)
{
	return l4_syscall2(L4_SYS_DEBUG_KSTAT, (uint32_t)which, 0);
}

/* Ends the run with `status` (privileged threads only); returns -L4_EPERM otherwise. */
static inline int l4_system_off(int status)
{
	return l4_syscall2(L4_SYS_SYSTEM_OFF, (uint32_t)status, 0);
}

/* Writes a NUL-terminated string of any length in L4_DEBUG_WRITE_MAX chunks. */
int l4_debug_puts(const char *s);
/* Writes `v` in decimal. */
int l4_debug_putu(uint32_t v);
