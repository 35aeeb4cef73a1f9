#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Runs every test suite and ends with one line: "N passed, M failed".
# Suites: layering (lib/ stages include only downward), unit (plain, then ASan+UBSan), package schema, broken inputs (ecc, ecli and the JSON
# Schema refuse the same mistakes; a refused package loads nothing), the BPF headers (each
# bpf/*.bpf.h compiles alone), ecc from source (tests/ecc), fetching packages (tests/fetch: URLs, an OCI registry, installed names; signatures and logins), a short
# run of each fuzzer (FUZZ_SMOKE_SECONDS, default 15), corrupt objects (tests/corrupt: 10,000
# mutated objects through ecli's path), make install and the .deb files, live (real packages in
# this kernel, as root), the runtime .deb in a clean Debian 12 root, the container images and the
# live suites in a VM on Debian 12's own kernel (as root). SKIP_LIVE=1 skips the live suites and
# says so; nothing is skipped silently. With an argument ("live", "unit", ...) only suites whose
# name contains it run.
set -u
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
only=${1:-}
total_pass=0
total_fail=0
failed_suites=()

# What the tests behind docs/robustness.md's table saw (tests/readme_cases.py)
export ECLI_CASES_LOG=$PWD/build/tests/robustness-cases.jsonl
mkdir -p build/tests
: >"$ECLI_CASES_LOG"

# Runs one suite command and adds up its closing "<name>: N passed, M failed" line.
suite() {
	local name=$1
	shift
	[[ -n "$only" && "$name" != *"$only"* ]] && return
	echo "=== $name"
	local log
	log=$(mktemp)
	"$@" 2>&1 | tee "$log"
	local status=${PIPESTATUS[0]}
	local summary
	summary=$(grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	rm -f "$log"
	if [[ -z "$summary" ]]; then
		echo "$name: no summary line (exit status $status): counted as 1 failure"
		total_fail=$((total_fail + 1))
		failed_suites+=("$name")
		return
	fi
	local p f
	p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$summary")
	f=$(sed -E 's/.*passed, ([0-9]+) failed/\1/' <<<"$summary")
	if [[ $status -ne 0 && $f -eq 0 ]]; then
		f=1 # a suite that exits non-zero has failed even if its count says otherwise
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	((f > 0)) && failed_suites+=("$name")
}

# the tree's layering: lib/ stages include only downward, ecli/ and ecc/ only lib/ and their own
suite layering $PY tests/layering/test_layering.py
suite unit build/tests/unit
suite unit-sanitizers build/tests/unit-san
suite schema $PY tests/schema/validate_packages.py schema/package.schema.json \
	build/packages/*/package.json build/test-packages/*/package.json tests/fixtures/eunomia/*.json
suite broken-inputs $PY tests/validate/run_broken.py
# the BPF headers tool authors include (bpf/*.bpf.h): each compiles alone, as ecc compiles
suite bpf-headers $PY tests/bpf_headers/test_headers_alone.py
# ecc from source; its live tests (root) skip themselves with SKIP_LIVE=1 and say so
suite ecc-source $PY tests/ecc/test_ecc_source.py
# packages from URLs, registries (a local HTTP server, Debian's docker-registry) and installed
# names; its live tests (root) skip themselves with SKIP_LIVE=1 and say so
suite fetch $PY tests/fetch/test_fetch.py
# signed packages (ecli against an independent implementation of cosign's format and cosign's
# own files) and registry logins (docker-registry with htpasswd and with token auth); the
# test helpers they rest on check themselves first
suite cosign-format $PY tests/fetch/cosign_format_selftest.py
suite registry-auth $PY tests/live/registry_auth_selftest.py
suite signatures $PY tests/fetch/test_signatures.py
suite fuzz-smoke tests/fuzz/run_fuzz.sh "${FUZZ_SMOKE_SECONDS:-15}"
# 10,000 mutated objects through ecli's path (check, open, package check; as root every 10th
# loaded), each in a child: no crash, no hang; the issue's BTF corruption through ecli run
suite corrupt-objects $PY tests/corrupt/test_corrupt_objects.py
# make install/uninstall and the .deb files' contents (no root needed)
suite ship-install $PY tests/ship/test_install.py

live_names=$(for t in tests/live/test_*.py; do basename "$t" .py | sed 's/^test_/live-/'; done)
if [[ -n "$only" ]] && ! grep -qF -- "$only" <<<"$live_names"; then
	: # no live suite selected: nothing to skip or to need root for
elif [[ "${SKIP_LIVE:-}" == 1 ]]; then
	echo "=== live suites SKIPPED because SKIP_LIVE=1"
elif [[ $(id -u) != 0 ]]; then
	echo "=== live suites need root (they load BPF programs); run as root or set SKIP_LIVE=1"
	total_fail=$((total_fail + 1))
	failed_suites+=("live (not root)")
else
	for t in tests/live/test_*.py; do
		name=live-$(basename "$t" .py | sed 's/^test_//')
		suite "$name" $PY "$t"
	done
	# the suites of the tools with hook variants again, each variant that runs on any kernel
	# forced (the default run keeps one for some commands only: bindsnoop's cgroup variant
	# serves no -E); fexit and kprobe are forced by make vmtest, on kernels that have them
	for v in cgroup tracepoint syscall; do
		for t in bindsnoop bindsnoop_flags tcpaccept; do
			$PY -c 'import json, sys; sys.exit(sys.argv[2] not in [v["name"] for v in
				json.load(open(sys.argv[1]))["meta"]["hook_variants"]])' \
				"build/packages/${t%_flags}/package.json" "$v" || continue
			suite "live-$t-$v" env ECLI_VARIANT=$v $PY "tests/live/test_$t.py"
		done
	done
	# docs/robustness.md's table needs every suite that records a case to have run
	if [[ -z "$only" ]]; then
		suite live-robustness-table $PY tests/readme_cases.py
	fi
fi

# Suites that need root and load programs, outside tests/live: the runtime .deb in a clean
# Debian 12 root (debootstrap, cached), the container images (podman, cached). Gated like the
# live suites.
root_suite() {
	local name=$1
	[[ -n "$only" && "$name" != *"$only"* ]] && return
	if [[ "${SKIP_LIVE:-}" == 1 ]]; then
		echo "=== $name SKIPPED because SKIP_LIVE=1"
	elif [[ $(id -u) != 0 ]]; then
		echo "=== $name needs root; run as root or set SKIP_LIVE=1"
		total_fail=$((total_fail + 1))
		failed_suites+=("$name (not root)")
	else
		suite "$@"
	fi
}
root_suite ship-chroot $PY tests/ship/test_chroot.py
root_suite ship-images $PY tests/ship/test_images.py
# the live suites again in a VM on Debian 12's own kernel, each hook variant forced in turn, on
# x86_64 and on arm64
root_suite vmtest $PY tests/vm/run_vm.py
root_suite vmtest-aarch64 $PY tests/vm/run_vm.py --arch aarch64

echo
((${#failed_suites[@]})) && echo "failed suites: ${failed_suites[*]}"
echo "$total_pass passed, $total_fail failed"
[[ $total_fail -eq 0 ]]
