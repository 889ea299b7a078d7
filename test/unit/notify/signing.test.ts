import { Webhook } from 'standardwebhooks';
import { verifyNotification } from '../../../src';
import { SecretCipher } from '../../../src/notify/secret-cipher';
import {
  generateEd25519Secret,
  generateHmacSecret,
  givenSecretProblem,
  publicKeyOf,
  secretHint,
} from '../../../src/notify/secret-material';
import { signatureHeader } from '../../../src/notify/signing';

const body = JSON.stringify({
  id: 'evt_1',
  type: 'signal.filled',
  timestamp: '2026-11-30T14:00:00.000Z',
  data: {},
});
const at = 1_790_000_000;

function headers(signature: string, timestamp = at) {
  return { 'webhook-id': 'evt_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}

describe('signing (Standard Webhooks)', () => {
  it('when signed with a generated whsec_ secret, then the official standardwebhooks package verifies it', () => {
    const secret = generateHmacSecret();
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    const signature = signatureHeader([secret], 'evt_1', at, body);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    jest.useFakeTimers({ now: at * 1000 });
    try {
      expect(new Webhook(secret).verify(body, headers(signature))).toEqual(JSON.parse(body));
      expect(() => new Webhook(generateHmacSecret()).verify(body, headers(signature))).toThrow();
    } finally {
      jest.useRealTimers();
    }
  });

  it('when two secrets sign (rotation window), then a receiver holding either one verifies', () => {
    const [oldSecret, newSecret] = [generateHmacSecret(), generateHmacSecret()];
    const signature = signatureHeader([newSecret, oldSecret], 'evt_1', at, body);
    expect(signature.split(' ')).toHaveLength(2);
    jest.useFakeTimers({ now: at * 1000 });
    try {
      for (const secret of [oldSecret, newSecret])
        expect(new Webhook(secret).verify(body, headers(signature))).toBeTruthy();
    } finally {
      jest.useRealTimers();
    }
  });

  it('when signed with an ed25519 whsk_ key, then v1a verifies with the whpk_ public key only', () => {
    // The standardwebhooks npm package implements v1 (HMAC) only; v1a is checked with node:crypto here.
    const { secret, publicKey } = generateEd25519Secret();
    expect(publicKeyOf(secret)).toBe(publicKey);
    const signature = signatureHeader([secret], 'evt_1', at, body);
    expect(signature).toMatch(/^v1a,/);
    expect(
      verifyNotification({ body, headers: headers(signature), secret: publicKey, now: at * 1000 }),
    ).toMatchObject({
      type: 'signal.filled',
    });
    const other = generateEd25519Secret().publicKey;
    expect(() =>
      verifyNotification({ body, headers: headers(signature), secret: other, now: at * 1000 }),
    ).toThrow('no signature matches');
  });

  it('when the body, the id or the time is changed, then verifyNotification refuses', () => {
    const secret = generateHmacSecret();
    const signature = signatureHeader([secret], 'evt_1', at, body);
    const now = at * 1000;
    expect(verifyNotification({ body, headers: headers(signature), secret, now }).id).toBe('evt_1');
    expect(() =>
      verifyNotification({ body: `${body} `, headers: headers(signature), secret, now }),
    ).toThrow();
    expect(() =>
      verifyNotification({ body, headers: { ...headers(signature), 'webhook-id': 'evt_2' }, secret, now }),
    ).toThrow();
    expect(() =>
      verifyNotification({ body, headers: headers(signature), secret, now: now + 301_000 }),
    ).toThrow('too far');
  });
});

describe('secrets', () => {
  it.each([
    ['whsec_' + Buffer.alloc(24, 1).toString('base64'), undefined],
    ['whsec_' + Buffer.alloc(64, 1).toString('base64'), undefined],
    ['whsec_' + Buffer.alloc(23, 1).toString('base64'), 'must hold 24-64 bytes'],
    ['whsec_' + Buffer.alloc(65, 1).toString('base64'), 'must hold 24-64 bytes'],
    ['plain-secret-of-some-length-000000', 'must be whsec_'],
  ])('when a given secret is %s, then the problem is %s', (secret, problem) => {
    const found = givenSecretProblem(secret);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it('when masked, then only whsec_… and the last four characters show', () => {
    const secret = generateHmacSecret();
    expect(secretHint(secret)).toBe(`whsec_…${secret.slice(-4)}`);
  });

  it('when a key is set, then secrets are sealed with AES-256-GCM and open only for their own subscription', () => {
    const cipher = new SecretCipher(Buffer.alloc(32, 7).toString('base64'));
    const sealed = cipher.seal('whsec_topsecret', 'sub_a');
    expect(sealed).not.toContain('topsecret');
    expect(sealed.startsWith('gcm:')).toBe(true);
    expect(cipher.open(sealed, 'sub_a')).toBe('whsec_topsecret');
    expect(() => cipher.open(sealed, 'sub_b')).toThrow('does not decrypt');
    expect(() => new SecretCipher(Buffer.alloc(32, 8).toString('base64')).open(sealed, 'sub_a')).toThrow();
    expect(() => new SecretCipher('').open(sealed, 'sub_a')).toThrow('SUBSCRIPTION_SECRETS_KEY is not set');
  });
});
