/**
 * Some SDK actions ask the wallet more than once (a token payment: an exact approval, then the
 * purchase). To tell the person which prompt is which, the wallet client is wrapped so that each
 * transaction is seen on its way to the wallet, before its prompt opens.
 */
import { type Address, type WalletClient, createWalletClient, custom } from "viem";

export function observeTransactions(wallet: WalletClient, onSend: (to: Address | undefined) => void): WalletClient {
  return createWalletClient({
    account: wallet.account,
    chain: wallet.chain,
    transport: custom({
      async request({ method, params }: { method: string; params?: unknown }) {
        if (method === "eth_sendTransaction") onSend((params as [{ to?: Address }] | undefined)?.[0]?.to);
        return wallet.request({ method, params } as Parameters<WalletClient["request"]>[0]);
      },
    }),
  });
}
