// The server's own metrics, on a registry of its own (several servers may share a test process).
import { SERVER_METRICS as M } from '@provider-health/schema';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class ServerMetrics {
  readonly registry = new Registry();
  readonly notifications = new Counter({
    name: M.notifications.name,
    help: 'Received alerts by audit mark.',
    labelNames: M.notifications.labels,
    registers: [this.registry],
  });
  readonly decisions = new Counter({
    name: M.decisions.name,
    help: 'Decision transitions.',
    labelNames: M.decisions.labels,
    registers: [this.registry],
  });
  readonly routerActions = new Counter({
    name: M.routerActions.name,
    help: 'Router action attempts by result.',
    labelNames: M.routerActions.labels,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: M.errors.name,
    help: 'Errors by kind (prometheus, alertmanager, reconcile, action, http).',
    labelNames: M.errors.labels,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: M.requestDuration.name,
    help: 'HTTP request latency.',
    labelNames: M.requestDuration.labels,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly lastReconcile = new Gauge({
    name: M.lastReconcile.name,
    help: 'Unix time of the last successful reconcile.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
