/**
 * The interpreter's workflow interceptors (one search-attribute upsert per activation, behind
 * its patch), for the interpreter only: the hand-written workflows upsert once where they mean
 * to and must not get the patch's marker.
 */
import { workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { interceptors as caseInterceptors } from '../../workflows/interceptors.js';

export const HAND_WRITTEN_PREFIX = 'hand';

export const interceptors: WorkflowInterceptorsFactory = () => (workflowInfo().workflowType.startsWith(HAND_WRITTEN_PREFIX) ? {} : caseInterceptors());
