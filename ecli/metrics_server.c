// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "metrics_server.h"
#include "core/stop_signal.h"

#define REQUEST_MAX 2048

struct conn {
	int fd; /* -1: a free slot */
	char in[REQUEST_MAX + 1];
	size_t in_len;
	struct out_buf out; /* the answer, once the request is whole */
	size_t sent;
	uint64_t deadline_ms;
};

struct metrics_server {
	int fd;
	metrics_page_fn page;
	void *ctx;
	struct out_buf body;
	struct conn conns[METRICS_MAX_CONNS];
};

/* HOST:PORT or [HOST]:PORT into its parts; host "" means every address. */
static int split_addr(const char *addr, char *host, size_t size, const char **port, struct diag *d)
{
	const char *colon = strrchr(addr, ':');
	size_t len = colon ? (size_t)(colon - addr) : 0;
	char *end;
	long n;

	if (!colon || !colon[1])
		return diag_set(d, -EINVAL, "--metrics: '%s' is not HOST:PORT", addr);
	n = strtol(colon + 1, &end, 10);
	if (*end || n < 1 || n > 65535)
		return diag_set(d, -EINVAL, "--metrics: '%s': the port must be 1-65535", addr);
	if (len >= 2 && addr[0] == '[' && addr[len - 1] == ']') {
		addr++;
		len -= 2;
	}
	if (len >= size || memchr(addr, '[', len) || memchr(addr, ']', len))
		return diag_set(d, -EINVAL, "--metrics: '%s' is not HOST:PORT", addr);
	memcpy(host, addr, len);
	host[len] = '\0';
	*port = colon + 1;
	return 0;
}

static int listen_on(const char *addr, struct diag *d)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *res = NULL;
	char host[256];
	const char *port = NULL;
	int fd = -1, one = 1, err, gai;

	err = split_addr(addr, host, sizeof(host), &port, d);
	if (err)
		return err;
	gai = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
	if (gai)
		return diag_set(d, -EINVAL, "--metrics: '%s': %s", addr, gai_strerror(gai));
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, res->ai_addr, res->ai_addrlen) || listen(fd, METRICS_MAX_CONNS))
		err = diag_set(d, -errno, "--metrics: cannot listen on %s: %s", addr,
			       strerror(errno));
	freeaddrinfo(res);
	if (err && fd >= 0)
		close(fd);
	return err ?: fd;
}

int metrics_server_open(struct metrics_server **out, const char *addr, metrics_page_fn page,
			void *ctx, struct diag *d)
{
	struct metrics_server *s = calloc(1, sizeof(*s));
	int i, fd;

	if (!s || out_buf_init(&s->body, -1, 4096)) {
		free(s);
		return diag_set(d, -ENOMEM, "out of memory");
	}
	s->fd = -1;
	for (i = 0; i < METRICS_MAX_CONNS; i++)
		s->conns[i].fd = -1;
	fd = listen_on(addr, d);
	if (fd < 0) {
		metrics_server_close(s);
		return fd;
	}
	s->fd = fd;
	s->page = page;
	s->ctx = ctx;
	*out = s;
	return 0;
}

static void drop(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
	out_buf_free(&c->out);
}

static void accept_new(struct metrics_server *s)
{
	struct conn *c;
	int fd, i;

	while ((fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		for (i = 0; i < METRICS_MAX_CONNS && s->conns[i].fd >= 0; i++)
			;
		if (i == METRICS_MAX_CONNS) {
			close(fd); /* busy: the scraper tries again */
			continue;
		}
		c = &s->conns[i];
		c->fd = fd;
		c->in_len = c->sent = 0;
		c->deadline_ms = stop_signal_now_ms() + METRICS_CONN_MS;
		memset(&c->out, 0, sizeof(c->out));
	}
}

/* The status line and headers, then the body unless the request was HEAD. */
static void answer(struct metrics_server *s, struct conn *c)
{
	char method[8] = "", path[256] = "";
	const char *status = "200 OK";
	bool head;

	sscanf(c->in, "%7s %255s", method, path);
	path[strcspn(path, "?")] = '\0';
	head = !strcmp(method, "HEAD");
	s->body.len = 0;
	if (strcmp(method, "GET") && !head)
		status = "405 Method Not Allowed";
	else if (strcmp(path, "/metrics"))
		status = "404 Not Found";
	if (strcmp(status, "200 OK"))
		out_printf(&s->body, "%s: this server has GET /metrics\n", status);
	else
		s->page(s->ctx, &s->body);
	if (out_buf_init(&c->out, -1, s->body.len + 256)) {
		drop(c);
		return;
	}
	out_printf(&c->out,
		   "HTTP/1.1 %s\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
		   "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		   status, s->body.len);
	if (!head)
		out_write(&c->out, s->body.data, s->body.len);
}

static void read_request(struct metrics_server *s, struct conn *c)
{
	ssize_t n = read(c->fd, c->in + c->in_len, REQUEST_MAX - c->in_len);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		drop(c);
		return;
	}
	c->in_len += n;
	c->in[c->in_len] = '\0';
	if (strstr(c->in, "\r\n\r\n") || strstr(c->in, "\n\n"))
		answer(s, c);
	else if (c->in_len == REQUEST_MAX)
		drop(c); /* no request is that long */
}

static void send_answer(struct conn *c)
{
	ssize_t n = send(c->fd, c->out.data + c->sent, c->out.len - c->sent, MSG_NOSIGNAL);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		drop(c);
		return;
	}
	c->sent += n;
	if (c->sent == c->out.len)
		drop(c);
}

void metrics_server_step(struct metrics_server *s)
{
	uint64_t now = stop_signal_now_ms();
	struct conn *c;
	int i;

	accept_new(s);
	for (i = 0; i < METRICS_MAX_CONNS; i++) {
		c = &s->conns[i];
		if (c->fd < 0)
			continue;
		if (now > c->deadline_ms)
			drop(c);
		else if (!c->out.data)
			read_request(s, c);
		if (c->fd >= 0 && c->out.data)
			send_answer(c);
	}
}

void metrics_server_close(struct metrics_server *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < METRICS_MAX_CONNS; i++)
		if (s->conns[i].fd >= 0)
			drop(&s->conns[i]);
	if (s->fd >= 0)
		close(s->fd);
	out_buf_free(&s->body);
	free(s);
}
