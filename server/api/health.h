/*
 * health.h — GET /healthz: is the server up and can its database take
 * writes. It answers from what the store's threads last saw (the writer's
 * last commit or idle probe, the readers' state), never by touching the
 * database from the loop: a locked database makes /healthz say so within
 * a few seconds, and never stalls it.
 */
#ifndef MOCKINT_HEALTH_H
#define MOCKINT_HEALTH_H

/* Register the /healthz route. */
void health_init(void);

#endif
