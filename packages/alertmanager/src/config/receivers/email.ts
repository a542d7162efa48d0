import { hostPortField, tlsConfigField } from '../common-fields.js';
import { optionalBool, schema, secret, str, strMap } from '../schema.js';
import { sendResolved, tmpl } from './shared.js';

/** Go's `textproto.CanonicalMIMEHeaderKey`: `content-type` → `Content-Type`; keys with other characters stay as they are. */
function canonicalHeader(key: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(key)) return key;
  return key.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** `email_configs` entries (`config.EmailConfig`). */
export const emailSchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(false),
    to: str('to', { omitEmpty: true }),
    from: str('from', { omitEmpty: true }),
    hello: str('hello', { omitEmpty: true }),
    smarthost: hostPortField('smarthost'),
    authUsername: str('auth_username', { omitEmpty: true }),
    authPassword: secret('auth_password', { omitEmpty: true }),
    authPasswordFile: str('auth_password_file', { omitEmpty: true }),
    authSecret: secret('auth_secret', { omitEmpty: true }),
    authIdentity: str('auth_identity', { omitEmpty: true }),
    headers: strMap('headers', { omitEmpty: true }),
    html: str('html', { omitEmpty: true, initial: tmpl('email.default.html') }),
    text: str('text', { omitEmpty: true }),
    requireTls: optionalBool('require_tls'),
    tlsConfig: tlsConfigField('tls_config'),
  },
  (c, r, node) => {
    if (c.to === '') throw r.error(node, 'missing to address in email config');
    const normalized: Record<string, string> = {};
    for (const [name, value] of Object.entries(c.headers)) {
      const key = canonicalHeader(name);
      if (key in normalized) throw r.error(node, `duplicate header ${JSON.stringify(key)} in email config`);
      normalized[key] = value;
    }
    c.headers = normalized;
  },
);
