import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  HealthIndicatorService,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { DEFAULT_RESULT_BACKEND_NAME } from '../result-backend.constants.js';
import type { ResultBackendService } from '../result-backend.service.js';
import { getResultBackendToken } from '../result-backend.tokens.js';
import { healthErrorMessage, withTimeout } from './health-message.probe.js';
import {
  DEFAULT_HEALTH_TIMEOUT_MS,
  type ResultBackendHealthDetails,
  type ResultBackendHealthDownDetails,
  type ResultBackendHealthOptions,
} from './result-backend-health.options.js';

/**
 * Terminus health indicator for a result backend instance. It pings the instance's live
 * client (no new connection), with a timeout, and reports `up` with the backend kind, its
 * masked description and the latency, or `down` with the (masked) reason. It never throws:
 * a missing instance, a disabled backend, a failing or hanging store are all `down`.
 *
 * @example
 * \@Get('health') \@HealthCheck()
 * check() {
 *   return this.health.check([
 *     () => this.results.isHealthy('results'),
 *     () => this.results.isHealthy('archive', { name: 'archive', timeoutMs: 500 }),
 *   ]);
 * }
 * @publicApi
 */
@Injectable()
export class ResultBackendHealthIndicator {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /**
   * Ping the instance and report it under `key`.
   * @param key Key of the result in the health check response, e.g. `results`.
   * @param options Instance name and timeout (default: the default instance, 1000 ms).
   */
  async isHealthy<const Key extends string>(
    key: Key,
    options: ResultBackendHealthOptions = {},
  ): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.indicators.check(key);
    const instance = options.name ?? DEFAULT_RESULT_BACKEND_NAME;
    const timeoutMs = validTimeout(options.timeoutMs);
    const service = this.resolve(options.name);
    if (!service) {
      return indicator.down<ResultBackendHealthDownDetails>({
        instance,
        message: `no result backend named "${instance}" is registered`,
      });
    }
    const base = {
      instance,
      backend: String(service.kind),
      description: service.description,
    };
    const started = performance.now();
    try {
      await withTimeout(
        Promise.resolve().then(() => service.ping()),
        timeoutMs,
      );
      return indicator.up<ResultBackendHealthDetails>({
        ...base,
        latencyMs: elapsed(started),
      });
    } catch (err) {
      return indicator.down<ResultBackendHealthDownDetails>({
        ...base,
        latencyMs: elapsed(started),
        message: healthErrorMessage(err),
      });
    }
  }

  private resolve(name: string | undefined): ResultBackendService | undefined {
    try {
      return this.moduleRef.get<ResultBackendService>(
        getResultBackendToken(name),
        { strict: false },
      );
    } catch {
      return undefined;
    }
  }
}

function validTimeout(ms: number | undefined): number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0
    ? ms
    : DEFAULT_HEALTH_TIMEOUT_MS;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
