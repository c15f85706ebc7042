/**
 * Whether customer data shows in clear anywhere Temporal keeps it: the raw histories, the
 * visibility records (search attributes, memo) and the descriptions (pending activities and
 * their last failures, user metadata) of every case on a task queue, read without the codec
 * and searched byte for byte.
 */
import type { Client } from '@temporalio/client';
// A CommonJS package: Node's ESM loader gives its exports as the default export only.
import proto from '@temporalio/proto';

const { temporal } = proto;

/** The customer's personal data in a case input: every text under `input.customer` but its id. */
export function personalDataOf(input: unknown): string[] {
  const customer = (input as { customer?: unknown } | null)?.customer;
  if (customer === null || typeof customer !== 'object') return [];
  const texts: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string' && value.length >= 3) texts.push(value);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  for (const [key, value] of Object.entries(customer)) if (key !== 'id') walk(value);
  return texts;
}

/** Where each of `secrets` appears in clear in Temporal's records of the cases on `taskQueue` ("<secret> in <record> of <case>"). */
export async function clearTextIn(client: Client, taskQueue: string, secrets: readonly string[]): Promise<string[]> {
  const service = client.workflowService;
  const namespace = client.options.namespace;
  const found: string[] = [];
  const search = (bytes: Uint8Array, where: string) => {
    const haystack = Buffer.from(bytes);
    for (const secret of secrets) if (haystack.includes(Buffer.from(secret, 'utf8'))) found.push(`${secret} in ${where}`);
  };
  const executions: proto.temporal.api.common.v1.IWorkflowExecution[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await service.listWorkflowExecutions({ namespace, query: `TaskQueue = "${taskQueue}"`, nextPageToken });
    search(temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse.encode(page).finish(), 'the visibility records');
    executions.push(...(page.executions ?? []).map((e) => e.execution ?? {}));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  for (const execution of executions) {
    const description = await service.describeWorkflowExecution({ namespace, execution });
    search(temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(description).finish(), `the description of ${execution.workflowId}`);
    let historyPage: Uint8Array | undefined;
    do {
      const history = await service.getWorkflowExecutionHistory({ namespace, execution, nextPageToken: historyPage });
      search(temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse.encode(history).finish(), `the history of ${execution.workflowId}`);
      historyPage = history.nextPageToken?.length ? history.nextPageToken : undefined;
    } while (historyPage);
  }
  if (executions.length === 0) found.push(`(no case found on task queue ${taskQueue}: nothing was checked)`);
  return found;
}
