/** The languages of the analyst workspace; an account keeps its analyst's choice (null until one is made). */
export const analystLanguages = ['en', 'fr', 'nl'] as const;
export type AnalystLanguage = (typeof analystLanguages)[number];
