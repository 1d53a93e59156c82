// Placeholder: being built.
export function WizardPage() {
  return <p>WizardPage</p>;
}
