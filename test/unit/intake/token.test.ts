import { makeTokenChecker } from '../../../src/intake/token';

describe('makeTokenChecker', () => {
  it('when the presented token equals the configured one, then it matches', () => {
    expect(makeTokenChecker(['s3cret-token'])('s3cret-token')).toBe(true);
  });

  it.each([
    ['a different token', 'other-token'],
    ['a prefix of it (shorter)', 's3cret'],
    ['it with a suffix (longer)', 's3cret-token-and-more'],
    ['it in another case', 'S3CRET-TOKEN'],
    ['it with blanks around', ' s3cret-token '],
    ['an empty string', ''],
  ])('when the presented token is %s, then it does not match', (_name, presented) => {
    expect(makeTokenChecker(['s3cret-token'])(presented)).toBe(false);
  });

  it.each(['first-token', 'second-token-which-is-much-longer', 'x'])(
    'when several tokens are configured and %j is presented, then it matches',
    (presented) => {
      expect(makeTokenChecker(['first-token', 'second-token-which-is-much-longer', 'x'])(presented)).toBe(
        true,
      );
    },
  );

  it('when several tokens are configured and none is presented, then it does not match', () => {
    expect(makeTokenChecker(['first-token', 'second-token'])('third-token')).toBe(false);
  });

  it('when no token is configured, then nothing matches', () => {
    const check = makeTokenChecker([]);
    expect(check('')).toBe(false);
    expect(check('anything')).toBe(false);
  });

  it('when a token holds non-ASCII characters, then it is compared by its UTF-8 bytes', () => {
    const check = makeTokenChecker(['clé-🔑']);
    expect(check('clé-🔑')).toBe(true);
    expect(check('cle-🔑')).toBe(false);
  });
});
