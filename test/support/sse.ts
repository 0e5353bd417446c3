// A GraphQL subscription over server-sent events, as a browser's client would
// open it: collects the `next` events and lets a test wait for the next one.
/** Opens an SSE subscription and collects its `next` events. */
export async function subscribeOverSse(url: string, query: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query }),
    signal: controller.signal,
  });
  if (!response.headers.get('content-type')?.includes('text/event-stream')) {
    throw new Error(`not an event stream: ${response.status} ${await response.text()}`);
  }
  const events: any[] = [];
  /** Each event's SSE id (its change cursor), or null. */
  const ids: (string | null)[] = [];
  const waiters: (() => void)[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const data = lines.find((l) => l.startsWith('data:'));
          const id = lines.find((l) => l.startsWith('id:'));
          if (lines.includes('event: next') && data) {
            ids.push(id ? id.slice(3).trim() : null);
            events.push(JSON.parse(data.slice(5)));
            waiters.splice(0).forEach((w) => w());
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    ids,
    next: (timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no event')), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
    close: () => controller.abort(),
  };
}
