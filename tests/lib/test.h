/* SPDX-License-Identifier: BSD-2-Clause */
/* Host test registration: a file declares its CUnit suite with TEST_SUITE and is linked in. */
#pragma once

#include <CUnit/CUnit.h>

struct test_suite_reg {
	const char *name;
	CU_TestInfo *tests;
	CU_InitializeFunc init;
	CU_CleanupFunc cleanup;
	struct test_suite_reg *next;
};

void test_register_suite(struct test_suite_reg *reg);

#define TEST_CASE(fn)   \
	{               \
#fn, fn \
	}

/* TEST_SUITE(name, TEST_CASE(a), TEST_CASE(b), ...) registers the suite at program start. */
#define TEST_SUITE(sname, ...)                                                                \
	static CU_TestInfo sname##_tests[] = {__VA_ARGS__, CU_TEST_INFO_NULL};                \
	static struct test_suite_reg sname##_reg = {#sname, sname##_tests, NULL, NULL, NULL}; \
	__attribute__((constructor)) static void sname##_register(void)                       \
	{                                                                                     \
		test_register_suite(&sname##_reg);                                            \
	}
