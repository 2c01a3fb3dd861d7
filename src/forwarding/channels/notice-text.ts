import type { Lang } from '../../http/i18n.ts';
import type { ExportRow } from '../export/export-rows.ts';

/**
 * The e-mail notice to a hosting provider's abuse contact, and its reminders, in the destination's
 * language. Plain text only. It names the addresses and the exact hashes of the content; it never
 * carries imagery (nothing is attached or linked but the reported addresses themselves), the
 * reporter, their description, or how the report reached us.
 */
interface NoticeWords {
  subject: (ref: string) => string;
  reminderSubject: (ref: string, n: number) => string;
  greeting: string;
  assessed: string;
  reminderOf: (firstSent: string) => string;
  addresses: string;
  page: string;
  medium: (n: number) => string;
  hashes: string;
  noHashes: string;
  reply: (ref: string) => string;
  automatic: string;
}

const words: Record<Lang, NoticeWords> = {
  en: {
    subject: (ref) => `Child sexual abuse material hosted on your network [${ref}]`,
    reminderSubject: (ref, n) => `Reminder ${n}: child sexual abuse material still on your network [${ref}]`,
    greeting: 'Hello,',
    assessed:
      'Our hotline assessed the content at the addresses below as child sexual abuse material. It is hosted on your network. Please remove it without delay and preserve any data the police may ask for.',
    reminderOf: (first) => `We first sent this notice on ${first}. We have no record that the content was removed.`,
    addresses: 'Addresses:',
    page: 'page',
    medium: (n) => `medium ${n}`,
    hashes: 'Exact hashes of the content, to find copies (no image is attached or linked):',
    noHashes: 'No hashes were recorded for this content.',
    reply: (ref) => `Please reply to this message quoting ${ref} once the content has been removed.`,
    automatic: 'This notice was sent by the hotline’s case system.',
  },
  fr: {
    subject: (ref) => `Matériel d’abus sexuel d’enfants hébergé sur votre réseau [${ref}]`,
    reminderSubject: (ref, n) => `Rappel ${n} : matériel d’abus sexuel d’enfants toujours sur votre réseau [${ref}]`,
    greeting: 'Bonjour,',
    assessed:
      'Notre hotline a évalué le contenu aux adresses ci-dessous comme du matériel d’abus sexuel d’enfants. Il est hébergé sur votre réseau. Veuillez le retirer sans délai et conserver les données que la police pourrait demander.',
    reminderOf: (first) =>
      `Nous avons envoyé ce signalement pour la première fois le ${first}. Rien n’indique que le contenu a été retiré.`,
    addresses: 'Adresses :',
    page: 'page',
    medium: (n) => `média ${n}`,
    hashes: 'Empreintes exactes du contenu, pour en retrouver les copies (aucune image n’est jointe ni liée) :',
    noHashes: 'Aucune empreinte n’a été enregistrée pour ce contenu.',
    reply: (ref) => `Veuillez répondre à ce message en citant ${ref} une fois le contenu retiré.`,
    automatic: 'Ce signalement a été envoyé par le système de dossiers de la hotline.',
  },
  nl: {
    subject: (ref) => `Materiaal van seksueel kindermisbruik gehost op uw netwerk [${ref}]`,
    reminderSubject: (ref, n) => `Herinnering ${n}: materiaal van seksueel kindermisbruik nog op uw netwerk [${ref}]`,
    greeting: 'Goeddag,',
    assessed:
      'Ons meldpunt heeft de inhoud op de onderstaande adressen beoordeeld als materiaal van seksueel kindermisbruik. Het wordt gehost op uw netwerk. Verwijder het zonder uitstel en bewaar de gegevens die de politie kan opvragen.',
    reminderOf: (first) =>
      `We stuurden deze melding voor het eerst op ${first}. Niets wijst erop dat de inhoud verwijderd is.`,
    addresses: 'Adressen:',
    page: 'pagina',
    medium: (n) => `medium ${n}`,
    hashes: 'Exacte hashes van de inhoud, om kopieën te vinden (er is geen beeld bijgevoegd of gelinkt):',
    noHashes: 'Voor deze inhoud zijn geen hashes geregistreerd.',
    reply: (ref) => `Antwoord op dit bericht met vermelding van ${ref} zodra de inhoud verwijderd is.`,
    automatic: 'Deze melding werd verstuurd door het dossiersysteem van het meldpunt.',
  },
  de: {
    subject: (ref) => `Darstellungen sexuellen Kindesmissbrauchs in Ihrem Netz [${ref}]`,
    reminderSubject: (ref, n) =>
      `Erinnerung ${n}: Darstellungen sexuellen Kindesmissbrauchs weiterhin in Ihrem Netz [${ref}]`,
    greeting: 'Guten Tag,',
    assessed:
      'Unsere Meldestelle hat die Inhalte unter den folgenden Adressen als Darstellungen sexuellen Kindesmissbrauchs eingestuft. Sie liegen in Ihrem Netz. Bitte entfernen Sie sie unverzüglich und sichern Sie Daten, die die Polizei anfordern kann.',
    reminderOf: (first) =>
      `Wir haben diese Meldung erstmals am ${first} gesendet. Uns liegt kein Hinweis vor, dass die Inhalte entfernt wurden.`,
    addresses: 'Adressen:',
    page: 'Seite',
    medium: (n) => `Medium ${n}`,
    hashes: 'Exakte Hashwerte der Inhalte, um Kopien zu finden (kein Bild ist angehängt oder verlinkt):',
    noHashes: 'Für diese Inhalte wurden keine Hashwerte erfasst.',
    reply: (ref) =>
      `Bitte antworten Sie auf diese Nachricht unter Angabe von ${ref}, sobald die Inhalte entfernt sind.`,
    automatic: 'Diese Meldung wurde vom Fallsystem der Meldestelle gesendet.',
  },
};

/** The reference a provider quotes back: the forward's id. */
export const noticeReference = (forwardId: number) => `F-${forwardId}`;

const minuteUtc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export interface NoticeInput {
  forward: Pick<ExportRow, 'forwardId' | 'url' | 'media'>;
  language: Lang;
  /** 0 for the notice; n for the n-th reminder. */
  reminder: number;
  /** When the first notice went out (reminders say so). */
  firstSentAt: number | null;
}

export function noticeText({ forward, language, reminder, firstSentAt }: NoticeInput): {
  subject: string;
  text: string;
} {
  const w = words[language];
  const ref = noticeReference(forward.forwardId);
  const media = forward.media.map((m, index) => ({ ...m, label: w.medium(index + 1) }));
  const hashed = media.filter((m) => m.sha256 || m.sha1 || m.md5);
  const lines = [
    w.greeting,
    '',
    w.assessed,
    ...(reminder > 0 && firstSentAt !== null ? ['', w.reminderOf(minuteUtc(firstSentAt))] : []),
    '',
    w.addresses,
    `- ${w.page}: ${forward.url}`,
    ...media.map((m) => `- ${m.label}: ${m.url}`),
    '',
    ...(hashed.length > 0
      ? [
          w.hashes,
          ...hashed.flatMap((m) => [
            `- ${m.label}:`,
            ...(m.sha256 ? [`  SHA-256 ${m.sha256}`] : []),
            ...(m.sha1 ? [`  SHA-1   ${m.sha1}`] : []),
            ...(m.md5 ? [`  MD5     ${m.md5}`] : []),
          ]),
        ]
      : [w.noHashes]),
    '',
    w.reply(ref),
    '',
    w.automatic,
  ];
  return {
    subject: reminder > 0 ? w.reminderSubject(ref, reminder) : w.subject(ref),
    text: `${lines.join('\n')}\n`,
  };
}
