import { Semaphore } from '../../../src/util/semaphore';

describe('Semaphore', () => {
  it('when more callers than slots arrive, then at most `limit` run at once and the rest run in arrival order', async () => {
    const sem = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (n: number) =>
      sem.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        order.push(n);
        running -= 1;
      });
    await Promise.all([1, 2, 3, 4, 5].map(task));
    expect(peak).toBe(2);
    expect(order.slice(2)).toEqual([3, 4, 5]);
  });

  it('when a holder throws, then its slot is released', async () => {
    const sem = new Semaphore(1);
    await expect(sem.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(sem.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('when the limit is not a whole number ≥ 1, then it refuses', () => {
    expect(() => new Semaphore(0)).toThrow();
  });
});
