import type { Lang } from './i18n/index.ts';

/** The statistics screen's words, kept apart from the main catalogue (its own screen, its own file). */
const en = {
  nav: 'Statistics',
  title: 'Statistics',
  summaryTitle: 'Hotline in figures {year}',
  year: 'Year',
  show: 'Show',
  csv: 'Download CSV',
  print: 'Print the summary',
  reports: 'Reports received',
  items: 'Reported locations',
  assessments: 'Confirmed assessments',
  medianWait: 'Median time from report to confirmed assessment',
  days: '{n} days',
  none: 'none',
  byMonth: 'Reports per month',
  byCategory: 'Reports by category',
  byLegalStatus: 'Assessments by legal status',
  byContent: 'Assessments by content class',
  hostingCountries: 'Illegal content by hosting country',
  siteTypes: 'Illegal content by site type',
  forwards: 'Forwards and removals are not recorded yet.',
  word: 'Value',
  count: 'Count',
  month: 'Month',
  unknown: 'Unknown',
} as const;
type StatsKey = keyof typeof en;

const fr: Record<StatsKey, string> = {
  nav: 'Statistiques',
  title: 'Statistiques',
  summaryTitle: 'La hotline en chiffres {year}',
  year: 'Année',
  show: 'Afficher',
  csv: 'Télécharger le CSV',
  print: 'Imprimer le résumé',
  reports: 'Signalements reçus',
  items: 'Adresses signalées',
  assessments: 'Évaluations confirmées',
  medianWait: 'Délai médian entre le signalement et l’évaluation confirmée',
  days: '{n} jours',
  none: 'aucun',
  byMonth: 'Signalements par mois',
  byCategory: 'Signalements par catégorie',
  byLegalStatus: 'Évaluations par statut juridique',
  byContent: 'Évaluations par type de contenu',
  hostingCountries: 'Contenu illégal par pays d’hébergement',
  siteTypes: 'Contenu illégal par type de site',
  forwards: 'Les transmissions et retraits ne sont pas encore enregistrés.',
  word: 'Valeur',
  count: 'Nombre',
  month: 'Mois',
  unknown: 'Inconnu',
};

const nl: Record<StatsKey, string> = {
  nav: 'Statistieken',
  title: 'Statistieken',
  summaryTitle: 'Het meldpunt in cijfers {year}',
  year: 'Jaar',
  show: 'Tonen',
  csv: 'CSV downloaden',
  print: 'Samenvatting afdrukken',
  reports: 'Ontvangen meldingen',
  items: 'Gemelde adressen',
  assessments: 'Bevestigde beoordelingen',
  medianWait: 'Mediane tijd van melding tot bevestigde beoordeling',
  days: '{n} dagen',
  none: 'geen',
  byMonth: 'Meldingen per maand',
  byCategory: 'Meldingen per categorie',
  byLegalStatus: 'Beoordelingen per juridisch statuut',
  byContent: 'Beoordelingen per soort inhoud',
  hostingCountries: 'Illegale inhoud per land van hosting',
  siteTypes: 'Illegale inhoud per soort site',
  forwards: 'Doorzendingen en verwijderingen worden nog niet geregistreerd.',
  word: 'Waarde',
  count: 'Aantal',
  month: 'Maand',
  unknown: 'Onbekend',
};

const catalogues: Record<Lang, Record<StatsKey, string>> = { en, fr, nl };

export function statsTranslator(lang: Lang) {
  const catalogue = catalogues[lang];
  return (key: StatsKey, values: Record<string, string | number> = {}) =>
    catalogue[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}
