import { Agent, request } from 'node:http';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { secretKey, sign } from '../src/intake/hmac';
import { clockMs, sleep } from './engine-clock';
import type { SenderAnswer, SenderCommand, SenderOptions, SentAlert } from './engine-sender';
import { serveCommands } from './engine-thread';

/** Runs in its own thread (see engine-sender.ts). */
async function main(options: SenderOptions): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('engine-sender-thread must run in a worker thread');
  const url = new URL(options.url);
  const key = secretKey(options.secret);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let n = 0;

  const send = (index: number, bodyIndex: number, body: string): Promise<SentAlert> => {
    const id = `msg_${options.tag}_${++n}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': sign(key, id, timestamp, body),
    };
    return new Promise<SentAlert>((resolve) => {
      const sentAt = clockMs();
      const done = (status: number, text: string, error?: string) => {
        let signalId = '';
        try {
          signalId = String((JSON.parse(text) as { id?: unknown }).id ?? '');
        } catch {
          // not JSON: no id
        }
        resolve({ index, body: bodyIndex, sentAt, answeredAt: clockMs(), status, signalId, error });
      };
      const req = request(
        { agent, host: url.hostname, port: url.port, path: '/webhook', method: 'POST', headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
          res.on('error', (e) => done(res.statusCode ?? 0, '', e.message));
        },
      );
      req.on('error', (e) => done(0, '', e.message));
      req.end(body);
    });
  };

  const paced = async (rate: number, sequence: number[], bodies: string[]): Promise<SenderAnswer> => {
    const interval = 1000 / rate;
    const startedAt = clockMs() + 5;
    const pending: Promise<SentAlert>[] = [];
    for (let k = 0; k < sequence.length; k++) {
      const wait = startedAt + k * interval - clockMs();
      if (wait > 0.5) await sleep(wait);
      pending.push(send(k, sequence[k], bodies[sequence[k]]));
    }
    const sent = await Promise.all(pending);
    return { sent, startedAt, endedAt: clockMs() };
  };

  const burst = async (concurrency: number, sequence: number[], bodies: string[]): Promise<SenderAnswer> => {
    const sent: SentAlert[] = [];
    const startedAt = clockMs();
    let next = 0;
    const lane = async () => {
      while (next < sequence.length) {
        const k = next++;
        sent.push(await send(k, sequence[k], bodies[sequence[k]]));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    return { sent: sent.sort((a, b) => a.index - b.index), startedAt, endedAt: clockMs() };
  };

  port.postMessage({ ok: true, answer: { ready: true } });
  serveCommands<SenderCommand, SenderAnswer>(port, async (command) => {
    switch (command.type) {
      case 'paced':
        return paced(command.rate, command.sequence, command.bodies);
      case 'burst':
        return burst(command.concurrency, command.sequence, command.bodies);
      case 'close':
        agent.destroy();
        setImmediate(() => port.close());
        return { closed: true };
    }
  });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  main(workerData as SenderOptions).catch((error: Error) =>
    port.postMessage({ ok: false, message: error.stack ?? error.message }),
  );
}
