/**
 * The questions the archive answers, as the SQL the README shows: the same text runs on Athena and on DuckDB
 * (standard SQL, `CROSS JOIN UNNEST … AS alias(column)` for lists, output columns named in lower case).
 */
export const ARCHIVE_EXAMPLES = {
  /** A flag's evaluations by variation per day, from the summary events' counters (where SDKs count them). */
  flagEvaluationsByDay: (flag: string) =>
    `SELECT dt AS day, counter.variation AS variation, sum(counter.count) AS evaluations
FROM events
CROSS JOIN UNNEST(flags) AS f(flag)
CROSS JOIN UNNEST(flag.counters) AS c(counter)
WHERE kind = 'summary' AND flag.key = '${flag}'
GROUP BY dt, counter.variation
ORDER BY day, variation`,
  /**
   * Every event a context sent or was evaluated in, whether the event carries the whole context or its key; a
   * summary is dated by the end of the period it counts.
   */
  contextHistory: (contextKind: string, contextKey: string) =>
    `SELECT created, kind, key FROM (
  SELECT CASE WHEN kind = 'summary' THEN endDate ELSE creationDate END AS created, kind, key
  FROM events CROSS JOIN UNNEST(contexts) AS c(context)
  WHERE context.kind = '${contextKind}' AND context.key = '${contextKey}'
  UNION ALL
  SELECT creationDate AS created, kind, key
  FROM events CROSS JOIN UNNEST(contextKeys) AS c(context)
  WHERE context.kind = '${contextKind}' AND context.key = '${contextKey}'
) AS history
ORDER BY created, kind, key`,
  /** What an SDK version sent, by kind. */
  eventsOfAnSdk: (sdk: string) =>
    `SELECT kind, count(*) AS events
FROM events
WHERE sdk = '${sdk}'
GROUP BY kind
ORDER BY kind`,
} as const;

/** The columns each example reads, besides the partitions: what a columnar format would scan for it. */
export const EXAMPLE_COLUMNS: Record<keyof typeof ARCHIVE_EXAMPLES, readonly string[]> = {
  flagEvaluationsByDay: ['kind', 'flags'],
  contextHistory: ['creationDate', 'endDate', 'kind', 'key', 'contexts', 'contextKeys'],
  eventsOfAnSdk: ['sdk', 'kind'],
};
