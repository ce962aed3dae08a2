import type {
  BackendConfig,
  HostPort,
  RedisTlsConfig,
} from './backend-config.interface.js';

const MASK = '***';

function hostPort({ host, port }: HostPort): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function auth(
  username: string | undefined,
  password: string | undefined,
): string {
  if (username === undefined && password === undefined) return '';
  return `${username ? encodeURIComponent(username) : ''}${password !== undefined ? `:${MASK}` : ''}@`;
}

function tlsQuery(tls: RedisTlsConfig | undefined): string[] {
  return tls ? [`ssl_cert_reqs=${tls.certReqs}`] : [];
}

function withQuery(base: string, params: readonly string[]): string {
  return params.length ? `${base}?${params.join('&')}` : base;
}

/**
 * A URL-like, password-free description of a parsed backend for logs and health details,
 * e.g. `redis://:***@localhost:6379/0` or `s3://bucket/prefix?endpoint_url=http://minio:9000`.
 * Credentials show as `***`; S3 keys are never shown.
 * @publicApi
 */
export function describeBackend(config: BackendConfig): string {
  switch (config.kind) {
    case 'redis':
      if (config.socketPath !== undefined) {
        return `redis+socket://${auth(config.username, config.password)}${config.socketPath}?virtual_host=${config.db}`;
      }
      return withQuery(
        `${config.tls ? 'rediss' : 'redis'}://${auth(config.username, config.password)}${hostPort(config)}/${config.db}`,
        tlsQuery(config.tls),
      );
    case 'sentinel':
      return withQuery(
        config.sentinels
          .map(
            (s, i) =>
              `sentinel://${i === 0 ? auth(config.username, config.password) : ''}${hostPort(s)}/${config.db}`,
          )
          .join(';'),
        [
          `master_name=${encodeURIComponent(config.masterName)}`,
          ...tlsQuery(config.tls),
        ],
      );
    case 'redis-cluster':
      return withQuery(
        `${config.tls ? 'rediss' : 'redis'}+cluster://${auth(config.username, config.password)}${config.nodes.map(hostPort).join(',')}`,
        tlsQuery(config.tls),
      );
    case 'filesystem':
      return `file://${config.path}`;
    case 's3':
      return withQuery(`s3://${config.bucket}/${config.basePath}`, [
        ...(config.endpointUrl
          ? [`endpoint_url=${maskEndpoint(config.endpointUrl)}`]
          : []),
        ...(config.region ? [`region=${config.region}`] : []),
      ]);
    case 'couchdb':
      return `${config.protocol === 'https' ? 'couchdbs' : 'couchdb'}://${auth(config.username, config.password)}${hostPort(config)}/${config.database}`;
    case 'memcached':
      return `cache+memcached://${config.servers.map(hostPort).join(';')}/`;
    case 'postgresql':
      return withQuery(
        `db+postgresql://${auth(config.user, config.password)}${hostPort(config)}/${encodeURIComponent(config.database)}`,
        config.tls ? [`sslmode=${config.tls.mode}`] : [],
      );
    case 'memory':
      return 'cache+memory://';
    case 'disabled':
      return 'disabled://';
  }
}

function maskEndpoint(endpoint: string): string {
  return endpoint.replace(/\/\/[^/@]*@/, `//${MASK}@`);
}
