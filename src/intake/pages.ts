import { html, type SafeHtml } from '../http/html.ts';
import { type Lang, translate } from '../http/i18n.ts';
import { renderPage } from '../http/layout.ts';
import {
  dontKnow,
  type ReportStatus,
  reportCategories,
  reportedMediaTypes,
  reportedSiteTypes,
  reportStatuses,
} from '../taxonomy/vocabulary.ts';
import { maxDescriptionLength } from './schema.ts';

export interface FormValues {
  urls?: string;
  category?: string;
  siteType?: string;
  mediaType?: string;
  description?: string;
  contact?: string;
}

/** Field name -> message key; `form` for problems with the form as a whole. */
export type FormErrors = Record<string, string>;

const fieldOrder = ['urls', 'category', 'siteType', 'mediaType', 'description', 'contact', 'receipt'];

function errorSummary(lang: Lang, errors: FormErrors): SafeHtml {
  const entries = Object.entries(errors).sort(([a], [b]) => fieldOrder.indexOf(a) - fieldOrder.indexOf(b));
  if (entries.length === 0) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">${translate(lang, 'form.errors.title')}</h2>
<ul>${entries.map(([field, key]) =>
    fieldOrder.includes(field)
      ? html`<li><a href="#field-${field}">${translate(lang, key)}</a></li>`
      : html`<li>${translate(lang, key)}</li>`,
  )}</ul>
</div>`;
}

function fieldError(lang: Lang, errors: FormErrors, field: string): SafeHtml {
  const key = errors[field];
  return key ? html`<p class="field-error" id="${field}-error">${translate(lang, key)}</p>` : html``;
}

function describedBy(errors: FormErrors, field: string, hasHint: boolean): string {
  return [hasHint ? `${field}-hint` : '', errors[field] ? `${field}-error` : ''].filter(Boolean).join(' ');
}

function radioGroup(lang: Lang, field: string, options: readonly string[], values: FormValues, errors: FormErrors) {
  const selected = values[field as keyof FormValues];
  const ids = describedBy(errors, field, false);
  return html`<fieldset class="field${errors[field] ? ' invalid' : ''}" id="field-${field}"${
    ids ? html` aria-describedby="${ids}"` : ''
  }>
<legend>${translate(lang, `form.${field}.label`)}</legend>
${fieldError(lang, errors, field)}
${options.map(
  (option) =>
    html`<div class="choice"><input type="radio" name="${field}" id="${field}-${option}" value="${option}"${
      (selected ?? dontKnow) === option ? html` checked` : ''
    }> <label for="${field}-${option}">${translate(lang, `form.${field}.${option}`)}</label></div>`,
)}
</fieldset>`;
}

/** Whether the optional questions should start open: something in them was answered or refused. */
function moreIsOpen(values: FormValues, errors: FormErrors): boolean {
  const optional = ['category', 'siteType', 'mediaType', 'description', 'contact'] as const;
  return optional.some((field) => errors[field] || (values[field] && values[field] !== dontKnow));
}

/**
 * The report form. The address box and the send button come first, so that on a phone they are on
 * the first screen; the optional questions fold away, the advice follows in short form and opens
 * in full on demand (`<details>`, no script needed).
 */
export function renderReportForm(lang: Lang, token: string, values: FormValues = {}, errors: FormErrors = {}): string {
  const t = (key: string) => translate(lang, key);
  const invalid = (field: string) => (errors[field] ? html` aria-invalid="true"` : '');
  const body = html`${errorSummary(lang, errors)}
<h1>${t('form.title')}</h1>
<p class="lead">${t('form.lead')}</p>
<form id="report-form" method="post" action="/report?lang=${lang}" accept-charset="utf-8" novalidate>
<input type="hidden" name="formToken" value="${token}">
<input type="hidden" name="lang" value="${lang}">
<div class="field${errors.urls ? ' invalid' : ''}" id="field-urls">
<label for="urls">${t('form.urls.label')}</label>
<p class="hint" id="urls-hint">${t('form.urls.hint')}</p>
${fieldError(lang, errors, 'urls')}
<textarea id="urls" name="urls" rows="3" required autocomplete="off" autocapitalize="off" spellcheck="false" aria-describedby="${describedBy(errors, 'urls', true)}"${invalid('urls')}>${values.urls ?? ''}</textarea>
</div>
<details class="more"${moreIsOpen(values, errors) ? html` open` : ''}>
<summary>${t('form.more')}</summary>
${radioGroup(lang, 'category', reportCategories, values, errors)}
${radioGroup(lang, 'siteType', reportedSiteTypes, values, errors)}
${radioGroup(lang, 'mediaType', reportedMediaTypes, values, errors)}
<div class="field${errors.description ? ' invalid' : ''}" id="field-description">
<label for="description">${t('form.description.label')}</label>
<p class="hint" id="description-hint">${t('form.description.hint')}</p>
${fieldError(lang, errors, 'description')}
<textarea id="description" name="description" rows="4" maxlength="${maxDescriptionLength}" aria-describedby="${describedBy(errors, 'description', true)}"${invalid('description')}>${values.description ?? ''}</textarea>
</div>
<div class="field${errors.contact ? ' invalid' : ''}" id="field-contact">
<label for="contact">${t('form.contact.label')}</label>
<p class="hint" id="contact-hint">${t('form.contact.hint')}</p>
${fieldError(lang, errors, 'contact')}
<input type="email" id="contact" name="contact" autocomplete="off" value="${values.contact ?? ''}" aria-describedby="${describedBy(errors, 'contact', true)}"${invalid('contact')}>
</div>
</details>
<div class="trap" aria-hidden="true"><label for="leave_empty">${t('form.honeypot.label')}</label>
<input type="text" id="leave_empty" name="leave_empty" tabindex="-1" autocomplete="off" value=""></div>
<button type="submit">${t('form.submit')}</button>
</form>
<section class="advice" aria-labelledby="advice-title">
<h2 id="advice-title">${t('form.advice.title')}</h2>
<details><summary>${t('form.dont.short')}</summary>
<ul><li>${t('form.dont.download')}</li><li>${t('form.dont.investigate')}</li><li>${t('form.dont.images')}</li></ul></details>
<details><summary>${t('form.anonymous.short')}</summary><p>${t('form.anonymous.text')}</p></details>
<details><summary>${t('form.what.title')}</summary><p>${t('form.what.text')}</p></details>
<details><summary>${t('form.helpline.short')}</summary><p>${t('form.helpline.text')}</p></details>
<p><a class="call" href="tel:116000">${t('form.helpline.call')}</a></p>
</section>
<p><a href="/status?lang=${lang}">${t('nav.status')}</a></p>`;
  return renderPage({
    lang,
    titleKey: 'form.title',
    path: '/',
    body,
    hasErrors: Object.keys(errors).length > 0,
    languageForm: { id: 'report-form', action: '/' },
  });
}

/**
 * The receipt, once or again when the same form is sent again (see form-token.ts). Its language
 * switch re-sends the form's token, so the receipt comes back in the other language, never in a URL.
 */
export function renderReceipt(lang: Lang, receipt: string, token: string): string {
  const t = (key: string) => translate(lang, key);
  const body = html`<h1>${t('receipt.title')}</h1>
<section class="receipt" aria-labelledby="receipt-label">
<h2 id="receipt-label">${t('receipt.label')}</h2>
<p class="receipt-code"><output id="receipt">${receipt}</output></p>
<button type="button" class="copy" hidden data-done="${t('receipt.copied')}">${t('receipt.copy')}</button>
<p id="copy-done" role="status"></p>
<p class="notice warning">${t('receipt.once')}</p>
</section>
<p>${t('receipt.use')}</p>
<p><a href="/next?lang=${lang}">${t('receipt.next')}</a></p>
<p><a href="/status?lang=${lang}">${t('nav.status')}</a></p>
<p><a href="/?lang=${lang}">${t('receipt.another')}</a></p>
<form id="receipt-language" method="post" action="/report" hidden><input type="hidden" name="formToken" value="${token}"></form>`;
  return renderPage({
    lang,
    titleKey: 'receipt.title',
    path: '/',
    body,
    languageForm: { id: 'receipt-language', action: '/report' },
  });
}

/**
 * A form sent again after its receipt's ten minutes: the report is stored, the code cannot be shown,
 * and nothing invites a second report.
 */
export function renderAlreadyReceived(lang: Lang): string {
  const t = (key: string) => translate(lang, key);
  const body = html`<h1>${t('received.title')}</h1>
<p class="notice">${t('received.text')}</p>
<p><a href="/next?lang=${lang}">${t('receipt.next')}</a></p>
<p><a href="/status?lang=${lang}">${t('nav.status')}</a></p>
<p><a href="/?lang=${lang}">${t('receipt.another')}</a></p>`;
  return renderPage({ lang, titleKey: 'received.title', path: '/', body });
}

export function renderStatusPage(
  lang: Lang,
  outcome: { status?: ReportStatus; errors?: FormErrors; typedReceipt?: string } = {},
): string {
  const t = (key: string) => translate(lang, key);
  const errors = outcome.errors ?? {};
  const body = html`${errorSummary(lang, errors)}
<h1>${t('status.title')}</h1>
${
  outcome.status
    ? html`<section class="status-result" role="status" aria-labelledby="status-result-title">
<h2 id="status-result-title">${t('status.result')}</h2><p class="status status-${outcome.status}">${t(`status.${outcome.status}`)}</p></section>`
    : ''
}
<form id="status-form" method="post" action="/status?lang=${lang}" accept-charset="utf-8" novalidate>
<input type="hidden" name="lang" value="${lang}">
<div class="field${errors.receipt ? ' invalid' : ''}" id="field-receipt">
<label for="receipt">${t('status.label')}</label>
<p class="hint" id="receipt-hint">${t('status.hint')}</p>
${fieldError(lang, errors, 'receipt')}
<input type="text" id="receipt" name="receipt" required autocomplete="off" autocapitalize="characters" spellcheck="false" value="${outcome.typedReceipt ?? ''}" aria-describedby="${describedBy(errors, 'receipt', true)}"${errors.receipt ? html` aria-invalid="true"` : ''}>
</div>
<button type="submit">${t('status.submit')}</button>
</form>
<p><a href="/?lang=${lang}">${t('nav.home')}</a></p>`;
  return renderPage({
    lang,
    titleKey: 'status.title',
    path: '/status',
    body,
    hasErrors: Object.keys(errors).length > 0,
    // A switch of language keeps a receipt being typed: it is sent in the body, never in the address.
    languageForm: { id: 'status-form', action: '/status' },
  });
}

/** What happens after a report: the analysts' work, how long it takes, the status values, whom to call. */
export function renderNextPage(lang: Lang): string {
  const t = (key: string) => translate(lang, key);
  const body = html`<h1>${t('next.title')}</h1>
<p class="lead">${t('next.intro')}</p>
<h2>${t('next.analyst.title')}</h2>
<p>${t('next.analyst.text')}</p>
<h2>${t('next.time.title')}</h2>
<p>${t('next.time.text')}</p>
<h2>${t('next.status.title')}</h2>
<dl class="statuses">${reportStatuses.map(
    (status) => html`<dt>${t(`status.${status}`)}</dt><dd>${t(`next.status.${status}`)}</dd>`,
  )}</dl>
<p>${t('next.status.delay')}</p>
<section class="notice warning" aria-labelledby="danger-title">
<h2 id="danger-title">${t('next.danger.title')}</h2>
<p>${t('next.danger.text')}</p>
<p><a class="call" href="tel:112">${t('next.danger.call')}</a></p>
</section>
<section class="notice helpline" aria-labelledby="helpline-title">
<h2 id="helpline-title">${t('form.helpline.title')}</h2>
<p>${t('form.helpline.text')}</p>
<p><a class="call" href="tel:116000">${t('form.helpline.call')}</a></p>
</section>
<p><a href="/status?lang=${lang}">${t('nav.status')}</a></p>
<p><a href="/?lang=${lang}">${t('nav.home')}</a></p>`;
  return renderPage({ lang, titleKey: 'next.title', path: '/next', body });
}
