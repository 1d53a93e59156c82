import { InvalidArgumentError } from 'commander';

/** A commander option parser for a number in a range, with a message that names the option. */
export function numberIn(option: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${option}: ${JSON.stringify(value)} is not a number from ${min} to ${max}`);
    }
    return n;
  };
}
