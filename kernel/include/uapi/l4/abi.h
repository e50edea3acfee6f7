/* SPDX-License-Identifier: BSD-2-Clause */
/* The user/kernel system-call ABI: numbers, registers and error codes (C and assembly). */
#pragma once

/*
 * System-call convention (ARM state, `svc #0`):
 *   r7          system-call number (L4_SYS_*)
 *   r0..r5      arguments
 *   r0          result: >= 0 on success, a negated L4_E* code otherwise
 * All other registers are preserved.
 *
 * IPC calls (L4_SYS_CALL .. L4_SYS_REPLY) use more registers:
 *   r0          in: capability slot of the endpoint; out: result, see below
 *   r1          message tag (in: what is sent; out: what was received)
 *   r2..r6, r8..r10   message registers MR0..MR7 (L4_MSG_REGS words)
 *   r11         out (receive): badge of the capability the sender used
 *   UTCB mr[8..L4_MSG_WORDS)   the rest of a longer message
 * On return r0 is 0 or a negated L4_E* code. Registers r2..r6, r8..r11 are
 * clobbered by every IPC call (they carry the reply or the received message).
 */

/* System-call numbers: IPC. */
#define L4_SYS_CALL	  0x01 /* send to r0 and wait for the reply (reply capability implied) */
#define L4_SYS_REPLY_RECV 0x02 /* reply to the last caller, then receive on r0 */
#define L4_SYS_SEND	  0x03 /* send to r0; blocks until a receiver takes it */
#define L4_SYS_NBSEND	  0x04 /* send to r0 only if a receiver waits (-L4_EAGAIN otherwise) */
#define L4_SYS_RECV	  0x05 /* receive on an endpoint or wait on a notification */
#define L4_SYS_NBRECV	  0x06 /* receive / poll without blocking (-L4_EAGAIN when nothing) */
#define L4_SYS_REPLY	  0x07 /* reply to the last caller without receiving */
#define L4_SYS_YIELD	  0x08 /* give up the rest of the time slice */

/* System-call numbers: debugging (the console). */
#define L4_SYS_DEBUG_PUTC  0x40 /* r0 = character */
#define L4_SYS_DEBUG_WRITE 0x41 /* r0 = user pointer, r1 = length (<= L4_DEBUG_WRITE_MAX) */
#define L4_SYS_DEBUG_KSTAT 0x42 /* r0 = L4_KSTAT_*; returns the low 31 bits */
#define L4_SYS_SYSTEM_OFF  0x43 /* r0 = exit status; privileged threads only */

/* Error codes, returned negated. */
#define L4_EOK	  0
#define L4_EINVAL 1  /* an argument is out of range */
#define L4_EFAULT 2  /* a user pointer is not mapped with the needed rights */
#define L4_EPERM  3  /* the caller lacks the right for this call */
#define L4_ENOSYS 4  /* no such system call */
#define L4_ENOMEM 5  /* a kernel pool is exhausted */
#define L4_ECAP	  6  /* the capability slot is empty or out of range */
#define L4_ETYPE  7  /* the capability names an object of another type */
#define L4_EAGAIN 8  /* a non-blocking call would have blocked */
#define L4_EDEAD  9  /* the peer is gone (restarted or deleted) while the call was in flight */
#define L4_EBUSY  10 /* the object is already in use (bound, waited on) */
#define L4_ERANGE 11 /* a message length or count exceeds the kernel's limit */

/* Counters readable with L4_SYS_DEBUG_KSTAT. */
#define L4_KSTAT_SYSCALLS 0
#define L4_KSTAT_IRQS	  1
#define L4_KSTAT_SWITCHES 2
#define L4_KSTAT_COUNT	  3

#define L4_DEBUG_WRITE_MAX 256

/*
 * Message tag: label[31:16] | flags[15:8] | length[6:0].
 * length counts message words (0..L4_MSG_WORDS); the first L4_MSG_REGS travel in
 * registers, the rest in the UTCB. The label is the receiver's to interpret (the
 * stub generator puts interface and operation ids there); the kernel never looks
 * at it. A fault message carries L4_LABEL_FAULT.
 */
#define L4_MSG_REGS	   8
#define L4_MSG_WORDS	   64
#define L4_TAG_LEN_MASK	   0x7fu
#define L4_TAG_FLAGS_SHIFT 8
#define L4_TAG_LABEL_SHIFT 16
#define L4_LABEL_FAULT	   0xffffu

/* The user half of every address space: [0, L4_USER_TOP). */
#define L4_USER_TOP  0x80000000u
#define L4_PAGE_SIZE 4096u
