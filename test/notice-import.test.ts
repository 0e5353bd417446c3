// Importing documents as written: heading levels kept, tables of contents
// left out, the title and the date taken from the document, and warnings
// that are right. The fixtures under test/fixtures/import/ are the project's
// own short texts, in the shapes real notices have.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dateLine } from '../src/notice/dates.js';
import { documentHtml, documentMarkdown } from '../src/notice/document.js';
import { importDocument } from '../src/notice/import.js';
import { detectLanguage, otherLanguagePassage } from '../src/notice/language.js';
import { markdownToHtml, markdownToText } from '../src/notice/render.js';

const fixture = (name: string) => readFile(new URL(`./fixtures/import/${name}`, import.meta.url), 'utf8');
const outline = (r: ReturnType<typeof importDocument>) => r.sections.map((s) => [s.level, s.heading]);
const warnings = (r: ReturnType<typeof importDocument>) => r.warnings.map((w) => [w.code, w.anchor]);

describe('a German plain-text notice with numbered headings', async () => {
  const source = await fixture('wegweiser-de.txt');
  const report = importDocument({ content: source, locale: 'de', filename: 'wegweiser-de.txt' });

  it('keeps the levels as numbered, leaves out the table of contents and takes the title', () => {
    expect(report.format).toBe('TEXT');
    expect(report.title).toBe('Datenschutzerklärung für die App Wegweiser');
    expect(outline(report)).toEqual([
      [2, '1. Verantwortlicher'],
      [2, '2. Welche Daten wir verarbeiten'],
      [3, '2.1 Daten auf Ihrem Gerät'],
      [3, '2.2 Daten auf unseren Servern'],
      [4, '2.2.1 Benachrichtigungen'],
      [4, '2.2.2 Absturzberichte'],
      [2, '3. Speicherdauer'],
      [2, '4. Ihre Rechte'],
    ]);
  });

  it('reads "Stand: November 2025" as the date, to the month, and takes it out of the last section', () => {
    expect(report.date).toEqual({ date: '2025-11-01', precision: 'MONTH', text: 'Stand: November 2025' });
    expect(report.sections.at(-1)!.body).not.toContain('Stand');
  });

  it('keeps labels ending in a colon and the list a sentence announces in their sections', () => {
    const push = report.sections.find((s) => s.heading === '2.2.1 Benachrichtigungen')!;
    expect(push.body).toContain('Hinweis für Android-Geräte:');
    expect(push.body).toContain('Hinweis für iOS-Geräte:');
    const crashes = report.sections.find((s) => s.heading === '2.2.2 Absturzberichte')!;
    expect(crashes.body).toMatch(/folgenden Angaben:\n\n- Gerätemodell/);
  });

  it('warns only of the English paragraph, not of the English service names', () => {
    expect(warnings(report)).toEqual([['OTHER_LANGUAGE', '222-absturzberichte']]);
    expect(report.warnings[0]!.message).toContain('has a passage in English');
  });

  it('loses no line of the text', () => {
    const all = report.sections.map((s) => `${s.heading}\n${markdownToText(s.body)}`).join('\n');
    const body = source.split('\n\n').slice(3).join('\n'); // after the title and the table of contents
    for (const line of body.split('\n').map((l) => l.replace(/^- /, '').trim())) {
      if (line && line !== 'Stand: November 2025') expect(all).toContain(line);
    }
  });
});

describe('a Dutch plain-text notice without numbers', async () => {
  const report = importDocument({ content: await fixture('fietsdeel-nl.txt'), locale: 'nl' });

  it('takes the top level from the table of contents; the headings it does not list are sub-sections', () => {
    expect(report.title).toBe('Privacyverklaring Fietsdeel');
    expect(outline(report)).toEqual([
      [2, 'Wie wij zijn'],
      [2, 'Welke gegevens wij verwerken'],
      [3, 'Accountgegevens'],
      [3, 'Ritgegevens'],
      [2, 'Hoe lang wij gegevens bewaren'],
      [2, 'Jouw rechten'],
      [3, 'Recht op inzage'],
      [3, 'Recht op verwijdering'],
      [2, 'Contact'],
    ]);
  });

  it('reads "Laatst gewijzigd" as the date and gives no warning', () => {
    expect(report.date).toMatchObject({ date: '2026-01-12', precision: 'DAY' });
    expect(report.sections.at(-1)!.body).not.toContain('Laatst gewijzigd');
    // A parent followed by its sub-sections is not empty; "…het volgende:" is answered by them;
    // "Let op bij ritten in het buitenland:" is a label over its paragraph.
    expect(report.warnings).toEqual([]);
  });
});

describe('the same structure without a table of contents', () => {
  it('nests announced sub-sections under their parent and ends the group where the headings change', () => {
    const text = [
      'Privacyverklaring Voorbeeld',
      'Wie wij zijn',
      'Voorbeeld B.V. maakt rekensoftware voor scholen in Groningen.',
      'Jouw rechten',
      'Je kunt ons vragen om het volgende:',
      'Recht op inzage',
      'Je mag zien welke gegevens wij van je hebben.',
      'Recht op correctie',
      'Je mag ons vragen om onjuiste gegevens aan te passen.',
      'Beveiliging',
      'Wij nemen de volgende maatregelen:',
      'Contact',
      'Mail ons via privacy@voorbeeld.example.',
    ].join('\n\n');
    const report = importDocument({ content: text, locale: 'nl', format: 'TEXT' });
    expect(outline(report)).toEqual([
      [2, 'Wie wij zijn'],
      [2, 'Jouw rechten'],
      [3, 'Recht op inzage'],
      [3, 'Recht op correctie'],
      [2, 'Beveiliging'],
      [2, 'Contact'],
    ]);
    // The measures are announced and not given: that warning is right.
    expect(warnings(report)).toEqual([['LIST_NOT_GIVEN', 'beveiliging']]);
  });

  it('does not take a sentence ending in a colon for a heading, nor a list numbered "1." each time', () => {
    const text = [
      'Datenschutz',
      'Zahlungen',
      'Für die Zahlung geben wir diese Angaben weiter:',
      '1. Name und Anschrift',
      '1. Betrag der Rechnung',
      'Kontakt',
      'Schreiben Sie uns an kontakt@beispiel.example.',
    ].join('\n\n');
    const report = importDocument({ content: text, locale: 'de', format: 'TEXT' });
    expect(outline(report)).toEqual([
      [2, 'Zahlungen'],
      [2, 'Kontakt'],
    ]);
    expect(report.sections[0]!.body).toMatch(/weiter:\n\n1\. Name und Anschrift/);
    expect(report.warnings).toEqual([]);
  });
});

describe('HTML pages', async () => {
  const german = importDocument({ content: await fixture('wegweiser-de.html'), locale: 'de', filename: 'x.html' });
  const english = importDocument({ content: await fixture('trailpost-en.html'), locale: 'en', filename: 'x.html' });

  it('keep h2, h3 and h4 as levels 2, 3 and 4, without the navigation’s table of contents', () => {
    expect(german.title).toBe('Datenschutzerklärung für die App Wegweiser');
    expect(outline(german)).toEqual([
      [2, 'Einleitung'],
      [2, 'Verantwortlicher'],
      [2, 'Welche Daten wir verarbeiten'],
      [3, 'Daten auf Ihrem Gerät'],
      [3, 'Daten auf unseren Servern'],
      [4, 'Benachrichtigungen'],
      [4, 'Absturzberichte'],
      [2, 'Speicherdauer'],
    ]);
    // The text before the first heading is an introduction named in German, not in English.
    expect(german.sections[0]!.body).toContain('Diese Erklärung beschreibt');
    expect(JSON.stringify(german.sections)).not.toMatch(/Inhalt|Wegweiser GmbH<\/|©/);
    expect(german.date).toMatchObject({ date: '2025-11-01', precision: 'MONTH' });
    expect(warnings(german)).toEqual([['OTHER_LANGUAGE', 'absturzberichte']]);
  });

  it('take the title from <title> when the page has no <h1>, and drop a "Contents" list of in-page links', () => {
    expect(english.title).toBe('Privacy notice – Trailpost');
    expect(outline(english)).toEqual([
      [2, 'Who we are'],
      [2, 'What we collect'],
      [3, 'Push messages'],
      [2, 'Your rights'],
      [3, 'Access'],
      [3, 'Erasure'],
    ]);
    expect(english.date).toEqual({ date: '2026-03-03', precision: 'DAY', text: 'Last updated: 3 March 2026' });
    expect(english.sections.at(-1)!.body).toBe('You may ask us to delete your data.');
    expect(english.warnings).toEqual([]);
  });

  it('render back as a whole document with the same heading levels', () => {
    const rendered = english.sections.map((s) => ({ ...s, html: markdownToHtml(s.body), text: '' }));
    const html = documentHtml(english.title!, rendered);
    expect(html).toMatch(/^<h1>Privacy notice – Trailpost<\/h1>/);
    expect(html).toContain('<h2 id="who-we-are">Who we are</h2>');
    expect(html).toContain('<h3 id="push-messages">Push messages</h3>');
    expect(documentMarkdown(english.title!, rendered)).toContain('\n## Your rights\n\n');
  });
});

describe('the title of a Markdown document', () => {
  it('is its only level-1 heading and is not repeated as a section', () => {
    const report = importDocument({
      content: '# Privacy Policy\n\n## Who we are\n\nWe make maps.\n\n## Contact\n\nWrite to us.\n',
      locale: 'en',
      format: 'MARKDOWN',
    });
    expect(report.title).toBe('Privacy Policy');
    expect(outline(report)).toEqual([
      [2, 'Who we are'],
      [2, 'Contact'],
    ]);
  });
});

describe('Markdown written through the API', () => {
  it('keeps its date line: that path gives its dates apart', () => {
    const content = '# Privacy\n\n## Contact\n\nWrite to us.\n\nLast updated: 3 March 2026\n';
    const written = importDocument({ content, locale: 'en', format: 'MARKDOWN', keepDateLine: true });
    expect(written.date).toBeNull();
    expect(written.sections.at(-1)!.body).toContain('Last updated: 3 March 2026');
    expect(importDocument({ content, locale: 'en', format: 'MARKDOWN' }).date).toMatchObject({ date: '2026-03-03' });
  });
});

describe('date lines', () => {
  it.each([
    ['Stand: November 2025', '2025-11-01', 'MONTH'],
    ['Stand: 01.11.2025', '2025-11-01', 'DAY'],
    ['Zuletzt aktualisiert am 3. März 2026', '2026-03-03', 'DAY'],
    ['Last updated: 3 March 2026', '2026-03-03', 'DAY'],
    ['Last updated on March 3, 2026.', '2026-03-03', 'DAY'],
    ['Laatst gewijzigd: 12 januari 2026', '2026-01-12', 'DAY'],
    ['Laatste aanpassing: 1 januari 2019', '2019-01-01', 'DAY'],
    ['Versie 2.0 – Datum: 1-3-2025', '2025-03-01', 'DAY'],
  ])('reads "%s"', (line, date, precision) => {
    expect(dateLine(line)).toEqual({ date, precision, text: line });
  });

  it.each(['Die Daten werden am 3. März 2026 gelöscht', 'Stand der Technik: 2025 wurde alles besser', 'Stand: bald'])(
    'does not read "%s"',
    (line) => {
      expect(dateLine(line)).toBeNull();
    },
  );
});

describe('language detection', () => {
  it('reads German sentences naming English services as German', () => {
    expect(
      detectLanguage(
        'Für Nachrichten nutzen wir Firebase Cloud Messaging und den Apple Push Notification Service, die beide von Anbietern in den USA betrieben werden.',
      ),
    ).toBe('de');
  });

  it('does not take a German section listing English service names for English', () => {
    const report = importDocument({
      content:
        '# Datenschutz\n\n## Dienste\n\nWir nutzen diese Dienste:\n\n- Firebase Cloud Messaging\n- Apple Push Notification Service\n- Amazon Simple Notification Service\n- Google Cloud Storage Nearline\n\n## Kontakt\n\nSchreiben Sie uns an kontakt@beispiel.example.\n',
      locale: 'de',
      format: 'MARKDOWN',
    });
    expect(report.warnings).toEqual([]);
  });

  it('finds a short English paragraph in a German section', () => {
    const found = otherLanguagePassage(
      [
        'Die App speichert Ihre Einstellungen nur auf dem Gerät und sendet sie nicht an uns.',
        'We only keep the settings you choose on your own device and never send them to us.',
      ],
      'de',
    );
    expect(found).toMatchObject({ language: 'en', whole: false });
  });
});
