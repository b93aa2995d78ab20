import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalOpenSearch } from '../../local/local-opensearch';

// Only root hands OpenSearch to nobody; as another user the data folder is that user's own.
const asRoot = process.getuid?.() === 0 ? it : it.skip;

describe('the local OpenSearch', () => {
  asRoot('names the folder that keeps nobody from its data, before starting anything', async () => {
    // given: a folder only its owner may open, as mkdtemp makes them
    const closed = mkdtempSync(join(tmpdir(), 'closed-'));
    chmodSync(closed, 0o700);

    try {
      // when / then
      await expect(startLocalOpenSearch({ dataDirectory: join(closed, 'opensearch', 'data') })).rejects.toThrow(
        `nobody cannot open ${closed} on the way to its data folder ${join(closed, 'opensearch', 'data')}: open it to other users (chmod o+x ${closed})`,
      );
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });
});
