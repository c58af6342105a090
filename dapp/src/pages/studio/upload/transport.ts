/**
 * The two things the publish steps show as they really happen: the bytes the browser has sent to
 * the IPFS service (fetch cannot report an upload's progress, XMLHttpRequest can), and whether a
 * wallet prompt is open right now.
 */
import { HarmonieError, UploadTooLargeError } from "@harmonie/sdk";
import { type StorageBackend, createHttpServiceBackend } from "@harmonie/sdk/storage";
import { createWalletClient, custom } from "viem";
import type { Wallet } from "../../../lib/wallet.ts";
import { sizeOf } from "./formats.ts";
import type { PublishProgress } from "./PublishSteps.tsx";

/**
 * A publish run's storage and wallet, reporting to its steps: bytes sent move the upload line, and a
 * wallet prompt shows while it is open (never before the wallet asks).
 */
export function publishing(
  uploadUrl: string,
  wallet: Wallet,
  update: (next: Partial<PublishProgress>) => void,
): { storage: StorageBackend; wallet: Wallet } {
  return {
    storage: tooLargeInWords(
      uploadBackend(uploadUrl, (bytes, total) => update({ stage: "upload", sent: { bytes, total } })),
    ),
    wallet: watchWallet(wallet, (method) => update(method ? { prompt: method, asked: true } : { prompt: undefined })),
  };
}

/** The IPFS service's backend, reporting each upload's bytes sent (`sent` of `total`, the whole request). */
function uploadBackend(url: string, onSent: (sent: number, total: number) => void): StorageBackend {
  const upload: typeof fetch = (input, init) => {
    const body = init?.body;
    if (init?.method !== "POST" || !(body instanceof FormData)) return fetch(input, init);
    return new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", String(input));
      xhr.responseType = "arraybuffer";
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onSent(event.loaded, event.total);
      };
      xhr.onload = () =>
        resolve(new Response(xhr.response as ArrayBuffer, { status: xhr.status, headers: headersOf(xhr) }));
      // What fetch would throw: errors.ts says it in plain words ("the network could not be reached").
      xhr.onerror = () => reject(new TypeError("Failed to fetch"));
      xhr.onabort = () => reject(new DOMException("The upload was stopped.", "AbortError"));
      init?.signal?.addEventListener("abort", () => xhr.abort());
      xhr.send(body);
    });
  };
  return createHttpServiceBackend({ url, fetch: upload });
}

function headersOf(xhr: XMLHttpRequest): Headers {
  const headers = new Headers();
  for (const line of xhr
    .getAllResponseHeaders()
    .trim()
    .split(/[\r\n]+/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** Requests that open a prompt in the wallet. */
const PROMPTS = new Set([
  "eth_sendTransaction",
  "personal_sign",
  "eth_signTypedData_v4",
  "eth_sign",
  "wallet_sendCalls",
]);

/** The wallet client, telling `onPrompt` when a wallet prompt opens (its method) and closes (undefined). */
function watchWallet(wallet: Wallet, onPrompt: (method: string | undefined) => void): Wallet {
  return createWalletClient({
    account: wallet.account,
    chain: wallet.chain,
    transport: custom({
      async request({ method, params }: { method: string; params?: unknown }) {
        const ask = () => wallet.request({ method, params } as Parameters<Wallet["request"]>[0]);
        if (!PROMPTS.has(method)) return ask();
        onPrompt(method);
        try {
          return await ask();
        } finally {
          onPrompt(undefined);
        }
      },
    }),
  }) as unknown as Wallet;
}

/** The IPFS service's size limit, said to an artist rather than to its operator. */
function tooLargeInWords(storage: StorageBackend): StorageBackend {
  return {
    ...storage,
    add: async (...args: Parameters<StorageBackend["add"]>) => {
      try {
        return await storage.add(...args);
      } catch (error) {
        if (error instanceof UploadTooLargeError && error.limitBytes > 0)
          throw new HarmonieError(
            `Your files are too large for this IPFS service: it takes at most ${sizeOf(error.limitBytes)} at once. Export the audio at a smaller size (a high-quality MP3, for example) and try again.`,
          );
        throw error;
      }
    },
  };
}
