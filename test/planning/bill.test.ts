import { Dev, Prod } from '../../lib/config/environments';
import { environmentBill } from '../../lib/planning/bill';
import { PRICES } from '../../lib/planning/prices';
import { ACCEPTED_FIGURES } from '../../lib/planning/sizing';
import { runScript } from '../support/run-script';

const SECONDS_A_MONTH = 730 * 3600;

describe('the bill of an environment', () => {
  it('adds up: each line per billion events is its month over the month’s events, the total the sum of the lines', () => {
    const bill = environmentBill(Prod);

    const billions = (Prod.load.peakEventsPerSecond * SECONDS_A_MONTH) / 1e9;
    const priced = bill.lines.filter((line) => line.monthly !== undefined);
    for (const line of priced) expect(line.perBillionEvents).toBeCloseTo(line.monthly! / billions, 2);
    expect(bill.monthly).toBeCloseTo(
      priced.reduce((sum, line) => sum + line.monthly!, 0),
      1,
    );
    expect(bill.missing).toEqual(['logs (CloudWatch)']);
  });

  it('prices the firewall by the requests the SDKs send, worked out by hand', () => {
    const requests = (Prod.load.peakEventsPerSecond * SECONDS_A_MONTH) / ACCEPTED_FIGURES.producer.eventsPerPayload;
    const expected = 5 + 3 * 1 + (requests / 1e6) * 0.6;

    const firewall = environmentBill(Prod).lines.find((line) => line.component === 'firewall (WAF)');

    expect(firewall!.monthly).toBeCloseTo(expected, 0);
    expect(environmentBill(Dev).lines.map((line) => line.component)).not.toContain('firewall (WAF)');
  });

  it('keeps the archive for its lifetime: a billion events cost their bytes for 30 days in Standard and the rest in Standard-IA', () => {
    const gbPerBillion = ACCEPTED_FIGURES.archive.storedBytesPerEvent;
    const daysPerMonth = 730 / 24;
    const lifetime =
      (gbPerBillion *
        (30 * PRICES.s3.standardGbMonth + (Prod.archive.expireAfterDays - 30) * PRICES.s3.infrequentAccessGbMonth)) /
      daysPerMonth;

    const storage = environmentBill(Prod).lines.find((line) => line.component === 'archive storage (S3)');

    // Within a cent: the objects Firehose puts cost the rest.
    expect(Math.abs(storage!.perBillionEvents! - lifetime)).toBeLessThan(0.01);
  });

  it('shows a component whose price is missing as missing, names it, and leaves it out of the totals', () => {
    const unpriced = { ...Prod, fleet: { ...Prod.fleet, instanceType: 'c7g.medium' } };

    const bill = environmentBill(unpriced);

    const fleet = bill.lines.find((line) => line.component === 'events API fleet (EC2)')!;
    expect(fleet.monthly).toBeUndefined();
    expect(fleet.basis).toMatch(/no public price for c7g\.medium/);
    expect(bill.missing).toContain('events API fleet (EC2)');
    expect(bill.monthly).toBeCloseTo(environmentBill(Prod).monthly - environmentBill(Prod).lines[0]!.monthly!, 1);
  });

  it('is printed per environment by npm run plan -- bill, with each share', async () => {
    const { code, output } = await runScript('scripts/plan.ts', ['bill', '--env', 'prod']);

    expect(code).toBe(0);
    expect(output).toMatch(/^prod: 462,963 events a second/);
    expect(output).toMatch(/firewall \(WAF\) +\$[\d,.]+ +\$[\d.]+ +\d+\.\d%/);
    expect(output).toMatch(/logs \(CloudWatch\) +missing/);
    expect(output).toMatch(/total of the priced +\$[\d,.]+/);
  });
});
