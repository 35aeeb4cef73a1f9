/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * HTTP(S) with libcurl: one request, its body kept in memory up to a cap that is enforced while
 * the body arrives (a larger Content-Length is refused before any of it is read), connect and
 * total timeouts, a bounded number of redirects, and never a downgrade from https to http.
 */
#ifndef FETCH_FETCH_HTTP_H
#define FETCH_FETCH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include "core/diag.h"

#define FETCH_CONNECT_TIMEOUT_S 10
#define FETCH_DEFAULT_TIMEOUT_S 120
#define FETCH_MAX_REDIRECTS	5

#define FETCH_MAX_KEYS 8

/* How packages are fetched and verified, from `ecli run/pull/push` options. */
struct fetch_opts {
	long timeout_s;			  /* whole request; 0: FETCH_DEFAULT_TIMEOUT_S */
	bool plain_http;		  /* registries other than loopback ones in http too */
	int verbose;			  /* > 0: one line on stderr per request */
	const char *keys[FETCH_MAX_KEYS]; /* --key FILE: public keys besides keys.d's */
	int nr_keys;
	bool skip_verify; /* --insecure-skip-verify */
};

struct http_request {
	const char *method; /* NULL: GET; "HEAD", "POST", "PUT" */
	const char *url;
	const char *accept;	   /* Accept header, or NULL */
	const char *content_type;  /* of body, or NULL */
	const char *authorization; /* Authorization header's value, or NULL; never sent to
				      another host a redirect leads to */
	const void *body;	   /* POST/PUT body (body_len bytes) */
	size_t body_len;
	size_t max_bytes; /* a response body larger than this is refused */
	bool follow;	  /* follow redirects (GET and HEAD only) */
};

struct http_response {
	long status;
	char reason[64]; /* "Not Found" from the status line, when the server sends one */
	char *body;	 /* NUL-terminated, len bytes */
	size_t len;
	char *location;	    /* Location header, or NULL */
	char *content_type; /* Content-Type header, or NULL */
	char *digest;	    /* Docker-Content-Digest header, or NULL */
	char *challenge;    /* WWW-Authenticate header, or NULL */
	char *url;	    /* the URL that answered, after redirects */
};

/*
 * Performs the request. Any HTTP status is a success here (callers judge it); a failure is one
 * that got no complete response: connect, DNS, TLS, timeout, a body that ends before its
 * Content-Length, a body over max_bytes, too many redirects. The message does not name the URL.
 */
int http_perform(const struct fetch_opts *o, const struct http_request *rq,
		 struct http_response *rs, struct diag *d);
void http_response_free(struct http_response *rs);
/* "libcurl VERSION SSL", or why libcurl could not be loaded, for --version. */
void http_library_version(char *buf, size_t size);
/* "HTTP 404 Not Found". */
void http_status_text(const struct http_response *rs, char *buf, size_t size);
/* A GET of a whole document: status 200 only; messages are "URL: problem". */
int http_get(const struct fetch_opts *o, const char *url, const char *accept, size_t max_bytes,
	     char **body, size_t *len, struct diag *d);
/* "256 MiB" or "1000 bytes". */
void fetch_size_text(size_t bytes, char *buf, size_t size);

#endif
