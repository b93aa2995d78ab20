import { decodeRecord } from '../codec/event-codec';
import { exportedEvent, filteredEvent } from '../lambdas/exporter/exported-event';
import { MEASURED_EXPORT_SIZES_FILE, planExport } from '../lib/planning/export-plan';
import { corpusPayloads, pack } from './compression';
import { eventsPerSecond } from './timing';
import { writeResult, writeMeasuredFigure } from './results-file';

const PPU_BYTES = 25_000;
// The random partition key the exporter gives each record (a UUID) counts towards the record's size.
const PARTITION_KEY_BYTES = 36;

/** The exporter's CPU path from a batch's records to PutRecords bodies, on compressed records of the realistic corpus. */
export async function benchExport(): Promise<Record<string, unknown>> {
  const packed = pack(corpusPayloads(1), 'deflate-raw');
  const toBodies = () =>
    packed.records.flatMap((record) =>
      decodeRecord(record).flatMap((decoded) => {
        const wanted = filteredEvent(decoded, undefined);
        return wanted ? [Buffer.from(exportedEvent(wanted))] : [];
      }),
    );
  const bodies = toBodies();
  const bodyBytes = bodies.reduce((sum, body) => sum + body.length, 0);
  const units = bodies.reduce((sum, body) => sum + Math.ceil((body.length + PARTITION_KEY_BYTES) / PPU_BYTES), 0);
  const exportedEventBytes = Math.round(bodyBytes / bodies.length + PARTITION_KEY_BYTES);
  // Same run, same records: decoding alone is the baseline the export path is measured against.
  const decodeOnly = eventsPerSecond(packed.events, () => packed.records.map((record) => decodeRecord(record)));
  const toPutRecordsBodies = eventsPerSecond(packed.events, toBodies);
  await writeMeasuredFigure(MEASURED_EXPORT_SIZES_FILE, { exportedEventBytes });
  const plan = planExport({ eventsPerMonth: 1e9, exportedEventBytes, peakToMean: 3 });
  const result = {
    events: packed.events,
    exportedEvents: bodies.length,
    exportedEventBytes,
    recordsPerMillionExportedEvents: 1_000_000,
    putPayloadUnitsPerMillionExportedEvents: Math.round((units / bodies.length) * 1_000_000),
    decodeOnlyEventsPerSecondPerCore: decodeOnly,
    toPutRecordsBodiesEventsPerSecondPerCore: toPutRecordsBodies,
    exportPathOverDecode: Number((toPutRecordsBodies / decodeOnly).toFixed(3)),
    oneCustomerShardCarries: {
      eventsPerSecond: Math.floor(plan.eventsPerShardSecond),
      eventsPerMonth: Math.floor(plan.eventsPerShardMonth),
      limitedBy: plan.limitedBy,
    },
  };
  await writeResult('export.json', result);
  return result;
}
