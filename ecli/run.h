/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* ecli run [OPTIONS] PACKAGE [TOOL ARGS...]: argv[0] is "run". Returns the exit status. */
#ifndef ECLI_RUN_H
#define ECLI_RUN_H

int cmd_run(int argc, char **argv);

#endif
