// Worker entry: registers tsx so the TypeScript worker body runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./replica-worker.ts');
