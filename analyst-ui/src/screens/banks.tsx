import { useRef, useState } from 'preact/hooks';
import type { BankImport, BankView } from '../admin-types.ts';
import { useWorkspace } from '../context.ts';
import { useI18n } from '../i18n/index.ts';
import { ErrorMessage, ScreenTitle, useAction, useLoad } from '../ui.tsx';

/** Hash banks: counts for supervisors; enabling, disabling and importing for administrators. */
export function Banks() {
  const { t } = useI18n();
  const { api, user } = useWorkspace();
  const list = useLoad(() => api.banks());
  const action = useAction();
  const admin = user.role === 'admin';
  const banks = list.data?.banks ?? [];
  const switchBank = (bank: BankView) =>
    action.run(async () => {
      await api.switchBank(bank.name, !bank.enabled);
      list.reload();
    });
  return (
    <>
      <ScreenTitle>{t('banks.title')}</ScreenTitle>
      <ErrorMessage error={list.error ?? action.error} />
      <section aria-labelledby="banks-list">
        <h2 id="banks-list">{t('banks.list')}</h2>
        {list.data && banks.length === 0 ? (
          <p>{t('banks.none')}</p>
        ) : (
          // Not in a scrolling box: without a button inside (supervisors) a keyboard could not scroll it.
          <table>
            <thead>
              <tr>
                <th scope="col">{t('banks.col.name')}</th>
                <th scope="col">{t('banks.col.source')}</th>
                <th scope="col">{t('banks.col.state')}</th>
                <th scope="col">{t('banks.col.entries')}</th>
                <th scope="col">{t('banks.col.created')}</th>
                {admin && <th scope="col">{t('banks.col.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {banks.map((bank) => (
                <BankRow key={bank.id} bank={bank} onSwitch={admin ? switchBank : undefined} busy={action.busy} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {admin && <ImportForm banks={banks} onImported={list.reload} />}
    </>
  );
}

interface RowProps {
  bank: BankView;
  busy: boolean;
  /** Given to administrators only. */
  onSwitch: ((bank: BankView) => void) | undefined;
}

function BankRow({ bank, busy, onSwitch }: RowProps) {
  const { t, formatTime } = useI18n();
  return (
    <tr>
      <th scope="row">{bank.name}</th>
      <td>{t(bank.source === 'own' ? 'banks.source.own' : 'banks.source.partner')}</td>
      <td>{t(bank.enabled ? 'banks.enabled' : 'banks.disabled')}</td>
      <td>{t('banks.entries', { entries: bank.entries, enabled: bank.enabledEntries })}</td>
      <td>{formatTime(new Date(bank.createdAt).toISOString())}</td>
      {onSwitch && (
        <td>
          <button type="button" disabled={busy} onClick={() => onSwitch(bank)}>
            {t(bank.enabled ? 'banks.disable' : 'banks.enable', { name: bank.name })}
          </button>
        </td>
      )}
    </tr>
  );
}

/** Uploads a partner list; the answer's line-numbered errors are listed under the summary. */
function ImportForm({ banks, onImported }: { banks: BankView[]; onImported: () => void }) {
  const { t } = useI18n();
  const { api } = useWorkspace();
  const [name, setName] = useState('');
  const [result, setResult] = useState<BankImport>();
  const [missingFile, setMissingFile] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const { error, busy, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    const file = fileInput.current?.files?.[0];
    setMissingFile(!file);
    if (!file) return;
    run(async () => {
      setResult(undefined);
      setResult((await api.importBank(name.trim(), file)).import);
      if (fileInput.current) fileInput.current.value = '';
      onImported();
    });
  };
  return (
    <section aria-labelledby="bank-import">
      <h2 id="bank-import">{t('banks.import')}</h2>
      <p>{t('banks.importIntro')}</p>
      <ErrorMessage error={error} />
      <form onSubmit={submit} class="row" noValidate>
        <label>
          {t('banks.importBank')}
          <input
            required
            autocomplete="off"
            list="bank-names"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <datalist id="bank-names">
          {banks
            .filter((b) => b.source === 'partner')
            .map((b) => (
              <option key={b.id} value={b.name} />
            ))}
        </datalist>
        <label>
          {t('banks.importFile')}
          <input
            ref={fileInput}
            type="file"
            required
            accept=".csv,.json,text/csv,application/json"
            aria-invalid={missingFile || undefined}
            aria-describedby={missingFile ? 'bank-file-missing' : undefined}
          />
        </label>
        <button type="submit" disabled={busy}>
          {t('banks.importSubmit')}
        </button>
      </form>
      {missingFile && (
        <p id="bank-file-missing" role="alert" class="error">
          {t('banks.noFile')}
        </p>
      )}
      {result && <ImportResult result={result} />}
    </section>
  );
}

/** A file of a million bad lines must not become a million list items: the first ones tell what is wrong. */
const shownErrors = 200;

function ImportResult({ result }: { result: BankImport }) {
  const { t } = useI18n();
  return (
    <div>
      <p role="status" class="notice">
        {t('banks.imported', {
          bank: result.bank,
          rows: result.rows,
          format: result.format.toUpperCase(),
          inserted: result.inserted,
          relabelled: result.relabelled,
          duplicates: result.duplicates,
        })}
      </p>
      {result.errors.length > 0 && (
        <div class="warning" role="alert">
          <h3>{t('banks.importErrors', { count: result.errors.length })}</h3>
          <ul>
            {result.errors.slice(0, shownErrors).map((e) => (
              <li key={e.line}>{t('banks.importLine', { line: e.line, message: e.message })}</li>
            ))}
          </ul>
          {result.errors.length > shownErrors && (
            <p>{t('banks.importMore', { count: result.errors.length - shownErrors })}</p>
          )}
        </div>
      )}
    </div>
  );
}
