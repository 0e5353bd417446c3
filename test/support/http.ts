// Small helpers for tests that talk to servers they started themselves
// (other processes, or apps with their own replicas): a GraphQL POST with its
// status, and waiting for a condition that becomes true in the background.

export interface Answer {
  status: number;
  body: { data?: any; errors?: any[] };
}

export async function postGraphQL(url: string, query: string, authorization?: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** Polls every 100 ms until the condition holds; fails naming what it waited for. */
export async function eventually(condition: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
