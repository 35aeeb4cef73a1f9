// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>
#include "core/stop_signal.h"
#include "fetch/fetch_http.h"
#include "core/lazy_lib.h"
#include "core/version.h"

/* libcurl's functions, from the library opened on the first request (lazy_lib.h says why) */
static struct {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *c, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *c);
	CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *c);
	const char *(*easy_strerror)(CURLcode rc);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
	curl_version_info_data *(*version_info)(CURLversion v);
} curl;

#define CURL_SYMBOL(f)                       \
	{                                    \
		"curl_" #f, (void **)&curl.f \
	}

static int curl_open(struct diag *d)
{
	static const struct lazy_symbol syms[] = {
		CURL_SYMBOL(global_init),    CURL_SYMBOL(global_cleanup), CURL_SYMBOL(easy_init),
		CURL_SYMBOL(easy_setopt),    CURL_SYMBOL(easy_perform),	  CURL_SYMBOL(easy_getinfo),
		CURL_SYMBOL(easy_cleanup),   CURL_SYMBOL(easy_strerror),  CURL_SYMBOL(slist_append),
		CURL_SYMBOL(slist_free_all), CURL_SYMBOL(version_info),
	};

	if (curl.global_init)
		return 0;
	return lazy_lib_open("libcurl.so.4", syms, sizeof(syms) / sizeof(syms[0]), d);
}

void http_library_version(char *buf, size_t size)
{
	const curl_version_info_data *v;
	struct diag d;

	if (curl_open(&d)) {
		snprintf(buf, size, "libcurl: not loaded (%s)", d.msg);
		return;
	}
	v = curl.version_info(CURLVERSION_NOW);
	snprintf(buf, size, "libcurl %s%s%s", v->version, v->ssl_version ? " " : "",
		 v->ssl_version ?: "");
}

struct transfer {
	struct http_response *rs;
	size_t cap; /* bytes allocated for rs->body */
	size_t max;
	bool too_big;
	bool no_memory;
};

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct transfer *t = ctx;
	struct http_response *rs = t->rs;
	size_t add = size * n, cap;
	char *grown;

	if (add > t->max - rs->len) {
		t->too_big = true;
		return 0; /* stops the transfer: nothing past the cap is read */
	}
	if (rs->len + add + 1 > t->cap) {
		cap = t->cap ? t->cap : 1 << 16;
		while (cap < rs->len + add + 1)
			cap *= 2;
		if (cap > t->max + 1)
			cap = t->max + 1;
		grown = realloc(rs->body, cap);
		if (!grown) {
			t->no_memory = true;
			return 0;
		}
		rs->body = grown;
		t->cap = cap;
	}
	memcpy(rs->body + rs->len, data, add);
	rs->len += add;
	rs->body[rs->len] = 0;
	return add;
}

static char *header_value(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);

	if (len <= n || strncasecmp(line, name, n) || line[n] != ':')
		return NULL;
	line += n + 1;
	len -= n + 1;
	while (len && (*line == ' ' || *line == '\t'))
		line++, len--;
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n' || line[len - 1] == ' '))
		len--;
	return strndup(line, len);
}

static void set_header(char **slot, char *value)
{
	if (!value)
		return;
	free(*slot);
	*slot = value;
}

/* Headers of every response in a redirect chain arrive here; a status line starts afresh. */
static size_t on_header(char *line, size_t size, size_t n, void *ctx)
{
	struct http_response *rs = ctx;
	size_t len = size * n;

	if (len > 5 && !strncmp(line, "HTTP/", 5)) {
		const char *sp = memchr(line, ' ', len), *reason;
		size_t rlen;

		free(rs->location);
		free(rs->content_type);
		free(rs->digest);
		free(rs->challenge);
		rs->location = rs->content_type = rs->digest = rs->challenge = NULL;
		rs->reason[0] = 0;
		/* "HTTP/1.1 404 Not Found": the reason is after the second space */
		reason = sp ? memchr(sp + 1, ' ', len - (sp + 1 - line)) : NULL;
		if (reason) {
			reason++;
			rlen = len - (reason - line);
			while (rlen && (reason[rlen - 1] == '\r' || reason[rlen - 1] == '\n'))
				rlen--;
			if (rlen >= sizeof(rs->reason))
				rlen = sizeof(rs->reason) - 1;
			memcpy(rs->reason, reason, rlen);
			rs->reason[rlen] = 0;
			for (char *c = rs->reason; *c; c++)
				if ((unsigned char)*c < ' ' || *c == 0x7f)
					*c = ' ';
		}
		return len;
	}
	set_header(&rs->location, header_value(line, len, "Location"));
	set_header(&rs->content_type, header_value(line, len, "Content-Type"));
	set_header(&rs->digest, header_value(line, len, "Docker-Content-Digest"));
	set_header(&rs->challenge, header_value(line, len, "WWW-Authenticate"));
	return len;
}

void fetch_size_text(size_t bytes, char *buf, size_t size)
{
	if (bytes && bytes % (1 << 20) == 0)
		snprintf(buf, size, "%zu MiB", bytes >> 20);
	else if (bytes && bytes % 1024 == 0)
		snprintf(buf, size, "%zu KiB", bytes >> 10);
	else
		snprintf(buf, size, "%zu bytes", bytes);
}

/* libcurl asks about once a second, and at every block of data: a stop ends the transfer. */
static int on_progress(void *ctx, curl_off_t dl_total, curl_off_t dl_now, curl_off_t ul_total,
		       curl_off_t ul_now)
{
	return stop_signal_raised() ? 1 : 0;
}

static int curl_failure(CURL *c, CURLcode rc, const struct transfer *t, long timeout_s,
			const char *errbuf, struct diag *d)
{
	const char *why = errbuf[0] ? errbuf : curl.easy_strerror(rc);
	curl_off_t expected = -1;
	char size[32];

	if (t->no_memory)
		return diag_set(d, -ENOMEM, "out of memory");
	if (t->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		fetch_size_text(t->max, size, sizeof(size));
		return diag_set(d, -EFBIG, "larger than %s, refused", size);
	}
	switch (rc) {
	case CURLE_ABORTED_BY_CALLBACK:
		return diag_set(d, -ECANCELED, "stopped while fetching");
	case CURLE_PARTIAL_FILE:
		curl.easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
		if (expected >= 0)
			return diag_set(d, -EPROTO,
					"truncated: the body ended after %zu of %lld bytes",
					t->rs->len, (long long)expected);
		return diag_set(d, -EPROTO, "truncated: %s", why);
	case CURLE_OPERATION_TIMEDOUT:
		return diag_set(d, -ETIMEDOUT, "timed out (limit %ld s): %s", timeout_s, why);
	case CURLE_TOO_MANY_REDIRECTS:
		return diag_set(d, -ELOOP, "more than %d redirects", FETCH_MAX_REDIRECTS);
	case CURLE_UNSUPPORTED_PROTOCOL:
		return diag_set(d, -EPROTO,
				"redirect refused (only http and https, never https to http): %s",
				why);
	case CURLE_COULDNT_CONNECT:
		return diag_set(d, -ECONNREFUSED, "cannot connect: %s", why);
	case CURLE_COULDNT_RESOLVE_HOST:
		return diag_set(d, -EHOSTUNREACH, "cannot resolve the host: %s", why);
	default:
		return diag_set(d, -EIO, "%s", why);
	}
}

static bool curl_ready(struct diag *d)
{
	static int state; /* 0 not yet, 1 ready, -1 failed */

	if (!state && curl_open(d))
		return false;
	if (!state) {
		state = curl.global_init(CURL_GLOBAL_DEFAULT) ? -1 : 1;
		if (state > 0)
			atexit(curl.global_cleanup);
	}
	if (state < 0)
		diag_set(d, -ENOMEM, "libcurl could not be initialised");
	return state > 0;
}

static void log_request(const struct fetch_opts *o, const struct http_request *rq,
			const struct http_response *rs, int err, const struct diag *d)
{
	if (o->verbose <= 0)
		return;
	if (err)
		diag_print("%s %s: %s", rq->method ?: "GET", rq->url, d->msg);
	else
		diag_print("%s %s: HTTP %ld, %zu bytes", rq->method ?: "GET", rq->url, rs->status,
			   rs->len);
}

int http_perform(const struct fetch_opts *o, const struct http_request *rq,
		 struct http_response *rs, struct diag *d)
{
	long timeout_s = o->timeout_s > 0 ? o->timeout_s : FETCH_DEFAULT_TIMEOUT_S;
	struct transfer t = {.rs = rs, .max = rq->max_bytes};
	bool https = !strncasecmp(rq->url, "https://", 8);
	char errbuf[CURL_ERROR_SIZE] = "", accept[256], ctype[256], *auth = NULL;
	struct curl_slist *headers = NULL, *h;
	const char *method = rq->method ?: "GET";
	char *url = NULL;
	CURLcode rc;
	CURL *c;
	int err = 0;

	memset(rs, 0, sizeof(*rs));
	if (!curl_ready(d))
		return -ENOMEM;
	c = curl.easy_init();
	if (!c)
		return diag_set(d, -ENOMEM, "libcurl could not start a request");
	/* no "Expect: 100-continue" round trip before a PUT body */
	h = curl.slist_append(headers, "Expect:");
	headers = h ?: headers;
	if (h && rq->accept) {
		snprintf(accept, sizeof(accept), "Accept: %s", rq->accept);
		h = curl.slist_append(headers, accept);
	}
	if (h && rq->content_type) {
		snprintf(ctype, sizeof(ctype), "Content-Type: %s", rq->content_type);
		h = curl.slist_append(headers, ctype);
	}
	if (h && rq->authorization) {
		/* libcurl drops a custom Authorization header when a redirect changes the host */
		if (asprintf(&auth, "Authorization: %s", rq->authorization) < 0)
			auth = NULL;
		h = auth ? curl.slist_append(headers, auth) : NULL;
	}
	if (!h) {
		err = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	curl.easy_setopt(c, CURLOPT_URL, rq->url);
	curl.easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl.easy_setopt(c, CURLOPT_USERAGENT, "ecli/" ECLI_VERSION);
	curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
	curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, rq->follow ? 1L : 0L);
	curl.easy_setopt(c, CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRECTS);
	curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
			 timeout_s < FETCH_CONNECT_TIMEOUT_S ? timeout_s : FETCH_CONNECT_TIMEOUT_S);
	curl.easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
	/* a HEAD's Content-Length is the size of what it was asked about, never read */
	if (strcmp(method, "HEAD"))
		curl.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)rq->max_bytes);
	curl.easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl.easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl.easy_setopt(c, CURLOPT_WRITEDATA, &t);
	curl.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl.easy_setopt(c, CURLOPT_HEADERDATA, rs);
	if (!strcmp(method, "HEAD")) {
		curl.easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (!strcmp(method, "POST") || !strcmp(method, "PUT")) {
		curl.easy_setopt(c, CURLOPT_POST, 1L);
		curl.easy_setopt(c, CURLOPT_POSTFIELDS, rq->body ?: "");
		curl.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
		if (!strcmp(method, "PUT"))
			curl.easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
	}
	rc = curl.easy_perform(c);
	if (rc != CURLE_OK) {
		err = curl_failure(c, rc, &t, timeout_s, errbuf, d);
		goto out;
	}
	curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &rs->status);
	if (curl.easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url)
		rs->url = strdup(url);
	if (!rs->body)
		rs->body = calloc(1, 1);
	if (!rs->body || !rs->url)
		err = diag_set(d, -ENOMEM, "out of memory");
out:
	log_request(o, rq, rs, err, d);
	if (err)
		http_response_free(rs);
	free(auth);
	curl.slist_free_all(headers);
	curl.easy_cleanup(c);
	return err;
}

void http_response_free(struct http_response *rs)
{
	free(rs->body);
	free(rs->location);
	free(rs->content_type);
	free(rs->digest);
	free(rs->challenge);
	free(rs->url);
	memset(rs, 0, sizeof(*rs));
}

void http_status_text(const struct http_response *rs, char *buf, size_t size)
{
	if (rs->reason[0])
		snprintf(buf, size, "HTTP %ld %s", rs->status, rs->reason);
	else
		snprintf(buf, size, "HTTP %ld", rs->status);
}

int http_get(const struct fetch_opts *o, const char *url, const char *accept, size_t max_bytes,
	     char **body, size_t *len, struct diag *d)
{
	struct http_request rq = {
		.url = url, .accept = accept, .max_bytes = max_bytes, .follow = true};
	struct http_response rs;
	char status[96];
	int err;

	err = http_perform(o, &rq, &rs, d);
	if (err) {
		return diag_wrap(d, err, "%s", url);
	}
	if (rs.status != 200) {
		http_status_text(&rs, status, sizeof(status));
		err = diag_set(d, rs.status >= 400 ? -ENOENT : -EPROTO, "%s: %s", url, status);
		http_response_free(&rs);
		return err;
	}
	*body = rs.body;
	*len = rs.len;
	rs.body = NULL;
	http_response_free(&rs);
	return 0;
}
