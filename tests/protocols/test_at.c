/* SPDX-License-Identifier: BSD-2-Clause */
/* The AT command subset (TS 27.007): answers, final result codes, +CME ERROR, +CEREG URCs. */
#include "test.h"

#include <string.h>

#include "l2/env.h"
#include "l3/at.h"
#include "l3/rrc_sm.h"

static char out[16][AT_LINE_MAX + 1];
static unsigned n_out;
static struct at_status st;
static int cfun_calls, cfun_last = -1;

static void line(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	CU_ASSERT_FATAL(n_out < 16 && len <= AT_LINE_MAX);
	memcpy(out[n_out], text, len);
	out[n_out++][len] = 0;
}

static int cfun(void *ctx, uint8_t fun)
{
	(void)ctx;
	cfun_calls++;
	cfun_last = fun;
	st.fun = fun;
	return 0;
}

static void status(void *ctx, struct at_status *s)
{
	(void)ctx;
	*s = st;
}

static struct at_engine at;

static void reset(void)
{
	static const struct at_ops ops = {.line = line, .cfun = cfun, .status = status};

	memset(&st, 0, sizeof(st));
	st.rssi = st.ber = 99;
	n_out = 0;
	cfun_calls = 0;
	cfun_last = -1;
	at_init(&at, &ops, "l4e modem");
}

/* Send a command; the lines it produced, joined by '|'. */
static const char *cmd(const char *c)
{
	static char joined[1024];
	unsigned i;

	n_out = 0;
	at_command(&at, c, strlen(c));
	joined[0] = 0;
	for (i = 0; i < n_out; i++) {
		if (i)
			strcat(joined, "|");
		strcat(joined, out[i]);
	}
	return joined;
}

static void at_basic_and_ident(void)
{
	reset();
	CU_ASSERT_STRING_EQUAL(cmd("AT"), "OK");
	CU_ASSERT_STRING_EQUAL(cmd("at"), "OK");
	CU_ASSERT_STRING_EQUAL(cmd("ATI"), "l4e modem|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT  "), "OK");
	/* Not a command line, and a command outside the subset (V.250 §5.7.1). */
	CU_ASSERT_STRING_EQUAL(cmd("HELLO"), "ERROR");
	CU_ASSERT_STRING_EQUAL(cmd("AT+COPS?"), "ERROR");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CFUNX"), "ERROR");
	CU_ASSERT_EQUAL(at.errors, 3);
}

/* TS 27.007 §8.2 +CFUN and §9.1 +CMEE: numeric and verbose errors. */
static void at_ts27007_cfun_and_cmee(void)
{
	reset();
	CU_ASSERT_STRING_EQUAL(cmd("AT+CFUN?"), "+CFUN: 0|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CFUN=?"), "+CFUN: (0,1),(0)|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CFUN=1"), "ERROR"); /* no SIM, +CMEE=0 */
	CU_ASSERT_STRING_EQUAL(cmd("AT+CMEE=1"), "OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CFUN=1"), "+CME ERROR: 10");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CMEE=2"), "OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CMEE?"), "+CMEE: 2|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CFUN=1"), "+CME ERROR: SIM not inserted");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CFUN=2"), "+CME ERROR: incorrect parameters");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CFUN=1,0"), "+CME ERROR: incorrect parameters");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CMEE=3"), "+CME ERROR: incorrect parameters");
	CU_ASSERT_EQUAL(cfun_calls, 0);
	st.sim = true;
	CU_ASSERT_STRING_EQUAL(cmd("AT+CFUN=1"), "OK");
	CU_ASSERT_EQUAL(cfun_last, 1);
	CU_ASSERT_STRING_EQUAL(cmd("AT+CFUN?"), "+CFUN: 1|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CFUN=0"), "OK");
	CU_ASSERT_EQUAL(cfun_last, 0);
}

/* §10.1.22 +CEREG: the query, the URC on a change only when enabled, <tac> and <ci>. */
static void at_ts27007_cereg(void)
{
	reset();
	CU_ASSERT_STRING_EQUAL(cmd("AT+CEREG?"), "+CEREG: 0,0|OK");
	n_out = 0;
	st.cereg = 2;
	at_cereg_update(&at); /* URCs off */
	CU_ASSERT_EQUAL(n_out, 0);
	CU_ASSERT_STRING_EQUAL(cmd("AT+CEREG=1"), "OK");
	n_out = 0;
	at_cereg_update(&at); /* no change since +CEREG=1 */
	CU_ASSERT_EQUAL(n_out, 0);
	st.cereg = 1;
	at_cereg_update(&at);
	CU_ASSERT_EQUAL_FATAL(n_out, 1);
	CU_ASSERT_STRING_EQUAL(out[0], "+CEREG: 1");
	n_out = 0;
	at_cereg_update(&at);
	CU_ASSERT_EQUAL(n_out, 0);
	CU_ASSERT_STRING_EQUAL(cmd("AT+CEREG?"), "+CEREG: 1,1|OK");
	st.tac = 7;
	st.cell_id = 0x19b01;
	CU_ASSERT_STRING_EQUAL(cmd("AT+CEREG=2"), "OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CEREG?"), "+CEREG: 2,1,\"0007\",\"0019B01\",7|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CEREG=?"), "+CEREG: (0-2)|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CEREG=3"), "ERROR");
}

/* §10.1.9 +CGATT?, §10.1.1 +CGDCONT, §10.1.14 +CGPADDR, §8.5 +CSQ. */
static void at_ts27007_pdp_and_signal(void)
{
	reset();
	CU_ASSERT_STRING_EQUAL(cmd("AT+CGATT?"), "+CGATT: 0|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CGDCONT=1,\"IP\",\"internet\""), "OK");
	CU_ASSERT_STRING_EQUAL(at_apn(&at, 1), "internet");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CGDCONT=2,\"IPV6\",\"x\""), "ERROR");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CGDCONT=5,\"IP\",\"x\""), "ERROR");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CGDCONT=2,\"IP\",\"ims\"x"), "ERROR");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CGDCONT?"),
			       "+CGDCONT: 1,\"IP\",\"internet\",\"0.0.0.0\",0,0|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CGPADDR=1"), "+CGPADDR: 1|OK");
	st.cereg = 1;
	st.has_addr = true;
	st.addr[0] = 10, st.addr[1] = 45, st.addr[2] = 0, st.addr[3] = 2;
	CU_ASSERT_STRING_EQUAL(cmd("AT+CGATT?"), "+CGATT: 1|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CGPADDR=1"), "+CGPADDR: 1,\"10.45.0.2\"|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CGPADDR"), "+CGPADDR: 1,\"10.45.0.2\"|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CGDCONT?"),
			       "+CGDCONT: 1,\"IP\",\"internet\",\"10.45.0.2\",0,0|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CGDCONT=1"), "OK"); /* undefined */
	CU_ASSERT_STRING_EQUAL(at_apn(&at, 1), "");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CSQ"), "+CSQ: 99,99|OK");
	st.rssi = 23;
	CU_ASSERT_STRING_EQUAL(cmd("AT+CSQ"), "+CSQ: 23,99|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CSQ=?"), "+CSQ: (0-31,99),(0-7,99)|OK");
	CU_ASSERT_STRING_EQUAL(cmd("AT+CGATT=1"), "ERROR");
}

/* RRC's bearer IEs in layer-2 units: SRB defaults (TS 36.331 §9.2.1.1) and a DRB. */
static void rrc_bearer_units(void)
{
	struct rrc_srb srb = {.id = 1,
			      .has_rlc = true,
			      .rlc_default = true,
			      .has_lch = true,
			      .lch_default = true};
	struct rrc_drb drb = {.has_pdcp = true,
			      .has_rlc = true,
			      .has_lcid = true,
			      .has_lch = true,
			      .drb_id = 1,
			      .lcid = 3};
	struct rl_cfg_bearer b;

	CU_ASSERT_EQUAL_FATAL(rrc_srb_bearer(&srb, &b), 0);
	CU_ASSERT_EQUAL(b.lcid, 1);
	CU_ASSERT_EQUAL(b.rlc_mode, RL_RLC_AM);
	CU_ASSERT_EQUAL(b.t_poll_retx_ms, 45);
	CU_ASSERT_EQUAL(b.poll_pdu, 0);
	CU_ASSERT_EQUAL(b.poll_byte, 0);
	CU_ASSERT_EQUAL(b.max_retx, 4);
	CU_ASSERT_EQUAL(b.t_reordering_ms, 35);
	CU_ASSERT_EQUAL(b.priority, 1);
	CU_ASSERT_EQUAL(b.pbr_kbps, 0xffff);
	srb.id = 2;
	CU_ASSERT_EQUAL_FATAL(rrc_srb_bearer(&srb, &b), 0);
	CU_ASSERT_EQUAL(b.priority, 3);
	srb.id = 3;
	CU_ASSERT_EQUAL(rrc_srb_bearer(&srb, &b), L2_EINVAL);
	drb.rlc = (struct rrc_rlc_config){.mode = RRC_RLC_AM,
					  .t_poll_retransmit = 8,   /* ms45 */
					  .poll_pdu = 3,	    /* p32 */
					  .poll_byte = 5,	    /* kB250 */
					  .max_retx_threshold = 5,  /* t8 */
					  .t_reordering = 22,	    /* ms120 */
					  .t_status_prohibit = 52}; /* ms350 */
	drb.lch = (struct rrc_lch_config){.has_ul = true,
					  .priority = 13,
					  .prioritised_bit_rate = 3, /* kBps32 */
					  .bucket_size_duration = 5,
					  .has_lcg = true,
					  .lcg = 3};
	drb.pdcp.has_discard_timer = true;
	drb.pdcp.discard_timer = 3; /* ms300 */
	CU_ASSERT_EQUAL_FATAL(rrc_drb_bearer(&drb, &b), 0);
	CU_ASSERT_EQUAL(b.rb_id, 1);
	CU_ASSERT_FALSE(b.srb);
	CU_ASSERT_EQUAL(b.pdcp_sn_bits, 12);
	CU_ASSERT_EQUAL(b.t_poll_retx_ms, 45);
	CU_ASSERT_EQUAL(b.poll_pdu, 32);
	CU_ASSERT_EQUAL(b.poll_byte, 250000);
	CU_ASSERT_EQUAL(b.max_retx, 8);
	CU_ASSERT_EQUAL(b.t_reordering_ms, 120);
	CU_ASSERT_EQUAL(b.t_status_prohibit_ms, 350);
	CU_ASSERT_EQUAL(b.priority, 13);
	CU_ASSERT_EQUAL(b.pbr_kbps, 256);
	CU_ASSERT_EQUAL(b.bsd_ms, 1000);
	CU_ASSERT_EQUAL(b.lcg, 3);
	CU_ASSERT_EQUAL(b.discard_ms, 300);
	{
		/* And back: a DRB configuration rounded up to RRC's values, then the same units. */
		struct rl_cfg_bearer in = {.rb_id = 1,
					   .lcid = 3,
					   .rlc_mode = RL_RLC_AM,
					   .pdcp_sn_bits = 12,
					   .priority = 5,
					   .lcg = 1,
					   .pbr_kbps = 0xffff,
					   .bsd_ms = 1000,
					   .t_poll_retx_ms = 40,
					   .t_reordering_ms = 35,
					   .t_status_prohibit_ms = 10,
					   .poll_pdu = 16,
					   .poll_byte = 25000,
					   .max_retx = 4};
		struct rrc_drb back;

		CU_ASSERT_EQUAL_FATAL(rrc_drb_from_bearer(&in, 5, &back), 0);
		CU_ASSERT_EQUAL(back.eps_bearer_id, 5);
		CU_ASSERT_EQUAL_FATAL(rrc_drb_bearer(&back, &b), 0);
		CU_ASSERT_EQUAL(memcmp(&b, &in, sizeof(b)), 0);
		in.max_retx = 5; /* between t4 and t6: up to 6 */
		in.t_poll_retx_ms = 42;
		CU_ASSERT_EQUAL_FATAL(rrc_drb_from_bearer(&in, 5, &back), 0);
		CU_ASSERT_EQUAL_FATAL(rrc_drb_bearer(&back, &b), 0);
		CU_ASSERT_EQUAL(b.max_retx, 6);
		CU_ASSERT_EQUAL(b.t_poll_retx_ms, 45);
		in.srb = true;
		CU_ASSERT_EQUAL(rrc_drb_from_bearer(&in, 5, &back), L2_EINVAL);
	}
	drb.rlc.mode = RRC_RLC_UM_UL; /* one-way UM is outside the subset */
	CU_ASSERT_EQUAL(rrc_drb_bearer(&drb, &b), L2_EINVAL);
	drb.rlc.mode = RRC_RLC_AM;
	drb.lcid = 11;
	CU_ASSERT_EQUAL(rrc_drb_bearer(&drb, &b), L2_EINVAL);
}

TEST_SUITE(at, TEST_CASE(at_basic_and_ident), TEST_CASE(at_ts27007_cfun_and_cmee),
	   TEST_CASE(at_ts27007_cereg), TEST_CASE(at_ts27007_pdp_and_signal),
	   TEST_CASE(rrc_bearer_units))
