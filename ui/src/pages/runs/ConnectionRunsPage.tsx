// Placeholder: being built.
export function ConnectionRunsPage() {
  return <p>ConnectionRunsPage</p>;
}
