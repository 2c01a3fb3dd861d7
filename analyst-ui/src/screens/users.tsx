import { useState } from 'preact/hooks';
import { type Role, roles, type UserView } from '../api.ts';
import { useWorkspace } from '../context.ts';
import { useI18n } from '../i18n/index.ts';
import { ErrorMessage, ScreenTitle, useAction, useLoad } from '../ui.tsx';

/** Accounts: create, disable or enable, reset, unlock, change role (administrators). */
export function Users() {
  const { t } = useI18n();
  const { api } = useWorkspace();
  const list = useLoad(() => api.users());
  const action = useAction();
  const [shown, setShown] = useState('');
  const act = (change: () => Promise<unknown>) =>
    action.run(async () => {
      await change();
      list.reload();
    });
  return (
    <>
      <ScreenTitle>{t('users.title')}</ScreenTitle>
      <CreateUser
        onCreated={(username, secret) => {
          setShown(t('users.created', { username, secret }));
          list.reload();
        }}
      />
      {shown && (
        <p role="status" class="notice secret">
          {shown}
        </p>
      )}
      <ErrorMessage error={list.error ?? action.error} />
      <section aria-labelledby="accounts">
        <h2 id="accounts">{t('users.list')}</h2>
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('users.col.username')}</th>
                <th scope="col">{t('users.col.role')}</th>
                <th scope="col">{t('users.col.status')}</th>
                <th scope="col">{t('users.col.created')}</th>
                <th scope="col">{t('users.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.users.map((user) => (
                <UserRow
                  key={user.id}
                  user={user}
                  busy={action.busy}
                  act={act}
                  onReset={(secret) => setShown(t('users.resetDone', { username: user.username, secret }))}
                />
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function CreateUser({ onCreated }: { onCreated: (username: string, totpSecret: string) => void }) {
  const { t } = useI18n();
  const { api } = useWorkspace();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const enrolment = await api.createUser(username, role, password);
      setUsername('');
      setPassword('');
      onCreated(enrolment.user.username, enrolment.totpSecret);
    });
  };
  return (
    <section aria-labelledby="create-user">
      <h2 id="create-user">{t('users.create')}</h2>
      <ErrorMessage error={error} />
      <form onSubmit={submit} class="row">
        <label>
          {t('users.username')}
          <input required autocomplete="off" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <div class="field">
          <label for="new-user-role">{t('users.role')}</label>
          <RoleSelect id="new-user-role" value={role} onChange={setRole} />
        </div>
        <label>
          {t('users.password')}
          <input
            type="password"
            required
            autocomplete="new-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          {t('users.submit')}
        </button>
      </form>
    </section>
  );
}

interface RoleSelectProps {
  value: Role;
  onChange: (role: Role) => void;
  label?: string;
  id?: string;
}

function RoleSelect({ value, onChange, label, id }: RoleSelectProps) {
  const { t } = useI18n();
  return (
    <select
      id={id}
      value={value}
      aria-label={label}
      onChange={(e) => onChange(roles.find((r) => r === e.currentTarget.value) ?? value)}
    >
      {roles.map((r) => (
        <option key={r} value={r}>
          {t(`role.${r}`)}
        </option>
      ))}
    </select>
  );
}

interface RowProps {
  user: UserView;
  busy: boolean;
  act: (change: () => Promise<unknown>) => void;
  onReset: (totpSecret: string) => void;
}

function UserRow({ user, busy, act, onReset }: RowProps) {
  const { t, formatTime } = useI18n();
  const { api } = useWorkspace();
  const [resetPassword, setResetPassword] = useState('');
  const name = { username: user.username };
  // Unlock is offered only while a lock lasts; a lock that ran out needs nothing.
  const lockedUntil = user.lockedUntil !== null && Date.parse(user.lockedUntil) > Date.now() ? user.lockedUntil : null;
  const reset = (e: Event) => {
    e.preventDefault();
    act(async () => {
      const enrolment = await api.resetUser(user.id, resetPassword);
      setResetPassword('');
      onReset(enrolment.totpSecret);
    });
  };
  return (
    <tr>
      <th scope="row">{user.username}</th>
      <td>
        <RoleSelect
          value={user.role}
          label={t('users.roleOf', name)}
          onChange={(role) => act(() => api.changeUser(user.id, { role }))}
        />
      </td>
      <td>
        {user.disabled ? t('users.disabled') : !lockedUntil && t('users.active')}
        {user.disabled && lockedUntil && <br />}
        {lockedUntil && t('users.locked', { time: formatTime(lockedUntil) })}
      </td>
      <td>{formatTime(user.createdAt)}</td>
      <td class="actions">
        <button
          type="button"
          disabled={busy}
          onClick={() => act(() => api.changeUser(user.id, { disabled: !user.disabled }))}
        >
          {t(user.disabled ? 'users.enable' : 'users.disable', name)}
        </button>
        {lockedUntil && (
          <button type="button" disabled={busy} onClick={() => act(() => api.unlockUser(user.id))}>
            {t('users.unlock', name)}
          </button>
        )}
        <form onSubmit={reset} class="inline">
          <label>
            <span class="visually-hidden">{t('users.resetPassword', name)}</span>
            <input
              type="password"
              required
              autocomplete="new-password"
              placeholder={t('users.password')}
              value={resetPassword}
              onInput={(e) => setResetPassword(e.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={busy}>
            {t('users.reset', name)}
          </button>
        </form>
      </td>
    </tr>
  );
}
