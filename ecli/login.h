/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ecli login HOST and ecli logout HOST: a registry's credentials, checked against the registry
 * and kept where podman keeps them (fetch/registry_auth.h). argv[0] is the command's name.
 */
#ifndef ECLI_LOGIN_H
#define ECLI_LOGIN_H

int cmd_login(int argc, char **argv);
int cmd_logout(int argc, char **argv);

#endif
