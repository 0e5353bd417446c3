// Section anchors: stable, unique within a translation, GitHub-style, so a
// frontend can link to "#bewaartermijnen" and the link survives reloads.
import GithubSlugger from 'github-slugger';

export function sectionAnchors(sections: readonly { heading: string; anchor?: string | undefined }[]): string[] {
  const taken = new Set(sections.flatMap((s) => (s.anchor ? [s.anchor] : [])));
  const slugger = new GithubSlugger();
  return sections.map((s) => {
    if (s.anchor) return s.anchor;
    let anchor = slugger.slug(s.heading) || 'section';
    while (taken.has(anchor)) anchor = slugger.slug(s.heading || 'section');
    taken.add(anchor);
    return anchor;
  });
}
