import type { HostPort } from './host-port.interface.js';

/** What a masked secret shows as in descriptions. @internal */
export const MASK = '***';

/** `host:port`, IPv6 literals bracketed. @internal */
export function hostPort({ host, port }: HostPort): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** `user:***@`, `user@`, `:***@` or nothing: the password is never shown. @internal */
export function maskedAuth(
  username: string | undefined,
  password: string | undefined,
): string {
  if (username === undefined && password === undefined) return '';
  return `${username ? encodeURIComponent(username) : ''}${password !== undefined ? `:${MASK}` : ''}@`;
}

/** `base?a&b`, or `base` without parameters. @internal */
export function withQuery(base: string, params: readonly string[]): string {
  return params.length ? `${base}?${params.join('&')}` : base;
}
