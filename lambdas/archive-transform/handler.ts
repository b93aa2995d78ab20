import type {
  FirehoseTransformationEvent,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import { gzipSync } from 'node:zlib';
import { CorruptRecordError, decodeRecord } from '../../codec/event-codec';
import { archiveLine } from './archive-lines';

/** Lambda answers synchronously with at most 6 MB; keep room for the JSON around the records. */
export const RESPONSE_BUDGET_BYTES = 6 * 1024 * 1024 - 64 * 1024;
// {"recordId":"…","result":"Ok","data":""} around each record's data.
const PER_RECORD_OVERHEAD_BYTES = 160;

/** Level 1: the fastest; the archive's size is a small share of its cost beside the transform's CPU. */
const ARCHIVE_GZIP_LEVEL = 1;

export interface ArchiveTransformResult {
  readonly response: FirehoseTransformationResult;
  readonly events: number;
  readonly corruptRecords: number;
  readonly overBudgetRecords: number;
}

/**
 * Turns each Firehose record (one Kinesis record) into newline-delimited JSON, as a GZIP member of its own. The
 * delivery stream writes answers as they are (no compression of its own), so an archive object is a series of GZIP
 * members, which RFC 1952 defines as one GZIP file and every gunzip reads whole. Compressing here rather than in
 * Firehose keeps the answer near the size of the records: a compressed record's JSON is up to 40 times larger, and
 * Lambda answers at most 6 MB. A corrupt record is answered
 * ProcessingFailed and lands under the error prefix as it was; so does any record past the response budget,
 * which the delivery stream's processor buffer hint (lib/archive-layout.ts) keeps from happening.
 */
export function transformArchiveRecords(
  event: FirehoseTransformationEvent,
  budgetBytes = RESPONSE_BUDGET_BYTES,
): ArchiveTransformResult {
  let used = 0;
  let events = 0;
  let corruptRecords = 0;
  let overBudgetRecords = 0;
  const records = event.records.map((record): FirehoseTransformationResultRecord => {
    const failed: FirehoseTransformationResultRecord = {
      recordId: record.recordId,
      result: 'ProcessingFailed',
      data: record.data,
    };
    let lines: string;
    try {
      const decoded = decodeRecord(Buffer.from(record.data, 'base64'));
      lines = decoded.map(archiveLine).join('');
      events += decoded.length;
    } catch (error) {
      if (!(error instanceof CorruptRecordError)) throw error;
      corruptRecords++;
      used += record.data.length + PER_RECORD_OVERHEAD_BYTES;
      return failed;
    }
    const data = gzipSync(lines, { level: ARCHIVE_GZIP_LEVEL }).toString('base64');
    if (used + data.length + PER_RECORD_OVERHEAD_BYTES > budgetBytes) {
      overBudgetRecords++;
      used += record.data.length + PER_RECORD_OVERHEAD_BYTES;
      return failed;
    }
    used += data.length + PER_RECORD_OVERHEAD_BYTES;
    return { recordId: record.recordId, result: 'Ok', data };
  });
  return { response: { records }, events, corruptRecords, overBudgetRecords };
}
