/* SPDX-License-Identifier: Apache-2.0 */
#include "driver_test.h"

const struct test_case proc_cases[] = {
	{ NULL, NULL },
};
