/**
 * What domain code throws when it cannot do what was asked. These carry no HTTP status and no exit
 * code: `src/http/errors.ts` maps each kind to a status, `src/cli` to an exit code. `id` is stable
 * (clients may switch on it), `messageKey` names the text in the message catalogues.
 */
export abstract class DomainError extends Error {
  constructor(
    readonly id: string,
    readonly messageKey: string,
  ) {
    super(id);
    this.name = new.target.name;
  }
}

/** Input refused; `fields` maps each bad field to the message key saying what is wrong with it. */
export class Invalid extends DomainError {
  constructor(readonly fields: Record<string, string>) {
    super('validation', 'error.validation');
  }
}

export class NotFound extends DomainError {
  constructor(id = 'not_found', messageKey = `error.${id}`) {
    super(id, messageKey);
  }
}

/** The request contradicts the current state (a name taken, the last admin). */
export class Conflict extends DomainError {
  constructor(id: string) {
    super(id, `error.${id}`);
  }
}

/** Who is asking is not known (no session, failed login). */
export class Unauthorized extends DomainError {
  constructor(id = 'unauthorized') {
    super(id, `error.${id}`);
  }
}

/** Who is asking is known and may not do this. */
export class Forbidden extends DomainError {
  constructor(id = 'forbidden') {
    super(id, `error.${id}`);
  }
}

/** Too many attempts from one client in the current window. */
export class TooMany extends DomainError {
  constructor() {
    super('rate_limited', 'error.rate_limited');
  }
}

/** What was asked for existed and is no longer there (reported content taken down). */
export class Gone extends DomainError {
  constructor(id = 'gone') {
    super(id, `error.${id}`);
  }
}

/** The thing exists but is of a kind this operation does not handle (a video in the safe view). */
export class Unsupported extends DomainError {
  constructor(id: string) {
    super(id, `error.${id}`);
  }
}

/** Something outside the hotline that the request depends on did not answer (a reported site). */
export class UpstreamFailed extends DomainError {
  constructor(id: string) {
    super(id, `error.${id}`);
  }
}
