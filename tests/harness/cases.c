/* SPDX-License-Identifier: BSD-2-Clause */
/* Root tasks that break the result protocol on purpose, to prove the runner catches it. */
#include <l4/syscall.h>

int main(void);

int main(void)
{
	switch (HARNESS_CASE) {
	case 0: /* a case passes, but the program never prints its summary */
		l4_debug_puts("[test] pass lonely_case\n");
		return 0;
	case 1: /* hangs after a pass: only the timeout ends it */
		l4_debug_puts("[test] pass before_hang\n");
		for (;;)
			__asm__ volatile("" ::: "memory");
	case 2: /* the summary disagrees with the cases seen */
		l4_debug_puts("[test] pass one\n[test] summary 2 0\n");
		return 0;
	case 3: /* a deliberately wrong test: it fails and says so */
		l4_debug_puts(
			"[test] pass fine\n[test] fail wrong x.c:1: 1 == 2\n[test] summary 1 1\n");
		return 1;
	case 4: /* an undefined instruction in user mode */
		__asm__ volatile(".word 0xe7f000f0");
		return 0;
	default: /* all passes, but the exit status says failure */
		l4_debug_puts("[test] pass fine\n[test] summary 1 0\n");
		return 7;
	}
}
