/* SPDX-License-Identifier: BSD-2-Clause */
/* Logging from tasks (l4e/log.h) over the generated l4e::log client stub. */
#include <l4/syscall.h>
#include <l4e/log.h>
#include <l4e/text.h>

static void send(l4_cap_t sink, enum l4e_log_level lvl, const char *line)
{
	if (l4e_log_write(sink, lvl, line) != 0) {
		l4_debug_puts("(log unavailable) ");
		l4_debug_puts(line);
		l4_debug_puts("\n");
	}
}

void l4e_log(l4_cap_t sink, enum l4e_log_level lvl, const char *text, uint32_t value,
	     enum l4e_log_value how)
{
	char line[L4E_LOG_TEXT_MAX + 1];

	switch (how) {
	case L4E_LOG_NO_VALUE:
		l4e_format(line, sizeof(line), "%s", text);
		break;
	case L4E_LOG_SIGNED:
		l4e_format(line, sizeof(line), "%s %d", text, (int)(int32_t)value);
		break;
	case L4E_LOG_HEX:
		l4e_format(line, sizeof(line), "%s 0x%08x", text, (unsigned)value);
		break;
	default:
		l4e_format(line, sizeof(line), "%s %u", text, (unsigned)value);
		break;
	}
	send(sink, lvl, line);
}

void l4e_logf(l4_cap_t sink, enum l4e_log_level lvl, const char *fmt, ...)
{
	char line[L4E_LOG_TEXT_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	l4e_vformat(line, sizeof(line), fmt, ap);
	va_end(ap);
	send(sink, lvl, line);
}
