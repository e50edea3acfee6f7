/* SPDX-License-Identifier: BSD-2-Clause */
/* The QEMU port: a loader process with two stream sockets, length-prefixed frames, hang detection. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "port.h"

#define FRAME_HDR	4
#define FRAME_INSANE	(1u << 20) /* a length this big means the stream is out of step */
#define SEND_TIMEOUT_MS 10000

struct port_qemu {
	struct port base;
	pid_t pid;
	int fd[2]; /* our ends: radio, host link */
	bool exited;
	int status; /* waitpid status once exited */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Whether the loader has exited (reaped now if so). */
static bool qemu_reap(struct port_qemu *q, bool block)
{
	int st;

	if (q->exited)
		return true;
	if (waitpid(q->pid, &st, block ? 0 : WNOHANG) == q->pid) {
		q->exited = true;
		q->status = st;
	}
	return q->exited;
}

static void describe_exit(struct port_qemu *q, const char *what)
{
	if (WIFEXITED(q->status))
		snprintf(q->base.err, sizeof(q->base.err), "%s: the loader exited with status %d",
			 what, WEXITSTATUS(q->status));
	else if (WIFSIGNALED(q->status))
		snprintf(q->base.err, sizeof(q->base.err), "%s: the loader was killed by signal %d",
			 what, WTERMSIG(q->status));
	else
		snprintf(q->base.err, sizeof(q->base.err), "%s: the loader stopped", what);
}

/* A dead peer (EOF, EPIPE, or gone while we waited): give it a moment to be reaped. */
static int qemu_dead(struct port_qemu *q, const char *what)
{
	uint64_t until = now_ms() + 2000;

	while (!qemu_reap(q, false) && now_ms() < until)
		usleep(10000);
	if (q->exited)
		describe_exit(q, what);
	else
		snprintf(q->base.err, sizeof(q->base.err), "%s: the link closed", what);
	return PORT_EDEAD;
}

static int qemu_wait(struct port_qemu *q, int fd, short ev, uint64_t deadline, const char *what)
{
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = ev};
		uint64_t t = now_ms();
		int n;

		if (t >= deadline) {
			if (qemu_reap(q, false))
				return qemu_dead(q, what);
			snprintf(q->base.err, sizeof(q->base.err),
				 "%s: no progress within the timeout (hung?)", what);
			return PORT_ETIMEOUT;
		}
		/* Wake now and then to notice a loader that died without closing. */
		n = poll(&pfd, 1, (int)(deadline - t < 500 ? deadline - t : 500));
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR) {
			snprintf(q->base.err, sizeof(q->base.err), "%s: poll: %s", what,
				 strerror(errno));
			return PORT_EIO;
		}
		if (n == 0 && qemu_reap(q, false))
			return qemu_dead(q, what);
	}
}

static int qemu_read_all(struct port_qemu *q, int fd, uint8_t *p, uint32_t len, uint64_t deadline,
			 const char *what)
{
	while (len) {
		ssize_t n;
		int err = qemu_wait(q, fd, POLLIN, deadline, what);

		if (err < 0)
			return err;
		n = read(fd, p, len);
		if (n == 0)
			return qemu_dead(q, what);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == ECONNRESET)
				return qemu_dead(q, what);
			snprintf(q->base.err, sizeof(q->base.err), "%s: read: %s", what,
				 strerror(errno));
			return PORT_EIO;
		}
		p += n;
		len -= (uint32_t)n;
	}
	return 0;
}

static int qemu_write_all(struct port_qemu *q, int fd, const uint8_t *p, uint32_t len,
			  uint64_t deadline, const char *what)
{
	while (len) {
		ssize_t n;
		int err = qemu_wait(q, fd, POLLOUT, deadline, what);

		if (err < 0)
			return err;
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == EPIPE || errno == ECONNRESET)
				return qemu_dead(q, what);
			snprintf(q->base.err, sizeof(q->base.err), "%s: send: %s", what,
				 strerror(errno));
			return PORT_EIO;
		}
		p += n;
		len -= (uint32_t)n;
	}
	return 0;
}

static const char *link_name(enum port_link link)
{
	return link == PORT_HOST ? "host link" : "radio link";
}

static int qemu_send(struct port *p, enum port_link link, const uint8_t *msg, uint32_t len)
{
	struct port_qemu *q = (struct port_qemu *)p;
	uint64_t deadline = now_ms() + SEND_TIMEOUT_MS;
	uint8_t hdr[FRAME_HDR] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
				  (uint8_t)len};
	int err = qemu_write_all(q, q->fd[link], hdr, FRAME_HDR, deadline, link_name(link));

	return err ? err : qemu_write_all(q, q->fd[link], msg, len, deadline, link_name(link));
}

static int qemu_recv(struct port *p, enum port_link link, uint8_t *buf, uint32_t cap,
		     uint32_t timeout_ms)
{
	struct port_qemu *q = (struct port_qemu *)p;
	uint64_t deadline = now_ms() + timeout_ms;
	uint8_t hdr[FRAME_HDR];
	uint32_t len;
	int err = qemu_read_all(q, q->fd[link], hdr, FRAME_HDR, deadline, link_name(link));

	if (err)
		return err;
	len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
	if (len > FRAME_INSANE) {
		snprintf(p->err, sizeof(p->err), "%s: frame length %u: the stream is out of step",
			 link_name(link), len);
		return PORT_EIO;
	}
	if (len > cap) {
		/* Read it away, so the next frame is found. */
		while (len) {
			uint32_t n = len < cap ? len : cap;

			err = qemu_read_all(q, q->fd[link], buf, n, deadline, link_name(link));
			if (err)
				return err;
			len -= n;
		}
		snprintf(p->err, sizeof(p->err), "%s: a frame longer than %u bytes",
			 link_name(link), cap);
		return PORT_ETOOBIG;
	}
	err = qemu_read_all(q, q->fd[link], buf, len, deadline, link_name(link));
	return err ? err : (int)len;
}

static int qemu_finish(struct port *p, uint32_t timeout_ms)
{
	struct port_qemu *q = (struct port_qemu *)p;
	uint64_t until = now_ms() + timeout_ms;

	while (!qemu_reap(q, false)) {
		if (now_ms() >= until) {
			snprintf(p->err, sizeof(p->err), "the loader did not stop after END");
			return PORT_ETIMEOUT;
		}
		usleep(10000);
	}
	if (WIFEXITED(q->status))
		return WEXITSTATUS(q->status);
	describe_exit(q, "after END");
	return PORT_EDEAD;
}

static void qemu_free(struct port *p)
{
	struct port_qemu *q = (struct port_qemu *)p;

	if (q->pid > 0 && !qemu_reap(q, false)) {
		/* The loader leads its own process group: QEMU goes with it. */
		kill(-q->pid, SIGKILL);
		qemu_reap(q, true);
	}
	if (q->fd[0] >= 0)
		close(q->fd[0]);
	if (q->fd[1] >= 0)
		close(q->fd[1]);
	free(q);
}

static const struct port_ops qemu_ops = {
	.send = qemu_send, .recv = qemu_recv, .finish = qemu_finish, .free = qemu_free};

/* `cmd` with {radio_fd} and {host_fd} replaced; NULL when it does not fit. */
static char *expand(const char *cmd, int radio_fd, int host_fd)
{
	size_t cap = strlen(cmd) + 64, n = 0;
	char *out = malloc(cap);
	const char *s;

	if (!out)
		return NULL;
	for (s = cmd; *s; s++) {
		const char *key = NULL;
		int fd = 0;

		if (strncmp(s, "{radio_fd}", 10) == 0) {
			key = "{radio_fd}";
			fd = radio_fd;
		} else if (strncmp(s, "{host_fd}", 9) == 0) {
			key = "{host_fd}";
			fd = host_fd;
		}
		if (key) {
			n += (size_t)snprintf(out + n, cap - n, "%d", fd);
			s += strlen(key) - 1;
		} else {
			out[n++] = *s;
		}
		if (n + 16 >= cap) {
			free(out);
			return NULL;
		}
	}
	out[n] = 0;
	return out;
}

struct port *port_qemu_new(unsigned idx, const char *cmd, const char *console)
{
	struct port_qemu *q = calloc(1, sizeof(*q));
	int sv[2][2] = {{-1, -1}, {-1, -1}}, con = -1, nul = -1;
	char *line = NULL;
	unsigned i;

	if (!q)
		return NULL;
	q->base.ops = &qemu_ops;
	q->base.idx = idx;
	q->fd[0] = q->fd[1] = -1;
	q->pid = -1;
	for (i = 0; i < 2; i++)
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv[i]) < 0)
			goto out_fail;
	con = open(console, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
	line = expand(cmd, sv[0][1], sv[1][1]);
	if (con < 0 || nul < 0 || !line)
		goto out_fail;
	q->pid = fork();
	if (q->pid < 0)
		goto out_fail;
	if (q->pid == 0) {
		/* The child: its own process group, the console, and the two far ends kept open
		 * across exec (they are the fds named in the command). */
		setpgid(0, 0);
		dup2(nul, 0);
		dup2(con, 1);
		dup2(con, 2);
		fcntl(sv[0][1], F_SETFD, 0);
		fcntl(sv[1][1], F_SETFD, 0);
		execl("/bin/sh", "sh", "-c", line, (char *)NULL);
		_exit(127);
	}
	setpgid(q->pid, q->pid);
	q->fd[PORT_RADIO] = sv[0][0];
	q->fd[PORT_HOST] = sv[1][0];
	close(sv[0][1]);
	close(sv[1][1]);
	close(con);
	close(nul);
	free(line);
	return &q->base;

out_fail:
	for (i = 0; i < 2; i++) {
		if (sv[i][0] >= 0)
			close(sv[i][0]);
		if (sv[i][1] >= 0)
			close(sv[i][1]);
	}
	if (con >= 0)
		close(con);
	if (nul >= 0)
		close(nul);
	free(line);
	free(q);
	return NULL;
}
