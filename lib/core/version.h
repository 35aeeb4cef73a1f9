/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* ecli's version: the Makefile passes -DECLI_VERSION; builds outside it get the default. */
#ifndef CORE_VERSION_H
#define CORE_VERSION_H

#ifndef ECLI_VERSION
#define ECLI_VERSION "0.8.0"
#endif

#endif
