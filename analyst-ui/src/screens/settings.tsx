import { useEffect, useState } from 'preact/hooks';
import type { Settings } from '../admin-types.ts';
import { ApiError } from '../api.ts';
import { useWorkspace } from '../context.ts';
import type { MessageKey } from '../i18n/index.ts';
import { useI18n } from '../i18n/index.ts';
import { ErrorMessage, ScreenTitle, useAction, useLoad } from '../ui.tsx';

const numberFields = [
  'exposureLimitMinutes',
  'exposureBlurLevel',
  'statusDelayHours',
  'statusDelayRandomHours',
  'pdqThreshold',
  'blockhashThreshold',
] as const;
type NumberField = (typeof numberFields)[number];

/**
 * The settings stored in the database. The server is the one judge of a value: the form does not
 * validate in the browser, and each field shows the server's localised message for it.
 */
export function SettingsScreen() {
  const { t } = useI18n();
  const { api, user } = useWorkspace();
  const loaded = useLoad(() => api.settings());
  const [draft, setDraft] = useState<Record<NumberField, string>>();
  const [mayConfirm, setMayConfirm] = useState(false);
  const [saved, setSaved] = useState(false);
  const { error, busy, run } = useAction();
  const admin = user.role === 'admin';

  const show = (settings: Settings) => {
    setDraft(Object.fromEntries(numberFields.map((f) => [f, String(settings[f])])) as Record<NumberField, string>);
    setMayConfirm(settings.analystsMayConfirm);
  };
  useEffect(() => {
    if (loaded.data) show(loaded.data.settings);
  }, [loaded.data]);

  const fields = error instanceof ApiError ? error.fields : {};
  const submit = (e: Event) => {
    e.preventDefault();
    if (!draft) return;
    setSaved(false);
    run(async () => {
      // An empty or malformed number goes as null: the server names the field and its range.
      const numbers = Object.fromEntries(
        numberFields.map((f) => [f, draft[f].trim() === '' ? null : Number(draft[f])]),
      ) as unknown as Pick<Settings, NumberField>;
      show((await api.changeSettings({ ...numbers, analystsMayConfirm: mayConfirm })).settings);
      setSaved(true);
    });
  };

  return (
    <>
      <ScreenTitle>{t('settings.title')}</ScreenTitle>
      <p>{t(admin ? 'settings.intro' : 'settings.readOnly')}</p>
      <ErrorMessage error={loaded.error ?? (Object.keys(fields).length > 0 ? undefined : error)} />
      {draft && (
        <form onSubmit={submit} noValidate class="stack">
          <fieldset disabled={!admin || busy} class="stack">
            {numberFields.map((field) => (
              <NumberInput
                key={field}
                field={field}
                value={draft[field]}
                problem={fields[field]}
                onInput={(value) => setDraft({ ...draft, [field]: value })}
              />
            ))}
            <label class="check">
              <input
                type="checkbox"
                checked={mayConfirm}
                onChange={(e) => setMayConfirm(e.currentTarget.checked)}
                aria-invalid={fields.analystsMayConfirm ? true : undefined}
              />{' '}
              {t('settings.analystsMayConfirm')}
            </label>
          </fieldset>
          {admin && (
            <div class="buttons">
              <button type="submit" disabled={busy}>
                {t('settings.save')}
              </button>
            </div>
          )}
          {Object.keys(fields).length > 0 && (
            <p role="alert" class="error">
              {error instanceof ApiError ? error.message : ''}
            </p>
          )}
          {saved && (
            <p role="status" class="notice">
              {t('settings.saved')}
            </p>
          )}
        </form>
      )}
    </>
  );
}

interface NumberInputProps {
  field: NumberField;
  value: string;
  /** The server's message for this field, when it refused the value. */
  problem: string | undefined;
  onInput: (value: string) => void;
}

function NumberInput({ field, value, problem, onInput }: NumberInputProps) {
  const { t } = useI18n();
  const id = `setting-${field}`;
  return (
    <div class="field">
      <label for={id}>{t(`settings.${field}` as MessageKey)}</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {problem && (
        <p id={`${id}-problem`} class="error">
          {problem}
        </p>
      )}
    </div>
  );
}
