/** The upsert merge of workflows/interceptors.ts: one command per activation, last values win, order kept. */
import { describe, expect, it } from 'vitest';
import { mergeSearchAttributeUpserts } from '../../workflows/interceptors.js';

const upsert = (fields: Record<string, string>) => ({ upsertWorkflowSearchAttributes: { searchAttributes: { indexedFields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { data: new TextEncoder().encode(v) }])) } } });
const timer = (seq: number) => ({ startTimer: { seq } });
const text = (command: ReturnType<typeof upsert>, key: string) => new TextDecoder().decode(command.upsertWorkflowSearchAttributes.searchAttributes.indexedFields[key]?.data);

describe('mergeSearchAttributeUpserts', () => {
  it('leaves an activation with one upsert or none as it is', () => {
    const commands = [timer(1), upsert({ CaseStatus: 'open' })];
    expect(mergeSearchAttributeUpserts(commands)).toEqual(commands);
    expect(mergeSearchAttributeUpserts([timer(1)])).toEqual([timer(1)]);
  });

  it('merges several upserts into one where the last was, the last value of each attribute winning', () => {
    const merged = mergeSearchAttributeUpserts([upsert({ CaseStatus: 'open', CurrentSteps: 'a' }), timer(1), upsert({ CurrentSteps: 'b' }), timer(2), upsert({ SlaState: 'ok' }), timer(3)]);
    expect(merged.map((c) => Object.keys(c)[0])).toEqual(['startTimer', 'startTimer', 'upsertWorkflowSearchAttributes', 'startTimer']);
    const single = merged[2] as ReturnType<typeof upsert>;
    expect(Object.keys(single.upsertWorkflowSearchAttributes.searchAttributes.indexedFields).sort()).toEqual(['CaseStatus', 'CurrentSteps', 'SlaState']);
    expect(text(single, 'CurrentSteps')).toBe('b');
    expect(text(single, 'CaseStatus')).toBe('open');
  });
});
