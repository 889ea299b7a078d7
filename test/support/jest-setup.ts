import nock from 'nock';
import { Agent } from 'undici';

// No test may reach the internet: only loopback (Redis, the app under test, local fake exchanges).
const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\]|::1)$/;

// Node's http/https (supertest, fetch with nock): nock refuses every other host.
nock.disableNetConnect();
nock.enableNetConnect((host) => LOOPBACK.test(host.replace(/:\d+$/, '')));

// ccxt 4.5 sends through undici.request on an Agent of its own, which nock cannot see: refuse there too.
const dispatch = Agent.prototype.dispatch;
Agent.prototype.dispatch = function guardedDispatch(this: Agent, options, handler) {
  const host = new URL(String(options.origin)).hostname;
  if (!LOOPBACK.test(host))
    throw new Error(`test network guard: ${host} is not loopback; tests never reach a real exchange`);
  return dispatch.call(this, options, handler);
};
