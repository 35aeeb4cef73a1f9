/*
 * Checks a package's meta against its object before the package is written: every variable,
 * map, program, struct, member and condition the tool schema names must exist, and display
 * hints and columns must be ones the loader can render. A typo fails the build, not a user.
 */
#ifndef SCHEMA_CHECK_H
#define SCHEMA_CHECK_H

#include <bpf/libbpf.h>
#include <cjson/cJSON.h>
#include "diag.h"

int schema_check(const cJSON *meta, struct bpf_object *obj, struct diag *d);

#endif
