import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';

/**
 * Handlers speak web Request/Response (so Next route handlers can export them), but bytes move
 * faster as node streams. When the origin's own HTTP server calls a handler it registers the
 * raw request body here, and picks up a response's node stream from here, skipping the
 * web-stream conversion both ways. Under plain Next the web streams are used.
 */
const requestBodies = new WeakMap<Request, Readable>();
const responseBodies = new WeakMap<Response, Readable>();

export function attachNodeBody(req: Request, body: Readable): void {
  requestBodies.set(req, body);
}

/** The request body as a node stream (empty when there is none). */
export function requestBody(req: Request): Readable {
  const node = requestBodies.get(req);
  if (node) return node;
  return req.body ? Readable.fromWeb(req.body as NodeWebStream<Uint8Array>) : Readable.from([]);
}

/**
 * A Response streaming `body`. The web stream pulls lazily, so a server that takes the node
 * stream from nodeBodyOf() reads it directly and the web side is never started.
 */
export function streamResponse(body: Readable, init: ResponseInit): Response {
  let it: AsyncIterator<Buffer> | undefined;
  const web = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        it ??= body[Symbol.asyncIterator]();
        try {
          const { value, done } = await it.next();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (err) {
          controller.error(err);
        }
      },
      cancel() {
        body.destroy();
      },
    },
    { highWaterMark: 0 },
  );
  const res = new Response(web, init);
  responseBodies.set(res, body);
  return res;
}

export function nodeBodyOf(res: Response): Readable | undefined {
  return responseBodies.get(res);
}
