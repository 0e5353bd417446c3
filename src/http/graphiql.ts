// GraphiQL, rendered from the project's own dependencies (no CDN), with a
// MailCamp notice as its default query.
import { createHash } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

export const DEFAULT_QUERY = `{
  organisation(slug: "mailcamp", locale: "nl") {
    name
    notice {
      resolvedLocale
      version
      title
      sections { anchor heading }
    }
  }
}`;
// The GraphiQL page is one document with its script inline (about 9 MB, from
// @graphql-yoga/render-graphiql). It is rendered once per set of options, and
// served with a Content-Security-Policy that allows that script by its hash,
// its editor workers from blob: URLs, and requests to this server only.
const renderedGraphiQL = new Map<string, { html: string; policy: string }>();

function graphiqlPage(options: GraphiQLOptions): { html: string; policy: string } {
  const key = JSON.stringify(options);
  let page = renderedGraphiQL.get(key);
  if (!page) {
    const html = renderGraphiQL(options);
    const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
      (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
    );
    const policy = [
      "default-src 'none'",
      `script-src ${hashes.join(' ')}`,
      'worker-src blob:',
      // The editor adds style elements and attributes as it goes.
      "style-src 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
    page = { html, policy };
    renderedGraphiQL.set(key, page);
  }
  return page;
}

export function localGraphiQL(): { render: (options: GraphiQLOptions) => string; plugin: Plugin } {
  let policy: string | undefined;
  return {
    render(options) {
      const page = graphiqlPage(options);
      policy = page.policy;
      return page.html;
    },
    plugin: {
      onResponse({ response }) {
        if (!policy || !response.headers.get('content-type')?.startsWith('text/html')) return;
        response.headers.set('content-security-policy', policy);
        response.headers.set('x-content-type-options', 'nosniff');
      },
    },
  };
}
