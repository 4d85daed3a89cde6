// daikon 1.2.46 (devDependency, used only as an independent reference decoder in tests) ships
// no types; the tests describe the two calls they make at the call site.
declare module 'daikon' {
  const daikon: unknown;
  export default daikon;
}
