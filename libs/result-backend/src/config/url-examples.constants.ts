/**
 * Valid example values shown in configuration errors, one per URL form. They never hold a
 * real secret: `password` is the literal word.
 * @internal
 */
export const URL_EXAMPLES = {
  redis: 'redis://:password@localhost:6379/0',
  rediss: 'rediss://:password@redis.example.com:6380/0?ssl_cert_reqs=required',
  socket: 'redis+socket:///var/run/redis/redis.sock?virtual_host=0',
  sentinel:
    'sentinel://:password@sentinel1:26379/0;sentinel://sentinel2:26379/0?master_name=mymaster',
  cluster: 'redis+cluster://:password@node1:6379,node2:6379,node3:6379',
  file: 'file:///var/lib/celery/results',
  s3: 's3://my-bucket/celery/?region=eu-west-1',
  couchdb: 'couchdb://user:password@localhost:5984/celery',
  postgresql: 'db+postgresql://celery:password@localhost:5432/celery',
  memcached: 'cache+memcached://10.0.0.1:11211;10.0.0.2:11211/',
  memory: 'cache+memory://',
  disabled: 'disabled://',
} as const;

/** Every supported form, for "unknown scheme" errors. @internal */
export const SUPPORTED_SCHEMES =
  'redis://, rediss://, redis+socket://, sentinel://, redis+cluster://, rediss+cluster://, ' +
  'file://, s3://, couchdb://, couchdbs://, db+postgresql://, cache+memcached://, cache+memory://, disabled://';
