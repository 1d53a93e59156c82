// Placeholder: being built.
export function AccountsPage() {
  return <p>AccountsPage</p>;
}
