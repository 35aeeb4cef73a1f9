/* ecli's version: the Makefile passes -DECLI_VERSION; builds outside it get the default. */
#ifndef VERSION_H
#define VERSION_H

#ifndef ECLI_VERSION
#define ECLI_VERSION "0.8.0"
#endif

#endif
