/**
 * Run by host-time-zone.test.ts in a child process with another TZ: prints the host's own UTC
 * offset (to prove the zone took effect) and a fixed set of calendar computations as JSON.
 */
import { calendar } from './calendars.js';

const results: Record<string, unknown> = { hostOffsetMinutes: new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset() };
for (const name of ['mainland-china', 'monday-to-friday', 'berlin-shifts', 'new-york-office']) {
  const cal = calendar(name);
  const out: unknown[] = [];
  for (let from = Date.parse('2026-01-01T00:00:00Z'); from < Date.parse('2027-01-15T00:00:00Z'); from += 37 * 3_600_000 + 17 * 60_000) {
    out.push([cal.addBusinessHours(from, 9.25), cal.endOfWorkingDays(from, 3), cal.nextWorkingInstant(from), cal.businessMillisBetween(from, from + 5 * 86_400_000), cal.localDate(from), cal.formatLocal(from)]);
  }
  results[name] = out;
}
process.stdout.write(JSON.stringify(results));
