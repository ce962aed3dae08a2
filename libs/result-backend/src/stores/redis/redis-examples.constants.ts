/**
 * Valid example values shown in Redis-family configuration errors. They never hold a real
 * secret: `password` is the literal word.
 * @internal
 */
export const REDIS_EXAMPLES = {
  redis: 'redis://:password@localhost:6379/0',
  rediss: 'rediss://:password@redis.example.com:6380/0?ssl_cert_reqs=required',
  socket: 'redis+socket:///var/run/redis/redis.sock?virtual_host=0',
  sentinel:
    'sentinel://:password@sentinel1:26379/0;sentinel://sentinel2:26379/0?master_name=mymaster',
  cluster: 'redis+cluster://:password@node1:6379,node2:6379,node3:6379',
} as const;
