/* SPDX-License-Identifier: BSD-2-Clause */
/* libl4: system-call wrappers for tasks (ABI in <l4/abi.h>, IPC in <l4/ipc.h>). */
#pragma once

#include <l4/abi.h>
#include <l4/ipc.h>
#include <stddef.h>
#include <stdint.h>

/* Results beyond r0 that some calls return in r1..r3. */
struct l4_ret {
	int err;
	uint32_t r1, r2, r3;
};

static inline struct l4_ret l4_syscall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2,
				       uint32_t a3, uint32_t a4, uint32_t a5)
{
	register uint32_t r0 __asm__("r0") = a0;
	register uint32_t r1 __asm__("r1") = a1;
	register uint32_t r2 __asm__("r2") = a2;
	register uint32_t r3 __asm__("r3") = a3;
	register uint32_t r4 __asm__("r4") = a4;
	register uint32_t r5 __asm__("r5") = a5;
	register uint32_t r7 __asm__("r7") = nr;

	__asm__ volatile("svc #0"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
			 : "r"(r4), "r"(r5), "r"(r7)
			 : "memory");
	return (struct l4_ret){(int)r0, r1, r2, r3};
}

static inline int l4_syscall2(uint32_t nr, uint32_t a0, uint32_t a1)
{
	return l4_syscall(nr, a0, a1, 0, 0, 0, 0).err;
}

/* Debugging: the kernel console. */
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

/* Writes a NUL-terminated string of any length in L4_DEBUG_WRITE_MAX chunks. */
int l4_debug_puts(const char *s);
/* Writes `v` in decimal. */
int l4_debug_putu(uint32_t v);
/* Writes `v` as 8 hex digits. */
int l4_debug_putx(uint32_t v);

/* Scheduling and notifications. */
static inline int l4_yield(void)
{
	return l4_syscall2(L4_SYS_YIELD, 0, 0);
}

static inline int l4_signal(l4_cap_t ntfn, uint32_t bits)
{
	return l4_syscall2(L4_SYS_SIGNAL, ntfn, bits);
}

/* Waits for bits on a notification; returns 0 and the bits in *bits. */
int l4_wait(l4_cap_t ntfn, uint32_t *bits);
/* Like l4_wait but never blocks: -L4_EAGAIN when no bit is set. */
int l4_poll(l4_cap_t ntfn, uint32_t *bits);

/* Capabilities. dst_space 0 names the caller's own table. */
static inline int l4_cap_copy(l4_cap_t src, l4_cap_t dst_space, l4_cap_t dst_slot)
{
	return l4_syscall(L4_SYS_CAP_COPY, src, dst_space, dst_slot, 0, 0, 0).err;
}

static inline int l4_cap_mint(l4_cap_t src, l4_cap_t dst_space, l4_cap_t dst_slot, uint32_t rights,
			      uint32_t badge)
{
	return l4_syscall(L4_SYS_CAP_MINT, src, dst_space, dst_slot, rights, badge, 0).err;
}

static inline int l4_cap_delete(l4_cap_t slot)
{
	return l4_syscall2(L4_SYS_CAP_DELETE, slot, 0);
}

static inline int l4_cap_revoke(l4_cap_t slot)
{
	return l4_syscall2(L4_SYS_CAP_REVOKE, slot, 0);
}

/* Returns the type (L4_OBJ_*), rights and badge of a slot. */
static inline struct l4_ret l4_cap_info(l4_cap_t slot)
{
	return l4_syscall(L4_SYS_CAP_INFO, slot, 0, 0, 0, 0, 0);
}

/* Objects. */
static inline int l4_create(l4_cap_t kmem, unsigned type, l4_cap_t dst_slot)
{
	return l4_syscall(L4_SYS_CREATE, kmem, type, dst_slot, 0, 0, 0).err;
}

/* A kmem quota inside `kmem`'s: at most this many of each, reserved there at once. */
static inline int l4_create_kmem(l4_cap_t kmem, l4_cap_t dst_slot, unsigned threads,
				 unsigned spaces, unsigned endpoints, unsigned notifications,
				 unsigned l2_tables, unsigned quotas)
{
	return l4_syscall(L4_SYS_CREATE, kmem, L4_OBJ_KMEM, dst_slot,
			  L4_KMEM_LIMITS(threads, spaces, endpoints, notifications),
			  L4_KMEM_LIMITS2(l2_tables, quotas), 0)
		.err;
}

static inline int l4_thread_config(l4_cap_t thread, l4_cap_t space, uint32_t utcb,
				   l4_cap_t fault_ep, unsigned prio)
{
	return l4_syscall(L4_SYS_THREAD_CONFIG, thread, space, utcb, fault_ep, prio, 0).err;
}

static inline int l4_thread_ctl(l4_cap_t thread, unsigned op, uint32_t a, uint32_t b)
{
	return l4_syscall(L4_SYS_THREAD_CTL, thread, op, a, b, 0, 0).err;
}

static inline int l4_thread_start(l4_cap_t thread, uint32_t pc, uint32_t sp)
{
	return l4_thread_ctl(thread, L4_THREAD_START, pc, sp);
}

/* Where a capability in a message `thread` receives goes (L4_TAG_F_CAP); 0: take none. */
static inline int l4_thread_set_recv_slot(l4_cap_t thread, l4_cap_t slot)
{
	return l4_thread_ctl(thread, L4_THREAD_SET_RECV_SLOT, slot, 0);
}

/* Active cycles of a thread (64-bit). */
static inline int l4_thread_cycles(l4_cap_t thread, uint64_t *cycles)
{
	struct l4_ret r = l4_syscall(L4_SYS_THREAD_CTL, thread, L4_THREAD_CYCLES, 0, 0, 0, 0);

	*cycles = ((uint64_t)r.r2 << 32) | r.r1;
	return r.err;
}

/* exchange_registers: write = 0 reads the thread's 17 registers into UTCB mr[0..16]. */
static inline int l4_thread_regs(l4_cap_t thread, unsigned write)
{
	return l4_syscall2(L4_SYS_THREAD_REGS, thread, write);
}

static inline int l4_map(l4_cap_t space, l4_cap_t mem, uint32_t offset, uint32_t va, uint32_t size,
			 unsigned perm)
{
	return l4_syscall(L4_SYS_MAP, space, mem, offset, va, size, perm).err;
}

static inline int l4_unmap(l4_cap_t space, uint32_t va, uint32_t size)
{
	return l4_syscall(L4_SYS_UNMAP, space, va, size, 0, 0, 0).err;
}

static inline int l4_protect(l4_cap_t space, uint32_t va, uint32_t size, unsigned perm)
{
	return l4_syscall(L4_SYS_PROTECT, space, va, size, perm, 0, 0).err;
}

/* Interrupts. */
static inline int l4_irq_get(l4_cap_t irq_control, unsigned irq, l4_cap_t dst_slot)
{
	return l4_syscall(L4_SYS_IRQ_GET, irq_control, irq, dst_slot, 0, 0, 0).err;
}

static inline int l4_irq_set(l4_cap_t irq, l4_cap_t ntfn)
{
	return l4_syscall2(L4_SYS_IRQ_SET, irq, ntfn);
}

static inline int l4_irq_ack(l4_cap_t irq)
{
	return l4_syscall2(L4_SYS_IRQ_ACK, irq, 0);
}

/* The CPU's busy cycles (all threads and the kernel, not idle), low 32 bits: for deltas. */
static inline uint32_t l4_cpu_busy(void)
{
	return l4_syscall(L4_SYS_CPU_BUSY, 0, 0, 0, 0, 0, 0).r1;
}

/* Acknowledge `irq`, unmasking its line only when the CPU next goes idle. */
static inline int l4_irq_ack_at_idle(l4_cap_t irq)
{
	return l4_syscall2(L4_SYS_IRQ_ACK, irq, L4_IRQ_ACK_AT_IDLE);
}

/* System: statistics, trace, power off (needs the system capability). */
static inline int l4_system(l4_cap_t sys, unsigned op, uint32_t a)
{
	return l4_syscall(L4_SYS_SYSTEM, sys, op, a, 0, 0, 0).err;
}

/* Copies the kernel's counters (struct l4_kstats) into *out via the UTCB. */
int l4_kstats(l4_cap_t sys, struct l4_kstats *out);
/* A thread's accounting (thread: a thread cap, 0: the idle thread) into *out. */
int l4_thread_acct(l4_cap_t sys, l4_cap_t thread, struct l4_thread_acct *out);
/* The CPU's sleeps: count, total, histogram of lengths. */
int l4_sleep_stats(l4_cap_t sys, struct l4_sleep_stats *out);
/* Idle wake-ups by interrupt line, lines first..first+31 (first: a multiple of 32). */
int l4_irq_wakes(l4_cap_t sys, unsigned first, uint32_t out[32]);
/*
 * Active cycles per accounting group (L4_THREAD_SET_ACCT), low 32 bits, and the kernel's
 * share in out[L4_ACCT_GROUPS]: for deltas. Needs only L4_RIGHT_RECV on `sys`.
 */
int l4_acct_groups(l4_cap_t sys, uint32_t out[L4_ACCT_GROUPS + 1]);
/* Copies the free entries of every kernel object pool (struct l4_pools) into *out. */
int l4_pools(l4_cap_t sys, struct l4_pools *out);

static inline int l4_system_off(l4_cap_t sys, int status)
{
	return l4_system(sys, L4_SYSTEM_OFF, (uint32_t)status);
}
