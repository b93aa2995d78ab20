/**
 * Asks the running local pipeline (`npm start`) for something: what the replay, redrive and query commands use
 * with `--env local`. GET without a body, POST with one.
 */
export async function localPipelineRequest<T>(url: string, path: string, body?: object): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body && JSON.stringify(body),
  }).catch((error: Error) => {
    throw new Error(
      `no local pipeline answers at ${url} (${(error.cause as Error | undefined)?.message ?? error.message}): start it with npm start, or pass --url`,
    );
  });
  const answer = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(answer.error ?? `the local pipeline answered ${response.status}`);
  return answer;
}
