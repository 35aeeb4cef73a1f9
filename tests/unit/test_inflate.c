// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* inflate_exact: the declared size is a hard bound, and each kind of bad stream says why. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include "format/inflate.h"
#include "unit.h"

static void *zcompress(const void *data, size_t len, size_t *zlen)
{
	uLongf n = compressBound(len);
	void *z = malloc(n);

	if (z && compress2(z, &n, data, len, 9) != Z_OK) {
		free(z);
		return NULL;
	}
	*zlen = n;
	return z;
}

/* Bytes that do not compress to nothing, so truncation and corruption hit real data. */
static uint8_t *pattern(size_t len)
{
	uint8_t *p = malloc(len);
	size_t i;

	for (i = 0; p && i < len; i++)
		p[i] = (uint8_t)(i * 7 + i / 13);
	return p;
}

TEST(inflate_exact_size_ok)
{
	uint8_t *data = pattern(1000);
	size_t zlen = 0;
	void *z = zcompress(data, 1000, &zlen), *out = NULL;
	struct diag d = {""};

	CHECK(z != NULL);
	CHECK(inflate_exact(z, zlen, 1000, &out, &d) == 0);
	CHECK(out && !memcmp(out, data, 1000));
	CHECK_STR(d.msg, "");
	free(out);
	free(z);
	free(data);
}

TEST(inflate_declared_smaller_than_real)
{
	uint8_t *data = pattern(1000);
	size_t zlen = 0;
	void *z = zcompress(data, 1000, &zlen), *out = NULL;
	struct diag d = {""};

	CHECK(inflate_exact(z, zlen, 999, &out, &d) == -EFBIG);
	CHECK_STR(d.msg, "bpf_object: inflates past its declared bpf_object_size 999");
	CHECK(out == NULL);
	free(z);
	free(data);
}

TEST(inflate_declared_larger_than_real)
{
	uint8_t *data = pattern(1000);
	size_t zlen = 0;
	void *z = zcompress(data, 1000, &zlen), *out = NULL;
	struct diag d = {""};

	CHECK(inflate_exact(z, zlen, 1001, &out, &d) == -EINVAL);
	CHECK_STR(d.msg, "bpf_object: inflates to 1000 bytes but bpf_object_size says 1001");
	CHECK(out == NULL);
	CHECK(inflate_exact(z, zlen, 4096, &out, &d) == -EINVAL);
	CHECK_STR(d.msg, "bpf_object: inflates to 1000 bytes but bpf_object_size says 4096");
	free(z);
	free(data);
}

/* Trailing bytes mean the package was put together wrongly; they are not ignored. */
TEST(inflate_trailing_bytes_refused)
{
	uint8_t *data = pattern(1000);
	size_t zlen = 0;
	void *z = zcompress(data, 1000, &zlen), *out = NULL, *longer;
	struct diag d = {""};

	longer = z ? realloc(z, zlen + 3) : NULL;
	CHECK(longer != NULL);
	memcpy((uint8_t *)longer + zlen, "xyz", 3);
	CHECK(inflate_exact(longer, zlen + 3, 1000, &out, &d) == -EINVAL);
	CHECK_STR(d.msg, "bpf_object: 3 bytes follow the end of the zlib stream");
	CHECK(out == NULL);
	free(longer);
	free(data);
}

TEST(inflate_corrupt_header)
{
	uint8_t *data = pattern(1000);
	size_t zlen = 0;
	uint8_t *z = zcompress(data, 1000, &zlen);
	void *out = NULL;
	struct diag d = {""};

	z[0] = 0x00;
	CHECK(inflate_exact(z, zlen, 1000, &out, &d) == -EINVAL);
	CHECK_STR(d.msg, "bpf_object: corrupt zlib data (incorrect header check)");
	CHECK(out == NULL);
	free(z);
	free(data);
}

TEST(inflate_corrupt_checksum)
{
	uint8_t *data = pattern(1000);
	size_t zlen = 0;
	uint8_t *z = zcompress(data, 1000, &zlen);
	void *out = NULL;
	struct diag d = {""};

	/* the last four bytes are the adler32 of the output */
	z[zlen - 1] ^= 0x55;
	CHECK(inflate_exact(z, zlen, 1000, &out, &d) == -EINVAL);
	CHECK_STR(d.msg, "bpf_object: corrupt zlib data (incorrect data check)");
	CHECK(out == NULL);
	free(z);
	free(data);
}

TEST(inflate_not_zlib_at_all)
{
	static const char text[] = "hello, this is not a zlib stream";
	void *out = NULL;
	struct diag d = {""};

	CHECK(inflate_exact(text, sizeof(text), 64, &out, &d) == -EINVAL);
	CHECK_STR(d.msg, "bpf_object: corrupt zlib data (incorrect header check)");
	CHECK(out == NULL);
}

TEST(inflate_truncated_stream)
{
	uint8_t *data = pattern(1000);
	size_t zlen = 0, cut;
	uint8_t *z = zcompress(data, 1000, &zlen);
	void *out = NULL;
	struct diag d = {""};

	for (cut = 0; cut < zlen; cut += zlen / 5 ? zlen / 5 : 1) {
		d.msg[0] = 0;
		CHECK(inflate_exact(z, cut, 1000, &out, &d) == -EINVAL);
		CHECK_STR(d.msg, "bpf_object: zlib stream is truncated");
		CHECK(out == NULL);
	}
	/* only part of the checksum missing */
	CHECK(inflate_exact(z, zlen - 1, 1000, &out, &d) == -EINVAL);
	CHECK_STR(d.msg, "bpf_object: zlib stream is truncated");
	free(z);
	free(data);
}

/* 64 MiB of zeros as one zlib stream, compressed a chunk at a time to keep this test small. */
static uint8_t *zero_bomb(size_t total, size_t *zlen)
{
	static const uint8_t zeros[1 << 16];
	size_t cap = total / 512 + 4096, fed = 0;
	uint8_t *z = malloc(cap);
	z_stream zs = {0};
	int ret = Z_OK;

	if (!z || deflateInit(&zs, 9) != Z_OK) {
		free(z);
		return NULL;
	}
	zs.next_out = z;
	zs.avail_out = cap;
	while (ret == Z_OK) {
		size_t n = total - fed < sizeof(zeros) ? total - fed : sizeof(zeros);

		zs.next_in = (uint8_t *)zeros;
		zs.avail_in = n;
		fed += n;
		ret = deflate(&zs, fed == total ? Z_FINISH : Z_NO_FLUSH);
		if (ret == Z_OK && zs.avail_in)
			ret = Z_BUF_ERROR; /* cap was too small */
	}
	deflateEnd(&zs);
	if (ret != Z_STREAM_END) {
		free(z);
		return NULL;
	}
	*zlen = zs.total_out;
	return z;
}

#ifndef __SANITIZE_ADDRESS__
/*
 * Runs the bomb in a child whose address space may grow by 16 MiB only: inflating it in full,
 * or allocating for the whole output, would fail with ENOMEM rather than EFBIG. ASan reserves
 * terabytes of shadow memory, so the sanitized build runs the bomb without the limit.
 */
static int bomb_in_small_address_space(const void *z, size_t zlen)
{
	pid_t pid = fork();
	int status = 0;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		long pages = 0;
		FILE *f = fopen("/proc/self/statm", "r");
		struct rlimit rl;
		void *out = NULL, *probe;
		int err;

		if (!f || fscanf(f, "%ld", &pages) != 1)
			_exit(3);
		fclose(f);
		rl.rlim_cur = rl.rlim_max = pages * sysconf(_SC_PAGESIZE) + (16 << 20);
		if (setrlimit(RLIMIT_AS, &rl))
			_exit(3);
		probe = malloc(64 << 20);
		if (probe) /* the limit does not hold: this check would prove nothing */
			_exit(2);
		err = inflate_exact(z, zlen, 1000, &out, NULL);
		_exit(err == -EFBIG && !out ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}
#endif

TEST(inflate_bomb_refused_after_declared_size)
{
	size_t zlen = 0;
	uint8_t *z = zero_bomb(64u << 20, &zlen);
	void *out = NULL;
	struct diag d = {""};

	CHECK(z != NULL);
	if (!z)
		return;
	/* 64 MiB of zeros compress roughly a thousandfold */
	CHECK(zlen < (64u << 20) / 500);
	CHECK(inflate_exact(z, zlen, 1000, &out, &d) == -EFBIG);
	CHECK_STR(d.msg, "bpf_object: inflates past its declared bpf_object_size 1000");
	CHECK(out == NULL);
#ifndef __SANITIZE_ADDRESS__
	CHECK(bomb_in_small_address_space(z, zlen) == 0);
#endif
	free(z);
}

TEST(inflate_bomb_with_true_size_still_inflates)
{
	size_t zlen = 0, i, nonzero = 0;
	uint8_t *z = zero_bomb(1u << 20, &zlen), *out = NULL;
	struct diag d = {""};

	CHECK(z != NULL);
	CHECK(inflate_exact(z, zlen, 1u << 20, (void **)&out, &d) == 0);
	for (i = 0; out && i < (1u << 20); i++)
		nonzero += out[i] != 0;
	CHECK(out && nonzero == 0);
	free(out);
	free(z);
}
