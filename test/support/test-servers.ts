/** The Redis the run's global set-up started on a free port, or the one REDIS_URL named. */
export function testRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url)
    throw new Error('REDIS_URL environment variable is not set: run the tests through jest, whose set-up starts Redis');
  return url;
}
