import { type Redis } from 'ioredis';
import { type DryRunAnswer, type DryRunRequest } from '../../dryrun/dry-run-answer';
import { signalIdOf } from '../../intake/intake-body';
import { type AcceptRequest, type IntakeResponse } from '../../intake/intake-service';
import { type AlertObservation } from '../../observability/metrics-web';
import { type RedisKeys } from '../../redis/keys';
import { parseAlert } from '../../signals/alert-schema';
import { REDIS_RETRY_AFTER_SECONDS } from '../api-error';
import { type ApiRoute, type RouteResult, defineRoute } from '../route';
import {
  dryRunAnswerSchema,
  submitBodySchema,
  submitQuerySchema,
  submittedSchema,
} from './signal-submit-schemas';

/** The webhook's acceptance (claim, validate, queue, record), as the API calls it: src/intake/intake-service.ts. */
export interface SignalIntake {
  accept(input: AcceptRequest): Promise<IntakeResponse>;
}

/** Asks a worker to plan an alert (src/dryrun/dry-run-client.ts); throws `worker_unavailable`. */
export interface DryRunner {
  run(request: Omit<DryRunRequest, 'deadline'>): Promise<DryRunAnswer>;
}

export interface SignalSubmitOptions {
  intake: SignalIntake;
  dryRun: DryRunner;
  /** Configured account ids; the first is the default (as the intake's). */
  accounts: string[];
  redis: Redis;
  keys: RedisKeys;
  /** Counts the answer with the webhook's alerts (`/metrics`). */
  observeAlert?: (observation: AlertObservation) => void;
}

/**
 * `POST /signals` (trader): the webhook's intake for scripts holding an API key — same validation, nonce,
 * queue and record, `auth: 'api'` — and, with `dryRun=true`, the plan a worker makes against the live
 * account, placing and recording nothing.
 */
export function signalSubmitRoute(options: SignalSubmitOptions): ApiRoute {
  return defineRoute({
    method: 'post',
    path: '/signals',
    operationId: 'submitSignal',
    summary: 'Send an alert as the webhook would (or plan it with `dryRun=true`)',
    description:
      'The webhook’s intake for scripts holding a trader key: the same alert schema and validation (`400 ' +
      'invalid_signal` with `issues`), idempotent by the alert’s `id` (a resend answers `200 duplicate` and ' +
      'queues nothing), recorded with `auth: "api"`. With `dryRun=true` a worker plans the alert against the ' +
      'live markets, balances and positions and answers the orders it would send — placing nothing and ' +
      'recording no signal (audited as `signal.dry_run`); `503 worker_unavailable` when no worker answers ' +
      'within 10 s.',
    tags: ['signals'],
    access: 'trader',
    query: submitQuerySchema,
    body: submitBodySchema,
    responses: {
      202: { description: 'Queued.', schema: submittedSchema },
      200: {
        description: 'A duplicate (`status: "duplicate"`), or the dry run’s plan.',
        schema: submittedSchema.or(dryRunAnswerSchema),
      },
      503: {
        description:
          '`unavailable`: Redis cannot take the alert; `worker_unavailable`: no worker answered the dry run.',
      },
    },
    audit: { action: 'signal.submit' },
    async handler({ query, body, requestId }) {
      const rawBody = Buffer.from(JSON.stringify(body));
      const signalId = signalIdOf({ body, rawBody });
      if (query.dryRun) return dryRun(options, body, signalId, requestId);
      // The nonce remembers an id for the timestamp window only; the record, for the history's retention: a
      // resend after the window is still the same signal, and must not rewrite its record.
      // Redis down: the intake answers its own 503 below.
      const recorded = await options.redis.exists(options.keys.signal(signalId)).catch(() => 0);
      if (recorded === 1) {
        options.observeAlert?.({ outcome: 'duplicate' });
        return submitted({
          status: 200,
          outcome: 'duplicate',
          signalId,
          body: { id: signalId, status: 'duplicate' },
        });
      }
      const response = await options.intake.accept({ body, rawBody, auth: 'api', requestId });
      options.observeAlert?.(response);
      return submitted(response);
    },
  });
}

/** A 503 (Redis, or no worker for a dry run) says when to try again, as every management route's does. */
const RETRY_LATER = { 'Retry-After': String(REDIS_RETRY_AFTER_SECONDS) };

function submitted(response: IntakeResponse): RouteResult {
  return {
    status: response.status,
    body: response.body,
    ...(response.status === 503 ? { headers: RETRY_LATER } : {}),
    ...(response.signalId ? { audit: { target: `signal:${response.signalId}` } } : {}),
  };
}

async function dryRun(
  options: SignalSubmitOptions,
  body: Record<string, unknown>,
  signalId: string,
  requestId: string,
): Promise<RouteResult> {
  const audit = { action: 'signal.dry_run', target: `signal:${signalId}` };
  const parsed = parseAlert(body, { defaultAccount: options.accounts[0], accounts: options.accounts });
  if (!parsed.ok) return { status: 400, body: { error: 'invalid_signal', issues: parsed.issues }, audit };
  try {
    const answer = await options.dryRun.run({ signalId, alert: parsed.alert, requestId });
    return { status: 200, body: answer, audit };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'worker_unavailable' && code !== 'unavailable') throw error;
    return {
      status: 503,
      body: { error: code, message: (error as Error).message },
      headers: RETRY_LATER,
      audit,
    };
  }
}
