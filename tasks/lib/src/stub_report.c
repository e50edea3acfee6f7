/* SPDX-License-Identifier: BSD-2-Clause */
/* What the generated stubs report through the task runtime: wrong slots, missing operations. */
#include <l4/syscall.h>
#include <l4e/stub.h>
#include <l4e/task.h>
#include <l4e/text.h>

static uint32_t reported[2]; /* slots 0..63 already reported: once per slot per task run */

/* "l4e::timer" -> "SYS_CAP_USES_L4E_TIMER", the macro a caller should have passed. */
static void slot_macro(char *out, size_t size, const char *iface)
{
	size_t n;

	l4e_format(out, size, "SYS_CAP_USES_");
	n = 13;
	for (; *iface && n + 1 < size; iface++) {
		if (iface[0] == ':' && iface[1] == ':') {
			out[n++] = '_';
			iface++;
		} else {
			out[n++] = *iface >= 'a' && *iface <= 'z' ? (char)(*iface - 'a' + 'A')
								  : *iface;
		}
	}
	out[n] = '\0';
}

void l4e_stub_bad_slot(l4_cap_t ep, const char *iface, int err)
{
	const char *why = err == -L4_ECAP    ? "is empty"
			  : err == -L4_ETYPE ? "holds no endpoint"
			  : err == -L4_EPERM ? "has no send right"
					     : "reaches a server that does not know this "
					       "operation (another interface's endpoint?)";
	char line[200], macro[64];

	if (ep < 64) {
		uint32_t bit = 1u << (ep % 32);

		if (__atomic_fetch_or(&reported[ep / 32], bit, __ATOMIC_RELAXED) & bit)
			return;
	}
	slot_macro(macro, sizeof(macro), iface);
	l4e_format(line, sizeof(line),
		   "%s: call of %s through slot %u failed with error %d: the slot %s "
		   "(pass %s from sys_%s.h)\n",
		   l4e_task_name(), iface, (unsigned)ep, err, why, macro, l4e_task_name());
	l4_debug_puts(line);
}

void l4e_stub_missing_op(const char *iface, const char *op)
{
	char line[200];

	l4e_format(line, sizeof(line),
		   "%s: %s operation '%s' is not implemented: set .%s in the server's ops "
		   "table; the task stops\n",
		   l4e_task_name(), iface, op, op);
	l4_debug_puts(line);
	/* A fault: the supervisor reports it and applies the task's restart policy. */
	__builtin_trap();
}
