// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <zlib.h>
#include "format/inflate.h"

int inflate_exact(const void *in, size_t in_len, size_t expected, void **out, struct diag *d)
{
	return inflate_exact_as(in, in_len, expected, "bpf_object", "bpf_object_size", out, d);
}

int inflate_exact_as(const void *in, size_t in_len, size_t expected, const char *what,
		     const char *size_key, void **out, struct diag *d)
{
	unsigned char *buf = malloc(expected + 1); /* one spare byte detects overlong streams */
	z_stream zs = {0};
	int err = 0, zerr;

	if (!buf)
		return diag_set(d, -ENOMEM, "%s: cannot allocate %zu bytes", what, expected);
	if (inflateInit(&zs) != Z_OK) {
		err = diag_set(d, -ENOMEM, "%s: zlib init failed", what);
		goto out;
	}
	zs.next_in = (unsigned char *)in;
	zs.avail_in = in_len;
	zs.next_out = buf;
	zs.avail_out = expected + 1;
	zerr = inflate(&zs, Z_FINISH);
	if (zerr == Z_STREAM_END && zs.total_out == expected && zs.avail_in == 0)
		goto done;
	if (zs.total_out > expected)
		err = diag_set(d, -EFBIG, "%s: inflates past its declared %s %zu", what, size_key,
			       expected);
	else if (zerr == Z_STREAM_END && zs.total_out == expected)
		err = diag_set(d, -EINVAL, "%s: %u bytes follow the end of the zlib stream", what,
			       zs.avail_in);
	else if (zerr == Z_STREAM_END)
		err = diag_set(d, -EINVAL, "%s: inflates to %lu bytes but %s says %zu", what,
			       zs.total_out, size_key, expected);
	else if (zerr == Z_BUF_ERROR && zs.avail_in == 0)
		err = diag_set(d, -EINVAL, "%s: zlib stream is truncated", what);
	else
		err = diag_set(d, -EINVAL, "%s: corrupt zlib data (%s)", what,
			       zs.msg ? zs.msg : zError(zerr));
done:
	inflateEnd(&zs);
out:
	if (err)
		free(buf);
	else
		*out = buf;
	return err;
}
