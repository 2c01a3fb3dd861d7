import { html, type SafeHtml } from './html.ts';
import { type Lang, languages, translate } from './i18n.ts';

export interface PageOptions {
  lang: Lang;
  /** Catalogue key of the page title. */
  titleKey: string;
  /** The page's own path, for the language links. */
  path: string;
  body: SafeHtml;
}

/** The frame of every public page: language links, a skip link, the content, no script. */
export function renderPage({ lang, titleKey, path, body }: PageOptions): string {
  const t = (key: string) => translate(lang, key);
  const languageLinks = languages.map((code) =>
    code === lang
      ? html`<li><span aria-current="true" lang="${code}">${translate(code, 'language.name')}</span></li>`
      : html`<li><a href="${path}?lang=${code}" hreflang="${code}" lang="${code}">${translate(code, 'language.name')}</a></li>`,
  );
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${t(titleKey)} · ${t('site.name')}</title>
<link rel="stylesheet" href="/static/hotline.css">
</head>
<body>
<a class="skip" href="#main">${t('nav.skip')}</a>
<header class="site">
<p class="brand"><a href="/?lang=${lang}">${t('site.name')}</a></p>
<nav aria-label="${t('nav.languages')}"><ul class="languages">${languageLinks}</ul></nav>
</header>
<main id="main">
${body}
</main>
<footer class="site"><p>${t('footer.anonymous')}</p></footer>
</body>
</html>
`.value;
}
