import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { dashboardRouter } from '../../src/http/dashboard-static';

describe('dashboard static serving', () => {
  let dir: string;
  const app = (options: { dir?: string } = {}) => {
    const a = express();
    a.use(dashboardRouter(options));
    a.use((_req, res) => res.status(404).json({ error: 'not_found', message: 'no route' }));
    return a;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'th-dash-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title><div id="app"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when the index is asked for, then it is never cached and carries a strict CSP that forbids framing', async () => {
    const res = await request(app({ dir })).get('/dashboard/');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('when a hashed asset is asked for, then it is cached for a year as immutable', async () => {
    const res = await request(app({ dir })).get('/dashboard/assets/index-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('when a missing asset is asked for, then it is a 404, not the index', async () => {
    const res = await request(app({ dir })).get('/dashboard/assets/nope.js');
    expect(res.status).toBe(404);
  });

  it('when a page path is asked for, then the index answers it (the app routes in the browser)', async () => {
    const res = await request(app({ dir })).get('/dashboard/signals/sig_0123');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<div id="app">');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('when /dashboard is asked for without the slash, then it redirects to /dashboard/', async () => {
    const res = await request(app({ dir })).get('/dashboard');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/dashboard/');
  });

  it('when the dashboard is not built, then it answers 503 JSON saying so', async () => {
    const res = await request(app({ dir: join(dir, 'missing') })).get('/dashboard/');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'unavailable', message: expect.stringContaining('npm run build') });
  });

  it('when another path is asked for, then the dashboard is not involved', async () => {
    const res = await request(app({ dir })).get('/webhook');
    expect(res.status).toBe(404);
    expect(res.headers['content-security-policy']).toBeUndefined();
  });
});
