// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What the container-name tests do inside a container: linked statically, so an image holding
 * only this file runs it (tests/live/test_cgroup_names.py imports one with podman, offline).
 *
 *   cgroup_worker sleep SECONDS   keeps the container running
 *   cgroup_worker bind PORT       binds a TCP socket to 127.0.0.1:PORT
 *   cgroup_worker accept PORT     listens on 127.0.0.1:PORT, connects to it and accepts
 *   cgroup_worker open PATH       opens PATH for reading
 *
 * Prints "ok" and exits 0, or the failing call and its error and exits 1.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(const char *what)
{
	perror(what);
	return 1;
}

static struct sockaddr_in loopback(const char *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(port))};

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int do_bind(const char *port)
{
	struct sockaddr_in a = loopback(port);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)))
		return fail("bind");
	return 0;
}

static int do_accept(const char *port)
{
	struct sockaddr_in a = loopback(port);
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);

	if (l < 0 || c < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1))
		return fail("listen");
	if (connect(c, (struct sockaddr *)&a, sizeof(a)))
		return fail("connect");
	/* asking for the peer's address, which tcpaccept's cgroup variant needs to see it (one
	 * that asks for none it counts as lost: test_tcpaccept.py) */
	if (accept(l, (struct sockaddr *)&peer, &len) < 0)
		return fail("accept");
	return 0;
}

int main(int argc, char **argv)
{
	int err;

	if (argc != 3)
		return fprintf(stderr, "usage: cgroup_worker sleep|bind|accept|open ARG\n"), 2;
	if (!strcmp(argv[1], "sleep"))
		return sleep(atoi(argv[2])), 0;
	if (!strcmp(argv[1], "bind"))
		err = do_bind(argv[2]);
	else if (!strcmp(argv[1], "accept"))
		err = do_accept(argv[2]);
	else if (!strcmp(argv[1], "open"))
		err = open(argv[2], O_RDONLY) < 0 ? fail("open") : 0;
	else
		return fprintf(stderr, "cgroup_worker: unknown operation '%s'\n", argv[1]), 2;
	if (!err)
		puts("ok");
	return err;
}
