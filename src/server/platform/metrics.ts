import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { Database, PoolWaits } from '../db/client.js';

/**
 * Prometheus metrics: request counts and latencies by route, plus the process defaults.
 * Each app instance has its own registry so that tests can build many apps in one process.
 */
export function installMetrics(app: FastifyInstance, database?: Pick<Database, 'takePoolWaits'>): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const takePoolWaits = database?.takePoolWaits;
  if (takePoolWaits) {
    // Since the previous scrape, like the event-loop figures: read together, then reset.
    let last: PoolWaits = { acquisitions: 0, over10Ms: 0, maxMs: 0 };
    const figure = (name: string, help: string, value: (waits: PoolWaits) => number, fresh = false) =>
      new client.Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          if (fresh) last = takePoolWaits();
          this.set(value(last));
        },
      });
    figure('db_pool_acquisitions', 'Pooled connections checked out since the last scrape', (w) => w.acquisitions, true);
    figure('db_pool_waits_over_10ms', 'Checkouts that waited 10 ms or more since the last scrape', (w) => w.over10Ms);
    figure(
      'db_pool_wait_max_seconds',
      'The longest wait for a pooled connection since the last scrape',
      (w) => w.maxMs / 1000,
    );
  }
  const requests = new client.Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: ids in paths would explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({
      method: request.method,
      route,
      status: String(reply.statusCode),
    });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  return registry;
}
