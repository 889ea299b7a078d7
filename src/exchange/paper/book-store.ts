import { type Redis } from 'ioredis';
import { AppError } from '../../errors/app-error';
import { defineLuaScript } from '../../redis/lua-script';
import { backoffMs } from '../../util/backoff';
import { Semaphore } from '../../util/semaphore';
import { type Dec } from './decimal';
import { Ledger } from './ledger';
import { type PaperBook, type PaperOrder, newBook } from './paper-book';

/**
 * Compare-and-set of a book: writes the new book and the orders it changed only if no one committed since the
 * book was read (its version is unchanged), and bumps the version. Returns 1 when written, 0 on a conflict.
 * KEYS: book hash (`version`, `book`), orders hash. ARGV: version read, book JSON, then clientId, order JSON pairs.
 */
const COMMIT_SCRIPT = defineLuaScript<number>(
  'thPaperCommit',
  2,
  `
local version = redis.call('HGET', KEYS[1], 'version') or '0'
if version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'book', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'version', 1)
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
return 1`,
);

export interface BookStoreOptions {
  redis: Redis;
  /** Hash holding the account's book (`book`) and its version (`version`). */
  bookKey: string;
  /** Hash of every order by client order id (its latest state). */
  ordersKey: string;
  /** Balances of a book that does not exist yet. */
  startingBalances: Record<string, number>;
  feeRate: Dec;
  now: () => number;
  /** Commits tried before giving up with a transient `paper_busy`. @defaultValue 50 */
  maxAttempts?: number;
}

/**
 * A paper account's book in Redis, changed only by optimistic transactions: read the book with its version,
 * compute the change in TypeScript with exact decimals, and commit it with {@link COMMIT_SCRIPT}; a conflict (another
 * worker process committed meanwhile) reruns the change on the fresh book. Transactions of this process run one at
 * a time, so they never conflict with each other.
 */
export class BookStore {
  private readonly lock = new Semaphore(1);

  constructor(private readonly options: BookStoreOptions) {}

  async read(): Promise<PaperBook> {
    return (await this.readVersioned()).book;
  }

  async order(clientOrderId: string): Promise<PaperOrder | undefined> {
    const raw = await this.options.redis.hget(this.options.ordersKey, clientOrderId);
    return raw ? (JSON.parse(raw) as PaperOrder) : undefined;
  }

  /**
   * Runs `work` on a working copy of the book and commits what it changed, atomically; reruns it on a conflict.
   * `work` must only read Redis (through this store) and compute: it may run several times. Whatever it throws
   * leaves the book untouched.
   */
  transact<T>(work: (ledger: Ledger) => T | Promise<T>): Promise<T> {
    return this.lock.run(async () => {
      const attempts = this.options.maxAttempts ?? 50;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const { version, book, json } = await this.readVersioned();
        const ledger = new Ledger(book, { feeRate: this.options.feeRate, now: this.options.now() });
        const result = await work(ledger);
        if (ledger.changed.size === 0 && JSON.stringify(book) === json) return result;
        if (await this.commit(version, ledger)) return result;
        await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, 2, 100)));
      }
      throw new AppError(`the paper book stayed busy for ${attempts} tries; try again`, {
        code: 'paper_busy',
        kind: 'transient',
      });
    });
  }

  private async readVersioned(): Promise<{ version: string; book: PaperBook; json: string }> {
    const [version, stored] = await this.options.redis.hmget(this.options.bookKey, 'version', 'book');
    const book = stored ? (JSON.parse(stored) as PaperBook) : newBook(this.options.startingBalances);
    return { version: version ?? '0', book, json: stored ?? JSON.stringify(book) };
  }

  private async commit(version: string, ledger: Ledger): Promise<boolean> {
    const orders = [...ledger.changed.values()].flatMap((o) => [o.clientOrderId, JSON.stringify(o)]);
    const written = await COMMIT_SCRIPT.run(
      this.options.redis,
      [this.options.bookKey, this.options.ordersKey],
      [version, JSON.stringify(ledger.book), ...orders],
    );
    return written === 1;
  }
}
