/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ecli push PACKAGE REF and ecli pull REF [-o FILE]: argv[0] is the command's name. Each
 * returns the exit status.
 */
#ifndef ECLI_TRANSFER_H
#define ECLI_TRANSFER_H

int cmd_push(int argc, char **argv);
int cmd_pull(int argc, char **argv);

#endif
