import { Readable } from 'node:stream';

/**
 * A newline-delimited JSON stream fed by a producer that reports as it goes: each `push` is sent
 * to the client at once, so long runs show progress instead of one late answer.
 */
export function ndjsonStream(produce: (push: (line: unknown) => void) => Promise<void>): Readable {
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  const push = (line: unknown) => {
    queue.push(`${JSON.stringify(line)}\n`);
    wake?.();
  };
  produce(push)
    .catch((error) =>
      push({
        type: 'error',
        code: 'stream-interrupted',
        message: `The run stopped early (${error instanceof Error ? error.message : error}); the lines above are final, rerun the rest.`,
      }),
    )
    .finally(() => {
      finished = true;
      wake?.();
    });
  async function* lines() {
    while (true) {
      while (queue.length) yield queue.shift()!;
      if (finished) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  }
  return Readable.from(lines());
}
