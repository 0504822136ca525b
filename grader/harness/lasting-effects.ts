/**
 * APIs whose effects outlive the test file that used them: an async hook or a diagnostics channel
 * subscriber keeps running for every later file in the process, a FinalizationRegistry or
 * `Atomics.waitAsync` calls back into the learner's code at some later moment. The exercises need none of
 * them. Using one does not fail the learner (it is allowed), but the process is not reused for anyone else
 * (reuse.ts): each is wrapped, once per process, before learner code loads.
 */
import asyncHooks from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import { syncBuiltinESMExports } from 'node:module';
import perfHooks from 'node:perf_hooks';
import { markDirty } from './reuse.ts';

type AnyFunction = (...args: unknown[]) => unknown;

// Kept before learner code loads.
const StackError = Error;
const OWN_FRAMES = /lasting-effects\.ts|new Proxy|Reflect\.|<anonymous>/;
/** Node's own modules, installed packages (vitest) and the grader call these too; that is not a learner's use. */
const TRUSTED_CALLER = /\(node:|^\s*at node:|\/node_modules\/|\/grader\/(?:harness|engine)\//;

/** Whether the frame that called the wrapped API is the learner's (when the stack cannot tell: yes). */
function calledByLearner(): boolean {
  const frames = (new StackError().stack ?? '').split('\n').slice(1);
  const caller = frames.find((frame) => !OWN_FRAMES.test(frame));
  return caller === undefined || !TRUSTED_CALLER.test(caller);
}

function watchCalls(owner: object, name: string, label: string): void {
  const original = Reflect.get(owner, name) as AnyFunction | undefined;
  if (typeof original !== 'function') return;
  Reflect.set(
    owner,
    name,
    new Proxy(original, {
      apply(target, self, args) {
        if (calledByLearner()) markDirty(`used ${label}`);
        return Reflect.apply(target, self, args);
      },
      construct(target, args, newTarget) {
        if (calledByLearner()) markDirty(`used ${label}`);
        return Reflect.construct(target, args, newTarget);
      },
    }),
  );
}

let installed = false;

export function watchLastingEffects(): void {
  if (installed) return;
  installed = true;
  watchCalls(asyncHooks, 'createHook', 'async_hooks.createHook()');
  watchCalls(asyncHooks, 'AsyncLocalStorage', 'AsyncLocalStorage');
  watchCalls(asyncHooks, 'AsyncResource', 'AsyncResource');
  watchCalls(diagnosticsChannel, 'subscribe', 'diagnostics_channel.subscribe()');
  watchCalls(diagnosticsChannel, 'channel', 'diagnostics_channel.channel()');
  watchCalls(diagnosticsChannel, 'tracingChannel', 'diagnostics_channel.tracingChannel()');
  watchCalls(perfHooks, 'monitorEventLoopDelay', 'perf_hooks.monitorEventLoopDelay()');
  watchCalls(perfHooks, 'PerformanceObserver', 'PerformanceObserver');
  watchCalls(globalThis, 'PerformanceObserver', 'PerformanceObserver');
  watchCalls(globalThis, 'FinalizationRegistry', 'FinalizationRegistry');
  watchCalls(Atomics, 'waitAsync', 'Atomics.waitAsync()');
  syncBuiltinESMExports();
}
