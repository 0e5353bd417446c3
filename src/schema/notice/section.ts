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
    body: t.exposeString('body', {
      description: 'The section text, in Markdown.',
    }),
  }),
});
