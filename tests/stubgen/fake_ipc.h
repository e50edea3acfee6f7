/* SPDX-License-Identifier: BSD-2-Clause */
/* A fake in-process IPC transport for host tests of generated stubs (libl4's <l4/ipc.h>). */
#pragma once

#include <l4/ipc.h>
#include <stdbool.h>

/* The only capability the fake knows; calls on any other fail with -L4_ECAP. */
#define FAKE_IPC_EP 5

/* Poison in message words the sender did not write: a stub reading them fails its test. */
#define FAKE_IPC_POISON 0xa5a5a5a5u

/*
 * The receiving side: handles a request in *tag/mr (UTCB words beyond, in the server's
 * UTCB) and returns whether a reply is due, left in *tag/mr.
 */
typedef bool (*fake_ipc_server_fn)(l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], l4_word_t badge);

struct fake_ipc {
	fake_ipc_server_fn server;
	l4_word_t badge;      /* badge the server sees */
	bool poison_replies;  /* under ASan, UTCB words past a reply are unreadable */
	int fail;	      /* when negative, the next calls return it (a transport error) */
	unsigned calls;	      /* l4_call invocations that reached the server */
	unsigned sends;	      /* l4_send invocations that reached the server */
	bool unexpected;      /* a send got a reply or a call got none */
	unsigned recvs;	      /* l4_recv calls (server side, scripted) */
	unsigned reply_recvs; /* l4_reply_recv calls */
	unsigned nreplies;    /* replies recorded by l4_reply_recv */
	l4_tag_t replies[8];
	l4_word_t reply_words[8][L4_MSG_REGS];
	l4_tag_t last_tag;	      /* request tag of the last message delivered */
	l4_word_t last[L4_MSG_WORDS]; /* its words */
};

extern struct fake_ipc fake_ipc;

/* Resets the counters and installs `server`. */
void fake_ipc_reset(fake_ipc_server_fn server);

/* A request for the scripted server side: l4_recv and l4_reply_recv hand these out in
 * order, then fail with -L4_EDEAD (which ends a generated serve loop). */
struct fake_ipc_msg {
	l4_tag_t tag;
	l4_word_t w[L4_MSG_WORDS];
};

void fake_ipc_script(const struct fake_ipc_msg *msgs, unsigned n);

/* Makes the client's UTCB readable again after a call with poison_replies. */
void fake_ipc_unpoison(void);

/* Makes the server thread's UTCB current (for tests that feed a dispatcher directly). */
void fake_ipc_as_server(bool server);
