/**
 * What happens after "Upload and register", one line per stage as it really goes: the files
 * prepared in the browser, their bytes sent to IPFS, then the wallet. "Confirm in your wallet"
 * shows only while a wallet prompt is open; before and after it the line says what is being waited for.
 */
import { sizeOf } from "./formats.ts";

export interface Bytes {
  bytes: number;
  total: number;
}

export interface PublishProgress {
  stage: "fetch" | "prepare" | "upload" | "register" | "key" | "done";
  /** The stage stopped with an error (shown next to the form). */
  failed?: boolean;
  /** A wallet prompt was opened (and maybe answered) in this stage. */
  asked?: boolean;
  /** Bytes of the existing package read back from IPFS (editing a track). */
  fetched?: Bytes;
  /** Bytes hashed in the browser (their IPFS addresses). */
  prepared?: Bytes;
  /** Bytes of the upload request sent to the IPFS service. */
  sent?: Bytes;
  /** The wallet prompt open right now (its JSON-RPC method). */
  prompt?: string;
}

type Line = { key: PublishProgress["stage"]; title: string };

const percent = ({ bytes, total }: Bytes) => Math.floor((bytes / Math.max(total, 1)) * 100);

export function PublishSteps({
  progress,
  chainTitle,
  withKey,
  withFetch,
}: {
  progress: PublishProgress;
  /** The transaction, in words: "Register the track on Core". */
  chainTitle: string;
  withKey?: boolean;
  withFetch?: boolean;
}) {
  const lines: Line[] = [
    ...(withFetch ? [{ key: "fetch", title: "Read the recording back from IPFS" } as Line] : []),
    { key: "prepare", title: "Prepare the files in your browser" },
    { key: "upload", title: "Upload to IPFS" },
    { key: "register", title: chainTitle },
    ...(withKey ? [{ key: "key", title: "Hand the track's key to the key service" } as Line] : []),
  ];
  const order = lines.map((line) => line.key);
  const at = progress.stage === "done" ? order.length : order.indexOf(progress.stage);
  return (
    <ol className="publish-steps" data-testid="publish-steps" aria-live="polite">
      {lines.map((line, i) => {
        const state = i < at ? "done" : i === at ? (progress.failed ? "failed" : "active") : "todo";
        return (
          <li key={line.key} data-state={state} data-testid={`publish-${line.key}`}>
            <span className="publish-mark" aria-hidden="true">
              {state === "done" ? (
                "✓"
              ) : state === "failed" ? (
                "✗"
              ) : state === "active" ? (
                <span className="spinner" />
              ) : (
                i + 1
              )}
            </span>
            <span className="publish-title">
              {line.title}
              <span className="sr-only">
                {state === "done" ? " (done)" : state === "active" ? " (now)" : state === "failed" ? " (stopped)" : ""}
              </span>
            </span>
            {state === "active" && <Detail line={line.key} progress={progress} />}
          </li>
        );
      })}
    </ol>
  );
}

function Detail({ line, progress }: { line: PublishProgress["stage"]; progress: PublishProgress }) {
  const wallet = progress.prompt ? (
    <strong className="publish-wallet">
      Confirm in your wallet
      {progress.prompt === "eth_sendTransaction" ? ": one transaction." : ": a signature, no transaction."}
    </strong>
  ) : undefined;
  switch (line) {
    case "fetch":
    case "prepare":
    case "upload": {
      const bytes = line === "fetch" ? progress.fetched : line === "prepare" ? progress.prepared : progress.sent;
      const verb = line === "fetch" ? "read" : line === "prepare" ? "prepared" : "sent";
      return (
        <span className="publish-detail">
          <progress
            max={bytes?.total ?? 1}
            value={bytes?.bytes ?? 0}
            data-testid={`${line}-progress`}
            aria-label={`${verb} so far`}
          />
          <span data-testid={`${line}-bytes`}>
            {bytes ? `${sizeOf(bytes.bytes)} of ${sizeOf(bytes.total)} ${verb} (${percent(bytes)}%)` : "Starting…"}
          </span>
        </span>
      );
    }
    case "register":
      return (
        <span className="publish-detail">
          {wallet ?? (progress.asked ? "Waiting for the block that records it…" : "Preparing the transaction…")}
        </span>
      );
    case "key":
      return (
        <span className="publish-detail">
          {wallet ??
            (progress.asked
              ? "Sending the key, so licence holders can unlock the audio…"
              : "Connecting to the key service…")}
        </span>
      );
    default:
      return null;
  }
}
