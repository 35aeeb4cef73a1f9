// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Prometheus's text format as lib/output/metrics.c writes it: series counted by their labels
 * across table growth, the cap on series, label values escaped and made UTF-8.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output/metrics.h"
#include "unit.h"

/* What out holds, NUL-terminated and handed over (free it); out is left empty. */
static char *take_text(struct out_buf *out)
{
	char *text;

	out_putc(out, '\0');
	text = out->data;
	out->data = NULL;
	out_buf_free(out);
	return text;
}

/* The page metrics_write makes (free it). */
static char *page(const struct metrics *m)
{
	struct out_buf out;

	if (out_buf_init(&out, -1, 64))
		return NULL;
	metrics_write(m, &out);
	return take_text(&out);
}

/* One label as metrics_label writes it, in a buffer the next call reuses. */
static const char *label(const char *value, size_t len)
{
	static char buf[256];
	struct out_buf out;
	char *text;

	if (out_buf_init(&out, -1, 16))
		return NULL;
	metrics_label(&out, true, "v", value, len);
	text = take_text(&out);
	snprintf(buf, sizeof(buf), "%s", text ? text : "");
	free(text);
	return buf;
}

TEST(series_are_counted_by_their_labels)
{
	struct metrics m;
	struct diag d;
	char *text;
	int f;

	metrics_init(&m, 100);
	f = metrics_add_family(&m, "binds_total", "Binds\\n seen\nhere", false, &d);
	CHECK(f == 0);
	CHECK(!metrics_count(&m, f, "{port=\"1\"}", 10, 1));
	CHECK(!metrics_count(&m, f, "{port=\"2\"}", 10, 1));
	CHECK(!metrics_count(&m, f, "{port=\"1\"}", 10, 2));
	text = page(&m);
	CHECK_STR(text,
		  "# HELP binds_total Binds\\\\n seen\\nhere\n"
		  "# TYPE binds_total counter\n"
		  "binds_total{port=\"1\"} 3\n"
		  "binds_total{port=\"2\"} 1\n"
		  "# HELP ecli_metrics_series_dropped_total Series not kept: the cap on series "
		  "(--metrics-max-series) was reached\n"
		  "# TYPE ecli_metrics_series_dropped_total counter\n"
		  "ecli_metrics_series_dropped_total 0\n");
	free(text);
	metrics_free(&m);
}

TEST(gauges_hold_the_last_value_set_signed)
{
	struct metrics m;
	struct diag d;
	char *text;
	int f;

	metrics_init(&m, 100);
	f = metrics_add_family(&m, "queue_depth", "Depth", true, &d);
	CHECK(f == 0);
	CHECK(!metrics_set(&m, f, "{q=\"a\"}", 7, 5));
	CHECK(!metrics_set(&m, f, "{q=\"b\"}", 7, 9));
	CHECK(!metrics_set(&m, f, "{q=\"a\"}", 7, -3));
	text = page(&m);
	CHECK(text && !strncmp(text,
			       "# HELP queue_depth Depth\n"
			       "# TYPE queue_depth gauge\n",
			       strlen("# HELP queue_depth Depth\n# TYPE queue_depth gauge\n")));
	CHECK(text && strstr(text, "queue_depth{q=\"a\"} -3\n") &&
	      strstr(text, "queue_depth{q=\"b\"} 9\n"));
	free(text);
	metrics_free(&m);
}

TEST(series_survive_the_table_growing)
{
	struct metrics m;
	struct diag d;
	char labels[32];
	int f, i, len, ok = 0;

	metrics_init(&m, 100000);
	f = metrics_add_family(&m, "x_total", NULL, false, &d);
	for (i = 0; i < 3000; i++) {
		len = snprintf(labels, sizeof(labels), "{n=\"%d\"}", i % 1000);
		ok += !metrics_count(&m, f, labels, len, 1);
	}
	CHECK(ok == 3000);
	CHECK(m.nr_series == 1000 && m.families[0].nr_series == 1000);
	CHECK(m.families[0].nr_slots >= 2000);
	for (i = 0, ok = 0; i < (int)m.families[0].nr_slots; i++)
		ok += m.families[0].slots[i].labels && m.families[0].slots[i].value == 3;
	CHECK(ok == 1000);
	metrics_free(&m);
}

TEST(series_past_the_cap_are_dropped_and_counted)
{
	struct metrics m;
	struct diag d;
	char *text;
	int f;

	metrics_init(&m, 2);
	f = metrics_add_family(&m, "x_total", "", false, &d);
	CHECK(!metrics_count(&m, f, "{a=\"1\"}", 7, 1));
	CHECK(!metrics_count(&m, f, "", 0, 1));
	CHECK(metrics_count(&m, f, "{a=\"2\"}", 7, 1) == -ENOSPC);
	CHECK(metrics_count(&m, f, "{a=\"3\"}", 7, 1) == -ENOSPC);
	CHECK(!metrics_count(&m, f, "{a=\"1\"}", 7, 1)); /* a kept series still counts */
	text = page(&m);
	CHECK(text && strstr(text, "x_total{a=\"1\"} 2\n") && strstr(text, "\nx_total 1\n") &&
	      strstr(text, "\necli_metrics_series_dropped_total 2\n") && !strstr(text, "a=\"2\""));
	free(text);
	metrics_free(&m);
}

TEST(label_values_are_escaped_and_utf8)
{
	CHECK_STR(label("a\"b\\c\nd", 7), "v=\"a\\\"b\\\\c\\nd\"");
	CHECK_STR(label("caf\xc3\xa9", 5), "v=\"caf\xc3\xa9\"");
	/* a lone continuation byte, a cut sequence, an overlong '/', a surrogate */
	CHECK_STR(label("\x80x", 2), "v=\"\xef\xbf\xbdx\"");
	CHECK_STR(label("x\xc3", 2), "v=\"x\xef\xbf\xbd\"");
	CHECK_STR(label("\xc0\xaf", 2), "v=\"\xef\xbf\xbd\xef\xbf\xbd\"");
	CHECK_STR(label("\xed\xa0\x80", 3), "v=\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	CHECK_STR(label("", 0), "v=\"\"");
}
