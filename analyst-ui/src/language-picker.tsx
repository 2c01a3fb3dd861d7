import { isLang, type Lang, languages, useI18n } from './i18n/index.ts';

/** The interface language: kept on the account once signed in (the caller's `setLang` saves it), else on this browser. */
export function LanguagePicker({ setLang }: { setLang: (lang: Lang) => void }) {
  const { lang, t } = useI18n();
  return (
    <label class="language">
      {t('app.language')}{' '}
      <select
        value={lang}
        onChange={(e) => {
          const value = e.currentTarget.value;
          if (isLang(value)) setLang(value);
        }}
      >
        {Object.entries(languages).map(([code, name]) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
