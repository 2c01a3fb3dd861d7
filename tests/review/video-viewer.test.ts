import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../src/config.ts';
import { viewerTemplateProblem, withVideoViewerLinks } from '../../src/review/video-viewer.ts';

const video = { n: 1, mediaType: 'video/mp4', sha256: 'ab'.repeat(32), sha1: 'cd'.repeat(20), md5: 'ef'.repeat(16) };
const image = { ...video, n: 0, mediaType: 'image/jpeg' };

describe('viewerTemplateProblem', () => {
  it('accepts an http(s) address that finds the video by one of its exact hashes', () => {
    for (const template of [
      'https://viewer.internal/?sha256={sha256}&item={item}',
      'http://10.0.0.5:8080/v/{md5}/{medium}',
      'https://viewer.internal/by-sha1/{sha1}',
    ]) {
      expect(viewerTemplateProblem(template)).toBeNull();
    }
  });

  it('refuses unknown placeholders, no hash, another scheme, credentials or no address', () => {
    expect(viewerTemplateProblem('https://v/?h={sha512}')).toMatch(/unknown placeholder \{sha512\}/);
    expect(viewerTemplateProblem('https://v/?item={item}')).toMatch(/\{sha256\}/);
    expect(viewerTemplateProblem('javascript:alert({sha256})')).toMatch(/http or https/);
    expect(viewerTemplateProblem('file:///videos/{sha256}')).toMatch(/http or https/);
    expect(viewerTemplateProblem('https://user:secret@v/{sha256}')).toMatch(/credentials/);
    expect(viewerTemplateProblem('/viewer?sha256={sha256}')).toMatch(/absolute URL/);
  });
});

describe('HOTLINE_VIDEO_VIEWER_URL_TEMPLATE', () => {
  it('is checked at start, naming the variable, and may be left empty', () => {
    expect(() => parseEnv({ HOTLINE_VIDEO_VIEWER_URL_TEMPLATE: 'https://v/?h={sha512}' })).toThrow(ConfigError);
    expect(() => parseEnv({ HOTLINE_VIDEO_VIEWER_URL_TEMPLATE: 'ftp://v/{md5}' })).toThrow(
      /HOTLINE_VIDEO_VIEWER_URL_TEMPLATE/,
    );
    expect(parseEnv({ HOTLINE_VIDEO_VIEWER_URL_TEMPLATE: '' }).HOTLINE_VIDEO_VIEWER_URL_TEMPLATE).toBe('');
    expect(parseEnv({}).HOTLINE_VIDEO_VIEWER_URL_TEMPLATE).toBeUndefined();
  });
});

describe('withVideoViewerLinks', () => {
  it('links each video to the viewer with its values escaped, and nothing else', () => {
    const item = { id: 12, media: [image, video] };
    const linked = withVideoViewerLinks(item, 'https://viewer.internal/?sha256={sha256}&item={item}&n={medium}');
    expect(linked.media.map((m) => m.viewerUrl)).toEqual([
      null,
      `https://viewer.internal/?sha256=${video.sha256}&item=12&n=1`,
    ]);
    const odd = withVideoViewerLinks({ id: 3, media: [{ ...video, md5: 'a&b=c' }] }, 'https://v/?md5={md5}');
    expect(odd.media[0]?.viewerUrl).toBe('https://v/?md5=a%26b%3Dc');
  });

  it('gives no link when no viewer is configured', () => {
    expect(withVideoViewerLinks({ id: 1, media: [video] }, undefined).media[0]?.viewerUrl).toBeNull();
  });
});
