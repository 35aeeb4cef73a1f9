# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Headless ecli: the systemd unit template deploy/ecli@.service and the Kubernetes DaemonSet
deploy/kubernetes/ecli-bindsnoop.yaml, checked as far as this machine can check them.

The unit: `systemd-analyze verify` finds nothing to say (its ExecStart pointed at this tree's
ecli, as /usr/bin/ecli may not be installed); its ExecStart, expanded as systemd expands it for
ecli@bindsnoop with /etc/ecli/bindsnoop.env's variables, runs without a terminal: JSON lines on
stdout, metrics on the address given, and SIGTERM (its KillSignal) ends it with nothing left
attached. The DaemonSet: what it gives ecli agrees with itself and with ecli (hostPID,
privileged, the host's cgroup mount named by --cgroup-root, the metrics port); the runtime image
running as it says is checked by ship-images (tests/ship/test_images.py)."""
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

from binder import Bind, BindChild, free_port
from harness import (ROOT, BpfWatch, check, check_equal, check_unloaded, json_lines, live_test,
                     run_all)

UNIT = os.path.join(ROOT, "deploy", "ecli@.service")
DAEMONSET = os.path.join(ROOT, "deploy", "kubernetes", "ecli-bindsnoop.yaml")
ECLI = os.path.join(ROOT, "build", "ecli")
PACKAGES = os.path.join(ROOT, "build", "packages")


def unit_entries():
    """{key: [values]} of the unit file's [Service] section."""
    entries, section = {}, None
    with open(UNIT) as f:
        for line in f:
            line = line.strip()
            if line.startswith("["):
                section = line
            elif line and not line.startswith("#") and section == "[Service]":
                key, _, value = line.partition("=")
                entries.setdefault(key, []).append(value)
    return entries


@live_test
def systemd_unit_verifies_clean():
    with tempfile.TemporaryDirectory() as tmp:
        with open(UNIT) as f:
            text = f.read()
        check("ExecStart=/usr/bin/ecli " in text, "the unit runs /usr/bin/ecli")
        unit = os.path.join(tmp, "ecli@.service")
        with open(unit, "w") as f:
            f.write(text.replace("ExecStart=/usr/bin/ecli ", "ExecStart=%s " % ECLI))
        p = subprocess.run(["systemd-analyze", "verify", os.path.join(tmp, "ecli@bindsnoop.service")],
                           capture_output=True, text=True, timeout=60)
    check_equal((p.returncode, p.stdout + p.stderr), (0, ""), "systemd-analyze verify")


def expand(command, env, instance):
    """ExecStart as systemd expands it: %i, ${VAR} as one word, $VAR split into words."""
    words = []
    for word in shlex.split(command.replace("%i", instance)):
        m = re.fullmatch(r"\$\{(\w+)\}", word)
        if m:
            words.append(env[m.group(1)])
            continue
        m = re.fullmatch(r"\$(\w+)", word)
        words += env[m.group(1)].split() if m else [word]
    return words


@live_test
def systemd_unit_command_runs_headless():
    """ecli@bindsnoop with ECLI_METRICS and ECLI_ARGS from its environment file: no terminal,
    JSON lines out, a bind counted in /metrics, SIGTERM leaves nothing attached."""
    entries = unit_entries()
    env = dict(kv.split("=", 1) for kv in " ".join(entries["Environment"]).split())
    port = free_port()
    env.update(ECLI_METRICS="127.0.0.1:%d" % port, ECLI_ARGS="-U")  # as an EnvironmentFile
    (command,) = entries["ExecStart"]
    argv = expand(command, env, "bindsnoop")
    check_equal(argv[:5], ["/usr/bin/ecli", "run", "-j", "--metrics", env["ECLI_METRICS"]],
                "the command")
    check_equal(entries.get("KillSignal"), ["SIGTERM"], "KillSignal")
    child = BindChild("dp-unit", [Bind(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", 0)])
    with tempfile.TemporaryDirectory() as installed:  # the instance is an installed tool's name
        shutil.copy(os.path.join(PACKAGES, "bindsnoop", "package.json"),
                    os.path.join(installed, "bindsnoop.json"))
        p = subprocess.Popen([ECLI] + argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=dict(os.environ, ECLI_PACKAGES=installed),
                             start_new_session=True)  # no controlling terminal
        watch = BpfWatch(p.pid)
        try:
            deadline = time.time() + 20
            while time.time() < deadline and not watch.links:
                time.sleep(0.05)
            expected = child.go()
            time.sleep(0.3)
            with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10) as r:
                metrics = r.read().decode()
            p.send_signal(signal.SIGTERM)
            out, err = p.communicate(timeout=15)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            watch.stop()
    check_equal(p.returncode, 0, "exit status after SIGTERM; stderr " + err.decode())
    events = [e for e in json_lines(out.decode()) if e["comm"] == "dp-unit"]
    check_equal([(e["port"], "uid" in e) for e in events], [(expected[0]["port"], True)],
                "the bind, as a JSON line")
    check('bindsnoop_binds_total{addr="127.0.0.1",port="%d",proto="TCP"} 1' % expected[0]["port"]
          in metrics, "the bind in /metrics:\n" + metrics)
    check_unloaded(watch, "after SIGTERM")


@live_test
def daemonset_gives_ecli_what_it_needs():
    with open(DAEMONSET) as f:
        ds = yaml.safe_load(f)
    check_equal((ds["apiVersion"], ds["kind"]), ("apps/v1", "DaemonSet"), "the kind")
    spec = ds["spec"]["template"]["spec"]
    check_equal(ds["spec"]["selector"]["matchLabels"],
                {k: v for k, v in ds["spec"]["template"]["metadata"]["labels"].items()
                 if k in ds["spec"]["selector"]["matchLabels"]}, "the selector matches the pods")
    check_equal(spec.get("hostPID"), True, "hostPID: the node's pids")
    (container,) = spec["containers"]
    check_equal(container["securityContext"].get("privileged"), True, "privileged")
    args = container["args"]
    check_equal(args[:2], ["run", "-j"], "ecli run -j")
    check(os.path.exists(os.path.join(PACKAGES, args[-1], "package.json")),
          "the tool %s is one ecli installs" % args[-1])
    metrics = args[args.index("--metrics") + 1]
    (port,) = container["ports"]
    check_equal(metrics, ":%d" % port["containerPort"], "--metrics listens on the pod's port")
    check_equal(ds["spec"]["template"]["metadata"]["annotations"]["prometheus.io/port"],
                str(port["containerPort"]), "the scrape annotation's port")
    root = args[args.index("--cgroup-root") + 1]
    (mount,) = [m for m in container["volumeMounts"] if m["mountPath"] == root]
    (volume,) = [v for v in spec["volumes"] if v["name"] == mount["name"]]
    check_equal(volume["hostPath"]["path"], "/sys/fs/cgroup",
                "--cgroup-root is the node's cgroup v2 mount")


if __name__ == "__main__":
    sys.exit(run_all("deploy"))
