// HTTP endpoint in graph-node's shape: POST /subgraphs/name/<name> with {query, variables}.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type QueryHandler = (body: {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}) => Promise<unknown>;

const MAX_BODY = 1 << 20;

export async function serve(opts: {
  host: string;
  port: number;
  name: string;
  handle: QueryHandler;
}): Promise<{ server: Server; url: string }> {
  const path = `/subgraphs/name/${opts.name}`;
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "access-control-allow-origin": "*",
        "access-control-allow-headers": "content-type",
        "access-control-allow-methods": "POST, GET",
      });
      return res.end();
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname.replace(/\/$/, "") !== path)
      return send(404, { errors: [{ message: `No subgraph at ${url.pathname}; this server serves ${path}` }] });
    if (req.method === "GET") {
      const query = url.searchParams.get("query");
      if (!query)
        return send(200, { message: `graph-runner (a local graph-node emulator): POST {"query": ...} to ${path}` });
      return void opts.handle({ query }).then(
        (r) => send(200, r),
        (e) => send(500, { errors: [{ message: String(e?.message ?? e) }] }),
      );
    }
    if (req.method !== "POST") return send(405, { errors: [{ message: "use POST" }] });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on("end", async () => {
      let body: any;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return send(400, { errors: [{ message: "request body is not valid JSON" }] });
      }
      if (!body || typeof body !== "object")
        return send(400, { errors: [{ message: "request body must be a JSON object with a `query`" }] });
      try {
        send(200, await opts.handle(body));
      } catch (e) {
        send(500, { errors: [{ message: String((e as Error)?.message ?? e) }] });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${opts.host}:${port}${path}` };
}
