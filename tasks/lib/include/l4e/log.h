/* SPDX-License-Identifier: BSD-2-Clause */
/* Logging from tasks through the log task (log::sink), with the console as the fallback. */
#pragma once

#include "l4e.h" /* generated from idl/l4e.idl: enum l4e_log_level, l4e_log_write */

#include <stdbool.h>
#include <stdint.h>

/*
 * Sends "text value" (value omitted if `with_value` is false) to the log task
 * through `sink` (the task's SYS_CAP_USES_L4E_LOG); on a transport error it
 * writes the line to the console itself, so nothing is lost silently.
 */
void l4e_log(l4_cap_t sink, enum l4e_log_level lvl, const char *text, uint32_t value,
	     bool with_value);
