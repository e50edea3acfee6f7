/* SPDX-License-Identifier: BSD-2-Clause */
/* Logging from tasks through the log task (l4e::log), with the console as the fallback. */
#pragma once

#include "l4e.h" /* generated from idl/l4e.idl: enum l4e_log_level, l4e_log_write */

#include <stdint.h>

/* How l4e_log prints its value: `true` and `false` still mean unsigned and none. */
enum l4e_log_value {
	L4E_LOG_NO_VALUE = 0,
	L4E_LOG_UNSIGNED = 1, /* 4294967205 */
	L4E_LOG_SIGNED = 2,   /* -91 */
	L4E_LOG_HEX = 3,      /* 0xffffffa5 */
};

/*
 * Sends "text value" to the log task through `sink` (the task's
 * SYS_CAP_USES_L4E_LOG), the value printed as `how` says (omitted for
 * L4E_LOG_NO_VALUE); on a transport error it writes the line to the console
 * itself, so nothing is lost silently.
 */
void l4e_log(l4_cap_t sink, enum l4e_log_level lvl, const char *text, uint32_t value,
	     enum l4e_log_value how);

/*
 * The same with a format (l4e_format in <l4e/text.h>: %d %u %x %s %c %p, flags, width):
 * l4e_logf(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, "rssi %d dBm on cell %u", rssi, cell).
 * The line is cut at L4E_LOG_TEXT_MAX characters.
 */
void l4e_logf(l4_cap_t sink, enum l4e_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
