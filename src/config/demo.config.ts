import { registerAs } from '@nestjs/config';

/** Settings of the simulated tasks of `POST /demo/tasks`. */
export interface DemoConfig {
  /** Time between two state writes of a simulated task, ms (`DEMO_STEP_MS`, default 700). */
  readonly stepMs: number;
}

/** Default pace of simulated tasks. */
export const DEFAULT_DEMO_STEP_MS = 700;

/** `demo` config namespace. */
export const demoConfig = registerAs('demo', (): DemoConfig => {
  const raw = Number(process.env.DEMO_STEP_MS);
  const stepMs =
    Number.isFinite(raw) && raw >= 10 && raw <= 60_000
      ? raw
      : DEFAULT_DEMO_STEP_MS;
  return { stepMs };
});
