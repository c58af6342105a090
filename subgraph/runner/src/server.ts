// HTTP endpoint in graph-node's shape (server/http/src/service.rs): POST
// /subgraphs/name/<name> or /subgraphs/id/<deployment> with {query, variables};
// GET on a subgraph redirects (307) to `<path>/graphql`, a GraphiQL page for browsers.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type QueryHandler = (body: {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}) => Promise<unknown>;

const MAX_BODY = 1 << 20;

/** A GraphiQL page (GraphiQL from a CDN, as graph-node's page loads it) querying the path it is served under. */
function graphiqlHtml(title: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title.replace(/[<&>]/g, "")} · graph-runner</title>
    <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/graphiql@3/graphiql.min.css" />
  </head>
  <body style="margin: 0; height: 100vh">
    <div id="graphiql" style="height: 100vh"></div>
    <script crossorigin src="https://cdn.jsdelivr.net/npm/react@18/umd/react.production.min.js"></script>
    <script crossorigin src="https://cdn.jsdelivr.net/npm/react-dom@18/umd/react-dom.production.min.js"></script>
    <script crossorigin src="https://cdn.jsdelivr.net/npm/graphiql@3/graphiql.min.js"></script>
    <script>
      // This page is served at <subgraph>/graphql; queries go to <subgraph>.
      const endpoint = location.pathname.replace(/\/graphql\/?$/, "");
      const fetcher = GraphiQL.createFetcher({ url: endpoint });
      ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(GraphiQL, { fetcher }));
    </script>
  </body>
</html>
`;
}

export async function serve(opts: {
  host: string;
  port: number;
  name: string;
  /** Also served at /subgraphs/id/<deployment>, as graph-node does. */
  deployment?: string;
  handle: QueryHandler;
}): Promise<{ server: Server; url: string }> {
  const path = `/subgraphs/name/${opts.name}`;
  const paths = [path, ...(opts.deployment ? [`/subgraphs/id/${opts.deployment}`] : [])];
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
    const pathname = url.pathname.replace(/\/$/, "");
    if (req.method === "GET" && pathname === "")
      return send(200, {
        message:
          "Access deployed subgraphs by deployment ID at /subgraphs/id/<ID> or by name at /subgraphs/name/<NAME>",
      });
    if (req.method === "GET" && paths.some((p) => pathname === `${p}/graphql`)) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "access-control-allow-origin": "*" });
      return res.end(graphiqlHtml(opts.name));
    }
    if (!paths.includes(pathname))
      return send(404, {
        errors: [{ message: `No subgraph at ${url.pathname}; this server serves ${paths.join(", ")}` }],
      });
    if (req.method === "GET") {
      const query = url.searchParams.get("query");
      // graph-node redirects a browser to the GraphiQL page; `?query=` is this emulator's extra.
      if (!query) {
        res.writeHead(307, { location: `${pathname}/graphql`, "access-control-allow-origin": "*" });
        return res.end();
      }
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
