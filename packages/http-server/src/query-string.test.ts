import { describe, expect, it } from 'vitest';
import { parseQueryString } from './query-string.js';

describe('parseQueryString (Go url.ParseQuery)', () => {
  it.each([
    { name: 'repeated keys keep their order', query: 'match[]=a&x=1&match[]=b', want: [['match[]', ['a', 'b']], ['x', ['1']]] },
    { name: '+ is a space, escapes decoded', query: 'query=sum(rate(x%5B5m%5D))+by+(job)', want: [['query', ['sum(rate(x[5m])) by (job)']]] },
    { name: 'a pair with a bad escape is dropped', query: 'query=%ZZ&time=1', want: [['time', ['1']]] },
    { name: 'a key with a bad escape is dropped', query: '%ZZ=1&a=2', want: [['a', ['2']]] },
    { name: 'a pair with ; is dropped', query: 'a=1;b=2&c=3', want: [['c', ['3']]] },
    { name: 'empty pairs skipped, missing = is an empty value', query: '&&a&=x&', want: [['a', ['']], ['', ['x']]] },
    { name: 'invalid UTF-8 stays visible', query: 'query=up%7Bjob%3D%22%FF%22%7D', want: [['query', ['up{job="\udcff"}']]] },
    { name: 'valid UTF-8', query: 'q=%E2%82%AC', want: [['q', ['€']]] },
  ])('$name', ({ query, want }) => {
    expect([...parseQueryString(query)]).toEqual(want);
  });
});
