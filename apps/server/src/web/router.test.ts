import { describe, expect, it } from 'vitest';
import { Router, type RouteHandler } from './router.js';

const handler = (name: string): RouteHandler & { routeName: string } => Object.assign(() => {}, { routeName: name });

describe('Router', () => {
  it('matches the first route of the path and method, tells a wrong method (405) from an unknown path (404), asked again and again', () => {
    const router = new Router()
      .add('POST', '/api/v1/write', handler('write'))
      .add(['GET', 'POST'], '/api/v1/label/:name/values', handler('values'))
      .add('GET', '/api/v1/*rest', handler('fallback'));
    for (let round = 0; round < 3; round++) {
      expect(router.patternOf('/api/v1/label/job/values')).toBe('/api/v1/label/:name/values');
      const values = router.match('HEAD', '/api/v1/label/job/values');
      expect(values !== 'method' && values !== undefined && { name: (values.handler as ReturnType<typeof handler>).routeName, params: values.params }).toEqual({ name: 'values', params: { name: 'job' } });
      // The first route of the path does not take GET: a later one does.
      const write = router.match('GET', '/api/v1/write');
      expect(write !== 'method' && write !== undefined && write.params).toEqual({ rest: 'write' });
      expect(router.match('DELETE', '/api/v1/write')).toBe('method');
      expect(router.match('GET', '/metrics')).toBeUndefined();
      expect(router.patternOf('/metrics')).toBeUndefined();
    }
  });

  it('finds a route added after its path was asked about', () => {
    const router = new Router();
    expect(router.match('GET', '/metrics')).toBeUndefined();
    expect(router.patternOf('/metrics')).toBeUndefined();
    router.add('GET', '/metrics', handler('metrics'));
    expect(router.patternOf('/metrics')).toBe('/metrics');
    expect(router.match('GET', '/metrics')).not.toBeUndefined();
  });

  it('answers the same past the paths it remembers (a client sending thousands of distinct paths)', () => {
    const router = new Router().add('GET', '/api/v1/label/:name/values', handler('values'));
    for (let i = 0; i < 3000; i++) {
      const match = router.match('GET', `/api/v1/label/l${i}/values`);
      expect(match !== 'method' && match !== undefined && match.params).toEqual({ name: `l${i}` });
      expect(router.patternOf(`/nothing/${i}`)).toBeUndefined();
    }
  });

  it('answers a path longer than those it remembers, and again the same way', () => {
    const router = new Router().add('GET', '/api/v1/label/:name/values', handler('values'));
    const name = 'x'.repeat(5000);
    for (let round = 0; round < 2; round++) {
      const match = router.match('GET', `/api/v1/label/${name}/values`);
      expect(match !== 'method' && match !== undefined && match.params).toEqual({ name });
      expect(router.match('POST', `/api/v1/label/${name}/values`)).toBe('method');
      expect(router.patternOf(`/${name}`)).toBeUndefined();
    }
  });
});
