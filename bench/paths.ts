/**
 * The paths the benchmark runs, each in both variants with the same input: who completes which
 * task with which outcome and form data, and the outcome the case must end with.
 */

export type Variant = 'interpreted' | 'hand-written';

export interface Move {
  step: string;
  outcome: string;
  data?: Record<string, unknown>;
  /** Who acts, in which role; `assignee` acts as the person the task is assigned to (the dispatched technician). */
  as: { id: string; role: string } | { assignee: true; role: string };
}

export interface BenchPath {
  /** As the report names it. */
  name: string;
  process: string;
  /** The hand-written workflow's type (bench/workflows/index.ts). */
  handType: string;
  input: () => unknown;
  parameters?: Record<string, unknown>;
  owner?: string;
  moves: Move[];
  outcome: string;
  /** The decision steps (`decide:`) the path goes through: the events goal allows 2 more per decision branch. */
  decisions: number;
}

const agent = { id: 'li.na', role: 'agent' };

export const paths: BenchPath[] = [
  {
    name: 'passed-on-question, answered',
    process: 'passed-on-question',
    handType: 'handPassedOnQuestion',
    input: () => ({ customer: { id: 'M-20931', name: 'Wang Li', phone: '138-0013-8000' }, question: 'Can the dryer be stacked on the washer?', channel: 'phone' }),
    // The follow-up window shortened (as the recorded history does), so a case ends in a second.
    parameters: { followUpWindow: '1s' },
    moves: [{ step: 'answer', outcome: 'answered', data: { reply: 'Yes, with stacking kit SK-2.' }, as: { id: 'tech.support', role: 'department' } }],
    outcome: 'answered',
    decisions: 0,
  },
  {
    name: 'repair, in warranty, straight',
    process: 'repair',
    handType: 'handRepair',
    input: () => ({
      customer: { id: 'M-33018', name: 'Sun Qiang', phone: '137-2200-1189', address: 'Room 1203, 88 Tianshan Road, Shanghai' },
      product: { model: 'WM-80', serial: 'WM80-2025-118843' },
      fault: 'The drum makes a grinding noise when spinning',
      purchaseDate: new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10),
      skill: 'washing-machine',
    }),
    moves: [
      { step: 'inform-customer', outcome: 'informed', as: agent },
      { step: 'appointment', outcome: 'agreed', data: { place: 'at home' }, as: { assignee: true, role: 'technician' } },
      { step: 'diagnose', outcome: 'repair', data: { diagnosis: 'Worn drum bearing' }, as: { assignee: true, role: 'technician' } },
      { step: 'repair', outcome: 'repaired', data: { work: 'Bearing replaced' }, as: { assignee: true, role: 'technician' } },
      { step: 'test', outcome: 'passed', as: { assignee: true, role: 'technician' } },
      { step: 'acceptance', outcome: 'accepted', as: { assignee: true, role: 'technician' } },
      { step: 'audit', outcome: 'approved', as: { id: 'ma.jun', role: 'team-lead' } },
    ],
    outcome: 'repaired',
    decisions: 2,
  },
  {
    name: 'complaint, general enquiry',
    process: 'complaint',
    handType: 'handComplaint',
    owner: agent.id,
    input: () => ({ customer: { id: 'M-10442', name: 'Zhao Min', phone: '139-1088-2231' }, channel: 'chat', description: 'Which detergent suits the WM-80?' }),
    moves: [
      { step: 'classify', outcome: 'general-enquiry', data: { department: 'customer service' }, as: agent },
      { step: 'answer-enquiry', outcome: 'answered', data: { answer: 'Low-foam powder; see page 12 of the manual.' }, as: agent },
    ],
    outcome: 'answered',
    decisions: 1,
  },
];

/** The path the scale run opens cases of: they wait on the first task with an SLA timer pending. */
export const scalePath = paths.find((p) => p.process === 'complaint') as BenchPath;
