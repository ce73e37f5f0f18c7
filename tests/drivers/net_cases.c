/* SPDX-License-Identifier: Apache-2.0 */
#include "driver_test.h"

const struct test_case net_cases[] = {
	{ NULL, NULL },
};
