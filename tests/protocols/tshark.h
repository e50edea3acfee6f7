/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers for tests that check their captures with tshark: a file sink and running tshark. */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2/env.h"
#include "l2/pcap.h"

static inline int tshark_file_write(void *ctx, const void *data, uint32_t len)
{
	return fwrite(data, 1, len, ctx) == len ? 0 : L2_EMSGSIZE;
}

/* Open a capture file for writing, creating its folder first. */
static inline FILE *tshark_capture_open(const char *path)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "mkdir -p $(dirname %s)", path);
	if (system(cmd) != 0)
		return NULL;
	return fopen(path, "wb");
}

/* Run `tshark -r file args`; stdout (up to cap - 1 bytes) into out. Returns bytes read. */
static inline size_t tshark_run(const char *file, const char *args, char *out, size_t cap)
{
	char cmd[4096];
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "tshark -r %s %s 2>/dev/null", file, args);
	p = popen(cmd, "r");
	if (!p) {
		out[0] = 0;
		return 0;
	}
	n = fread(out, 1, cap - 1, p);
	out[n] = 0;
	pclose(p);
	return n;
}

/* The n-th line (from 0) of text, copied without its newline; "" past the end. */
static inline const char *tshark_line(const char *text, unsigned n, char *line, size_t cap)
{
	const char *e;
	size_t len;

	while (n-- && (text = strchr(text, '\n')))
		text++;
	if (!text) {
		line[0] = 0;
		return line;
	}
	e = strchr(text, '\n');
	len = e ? (size_t)(e - text) : strlen(text);
	if (len >= cap)
		len = cap - 1;
	memcpy(line, text, len);
	line[len] = 0;
	return line;
}
