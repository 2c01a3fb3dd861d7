import { type Channel, channels, type NoticeLanguage, noticeLanguages } from '../destinations-api.ts';
import { languages, type MessageKey, useI18n } from '../i18n/index.ts';

interface FieldProps<T> {
  id: string;
  value: T;
  /** The server's message for this field, when it refused the value. */
  problem: string | undefined;
}

/** A labelled control with the server's message under it, tied to it for screen readers. */
function described(id: string, problem: string | undefined) {
  return {
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': problem ? `${id}-problem` : undefined,
  } as const;
}

function Problem({ id, problem }: { id: string; problem: string | undefined }) {
  return problem ? (
    <p id={`${id}-problem`} class="error">
      {problem}
    </p>
  ) : null;
}

export function TextField({
  id,
  label,
  value,
  problem,
  onInput,
}: FieldProps<string> & { label: string; onInput: (value: string) => void }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} value={value} {...described(id, problem)} onInput={(e) => onInput(e.currentTarget.value)} />
      <Problem id={id} problem={problem} />
    </div>
  );
}

export function ChannelSelect({
  id,
  value,
  problem,
  onChange,
}: FieldProps<Channel | null> & { onChange: (value: Channel | null) => void }) {
  const { t } = useI18n();
  return (
    <div class="field">
      <label for={id}>{t('destinations.channel')}</label>
      <select
        id={id}
        value={value ?? ''}
        {...described(id, problem)}
        onChange={(e) => onChange(channels.find((c) => c === e.currentTarget.value) ?? null)}
      >
        <option value="">{t('destinations.channel.default')}</option>
        {channels.map((c) => (
          <option key={c} value={c}>
            {t(`destinations.channel.${c}` as MessageKey)}
          </option>
        ))}
      </select>
      <Problem id={id} problem={problem} />
    </div>
  );
}

/** The language of notices: the server's list; English when none is chosen. */
export function LanguageSelect({
  id,
  value,
  problem,
  onChange,
}: FieldProps<NoticeLanguage | null> & { onChange: (value: NoticeLanguage | null) => void }) {
  const { t } = useI18n();
  const names: Record<NoticeLanguage, string> = { ...languages, de: 'Deutsch' };
  return (
    <div class="field">
      <label for={id}>{t('destinations.language')}</label>
      <select
        id={id}
        value={value ?? ''}
        {...described(id, problem)}
        onChange={(e) => onChange(noticeLanguages.find((l) => l === e.currentTarget.value) ?? null)}
      >
        <option value="">{t('destinations.language.default')}</option>
        {noticeLanguages.map((l) => (
          <option key={l} value={l} lang={l}>
            {names[l]}
          </option>
        ))}
      </select>
      <Problem id={id} problem={problem} />
    </div>
  );
}
