// Writes tradehook.postman_collection.json and tradehook.postman_environment.json from this file:
// `node postman/build.mjs`. The JSON files are committed (import them into Postman); a test fails when
// they differ from what this script writes, so edit here, not in the JSON.
/* global URL, process */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (name) => fileURLToPath(new URL(name, import.meta.url));

/** A script body from a function's source: Postman wants an array of lines. */
const lines = (fn) => {
  const source = fn.toString();
  const body = source.slice(source.indexOf('{') + 1, source.lastIndexOf('}'));
  const rows = body.split('\n');
  const indent = Math.min(...rows.filter((r) => r.trim()).map((r) => r.match(/^ */)[0].length));
  return rows
    .map((r) => r.slice(indent))
    .filter((r) => !r.trim().startsWith('// eslint-'))
    .filter((r, i, all) => !((i === 0 || i === all.length - 1) && !r.trim()));
};
/** A script from a function (its body) or from lines as they are. */
const event = (listen, script) => ({
  listen,
  script: { type: 'text/javascript', exec: Array.isArray(script) ? script : lines(script) },
});

/**
 * A test script of one `pm.test(title)` that checks the status first, then runs `more`: a function's body
 * (copied as text: it runs in Postman's sandbox and sees nothing of this file) or lines.
 */
const expectStatus = (status, title, more = () => {}) => {
  if (/['\\]/.test(title)) throw new Error(`a test title is quoted as is: ${title}`);
  return [
    `pm.test('${title}', () => {`,
    `  pm.response.to.have.status(${status});`,
    ...(Array.isArray(more) ? more : lines(more)).map((line) => (line ? `  ${line}` : line)),
    '});',
  ];
};
/** A test that the answer is 200 `duplicate`, naming the signal kept in the collection variable `variable`. */
const expectDuplicateOf = (variable, title) =>
  expectStatus(200, title, [
    'pm.expect(pm.response.json()).to.eql({',
    `  id: pm.collectionVariables.get('${variable}'),`,
    "  status: 'duplicate',",
    '});',
  ]);

/* eslint-disable no-undef -- the scripts below run in Postman's sandbox (pm, require, setTimeout) */

// Runs before every request. Fresh `timenow` (TradingView's {{timenow}}) and `alertId` for bodies; for a
// request carrying `webhook-signature: {{webhookSignature}}`, a fresh webhook-id and timestamp (unless the
// request names its own) and the Standard Webhooks signature of the body it will send.
function collectionPreRequest() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- Postman's sandbox has require, not import
  const cryptoJs = require('crypto-js');
  pm.variables.set('timenow', new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
  pm.variables.set('alertId', 'pm-' + Date.now() + '-' + Math.floor(Math.random() * 1e9));
  const header = (name) => pm.request.headers.get(name);
  if (header('webhook-signature') !== '{{webhookSignature}}') return;
  if (header('webhook-id') === '{{webhookId}}') {
    pm.variables.set('webhookId', 'msg_' + Date.now() + Math.floor(Math.random() * 1e9));
  }
  if (header('webhook-timestamp') === '{{webhookTimestamp}}') {
    pm.variables.set('webhookTimestamp', String(Math.floor(Date.now() / 1000)));
  }
  const id = pm.variables.replaceIn(header('webhook-id'));
  const timestamp = pm.variables.replaceIn(header('webhook-timestamp'));
  const body = pm.variables.replaceIn(pm.request.body.raw);
  const secret = pm.variables.get('webhookSecret');
  // A whsec_ secret is a base64 key (Standard Webhooks); any other is used as its UTF-8 bytes.
  const key = secret.startsWith('whsec_')
    ? cryptoJs.enc.Base64.parse(secret.slice(6))
    : cryptoJs.enc.Utf8.parse(secret);
  const mac = cryptoJs.HmacSHA256(id + '.' + timestamp + '.' + body, key);
  pm.variables.set('webhookSignature', 'v1,' + cryptoJs.enc.Base64.stringify(mac));
}

const json = { key: 'content-type', value: 'application/json' };
const hmacHeaders = (overrides = {}) => [
  json,
  { key: 'webhook-id', value: overrides.id ?? '{{webhookId}}' },
  { key: 'webhook-timestamp', value: overrides.timestamp ?? '{{webhookTimestamp}}' },
  { key: 'webhook-signature', value: overrides.signature ?? '{{webhookSignature}}' },
];
const bearer = (variable) => ({
  type: 'bearer',
  bearer: [{ key: 'token', value: `{{${variable}}}`, type: 'string' }],
});

const alertFields = `"timestamp": "{{timenow}}",
  "id": "{{alertId}}",
  "account": "{{account}}",
  "symbol": "{{symbol}}",
  "action": "buy",
  "quantity": "0.01",
  "price": "{{price}}"`;

const raw = (text) => ({ mode: 'raw', raw: text, options: { raw: { language: 'json' } } });
const url = (path) => ({
  raw: `{{baseUrl}}${path}`,
  host: ['{{baseUrl}}'],
  path: path.split('/').filter(Boolean),
});

function request(name, { method = 'GET', path, headers = [], body, auth, tests, pre, description }) {
  return {
    name,
    ...(description ? { description } : {}),
    event: [...(pre ? [event('prerequest', pre)] : []), ...(tests ? [event('test', tests)] : [])],
    request: {
      method,
      header: headers,
      ...(body !== undefined ? { body: raw(body) } : {}),
      ...(auth ? { auth } : { auth: { type: 'noauth' } }),
      url: url(path),
    },
  };
}

/** A POST to the webhook (`path`), as JSON unless `headers` say otherwise. */
const postAlert = (name, spec) =>
  request(name, { method: 'POST', path: '/webhook', headers: [json], ...spec });
/** A management API call with the trader key `apiKey`, or the key `key` names; JSON when it has a body. */
const api = (name, { key = 'apiKey', ...spec }) =>
  request(name, { auth: bearer(key), ...(spec.body === undefined ? {} : { headers: [json] }), ...spec });

const alertBody = `{\n  ${alertFields}\n}`;
const tokenAlertBody = `{\n  "token": "{{webhookToken}}",\n  ${alertFields}\n}`;

// ---- webhook, HMAC mode ----
const hmacFolder = {
  name: 'Webhook — HMAC (Standard Webhooks)',
  description:
    'Signed by the collection pre-request script with `webhookSecret` (one of WEBHOOK_SECRETS): a fresh webhook-id and timestamp per request.',
  item: [
    postAlert('Send a signed alert', {
      headers: hmacHeaders(),
      body: alertBody,
      tests: expectStatus(202, '202 queued with a signal id', function () {
        const body = pm.response.json();
        pm.expect(body.status).to.eql('queued');
        pm.expect(body.id).to.match(/^sig_/);
        pm.collectionVariables.set('hmacSignalId', body.id);
        pm.collectionVariables.set('hmacWebhookId', pm.variables.get('webhookId'));
      }),
    }),
  ],
};

// ---- webhook, token mode ----
const tokenFolder = {
  name: 'Webhook — token (TradingView)',
  description: 'What TradingView sends: the token in the body (or the URL path), `{{timenow}}` as timestamp.',
  item: [
    postAlert('Send an alert with the token in the body', {
      body: tokenAlertBody,
      tests: expectStatus(202, '202 queued', function () {
        pm.expect(pm.response.json().status).to.eql('queued');
        pm.collectionVariables.set('signalId', pm.response.json().id);
      }),
    }),
    postAlert('Send an alert with the token in the path', {
      path: '/webhook/{{webhookToken}}',
      body: alertBody,
      tests: expectStatus(202, '202 queued', function () {
        pm.expect(pm.response.json().status).to.eql('queued');
      }),
    }),
  ],
};

// ---- failure cases ----
const failureFolder = {
  name: 'Webhook — failure cases',
  description: 'Each is refused with its documented status and body; nothing is queued.',
  item: [
    postAlert('Bad signature → 401', {
      headers: hmacHeaders({ signature: 'v1,bm90IHRoZSBzaWduYXR1cmU=' }),
      body: alertBody,
      tests: expectStatus(401, '401 unauthorized, no reason given away', function () {
        pm.expect(pm.response.json()).to.eql({ error: 'unauthorized', message: 'authentication failed' });
      }),
    }),
    postAlert('Stale timestamp → 401', {
      // Correctly signed, but in 2023: outside SIGNAL_TOLERANCE_SECONDS.
      headers: hmacHeaders({ timestamp: '1700000000' }),
      body: alertBody,
      tests: expectStatus(401, '401 unauthorized', function () {
        pm.expect(pm.response.json().error).to.eql('unauthorized');
      }),
    }),
    postAlert('Replay of a signed alert → 200 duplicate', {
      // The webhook-id of "Send a signed alert", signed afresh: a replay, not a forgery.
      headers: hmacHeaders({ id: '{{hmacWebhookId}}' }),
      body: alertBody,
      tests: expectDuplicateOf('hmacSignalId', '200 duplicate naming the original signal'),
    }),
    postAlert('Invalid alert → 400 invalid_signal', {
      body: `{\n  "token": "{{webhookToken}}",\n  "timestamp": "{{timenow}}",\n  "id": "{{alertId}}",\n  "symbol": "{{symbol}}",\n  "action": "buy",\n  "quantity": "-1"\n}`,
      tests: expectStatus(400, '400 invalid_signal naming quantity', function () {
        const body = pm.response.json();
        pm.expect(body.error).to.eql('invalid_signal');
        pm.expect(body.issues.map((i) => i.path)).to.include('quantity');
      }),
    }),
    postAlert('Unknown field → 400 naming it', {
      body: `{\n  "token": "{{webhookToken}}",\n  "timestamp": "{{timenow}}",\n  "id": "{{alertId}}",\n  "symbol": "{{symbol}}",\n  "action": "buy",\n  "qty": "0.01"\n}`,
      tests: expectStatus(400, '400 invalid_signal: qty is unknown, did you mean quantity', function () {
        const issue = pm.response.json().issues.find((i) => i.path === 'qty');
        pm.expect(issue.message).to.include('did you mean "quantity"');
      }),
    }),
    postAlert('Not JSON (text/plain) → 400 invalid_json', {
      headers: [{ key: 'content-type', value: 'text/plain' }],
      body: 'buy {{symbol}} now',
      tests: expectStatus(400, '400 invalid_json', function () {
        pm.expect(pm.response.json().error).to.eql('invalid_json');
      }),
    }),
  ],
};

// ---- management API ----
const managementFolder = {
  name: 'Management API',
  description:
    '`adminKey` (ADMIN_API_KEY) creates a trader key; the rest of the folder runs with that key (`apiKey`).',
  item: [
    api('Create a trader key (admin)', {
      method: 'POST',
      path: '/api/v1/keys',
      key: 'adminKey',
      body: '{\n  "name": "postman-{{alertId}}",\n  "role": "trader"\n}',
      tests: expectStatus(201, '201 with the key shown once', function () {
        const body = pm.response.json();
        pm.expect(body.apiKey).to.match(/^th_/);
        pm.expect(body.role).to.eql('trader');
        pm.collectionVariables.set('apiKey', body.apiKey);
        pm.collectionVariables.set('keyId', body.id);
      }),
    }),
    api('List keys (admin)', {
      path: '/api/v1/keys?limit=50',
      key: 'adminKey',
      tests: expectStatus(200, 'the new key is listed, never its secret', function () {
        const body = pm.response.json();
        pm.expect(body).to.have.property('nextCursor');
        const key = body.items.find((k) => k.id === pm.collectionVariables.get('keyId'));
        pm.expect(key.name).to.match(/^postman-/);
        pm.expect(JSON.stringify(body)).not.to.include(pm.collectionVariables.get('apiKey'));
      }),
    }),
    api('The trader key may not list keys → 403', {
      path: '/api/v1/keys',
      tests: expectStatus(403, '403 forbidden', function () {
        pm.expect(pm.response.json().error).to.eql('forbidden');
      }),
    }),
    request('Sign in with the trader key (session)', {
      method: 'POST',
      path: '/api/v1/session',
      headers: [json],
      body: '{\n  "apiKey": "{{apiKey}}"\n}',
      tests: expectStatus(204, '204 with an HttpOnly session cookie', function () {
        pm.expect(pm.response.headers.get('set-cookie')).to.include('HttpOnly');
      }),
    }),
    api('Audit trail (admin)', {
      path: '/api/v1/audit?action=key.create&limit=5',
      key: 'adminKey',
      tests: expectStatus(200, 'the key creation is audited', function () {
        const items = pm.response.json().items;
        pm.expect(items.some((e) => e.target === 'key:' + pm.collectionVariables.get('keyId'))).to.eql(true);
      }),
    }),
  ],
};

// ---- signals and accounts ----
// An alert through the API: no token or timestamp; its id makes a resend a duplicate.
const apiAlertBody = `{\n  "id": "{{apiAlertId}}",\n  "account": "{{account}}",\n  "symbol": "{{symbol}}",\n  "action": "buy",\n  "quantity": "0.01",\n  "price": "{{price}}"\n}`;
const signalsFolder = {
  name: 'Management API — signals and accounts',
  description:
    'With the trader key: the token-mode alert followed to its paper fill, the signal list, accounts, and the kill switch.',
  item: [
    api('Fetch the alert until final (paper fill)', {
      path: '/api/v1/signals/{{signalId}}',
      tests: function () {
        const final = ['filled', 'placed', 'done', 'canceled', 'rejected', 'failed', 'expired'];
        const body = pm.response.json();
        const tries = Number(pm.collectionVariables.get('pollTries') || 0);
        if (pm.response.code === 200 && !final.includes(body.status) && tries < 40) {
          // Not final yet: ask again (newman and the Postman runner both honour setNextRequest).
          pm.collectionVariables.set('pollTries', tries + 1);
          pm.execution.setNextRequest(pm.info.requestName);
          return;
        }
        pm.collectionVariables.set('pollTries', 0);
        pm.test('filled on the paper exchange at the alert price, with its timeline', () => {
          pm.response.to.have.status(200);
          pm.expect(body.status).to.eql('filled');
          pm.expect(body.orders).to.have.lengthOf(1);
          pm.expect(body.orders[0].filled).to.eql(0.01);
          pm.expect(body.orders[0].average).to.eql(Number(pm.variables.get('price')));
          pm.expect(body.timeline.map((e) => e.event)).to.include.members(['received', 'queued', 'finished']);
          pm.expect(JSON.stringify(body)).not.to.include(pm.variables.get('webhookToken'));
        });
      },
      pre: function () {
        // A short pause between polls; the first call goes at once.
        if (Number(pm.collectionVariables.get('pollTries') || 0) > 0) setTimeout(() => {}, 250);
      },
    }),
    api('List filled signals', {
      path: '/api/v1/signals?status=filled&limit=10',
      tests: expectStatus(200, 'the alert is listed', function () {
        const ids = pm.response.json().items.map((i) => i.id);
        pm.expect(ids).to.include(pm.collectionVariables.get('signalId'));
      }),
    }),
    api('Statistics summary (last 24 h)', {
      path: '/api/v1/stats/summary',
      description:
        'Counts by status, alert→order-sent and alert→filled latency p50/p99, slippage p50/p99 (bps), fills, fees and volume. `since`, `until` and `account` narrow it.',
      tests: expectStatus(200, 'the paper fill is counted, with its latency and fee', function () {
        const body = pm.response.json();
        pm.expect(body.counts.filled).to.be.at.least(1);
        pm.expect(body.fills).to.be.at.least(1);
        pm.expect(body.alertToSentMs.count).to.be.at.least(1);
        pm.expect(body.alertToSentMs.p50).to.be.a('number');
        pm.expect(body.resolution).to.be.below(0.1);
      }),
    }),
    api('Execution quality per symbol', {
      path: '/api/v1/stats/execution?groupBy=symbol&bucket=1h',
      description:
        'Per symbol (or `strategy`, `account`) and bucket (`5m`, `1h`, `1d`): the figures of the summary.',
      tests: expectStatus(200, 'the alert’s symbol has a bucket with its fill', function () {
        const group = pm.response.json().groups.find((g) => g.group === pm.variables.get('symbol'));
        pm.expect(group).to.be.an('object');
        pm.expect(group.totals.counts.filled).to.be.at.least(1);
        pm.expect(group.buckets[0].start).to.match(/T\d\d:00:00.000Z$/);
      }),
    }),
    api('Execution quality: a window too long is refused', {
      path: '/api/v1/stats/execution?bucket=5m&since=2020-01-01T00:00:00Z',
      tests: expectStatus(400, '400 names the window limit', function () {
        pm.expect(pm.response.json().error).to.eql('invalid_request');
        pm.expect(pm.response.json().issues[0].message).to.include('at most');
      }),
    }),
    api('Send an alert with the API key (scripts)', {
      method: 'POST',
      path: '/api/v1/signals',
      body: apiAlertBody,
      pre: function () {
        pm.collectionVariables.set(
          'apiAlertId',
          'pm-api-' + Date.now() + '-' + Math.floor(Math.random() * 1e9),
        );
      },
      tests: expectStatus(202, 'queued (202) like the webhook, no token or signature needed', function () {
        pm.expect(pm.response.json().status).to.eql('queued');
        pm.collectionVariables.set('apiSignalId', pm.response.json().id);
      }),
    }),
    api('The same alert again → 200 duplicate', {
      method: 'POST',
      path: '/api/v1/signals',
      body: apiAlertBody,
      tests: expectDuplicateOf('apiSignalId', 'idempotent by the alert id: the first signal, nothing queued'),
    }),
    api('Dry run an alert (places nothing)', {
      method: 'POST',
      path: '/api/v1/signals?dryRun=true',
      body: `{\n  "account": "{{account}}",\n  "symbol": "{{symbol}}",\n  "action": "buy",\n  "quantity": "0.01",\n  "price": "{{price}}"\n}`,
      tests: expectStatus(
        200,
        'the order it would send, planned by the worker on the live account',
        function () {
          const body = pm.response.json();
          pm.expect(body.dryRun).to.eql(true);
          pm.expect(body.outcome).to.eql('would_place');
          pm.expect(body.intents).to.have.lengthOf(1);
          pm.expect(body.intents[0]).to.include({ leg: 'open', side: 'buy', amount: 0.01 });
          pm.expect(body.refusal).to.eql(null);
        },
      ),
    }),
    api('Accounts', {
      path: '/api/v1/accounts',
      tests: expectStatus(200, 'the account is listed, not paused, without any secret', function () {
        const account = pm.response.json().items.find((a) => a.id === pm.variables.get('account'));
        pm.expect(account).to.be.an('object');
        pm.expect(account.paused).to.eql(null);
        pm.expect(JSON.stringify(pm.response.json())).not.to.match(/apiKey|secret/i);
      }),
    }),
    api('Pause the account (kill switch)', {
      method: 'POST',
      path: '/api/v1/accounts/{{account}}/pause',
      tests: expectStatus(200, 'paused', function () {
        pm.expect(pm.response.json().paused).to.be.an('object');
      }),
    }),
    postAlert('An alert while paused', {
      body: tokenAlertBody,
      tests: expectStatus(202, 'still queued (202): the worker refuses it', function () {
        pm.collectionVariables.set('pausedSignalId', pm.response.json().id);
      }),
    }),
    api('Fetch it until final (rejected: paused)', {
      path: '/api/v1/signals/{{pausedSignalId}}',
      tests: function () {
        const body = pm.response.json();
        const tries = Number(pm.collectionVariables.get('pollTries') || 0);
        if (pm.response.code === 200 && ['queued', 'processing'].includes(body.status) && tries < 40) {
          pm.collectionVariables.set('pollTries', tries + 1);
          pm.execution.setNextRequest(pm.info.requestName);
          return;
        }
        pm.collectionVariables.set('pollTries', 0);
        pm.test('rejected with paused, nothing placed', () => {
          pm.expect(body.status).to.eql('rejected');
          pm.expect(body.error.code).to.eql('paused');
          pm.expect(body.orders).to.have.lengthOf(0);
        });
      },
    }),
    api('Resume the account', {
      method: 'POST',
      path: '/api/v1/accounts/{{account}}/resume',
      tests: expectStatus(200, 'resumed', function () {
        pm.expect(pm.response.json().paused).to.eql(null);
      }),
    }),
  ],
};

// ---- notifications ----
const notificationsFolder = {
  name: 'Management API — notifications',
  description:
    'Subscriptions and deliveries with the trader key. `receiverUrl` must reach a receiver that answers 2xx (a public https URL; CI runs a local one).',
  item: [
    api('Create a subscription', {
      method: 'POST',
      path: '/api/v1/subscriptions',
      body: '{\n  "url": "{{receiverUrl}}",\n  "events": ["signal.filled", "signal.failed"],\n  "description": "postman"\n}',
      tests: expectStatus(201, '201 with the signing secret shown once', function () {
        const body = pm.response.json();
        pm.expect(body.secret).to.match(/^whsec_/);
        pm.collectionVariables.set('subscriptionId', body.id);
        pm.collectionVariables.set('subscriptionSecret', body.secret);
      }),
    }),
    api('List subscriptions (secrets masked)', {
      path: '/api/v1/subscriptions',
      tests: expectStatus(200, 'listed, its secret masked', function () {
        const listed = pm.response
          .json()
          .items.find((s) => s.id === pm.collectionVariables.get('subscriptionId'));
        pm.expect(listed.secret).not.to.eql(pm.collectionVariables.get('subscriptionSecret'));
        pm.expect(JSON.stringify(pm.response.json())).not.to.include(
          pm.collectionVariables.get('subscriptionSecret'),
        );
      }),
    }),
    api('Send a test ping', {
      method: 'POST',
      path: '/api/v1/subscriptions/{{subscriptionId}}/test',
      tests: expectStatus(200, 'the receiver got a signed ping', function () {
        const body = pm.response.json();
        pm.expect(body.event).to.eql('ping');
        pm.expect(body.status).to.eql('succeeded');
        pm.expect(body.attempts[0].statusCode).to.be.within(200, 299);
        pm.collectionVariables.set('deliveryId', body.id);
      }),
    }),
    api('List deliveries of the subscription', {
      path: '/api/v1/deliveries?subscriptionId={{subscriptionId}}',
      tests: expectStatus(200, 'the ping is listed', function () {
        const ids = pm.response.json().items.map((d) => d.id);
        pm.expect(ids).to.include(pm.collectionVariables.get('deliveryId'));
      }),
    }),
    api('Get a delivery with its attempts', {
      path: '/api/v1/deliveries/{{deliveryId}}',
      tests: expectStatus(200, 'every attempt with its status code and duration', function () {
        const attempt = pm.response.json().attempts[0];
        pm.expect(attempt).to.have.property('statusCode');
        pm.expect(attempt).to.have.property('durationMs');
      }),
    }),
    api('Delete the subscription', {
      method: 'DELETE',
      path: '/api/v1/subscriptions/{{subscriptionId}}',
      tests: expectStatus(204, '204'),
    }),
  ],
};

// ---- operations ----
const operationsFolder = {
  name: 'Operations',
  item: [
    request('Health', {
      path: '/health',
      tests: function () {
        pm.test('200 ok', () => pm.expect(pm.response.json()).to.eql({ status: 'ok' }));
      },
    }),
    request('Readiness', {
      path: '/ready',
      tests: expectStatus(200, '200 ready (Redis and a worker answer)', function () {
        pm.expect(pm.response.json().status).to.eql('ready');
      }),
    }),
    request('OpenAPI document', {
      path: '/openapi.json',
      tests: function () {
        pm.test('OpenAPI 3.1', () => pm.expect(pm.response.json().openapi).to.eql('3.1.0'));
      },
    }),
  ],
};

/* eslint-enable no-undef */

const collection = {
  info: {
    _postman_id: 'b7f0c6b2-5d1e-4c8e-9a61-7d1f3e2a9c40',
    name: 'tradehook',
    description:
      'TradingView alerts → exchange orders. Import this collection and tradehook.postman_environment.json, set the environment (baseUrl, webhookToken, webhookSecret, adminKey) and run the collection in order. CI runs it with newman against a live server on the paper exchange (scripts/postman-ci.mjs).',
    schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
  },
  event: [event('prerequest', collectionPreRequest)],
  variable: [
    { key: 'signalId', value: '' },
    { key: 'hmacSignalId', value: '' },
    { key: 'hmacWebhookId', value: '' },
    { key: 'apiKey', value: '' },
    { key: 'keyId', value: '' },
    { key: 'subscriptionId', value: '' },
    { key: 'subscriptionSecret', value: '' },
    { key: 'deliveryId', value: '' },
    { key: 'pausedSignalId', value: '' },
    { key: 'apiAlertId', value: '' },
    { key: 'apiSignalId', value: '' },
    { key: 'pollTries', value: '0' },
  ],
  item: [
    operationsFolder,
    hmacFolder,
    tokenFolder,
    failureFolder,
    managementFolder,
    signalsFolder,
    notificationsFolder,
  ],
};

const environment = {
  id: '5a3c9e14-2f6b-4d8a-b1c7-0e9f8d7a6b5c',
  name: 'tradehook (local)',
  values: [
    { key: 'baseUrl', value: 'http://localhost:3000', type: 'default', enabled: true },
    { key: 'webhookToken', value: 'demo-token', type: 'secret', enabled: true },
    { key: 'webhookSecret', value: '', type: 'secret', enabled: true },
    { key: 'adminKey', value: '', type: 'secret', enabled: true },
    { key: 'account', value: 'default', type: 'default', enabled: true },
    { key: 'symbol', value: 'BINANCE:BTCUSDT', type: 'default', enabled: true },
    { key: 'price', value: '65000', type: 'default', enabled: true },
    { key: 'receiverUrl', value: 'https://example.com/tradehook-events', type: 'default', enabled: true },
  ],
  _postman_variable_scope: 'environment',
};

const files = {
  'tradehook.postman_collection.json': collection,
  'tradehook.postman_environment.json': environment,
};
// --check: exit 1 when a committed file differs from what this script writes (CI, tests).
const check = process.argv.includes('--check');
let stale = 0;
for (const [name, value] of Object.entries(files)) {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (!check) writeFileSync(here(name), text);
  else if (!existsSync(here(name)) || readFileSync(here(name), 'utf8') !== text) {
    process.stderr.write(`postman/${name} is out of date: run node postman/build.mjs\n`);
    stale += 1;
  }
}
process.exit(stale === 0 ? 0 : 1);
