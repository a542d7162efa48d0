import { describe, expect, it } from 'vitest';
import { cleanPath, parseRequestTarget } from './request-target.js';

describe('parseRequestTarget', () => {
  it.each([
    { name: 'plain path and query', raw: '/api/v1/query?query=up', want: { target: { path: '/api/v1/query', rawQuery: 'query=up' } } },
    { name: 'escapes decoded, + kept in paths', raw: '/metrics/job/a%20b+c', want: { target: { path: '/metrics/job/a b+c', rawQuery: '' } } },
    { name: 'an encoded slash is a slash', raw: '/api/v1/label/a%2Fb/values', want: { target: { path: '/api/v1/label/a/b/values', rawQuery: '' } } },
    { name: 'NUL decoded', raw: '/x%00y', want: { target: { path: '/x\0y', rawQuery: '' } } },
    { name: 'invalid UTF-8 kept as lone surrogates', raw: '/x%FF', want: { target: { path: '/x\udcff', rawQuery: '' } } },
    { name: 'absolute form', raw: 'http://example.com/a?b', want: { target: { path: '/a', rawQuery: 'b' } } },
    { name: 'absolute form without a path', raw: 'http://example.com', want: { target: { path: '/', rawQuery: '' } } },
    { name: '//', raw: '//', want: { redirect: '/' } },
    { name: '// before a route, query kept', raw: '//api/v1/query?query=up', want: { redirect: '/api/v1/query?query=up' } },
    { name: 'a group named "."', raw: '/metrics/job/.', want: { redirect: '/metrics/job' } },
    { name: 'a group named ".."', raw: '/metrics/job/..', want: { redirect: '/metrics' } },
    { name: 'a group named "%2E%2E"', raw: '/metrics/job/%2E%2E', want: { redirect: '/metrics' } },
    { name: 'a trailing slash is kept', raw: '/a/./b/', want: { redirect: '/a/b/' } },
    { name: 'redirect target escaped', raw: '/a b//c', want: { redirect: '/a%20b/c' } },
    { name: 'invalid escape', raw: '/api/v1/label/%ZZ/values', want: { error: 'invalid URL escape "%ZZ" in the path "/api/v1/label/%ZZ/values"' } },
    { name: 'escape cut short', raw: '/x%4', want: { error: 'invalid URL escape "%4" in the path "/x%4"' } },
    { name: 'relative target', raw: 'foo', want: { error: 'invalid request target "foo": it must start with "/"' } },
  ])('$name', ({ raw, want }) => {
    expect(parseRequestTarget(raw)).toEqual(want);
  });
});

describe('cleanPath', () => {
  it.each([
    ['/', '/'],
    ['', '/'],
    ['/a//b', '/a/b'],
    ['/a/b/..', '/a'],
    ['/a/../..', '/'],
    ['/a/../', '/'],
    ['/a/b/', '/a/b/'],
  ])('%j → %j', (path, want) => expect(cleanPath(path)).toBe(want));
});
