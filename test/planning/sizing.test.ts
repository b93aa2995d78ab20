import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENVIRONMENTS, Prod } from '../../lib/config/environments';
import { ACCEPTED_FIGURES, environmentSizing } from '../../lib/planning/sizing';
import { runScript } from '../support/run-script';

const gitStatus = () => execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' });

describe('sizing from measured figures', () => {
  it('derives each environment from the figures: a quarter of the events per core quarters the request limit, and synth refuses the target', () => {
    // given
    const quartered = {
      ...ACCEPTED_FIGURES,
      producer: {
        ...ACCEPTED_FIGURES.producer,
        eventsPerCoreSecond: ACCEPTED_FIGURES.producer.eventsPerCoreSecond / 4,
      },
    };

    // when
    const now = environmentSizing(Prod, ACCEPTED_FIGURES);
    const then = environmentSizing(Prod, quartered);

    // then: c7g.xlarge has 4 vCPUs and scales at 60 % CPU, written out here apart from the planner
    const eventsPerInstance = (events: number) => 4 * events * 0.6;
    const peak = Prod.load.peakEventsPerSecond * Prod.load.headroom;
    expect(then.requestsPerInstanceLimit).toBe(
      Math.floor(eventsPerInstance(quartered.producer.eventsPerCoreSecond) / quartered.producer.eventsPerPayload),
    );
    expect(now.instancesForPeak).toBe(
      Math.ceil(peak / eventsPerInstance(ACCEPTED_FIGURES.producer.eventsPerCoreSecond)),
    );
    expect(then.instancesForPeak).toBe(Math.ceil(peak / eventsPerInstance(quartered.producer.eventsPerCoreSecond)));
    expect(now.refusals).toEqual([]);
    expect(then.refusals).toEqual([
      `fleet.requestsPerTarget ${Prod.fleet.requestsPerTarget} is over ${then.requestsPerInstanceLimit}`,
    ]);
    expect(then.shards).toBe(now.shards);
  });

  it('finds every shipped environment within its accepted figures', () => {
    expect(ENVIRONMENTS.flatMap((config) => environmentSizing(config, ACCEPTED_FIGURES).refusals)).toEqual([]);
  });

  describe('npm run sizing', () => {
    let results: string;

    beforeEach(async () => {
      results = await mkdtemp(join(tmpdir(), 'sizing-'));
    });

    afterEach(async () => {
      await rm(results, { recursive: true, force: true });
    });

    it('shows the change per environment and refuses to accept figures synth would refuse, writing nothing', async () => {
      // given: a producer measured at a third of the accepted rate
      const slower = { ...ACCEPTED_FIGURES.producer, eventsPerCoreSecond: 6_000 };
      await writeFile(join(results, 'measured-producer.json'), JSON.stringify(slower));
      const before = gitStatus();

      // when
      const shown = await runScript('scripts/sizing.ts', ['--from', results]);
      const accepted = await runScript('scripts/sizing.ts', ['--from', results, '--accept']);

      // then
      expect(shown.code).toBe(0);
      const limitNow = environmentSizing(Prod, ACCEPTED_FIGURES).requestsPerInstanceLimit;
      const limitThen = Math.floor((4 * 6_000 * 0.6) / slower.eventsPerPayload);
      expect(shown.output).toContain(
        `producer.eventsPerCoreSecond       ${ACCEPTED_FIGURES.producer.eventsPerCoreSecond} → 6000`,
      );
      expect(shown.output).toMatch(new RegExp(`prod\\s+c7g\\.xlarge\\s+4000 \\(limit ${limitNow} → ${limitThen}\\)`));
      expect(shown.output).toMatch(/nothing written/);
      expect(accepted.code).toBe(1);
      expect(accepted.output).toContain(`prod: fleet.requestsPerTarget 4000 is over ${limitThen}`);
      expect(accepted.output).toMatch(/not accepted: change those settings in lib\/config\/environments\.ts first/);
      expect(gitStatus()).toBe(before);
    });

    it('says which bench to run when nothing was measured', async () => {
      const { code, output } = await runScript('scripts/sizing.ts', ['--from', results]);
      expect(code).toBe(1);
      expect(output).toMatch(/no measured figures in .*: run npm run bench -- producer/);
    });
  });
});
