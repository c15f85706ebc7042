/**
 * The workflow bundle's entry. Its default export is the interpreter: the SDK runs it for
 * every workflow type not exported by name, so each process name is a workflow type of its
 * own and a new YAML process needs no code. Export nothing else here: every exported
 * function would become a workflow type.
 */
export { caseWorkflow as default } from './case-workflow.js';
