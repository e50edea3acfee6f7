/* SPDX-License-Identifier: BSD-2-Clause */
/* Host test runner: runs every registered CUnit suite, prints the [test] result protocol. */
#include "test.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

static struct test_suite_reg *suites;

void test_register_suite(struct test_suite_reg *reg)
{
	struct test_suite_reg **p = &suites;

	/* Keep link order so the output is stable. */
	while (*p)
		p = &(*p)->next;
	reg->next = NULL;
	*p = reg;
}

/* "suite" or "suite/test" selects; NULL selects everything. */
static int selected(const char *filter, const char *suite, const char *test)
{
	size_t n;

	if (!filter)
		return 1;
	n = strlen(suite);
	if (strncmp(filter, suite, n) != 0)
		return 0;
	if (filter[n] == '\0')
		return 1;
	if (filter[n] != '/')
		return 0;
	/* "suite/case": the suite is selected, then only that case of it. */
	return !test || strcmp(filter + n + 1, test) == 0;
}

static const CU_FailureRecord *first_failure(CU_pTest test)
{
	const CU_FailureRecord *f;

	for (f = CU_get_failure_list(); f; f = f->pNext)
		if (f->pTest == test)
			return f;
	return NULL;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	unsigned passed = 0, failed = 0;
	struct test_suite_reg *r;
	CU_pSuite s;
	CU_pTest t;

	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "cunit: cannot initialise the registry\n");
		return 2;
	}
	for (r = suites; r; r = r->next) {
		CU_TestInfo *ti;

		if (!selected(filter, r->name, NULL))
			continue;
		s = CU_add_suite(r->name, r->init, r->cleanup);
		for (ti = r->tests; s && ti->pName; ti++)
			if (selected(filter, r->name, ti->pName))
				CU_add_test(s, ti->pName, ti->pTestFunc);
	}
	CU_basic_set_mode(CU_BRM_SILENT);
	CU_basic_run_tests();

	for (s = CU_get_registry()->pSuite; s; s = s->pNext) {
		for (t = s->pTest; t; t = t->pNext) {
			const CU_FailureRecord *f = first_failure(t);

			if (f) {
				failed++;
				printf("[test] fail %s/%s %s:%u: %s\n", s->pName, t->pName,
				       f->strFileName ? f->strFileName : "?", f->uiLineNumber,
				       f->strCondition ? f->strCondition : "?");
			} else {
				passed++;
				printf("[test] pass %s/%s\n", s->pName, t->pName);
			}
		}
	}
	printf("[test] summary %u %u\n", passed, failed);
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
