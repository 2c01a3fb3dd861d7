import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { useWorkspace } from '../context.ts';
import {
  addDestination,
  type Channel,
  changeDestination,
  type DestinationKind,
  type DestinationPatch,
  type DestinationView,
  destinationKinds,
  fieldProblems,
  listDestinations,
  type NewDestination,
  type NoticeLanguage,
} from '../destinations-api.ts';
import { Dialog } from '../dialog.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { ErrorMessage, ScreenTitle, useAction, useLoad } from '../ui.tsx';
import { ChannelSelect, LanguageSelect, TextField } from './destination-fields.tsx';

/**
 * The directory of receivers: the police, partner hotlines by country, hosting providers by
 * network, INTERPOL. Supervisors read it; admins add a provider or a partner, edit a row and
 * approve a provider. The server judges every value and each field shows its message.
 */
export function DestinationsScreen() {
  const { t } = useI18n();
  const { api, user } = useWorkspace();
  const list = useLoad(() => listDestinations(api));
  const [kind, setKind] = useState<DestinationKind | ''>('');
  const [editing, setEditing] = useState<DestinationView>();
  const [done, setDone] = useState('');
  const action = useAction();
  const admin = user.role === 'admin';
  const approve = (row: DestinationView) =>
    action.run(async () => {
      setDone('');
      await changeDestination(api, row.id, { approved: true });
      setDone(t('destinations.approved', { name: row.name }));
      list.reload();
    });
  const shown = list.data?.destinations.filter((d) => kind === '' || d.kind === kind) ?? [];
  return (
    <>
      <ScreenTitle>{t('destinations.title')}</ScreenTitle>
      <p>{t(admin ? 'destinations.intro' : 'destinations.readOnly')}</p>
      {admin && (
        <AddDestination
          onAdded={(row) => {
            setDone(t('destinations.added', { name: row.name, key: row.key }));
            list.reload();
          }}
        />
      )}
      {done && (
        <p role="status" class="notice">
          {done}
        </p>
      )}
      <ErrorMessage error={list.error ?? action.error} />
      <section aria-labelledby="destination-list">
        <h2 id="destination-list">{t('destinations.list')}</h2>
        <div class="filters">
          <label>
            {t('destinations.show')}
            <select value={kind} onChange={(e) => setKind(e.currentTarget.value as DestinationKind | '')}>
              <option value="">{t('destinations.all')}</option>
              {destinationKinds.map((k) => (
                <option key={k} value={k}>
                  {t(`destinations.kind.${k}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: wider than a phone, the region scrolls; a keyboard scrolls it only once it has the focus (axe: scrollable-region-focusable) */}
        <section class="table-scroll" aria-labelledby="destination-list" tabIndex={0}>
          <table class="destinations">
            <thead>
              <tr>
                <th scope="col">{t('destinations.col.name')}</th>
                <th scope="col">{t('destinations.col.kind')}</th>
                <th scope="col">{t('destinations.col.where')}</th>
                <th scope="col">{t('destinations.col.contact')}</th>
                <th scope="col">{t('destinations.col.delivery')}</th>
                <th scope="col">{t('destinations.col.state')}</th>
                <th scope="col">{t('destinations.col.source')}</th>
                {admin && <th scope="col">{t('destinations.col.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => (
                <DestinationRow
                  key={row.id}
                  row={row}
                  actions={
                    admin && (
                      <div class="actions">
                        <button type="button" onClick={() => setEditing(row)}>
                          {t('destinations.edit', { name: row.name })}
                        </button>
                        {row.kind === 'hosting_provider' && !row.approved && (
                          <button type="button" disabled={action.busy} onClick={() => approve(row)}>
                            {t('destinations.approve', { name: row.name })}
                          </button>
                        )}
                      </div>
                    )
                  }
                />
              ))}
            </tbody>
          </table>
        </section>
      </section>
      {editing && (
        <EditDestination
          key={editing.id}
          row={editing}
          onClose={() => setEditing(undefined)}
          onSaved={(row) => {
            setEditing(undefined);
            setDone(t('destinations.saved', { name: row.name }));
            list.reload();
          }}
        />
      )}
    </>
  );
}

function DestinationRow({ row, actions }: { row: DestinationView; actions: ComponentChildren }) {
  const { t } = useI18n();
  const where = [row.country, row.asn === null ? null : `AS${row.asn}`].filter(Boolean).join(' · ');
  const state = [t(row.active ? 'destinations.active' : 'destinations.inactive')];
  if (row.kind === 'hosting_provider') {
    state.push(t(row.approved ? 'destinations.isApproved' : 'destinations.notApproved'));
  }
  return (
    <tr class={row.active ? '' : 'inactive'}>
      <th scope="row">
        {row.name}
        <br />
        <code>{row.key}</code>
      </th>
      <td>{t(`destinations.kind.${row.kind}` as MessageKey)}</td>
      <td>{where || '—'}</td>
      <td class="contact">{row.contact ?? '—'}</td>
      <td>
        {row.channel ? t(`destinations.channel.${row.channel}` as MessageKey) : t('destinations.channel.default')}
        {' · '}
        {row.language ?? 'en'}
      </td>
      <td>{state.join(', ')}</td>
      <td>
        {row.source}
        {row.asOf && ` (${row.asOf})`}
      </td>
      {actions && <td>{actions}</td>}
    </tr>
  );
}

const emptyNew = { asn: '', name: '', contact: '', country: '', source: '', asOf: '' };

function AddDestination({ onAdded }: { onAdded: (row: DestinationView) => void }) {
  const { t } = useI18n();
  const { api } = useWorkspace();
  const [kind, setKind] = useState<'hosting_provider' | 'partner_hotline'>('hosting_provider');
  const [draft, setDraft] = useState(emptyNew);
  const [channel, setChannel] = useState<Channel | null>(null);
  const [language, setLanguage] = useState<NoticeLanguage | null>(null);
  const { error, busy, run } = useAction();
  const problems = fieldProblems(error);
  const set = (field: keyof typeof emptyNew) => (value: string) => setDraft({ ...draft, [field]: value });
  const orNull = (value: string) => (value.trim() === '' ? null : value.trim());
  const submit = (e: Event) => {
    e.preventDefault();
    // Sent as typed: the server names what is wrong (a malformed network number stays a string).
    const input: NewDestination =
      kind === 'hosting_provider'
        ? {
            kind,
            asn: /^\d+$/.test(draft.asn.trim()) ? Number(draft.asn) : draft.asn,
            name: draft.name,
            contact: draft.contact,
            country: orNull(draft.country),
            language,
            source: draft.source,
          }
        : {
            kind,
            country: draft.country.trim(),
            name: draft.name,
            contact: draft.contact,
            channel,
            language,
            source: draft.source,
            asOf: orNull(draft.asOf),
          };
    run(async () => {
      const { destination } = await addDestination(api, input);
      setDraft(emptyNew);
      setChannel(null);
      setLanguage(null);
      onAdded(destination);
    });
  };
  const provider = kind === 'hosting_provider';
  const draftField = (field: keyof typeof emptyNew, id: string, label: MessageKey) => (
    <TextField id={id} label={t(label)} value={draft[field]} problem={problems[field]} onInput={set(field)} />
  );
  return (
    <section aria-labelledby="add-destination">
      <h2 id="add-destination">{t('destinations.add')}</h2>
      <form onSubmit={submit} noValidate class="destination-form">
        <div class="field">
          <label for="new-destination-kind">{t('destinations.newKind')}</label>
          <select
            id="new-destination-kind"
            value={kind}
            onChange={(e) =>
              setKind(e.currentTarget.value === 'partner_hotline' ? 'partner_hotline' : 'hosting_provider')
            }
          >
            <option value="hosting_provider">{t('destinations.kind.hosting_provider')}</option>
            <option value="partner_hotline">{t('destinations.kind.partner_hotline')}</option>
          </select>
        </div>
        {provider && draftField('asn', 'new-asn', 'destinations.asn')}
        {draftField('country', 'new-country', provider ? 'destinations.providerCountry' : 'destinations.country')}
        {draftField('name', 'new-name', provider ? 'destinations.organisation' : 'destinations.name')}
        {draftField('contact', 'new-contact', provider ? 'destinations.abuseAddress' : 'destinations.contact')}
        {!provider && (
          <ChannelSelect id="new-channel" value={channel} problem={problems.channel} onChange={setChannel} />
        )}
        <LanguageSelect id="new-language" value={language} problem={problems.language} onChange={setLanguage} />
        {draftField('source', 'new-source', 'destinations.source')}
        {!provider && draftField('asOf', 'new-as-of', 'destinations.asOf')}
        <div class="buttons">
          <button type="submit" disabled={busy}>
            {t(provider ? 'destinations.addProvider' : 'destinations.addPartner')}
          </button>
        </div>
        <FormProblem error={error} problems={problems} />
      </form>
    </section>
  );
}

interface EditProps {
  row: DestinationView;
  onClose: () => void;
  onSaved: (row: DestinationView) => void;
}

function EditDestination({ row, onClose, onSaved }: EditProps) {
  const { t } = useI18n();
  const { api } = useWorkspace();
  const [contact, setContact] = useState(row.contact ?? '');
  const [channel, setChannel] = useState(row.channel);
  const [language, setLanguage] = useState(row.language);
  const [active, setActive] = useState(row.active);
  const [approved, setApproved] = useState(row.approved);
  const { error, busy, run } = useAction();
  const problems = fieldProblems(error);
  const submit = (e: Event) => {
    e.preventDefault();
    const patch: DestinationPatch = { contact: contact.trim() === '' ? null : contact, channel, language, active };
    if (row.kind === 'hosting_provider') patch.approved = approved;
    run(async () => onSaved((await changeDestination(api, row.id, patch)).destination));
  };
  return (
    <Dialog open title={t('destinations.editTitle', { name: row.name })} onClose={onClose}>
      <form onSubmit={submit} noValidate class="stack">
        <TextField
          id="edit-contact"
          label={t(row.kind === 'hosting_provider' ? 'destinations.abuseAddress' : 'destinations.contact')}
          value={contact}
          problem={problems.contact}
          onInput={setContact}
        />
        <ChannelSelect id="edit-channel" value={channel} problem={problems.channel} onChange={setChannel} />
        <LanguageSelect id="edit-language" value={language} problem={problems.language} onChange={setLanguage} />
        <label class="check">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />{' '}
          {t('destinations.activeCheck')}
        </label>
        {row.kind === 'hosting_provider' && (
          <label class="check">
            <input type="checkbox" checked={approved} onChange={(e) => setApproved(e.currentTarget.checked)} />{' '}
            {t('destinations.approvedCheck')}
          </label>
        )}
        <FormProblem error={error} problems={problems} />
        <div class="buttons">
          <button type="submit" disabled={busy}>
            {t('destinations.save')}
          </button>
          <button type="button" onClick={onClose}>
            {t('destinations.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * A refused form, announced: with field problems, the server's message (each field shows its own,
 * a taken network or country included); otherwise the whole error.
 */
function FormProblem({ error, problems }: { error: unknown; problems: Record<string, string> }) {
  if (error === undefined) return null;
  if (Object.keys(problems).length === 0) return <ErrorMessage error={error} />;
  return (
    <p role="alert" class="error">
      {error instanceof ApiError ? error.message : ''}
    </p>
  );
}
