/* SPDX-License-Identifier: BSD-2-Clause */
/* AT commands of TS 27.007 for the application processor: a subset, one command per line. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* +CME ERROR codes, TS 27.007 §9.2.1. */
enum at_cme {
	AT_CME_NOT_ALLOWED = 3,
	AT_CME_NOT_SUPPORTED = 4,
	AT_CME_SIM_NOT_INSERTED = 10,
	AT_CME_NO_SERVICE = 30,
	AT_CME_INCORRECT_PARAMS = 50,
	AT_CME_UNKNOWN = 100,
};

#define AT_LINE_MAX 256 /* a command or response line, as the host link carries it */
#define AT_MAX_CID  4	/* PDP context identifiers 1..AT_MAX_CID */
#define AT_APN_MAX  64

/* What the modem reports (the engine keeps none of it). */
struct at_status {
	uint8_t fun;   /* +CFUN: 0 minimum, 1 full */
	bool sim;      /* a USIM is inserted */
	uint8_t cereg; /* +CEREG <stat>: 0 not registered, 1 home, 2 searching, 3 denied */
	bool has_addr; /* the default bearer has an address */
	uint8_t addr[4];
	uint8_t rssi, ber; /* +CSQ: 0..31 or 99, 0..7 or 99 */
	uint16_t tac;
	uint32_t cell_id;
};

struct at_ops {
	void *ctx;
	/* One response line (no CR LF), in order; the final result code comes last. */
	void (*line)(void *ctx, const char *text, size_t len);
	/* +CFUN=<fun>: 0 or an enum at_cme (positive). */
	int (*cfun)(void *ctx, uint8_t fun);
	void (*status)(void *ctx, struct at_status *st);
};

struct at_engine {
	struct at_ops ops;
	const char *ident; /* ATI's answer: manufacturer, model, revision */
	uint8_t cmee;	   /* +CMEE: 0 ERROR, 1 numeric, 2 verbose */
	uint8_t cereg_n;   /* +CEREG=<n>: 0 no URC, 1 <stat>, 2 with <tac>, <ci> */
	uint8_t last_stat; /* the <stat> last reported by a URC */
	struct {
		bool defined;
		char apn[AT_APN_MAX];
	} pdp[AT_MAX_CID + 1];
	uint32_t commands, errors;
};

void at_init(struct at_engine *a, const struct at_ops *ops, const char *ident);

/*
 * One command line ("AT+CFUN=1", no CR): its information responses, then OK, ERROR or
 * +CME ERROR (as +CMEE says). Basic command "AT", "ATI" and one extended command per line.
 */
void at_command(struct at_engine *a, const char *line, size_t len);

/* The registration may have changed: +CEREG URC when it did and +CEREG=1 or 2 asks for it. */
void at_cereg_update(struct at_engine *a);

/* The APN of context `cid` (empty when none is defined). */
const char *at_apn(const struct at_engine *a, uint8_t cid);
