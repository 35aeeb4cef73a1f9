// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A syscall loop for the cost of tracing: "bind N" makes N sockets bound to 127.0.0.1:0 (socket,
 * bind, close), "getppid N" N getppid calls. Prints operations per second of this process's
 * CPU time, which another process running on a shared machine does not inflate.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double cpu_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	long n = argc == 3 ? atol(argv[2]) : 0, i;
	double start = cpu_seconds();

	if (n <= 0 || (strcmp(argv[1], "bind") && strcmp(argv[1], "getppid"))) {
		fprintf(stderr, "usage: syscall_loop bind|getppid N\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (argv[1][0] == 'g') {
			syscall(SYS_getppid);
			continue;
		}
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a))) {
			perror("syscall_loop: socket or bind");
			return 1;
		}
		close(fd);
	}
	printf("%.0f\n", n / (cpu_seconds() - start));
	return 0;
}
