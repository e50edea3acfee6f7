/* SPDX-License-Identifier: BSD-2-Clause */
/* Small text helpers for tasks (l4e/text.h). */
#include <l4e/text.h>
#include <stdbool.h>
#include <string.h>

/* strnlen: the task libc has no more than it needs. */
static size_t strnlen_small(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

char *l4e_cat(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);

	while (*s && n + 1 < size)
		buf[n++] = *s++;
	if (n < size)
		buf[n] = '\0';
	return buf;
}

char *l4e_catu(char *buf, size_t size, uint32_t v)
{
	size_t n = strlen(buf);

	l4e_format(buf + n, n < size ? size - n : 0, "%u", (unsigned)v);
	return buf;
}

char *l4e_cati(char *buf, size_t size, int32_t v)
{
	size_t n = strlen(buf);

	l4e_format(buf + n, n < size ? size - n : 0, "%d", (int)v);
	return buf;
}

char *l4e_catx(char *buf, size_t size, uint32_t v, unsigned digits)
{
	size_t n = strlen(buf);

	l4e_format(buf + n, n < size ? size - n : 0, "0x%0*x", (int)digits, (unsigned)v);
	return buf;
}

/* Where l4e_vformat writes: it keeps what fits and drops the rest. */
struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len++] = c;
}

static void put_n(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* One conversion's flags, width and precision (C11 7.21.6.1). */
struct spec {
	bool left, zero, plus, space, alt;
	int width, prec; /* prec < 0: none */
};

/* `body` (n bytes) after `prefix`, padded to the width as the flags say. */
static void put_field(struct out *o, const struct spec *sp, const char *prefix, const char *body,
		      int n, int zeros)
{
	int plen = (int)strlen(prefix), pad = sp->width - plen - zeros - n;

	if (!sp->left && !sp->zero)
		put_n(o, ' ', pad);
	while (*prefix)
		put(o, *prefix++);
	if (!sp->left && sp->zero)
		put_n(o, '0', pad);
	put_n(o, '0', zeros);
	while (n-- > 0)
		put(o, *body++);
	if (sp->left)
		put_n(o, ' ', pad);
}

static void put_int(struct out *o, struct spec *sp, unsigned long long u, bool neg, char conv)
{
	const char *d = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned base = conv == 'x' || conv == 'X' || conv == 'p' ? 16 : conv == 'o' ? 8 : 10;
	char tmp[24], *end = tmp + sizeof(tmp), *s = end;
	const char *prefix = neg ? "-" : sp->plus ? "+" : sp->space ? " " : "";
	int zeros = 0;

	while (u && s > tmp) {
		*--s = d[u % base];
		u /= base;
	}
	if (sp->prec < 0 && s == end)
		*--s = '0';
	if (sp->prec >= 0) {
		sp->zero = false; /* a precision overrides the 0 flag */
		zeros = sp->prec - (int)(end - s);
	}
	if (sp->alt && base == 16 && s != end && !(s == end - 1 && *s == '0'))
		prefix = conv == 'X' ? "0X" : "0x";
	if (sp->alt && base == 8 && zeros <= 0 && (s == end || *s != '0'))
		zeros = 1;
	put_field(o, sp, prefix, s, (int)(end - s), zeros);
}

size_t l4e_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};

	for (; *fmt; fmt++) {
		struct spec sp = {.prec = -1};
		const char *s, *start = fmt;
		unsigned lng = 0;
		long long v;
		char c;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else if (*fmt == '+')
				sp.plus = true;
			else if (*fmt == ' ')
				sp.space = true;
			else if (*fmt == '#')
				sp.alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			sp.width = sp.width * 10 + (*fmt - '0');
		if (*fmt == '.') {
			sp.prec = 0;
			if (*++fmt == '*') {
				sp.prec = va_arg(ap, int);
				fmt++;
			}
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				sp.prec = sp.prec * 10 + (*fmt - '0');
		}
		/* Lengths: hh and h read an int (promoted); l, ll; z as size_t. */
		for (; *fmt == 'h'; fmt++)
			;
		for (; *fmt == 'l' && lng < 2; fmt++)
			lng++;
		if (*fmt == 'z') {
			lng = sizeof(size_t) == sizeof(long long) ? 2 : 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			v = lng == 2 ? va_arg(ap, long long)
			    : lng    ? va_arg(ap, long)
				     : va_arg(ap, int);
			put_int(&o, &sp,
				v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v, v < 0,
				'd');
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			put_int(&o, &sp,
				lng == 2 ? va_arg(ap, unsigned long long)
				: lng	 ? va_arg(ap, unsigned long)
					 : va_arg(ap, unsigned),
				false, *fmt);
			break;
		case 'p':
			sp.alt = true;
			sp.prec = 8;
			put_int(&o, &sp, (uintptr_t)va_arg(ap, void *), false, 'p');
			break;
		case 'c':
			c = (char)va_arg(ap, int);
			sp.zero = false;
			put_field(&o, &sp, "", &c, 1, 0);
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			sp.zero = false;
			put_field(
				&o, &sp, "", s,
				(int)(sp.prec >= 0 ? strnlen_small(s, (size_t)sp.prec) : strlen(s)),
				0);
			break;
		case '%':
			put(&o, '%');
			break;
		default:
			/*
			 * Not supported (floating point, %n): the argument's size is unknown, so
			 * nothing after it can be formatted safely. The rest is copied as text.
			 */
			for (fmt = start; *fmt; fmt++)
				put(&o, *fmt);
			fmt--;
			break;
		}
	}
	if (o.size)
		o.buf[o.len] = '\0';
	return o.len;
}

size_t l4e_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = l4e_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
