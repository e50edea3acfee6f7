/* SPDX-License-Identifier: BSD-2-Clause */
/* A UE as the simulator sees it: two message links (radio, host) with send, receive and timeouts. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum port_link {
	PORT_RADIO = 0,
	PORT_HOST = 1,
};

/* Port errors (negative, in the range -96..-127 no other part of l4e uses: docs/errors.md);
 * the port's `err` text says more. */
enum {
	PORT_ETIMEOUT = -100, /* nothing within the timeout: a hung UE */
	PORT_EDEAD = -101,    /* the UE is gone (QEMU exited, its socket closed) */
	PORT_EIO = -102,      /* the stream broke (system error, impossible frame length) */
	PORT_ETOOBIG = -103,  /* one message longer than the caller's buffer: skipped */
};

struct port;

struct port_ops {
	/* Send one message on `link`: 0 or a port error. */
	int (*send)(struct port *p, enum port_link link, const uint8_t *msg, uint32_t len);
	/* The next message on `link` within `timeout_ms`: its length, or a port error. */
	int (*recv)(struct port *p, enum port_link link, uint8_t *buf, uint32_t cap,
		    uint32_t timeout_ms);
	/* After END: wait up to `timeout_ms` for the UE to stop. Its exit status (0..255), or a
	 * port error. */
	int (*finish)(struct port *p, uint32_t timeout_ms);
	/* Release everything (a UE still running is killed). */
	void (*free)(struct port *p);
};

struct port {
	const struct port_ops *ops;
	unsigned idx;
	char err[256]; /* the last error, for the user */
};

/* The in-process host UE model (sim/ue_host.c). */
struct port *port_inproc_new(unsigned idx, uint64_t seed);

/*
 * A firmware under QEMU: two SOCK_STREAM socketpairs (radio, host link) whose far ends the
 * loader command gets as file descriptors: `cmd` is run by /bin/sh with {radio_fd} and
 * {host_fd} replaced by their numbers; its stdout and stderr go to `console`. Messages are
 * framed as QEMU's stream netdev frames them: a 4-byte big-endian length, then the packet.
 */
struct port *port_qemu_new(unsigned idx, const char *cmd, const char *console);

/* The UE model of an in-process port (NULL for other ports), for reports. */
struct ue_host *port_inproc_ue(struct port *p);
