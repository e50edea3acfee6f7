/* SPDX-License-Identifier: BSD-2-Clause */
/* libl4 debug-console helpers built on L4_SYS_DEBUG_WRITE. */
#include <l4/syscall.h>
#include <string.h>

int l4_debug_puts(const char *s)
{
	size_t len = strlen(s), done = 0;

	while (done < len) {
		size_t n = len - done > L4_DEBUG_WRITE_MAX ? L4_DEBUG_WRITE_MAX : len - done;
		int err = l4_debug_write(s + done, n);

		if (err < 0)
			return err;
		done += n;
	}
	return (int)len;
}

int l4_debug_putu(uint32_t v)
{
	char buf[11];
	unsigned n = 0;

	do {
		buf[sizeof(buf) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return l4_debug_write(&buf[sizeof(buf) - n], n);
}
