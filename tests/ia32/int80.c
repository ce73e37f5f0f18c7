// SPDX-License-Identifier: Apache-2.0
/*
 * A 64-bit program that enters the kernel's ia32 table with `int $0x80` (tests/test_ia32_live.py):
 * ia32 open (5) of argv[1], copied to a static buffer so that its address fits in 32 bits (a static
 * non-PIE binary), then ia32 close (6). A sensor that checks only the task's bitness misses it.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char path[4096];

static long int80(long nr, long a, long b)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b) : "memory");
	return ret;
}

int main(int argc, char **argv)
{
	char c;
	long fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof(path) || read(0, &c, 1) != 1)
		return 2;
	strcpy(path, argv[1]);
	fd = int80(5 /* ia32 open */, (long)path, 0 /* O_RDONLY */);
	if (fd < 0)
		return 1;
	printf("fd %ld\n", fd);
	return int80(6 /* ia32 close */, fd, 0) == 0 ? 0 : 1;
}
