import { runTestAlertCli } from '../../../src/cli/test-alert-cli';
import { issueKey } from '../../support/api-keys';
import { type TestApp, countSignalJobs, startTestApp } from '../../support/test-app';

let app: TestApp;
let trader: string;

beforeAll(async () => {
  app = await startTestApp('test-alert-dry-run', {}, { worker: true });
  trader = (await issueKey(app.redis, app.prefix, 'trader')).key;
});
afterAll(() => app.close());

/** Runs the CLI against the live web and worker with the real fetch; returns its exit code and printed lines. */
async function cli(...argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runTestAlertCli(argv, { fetch, out: (line) => out.push(line) });
  return { code, out };
}

/** `--dry-run` of a buy of `quantity` at `price`, with the trader key. */
const dryRun = (quantity: string, price: string) =>
  cli('--url', `${app.url}/webhook`, '--key', trader, '--dry-run', '--quantity', quantity, '--price', price);

describe('npm run test-alert -- --key … --dry-run', () => {
  it('when a trader key asks for a dry run, then the worker’s plan is printed as a table, nothing is queued, and the key is never printed', async () => {
    const jobs = await countSignalJobs(app.redis, app.prefix);
    const { code, out } = await dryRun('0.0012345678', '65000');
    expect({ code, out }).toEqual({
      code: 0,
      out: [
        'POST /api/v1/signals?dryRun=true → 200',
        expect.stringMatching(/^plan: would_place on default \(paper\), BTC\/USDT \(spot\)$/),
        expect.stringMatching(/^ {2}leg +side +type +amount +price +flags +est\. cost$/),
        expect.stringMatching(/^ {2}open +buy +market +0\.00123456 +65000 +– +80\.2464$/),
      ],
    });
    expect(out.join('\n')).not.toContain(trader);
    expect(await countSignalJobs(app.redis, app.prefix)).toBe(jobs);
    expect(await app.redis.keys(`${app.prefix}:signal:*`)).toEqual([]);
  });

  it('when the account cannot pay, then the refusal is printed with its numbers and the exit code is 1', async () => {
    const { code, out } = await dryRun('1000', '65000');
    expect(code).toBe(1);
    expect(out.at(-1)).toMatch(
      // 65 000 000 USDT and the paper exchange's 0.1 % fee on top.
      /^refused: insufficient_balance: the orders need 65065000 USDT \(65000 of it fees\), [\d.]+ USDT is free/,
    );
  });
});
