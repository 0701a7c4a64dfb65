import { backendChoices } from '@s2s/core';
import { expect, it } from 'vitest';
import { backendNames } from './program.js';

it("offers exactly core's backend choices", () => {
  expect(backendNames).toEqual(backendChoices);
});
