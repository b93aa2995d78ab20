import type { RedisClient } from '../lambdas/shared/redis-client';
import { ExperimentReport, readExperimentFigures } from '../lib/experiments/figures-reader';

/** The experiment job as the status page shows it: Flink's own word on it, and each experiment's figures. */
export interface AnalyticsStatus {
  /** RUNNING, RESTARTING, FAILED…, or `not answering` while its JVM starts or after it died. */
  readonly state: string;
  readonly recordsRead: number;
  /** How far the job's event time (the watermark, which trails the newest arrival by the allowed lateness) is behind now. */
  readonly watermarkAgeSeconds: number | null;
  readonly experiments: ExperimentReport[];
}

interface JobDetail {
  readonly state: string;
  readonly vertices: { id: string; metrics: { 'write-records': number } }[];
}

async function json<T>(url: string): Promise<T | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

export async function analyticsStatus(restUrl: string, redis: RedisClient, prefix: string): Promise<AnalyticsStatus> {
  const ids = (await redis.smembers(`${prefix}:experiments`)).sort();
  const experiments = await Promise.all(ids.map((id) => readExperimentFigures(redis, prefix, id)));
  const overview = await json<{ jobs: { jid: string; state: string }[] }>(`${restUrl}/jobs/overview`);
  const job = overview?.jobs.find((each) => each.state !== 'CANCELED') ?? overview?.jobs[0];
  if (!job) return { state: 'not answering', recordsRead: 0, watermarkAgeSeconds: null, experiments };
  const detail = await json<JobDetail>(`${restUrl}/jobs/${job.jid}`);
  const source = detail?.vertices[0];
  const last = detail?.vertices.at(-1);
  const watermarks = last
    ? await json<{ id: string; value: string }[]>(`${restUrl}/jobs/${job.jid}/vertices/${last.id}/watermarks`)
    : undefined;
  const watermark = Math.min(...(watermarks ?? []).map((each) => Number(each.value)).filter((value) => value > 0));
  return {
    state: detail?.state ?? job.state,
    recordsRead: source?.metrics['write-records'] ?? 0,
    watermarkAgeSeconds: Number.isFinite(watermark) ? Math.round((Date.now() - watermark) / 1000) : null,
    experiments,
  };
}
