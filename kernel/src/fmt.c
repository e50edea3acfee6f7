/* SPDX-License-Identifier: BSD-2-Clause */
/* A freestanding printf-style formatter (see fmt.h for what it supports). */
#include "fmt.h"

#include <stdbool.h>
#include <stdint.h>

struct fmt_spec {
	bool left;
	bool zero;
	unsigned width;
};

static int emit_padded(fmt_out_fn out, void *arg, const struct fmt_spec *sp, const char *s,
		       unsigned len, const char *prefix)
{
	unsigned plen = 0, pad, i;
	int n = 0;

	while (prefix[plen])
		plen++;
	pad = sp->width > len + plen ? sp->width - len - plen : 0;
	if (!sp->left && !sp->zero)
		for (i = 0; i < pad; i++, n++)
			out(' ', arg);
	for (i = 0; i < plen; i++, n++)
		out(prefix[i], arg);
	if (!sp->left && sp->zero)
		for (i = 0; i < pad; i++, n++)
			out('0', arg);
	for (i = 0; i < len; i++, n++)
		out(s[i], arg);
	if (sp->left)
		for (i = 0; i < pad; i++, n++)
			out(' ', arg);
	return n;
}

static int emit_number(fmt_out_fn out, void *arg, const struct fmt_spec *sp, uint64_t v,
		       unsigned base, bool upper, bool negative, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	unsigned len = 0;

	do {
		buf[sizeof(buf) - 1 - len++] = digits[v % base];
		v /= base;
	} while (v);
	return emit_padded(out, arg, sp, &buf[sizeof(buf) - len], len, negative ? "-" : prefix);
}

int fmt_vformat(fmt_out_fn out, void *arg, const char *fmt, va_list ap)
{
	int n = 0;

	while (*fmt) {
		struct fmt_spec sp = {false, false, 0};
		const char *start = fmt;
		unsigned lng = 0;

		if (*fmt != '%') {
			out(*fmt++, arg);
			n++;
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9' && sp.width < 1000)
			sp.width = sp.width * 10 + (unsigned)(*fmt++ - '0');
		while (*fmt == 'l' && lng < 2) {
			lng++;
			fmt++;
		}

		switch (*fmt) {
		case 'c': {
			char c = (char)va_arg(ap, int);

			n += emit_padded(out, arg, &sp, &c, 1, "");
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			unsigned len = 0;

			if (!s)
				s = "(null)";
			while (s[len])
				len++;
			sp.zero = false;
			n += emit_padded(out, arg, &sp, s, len, "");
			break;
		}
		case 'd':
		case 'i': {
			int64_t v = lng == 2   ? va_arg(ap, long long)
				    : lng == 1 ? va_arg(ap, long)
					       : va_arg(ap, int);
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

			n += emit_number(out, arg, &sp, mag, 10, false, v < 0, "");
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = lng == 2	? va_arg(ap, unsigned long long)
				     : lng == 1 ? va_arg(ap, unsigned long)
						: va_arg(ap, unsigned int);

			n += emit_number(out, arg, &sp, v, *fmt == 'u' ? 10 : 16, *fmt == 'X',
					 false, "");
			break;
		}
		case 'p':
			n += emit_number(out, arg, &sp, (uintptr_t)va_arg(ap, void *), 16, false,
					 false, "0x");
			break;
		case '%':
			out('%', arg);
			n++;
			break;
		default:
			/* Unknown or truncated conversion: copy it through. */
			while (start < fmt) {
				out(*start++, arg);
				n++;
			}
			if (!*fmt)
				return n;
			out(*fmt, arg);
			n++;
			break;
		}
		fmt++;
	}
	return n;
}

struct fmt_buf {
	char *buf;
	size_t size;
	size_t pos;
};

static void buf_out(char c, void *arg)
{
	struct fmt_buf *b = arg;

	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	struct fmt_buf b = {buf, size, 0};
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(buf_out, &b, fmt, ap);
	va_end(ap);
	if (size > 0)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}
