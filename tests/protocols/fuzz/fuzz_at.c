/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: AT command lines from the application processor, any bytes. */
#include <stdlib.h>
#include <string.h>

#include "l3/at.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void line(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	/* Every line the engine writes fits the host link's AT item. */
	if (len == 0 || len > AT_LINE_MAX)
		abort();
	while (len--)
		if ((unsigned char)text[len] < 0x20 || (unsigned char)text[len] > 0x7e)
			abort();
}

static int cfun(void *ctx, uint8_t fun)
{
	(void)ctx;
	return fun <= 1 ? 0 : AT_CME_INCORRECT_PARAMS;
}

static void status(void *ctx, struct at_status *st)
{
	(void)ctx;
	memset(st, 0, sizeof(*st));
	st->sim = st->has_addr = true;
	st->cereg = 1;
	st->addr[0] = 10;
	st->rssi = 31;
	st->ber = 99;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct at_ops ops = {.line = line, .cfun = cfun, .status = status};
	static struct at_engine at;
	static int ready;
	char buf[AT_LINE_MAX];
	size_t i, n = size < sizeof(buf) ? size : sizeof(buf);

	if (!ready) {
		at_init(&at, &ops, "fuzz");
		ready = 1;
	}
	/* What the host link lets through: printable ASCII; the rest becomes spaces. */
	for (i = 0; i < n; i++)
		buf[i] = data[i] >= 0x20 && data[i] <= 0x7e ? (char)data[i] : ' ';
	at_command(&at, buf, n);
	at_cereg_update(&at);
	return 0;
}
