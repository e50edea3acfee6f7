/* SPDX-License-Identifier: BSD-2-Clause */
/* Runtime support for stubgen's generated stubs: status codes, buffer handles, counters. */
#pragma once

#include <l4/ipc.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/*
 * Every l4e error is 0 (success) or negative, in ranges that never overlap
 * (docs/errors.md lists every code):
 *   -1 .. -31          the kernel's -L4_E* (<l4/abi.h>), also used by the task runtime
 *   -32 .. -63         the stubs' (IPC transport) -L4E_STUB_* below
 *   -64 .. -95         the protocol libraries' L2_E* (<l2/env.h>), layer 2 and layer 3
 *   -96 .. -127        the host simulator's PORT_E* (sim/port.h)
 *   -0x101 .. -0xfeff  application errors: interface id i owns -(i << 8 | 1) ..
 *                      -(i << 8 | 255), its IDL `raises` enum numbered 1..255
 * A client stub returns 0, a kernel or stub code, or an application code the operation
 * raises; the reply label carries an application code negated (0x101..0xfeff).
 */
#define L4E_ERR_KERNEL_MIN    (-31)
#define L4E_ERR_STUB_MIN      (-63)
#define L4E_ERR_LIB_MIN	      (-95)
#define L4E_ERR_SIM_MIN	      (-127)
#define L4E_APP_ERROR(iid, n) (-(int)((unsigned)(iid) << 8 | (unsigned)(n)))
/* The interface id an application error code belongs to (0 when `err` is none). */
#define L4E_APP_ERROR_IFACE(err) \
	((err) <= -0x101 && (err) >= -(int)L4E_ERROR_MAX ? (unsigned)-(err) >> 8 : 0u)

/* The stubs' own codes (negated): -32 .. -63. */
#define L4E_STUB_EBADMSG 32 /* the server rejected the request as malformed */
#define L4E_STUB_ENOOP	 33 /* the server does not implement the operation */
#define L4E_STUB_ESERVER 34 /* the implementation failed without a declared error */
#define L4E_STUB_EPROTO	 35 /* the reply is malformed (bad length, label or value) */
#define L4E_STUB_EARG	 36 /* an argument breaks its IDL bound; nothing was sent */

/*
 * Request label: interface id [15:8] | operation id [7:0] (idl/README.md).
 * Reply label: 0 on success, the application error code negated (0x101..0xfeff), or one of
 * the stubs' own codes below; a reply with a non-zero label carries no words.
 */
#define L4E_LABEL_IFACE_SHIFT 8
#define L4E_LABEL(iface, op)  (((unsigned)(iface) << L4E_LABEL_IFACE_SHIFT) | (unsigned)(op))
#define L4E_REPLY_OK	      0x0000u
#define L4E_REPLY_BADMSG      0xff01u
#define L4E_REPLY_NOOP	      0xff02u
#define L4E_REPLY_ESERVER     0xff03u
#define L4E_ERROR_MAX	      0xfeffu /* the highest application error a reply label carries */

/* A bulk-data handle: a byte range of a shared buffer pool (IDL type `buffer`). */
struct l4e_buffer {
	uint32_t pool;
	uint32_t offset;
	uint32_t length;
};
_Static_assert(sizeof(struct l4e_buffer) == 12, "buffer handle: three message words");

#define L4E_BUF_R 1u /* the server may read the range */
#define L4E_BUF_W 2u /* the server may write the range */

/* A pool the server shares with the client whose capability carries `badge`. */
struct l4e_pool {
	uint32_t id;
	l4_word_t badge;
	uint32_t rights; /* L4E_BUF_* */
	uint32_t size;
	void *base; /* where the pool is mapped in the server */
};

/* Per-server counters: every rejected request increments exactly one of them. */
struct l4e_stub_stats {
	uint32_t requests;	   /* well-formed requests handed to the implementation */
	uint32_t bad_label;	   /* unknown interface or operation id */
	uint32_t bad_kind;	   /* a oneway operation called, or a two-way one only sent */
	uint32_t bad_length;	   /* message length does not match the label's operation */
	uint32_t bad_value;	   /* enum, bool or narrow integer out of range */
	uint32_t bad_bound;	   /* sequence or string longer than its IDL bound */
	uint32_t bad_string;	   /* string with a NUL inside its length */
	uint32_t bad_buffer;	   /* buffer handle outside the caller's pools or rights */
	uint32_t impl_errors;	   /* implementation returned an undeclared error or bad data */
	uint32_t transport_errors; /* reply failed (the caller went away) */
};

/* The pool `b` lies in, if the client with `badge` may use it with `rights`; else NULL. */
static inline const struct l4e_pool *l4e_buffer_check(const struct l4e_pool *pools, unsigned n,
						      l4_word_t badge, const struct l4e_buffer *b,
						      uint32_t rights)
{
	for (unsigned i = 0; i < n; i++) {
		const struct l4e_pool *p = &pools[i];

		if (p->id != b->pool || p->badge != badge)
			continue;
		if ((p->rights & rights) != rights)
			return NULL;
		if (b->offset > p->size || b->length > p->size - b->offset)
			return NULL;
		return p;
	}
	return NULL;
}

/* The first byte of a checked handle in the server's mapping of its pool. */
static inline void *l4e_buffer_ptr(const struct l4e_pool *p, const struct l4e_buffer *b)
{
	return (char *)p->base + b->offset;
}

static inline uint32_t l4e_strnlen(const char *s, uint32_t max)
{
	uint32_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

static inline bool l4e_has_nul(const char *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!s[i])
			return true;
	return false;
}

/*
 * Reports a task's runtime makes (tasks/lib/src/stub_report.c). Declared weak: stubs
 * link without them too (tests over a fake transport, the supervisor), and then
 * report nothing.
 *
 * l4e_stub_bad_slot: a call through `ep` found no endpoint there (-L4_ECAP: empty slot,
 * -L4_ETYPE: another kind of object, -L4_EPERM: no send right), or a server that does
 * not know the operation (-L4E_STUB_ENOOP: another interface's endpoint); logged once
 * per slot.
 * l4e_stub_missing_op: a server's ops table leaves `op` of `iface` NULL; does not return.
 */
void l4e_stub_bad_slot(l4_cap_t ep, const char *iface, int err) __attribute__((weak, cold));
void l4e_stub_missing_op(const char *iface, const char *op) __attribute__((weak, cold, noreturn));

/* A client stub's transport error `err` (negative), reported when it is a wrong slot. */
static inline int l4e_stub_ipc_error(l4_cap_t ep, const char *iface, int err)
{
	if ((err == -L4_ECAP || err == -L4_ETYPE || err == -L4_EPERM) && l4e_stub_bad_slot)
		l4e_stub_bad_slot(ep, iface, err);
	return err;
}

/* Maps a non-zero reply label that is not an application error to a client result. */
static inline int l4e_stub_status(unsigned label)
{
	switch (label) {
	case L4E_REPLY_BADMSG:
		return -L4E_STUB_EBADMSG;
	case L4E_REPLY_NOOP:
		return -L4E_STUB_ENOOP;
	case L4E_REPLY_ESERVER:
		return -L4E_STUB_ESERVER;
	default:
		return -L4E_STUB_EPROTO;
	}
}

/* l4e_stub_status for the client stub of `iface` on `ep`: a server that does not know the
 * operation most likely serves another interface (a wrong slot), so that is reported. */
static inline int l4e_stub_reply_status(l4_cap_t ep, const char *iface, unsigned label)
{
	int rc = l4e_stub_status(label);

	if (rc == -L4E_STUB_ENOOP && l4e_stub_bad_slot)
		l4e_stub_bad_slot(ep, iface, rc);
	return rc;
}
