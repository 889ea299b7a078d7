import nock from 'nock';

// No test may reach the internet: only loopback (Redis, the app under test, local fake exchanges).
const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\]|::1)$/;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/**
 * nock refuses every host but loopback. nock's interception outlives a test file (Jest shares Node's http
 * between files of a worker), so a file that narrows it further must call this again when it is done.
 */
export function allowOnlyLoopback(): void {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => isLoopback(host.replace(/:\d+$/, '')));
}
