// The benchmark's PostgreSQL cluster: the shared throwaway cluster, plus
// pg_stat_statements so statements can be counted per request.
import { startCluster as startThrowawayCluster } from '../scripts/pg-cluster.js';

export interface Cluster {
  /** The maintenance database's URL (user postgres, trust authentication). */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): void;
}

export async function startCluster(options: { cpus: string | null }): Promise<Cluster> {
  const cluster = await startThrowawayCluster({
    cpus: options.cpus,
    // fsync off: a throwaway cluster, and loading the synthetic data set should not dominate the run.
    settings: [
      '-c shared_preload_libraries=pg_stat_statements',
      '-c pg_stat_statements.track=top',
      '-c max_connections=200',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ],
  });
  return { adminUrl: cluster.url, urlFor: cluster.urlFor, stop: cluster.destroy };
}
