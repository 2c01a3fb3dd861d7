import { Parser } from 'htmlparser2';
import { describe, expect, it, vi } from 'vitest';
import { extractPageMedia, maxHtmlBytes, parseSrcset } from '../../src/triage/page-media.ts';

const page = 'https://gallery.example/albums/one/index.html';

/** The addresses alone, for the tests of what is found. */
const urlsOf = (...args: Parameters<typeof extractPageMedia>) => extractPageMedia(...args).urls;

describe('extractPageMedia', () => {
  it('finds every kind of media reference, resolved and in page order', () => {
    const html = `<!doctype html><html><head>
      <meta property="og:image" content="/og.jpg">
      <meta property="og:image:url" content="https://cdn.example/og-url.jpg">
      <meta name="twitter:image" content="tw.png">
      <meta name="description" content="not-an-image.jpg">
      </head><body>
      <img src="a.jpg" srcset="a-small.jpg 320w, a-large.jpg 1024w">
      <img data-src="lazy.webp">
      <picture><source srcset="pic.avif 1x, pic@2x.avif 2x" type="image/avif"><img src="pic.jpg"></picture>
      <source srcset="outside-picture.jpg">
      <video poster="poster.jpg" src="clip.mp4"><source src="clip.webm" type="video/webm"></video>
      <a href="big/photo.JPEG">photo</a>
      <a href="movie.mov?dl=1#t=3">movie</a>
      <a href="other-page.html">next</a>
      <a href="/gallery/">gallery</a>
      </body></html>`;
    expect(urlsOf(html, page, 50)).toEqual([
      'https://gallery.example/og.jpg',
      'https://cdn.example/og-url.jpg',
      'https://gallery.example/albums/one/tw.png',
      'https://gallery.example/albums/one/a.jpg',
      'https://gallery.example/albums/one/a-small.jpg',
      'https://gallery.example/albums/one/a-large.jpg',
      'https://gallery.example/albums/one/lazy.webp',
      'https://gallery.example/albums/one/pic.avif',
      'https://gallery.example/albums/one/pic@2x.avif',
      'https://gallery.example/albums/one/pic.jpg',
      'https://gallery.example/albums/one/poster.jpg',
      'https://gallery.example/albums/one/clip.mp4',
      'https://gallery.example/albums/one/clip.webm',
      'https://gallery.example/albums/one/big/photo.JPEG',
      'https://gallery.example/albums/one/movie.mov?dl=1',
    ]);
  });

  it('resolves against <base href>, wherever it appears', () => {
    const html = '<img src="early.png"><head><base href="https://static.example/assets/"></head><img src="late.png">';
    expect(urlsOf(html, page, 10)).toEqual([
      'https://static.example/assets/early.png',
      'https://static.example/assets/late.png',
    ]);
  });

  it('ignores a base that is not http(s) and resolves against the page instead', () => {
    expect(urlsOf('<base href="javascript:void(0)"><img src="x.png">', page, 10)).toEqual([
      'https://gallery.example/albums/one/x.png',
    ]);
  });

  it('deduplicates, ignoring fragments, and keeps only http(s)', () => {
    const html = `<img src="same.png"><img src="./same.png#frag"><img src="https://gallery.example/albums/one/same.png">
      <img src="data:image/png;base64,iVBORw0KGgo="><img src="javascript:alert(1)"><img src="ftp://files.example/x.png">
      <img src="blob:https://gallery.example/uuid"><img src=""><img src="   "><img src="http://[bad">
      <img src="//other.example/proto-relative.gif">`;
    expect(urlsOf(html, page, 10)).toEqual([
      'https://gallery.example/albums/one/same.png',
      'https://other.example/proto-relative.gif',
    ]);
  });

  it('stops at the limit and says there were more', () => {
    const html = Array.from({ length: 80 }, (_, i) => `<img src="/img/${i}.jpg">`).join('');
    const found = extractPageMedia(html, page, 50);
    expect(found.urls).toHaveLength(50);
    expect(found.urls[49]).toBe('https://gallery.example/img/49.jpg');
    expect(found.truncated).toBe(true);
    expect(extractPageMedia(html, page, 0)).toEqual({ urls: [], truncated: true });
  });

  it('is not truncated when the page shows exactly `limit` addresses', () => {
    const html = Array.from({ length: 50 }, (_, i) => `<img src="/img/${i}.jpg"><img src="/img/${i}.jpg">`).join('');
    const found = extractPageMedia(html, page, 50);
    expect(found.urls).toHaveLength(50);
    expect(found.truncated).toBe(false);
  });

  it('follows links to videos and archives as well as images', () => {
    const files = ['a.wmv', 'b.asf', 'c.flv', 'd.mpg', 'e.mpeg', 'f.3gp', 'g.ts', 'h.zip', 'i.rar', 'j.7z', 'k.avi'];
    const more = ['l.mkv', 'm.mov', 'n.m4v', 'o.webm', 'p.ico'];
    const html = [...files, ...more, 'q.html', 'r.txt'].map((f) => `<a href="${f}">${f}</a>`).join('');
    expect(urlsOf(html, page, 50)).toEqual([...files, ...more].map((f) => `https://gallery.example/albums/one/${f}`));
  });

  it('reads only the first maxHtmlBytes of a page, given as text or as bytes', () => {
    const html = `<img src="early.jpg">${' '.repeat(maxHtmlBytes)}<img src="late.jpg">`;
    const expected = ['https://gallery.example/albums/one/early.jpg'];
    expect(extractPageMedia(html, page, 50)).toEqual({ urls: expected, truncated: true });
    expect(extractPageMedia(Buffer.from(html), page, 50)).toEqual({ urls: expected, truncated: true });
    expect(extractPageMedia('<img src="early.jpg">', page, 50).truncated).toBe(false);
  });

  it('stops parsing once it has found one distinct address past `limit`', () => {
    const opened = vi.spyOn(Parser.prototype, 'onopentagname');
    try {
      const html = `<img src="/same.jpg"><img src="/same.jpg">${Array.from({ length: 10_000 }, (_, i) => `<img src="/img/${i}.jpg">`).join('')}`;
      const found = extractPageMedia(html, page, 5);
      const numbered = [0, 1, 2, 3].map((i) => `https://gallery.example/img/${i}.jpg`);
      expect(found).toEqual({ urls: ['https://gallery.example/same.jpg', ...numbered], truncated: true });
      expect(opened.mock.calls.length).toBe(7);
    } finally {
      opened.mockRestore();
    }
  });

  it('decodes entities in attributes and trims whitespace', () => {
    expect(urlsOf('<img src="  /q?a=1&amp;b=2  ">', page, 5)).toEqual(['https://gallery.example/q?a=1&b=2']);
  });

  it('copes with broken markup', () => {
    const html = '<div><img src="one.png"<img src=two.png><p><video poster=three.jpg><source src="four.mp4"';
    const found = urlsOf(html, page, 10);
    expect(found).toContain('https://gallery.example/albums/one/one.png');
    expect(found.every((u) => u.startsWith('https://gallery.example/'))).toBe(true);
  });
});

describe('parseSrcset', () => {
  it.each([
    ['a.jpg', ['a.jpg']],
    ['a.jpg 1x, b.jpg 2x', ['a.jpg', 'b.jpg']],
    ['a.jpg 100w,b.jpg 200w', ['a.jpg', 'b.jpg']],
    ['  a.jpg  ,  b.jpg  ', ['a.jpg', 'b.jpg']],
    ['/img,w_200/a.jpg 1x, /img,w_400/a.jpg 2x', ['/img,w_200/a.jpg', '/img,w_400/a.jpg']],
    ['a.jpg,b.jpg', ['a.jpg,b.jpg']],
    ['a.jpg, b.jpg', ['a.jpg', 'b.jpg']],
    ['a.jpg (weird, descriptor) 1x, b.jpg', ['a.jpg', 'b.jpg']],
    ['', []],
    [',,,', []],
  ])('%j -> %j', (srcset, expected) => {
    expect(parseSrcset(srcset)).toEqual(expected);
  });
});
