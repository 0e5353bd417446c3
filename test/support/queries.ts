// Queries built to test limits.

/** organisation → processors → edges → node → organisation → …: every hop a field and a scalar leaf
 * that fits the last hop, so that only the depth is wrong. */
export function deepQuery(levels: number): string {
  const hops = ['organisation', 'processors', 'edges', 'node'] as const;
  const leaf = { organisation: 'name', processors: 'totalCount', edges: 'cursor', node: 'name' };
  let open = '';
  let close = '';
  let last: (typeof hops)[number] = 'organisation';
  for (let level = 1; level < levels; level++) {
    last = hops[(level - 1) % hops.length]!;
    open += level === 1 ? `organisation(slug: "mailcamp") { ` : `${last} { `;
    close += ' }';
  }
  return `{ ${open}${leaf[last]}${close} }`;
}
