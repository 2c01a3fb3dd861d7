import { describe, expect, it } from 'vitest';
import { noticeText } from '../../../src/forwarding/channels/notice-text.ts';
import { languages } from '../../../src/http/i18n.ts';

const forward = {
  forwardId: 9,
  url: 'https://site.example.test/page',
  media: [
    { url: 'https://cdn.example.test/a.jpg', sha256: 'a'.repeat(64), sha1: 'b'.repeat(40), md5: 'c'.repeat(32) },
    { url: 'https://cdn.example.test/b.jpg', sha256: null, sha1: null, md5: 'd'.repeat(32) },
  ],
} as Parameters<typeof noticeText>[0]['forward'];

describe('the notice to a hosting provider', () => {
  it.each([
    ['en', 'Child sexual abuse material hosted on your network [F-9]', 'Hello,'],
    ['fr', 'Matériel d’abus sexuel d’enfants hébergé sur votre réseau [F-9]', 'Bonjour,'],
    ['nl', 'Materiaal van seksueel kindermisbruik gehost op uw netwerk [F-9]', 'Goeddag,'],
    ['de', 'Darstellungen sexuellen Kindesmissbrauchs in Ihrem Netz [F-9]', 'Guten Tag,'],
  ] as const)('in %s lists every address and exact hash', (language, subject, greeting) => {
    const notice = noticeText({ forward, language, reminder: 0, firstSentAt: null });
    expect(notice.subject).toBe(subject);
    expect(notice.text.startsWith(`${greeting}\n`)).toBe(true);
    for (const text of [forward.url, 'https://cdn.example.test/a.jpg', 'https://cdn.example.test/b.jpg']) {
      expect(notice.text).toContain(text);
    }
    expect(notice.text).toContain(`SHA-256 ${'a'.repeat(64)}`);
    expect(notice.text).toContain(`SHA-1   ${'b'.repeat(40)}`);
    expect(notice.text).toContain(`MD5     ${'c'.repeat(32)}`);
    expect(notice.text).toContain(`MD5     ${'d'.repeat(32)}`);
    expect(notice.text).toContain('F-9');
  });

  it('says a reminder is one, with its number and when the notice first went out', () => {
    const sent = Date.UTC(2026, 11, 4, 15, 0);
    for (const language of languages) {
      const first = noticeText({ forward, language, reminder: 0, firstSentAt: null });
      const reminder = noticeText({ forward, language, reminder: 2, firstSentAt: sent });
      expect(reminder.subject).not.toBe(first.subject);
      expect(reminder.subject).toContain('2');
      expect(reminder.text).toContain('2026-12-04 15:00 UTC');
      expect(first.text).not.toContain('2026-12-04');
    }
  });

  it('says so when no hash was recorded, rather than an empty list', () => {
    const bare = { ...forward, media: [] };
    expect(noticeText({ forward: bare, language: 'en', reminder: 0, firstSentAt: null }).text).toContain(
      'No hashes were recorded',
    );
  });
});
