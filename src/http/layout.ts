import { html, type SafeHtml } from './html.ts';
import { type Lang, languages, translate } from './i18n.ts';

export interface PageOptions {
  lang: Lang;
  /** Catalogue key of the page title. */
  titleKey: string;
  /** The page's own path, for the language links. */
  path: string;
  body: SafeHtml;
  /** The page shows errors: its title starts with "Error:" in the page's language. */
  hasErrors?: boolean;
  /**
   * The id of a form whose typed values a language switch must keep: the switch is then a set of
   * submit buttons of that form (its `switchTo` field names the language), not links.
   */
  languageForm?: { id: string; action: string };
}

function languageSwitch(lang: Lang, path: string, languageForm: PageOptions['languageForm']): SafeHtml[] {
  return languages.map((code) => {
    const name = translate(code, 'language.name');
    if (code === lang) return html`<li><span aria-current="true" lang="${code}">${name}</span></li>`;
    if (languageForm) {
      return html`<li><button type="submit" class="language" form="${languageForm.id}" formaction="${languageForm.action}" formnovalidate name="switchTo" value="${code}" lang="${code}">${name}</button></li>`;
    }
    return html`<li><a href="${path}?lang=${code}" hreflang="${code}" lang="${code}">${name}</a></li>`;
  });
}

/** The frame of every public page: language switch, a skip link, the content, one small optional script. */
export function renderPage({ lang, titleKey, path, body, hasErrors, languageForm }: PageOptions): string {
  const t = (key: string) => translate(lang, key);
  const title = hasErrors ? `${t('page.error_prefix')} ${t(titleKey)}` : t(titleKey);
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · ${t('site.name')}</title>
<link rel="stylesheet" href="/static/hotline.css">
<script src="/static/hotline.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${t('nav.skip')}</a>
<header class="site">
<p class="brand"><a href="/?lang=${lang}">${t('site.name')}</a></p>
<nav aria-label="${t('nav.languages')}"><ul class="languages">${languageSwitch(lang, path, languageForm)}</ul></nav>
</header>
<main id="main">
${body}
</main>
<footer class="site"><p><a href="/next?lang=${lang}">${t('nav.next')}</a></p><p>${t('footer.anonymous')}</p></footer>
</body>
</html>
`.value;
}
