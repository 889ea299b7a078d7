import { Writable } from 'node:stream';
import { corkPerTurn } from '../../../src/util/cork-per-turn';

/** A stream that records each batch the kernel would get: one `_writev` or `_write` call per syscall. */
function recordingStream() {
  const batches: string[][] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      batches.push([chunk.toString()]);
      done();
    },
    writev(chunks, done) {
      batches.push(chunks.map((c) => String(c.chunk)));
      done();
    },
  });
  return { stream, batches };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('corkPerTurn', () => {
  it('when writes come from several callbacks of one event-loop turn, then they leave together, in order, at its end', async () => {
    const { stream, batches } = recordingStream();
    corkPerTurn(stream);
    // Immediates queued together run in one check phase: three callbacks, one turn. (Three `setTimeout(…, 0)`
    // were not: on a loaded machine the clock can tick between them and split them over two turns.)
    const seenInTheTurn = await new Promise<string[][]>((resolve) => {
      for (const line of ['a', 'b', 'c']) setImmediate(() => stream.write(line));
      setImmediate(() => resolve(batches.map((b) => [...b])));
    });
    expect(seenInTheTurn).toEqual([]);
    await nextTurn();
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it('when writes come in different turns, then each turn has its own batch', async () => {
    const { stream, batches } = recordingStream();
    corkPerTurn(stream);
    stream.write('1');
    await nextTurn();
    stream.write('2');
    stream.write('3');
    await nextTurn();
    expect(batches).toEqual([['1'], ['2', '3']]);
  });

  it('when installed twice, then the stream is wrapped once', async () => {
    const { stream, batches } = recordingStream();
    corkPerTurn(stream);
    const wrapped = stream.write;
    corkPerTurn(stream);
    expect(stream.write).toBe(wrapped);
    stream.write('x');
    await nextTurn();
    expect(batches).toEqual([['x']]);
  });

  it('when the process exits with lines still corked, then they are written out', () => {
    const { stream, batches } = recordingStream();
    const before = process.listeners('exit');
    corkPerTurn(stream, { flushOnExit: true });
    const added = process.listeners('exit').filter((l) => !before.includes(l));
    try {
      expect(added).toHaveLength(1);
      stream.write('last words');
      expect(batches).toEqual([]);
      (added[0] as () => void)();
      expect(batches).toEqual([['last words']]);
    } finally {
      for (const listener of added) process.off('exit', listener);
    }
  });
});
