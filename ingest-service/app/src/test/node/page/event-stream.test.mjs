import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEvents } from '../../../main/resources/static/app/event-stream.js';

test('complete events are parsed and the incomplete rest is kept for the next chunk', () => {
  const first = parseEvents('id: 1-0\nevent: status\ndata: {"a":1}\n\nid: 2-0\nevent: progr');
  assert.deepEqual(first.events, [{ type: 'status', data: '{"a":1}', id: '1-0' }]);
  const second = parseEvents(`${first.rest}ess\ndata: {"b":2}\n\n`);
  assert.deepEqual(second.events, [{ type: 'progress', data: '{"b":2}', id: '2-0' }]);
  assert.equal(second.rest, '');
});

test('CRLF line ends, comments, multi-line data and a missing space after the colon', () => {
  const { events } = parseEvents(': keep-alive\r\n\r\nevent:completed\r\ndata:line one\r\ndata: line two\r\n\r\n');
  assert.deepEqual(events, [{ type: 'completed', data: 'line one\nline two', id: null }]);
});

test('an event without a name is a message', () => {
  assert.equal(parseEvents('data: x\n\n').events[0].type, 'message');
});
