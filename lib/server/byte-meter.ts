import { Transform } from 'node:stream';

/** Counts bytes as they pass; reports once whether the consumer took every byte or went away. */
export function meter(onEnd: (bytesSent: number, completed: boolean) => void): Transform {
  let sent = 0;
  let reported = false;
  const report = (completed: boolean) => {
    if (reported) return;
    reported = true;
    onEnd(sent, completed);
  };
  const t = new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, done) {
      sent += chunk.length;
      done(null, chunk);
    },
  });
  t.on('end', () => report(true));
  t.on('close', () => report(false));
  return t;
}
