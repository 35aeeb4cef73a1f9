# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The robustness table of docs/robustness.md against what the live tests saw.

Each row of the table names a case, ecli's exit status, its one message line (numbers written
as N; a message ending in "..." is how the line starts) and the test that runs it. The tests record what they saw (harness.record_case) in
build/tests/robustness-cases.jsonl; every row must have been seen, with that status and that
message, by a test that exists, and every recorded case must have a row. Run after the live
suites (tests/run_tests.sh does)."""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE_PAGE = os.path.join(ROOT, "docs", "robustness.md")
LOG = os.environ.get("ECLI_CASES_LOG", os.path.join(ROOT, "build", "tests",
                                                    "robustness-cases.jsonl"))
HEADER = "| case | exit | message | test |"


def normalized(message):
    return re.sub(r"\d+", "N", message)


def table_rows():
    with open(TABLE_PAGE) as f:
        lines = f.read().splitlines()
    start = lines.index(HEADER) + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        if len(cells) != 4:
            raise SystemExit("docs/robustness.md table: not 4 cells: %r" % line)
        case, status, message, test = cells
        message = "" if message == "(none)" else message.strip("`")
        rows.append((case, int(status), message, test.strip("`")))
    return rows


def test_exists(ref):
    path, _, name = ref.partition("::")
    try:
        with open(os.path.join(ROOT, path)) as f:
            text = f.read()
    except OSError:
        return False
    return re.search(r"^def %s\(|^TEST\(%s\)" % (name, name), text, re.M) is not None


def main():
    passed = failed = 0
    seen = {}
    with open(LOG) as f:
        for line in f:
            rec = json.loads(line)
            seen.setdefault(rec["case"], []).append((rec["status"], normalized(rec["message"])))
    rows = table_rows()
    for case, status, message, test in rows:
        problems = []
        if not test_exists(test):
            problems.append("no test %s" % test)
        got = seen.pop(case, [])
        if not got:
            problems.append("no test recorded it")
        want = normalized(message)
        for got_status, got_message in got:
            if want.endswith("..."):  # the table shows how the line starts
                got_message = got_message[:len(want) - 3] + "..."
            if (got_status, got_message) != (status, want):
                problems.append("seen: exit %d, %r" % (got_status, got_message))
        if problems:
            failed += 1
            print("FAIL %s: %s" % (case, "; ".join(sorted(set(problems)))))
        else:
            passed += 1
            print("ok   %s" % case)
    for case in sorted(seen):
        failed += 1
        print("FAIL %s: recorded by a test but not in docs/robustness.md's table" % case)
    print("live-robustness-table: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
