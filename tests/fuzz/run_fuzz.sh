#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Runs each libFuzzer target for SECONDS (default 300) from the committed seed corpus, keeping
# what it finds under build/fuzz/. fuzz_object's seeds are the objects of the built packages,
# the test packages and the eunomia fixtures, written to build/fuzz/seed-object/ first. Prints
# one line per target with its executions, and "fuzz: N passed, M failed". A crash, leak, timeout or sanitizer report fails the target and
# leaves its input in build/fuzz/crash-<target>-*.
set -u
cd "$(dirname "$0")/../.."
seconds=${1:-300}
passed=0
failed=0
/usr/bin/python3 tests/fuzz/object_seeds.py build/fuzz/seed-object build/packages/*/package.json \
	build/test-packages/*/package.json tests/fixtures/eunomia/*.json >/dev/null || exit 1
for target in package object args render; do
	bin=build/fuzz/fuzz_$target
	work=build/fuzz/corpus-$target
	seeds=tests/fuzz/corpus/$target
	[[ $target == object ]] && seeds=build/fuzz/seed-object
	log=build/fuzz/fuzz_$target-${seconds}s.log # runs of other lengths keep their own logs
	mkdir -p "$work"
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="build/fuzz/crash-$target-" "$work" "$seeds" >"$log" 2>&1
	status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [[ $status -eq 0 && -n "$execs" ]]; then
		echo "ok   fuzz_$target: $execs executions in ${seconds}s, no crash"
		passed=$((passed + 1))
	else
		echo "FAIL fuzz_$target (exit status $status), log $log:"
		grep -E 'ERROR|SUMMARY|crash-' "$log" | head -5 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
