export function App() {
  return (
    <main data-testid="app">
      <h1>RadLocal</h1>
      <p>Local-only second opinion for medical images. Synthetic training data — not for clinical use.</p>
    </main>
  );
}
