import { ALL_ACCOUNTS, type EffectivePause } from '../../control/pause-state';
import { type PauseStore, view } from '../../control/pause-store';
import { type Principal } from '../../keys/key-authenticator';
import { ApiError } from '../api-error';
import { type ApiRoute, defineRoute } from '../route';
import { accountIdParams, accountPauseAnswer, globalPauseAnswer, pauseQuery } from './account-schemas';

export interface PauseRoutesOptions {
  pauses: PauseStore;
  /** Configured account ids: anything else is 404. */
  accounts: readonly string[];
}

const TAGS = ['accounts'];

/** The kill switch: `POST /accounts/:id/pause|resume`, `POST /pause|resume` (trader). */
export function pauseRoutes(options: PauseRoutesOptions): ApiRoute[] {
  const { pauses } = options;
  const known = new Set(options.accounts);
  const mustExist = (id: string) => {
    if (!known.has(id)) throw new ApiError('not_found', `no account "${id}" is configured`);
  };
  const actor = (principal: Principal) => ({ name: principal.keyName, keyId: principal.keyId });

  const pauseAccount = defineRoute({
    method: 'post',
    path: '/accounts/:id/pause',
    operationId: 'pauseAccount',
    summary: 'Pause one account (kill switch)',
    description:
      'From the answer on, no order of this account is sent: signals that have not sent their orders yet end ' +
      '`rejected` with code `paused`, or with `hold=true` wait until resumed (or until they expire). Orders ' +
      'already on the exchange stay there (see flatten).',
    tags: TAGS,
    access: 'trader',
    params: accountIdParams,
    query: pauseQuery,
    responses: { 200: { description: 'The account is paused.', schema: accountPauseAnswer } },
    audit: { action: 'account.pause', target: (params) => `account:${params.id}` },
    async handler({ params, query, principal, now }) {
      mustExist(params.id);
      const { state, changed } = await pauses.pause(params.id, {
        hold: query.hold,
        actor: actor(principal),
        now,
      });
      return {
        status: 200,
        body: { account: params.id, paused: { ...view(state), scope: 'account' }, changed },
      };
    },
  });

  const resumeAccount = defineRoute({
    method: 'post',
    path: '/accounts/:id/resume',
    operationId: 'resumeAccount',
    summary: "Lift one account's own pause",
    description:
      'A global pause (`POST /api/v1/pause`) still applies until `POST /api/v1/resume`; the answer says so.',
    tags: TAGS,
    access: 'trader',
    params: accountIdParams,
    responses: { 200: { description: 'The pause in force afterwards, if any.', schema: accountPauseAnswer } },
    audit: { action: 'account.resume', target: (params) => `account:${params.id}` },
    async handler({ params, principal, now }) {
      mustExist(params.id);
      const lifted = await pauses.resume(params.id, { actor: actor(principal), now });
      const still = await pauses.pauseOf(params.id);
      return {
        status: 200,
        body: {
          account: params.id,
          paused: answer(still),
          changed: lifted !== undefined,
          ...(still ? { note: 'every account is still paused: POST /api/v1/resume lifts that' } : {}),
        },
      };
    },
  });

  const pauseAll = defineRoute({
    method: 'post',
    path: '/pause',
    operationId: 'pauseAll',
    summary: 'Pause every account (kill switch)',
    tags: TAGS,
    access: 'trader',
    query: pauseQuery,
    responses: { 200: { description: 'Every account is paused.', schema: globalPauseAnswer } },
    audit: { action: 'accounts.pause', target: () => 'account:*' },
    async handler({ query, principal, now }) {
      const { state, changed } = await pauses.pause(ALL_ACCOUNTS, {
        hold: query.hold,
        actor: actor(principal),
        now,
      });
      return { status: 200, body: { paused: { ...view(state), scope: 'all' }, changed } };
    },
  });

  const resumeAll = defineRoute({
    method: 'post',
    path: '/resume',
    operationId: 'resumeAll',
    summary: 'Lift the global pause',
    description: 'Accounts paused on their own stay paused until their own resume; the answer lists them.',
    tags: TAGS,
    access: 'trader',
    responses: { 200: { description: 'The global pause is lifted.', schema: globalPauseAnswer } },
    audit: { action: 'accounts.resume', target: () => 'account:*' },
    async handler({ principal, now }) {
      const lifted = await pauses.resume(ALL_ACCOUNTS, { actor: actor(principal), now });
      const own = Object.keys((await pauses.all()).accounts).filter((id) => known.has(id));
      return {
        status: 200,
        body: {
          paused: null,
          changed: lifted !== undefined,
          ...(own.length > 0 ? { note: `still paused on their own: ${own.sort().join(', ')}` } : {}),
        },
      };
    },
  });

  return [pauseAccount, resumeAccount, pauseAll, resumeAll];
}

function answer(pause: EffectivePause | undefined) {
  return pause ? { ...view(pause), scope: pause.scope } : null;
}
