// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A syscall loop for the cost of tracing: "bind N" makes N sockets bound to 127.0.0.1:0 (socket,
 * bind, close), "getppid N" N getppid calls, "read N" N one-byte reads of /dev/zero. Prints
 * operations per second of this process's CPU time, which another process running on a shared
 * machine does not inflate. With --wall first it prints the rate per wall-clock second after it:
 * what a traced program sees of a tracer that competes for the CPU or makes it wait.
 *
 *   syscall_loop [--wall] bind|getppid|read N
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double seconds(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int wall = argc > 1 && !strcmp(argv[1], "--wall");
	long n = argc == 3 + wall ? atol(argv[2 + wall]) : 0, i;
	double start, start_wall;
	int zero = -1;
	char byte;

	argv += wall;
	if (n <= 0 ||
	    (strcmp(argv[1], "bind") && strcmp(argv[1], "getppid") && strcmp(argv[1], "read"))) {
		fprintf(stderr, "usage: syscall_loop [--wall] bind|getppid|read N\n");
		return 2;
	}
	if (argv[1][0] == 'r' && (zero = open("/dev/zero", O_RDONLY)) < 0) {
		perror("syscall_loop: /dev/zero");
		return 1;
	}
	start_wall = seconds(CLOCK_MONOTONIC);
	start = seconds(CLOCK_PROCESS_CPUTIME_ID);
	for (i = 0; i < n; i++) {
		if (argv[1][0] == 'g') {
			syscall(SYS_getppid);
			continue;
		}
		if (zero >= 0) {
			if (read(zero, &byte, 1) != 1) {
				perror("syscall_loop: read");
				return 1;
			}
			continue;
		}
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a))) {
			perror("syscall_loop: socket or bind");
			return 1;
		}
		close(fd);
	}
	if (wall)
		printf("%.0f %.0f\n", n / (seconds(CLOCK_PROCESS_CPUTIME_ID) - start),
		       n / (seconds(CLOCK_MONOTONIC) - start_wall));
	else
		printf("%.0f\n", n / (seconds(CLOCK_PROCESS_CPUTIME_ID) - start));
	return 0;
}
