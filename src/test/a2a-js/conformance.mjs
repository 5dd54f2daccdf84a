// Drives a running Tether through the official A2A JavaScript client (@a2a-js/sdk, pinned in package.json).
// Usage: node conformance.mjs <baseUrl> <token>. A2aConformanceTest scripts the fake model's replies in this order:
//   1. a `list` tool call, then the answer "Listed the workspace."   (blocking message/send)
//   2. the answer "Streamed answer."                                  (message/stream)
//   3. the answer "Continued."                                        (message/send in the same context)
//   4. a `list` tool call, then a reply that never comes              (message/stream, then tasks/cancel)
// Prints one line per check and "conformance passed" at the end; exits 1 at the first failed check.
import { ClientFactory, JsonRpcTransportFactory, TaskNotCancelableError, TaskNotFoundError } from '@a2a-js/sdk/client';
import { randomUUID } from 'node:crypto';

const [baseUrl, token] = process.argv.slice(2);
if (!baseUrl || !token) {
  console.error('usage: node conformance.mjs <baseUrl> <token>');
  process.exit(2);
}

let checks = 0;
function check(condition, what, detail) {
  if (!condition) {
    throw new Error(`${what}${detail === undefined ? '' : ': ' + JSON.stringify(detail)}`);
  }
  checks++;
  console.log(`ok ${checks} - ${what}`);
}

const authFetch = (url, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return fetch(url, { ...init, headers });
};

function userMessage(text, contextId) {
  const message = { kind: 'message', role: 'user', messageId: randomUUID(), parts: [{ kind: 'text', text }] };
  if (contextId) {
    message.contextId = contextId;
  }
  return message;
}

async function main() {
  // the card is public: fetched without the token
  const cardResponse = await fetch(new URL('/.well-known/agent-card.json', baseUrl));
  check(cardResponse.ok, 'the agent card is served without a token', cardResponse.status);
  const card = await cardResponse.json();
  check(card.protocolVersion === '0.3.0' && card.capabilities?.streaming === true, 'card: protocol 0.3.0, streaming',
    card);
  check(card.securitySchemes?.bearer?.scheme === 'bearer', 'card: bearer security scheme', card.securitySchemes);

  const unauthorized = await fetch(card.url, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { id: 'x' } }),
  });
  check(unauthorized.status === 401, 'a call without the token is refused', unauthorized.status);

  const factory = new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl: authFetch })] });
  const client = await factory.createFromUrl(baseUrl);

  // 1. blocking send with a tool round trip
  const first = await client.sendMessage({ message: userMessage('List the files in the workspace') });
  check(first.kind === 'task' && first.status.state === 'completed', 'blocking send: the task completed', first.status);
  const answer = first.artifacts?.[0]?.parts?.[0]?.text;
  check(answer === 'Listed the workspace.', 'blocking send: the answer is an artifact', first.artifacts);
  const toolCall = first.history?.find((m) => m.parts.some((p) => p.kind === 'data' && p.data.type === 'tool_call'));
  check(toolCall?.role === 'agent', 'blocking send: the tool call is in the history', first.history);

  // 2. streaming
  const kinds = [];
  let streamedTask;
  let streamedAnswer;
  for await (const event of client.sendMessageStream({ message: userMessage('Stream something') })) {
    kinds.push(event.kind === 'status-update' ? `status-update:${event.status.state}` : event.kind);
    if (event.kind === 'task') {
      streamedTask = event;
    } else if (event.kind === 'artifact-update') {
      streamedAnswer = event.artifact.parts[0].text;
    }
  }
  check(kinds[0] === 'task' && kinds.at(-1) === 'status-update:completed', 'stream: task first, completed last',
    kinds);
  check(streamedAnswer === 'Streamed answer.', 'stream: the answer as an artifact update', kinds);
  check(streamedTask.contextId !== first.contextId, 'stream: a message without contextId opens a new context');

  // 3. the same context again
  const third = await client.sendMessage({ message: userMessage('And then?', first.contextId) });
  check(third.contextId === first.contextId && third.id !== first.id, 'same context: a new task in it', third);
  check(third.artifacts[0].parts[0].text === 'Continued.', 'same context: answered', third.artifacts);

  // 4. get with history
  const fetched = await client.getTask({ id: first.id, historyLength: 2 });
  check(fetched.status.state === 'completed' && fetched.history.length === 2, 'get: the task with its last 2 messages',
    fetched);
  check(fetched.history[1].parts[0].text === 'Listed the workspace.', 'get: the history ends with the answer',
    fetched.history);
  try {
    await client.getTask({ id: `${first.contextId}:${randomUUID()}` });
    check(false, 'get: an unknown task fails');
  } catch (e) {
    check(e instanceof TaskNotFoundError, 'get: an unknown task is TaskNotFound (-32001)', String(e));
  }

  // 5. cancel a slow task while it streams: the turn must stop before the task is canceled
  const slowKinds = [];
  let slowId;
  let canceled;
  for await (const event of client.sendMessageStream({ message: userMessage('Take your time') })) {
    slowKinds.push(event.kind === 'status-update' ? `status-update:${event.status.state}` : event.kind);
    slowId ??= event.kind === 'task' ? event.id : event.taskId;
    const data = event.kind === 'status-update' ? event.status.message?.parts?.[0]?.data : undefined;
    if (data?.type === 'tool_result' && !canceled) {
      // the tool ran; the model is being asked again and does not answer
      canceled = await client.cancelTask({ id: slowId });
    }
  }
  check(canceled?.status?.state === 'canceled', 'cancel: the running task is canceled', canceled);
  check(canceled.metadata?.tether?.terminal_reason === 'aborted', 'cancel: its turn ended as aborted',
    canceled.metadata);
  check(slowKinds.at(-1) === 'status-update:canceled', 'cancel: the stream ends with the canceled status', slowKinds);
  const after = await client.getTask({ id: slowId });
  check(after.status.state === 'canceled', 'cancel: get shows the task canceled', after.status);
  const resubscribed = [];
  for await (const event of client.resubscribeTask({ id: slowId })) {
    resubscribed.push(event);
  }
  check(resubscribed.length === 1 && resubscribed[0].status.state === 'canceled',
    'resubscribe: an ended task is sent alone', resubscribed);
  try {
    await client.cancelTask({ id: slowId });
    check(false, 'cancel: an ended task is not cancelable');
  } catch (e) {
    check(e instanceof TaskNotCancelableError, 'cancel: an ended task is TaskNotCancelable (-32002)', String(e));
  }
  console.log(`conformance passed: ${checks} checks`);
}

main().catch((e) => {
  console.error(`FAIL after ${checks} checks: ${e?.stack ?? e}`);
  process.exit(1);
});
