import { Prod, withReplays } from '../../lib/config/environments';
import { validateEnvironmentConfig } from '../../lib/config/validate';
import { parseFrom, planReplay } from '../../lib/replay/replay-request';

const NOW = Date.parse('2026-11-23T12:00:00Z');

describe('replay requests', () => {
  it('reads absolute and relative times', () => {
    expect(parseFrom('2026-11-23T10:00:00Z', NOW).toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(parseFrom('-2h', NOW).toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(parseFrom('-30m', NOW).toISOString()).toBe('2026-11-23T11:30:00.000Z');
    expect(parseFrom('-1d', NOW).toISOString()).toBe('2026-11-22T12:00:00.000Z');
    expect(parseFrom('2h', NOW).toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(() => parseFrom('yesterday', NOW)).toThrow(/--from must be an ISO-8601 time/);
  });

  it('bumps the generation and names the one stack to deploy', () => {
    const first = planReplay(Prod, 'contexts-indexer', parseFrom('-2h', NOW), NOW, {});
    const second = planReplay(Prod, 'contexts-indexer', parseFrom('-1h', NOW), NOW, first.file);

    expect(first.settings).toEqual({
      from: '2026-11-23T10:00:00.000Z',
      requestedAt: '2026-11-23T12:00:00.000Z',
      generation: 1,
    });
    expect(second.settings.generation).toBe(2);
    expect(second.file.prod?.contextsIndexer).toEqual(second.settings);
    expect(second.deployCommand).toBe("npx cdk deploy 'prod/ContextsIndexer' --exclusively --no-notices");
    expect(withReplays(Prod, second.file).consumers.contextsIndexer.replay).toEqual(second.settings);
    expect(withReplays(Prod, second.file).consumers.flagStatus.replay).toBeUndefined();
  });

  it('refuses a time in the future or older than the retention, at the CLI and again at synth', () => {
    expect(() => planReplay(Prod, 'flag-status', new Date(NOW + 60_000), NOW, {})).toThrow(/is in the future/);
    expect(() => planReplay(Prod, 'flag-status', parseFrom('-8d', NOW), NOW, {})).toThrow(
      /older than the stream's 168 h retention/,
    );
    expect(() => planReplay(Prod, 'no-such-consumer', parseFrom('-1h', NOW), NOW, {})).toThrow(
      /--consumer must be one of/,
    );
    const edited = {
      prod: { flagStatus: { from: '2026-11-10T00:00:00Z', requestedAt: '2026-11-23T12:00:00Z', generation: 1 } },
    };
    expect(() => validateEnvironmentConfig(withReplays(Prod, edited))).toThrow(
      /flagStatus\.replay\.from .* is older than the stream's 168 h retention/,
    );
  });
});
