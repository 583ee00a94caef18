/*
 * probe.c — one #include, of the header PROBE_HEADER names, compiled
 * against one layer's library only (tests/layers/CMakeLists.txt): it must
 * fail when the header belongs to a layer above, and compile when it
 * belongs to one below.
 */
#include PROBE_HEADER

int layer_probe;
