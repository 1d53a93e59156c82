import type { Account } from '../../api/types';

// Placeholder with its final props: being built (name + secret key, checked at once).
export function ConnectStripeAccount(_props: { onConnected: (account: Account) => void; onCancel?: () => void }) {
  return <p>ConnectStripeAccount</p>;
}
