/**
 * Self time of a `--cpu-prof` profile by category (issue 7's breakdown), idle excluded:
 *
 *     npx tsx bench/cpu-profile-summary.ts /tmp/prof/CPU.*.cpuprofile [fromMs toMs]
 *
 * `fromMs`/`toMs` cut a window out of the profile (ms since its start), e.g. the burst alone.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const CATEGORIES: Array<[string, RegExp]> = [
  ['garbage collection', /^\(garbage collector\)$/],
  [
    'Node HTTP and net',
    /^node:(_http|http|net|internal\/(http|streams|stream_base|timers|net|process\/task_queues|async_hooks|event_target|url|errors|dns|tty))/,
  ],
  ['Node other', /^node:/],
  [
    'Express and middleware',
    /node_modules\/(express|router|body-parser|helmet|cookie|finalhandler|send|serve-static|path-to-regexp|on-finished|qs|type-is|raw-body|content-type|mime|express-rate-limit|depd|debug|parseurl|proxy-addr|forwarded|accepts|negotiator|vary|etag|fresh|range-parser|iconv-lite|statuses|encodeurl|escape-html)\//,
  ],
  [
    'ioredis',
    /node_modules\/(ioredis|redis-parser|redis-errors|standard-as-callback|cluster-key-slot|denque)\//,
  ],
  ['BullMQ (+msgpackr)', /node_modules\/(bullmq|msgpackr|cron-parser|uuid)\//],
  ['zod', /node_modules\/zod\//],
  [
    'logger (pino)',
    /node_modules\/(pino|sonic-boom|thread-stream|fast-redact|quick-format-unescaped|on-exit-leak-free|atomic-sleep)\//,
  ],
  ['prom-client', /node_modules\/(prom-client|tdigest|bintrees)\//],
  ['other dependencies', /node_modules\//],
  ['tradehook', /\/(dist|src)\//],
];

function category(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  const subject = url === '' ? `(${functionName.replace(/[()]/g, '')})` : url;
  if (subject === '(idle)') return 'idle';
  for (const [name, pattern] of CATEGORIES) if (pattern.test(subject)) return name;
  if (url === '') return `V8 ${functionName}`;
  return 'other';
}

const [file, from, to] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const fromUs = from === undefined ? -Infinity : Number(from) * 1000;
const toUs = to === undefined ? Infinity : Number(to) * 1000;
const totals = new Map<string, number>();
let t = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i];
  if (t < fromUs || t > toUs) continue;
  const name = category(byId.get(profile.samples[i])!);
  totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
}
totals.delete('idle');
const busy = [...totals.values()].reduce((a, b) => a + b, 0);
console.log(`busy ${(busy / 1000).toFixed(0)} ms`);
for (const [name, us] of [...totals].sort((a, b) => b[1] - a[1]))
  console.log(`${((100 * us) / busy).toFixed(1).padStart(5)} %  ${name}`);
