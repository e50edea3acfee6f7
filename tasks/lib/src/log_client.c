/* SPDX-License-Identifier: BSD-2-Clause */
/* Logging from tasks (l4e/log.h) over the generated log::sink client stub. */
#include <l4/syscall.h>
#include <l4e/log.h>
#include <l4e/text.h>

void l4e_log(l4_cap_t sink, enum l4e_log_level lvl, const char *text, uint32_t value,
	     bool with_value)
{
	char line[L4E_LOG_TEXT_MAX + 1] = "";

	l4e_cat(line, sizeof(line), text);
	if (with_value) {
		l4e_cat(line, sizeof(line), " ");
		l4e_catu(line, sizeof(line), value);
	}
	if (l4e_log_write(sink, lvl, line) != 0) {
		l4_debug_puts("(log unavailable) ");
		l4_debug_puts(line);
		l4_debug_puts("\n");
	}
}
