import { allowOnlyLoopback, isLoopback } from './net-guard';
import { Agent } from 'undici';

// Every TCP connection (http, fetch, undici, Redis) refuses every host but loopback.
allowOnlyLoopback();

// ccxt 4.5 sends through undici.request on an Agent of its own: refuse at its dispatcher too, before any
// connection is attempted, naming the exchange host.
const dispatch = Agent.prototype.dispatch;
Agent.prototype.dispatch = function guardedDispatch(this: Agent, options, handler) {
  const host = new URL(String(options.origin)).hostname;
  if (!isLoopback(host))
    throw new Error(`test network guard: ${host} is not loopback; tests never reach a real exchange`);
  return dispatch.call(this, options, handler);
};
