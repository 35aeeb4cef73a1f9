// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ecli: runs a packaged BPF tool (run), and moves packages to and from OCI registries (push,
 * pull). This file is the command table; each command lives in its own file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "login.h"
#include "run.h"
#include "transfer.h"
#include "core/stop_signal.h"
#include "core/version.h"
#include "fetch/oci_manifest.h"

#define STR_(x)	       #x
#define STR(x)	       STR_(x)
#define REDIRECTS_TEXT STR(FETCH_MAX_REDIRECTS)
#define TIMEOUT_TEXT   STR(FETCH_DEFAULT_TIMEOUT_S) " s"
#define CONNECT_TEXT   STR(FETCH_CONNECT_TIMEOUT_S) " s"

const char cli_usage[] =
	"usage: ecli run [OPTIONS] PACKAGE [TOOL ARGS...]\n"
	"       ecli push [FETCH OPTIONS] [--sign KEY] PACKAGE REF\n"
	"       ecli pull [FETCH OPTIONS] REF [-o FILE]\n"
	"       ecli login [-u USER] [--password-stdin] HOST[:PORT]\n"
	"       ecli logout HOST[:PORT]\n"
	"       ecli --version\n"
	"       ecli help\n"
	"\n"
	"Runs a packaged BPF tool. Tool arguments come after PACKAGE; `ecli run PACKAGE -h` lists\n"
	"them. PACKAGE is, in this order:\n"
	"  -                         standard input\n"
	"  http://... or https://... a URL (redirects followed, up to " REDIRECTS_TEXT
	"); URL#sha256=HEX\n"
	"                            pins the package's digest\n"
	"  NAME                      an installed tool, when it is one word (no '/', not ending\n"
	"                            in .json; a file of that name here is not it: ./NAME is):\n"
	"                            NAME.json in $ECLI_PACKAGES (folders separated by ':') if\n"
	"                            set, else in <ecli dir>/../share/ecli/packages,\n"
	"                            /usr/share/ecli/packages, /usr/local/share/ecli/packages;\n"
	"                            as root, only one root alone can change\n"
	"  an existing file          a path\n"
	"  HOST[:PORT]/REPO[:TAG]    an OCI reference, when the part before the first '/' is\n"
	"  HOST[:PORT]/REPO@sha256:HEX  localhost, has a dot or has a port (and is no folder\n"
	"                            here); TAG defaults to latest\n"
	"A package from a URL or a registry is checked before anything is loaded, written or\n"
	"shown: at most 256 MiB, a complete body, for a registry the sha256 of the package\n"
	"layer and, with @sha256:, of the manifest; and it must be signed (cosign's format) by\n"
	"a key in /etc/ecli/keys.d/*.pub ($ECLI_KEYS names another folder; root's, writable by\n"
	"no one else) or given with --key: a registry's signature tag, a URL's URL.sig (cosign\n"
	"sign-blob), or a URL's #sha256= pin. A file is checked against FILE.sig when it has\n"
	"one; standard input never. Each run from a registry or URL prints the digest it runs.\n"
	"A package with objects for several architectures runs this machine's, and is refused\n"
	"without one.\n"
	"\n"
	"run options:\n"
	"  -j, --json            print events as JSON lines (same as the tool's -o json)\n"
	"  -v, --verbose         say of each hook variant whether it was loaded and attached\n"
	"                        (with program ids) or why not, and each HTTP request; twice\n"
	"                        for libbpf's debug messages\n"
	"  --ringbuf-size BYTES  ring buffer size: a power of two, at least the page size\n"
	"  --perfbuf             use the perf buffer even where the kernel has a ring buffer\n"
	"  --btf PATH            kernel BTF for CO-RE instead of /sys/kernel/btf/vmlinux\n"
	"  --variant NAME        try only this hook variant of the package (refused when\n"
	"                        the tool's options given need another)\n"
	"  --duration SECONDS    stop after this many seconds (default: at Ctrl-C)\n"
	"  --interval SECONDS    print histogram maps this often, as well as at exit\n"
	"                        (maps whose package gives no interval of its own)\n"
	"  --metrics HOST:PORT   serve Prometheus metrics at http://HOST:PORT/metrics while\n"
	"                        tracing: events read and lost, each program's runs and run\n"
	"                        time, and the package's counters ([IPV6]:PORT for IPv6)\n"
	"  --metrics-max-series N  keep at most N series of the package's counters (default\n"
	"                        10000; the rest counted in ecli_metrics_series_dropped_total)\n"
	"  --no-events           with --metrics: count events without printing them\n"
	"  --cgroup-root PATH    attach cgroup programs below this cgroup v2 folder instead\n"
	"                        of the root ecli sees (in a container with a cgroup\n"
	"                        namespace of its own: the host's, mounted in)\n"
	"  -h, --help            show this help\n"
	"fetch options (run, push, pull; login takes the first two):\n"
	"  --fetch-timeout SECONDS  limit for each HTTP request (default " TIMEOUT_TEXT
	"; connecting:\n"
	"                        at most " CONNECT_TEXT ")\n"
	"  --plain-http          speak plain http to the registry, and fetch http:// URLs of\n"
	"                        other machines; without it only localhost, 127.x and [::1]\n"
	"                        get http, registries elsewhere https, and an http:// URL\n"
	"                        elsewhere is refused (unless pinned with #sha256=)\n"
	"  --key FILE            a cosign public key (PEM) to accept signatures of, besides\n"
	"                        those in /etc/ecli/keys.d (up to 8 times)\n"
	"  --insecure-skip-verify  run or pull without checking signatures, said on each run\n"
	"\n"
	"push uploads PACKAGE (any form above) to an OCI registry as an artifact: a layer of\n"
	"media type " ECLI_PACKAGE_MEDIA_TYPE ", a config of\n" ECLI_CONFIG_MEDIA_TYPE
	", and prints the manifest's digest, so that\n"
	"`ecli run HOST/REPO@DIGEST` runs exactly those bytes. --sign KEY signs it as `cosign\n"
	"sign --key` does, KEY being a cosign private key file (its password from\n"
	"$COSIGN_PASSWORD, or asked on the terminal). pull fetches and verifies REF and writes\n"
	"the package to FILE (default: standard output), and the signature that verified it to\n"
	"FILE.sig. A registry that asks for a login gets the one in $REGISTRY_AUTH_FILE,\n"
	"$XDG_RUNTIME_DIR/containers/auth.json (/run/containers/UID/auth.json without it),\n"
	"~/.config/containers/auth.json or ~/.docker/config.json (Basic, or a token from its\n"
	"token service; anonymous tokens for public repositories); login checks one with the\n"
	"registry and saves it in the first of these, logout removes it.\n"
	"\n"
	"Events go to stdout; messages go to stderr. Exit status: 0 done, 1 failed to run or\n"
	"to write events, 2 bad package or arguments, or a package that could not be fetched\n"
	"or verified. SIGINT, SIGTERM and --duration end a run within a second whatever stdout\n"
	"does, with status 0 (also before tracing started); events a stalled stdout did not\n"
	"take are then counted on stderr. A reader that goes away (EPIPE) ends it quietly.\n";

static int print_version(int argc, char **argv)
{
	char curl[256];

	http_library_version(curl, sizeof(curl));
	printf("ecli %s\n", ECLI_VERSION);
	printf("libbpf %u.%u\n", libbpf_major_version(), libbpf_minor_version());
	printf("%s\n", curl);
	return 0;
}

static int print_help(int argc, char **argv)
{
	fputs(cli_usage, stdout);
	return 0;
}

/* bpftool's way: a command is a name and a function given the arguments from the name on. */
struct command {
	const char *name;
	int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
	{"run", cmd_run},
	{"push", cmd_push},
	{"pull", cmd_pull},
	{"login", cmd_login},
	{"logout", cmd_logout},
	{"version", print_version},
	{"--version", print_version},
	{"help", print_help},
	{"-h", print_help},
	{"--help", print_help},
	{NULL, NULL},
};

/*
 * A closed stdin, stdout or stderr gets /dev/null opened read-only in its place: the fds ecli
 * opens later must not become its output, and writing events then fails with EBADF as it would
 * on the closed fd.
 */
static void hold_closed_std_fds(void)
{
	int fd;

	for (fd = 0; fd <= STDERR_FILENO; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF)
			open("/dev/null", O_RDONLY);
}

int main(int argc, char **argv)
{
	const struct command *c;
	const char *cmd;

	diag_set_program("ecli");
	/* first: a Ctrl-C at any moment, even while the package is read, ends ecli cleanly */
	stop_signal_install();
	hold_closed_std_fds();
	cmd = argc >= 2 ? argv[1] : "";

	for (c = commands; c->name; c++)
		if (!strcmp(cmd, c->name))
			return c->run(argc - 1, argv + 1);
	fputs(cli_usage, stderr);
	return EXIT_BAD_INPUT;
}
