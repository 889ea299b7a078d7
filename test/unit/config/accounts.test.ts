import { writeFileSync } from 'node:fs';
import { type AccountSources, loadAccounts } from '../../../src/config/accounts';
import { tempDir } from '../../support/temp-dir';

const NONE: AccountSources = {
  ACCOUNTS: '',
  ACCOUNTS_FILE: '',
  EXCHANGE: 'paper',
  EXCHANGE_API_KEY: '',
  EXCHANGE_SECRET: '',
  EXCHANGE_PASSWORD: '',
  EXCHANGE_SANDBOX: false,
  EXCHANGE_PAPER: false,
};

const SECRET_VALUE = 'sk-live-8f3a9c1d2e7b4a60';

const accounts = (list: unknown) => loadAccounts({ ...NONE, ACCOUNTS: JSON.stringify(list) });

describe('loadAccounts', () => {
  const dir = tempDir('tradehook-accounts-');

  describe('the EXCHANGE_* shortcut', () => {
    it('when nothing is set, then one paper account "default" is built with every default', () => {
      expect(loadAccounts(NONE)).toEqual({
        accounts: [
          {
            id: 'default',
            exchange: 'paper',
            sandbox: false,
            paper: false,
            ccxt: {},
            symbols: [],
          },
        ],
        problems: [],
      });
    });

    it('when EXCHANGE and its keys are set, then account "default" carries them', () => {
      const { accounts: list, problems } = loadAccounts({
        ...NONE,
        EXCHANGE: 'okx',
        EXCHANGE_API_KEY: 'key',
        EXCHANGE_SECRET: 'secret',
        EXCHANGE_PASSWORD: 'pass',
        EXCHANGE_SANDBOX: true,
      });
      expect(problems).toEqual([]);
      expect(list).toEqual([
        expect.objectContaining({
          id: 'default',
          exchange: 'okx',
          apiKey: 'key',
          secret: 'secret',
          password: 'pass',
          sandbox: true,
        }),
      ]);
    });

    it('when EXCHANGE is a real exchange without keys, then the problem names the shortcut and the account', () => {
      expect(loadAccounts({ ...NONE, EXCHANGE: 'binance', EXCHANGE_API_KEY: 'key' })).toEqual({
        accounts: expect.any(Array),
        problems: [
          'EXCHANGE: "binance" needs EXCHANGE_API_KEY and EXCHANGE_SECRET, or EXCHANGE_PAPER=true to paper-trade against its real prices',
        ],
      });
    });

    it('when EXCHANGE_PAPER=true, then the default account paper-trades the real exchange without keys', () => {
      expect(loadAccounts({ ...NONE, EXCHANGE: 'binance', EXCHANGE_PAPER: true })).toEqual({
        accounts: [expect.objectContaining({ id: 'default', exchange: 'binance', paper: true })],
        problems: [],
      });
    });

    it('when EXCHANGE is not a ccxt exchange id, then it is refused with a hint (no ccxt loaded)', () => {
      expect(loadAccounts({ ...NONE, EXCHANGE: 'binanse' }).problems).toEqual([
        'EXCHANGE_*: account "default": "binanse" is neither a ccxt exchange id nor "paper" (did you mean "binance"?)',
      ]);
      expect(accounts([{ id: 'a', exchange: 'nasdaq', paper: true }]).problems).toEqual([
        'ACCOUNTS: account "a": "nasdaq" is neither a ccxt exchange id nor "paper"',
      ]);
    });
  });

  describe('ACCOUNTS', () => {
    it('when a full account is given, then every field is kept', () => {
      const account = {
        id: 'main-1',
        exchange: 'bybit',
        apiKey: 'k',
        secret: 's',
        password: 'p',
        sandbox: true,
        paper: false,
        ccxt: { options: { defaultType: 'swap' }, timeout: 5000 },
        defaultType: 'swap',
        symbols: ['BTCUSDT.P'],
        maxOrderCost: 250,
      };
      expect(accounts([account])).toEqual({ accounts: [account], problems: [] });
    });

    it('when several accounts are given, then their order is kept (the first is the default)', () => {
      const { accounts: list } = accounts([
        { id: 'b', exchange: 'paper' },
        { id: 'a', exchange: 'paper' },
      ]);
      expect(list.map((a) => a.id)).toEqual(['b', 'a']);
    });

    it('when a real exchange has paper: true, then no keys are needed', () => {
      expect(accounts([{ id: 'sim', exchange: 'binance', paper: true }]).problems).toEqual([]);
    });

    it.each([
      [{ id: 'a', exchange: 'binance' }],
      [{ id: 'a', exchange: 'binance', apiKey: 'k' }],
      [{ id: 'a', exchange: 'binance', secret: 's' }],
      [{ id: 'a', exchange: 'binance', apiKey: '', secret: '' }],
    ])('when %j has no complete key pair, then the problem asks for keys or paper', (account) => {
      expect(accounts([account]).problems).toEqual([
        'ACCOUNTS: account "a" (binance) needs apiKey and secret, or paper: true',
      ]);
    });

    it('when two accounts share an id, then the duplicate is named', () => {
      expect(
        accounts([
          { id: 'x', exchange: 'paper' },
          { id: 'x', exchange: 'paper' },
        ]).problems,
      ).toEqual(['ACCOUNTS: account id "x" is used twice']);
    });

    it('when an account has an unknown field, then the field is named with the account index', () => {
      const { problems } = accounts([
        { id: 'a', exchange: 'paper' },
        { id: 'b', exchange: 'paper', apikey: 'k' },
      ]);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^ACCOUNTS\[1\]: /);
      expect(problems[0]).toContain('"apikey"');
    });

    it.each([
      [
        'id with a blank',
        { id: 'a b', exchange: 'paper' },
        'ACCOUNTS[0][id]: use 1-32 characters of A-Z a-z 0-9 _ -',
      ],
      ['id too long', { id: 'a'.repeat(33), exchange: 'paper' }, 'ACCOUNTS[0][id]: use 1-32 characters'],
      ['no exchange', { id: 'a' }, 'ACCOUNTS[0][exchange]'],
      ['empty exchange', { id: 'a', exchange: '' }, 'ACCOUNTS[0][exchange]'],
      ['sandbox as a string', { id: 'a', exchange: 'paper', sandbox: 'true' }, 'ACCOUNTS[0][sandbox]'],
      ['maxOrderCost 0', { id: 'a', exchange: 'paper', maxOrderCost: 0 }, 'ACCOUNTS[0][maxOrderCost]'],
      [
        'unknown defaultType',
        { id: 'a', exchange: 'paper', defaultType: 'future' },
        'ACCOUNTS[0][defaultType]',
      ],
      ['symbols not an array', { id: 'a', exchange: 'paper', symbols: 'BTCUSDT' }, 'ACCOUNTS[0][symbols]'],
    ])('when an account has %s, then the problem starts with the field path', (_name, account, start) => {
      const { problems } = accounts([account]);
      expect(problems).toHaveLength(1);
      expect(problems[0].startsWith(start)).toBe(true);
    });

    it.each([
      ['an empty array', [], 'ACCOUNTS: at least one account is required'],
      ['an object instead of an array', { id: 'a', exchange: 'paper' }, 'ACCOUNTS: '],
    ])('when ACCOUNTS is %s, then it is refused', (_name, list, start) => {
      const { accounts: found, problems } = accounts(list);
      expect(found).toEqual([]);
      expect(problems).toHaveLength(1);
      expect(problems[0].startsWith(start)).toBe(true);
    });

    it('when ACCOUNTS is not JSON, then the problem says so without echoing it', () => {
      const { problems } = loadAccounts({ ...NONE, ACCOUNTS: `[{"id":"a","apiKey":${SECRET_VALUE}}]` });
      expect(problems).toEqual(['ACCOUNTS: not valid JSON (expected an array of accounts)']);
    });

    it('when an account holding secrets is invalid, then no problem echoes a secret value', () => {
      const { problems } = accounts([
        { id: 'a', exchange: 'binance', apiKey: SECRET_VALUE, secret: 42, password: { v: SECRET_VALUE } },
        { id: 'b', exchange: 'binance', apiKey: SECRET_VALUE, passwrd: SECRET_VALUE },
      ]);
      expect(problems.length).toBeGreaterThanOrEqual(3);
      expect(problems.join('\n')).not.toContain(SECRET_VALUE);
    });

    it('when ACCOUNTS and ACCOUNTS_FILE are both set, then the one problem says to use one', () => {
      expect(loadAccounts({ ...NONE, ACCOUNTS: '[]', ACCOUNTS_FILE: '/x.json' })).toEqual({
        accounts: [],
        problems: ['ACCOUNTS and ACCOUNTS_FILE are both set: use one of them'],
      });
    });
  });

  describe('ACCOUNTS_FILE', () => {
    it('when the file holds an accounts array, then it is read', () => {
      const file = dir.path('accounts.json');
      writeFileSync(
        file,
        JSON.stringify([{ id: 'from-file', exchange: 'kraken', apiKey: 'k', secret: 's' }]),
      );
      const { accounts: list, problems } = loadAccounts({ ...NONE, ACCOUNTS_FILE: file });
      expect(problems).toEqual([]);
      expect(list).toEqual([expect.objectContaining({ id: 'from-file', exchange: 'kraken', apiKey: 'k' })]);
    });

    it('when the file holds an invalid account, then the problem names the file and the field', () => {
      const file = dir.path('bad-account.json');
      writeFileSync(file, JSON.stringify([{ id: 'a', exchange: 'paper', extra: 1 }]));
      const { problems } = loadAccounts({ ...NONE, ACCOUNTS_FILE: file });
      expect(problems).toEqual([
        expect.stringMatching(new RegExp(`^ACCOUNTS_FILE \\(${file}\\)\\[0\\]: .*"extra"`)),
      ]);
    });

    it('when the file does not exist, then the problem names the file', () => {
      const file = dir.path('missing.json');
      const { problems } = loadAccounts({ ...NONE, ACCOUNTS_FILE: file });
      expect(problems).toEqual([expect.stringContaining(`ACCOUNTS_FILE (${file}): cannot read a JSON file`)]);
    });

    it('when the file is not JSON, then the problem names the file', () => {
      const file = dir.path('not-json.json');
      writeFileSync(file, 'id: a\nexchange: paper\n');
      const { accounts: list, problems } = loadAccounts({ ...NONE, ACCOUNTS_FILE: file });
      expect(list).toEqual([]);
      expect(problems).toEqual([expect.stringContaining(`ACCOUNTS_FILE (${file})`)]);
    });

    // Regression guard: a JSON syntax error's message from V8 quotes the text around the error, so a malformed
    // accounts file leaks part of an API key or secret into the ConfigError (and the start-up log).
    it('when the file is malformed JSON around a secret, then the problem does not echo the secret', () => {
      const file = dir.path('leaky.json');
      writeFileSync(file, `[{ "id": "a", "exchange": "binance", "apiKey": ${SECRET_VALUE}, "secret": "x" }]`);
      const { problems } = loadAccounts({ ...NONE, ACCOUNTS_FILE: file });
      expect(problems).toHaveLength(1);
      expect(problems[0]).not.toContain(SECRET_VALUE.slice(0, 8));
    });
  });
});
