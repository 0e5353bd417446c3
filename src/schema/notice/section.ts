import { builder } from '../builder.js';

export const NoticeSection = builder.prismaNode('NoticeSection', {
  id: { field: 'id' },
  description: 'A section of a translation, in reading order.',
  fields: (t) => ({
    anchor: t.exposeString('anchor', {
      description: 'Stable fragment identifier, unique within the translation.',
    }),
    heading: t.exposeString('heading'),
    level: t.exposeInt('level', { description: 'Heading level, 1–6.' }),
    position: t.exposeInt('position'),
    body: t.exposeString('body', { description: 'The section text, in Markdown (the same as `markdown`).' }),
    markdown: t.exposeString('body', { description: 'The section text, in Markdown.' }),
    html: t.exposeString('html', {
      description:
        'The section text as sanitised HTML: safe to insert into a page (no script, event handler or javascript: link).',
    }),
    text: t.exposeString('text', { description: 'The section text as plain text.' }),
    detectedLanguage: t.exposeString('detectedLanguage', {
      nullable: true,
      description: 'The language the text appears to be in; null when there is too little text to tell.',
    }),
  }),
});
