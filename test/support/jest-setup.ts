import { allowOnlyLoopback, isLoopback } from './net-guard';
import { Agent } from 'undici';

// Node's http/https (supertest, fetch with nock): nock refuses every host but loopback.
allowOnlyLoopback();

// ccxt 4.5 sends through undici.request on an Agent of its own, which nock cannot see: refuse there too.
const dispatch = Agent.prototype.dispatch;
Agent.prototype.dispatch = function guardedDispatch(this: Agent, options, handler) {
  const host = new URL(String(options.origin)).hostname;
  if (!isLoopback(host))
    throw new Error(`test network guard: ${host} is not loopback; tests never reach a real exchange`);
  return dispatch.call(this, options, handler);
};
