/*
 * server.c — the one server instance (see server.h). It lives in the core
 * library rather than main.c so that unit tests and fuzzers link it too.
 */
#include "server.h"

struct server srv;
