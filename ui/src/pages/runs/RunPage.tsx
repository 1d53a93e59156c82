// Placeholder: being built.
export function RunPage() {
  return <p>RunPage</p>;
}
