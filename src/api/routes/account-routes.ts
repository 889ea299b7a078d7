import { type Redis } from 'ioredis';
import { type AccountSnapshot, type AccountSnapshotStore } from '../../control/account-snapshot';
import { effectivePause } from '../../control/pause-state';
import { type PauseStore, view } from '../../control/pause-store';
import { type RedisKeys } from '../../redis/keys';
import { ApiError } from '../api-error';
import { pageSchema } from '../pagination';
import { type ApiRoute, defineRoute } from '../route';
import { accountDetailSchema, accountIdParams, accountSchema } from './account-schemas';

/** What the web knows of an account from its configuration: never its keys. */
export interface ConfiguredAccount {
  id: string;
  exchange: string;
  paper: boolean;
  sandbox: boolean;
  defaultType?: 'spot' | 'swap';
}

export interface AccountRoutesOptions {
  accounts: readonly ConfiguredAccount[];
  snapshots: AccountSnapshotStore;
  pauses: PauseStore;
  redis: Redis;
  keys: RedisKeys;
}

/** `GET /accounts`, `GET /accounts/:id` (viewer): what the worker last published, the breaker and the pause. */
export function accountRoutes(options: AccountRoutesOptions): ApiRoute[] {
  const { accounts, snapshots, pauses, redis, keys } = options;

  const read = async () => {
    const [all, paused, breakers] = await Promise.all([
      snapshots.all(),
      pauses.all(),
      redis.hgetall(keys.breakers),
    ]);
    return { all, paused, breakers };
  };
  type State = Awaited<ReturnType<typeof read>>;

  const render = (account: ConfiguredAccount, state: State) => {
    const snapshot: AccountSnapshot | undefined = state.all.get(account.id);
    const pause = effectivePause(state.paused.accounts[account.id], state.paused.global);
    return {
      id: account.id,
      exchange: account.exchange,
      paper: account.paper,
      sandbox: account.sandbox,
      defaultType: snapshot?.defaultType ?? account.defaultType ?? null,
      marketsLoaded: snapshot?.marketsLoaded ?? null,
      // The heartbeat's state is fresher (every few seconds) than the snapshot's (every minute).
      breaker: state.breakers[account.id] ?? snapshot?.breaker ?? null,
      paused: pause ? { ...view(pause), scope: pause.scope } : null,
      snapshotAt: snapshot?.snapshotAt ?? null,
      balances: snapshot?.balances ?? null,
      positions: snapshot?.positions ?? null,
      errors: snapshot?.errors ?? [],
      openOrders: snapshot?.openOrders ?? null,
    };
  };

  const list = defineRoute({
    method: 'get',
    path: '/accounts',
    operationId: 'listAccounts',
    summary: 'Every configured account: exchange, breaker, pause, balances and positions',
    description:
      'As the worker last saw them (it publishes after every signal and every minute); the web process never ' +
      'talks to an exchange. Open orders: `GET /api/v1/accounts/{id}`.',
    tags: ['accounts'],
    access: 'viewer',
    responses: { 200: { description: 'Every account (one page).', schema: pageSchema(accountSchema) } },
    async handler() {
      const state = await read();
      const items = accounts.map((a) => {
        const { openOrders: _openOrders, ...item } = render(a, state);
        return item;
      });
      return { status: 200, body: { items, nextCursor: null } };
    },
  });

  const get = defineRoute({
    method: 'get',
    path: '/accounts/:id',
    operationId: 'getAccount',
    summary: 'One account, with its open orders',
    tags: ['accounts'],
    access: 'viewer',
    params: accountIdParams,
    responses: { 200: { description: 'The account.', schema: accountDetailSchema } },
    async handler({ params }) {
      const account = accounts.find((a) => a.id === params.id);
      if (!account) throw new ApiError('not_found', `no account "${params.id}" is configured`);
      return { status: 200, body: render(account, await read()) };
    },
  });

  return [list, get];
}
