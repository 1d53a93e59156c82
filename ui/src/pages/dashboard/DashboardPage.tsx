// Placeholder: being built.
export function DashboardPage() {
  return <p>DashboardPage</p>;
}
