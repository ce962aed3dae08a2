import type { LoggerService } from '@nestjs/common';
import type { OutageReporter } from '../stores/store-context.interface.js';

/**
 * The outage log of ONE backend instance, shared by all its parts (command connection,
 * subscriber, cluster nodes, changes feed, LISTEN client, the watch engine's reads...): each
 * part reports `down(part, cause)` and `up(part)`. One warning when the first part goes down
 * (the masked description and that first cause), one line when the last part is up again
 * (with the outage's duration), nothing in between: no line per part, retry, poll or
 * reconnect attempt. Transitions of single parts go to `debug`. Never given secrets: the
 * description is masked and causes are driver messages.
 * @internal
 */
export class OutageLog implements OutageReporter {
  /** Parts down now, each with when it went down (ms since epoch). */
  private readonly parts = new Map<string, number>();
  private since = 0;

  constructor(
    private readonly logger: LoggerService,
    /** Masked store description, for the log lines. */
    readonly description: string,
  ) {}

  /** Whether an outage is in progress (some part is down). */
  get failing(): boolean {
    return this.parts.size > 0;
  }

  /** `part` failed with `cause`: the first part down starts the outage (one warning). */
  down(part: string, cause: unknown): void {
    if (this.parts.has(part)) return;
    const reason = cause instanceof Error ? cause.message : String(cause);
    const now = Date.now();
    this.parts.set(part, now);
    this.logger.debug?.(
      `Result store ${this.description}: ${part} down (${reason})`,
    );
    if (this.parts.size > 1) return;
    this.since = now;
    this.logger.warn?.(
      `Result store ${this.description} unavailable (${part}: ${reason}); retrying, one line when it is back`,
    );
  }

  /** `part` works (again): the last part up ends the outage (one line with its duration). */
  up(part: string): void {
    if (!this.parts.delete(part)) return;
    this.logger.debug?.(`Result store ${this.description}: ${part} up`);
    if (this.parts.size > 0) return;
    const ms = Date.now() - this.since;
    this.logger.log?.(
      `Result store ${this.description} reachable again after ${ms} ms`,
    );
  }
}

/** A store that reports its outages to a shared {@link OutageLog}. @internal */
export interface ReportsOutages {
  /** The backend instance's outage log (the watch engine reports its reads to it too). */
  readonly outage: OutageReporter;
}

/** The store's own outage log, when it has one (stores of this library do). @internal */
export function outageLogOf(store: object): OutageReporter | undefined {
  const log = (store as Partial<ReportsOutages>).outage;
  return typeof log?.down === 'function' && typeof log.up === 'function'
    ? log
    : undefined;
}

/**
 * The outage log a store built from `ctx` shares: the context's (one per backend instance,
 * made by `createResultBackend`), else a new one for a store built directly.
 * @internal
 */
export function outageLogFor(
  ctx: { readonly logger: LoggerService; readonly outage?: OutageReporter },
  description: string,
): OutageReporter {
  return ctx.outage ?? new OutageLog(ctx.logger, description);
}
