/* SPDX-License-Identifier: BSD-2-Clause */
/* A TS 27.007 subset: AT, ATI, +CFUN, +CEREG, +CGATT, +CGDCONT, +CGPADDR, +CSQ, +CMEE. */
#include <string.h>

#include "l3/at.h"

/* A response line being built (freestanding: no printf). */
struct out {
	char b[AT_LINE_MAX];
	size_t n;
};

static void put_s(struct out *o, const char *s)
{
	while (*s && o->n < sizeof(o->b))
		o->b[o->n++] = *s++;
}

static void put_u(struct out *o, uint32_t v)
{
	char d[10];
	int i = 0;

	do
		d[i++] = (char)('0' + v % 10);
	while ((v /= 10) && i < 10);
	while (i && o->n < sizeof(o->b))
		o->b[o->n++] = d[--i];
}

static void put_hex(struct out *o, uint32_t v, int digits)
{
	while (digits-- && o->n < sizeof(o->b))
		o->b[o->n++] = "0123456789ABCDEF"[(v >> (4 * digits)) & 15];
}

static void put_addr(struct out *o, const uint8_t a[4])
{
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			put_s(o, ".");
		put_u(o, a[i]);
	}
}

static void emit(struct at_engine *a, struct out *o)
{
	a->ops.line(a->ops.ctx, o->b, o->n);
	o->n = 0;
}

static void say(struct at_engine *a, const char *s)
{
	a->ops.line(a->ops.ctx, s, strlen(s));
}

static const char *cme_text(int code)
{
	switch (code) {
	case AT_CME_NOT_ALLOWED:
		return "operation not allowed";
	case AT_CME_NOT_SUPPORTED:
		return "operation not supported";
	case AT_CME_SIM_NOT_INSERTED:
		return "SIM not inserted";
	case AT_CME_NO_SERVICE:
		return "no network service";
	case AT_CME_INCORRECT_PARAMS:
		return "incorrect parameters";
	default:
		return "unknown";
	}
}

/* A final result code for an ME error, TS 27.007 §9.1-9.2. */
static void cme(struct at_engine *a, int code)
{
	struct out o = {.n = 0};

	a->errors++;
	if (a->cmee == 0) {
		say(a, "ERROR");
		return;
	}
	put_s(&o, "+CME ERROR: ");
	if (a->cmee == 1)
		put_u(&o, (uint32_t)code);
	else
		put_s(&o, cme_text(code));
	emit(a, &o);
}

void at_init(struct at_engine *a, const struct at_ops *ops, const char *ident)
{
	memset(a, 0, sizeof(*a));
	a->ops = *ops;
	a->ident = ident;
}

const char *at_apn(const struct at_engine *a, uint8_t cid)
{
	return cid >= 1 && cid <= AT_MAX_CID && a->pdp[cid].defined ? a->pdp[cid].apn : "";
}

/* The parser: a cursor over the line's bytes after "AT". */
struct cur {
	const char *p, *end;
};

static char up(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

/* The command name matches `name` (case-insensitive) and is followed by `=`, `?` or the end. */
static bool name_is(struct cur *c, const char *name)
{
	size_t n = strlen(name), i;

	if ((size_t)(c->end - c->p) < n)
		return false;
	for (i = 0; i < n; i++)
		if (up(c->p[i]) != name[i])
			return false;
	if (c->p + n < c->end && c->p[n] != '=' && c->p[n] != '?')
		return false;
	c->p += n;
	return true;
}

static bool rest_is(const struct cur *c, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(c->end - c->p) == n && memcmp(c->p, s, n) == 0;
}

/* A decimal number up to `max`; false when none or out of range. */
static bool number(struct cur *c, uint32_t max, uint32_t *v)
{
	uint32_t x = 0;
	const char *start = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		x = x * 10 + (uint32_t)(*c->p++ - '0');
		if (x > max)
			return false;
	}
	*v = x;
	return c->p != start;
}

static bool expect(struct cur *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

/* A double-quoted string into `buf` (cap with its NUL). */
static bool quoted(struct cur *c, char *buf, size_t cap)
{
	size_t n = 0;

	if (!expect(c, '"'))
		return false;
	while (c->p < c->end && *c->p != '"') {
		if (n + 1 >= cap)
			return false;
		buf[n++] = *c->p++;
	}
	buf[n] = 0;
	return expect(c, '"');
}

static void cereg_line(struct at_engine *a, struct out *o, const struct at_status *st, bool urc)
{
	put_s(o, "+CEREG: ");
	if (!urc) {
		put_u(o, a->cereg_n);
		put_s(o, ",");
	}
	put_u(o, st->cereg);
	if (a->cereg_n == 2 && (st->cereg == 1 || st->cereg == 5)) {
		put_s(o, ",\"");
		put_hex(o, st->tac, 4);
		put_s(o, "\",\"");
		put_hex(o, st->cell_id, 7);
		put_s(o, "\",7"); /* AcT 7: E-UTRAN */
	}
}

static int do_cfun(struct at_engine *a, struct cur *c, const struct at_status *st)
{
	struct out o = {.n = 0};
	uint32_t fun;

	if (rest_is(c, "?")) {
		put_s(&o, "+CFUN: ");
		put_u(&o, st->fun);
		emit(a, &o);
		return 0;
	}
	if (rest_is(c, "=?")) {
		say(a, "+CFUN: (0,1),(0)");
		return 0;
	}
	if (!expect(c, '=') || !number(c, 1, &fun) || c->p != c->end)
		return AT_CME_INCORRECT_PARAMS;
	if (fun == 1 && !st->sim)
		return AT_CME_SIM_NOT_INSERTED;
	return a->ops.cfun(a->ops.ctx, (uint8_t)fun);
}

static int do_cereg(struct at_engine *a, struct cur *c, const struct at_status *st)
{
	struct out o = {.n = 0};
	uint32_t n;

	if (rest_is(c, "?")) {
		cereg_line(a, &o, st, false);
		emit(a, &o);
		return 0;
	}
	if (rest_is(c, "=?")) {
		say(a, "+CEREG: (0-2)");
		return 0;
	}
	if (!expect(c, '=') || !number(c, 2, &n) || c->p != c->end)
		return AT_CME_INCORRECT_PARAMS;
	a->cereg_n = (uint8_t)n;
	a->last_stat = st->cereg;
	return 0;
}

static int do_cgatt(struct at_engine *a, struct cur *c, const struct at_status *st)
{
	if (rest_is(c, "?")) {
		say(a, st->cereg == 1 || st->cereg == 5 ? "+CGATT: 1" : "+CGATT: 0");
		return 0;
	}
	if (rest_is(c, "=?")) {
		say(a, "+CGATT: (0,1)");
		return 0;
	}
	return AT_CME_NOT_SUPPORTED; /* attach follows +CFUN here */
}

static int do_cgdcont(struct at_engine *a, struct cur *c, const struct at_status *st)
{
	struct out o = {.n = 0};
	char type[8], apn[AT_APN_MAX];
	uint32_t cid;

	if (rest_is(c, "?")) {
		for (cid = 1; cid <= AT_MAX_CID; cid++) {
			if (!a->pdp[cid].defined)
				continue;
			put_s(&o, "+CGDCONT: ");
			put_u(&o, cid);
			put_s(&o, ",\"IP\",\"");
			put_s(&o, a->pdp[cid].apn);
			put_s(&o, "\",\"");
			if (cid == 1 && st->has_addr)
				put_addr(&o, st->addr);
			else
				put_s(&o, "0.0.0.0");
			put_s(&o, "\",0,0");
			emit(a, &o);
		}
		return 0;
	}
	if (rest_is(c, "=?")) {
		say(a, "+CGDCONT: (1-4),\"IP\",,,(0),(0)");
		return 0;
	}
	if (!expect(c, '=') || !number(c, AT_MAX_CID, &cid) || cid < 1)
		return AT_CME_INCORRECT_PARAMS;
	if (c->p == c->end) { /* +CGDCONT=<cid>: undefined */
		a->pdp[cid].defined = false;
		return 0;
	}
	if (!expect(c, ',') || !quoted(c, type, sizeof(type)) || memcmp(type, "IP", 3) != 0)
		return AT_CME_INCORRECT_PARAMS;
	apn[0] = 0;
	if (expect(c, ',') && c->p < c->end && !quoted(c, apn, sizeof(apn)))
		return AT_CME_INCORRECT_PARAMS;
	if (c->p != c->end)
		return AT_CME_INCORRECT_PARAMS;
	a->pdp[cid].defined = true;
	memcpy(a->pdp[cid].apn, apn, strlen(apn) + 1);
	return 0;
}

static int do_cgpaddr(struct at_engine *a, struct cur *c, const struct at_status *st)
{
	struct out o = {.n = 0};
	uint32_t cid, lo = 1, hi = AT_MAX_CID;

	if (rest_is(c, "=?")) {
		say(a, "+CGPADDR: (1-4)");
		return 0;
	}
	if (c->p != c->end) {
		if (!expect(c, '=') || !number(c, AT_MAX_CID, &cid) || cid < 1 || c->p != c->end)
			return AT_CME_INCORRECT_PARAMS;
		lo = hi = cid;
	}
	for (cid = lo; cid <= hi; cid++) {
		/* Context 1 is the default bearer of the attach, defined or not. */
		if (cid != 1 && !a->pdp[cid].defined)
			continue;
		put_s(&o, "+CGPADDR: ");
		put_u(&o, cid);
		if (cid == 1 && st->has_addr) {
			put_s(&o, ",\"");
			put_addr(&o, st->addr);
			put_s(&o, "\"");
		}
		emit(a, &o);
	}
	return 0;
}

static int do_csq(struct at_engine *a, struct cur *c, const struct at_status *st)
{
	struct out o = {.n = 0};

	if (rest_is(c, "=?")) {
		say(a, "+CSQ: (0-31,99),(0-7,99)");
		return 0;
	}
	if (c->p != c->end)
		return AT_CME_INCORRECT_PARAMS;
	put_s(&o, "+CSQ: ");
	put_u(&o, st->rssi);
	put_s(&o, ",");
	put_u(&o, st->ber);
	emit(a, &o);
	return 0;
}

static int do_cmee(struct at_engine *a, struct cur *c)
{
	struct out o = {.n = 0};
	uint32_t n;

	if (rest_is(c, "?")) {
		put_s(&o, "+CMEE: ");
		put_u(&o, a->cmee);
		emit(a, &o);
		return 0;
	}
	if (rest_is(c, "=?")) {
		say(a, "+CMEE: (0-2)");
		return 0;
	}
	if (!expect(c, '=') || !number(c, 2, &n) || c->p != c->end)
		return AT_CME_INCORRECT_PARAMS;
	a->cmee = (uint8_t)n;
	return 0;
}

void at_command(struct at_engine *a, const char *line, size_t len)
{
	struct cur c = {.p = line, .end = line + len};
	struct at_status st;
	int err = -1;

	a->commands++;
	/* Trailing spaces are not part of the command (V.250 §5.2.1 ignores them). */
	while (c.end > c.p && c.end[-1] == ' ')
		c.end--;
	if (c.end - c.p < 2 || up(c.p[0]) != 'A' || up(c.p[1]) != 'T') {
		a->errors++;
		say(a, "ERROR");
		return;
	}
	c.p += 2;
	memset(&st, 0, sizeof(st));
	a->ops.status(a->ops.ctx, &st);
	if (c.p == c.end) {
		err = 0;
	} else if ((c.end - c.p == 1 && up(*c.p) == 'I') || rest_is(&c, "I0")) {
		say(a, a->ident ? a->ident : "l4e");
		err = 0;
	} else if (name_is(&c, "+CFUN")) {
		err = do_cfun(a, &c, &st);
	} else if (name_is(&c, "+CEREG")) {
		err = do_cereg(a, &c, &st);
	} else if (name_is(&c, "+CGATT")) {
		err = do_cgatt(a, &c, &st);
	} else if (name_is(&c, "+CGDCONT")) {
		err = do_cgdcont(a, &c, &st);
	} else if (name_is(&c, "+CGPADDR")) {
		err = do_cgpaddr(a, &c, &st);
	} else if (name_is(&c, "+CSQ")) {
		err = do_csq(a, &c, &st);
	} else if (name_is(&c, "+CMEE")) {
		err = do_cmee(a, &c);
	}
	if (err == 0) {
		say(a, "OK");
	} else if (err < 0) {
		/* Not a command of this subset: V.250 §5.7.1 says ERROR. */
		a->errors++;
		say(a, "ERROR");
	} else {
		cme(a, err);
	}
}

void at_cereg_update(struct at_engine *a)
{
	struct at_status st;
	struct out o = {.n = 0};

	memset(&st, 0, sizeof(st));
	a->ops.status(a->ops.ctx, &st);
	if (st.cereg == a->last_stat)
		return;
	a->last_stat = st.cereg;
	if (a->cereg_n == 0)
		return;
	cereg_line(a, &o, &st, true);
	emit(a, &o);
}
