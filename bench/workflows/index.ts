/**
 * The benchmark's workflow bundle: the interpreter as the default workflow (every process name
 * is a workflow type of its own, as in the worker), and the hand-written workflows under their
 * own types. Export nothing else: every exported function becomes a workflow type.
 */
export { caseWorkflow as default } from '../../workflows/case-workflow.js';
export { handComplaint } from './complaint.js';
export { handPassedOnQuestion } from './passed-on-question.js';
export { handRepair } from './repair.js';
