/* SPDX-License-Identifier: BSD-2-Clause */
/* libl4 IPC: message tags, the UTCB and the send/receive/call calls (ABI in <l4/abi.h>). */
#pragma once

#include <l4/abi.h>
#include <stdint.h>

typedef uint32_t l4_word_t;
typedef uint32_t l4_cap_t; /* a slot in the calling task's capability table */
typedef uint32_t l4_tag_t; /* label | flags | length, see <l4/abi.h> */

/*
 * The user thread control block: one per thread, mapped in its task, found with
 * l4_utcb(). Message words [L4_MSG_REGS, length) of a message are read from and
 * written to mr[] at the same index; mr[0..L4_MSG_REGS) are unused by the kernel.
 */
struct l4_utcb {
	l4_word_t mr[L4_MSG_WORDS];
	l4_word_t user[8]; /* free for the runtime (thread id, errno, ...) */
};
_Static_assert(sizeof(struct l4_utcb) == (L4_MSG_WORDS + 8) * 4, "UTCB layout is ABI");

static inline l4_tag_t l4_tag(unsigned label, unsigned flags, unsigned len)
{
	return ((l4_tag_t)label << L4_TAG_LABEL_SHIFT) |
	       ((l4_tag_t)(flags & 0xff) << L4_TAG_FLAGS_SHIFT) | (len & L4_TAG_LEN_MASK);
}

static inline unsigned l4_tag_label(l4_tag_t tag)
{
	return tag >> L4_TAG_LABEL_SHIFT;
}

static inline unsigned l4_tag_flags(l4_tag_t tag)
{
	return (tag >> L4_TAG_FLAGS_SHIFT) & 0xff;
}

static inline unsigned l4_tag_len(l4_tag_t tag)
{
	return tag & L4_TAG_LEN_MASK;
}

/* This thread's UTCB (its address is kept in TPIDRURO by the kernel). */
struct l4_utcb *l4_utcb(void);

/*
 * All IPC calls return 0 or a negated L4_E* code (transport errors: bad cap,
 * missing right, peer gone). `mr` holds message words 0..L4_MSG_REGS-1; words
 * beyond travel in l4_utcb()->mr. On receive, *tag and mr[] (and the UTCB words)
 * hold the message that arrived and *badge the badge of the sender's capability.
 */
int l4_call(l4_cap_t ep, l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS]);
int l4_send(l4_cap_t ep, l4_tag_t tag, const l4_word_t mr[L4_MSG_REGS]);
int l4_nbsend(l4_cap_t ep, l4_tag_t tag, const l4_word_t mr[L4_MSG_REGS]);
int l4_recv(l4_cap_t ep, l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], l4_word_t *badge);
int l4_nbrecv(l4_cap_t ep, l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], l4_word_t *badge);
/* Replies to the caller this thread received from last, then receives on `ep`. */
int l4_reply_recv(l4_cap_t ep, l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], l4_word_t *badge);
int l4_reply(l4_tag_t tag, const l4_word_t mr[L4_MSG_REGS]);
