/* SPDX-License-Identifier: BSD-2-Clause */
/* Logging from tasks through the log task (log::sink), with the console as the fallback. */
#pragma once

#include <l4/syscall.h>
#include <stdint.h>

enum l4e_log_level { L4E_LOG_ERROR = 1, L4E_LOG_WARN = 2, L4E_LOG_INFO = 3, L4E_LOG_DEBUG = 4 };

/*
 * Sends "text value" (value omitted if `with_value` is false) to the log task
 * through `sink` (the task's SYS_CAP_USES_LOG_SINK); on a transport error it
 * writes the line to the console itself, so nothing is lost silently.
 */
void l4e_log(l4_cap_t sink, enum l4e_log_level lvl, const char *text, uint32_t value,
	     bool with_value);
