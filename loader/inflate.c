// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <zlib.h>
#include "inflate.h"

int inflate_exact(const void *in, size_t in_len, size_t expected, void **out, struct diag *d)
{
	unsigned char *buf = malloc(expected + 1); /* one spare byte detects overlong streams */
	z_stream zs = {0};
	int err = 0, zerr;

	if (!buf)
		return diag_set(d, -ENOMEM, "bpf_object: cannot allocate %zu bytes", expected);
	if (inflateInit(&zs) != Z_OK) {
		err = diag_set(d, -ENOMEM, "bpf_object: zlib init failed");
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
		err = diag_set(d, -EFBIG,
			       "bpf_object: inflates past its declared bpf_object_size %zu",
			       expected);
	else if (zerr == Z_STREAM_END && zs.total_out == expected)
		err = diag_set(d, -EINVAL, "bpf_object: %u bytes follow the end of the zlib stream",
			       zs.avail_in);
	else if (zerr == Z_STREAM_END)
		err = diag_set(d, -EINVAL,
			       "bpf_object: inflates to %lu bytes but bpf_object_size says %zu",
			       zs.total_out, expected);
	else if (zerr == Z_BUF_ERROR && zs.avail_in == 0)
		err = diag_set(d, -EINVAL, "bpf_object: zlib stream is truncated");
	else
		err = diag_set(d, -EINVAL, "bpf_object: corrupt zlib data (%s)",
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
