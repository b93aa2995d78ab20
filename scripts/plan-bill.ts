import { CommandOption, CommandSpec, runCommand } from './command';
import { deployedEnvironment } from './environment-option';
import { ENVIRONMENTS } from '../lib/config/environments';
import { Bill, environmentBill } from '../lib/planning/bill';
import { PRICE_SOURCES, PRICES } from '../lib/planning/prices';

const spec = {
  name: 'npm run plan -- bill',
  summary:
    'Prices each environment a month and per billion events, by component, with its declared peak sustained all ' +
    'month: the fleet, the load balancer and the firewall, the stream, the endpoints, each function, Firehose, the ' +
    'archive, the stores and the experiment job, sized as the stacks are and from the measured rates ' +
    '(lib/planning/measured-*.json). A component without a public price is shown as missing.',
  options: {
    env: { type: 'string', value: 'NAME', description: 'one environment (default: every one)' },
    json: { type: 'boolean', default: false, description: 'the bills as JSON, with the price sources' },
  },
  examples: ['npm run plan -- bill', 'npm run plan -- bill --env prod --json'],
} as const satisfies CommandSpec<Record<string, CommandOption>>;

const money = (value: number) => `$${value.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
const share = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

function printBill(bill: Bill): void {
  console.log(
    `${bill.environment}: ${bill.eventsPerSecond.toLocaleString('en-US')} events a second, ${bill.billionEventsPerMonth} billion a month`,
  );
  const rows = bill.lines.map((line) => [
    line.component,
    line.monthly === undefined ? 'missing' : money(line.monthly),
    line.perBillionEvents === undefined ? '' : money(line.perBillionEvents),
    line.monthly === undefined ? '' : share(line.monthly, bill.monthly),
    line.basis,
  ]);
  rows.push(['total of the priced', money(bill.monthly), money(bill.perBillionEvents), '100%', '']);
  const header = ['component', 'a month', 'a billion events', 'share', 'reckoned from'];
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  for (const row of [header, ...rows])
    console.log(
      row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '),
    );
  for (const note of bill.notes) console.log(`note: ${note}`);
  console.log('');
}

export function runBillPlan(argv: readonly string[]): void {
  runCommand(
    spec,
    ({ values }) => {
      const configs = values.env ? [deployedEnvironment(values.env)] : ENVIRONMENTS;
      const bills = configs.map((config) => environmentBill(config));
      if (values.json) {
        console.log(JSON.stringify({ bills, prices: PRICES, sources: PRICE_SOURCES }, null, 2));
        return;
      }
      bills.forEach(printBill);
      console.log(`prices: ${PRICES.region} on-demand, as of ${PRICES.asOf}, each from its page (--json lists them)`);
    },
    argv,
  );
}
