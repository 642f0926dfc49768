import { describe, expect, it } from 'vitest';
import { routerHarness } from './router-harness.ts';

const APP = 'https://app.example.org';

describe('CORS', () => {
  it('sends no CORS headers when no origins are configured', async () => {
    const api = routerHarness();

    const response = await api.get('/feeds', {}, { origin: APP });

    expect(response.headers).not.toHaveProperty('access-control-allow-origin');
  });

  it('echoes a configured origin and varies the response on Origin', async () => {
    const api = routerHarness({ corsOrigins: [APP] });

    const response = await api.get('/feeds', {}, { Origin: APP });

    expect(response.headers['access-control-allow-origin']).toBe(APP);
    expect(response.headers.vary).toBe('origin');
    expect(response.headers['access-control-expose-headers']).toBe('x-request-id');
  });

  it('withholds the allow-origin header from an origin not on the list', async () => {
    const api = routerHarness({ corsOrigins: [APP] });

    const response = await api.get('/feeds', {}, { origin: 'https://evil.example' });

    expect(response.headers).not.toHaveProperty('access-control-allow-origin');
    expect(response.headers.vary).toBe('origin');
  });

  it('allows any origin with a wildcard', async () => {
    const api = routerHarness({ corsOrigins: ['*'] });

    const response = await api.get('/feeds', {}, { origin: 'https://anything.example' });

    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  it('adds CORS headers to problem responses too, so the browser can read the error', async () => {
    const api = routerHarness({ corsOrigins: [APP] });

    const response = await api.get('/matches', { limit: '0' }, { origin: APP });

    expect(response.status).toBe(400);
    expect(response.headers['access-control-allow-origin']).toBe(APP);
  });

  it('answers a preflight from a configured origin with the methods, headers and max age', async () => {
    const api = routerHarness({ corsOrigins: [APP] });

    const response = await api.call({
      method: 'OPTIONS',
      path: '/matches',
      headers: { origin: APP, 'access-control-request-method': 'GET' },
    });

    expect(response.status).toBe(204);
    expect(response.body).toBe('');
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      'access-control-max-age': '600',
    });
    expect(response.headers['access-control-allow-headers']).toContain('x-amz-security-token');
  });

  it('answers a preflight from another origin without allowing it', async () => {
    const api = routerHarness({ corsOrigins: [APP] });

    const response = await api.call({
      method: 'OPTIONS',
      path: '/matches',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });

    expect(response.headers).not.toHaveProperty('access-control-allow-origin');
    expect(response.headers).not.toHaveProperty('access-control-allow-methods');
  });
});
