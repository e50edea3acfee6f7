/* SPDX-License-Identifier: BSD-2-Clause */
/* The task runtime on the target CPU: log values as text, and the stubs' wrong-slot report. */
#include "ktest.h"

#include "base.h" /* stubgen, idl/examples/base.idl: a client stub to call wrongly */

#include <l4/syscall.h>
#include <l4e/log.h>
#include <l4e/sysinfo.h>
#include <string.h>

#define EMPTY_SLOT 60

/* The log service, faked: what l4e_log would have sent. */
static char sent[L4E_LOG_TEXT_MAX + 1];
static enum l4e_log_level sent_level;

int l4e_log_write(l4_cap_t _ep, enum l4e_log_level lvl, const char *text)
{
	(void)_ep;
	sent_level = lvl;
	memcpy(sent, text, strlen(text) + 1);
	return 0;
}

KTEST(l4e_log_prints_signed_unsigned_and_hex_values)
{
	l4e_log(0, L4E_LOG_LEVEL_INFO, "rssi dBm", (uint32_t)-91, L4E_LOG_SIGNED);
	KT_ASSERT(strcmp(sent, "rssi dBm -91") == 0);
	KT_ASSERT_EQ(sent_level, L4E_LOG_LEVEL_INFO);
	l4e_log(0, L4E_LOG_LEVEL_WARN, "raw", (uint32_t)-91, L4E_LOG_UNSIGNED);
	KT_ASSERT(strcmp(sent, "raw 4294967205") == 0);
	l4e_log(0, L4E_LOG_LEVEL_WARN, "flags", 0xa5, L4E_LOG_HEX);
	KT_ASSERT(strcmp(sent, "flags 0x000000a5") == 0);
	l4e_log(0, L4E_LOG_LEVEL_ERROR, "plain", 7, L4E_LOG_NO_VALUE);
	KT_ASSERT(strcmp(sent, "plain") == 0);
	l4e_log(0, L4E_LOG_LEVEL_INFO, "old style", 7, true); /* a bool still means unsigned */
	KT_ASSERT(strcmp(sent, "old style 7") == 0);
}

KTEST(l4e_logf_formats_and_cuts_at_the_record_size)
{
	char longer[2 * L4E_LOG_TEXT_MAX];

	l4e_logf(0, L4E_LOG_LEVEL_DEBUG, "rssi %d dBm on cell %u, state %s, mask %#x", -91, 7u,
		 "up", 42u);
	KT_ASSERT(strcmp(sent, "rssi -91 dBm on cell 7, state up, mask 0x2a") == 0);
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	l4e_logf(0, L4E_LOG_LEVEL_DEBUG, "%s", longer);
	KT_ASSERT_EQ(strlen(sent), L4E_LOG_TEXT_MAX);
}

KTEST(stub_call_through_an_empty_slot_is_reported_once)
{
	uint32_t reply = 0;
	char *name = (char *)&l4_utcb()->user[SYS_UTCB_TASK_NAME];

	memcpy(name, "tester", 7); /* what the supervisor writes for a task */
	KT_ASSERT_EQ(base_service_ping(EMPTY_SLOT, 1, &reply), -L4_ECAP);
	KT_ASSERT_EQ(base_service_ping(EMPTY_SLOT, 2, &reply), -L4_ECAP); /* not reported again */
	KT_ASSERT_EQ(base_service_ping(EMPTY_SLOT + 1, 3, &reply), -L4_ECAP);
	l4_debug_puts("runtime: wrong-slot calls done\n");
}
