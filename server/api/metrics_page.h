/*
 * metrics_page.h — GET /metrics: every counter, histogram and registered
 * gauge (core/metrics.h) in the Prometheus text format. It sits above
 * every layer so that it may read them all, and no layer reads it.
 */
#ifndef MOCKINT_METRICS_PAGE_H
#define MOCKINT_METRICS_PAGE_H

#include <stddef.h>

/* Register the /metrics route and the gauges no layer owns (the bank). */
void metrics_page_init(void);
/* The whole page, malloc'd; *len its length. */
char *metrics_page_render(size_t *len);

#endif
