import { roundToStep, truncateToStep } from '../../../src/execution/planning/precision';

describe('truncateToStep', () => {
  it.each([
    [0.123456789, 0.00001, 0.12345],
    [0.0019999, 0.001, 0.001],
    [0.002, 0.001, 0.002],
    [0.3 - 0.1, 0.001, 0.2], // 0.19999999999999998 must not lose a step
    [1.23, 0.01, 1.23],
    [157.9, 1, 157],
    [0.000009, 0.00001, 0],
    [12.345, 0.5, 12],
    [5, undefined, 5],
    [5.5, 0, 5.5],
  ])('when %p is truncated to step %p, then it is %p', (value, step, expected) => {
    expect(truncateToStep(value, step)).toBe(expected);
  });
});

describe('roundToStep', () => {
  it.each([
    [50000.126, 0.01, 50000.13],
    [50000.124, 0.01, 50000.12],
    [2.26, 0.5, 2.5],
    [0.1 + 0.2, 0.1, 0.3],
    [7, undefined, 7],
  ])('when %p is rounded to step %p, then it is %p', (value, step, expected) => {
    expect(roundToStep(value, step)).toBe(expected);
  });
});
