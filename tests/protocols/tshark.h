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
	char cmd[8192];
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

/* Split a tab-separated line into columns (in place). */
static inline unsigned tshark_split(char *line, char **cols, unsigned max)
{
	unsigned n = 0;

	while (n < max) {
		char *t = strchr(line, '\t');

		cols[n++] = line;
		if (!t)
			break;
		*t = 0;
		line = t + 1;
	}
	return n;
}

/*
 * `-T fields` arguments for the columns `fields` (all occurrences, comma-joined), then
 * _ws.malformed and _ws.expert.severity as the last two columns.
 */
static inline void tshark_fields_args(const char *const *fields, unsigned nf, char *args,
				      size_t cap)
{
	size_t n = (size_t)snprintf(args, cap, "-T fields -E occurrence=a -E aggregator=,");
	unsigned i;

	for (i = 0; i < nf && n < cap; i++)
		n += (size_t)snprintf(args + n, cap - n, " -e %s", fields[i]);
	if (n < cap)
		snprintf(args + n, cap - n, " -e _ws.malformed -e _ws.expert.severity");
}

/*
 * One frame's line against "col=value;col=value" (column numbers into `fields`), and no
 * malformed frame or warning/error expert info. Prints what differs; 1 if anything did.
 */
static inline int tshark_check_columns(const char *line_in, const char *const *fields, unsigned nf,
				       const char *expect, const char *what)
{
	char line[4096], spec[512], *cols[128], *tok, *save;
	unsigned n, bad = 0;

	snprintf(line, sizeof(line), "%s", line_in);
	n = tshark_split(line, cols, nf + 2 < 128 ? nf + 2 : 128);
	if (n != nf + 2) {
		fprintf(stderr, "%s: tshark gave %u columns, not %u\n", what, n, nf + 2);
		return 1;
	}
	/* Severity: 0x00800000 error, 0x00600000 warning. */
	if (cols[nf][0] || strstr(cols[nf + 1], "8388608") || strstr(cols[nf + 1], "6291456")) {
		fprintf(stderr, "%s: malformed or expert warning/error (%s)\n", what, cols[nf + 1]);
		bad++;
	}
	snprintf(spec, sizeof(spec), "%s", expect);
	for (tok = strtok_r(spec, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		unsigned col = (unsigned)atoi(tok);
		const char *eq = strchr(tok, '='), *want = eq ? eq + 1 : "";

		if (col >= nf || strcmp(cols[col], want)) {
			fprintf(stderr, "%s: %s is '%s', expected '%s'\n", what,
				col < nf ? fields[col] : "?", col < nf ? cols[col] : "", want);
			bad++;
		}
	}
	return bad != 0;
}
