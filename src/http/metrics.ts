// Prometheus metrics (METRICS=true, served at /metrics). Every label has a
// bounded set of values: the route (a pattern, never the URL), the method, the
// status class and the GraphQL operation type — never a query string or an
// operation name a client chooses.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  request(route: string, method: string, status: number, seconds: number): void;
  operation(type: string, outcome: 'ok' | 'error', seconds: number): void;
  cache(result: 'hit' | 'revalidated' | 'miss' | 'bypass'): void;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'OPTIONS']);
const OPERATION_TYPES = new Set(['query', 'mutation', 'subscription']);

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route, method and status class',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const operations = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operations executed, by type and outcome',
    labelNames: ['type', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const cache = new Counter({
    name: 'answer_cache_total',
    help: 'GraphQL answers by what the answer cache did',
    labelNames: ['result'],
    registers: [registry],
  });
  return {
    registry,
    request: (route, method, status, seconds) =>
      requests.observe(
        { route, method: METHODS.has(method) ? method : 'other', status: `${Math.floor(status / 100)}xx` },
        seconds,
      ),
    operation: (type, outcome, seconds) =>
      operations.observe({ type: OPERATION_TYPES.has(type) ? type : 'unknown', outcome }, seconds),
    cache: (result) => cache.inc({ result }),
  };
}
