import { createHmac } from 'node:crypto';
import { type SignatureHeaders, secretKey, sign, verifySignature } from '../../../src/intake/hmac';

// The Standard Webhooks specification's test vector, as used by its reference JavaScript library
// (standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts, "sign function works").
// Recomputed independently below with node:crypto before being relied on.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const RAW_SECRET = 'a plain shared secret, used as UTF-8';
const ID = 'msg_2Kq9';
const TS = '1714564800';
const BODY = Buffer.from('{"symbol":"BTCUSDT","action":"buy","quantity":"0.01"}');

const headersFor = (signature: string, id = ID, timestamp = TS): SignatureHeaders => ({
  id,
  timestamp,
  signature,
});

describe('the Standard Webhooks test vector', () => {
  it('when recomputed with node:crypto, then the published signature is what HMAC-SHA256 gives', () => {
    const key = Buffer.from(VECTOR.secret.slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key)
      .update(`${VECTOR.id}.${VECTOR.timestamp}.${VECTOR.body}`)
      .digest('base64');
    expect(`v1,${mac}`).toBe(VECTOR.signature);
  });

  it('when signed with the whsec_ secret, then sign() reproduces the published signature', () => {
    expect(sign(secretKey(VECTOR.secret), VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('when verified with the whsec_ secret, then the published signature passes', () => {
    const headers = { id: VECTOR.id, timestamp: VECTOR.timestamp, signature: VECTOR.signature };
    expect(verifySignature([secretKey(VECTOR.secret)], headers, Buffer.from(VECTOR.body))).toBeUndefined();
  });

  it('when the same characters are given without whsec_, then they are a raw UTF-8 secret and do not match', () => {
    // Unlike the reference library (which base64-decodes unprefixed secrets too), tradehook reads an
    // unprefixed secret as its UTF-8 bytes (docs/contract.md "Intake"), so the prefix matters.
    const headers = { id: VECTOR.id, timestamp: VECTOR.timestamp, signature: VECTOR.signature };
    const raw = secretKey(VECTOR.secret.slice('whsec_'.length));
    expect(verifySignature([raw], headers, Buffer.from(VECTOR.body))).toBe('bad_signature');
  });
});

describe('secretKey', () => {
  it('when the secret starts with whsec_, then its key is the base64-decoded remainder', () => {
    expect(secretKey('whsec_AAECAwQFBgcICQoLDA0ODw==')).toEqual(Buffer.from([...Array(16).keys()]));
  });

  it('when the secret has no whsec_ prefix, then its key is the UTF-8 bytes of the whole string', () => {
    expect(secretKey('sécret')).toEqual(Buffer.from('sécret', 'utf8'));
  });
});

describe('sign and verifySignature', () => {
  const rawKey = secretKey(RAW_SECRET);
  const b64Key = secretKey(VECTOR.secret);

  it.each([
    ['a raw string secret', rawKey],
    ['a whsec_ base64 secret', b64Key],
  ])('when a body is signed with %s, then it verifies with the same key', (_name, key) => {
    expect(verifySignature([key], headersFor(sign(key, ID, TS, BODY)), BODY)).toBeUndefined();
  });

  it('when the body is signed as a string or as a Buffer, then the signatures are the same', () => {
    expect(sign(rawKey, ID, TS, BODY.toString('utf8'))).toBe(sign(rawKey, ID, TS, BODY));
  });

  it('when the signature is v1 and base64 of a 32-byte HMAC, then its format is as the spec says', () => {
    const signature = sign(rawKey, ID, TS, BODY);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(signature.slice(3), 'base64')).toHaveLength(32);
  });

  it('when the secret is wrong, then it fails as bad_signature', () => {
    const signature = sign(secretKey('another secret'), ID, TS, BODY);
    expect(verifySignature([rawKey], headersFor(signature), BODY)).toBe('bad_signature');
  });

  it('when no key is configured, then nothing verifies', () => {
    expect(verifySignature([], headersFor(sign(rawKey, ID, TS, BODY)), BODY)).toBe('bad_signature');
  });

  it.each([
    ['one byte of the body changed', Buffer.from(BODY.toString().replace('0.01', '0.02'))],
    ['a byte appended', Buffer.concat([BODY, Buffer.from('\n')])],
    [
      'the same JSON re-serialised with other whitespace',
      Buffer.from(JSON.stringify(JSON.parse(BODY.toString()), null, 2)),
    ],
    [
      'the same JSON with keys reordered',
      Buffer.from('{"action":"buy","symbol":"BTCUSDT","quantity":"0.01"}'),
    ],
  ])('when the body has %s, then it fails as bad_signature', (_name, body) => {
    expect(body.equals(BODY)).toBe(false);
    expect(verifySignature([rawKey], headersFor(sign(rawKey, ID, TS, BODY)), body)).toBe('bad_signature');
  });

  it('when the webhook-id is changed, then the signature no longer matches', () => {
    const signature = sign(rawKey, ID, TS, BODY);
    expect(verifySignature([rawKey], headersFor(signature, 'msg_other'), BODY)).toBe('bad_signature');
  });

  it('when the timestamp is changed, then the signature no longer matches', () => {
    const signature = sign(rawKey, ID, TS, BODY);
    expect(verifySignature([rawKey], headersFor(signature, ID, '1714564801'), BODY)).toBe('bad_signature');
  });

  describe('several signatures in one header', () => {
    const valid = () => sign(rawKey, ID, TS, BODY);
    const wrong = sign(secretKey('stale'), ID, TS, BODY);

    it.each([
      ['first', () => `${valid()} ${wrong}`],
      ['last', () => `${wrong} ${wrong} ${valid()}`],
      ['between other versions', () => `v1a,bm90LWVkMjU1MTk= ${valid()} v2,${wrong.slice(3)}`],
      ['separated by several blanks', () => `  ${wrong}   ${valid()}  `],
    ])('when the one valid signature comes %s, then it passes', (_name, header) => {
      expect(verifySignature([rawKey], headersFor(header()), BODY)).toBeUndefined();
    });

    it('when none of several signatures is valid, then it fails as bad_signature', () => {
      expect(verifySignature([rawKey], headersFor(`${wrong} ${wrong}`), BODY)).toBe('bad_signature');
    });
  });

  describe('several secrets (rotation)', () => {
    const oldKey = secretKey('old secret');
    const newKey = secretKey(VECTOR.secret);
    const keys = [oldKey, newKey];

    it.each([
      ['the old secret', oldKey],
      ['the new secret', newKey],
    ])('when the sender still signs with %s, then it passes', (_name, key) => {
      expect(verifySignature(keys, headersFor(sign(key, ID, TS, BODY)), BODY)).toBeUndefined();
    });

    it('when the sender signs with a secret that was rotated out, then it fails', () => {
      const retired = secretKey('retired secret');
      expect(verifySignature(keys, headersFor(sign(retired, ID, TS, BODY)), BODY)).toBe('bad_signature');
    });
  });

  describe('missing or garbled headers', () => {
    const signature = sign(rawKey, ID, TS, BODY);

    it.each([
      ['webhook-id', { timestamp: TS, signature }],
      ['webhook-timestamp', { id: ID, signature }],
      ['webhook-signature', { id: ID, timestamp: TS }],
      ['all three', {}],
      ['webhook-id (empty)', { id: '', timestamp: TS, signature }],
    ])('when %s is missing, then it fails as missing_headers', (_name, headers) => {
      expect(verifySignature([rawKey], headers, BODY)).toBe('missing_headers');
    });

    it.each([
      ['not a number', 'yesterday'],
      ['negative', '-1714564800'],
      ['fractional', '1714564800.5'],
      ['in milliseconds (13 digits)', '1714564800000'],
      ['padded with blanks', ' 1714564800'],
      ['ISO-8601', '2024-05-01T12:00:00Z'],
    ])('when the timestamp is %s, then it fails as malformed_timestamp', (_name, timestamp) => {
      expect(verifySignature([rawKey], headersFor(signature, ID, timestamp), BODY)).toBe(
        'malformed_timestamp',
      );
    });

    it.each([
      ['the base64 alone, without "v1,"', signature.slice(3)],
      ['another version only (v1a)', `v1a,${signature.slice(3)}`],
      ['another version only (v2)', `v2,${signature.slice(3)}`],
      ['"v1," with nothing after it', 'v1,'],
      ['not base64', 'v1,not*base64!'],
      ['base64 with a blank inside', `v1,${signature.slice(3, 10)}`.concat(' ', signature.slice(10))],
      ['an upper-case version', `V1,${signature.slice(3)}`],
    ])('when the signature is %s, then it fails without passing', (_name, header) => {
      expect(verifySignature([rawKey], headersFor(header), BODY)).toMatch(
        /^(malformed_signature|bad_signature)$/,
      );
    });

    it.each([
      ['the base64 alone, without "v1,"', signature.slice(3)],
      ['another version only (v1a)', `v1a,${signature.slice(3)}`],
      ['"v1," with nothing after it', 'v1,'],
      ['not base64', 'v1,not*base64!'],
    ])('when the signature is %s, then the reason is malformed_signature', (_name, header) => {
      expect(verifySignature([rawKey], headersFor(header), BODY)).toBe('malformed_signature');
    });

    it('when the signature is valid base64 of the wrong length, then it fails as bad_signature', () => {
      const short = `v1,${Buffer.from('sixteen bytes!!!').toString('base64')}`;
      expect(verifySignature([rawKey], headersFor(short), BODY)).toBe('bad_signature');
    });
  });
});
