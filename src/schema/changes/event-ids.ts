// Resumable event streams. Each event a change subscription sends carries its
// change-log cursor, in the result's `extensions.cursor` and, over SSE, as the
// event's `id:` line, so a client that reconnects sends it back as
// `Last-Event-ID` (EventSource does so by itself) and the subscription
// resumes after it from the log (src/schema/changes/subscriptions.ts).
// Yoga's own SSE writer does the rest (pings, completion); this adds the ids.
import { getSSEProcessor, isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';

const CURSOR = /^[A-Za-z0-9_-]{1,40}$/;

/** An SSE block with the `id:` line of the cursor its result carries, if any. */
function withId(block: string): string {
  if (!block.startsWith('event: next\n')) return block;
  const data = block
    .slice('event: next\n'.length)
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice('data: '.length))
    .join('\n');
  if (!data.includes('"cursor"')) return block;
  try {
    const cursor = (JSON.parse(data) as { extensions?: { cursor?: unknown } }).extensions?.cursor;
    return typeof cursor === 'string' && CURSOR.test(cursor) ? `id: ${cursor}\n${block}` : block;
  } catch {
    return block;
  }
}

export function changeCursorPlugin(): Plugin<Context> {
  const sse = getSSEProcessor();
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ args }) {
          const ctx = args.contextValue as Context;
          return {
            onNext({ result, setResult }) {
              const cursor = ctx.changeCursor;
              if (!cursor) return;
              ctx.changeCursor = undefined;
              setResult({ ...result, extensions: { ...result.extensions, cursor } });
            },
          };
        },
      };
    },
    onResultProcess({ request, result, setResultProcessor }) {
      if (!isAsyncIterable(result) || !request.headers.get('accept')?.includes('text/event-stream')) return;
      setResultProcessor(async (input, fetchAPI, mediaType) => {
        const response = await sse(input, fetchAPI, mediaType);
        if (!response.body) return response;
        const decoder = new fetchAPI.TextDecoder();
        const encoder = new fetchAPI.TextEncoder();
        let buffer = '';
        const ids = new fetchAPI.TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            buffer += decoder.decode(chunk, { stream: true });
            for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
              controller.enqueue(encoder.encode(withId(buffer.slice(0, end + 2))));
              buffer = buffer.slice(end + 2);
            }
          },
          flush(controller) {
            if (buffer) controller.enqueue(encoder.encode(buffer));
          },
        });
        return new fetchAPI.Response(response.body.pipeThrough(ids), {
          status: response.status,
          headers: response.headers,
        });
      }, 'text/event-stream');
    },
  };
}
