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
 *
 * MR0..MR7 travel as they are, whatever the length: words at or past the length
 * reach the receiver with whatever the sender left in those registers, so a
 * sender that must not leak (a server answering many clients) clears them;
 * generated stubs do. Reply-and-receive replies first (if a caller waits) and
 * then receives; its result is the receive's. A thread owes at most one reply:
 * an endpoint receive (RECV, NBRECV) while it owes one fails with -L4_EBUSY.
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

/* System-call numbers: notifications (wait = RECV, poll = NBRECV on the notification). */
#define L4_SYS_SIGNAL 0x10 /* r0 = notification; ORs the cap's badge, or r1 if the badge is 0 */

/* System-call numbers: capabilities (r0 = the capability operated on). */
#define L4_SYS_CAP_COPY 0x18 /* r0 = src, r1 = dest space, r2 = dest slot */
#define L4_SYS_CAP_MINT \
	0x19 /* r0 = src, r1 = dest space, r2 = dest slot, r3 = rights, r4 = badge */
#define L4_SYS_CAP_DELETE 0x1a /* r0 = slot */
#define L4_SYS_CAP_REVOKE 0x1b /* r0 = slot: deletes every cap copied or minted from it */
#define L4_SYS_CAP_INFO	  0x1c /* r0 = slot; r1 = type, r2 = rights, r3 = badge */

/* System-call numbers: objects. */
#define L4_SYS_CREATE 0x20 /* r0 = kmem cap, r1 = L4_OBJ_*, r2 = dest slot in own table */
/*
 * A kmem cap names a quota: what may be made through it, per kernel pool. CREATE of an
 * L4_OBJ_KMEM makes a quota inside the kmem cap's own, with limits r3 = L4_KMEM_LIMITS(
 * threads, spaces, endpoints, notifications) and r4 = L4_KMEM_LIMITS2(second-level page
 * tables of the spaces made through it, quotas made through it); they are reserved in
 * the parent quota at once (-L4_ENOMEM if it has not that much left), so they are always
 * there for the new one. Any CREATE past a limit is -L4_ENOMEM, as is a map that needs a
 * page table past the limit of the quota its space was made through.
 */
#define L4_KMEM_LIMITS(threads, spaces, endpoints, notifications) \
	((threads) | (spaces) << 8 | (endpoints) << 16 | (uint32_t)(notifications) << 24)
#define L4_KMEM_LIMITS2(l2_tables, kmem) ((l2_tables) | (kmem) << 8)
/*
 * L4_SYS_THREAD_CONFIG: r0 = thread, r1 = space, r2 = UTCB va, r3 = fault ep slot
 * (0: none), r4 = prio. prio must not exceed the caller's maximum priority; it
 * becomes the thread's priority and its maximum (L4_THREAD_SET_PRIO limit).
 */
#define L4_SYS_THREAD_CONFIG 0x21
#define L4_SYS_THREAD_CTL    0x22 /* r0 = thread, r1 = L4_THREAD_*, r2, r3 = arguments */
#define L4_SYS_THREAD_REGS   0x23 /* r0 = thread, r1 = 0 read / 1 write, via UTCB mr[0..16] */
#define L4_SYS_MAP \
	0x24 /* r0 = space, r1 = memory cap, r2 = offset, r3 = va, r4 = size, r5 = L4_PERM_* */
#define L4_SYS_UNMAP   0x25 /* r0 = space, r1 = va, r2 = size */
#define L4_SYS_PROTECT 0x26 /* r0 = space, r1 = va, r2 = size, r3 = L4_PERM_* */
#define L4_SYS_IRQ_GET 0x28 /* r0 = irq control, r1 = irq number, r2 = dest slot */
#define L4_SYS_IRQ_SET 0x29 /* r0 = irq handler, r1 = notification cap (its badge is signalled) */
#define L4_SYS_IRQ_ACK 0x2a /* r0 = irq handler, r1 = L4_IRQ_ACK_*: unmask the line again */
/*
 * r1 = the CPU's busy cycles since boot, low 32 bits (every thread and the kernel; the
 * idle thread's excluded): for the cycles a piece of work cost the whole system.
 */
#define L4_SYS_CPU_BUSY 0x2b
#define L4_SYS_SYSTEM	0x30 /* r0 = system cap, r1 = L4_SYSTEM_*, r2, r3 = arguments */

/* System-call numbers: debugging (the console). */
#define L4_SYS_DEBUG_PUTC  0x40 /* r0 = character */
#define L4_SYS_DEBUG_WRITE 0x41 /* r0 = user pointer, r1 = length (<= L4_DEBUG_WRITE_MAX) */
#define L4_SYS_DEBUG_KSTAT 0x42 /* r0 = L4_KSTAT_*; returns the low 31 bits */

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
#define L4_EBUSY  10 /* the object is already in use (bound, waited on); a reply is still owed */
#define L4_ERANGE 11 /* a message length or count exceeds the kernel's limit */

/* Object (capability) types. */
#define L4_OBJ_NULL	    0
#define L4_OBJ_ENDPOINT	    1
#define L4_OBJ_NOTIFICATION 2
#define L4_OBJ_THREAD	    3
#define L4_OBJ_SPACE	    4
#define L4_OBJ_MEMORY	    5
#define L4_OBJ_IRQ	    6 /* one interrupt line's handler */
#define L4_OBJ_IRQ_CONTROL  7 /* authority to claim interrupt lines */
#define L4_OBJ_KMEM	    8 /* a quota of the kernel pools: authority to create objects */
#define L4_OBJ_SYSTEM	    9 /* statistics, trace, power off */

/* Capability rights. */
#define L4_RIGHT_SEND	 0x01 /* endpoint: send/call; notification: signal */
#define L4_RIGHT_RECV	 0x02 /* endpoint: receive; notification: wait/poll */
#define L4_RIGHT_GRANT	 0x04 /* may be copied or minted to another space */
#define L4_RIGHT_MAP	 0x08 /* memory: may be mapped (read, and execute if not writable) */
#define L4_RIGHT_WRITE	 0x10 /* memory: may be mapped writable */
#define L4_RIGHT_CONTROL 0x20 /* thread, space, irq, kmem, system: operate on the object */
#define L4_RIGHTS_ALL	 0x3f

/* Mapping permissions (L4_SYS_MAP, L4_SYS_PROTECT); W and X never together. */
#define L4_PERM_R 0x1
#define L4_PERM_W 0x2
#define L4_PERM_X 0x4
/* One call maps, unmaps or protects at most this many 4 KiB pages (1 MiB sections count 1). */
#define L4_MAP_MAX_UNITS 64

/* L4_SYS_THREAD_CTL operations. */
#define L4_THREAD_START		1 /* r2 = pc, r3 = sp: set and make runnable */
#define L4_THREAD_SUSPEND	2 /* stop; a blocked IPC is aborted with -L4_EAGAIN */
#define L4_THREAD_RESUME	3 /* make a suspended or fault-stopped thread runnable */
#define L4_THREAD_SET_PRIO	4 /* r2 = priority (<= the caller's maximum, see CONFIG) */
#define L4_THREAD_BIND		5 /* r2 = notification slot (0: unbind) */
#define L4_THREAD_DESTROY	6 /* stop for good; its callers get -L4_EDEAD */
#define L4_THREAD_CYCLES	7 /* r1:r2 = active cycles (low, high) */
#define L4_THREAD_SET_SLICE	8 /* r2 = time slice in microseconds (0: the default) */
#define L4_THREAD_SET_RECV_SLOT 9 /* r2 = slot of its space where a received cap goes (0: none) */
/* r2 = accounting group, 0..L4_ACCT_GROUPS - 1 (L4_SYSTEM_ACCT_GROUPS); a new thread has its creator's */
#define L4_THREAD_SET_ACCT     10
#define L4_THREAD_SLICE_MAX_US 1000000
#define L4_THREAD_PRIO_MAX     255

/*
 * L4_SYS_IRQ_ACK flags. AT_IDLE: until it next fires, the line is enabled only while the
 * CPU is idle, so its interrupt is taken at the same instruction whenever it arrived
 * (the lockstep of a driver whose device is a simulator: docs/kernel.md). A plain ack
 * ends that.
 */
#define L4_IRQ_ACK_AT_IDLE 0x1

/* L4_SYS_SYSTEM operations. */
#define L4_SYSTEM_OFF	1 /* r2 = exit status */
#define L4_SYSTEM_STATS 2 /* struct l4_kstats into the UTCB (mr[0..]) */
/* r2 = first event index; events into the UTCB; r1 = count, r2 = index of the first, r3 = recorded */
#define L4_SYSTEM_TRACE_READ  3
#define L4_SYSTEM_RESET_STATS 4
#define L4_SYSTEM_POOLS	      5 /* struct l4_pools into the UTCB (mr[0..]) */
/* r2 = a thread cap slot (0: the idle thread); struct l4_thread_acct into the UTCB. */
#define L4_SYSTEM_THREAD_ACCT 6
#define L4_SYSTEM_SLEEP_STATS 7 /* struct l4_sleep_stats into the UTCB */
/* r2 = first line (a multiple of 32, < L4_IRQ_LINES); 32 counts of idle wake-ups into the UTCB. */
#define L4_SYSTEM_IRQ_WAKES 8
#define L4_IRQ_LINES	    288 /* interrupt lines the kernel counts wake-ups of */
/*
 * Into the UTCB, word g < L4_ACCT_GROUPS: the low 32 bits of the active cycles of the
 * threads in accounting group g (L4_THREAD_SET_ACCT), summed, the caller's open interval
 * included, and of the group's threads freed since boot (so it never goes back); word L4_ACCT_GROUPS: the same of their kernel cycles (0 without the kernel-time
 * split, CONFIG_ACCT_KERNEL). For deltas. The only operation that needs L4_RIGHT_RECV on the
 * system cap instead of L4_RIGHT_CONTROL: a task may be given a cap that reads it and nothing
 * else.
 */
#define L4_SYSTEM_ACCT_GROUPS 9
#define L4_ACCT_GROUPS	      32

/* Fault messages: label L4_LABEL_FAULT, 4 words. */
#define L4_FAULT_UNDEF	 1 /* MR1 = pc */
#define L4_FAULT_PABT	 2 /* MR1 = pc, MR2 = address, MR3 = IFSR */
#define L4_FAULT_DABT	 3 /* MR1 = pc, MR2 = address, MR3 = DFSR */
#define L4_FAULT_SYSCALL 4 /* MR1 = pc after the svc, MR2 = the number in r7 */
#define L4_FAULT_MSG_LEN 4
#define L4_FAULT_KINDS	 5 /* kinds 0..4; 0 is never sent */
/*
 * One word per kind, for the kernel's report of an unhandled fault and the
 * supervisor's labelled line: `static const char *const n[L4_FAULT_KINDS] = L4_FAULT_NAMES;`
 */
#define L4_FAULT_NAMES                                                              \
	{                                                                           \
		[0] = "unknown", [L4_FAULT_UNDEF] = "undefined-instruction",        \
		[L4_FAULT_PABT] = "prefetch-abort", [L4_FAULT_DABT] = "data-abort", \
		[L4_FAULT_SYSCALL] = "unknown-syscall",                             \
	}
/* Reply labels to a fault message. */
#define L4_FAULT_RESUME 0 /* retry the instruction (after the handler fixed the cause) */
#define L4_FAULT_SET_PC 1 /* MR0 = new pc, MR1 = new sp; continue there */
#define L4_FAULT_STOP	2 /* leave the thread stopped (L4_THREAD_RESUME restarts it) */

/* Notification delivered by a receive: label L4_LABEL_NOTIFY, bits in the badge register. */
#define L4_LABEL_NOTIFY 0xfffeu
/* Tag flag: take the general path even where the fastpath could (benchmarks, tests). */
#define L4_TAG_F_SLOWPATH 0x01
/*
 * Tag flag set by the kernel on delivery when the message came from a call (or is a
 * fault message): the receiver owes a reply. A sender's own value is ignored.
 */
#define L4_TAG_F_CALL 0x02
/*
 * Tag flag: the message carries a capability (general path only). The sender names the
 * slot of a cap with L4_RIGHT_GRANT in its last message word (a register word: length
 * 1..L4_MSG_REGS); a send or call also needs L4_RIGHT_GRANT on the endpoint cap. The
 * kernel copies the cap (same rights and badge, a child in the derivation tree, so the
 * sender's revoke takes it back) into the receiver's receive slot (L4_THREAD_SET_RECV_SLOT)
 * and puts that slot in the word. If the receiver takes no cap (no slot set, or it is
 * full) or the cap is gone by delivery, the message arrives without the flag and with
 * the word 0. A reply may carry a cap too; one that cannot be granted is dropped (a
 * reply longer than L4_MSG_REGS words never carries one). L4_THREAD_START and moving a
 * thread to another space clear its receive slot.
 */
#define L4_TAG_F_CAP 0x04
/* Tag flag set by the kernel when a long message could not be written to the UTCB. */
#define L4_TAG_F_TRUNCATED 0x80

/* Capability slots the root task starts with (the rest is listed in its boot info). */
#define L4_ROOT_CAP_SPACE	1
#define L4_ROOT_CAP_THREAD	2
#define L4_ROOT_CAP_KMEM	3
#define L4_ROOT_CAP_IRQ_CONTROL 4
#define L4_ROOT_CAP_SYSTEM	5
#define L4_ROOT_CAP_RAM		6 /* all free RAM: map, write, grant */
#define L4_ROOT_CAP_DEVICE	7 /* the virtio-mmio window */
#define L4_ROOT_CAP_IMAGE	8 /* the root task's own text (map, no write) */
#define L4_ROOT_CAP_FIRST_FREE	16
#define L4_CAP_SLOTS		128

#define L4_BOOTINFO_MAGIC 0x4c344249u

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
#define L4_USER_TOP	0x80000000u
#define L4_PAGE_SIZE	4096u
#define L4_SECTION_SIZE 0x100000u
#define L4_UTCB_ALIGN	512u

#ifndef __ASSEMBLER__
#include <stdint.h>

/* What the root task finds at the address in r0 when it starts. */
struct l4_bootinfo {
	uint32_t magic;
	uint32_t ram_base, ram_size;	   /* L4_ROOT_CAP_RAM covers [ram_base, +ram_size) */
	uint32_t device_base, device_size; /* L4_ROOT_CAP_DEVICE */
	uint32_t image_base, image_size;   /* L4_ROOT_CAP_IMAGE: root text at the same user va */
	uint32_t utcb;			   /* the root thread's UTCB */
	uint32_t cap_slots;		   /* L4_CAP_SLOTS */
	uint32_t max_threads, max_spaces, max_endpoints, max_notifications;
	uint32_t timer_hz; /* generic timer frequency */
};

/* L4_SYSTEM_STATS, in the UTCB. Cycles are icount cycles under -icount. */
struct l4_kstats {
	uint64_t syscalls;
	uint64_t ipc;	   /* messages delivered (fastpath + slowpath), fault messages included */
	uint64_t fastpath; /* of those, delivered by the fastpath */
	uint64_t slowpath; /* of those, delivered by the general path */
	uint64_t irqs;
	uint64_t switches;
	uint64_t idle_sleeps; /* switches to the idle thread */
	uint64_t idle_cycles;
	/*
	 * Receives and notification waits that found nothing and blocked, in the general
	 * path (a fastpath reply-and-receive blocks too: it counts as the reply it delivered).
	 */
	uint64_t waits;
};

/* L4_SYSTEM_POOLS, in the UTCB: free entries of each kernel object pool. */
struct l4_pools {
	uint32_t threads, spaces, endpoints, notifications, l2_tables, kmem;
};
_Static_assert(sizeof(struct l4_pools) == 24, "l4_pools layout is ABI");

/*
 * L4_SYSTEM_THREAD_ACCT: a thread's accounting (always on). user + kernel = cycles: its
 * active cycles, charged at every switch away from it; kernel is the part from a kernel
 * entry (system call, interrupt, fault) to the switch or the return to it. Read for the
 * calling thread itself, both include the interval still open. Wake-ups: times it left a
 * blocked state, by cause, counted on the general path (a fastpath IPC is not counted:
 * the trace has every one). Under -icount shift=0 a cycle is an executed instruction.
 */
struct l4_thread_acct {
	uint64_t cycles;   /* active: user + kernel */
	uint64_t kernel;   /* of those, in the kernel on its behalf */
	uint32_t id;	   /* the thread id of trace events (0: idle) */
	uint32_t wakes[4]; /* L4_WAKE_* */
	uint32_t pad;
};
#define L4_WAKE_IPC   0 /* a message, reply or completed send (general path) */
#define L4_WAKE_NTFN  1 /* a notification signalled by a thread */
#define L4_WAKE_IRQ   2 /* a notification signalled by an interrupt line */
#define L4_WAKE_OTHER 3 /* started, resumed, a fault reply, an aborted IPC */
#define L4_WAKE_COUNT 4

/*
 * L4_SYSTEM_SLEEP_STATS: the CPU's sleeps (the idle thread's intervals, from the switch to
 * it to the switch away). hist[i] counts sleeps of [2^i, 2^(i+1)) cycles (hist[0]: 0..1).
 */
#define L4_SLEEP_HIST 32
struct l4_sleep_stats {
	uint64_t sleeps; /* completed sleeps */
	uint64_t cycles; /* their total length */
	uint32_t hist[L4_SLEEP_HIST];
};

/*
 * One trace-ring event (CONFIG_TRACE), as L4_SYSTEM_TRACE_READ returns it. `thread` is the
 * thread running when it happened (0: idle, L4_TRACE_UNKNOWN: before the oldest event read).
 */
struct l4_trace_event {
	uint32_t cycles; /* PMCCNTR, low 32 bits */
	uint8_t type;	 /* L4_TRACE_* */
	uint8_t thread;
	uint8_t to; /* the other thread, where there is one */
	uint8_t pad;
	uint32_t a, b;
};
#define L4_TRACE_UNKNOWN 0xff
#define L4_TRACE_SWITCH	 1 /* thread -> to (the cycle stamp is the accounting's) */
#define L4_TRACE_IPC	 2 /* general path: a = tag (F_CALL: a call), b = badge, to = receiver */
#define L4_TRACE_IRQ	 3 /* a = line */
#define L4_TRACE_FASTIPC 4 /* fastpath IPC and switch thread -> to: a = tag, b = badge */
#define L4_TRACE_NOTIFY	 5 /* to = the woken thread (0: none waited), a = bits, b = line or 0xffff */
#define L4_TRACE_FAULT	 6 /* thread faulted: a = kind, b = pc */
#define L4_TRACE_SLEEP	 7 /* the CPU goes idle */
#define L4_TRACE_WAKE	 8 /* the CPU leaves idle: a = the line that woke it, b = sleep length */
#define L4_TRACE_LOST	 9 /* a = events lost (the ring overran the reader) */
#define L4_TRACE_TYPES	 9
#endif
