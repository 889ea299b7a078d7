import { createHash } from 'node:crypto';
import { bodyDigest, signalIdFromNonce } from '../../../src/signals/signal-id';

describe('signalIdFromNonce', () => {
  it('when the same nonce is given twice, then the same id comes back (stable across resends)', () => {
    expect(signalIdFromNonce('msg_p5jXN8AQM9LWM0D4loKWxJek')).toBe(
      signalIdFromNonce('msg_p5jXN8AQM9LWM0D4loKWxJek'),
    );
  });

  it('when the nonce is known, then the id is sig_ and the first 24 hex digits of its SHA-256', () => {
    const hex = createHash('sha256').update('order-7').digest('hex');
    expect(signalIdFromNonce('order-7')).toBe(`sig_${hex.slice(0, 24)}`);
  });

  it.each(['a', 'b', 'msg_1', 'msg_2', 'order-1-2024-05-01T12:00:00Z', 'order-1-2024-05-01T12:00:01Z'])(
    'when the nonce is %j, then the id is a 28-character BullMQ-safe id',
    (nonce) => {
      const id = signalIdFromNonce(nonce);
      expect(id).toMatch(/^sig_[0-9a-f]{24}$/);
      expect(id).toHaveLength(28);
      // BullMQ reserves ':' as its key separator and refuses integer-looking custom job ids.
      expect(id).not.toContain(':');
      expect(Number.isInteger(Number(id))).toBe(false);
    },
  );

  it('when nonces hold colons (webhook-id or TradingView ids), then the id still holds none', () => {
    expect(signalIdFromNonce('BINANCE:BTCUSDT:2024-05-01T12:00:00Z')).not.toContain(':');
  });

  it('when nonces differ, even by one character, then the ids differ', () => {
    const nonces = Array.from({ length: 500 }, (_, i) => `msg_${i}`);
    const ids = new Set(nonces.map(signalIdFromNonce));
    expect(ids.size).toBe(nonces.length);
    expect(signalIdFromNonce('msg_a')).not.toBe(signalIdFromNonce('msg_b'));
  });
});

describe('bodyDigest', () => {
  it('when the body is known, then the digest is its SHA-256 in hex', () => {
    expect(bodyDigest(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('when bodies differ only in whitespace, then their digests differ (the raw bytes are hashed)', () => {
    expect(bodyDigest(Buffer.from('{"a":1}'))).not.toBe(bodyDigest(Buffer.from('{ "a": 1 }')));
  });
});
