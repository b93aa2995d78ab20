import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { ExportDestination } from './destinations';
import { batchResponse, decodeKinesisBatch } from '../shared/kinesis-batch';
import { PoisonSink, setAside } from '../shared/poison-sink';
import { DeliveryFailure, DeliveryResult, DestinationWriter } from './destination-writer';
import { BacklogObject, ExportBacklog } from './export-backlog';
import { exportedEvent, filteredEvent } from './exported-event';

/**
 * flowing: events go straight through. lagging: some wait in the backlog (the destination is throttled or was away).
 * paused: the destination refuses for a reason its owner must fix (role, stream, policy); events wait in the backlog
 * and one delivery now and then tries again.
 */
export type DestinationStateName = 'flowing' | 'lagging' | 'paused';

/** Every count of a destination since the function started; nothing leaves without being counted here. */
export interface DestinationCounters {
  delivered: number;
  keptInBacklog: number;
  deliveredFromBacklog: number;
  /** Larger than one record of the destination's kind may be. */
  droppedTooLarge: number;
  /** Older than the backlog keeps: the destination was away longer than its owner was promised. */
  droppedExpired: number;
  throttledEntries: number;
}

export interface DestinationState {
  readonly id: string;
  state: DestinationStateName;
  reason?: string;
  sinceMs: number;
  /** When a paused destination is tried again. */
  probeAtMs?: number;
  backlogObjects: number;
  oldestBacklogMs?: number;
  readonly counters: DestinationCounters;
}

export interface ExporterSettings {
  readonly destinations: readonly ExportDestination[];
  readonly backlog: ExportBacklog;
  readonly writer: (destination: ExportDestination) => DestinationWriter;
  readonly poison: PoisonSink;
  /** How long a paused destination is left alone before one delivery tries it again. @default 60 s */
  readonly pauseProbeMs?: number;
  /** The oldest backlog kept; older objects are dropped and counted. @default 7 days */
  readonly maxBacklogAgeMs?: number;
  readonly now?: () => number;
}

export interface ExportBatchResult {
  readonly response: KinesisStreamBatchResponse;
  readonly events: number;
  readonly corruptRecords: number;
  /** Set when the batch could not be made durable (a backlog write failed): the stream hands it over again. */
  readonly error?: string;
}

/**
 * Exports each environment's events to its destinations. Every destination is written on its own: what one does not
 * take goes to its own backlog, so a throttled, deleted or refused destination never holds back another or the shard.
 */
export class Exporter {
  private readonly states = new Map<string, DestinationState>();
  private readonly byEnvironment = new Map<string, ExportDestination[]>();
  private readonly flagFilters = new Map<string, ReadonlySet<string> | undefined>();
  private readonly now: () => number;

  constructor(private readonly settings: ExporterSettings) {
    this.now = settings.now ?? Date.now;
    for (const destination of settings.destinations) {
      const list = this.byEnvironment.get(destination.environment) ?? [];
      list.push(destination);
      this.byEnvironment.set(destination.environment, list);
      this.flagFilters.set(destination.id, destination.flags && new Set(destination.flags));
      this.states.set(destination.id, {
        id: destination.id,
        state: 'flowing',
        sinceMs: this.now(),
        backlogObjects: 0,
        counters: {
          delivered: 0,
          keptInBacklog: 0,
          deliveredFromBacklog: 0,
          droppedTooLarge: 0,
          droppedExpired: 0,
          throttledEntries: 0,
        },
      });
    }
  }

  /** Each destination's state, as the metrics, alarms and the status page show it. */
  destinationStates(): DestinationState[] {
    return [...this.states.values()];
  }

  /** One stream batch: every event to each destination of its environment, or to that destination's backlog. */
  async exportBatch(event: KinesisStreamEvent): Promise<ExportBatchResult> {
    const batch = decodeKinesisBatch(event);
    const perDestination = new Map<ExportDestination, string[]>();
    let events = 0;
    for (const record of batch.records) {
      for (const decoded of record.events) {
        events++;
        for (const destination of this.byEnvironment.get(decoded.envelope.environmentId) ?? []) {
          const wanted = filteredEvent(decoded, this.flagFilters.get(destination.id));
          if (!wanted) continue;
          let lines = perDestination.get(destination);
          if (!lines) perDestination.set(destination, (lines = []));
          lines.push(exportedEvent(wanted));
        }
      }
    }
    try {
      await setAside(this.settings.poison, 'exporter', batch.corrupt, []);
      await Promise.all([...perDestination].map(([destination, lines]) => this.deliver(destination, lines)));
      return { response: batchResponse([]), events, corruptRecords: batch.corrupt.length };
    } catch (error) {
      return {
        response: batchResponse(batch.records.map((record) => record.sequenceNumber)),
        events,
        corruptRecords: batch.corrupt.length,
        error: (error as Error).message,
      };
    }
  }

  /** Sends events straight to the destination unless it is paused; what it does not take goes to its backlog. */
  private async deliver(destination: ExportDestination, lines: readonly string[]): Promise<void> {
    const state = this.states.get(destination.id)!;
    if (state.state === 'paused' && this.now() < (state.probeAtMs ?? 0)) {
      await this.keep(destination, state, lines);
      return;
    }
    const result = await this.settings.writer(destination).send(lines);
    state.counters.delivered += result.delivered;
    this.count(state, result);
    await this.keep(destination, state, result.undelivered);
    this.settle(state, result.failure);
  }

  /**
   * Sends each destination's backlog, oldest first, until the deadline; each destination on its own, so a stalled one
   * takes none of another's time. Objects past the oldest age kept are dropped and counted.
   */
  async drainBacklogs(deadlineMs: number): Promise<void> {
    await Promise.all(this.settings.destinations.map((destination) => this.drainBacklog(destination, deadlineMs)));
  }

  private async drainBacklog(destination: ExportDestination, deadlineMs: number): Promise<void> {
    const state = this.states.get(destination.id)!;
    const objects = await this.settings.backlog.objects(destination.id);
    const maxAgeMs = this.settings.maxBacklogAgeMs ?? 7 * 24 * 3_600_000;
    const remaining: BacklogObject[] = [];
    for (const object of objects) {
      if (this.now() - object.keptAtMs <= maxAgeMs) {
        remaining.push(object);
        continue;
      }
      state.counters.droppedExpired += (await this.settings.backlog.read(object)).length;
      await this.settings.backlog.remove(object);
    }
    this.observeBacklog(state, remaining);
    if (state.state === 'paused' && this.now() < (state.probeAtMs ?? 0)) return;
    while (remaining.length > 0 && this.now() < deadlineMs) {
      const object = remaining[0]!;
      const result = await this.settings.writer(destination).send(await this.settings.backlog.read(object));
      state.counters.deliveredFromBacklog += result.delivered;
      this.count(state, result);
      // What is left of the object is kept under its own time before the object goes, so nothing is ever in neither.
      if (result.undelivered.length > 0)
        await this.settings.backlog.keep(destination.id, result.undelivered, object.keptAtMs);
      await this.settings.backlog.remove(object);
      if (result.undelivered.length > 0) {
        // The rest took the object's place under the same time: the backlog's count and age are unchanged.
        this.observeBacklog(state, remaining);
        this.settle(state, result.failure);
        return;
      }
      remaining.shift();
      this.observeBacklog(state, remaining);
      this.settle(state, undefined);
    }
  }

  private count(state: DestinationState, result: DeliveryResult): void {
    state.counters.droppedTooLarge += result.tooLarge;
    state.counters.throttledEntries += result.throttledEntries;
  }

  private async keep(destination: ExportDestination, state: DestinationState, lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    await this.settings.backlog.keep(destination.id, lines, this.now());
    state.counters.keptInBacklog += lines.length;
    state.backlogObjects++;
    state.oldestBacklogMs ??= this.now();
  }

  private observeBacklog(state: DestinationState, objects: readonly BacklogObject[]): void {
    state.backlogObjects = objects.length;
    state.oldestBacklogMs = objects[0]?.keptAtMs;
  }

  /** The state a delivery leaves: paused on a refusal, lagging while a backlog waits, flowing otherwise. */
  private settle(state: DestinationState, failure: DeliveryFailure | undefined): void {
    const next: Pick<DestinationState, 'state' | 'reason'> =
      failure && !failure.passing
        ? { state: 'paused', reason: failure.reason }
        : failure || state.backlogObjects > 0
          ? { state: 'lagging', reason: failure?.reason ?? 'sending the backlog' }
          : { state: 'flowing', reason: undefined };
    if (next.state !== state.state) state.sinceMs = this.now();
    state.state = next.state;
    state.reason = next.reason;
    state.probeAtMs = next.state === 'paused' ? this.now() + (this.settings.pauseProbeMs ?? 60_000) : undefined;
  }
}
