// What a photo's card says of its metadata (result.image), without a browser.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describePhoto } from '../../../main/resources/static/app/format.js';

const captioned = {
  width: 4000,
  height: 3000,
  orientation: 6,
  capturedAt: '2024-06-15T18:42:07+02:00',
  cameraMake: 'Fujifilm',
  cameraModel: 'X-T30',
  gps: { latitude: 50.9413, longitude: 6.9583 },
  description: 'Fähre über den Rhein bei Köln',
  headline: 'Die letzte Fähre des Tages',
};

test('a document that is no photo has no photo facts', () => {
  assert.deepEqual(describePhoto(undefined), []);
  assert.deepEqual(describePhoto(null), []);
});

test('a captioned photo shows its size, camera, capture time and caption, and not where it was taken', () => {
  assert.deepEqual(describePhoto(captioned), [
    ['Size', '4000 × 3000 pixels, shown turned 90° clockwise'],
    ['Camera', 'Fujifilm X-T30'],
    ['Taken', '2024-06-15 18:42 (UTC+02:00)'],
    ['Caption', 'Fähre über den Rhein bei Köln'],
  ]);
});

test('a photo without metadata shows its size alone', () => {
  assert.deepEqual(describePhoto({ width: 20, height: 10 }), [['Size', '20 × 10 pixels']]);
});

test('the make is named once when the model repeats it', () => {
  assert.deepEqual(describePhoto({ cameraMake: 'Canon', cameraModel: 'Canon EOS R6' }), [['Camera', 'Canon EOS R6']]);
});

test('a capture time without an offset stays the camera\'s local time', () => {
  assert.deepEqual(describePhoto({ capturedAt: '2023-12-24T09:15:00' }), [['Taken', '2023-12-24 09:15']]);
  assert.deepEqual(describePhoto({ capturedAt: '2023-12-24T09:15:00Z' }), [['Taken', '2023-12-24 09:15 (UTC)']]);
});

test('without a description the headline, then the title, is the caption', () => {
  assert.deepEqual(describePhoto({ headline: 'Headline', title: 'Title' }), [['Caption', 'Headline']]);
  assert.deepEqual(describePhoto({ title: 'Title' }), [['Caption', 'Title']]);
});
