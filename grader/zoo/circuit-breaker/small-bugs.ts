/**
 * Small bugs of the circuit-breaker exercise: each is the reference solution with a few anchored edits (`find`
 * must occur exactly once). Bugs that are a different design stay whole files in `bugs/`.
 */
import type { SmallBug } from '../../course/zoo.ts';

export default [
  {
    name: 'action-gets-extra-signal-arg',
    story: "The action is called with an extra AbortSignal argument after the caller's arguments.",
    breaks: ['fire(...args) calls the action with those arguments and resolves with its result'],
    edits: [
      {
        find: 'resolveAction(this.#action(...args) as Awaited<R>)',
        replace: 'resolveAction((this.#action as (...a: unknown[]) => R)(...args, new AbortController().signal) as Awaited<R>)',
      },
    ],
  },
  {
    name: 'course-last-failure-time-moves',
    story: "The course material's second version: a refused call moves lastFailureTime, so a busy caller keeps the circuit open forever.",
    breaks: ['calls refused while open do not push back the move to half-open'],
    edits: [
      {
        find: '  #refuse(): Promise<never> {\n',
        replace: "  #refuse(): Promise<never> {\n    if (this.#state === 'open') {\n      // lastFailureTime = now: the wait starts over\n      clearTimeout(this.#resetTimer);\n      this.#resetTimer = setTimeout(() => {\n        this.#resetTimer = undefined;\n        this.#moveTo('half-open');\n      }, this.#resetTimeout);\n    }\n",
      },
    ],
  },
  {
    name: 'course-trial-needs-threshold',
    story: "The course material's first version: a half-open trial failure only reopens once the count reaches the threshold again.",
    breaks: ['a trial failure reopens the circuit at once, and the resetTimeout wait starts again from that failure'],
    edits: [
      {
        find: '      else this.#open();',
        replace: '      else if (++this.#failures >= this.#failureThreshold) this.#open();\n      else this.#trialRunning = false;',
      },
      {
        find: "      this.#resetTimer = undefined;\n      this.#moveTo('half-open');",
        replace: "      this.#resetTimer = undefined;\n      this.#failures = 0;\n      this.#moveTo('half-open');",
      },
    ],
  },
  {
    name: 'default-reset-timeout-10s',
    story: "The default resetTimeout is 10 000 ms instead of the contract's 30 000 ms.",
    breaks: ['uses the defaults: failureThreshold 5, resetTimeout 30 000 ms, no timeout'],
    edits: [{ find: 'resetTimeout = 30_000, timeout', replace: 'resetTimeout = 10_000, timeout' }],
  },
  {
    name: 'failed-trial-never-rearms',
    story: 'A failed trial reopens the circuit but never arms the reset timer again, so it stays open for good (opossum#119).',
    breaks: ['a trial failure reopens the circuit at once, and the resetTimeout wait starts again from that failure'],
    edits: [
      {
        find: "  #open(): void {\n    this.#moveTo('open');",
        replace: "  #open(): void {\n    const from = this.#state;\n    this.#moveTo('open');\n    if (from !== 'closed') return;",
      },
    ],
  },
  {
    name: 'filtered-error-neutral',
    story: 'An error errorFilter accepts is passed on but not counted at all, instead of counting as a success.',
    breaks: ['an error that errorFilter accepts reaches the caller and counts as a success', 'a trial success closes the circuit with the failure count back at 0'],
    edits: [
      {
        find: '(error: unknown) => finish(this.#errorFilter?.(error) === true, () => reject(error)),',
        replace: "(error: unknown) => {\n          if (this.#errorFilter?.(error) === true) {\n            // the caller's fault: pass it on, there is nothing to count\n            settled = true;\n            clearTimeout(timer);\n            reject(error);\n          } else {\n            finish(false, () => reject(error));\n          }\n        },",
      },
    ],
  },
  {
    name: 'finally-unhandled-rejection',
    story: "Cleans up with .finally() on the action's promise and drops the promise that returns.",
    breaks: ['rejects with the very error the action throws or rejects with, and fire never throws'],
    edits: [
      {
        find: 'new Promise<Awaited<R>>((resolveAction) => resolveAction(this.#action(...args) as Awaited<R>)).then(',
        replace: 'const running = new Promise<Awaited<R>>((resolveAction) => resolveAction(this.#action(...args) as Awaited<R>));\n      running.finally(() => clearTimeout(timer));\n      running.then(',
      },
    ],
  },
  {
    name: 'fire-throws-synchronously',
    story: 'Fire calls the action before creating its promise, so a synchronous throw escapes from fire itself.',
    breaks: ['rejects with the very error the action throws or rejects with, and fire never throws'],
    edits: [
      {
        find: 'const generation = this.#generation;',
        replace: 'const generation = this.#generation;\n    const returned = this.#action(...args);',
      },
      {
        find: 'resolveAction(this.#action(...args) as Awaited<R>)',
        replace: 'resolveAction(returned as Awaited<R>)',
      },
    ],
  },
  {
    name: 'greater-than-threshold',
    story: 'Compares the failure count with > instead of >=, so the circuit opens one failure late.',
    breaks: ['opens after failureThreshold failures in a row, not one sooner'],
    edits: [{ find: '++this.#failures >= this.#failureThreshold', replace: '++this.#failures > this.#failureThreshold' }],
  },
  {
    name: 'half-open-floodgates',
    story: 'Half-open lets every call through, not just one trial (opossum#119).',
    breaks: ['lets exactly one trial call through; every other call is refused at once while it runs'],
    edits: [
      {
        find: '      if (this.#trialRunning) return this.#refuse();\n',
        replace: '',
      },
    ],
  },
  {
    name: 'late-failure-restarts-timer',
    story: 'A late failure of a call started before the circuit opened restarts the reset timer (opossum#385).',
    breaks: ['calls started before the circuit opened that fail while it is open do not extend the open period'],
    edits: [
      {
        find: '    if (generation !== this.#generation) return;',
        replace: "    if (generation !== this.#generation) {\n      if (!success && this.#state === 'open') {\n        // open() again: the wait starts over\n        clearTimeout(this.#resetTimer);\n        this.#resetTimer = setTimeout(() => {\n          this.#resetTimer = undefined;\n          this.#moveTo('half-open');\n        }, this.#resetTimeout);\n      }\n      return;\n    }",
      },
    ],
  },
  {
    name: 'late-failures-while-open-kept-for-later',
    story: 'Late failures of calls from before the opening are stored while open and become the count when the circuit closes again.',
    breaks: ['calls started before the circuit opened change nothing once it has closed again: a late failure does not count, a late success does not reset the count'],
    edits: [
      {
        find: '  #generation = 0;\n',
        replace: '  #generation = 0;\n  /** Late failures of calls from an earlier period, handed to the next closed period. */\n  #pendingLate = 0;\n',
      },
      {
        find: '    if (generation !== this.#generation) return;',
        replace: '    if (generation !== this.#generation) {\n      if (!success) this.#pendingLate++;\n      return;\n    }',
      },
      {
        find: '  #close(): void {\n    this.#failures = 0;',
        replace: '  #close(): void {\n    this.#failures = this.#pendingLate;\n    this.#pendingLate = 0;',
      },
    ],
  },
  {
    name: 'lazy-half-open-not-reported-by-fire',
    story: 'works half-open out lazily, but fire lets the trial through without reporting the move to half-open',
    breaks: ['reports the move to half-open no later than the next fire'],
    base: 'lazy-date-now-abort-signal',
    edits: [
      {
        find: '  fire(...args: A): Promise<Awaited<R>> {\n    this.#sync();\n',
        replace: "  fire(...args: A): Promise<Awaited<R>> {\n    if (this.#period.state === 'open' && Date.now() - this.#openedAt >= this.#resetTimeout) {\n      this.#period = { state: 'half-open' };\n      this.#trialStarted = false;\n    }\n",
      },
    ],
  },
  {
    name: 'lazy-state-getter-stale',
    story: 'works half-open out lazily in fire only: the state getter keeps saying "open" until someone calls fire',
    breaks: ['becomes half-open exactly resetTimeout ms after opening: "open" 1 ms before', 'reports every transition once, in order, as (to, from)'],
    base: 'lazy-date-now-abort-signal',
    edits: [{ find: '  get state(): CircuitState {\n    this.#sync();\n', replace: '  get state(): CircuitState {\n' }],
  },
  {
    name: 'no-stale-check',
    story: 'Calls started before the circuit opened still count when they fail later.',
    breaks: ['calls started before the circuit opened that fail while it is open do not extend the open period', 'calls started before the circuit opened that fail after it turned half-open do not reopen it'],
    edits: [
      {
        find: '    if (generation !== this.#generation) return;\n',
        replace: '',
      },
    ],
  },
  {
    name: 'null-threshold-means-default',
    story: 'FailureThreshold: null is read with ??, so it silently becomes the default 5 instead of being refused.',
    breaks: ['throws a TypeError or RangeError for a failureThreshold that is not an integer of at least 1'],
    edits: [
      {
        find: 'const { failureThreshold = 5, resetTimeout = 30_000, timeout = false, errorFilter, onStateChange } = options;',
        replace: 'const { failureThreshold: ft0, resetTimeout = 30_000, timeout = false, errorFilter, onStateChange } = options;\n    const failureThreshold = ft0 ?? 5;',
      },
    ],
  },
  {
    name: 'null-timeout-means-no-timeout',
    story: 'Timeout: null is read with ??, so it silently means "no timeout" instead of being refused.',
    breaks: ['throws a TypeError or RangeError for a timeout that is neither false nor a positive finite number'],
    edits: [
      {
        find: 'const { failureThreshold = 5, resetTimeout = 30_000, timeout = false, errorFilter, onStateChange } = options;',
        replace: 'const { failureThreshold = 5, resetTimeout = 30_000, timeout: to0, errorFilter, onStateChange } = options;\n    const timeout = to0 ?? false;',
      },
    ],
  },
  {
    name: 'open-error-without-name',
    story: 'CircuitOpenError does not set its name or code, so it reads as a plain "Error".',
    breaks: ['while open, fire rejects at once with a CircuitOpenError and does not call the action'],
    edits: [
      {
        find: "  override readonly name = 'CircuitOpenError';\n  readonly code = 'EOPENBREAKER';\n",
        replace: '',
      },
    ],
  },
  {
    name: 'open-period-from-call-start',
    story: 'measures the open period from when the failing call started, not from when it failed',
    breaks: ['becomes half-open exactly resetTimeout ms after opening: "open" 1 ms before'],
    base: 'lazy-date-now-abort-signal',
    edits: [
      { find: '    const period = this.#period;\n', replace: '    const period = this.#period;\n    const startedAt = Date.now();\n' },
      {
        find: '          this.#settle(period, this.#isCallersFault(error));\n',
        replace: "          this.#settle(period, this.#isCallersFault(error));\n          if (this.#period.state === 'open' && this.#period !== period) this.#openedAt = startedAt;\n",
      },
    ],
  },
  {
    name: 'open-period-from-first-failure',
    story: 'measures the open period from the first failure of the streak, not from the failure that opened the circuit',
    breaks: ['follows the rules through long seeded sequences of calls, failures and timeouts'],
    base: 'lazy-date-now-abort-signal',
    edits: [
      { find: '  #failuresInARow = 0;\n', replace: '  #failuresInARow = 0;\n  #streakStartedAt = 0;\n' },
      {
        find: "    if (this.#failuresInARow >= this.#threshold) this.#enter('open');\n",
        replace: "    if (this.#failuresInARow === 1) this.#streakStartedAt = Date.now();\n    if (this.#failuresInARow >= this.#threshold) {\n      this.#enter('open');\n      this.#openedAt = this.#streakStartedAt;\n    }\n",
      },
    ],
  },
  {
    name: 'plain-value-skips-the-trial',
    story: 'A trial whose action returns a plain value never closes the circuit.',
    breaks: ['an action that returns a plain value, undefined or null succeeds: the count goes back to 0, and as the trial it closes the circuit'],
    edits: [
      {
        find: 'const generation = this.#generation;',
        replace: 'const generation = this.#generation;\n    const result = this.#callAction(args);\n    if (result.sync) {\n      this.#failures = 0; // a plain value: a success, no need to wait for anything\n      return Promise.resolve(result.value as Awaited<R>);\n    }',
      },
      {
        find: 'new Promise<Awaited<R>>((resolveAction) => resolveAction(this.#action(...args) as Awaited<R>)).then(',
        replace: 'Promise.resolve(result.value as Awaited<R>).then(',
      },
      {
        find: '  #refuse(): Promise<never> {',
        replace: "  #callAction(args: A): { sync: boolean; value: unknown } {\n    try {\n      const value = this.#action(...args);\n      const thenable = value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<R>).then === 'function';\n      return { sync: !thenable, value };\n    } catch (error) {\n      return { sync: false, value: Promise.reject(error) };\n    }\n  }\n\n  #refuse(): Promise<never> {",
      },
    ],
  },
  {
    name: 'reads-then-of-undefined',
    story: 'An action that returns undefined or null makes fire reject with a TypeError.',
    breaks: ['an action that returns a plain value, undefined or null succeeds: the count goes back to 0, and as the trial it closes the circuit'],
    edits: [
      {
        find: 'new Promise<Awaited<R>>((resolveAction) => resolveAction(this.#action(...args) as Awaited<R>)).then(',
        replace: "new Promise<Awaited<R>>((resolveAction, rejectAction) => {\n        const result = this.#action(...args) as PromiseLike<Awaited<R>> | Awaited<R>;\n        if (typeof (result as PromiseLike<Awaited<R>>).then === 'function') (result as PromiseLike<Awaited<R>>).then(resolveAction, rejectAction);\n        else resolveAction(result as Awaited<R>);\n      }).then(",
      },
    ],
  },
  {
    name: 'refuses-on-a-timer',
    story: 'A refused call is rejected from a setTimeout(0), not at once.',
    breaks: ['while open, fire rejects at once with a CircuitOpenError and does not call the action'],
    edits: [
      {
        find: '    return Promise.reject(new CircuitOpenError(`The circuit is ${this.#state}: the call was refused without running the action`));',
        replace: '    const error = new CircuitOpenError(`The circuit is ${this.#state}: the call was refused without running the action`);\n    return new Promise((_, reject) => setTimeout(() => reject(error), 0));',
      },
    ],
  },
  {
    name: 'reports-non-transitions',
    story: 'Reports the state after every recorded outcome, changed or not, so every success reports closed → closed.',
    breaks: ['is not called when nothing changes'],
    edits: [
      {
        find: '    if (generation !== this.#generation) return;\n',
        replace: '    if (generation !== this.#generation) return;\n    const before = this.#state;\n    this.#recordInner(success);\n    this.#onStateChange?.(this.#state, before);\n  }\n\n  #recordInner(success: boolean): void {\n',
      },
      {
        find: '    this.#onStateChange?.(to, from);',
        replace: "    if (to === 'half-open') this.#onStateChange?.(to, from); // the others are reported by #record",
      },
    ],
  },
  {
    name: 'reset-timeout-infinity-accepted',
    story: 'ResetTimeout is only checked not to be negative, so NaN and Infinity are accepted.',
    breaks: ['throws a TypeError or RangeError for a resetTimeout that is negative or not a finite number'],
    edits: [{ find: 'if (!Number.isFinite(resetTimeout) || resetTimeout < 0) {', replace: 'if (resetTimeout < 0) {' }],
  },
  {
    name: 'reset-timeout-zero-means-default',
    story: 'ResetTimeout 0 is taken for "not given" and becomes 30 000 ms.',
    breaks: ['with resetTimeout 0 the circuit is ready for a trial as soon as it has opened, not after the default wait'],
    edits: [
      {
        find: '    this.#resetTimeout = resetTimeout;',
        replace: '    this.#resetTimeout = resetTimeout || 30_000; // "no reset timeout given": use the default',
      },
    ],
  },
  {
    name: 'stale-calls-counted-by-number',
    story: 'Calls in flight at the opening are ignored by number, not by identity.',
    breaks: ['calls started before the circuit opened change nothing once it has closed again: a late failure does not count, a late success does not reset the count', 'keeps hundreds of overlapping calls apart: each admitted call runs once and in order, settles with its own outcome, and the state follows the rules'],
    edits: [
      {
        find: '  /** Bumped on every transition: outcomes of calls from an earlier generation are ignored. */\n  #generation = 0;\n',
        replace: '',
      },
      {
        find: '  #resetTimer: ReturnType<typeof setTimeout> | undefined;\n',
        replace: '  #resetTimer: ReturnType<typeof setTimeout> | undefined;\n  /** Calls running right now, and how many outcomes to ignore (the calls that were running at the opening). */\n  #running = 0;\n  #ignore = 0;\n',
      },
      {
        find: 'const generation = this.#generation;',
        replace: 'this.#running++;',
      },
      {
        find: '        this.#record(generation, healthy);',
        replace: '        this.#running--;\n        this.#record(healthy);',
      },
      {
        find: '  #record(generation: number, success: boolean): void {\n    // Started before the last transition (say, before the circuit opened): it changes nothing.\n    if (generation !== this.#generation) return;',
        replace: '  #record(success: boolean): void {\n    if (this.#ignore > 0) {\n      this.#ignore--;\n      return;\n    }',
      },
      {
        find: "    this.#moveTo('open');\n",
        replace: "    this.#moveTo('open');\n    this.#ignore = this.#running;\n",
      },
      {
        find: '    this.#generation++;\n',
        replace: '',
      },
    ],
  },
  {
    name: 'stale-failure-reopens-half-open',
    story: 'Any failure while half-open reopens the circuit, even from a call started before it opened.',
    breaks: ['calls started before the circuit opened that fail after it turned half-open do not reopen it'],
    edits: [
      {
        find: '    if (generation !== this.#generation) return;',
        replace: "    if (generation !== this.#generation && this.#state !== 'half-open') return;",
      },
    ],
  },
  {
    name: 'stale-timeout-counts',
    story: 'The timeout of a call started before the circuit opened still counts.',
    breaks: ['calls started before the circuit opened that time out later change nothing: not while open, not while half-open, not once it has closed again'],
    edits: [
      {
        find: 'const finish = (healthy: boolean, settle: () => void): void => {',
        replace: 'const finish = (healthy: boolean, settle: () => void, timedOut = false): void => {',
      },
      {
        find: '        this.#record(generation, healthy);',
        replace: '        this.#record(timedOut ? this.#generation : generation, healthy);',
      },
      {
        find: 'timer = setTimeout(() => finish(false, () => reject(new TimeoutError(`The call did not settle within ${ms} ms`))), ms);',
        replace: 'timer = setTimeout(() => finish(false, () => reject(new TimeoutError(`The call did not settle within ${ms} ms`)), true), ms);',
      },
    ],
  },
  {
    name: 'success-does-not-reset',
    story: 'A success does not reset the failure count, so scattered failures eventually open the circuit.',
    breaks: ['a success resets the failure count, so scattered failures never open the circuit'],
    edits: [
      {
        find: '    } else if (success) {\n      this.#failures = 0;',
        replace: '    } else if (success) {\n      // nothing to do: the call worked',
      },
    ],
  },
  {
    name: 'sync-outcome-keeps-timer',
    story: 'An action that throws at once leaves its timeout timer running, which counts a second failure later.',
    breaks: ['a call that settles before its timeout is not affected by the timer'],
    edits: [
      {
        find: 'new Promise<Awaited<R>>((resolveAction) => resolveAction(this.#action(...args) as Awaited<R>)).then(',
        replace: 'let result: R | PromiseLike<R>;\n      try {\n        result = this.#action(...args);\n      } catch (error) {\n        this.#record(generation, this.#errorFilter?.(error) === true);\n        reject(error);\n        return;\n      }\n      Promise.resolve(result as Awaited<R>).then(',
      },
    ],
  },
  {
    name: 'sync-throw-not-counted',
    story: 'A synchronous throw from the action rejects the caller but is never counted as a failure.',
    breaks: ['opens after failureThreshold failures in a row, not one sooner'],
    edits: [
      {
        find: 'new Promise<Awaited<R>>((resolveAction) => resolveAction(this.#action(...args) as Awaited<R>)).then(',
        replace: 'Promise.resolve(this.#action(...args) as Awaited<R>).then(',
      },
    ],
  },
  {
    name: 'threshold-not-integer-checked',
    story: 'FailureThreshold is only checked to be at least 1, so 1.5 or Infinity are accepted.',
    breaks: ['throws a TypeError or RangeError for a failureThreshold that is not an integer of at least 1'],
    edits: [
      {
        find: 'if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {',
        replace: 'if (!(failureThreshold >= 1)) {',
      },
    ],
  },
  {
    name: 'timed-out-late-filtered-error-resets',
    story: 'The late rejection of a timed-out call with an error errorFilter accepts resets the failure count.',
    breaks: ['the late outcome of a call that timed out changes nothing'],
    edits: [
      {
        find: '(error: unknown) => finish(this.#errorFilter?.(error) === true, () => reject(error)),',
        replace: '(error: unknown) => {\n          const accepted = this.#errorFilter?.(error) === true;\n          // already timed out: a late error the filter accepts still counts as a success\n          if (settled && accepted) this.#record(generation, true);\n          finish(accepted, () => reject(error));\n        },',
      },
    ],
  },
  {
    name: 'timed-out-trial-late-success-closes-half-open',
    story: 'The late success of a trial that timed out closes the circuit whenever it lands while half-open, even while a new trial runs.',
    breaks: ['the late outcome of a call that timed out changes nothing'],
    edits: [
      {
        find: 'const generation = this.#generation;',
        replace: "const generation = this.#generation;\n    const isTrial = this.#state === 'half-open';",
      },
      {
        find: '(value) => finish(true, () => resolve(value)),',
        replace: "(value) => {\n          // the trial's late success: still the trial's outcome\n          if (settled && isTrial && this.#state === 'half-open') this.#close();\n          finish(true, () => resolve(value));\n        },",
      },
    ],
  },
  {
    name: 'timed-out-trial-late-success-closes-idle-half-open',
    story: 'The late success of a trial that timed out closes the circuit when it lands in the next half-open period before a new trial.',
    breaks: ['the late outcome of a call that timed out changes nothing'],
    edits: [
      {
        find: 'const generation = this.#generation;',
        replace: "const generation = this.#generation;\n    const isTrial = this.#state === 'half-open';",
      },
      {
        find: '(value) => finish(true, () => resolve(value)),',
        replace: "(value) => {\n          // the trial's late success: still the trial's outcome\n          if (settled && isTrial && this.#state === 'half-open' && !this.#trialRunning) this.#close();\n          finish(true, () => resolve(value));\n        },",
      },
    ],
  },
  {
    name: 'timeout-goes-through-error-filter',
    story: 'A TimeoutError is passed to errorFilter, so a filter that accepts it turns a timeout into a success.',
    breaks: ['a timeout counts as a failure even when errorFilter accepts every error'],
    edits: [
      {
        find: 'timer = setTimeout(() => finish(false, () => reject(new TimeoutError(`The call did not settle within ${ms} ms`))), ms);',
        replace: 'timer = setTimeout(() => {\n          const error = new TimeoutError(`The call did not settle within ${ms} ms`);\n          finish(this.#errorFilter?.(error) === true, () => reject(error));\n        }, ms);',
      },
    ],
  },
  {
    name: 'timeout-not-counted',
    story: 'A timeout rejects the caller but is never counted as a failure.',
    breaks: ['a timeout counts as a failure, in closed and in half-open'],
    edits: [
      {
        find: 'timer = setTimeout(() => finish(false, () => reject(new TimeoutError(`The call did not settle within ${ms} ms`))), ms);',
        replace: 'timer = setTimeout(() => {\n          settled = true;\n          reject(new TimeoutError(`The call did not settle within ${ms} ms`));\n        }, ms);',
      },
    ],
  },
  {
    name: 'timeout-opens-without-new-period',
    story: 'An opening caused by a timeout does not start a new period, so calls in flight then still count.',
    breaks: ['keeps hundreds of overlapping calls apart: each admitted call runs once and in order, settles with its own outcome, and the state follows the rules'],
    edits: [
      {
        find: 'timer = setTimeout(() => finish(false, () => reject(new TimeoutError(`The call did not settle within ${ms} ms`))), ms);',
        replace: "timer = setTimeout(() => {\n          if (settled) return;\n          settled = true;\n          if (generation === this.#generation && (this.#state === 'half-open' || ++this.#failures >= this.#failureThreshold)) {\n            // Open straight away (no need to go through #record for a timeout).\n            const from = this.#state;\n            this.#state = 'open';\n            this.#trialRunning = false;\n            this.#onStateChange?.('open', from);\n            clearTimeout(this.#resetTimer);\n            this.#resetTimer = setTimeout(() => this.#moveTo('half-open'), this.#resetTimeout);\n          }\n          reject(new TimeoutError(`The call did not settle within ${ms} ms`));\n        }, ms);",
      },
    ],
  },
  {
    name: 'timeout-plain-error',
    story: 'A timeout rejects with a plain Error carrying code ETIMEDOUT instead of a TimeoutError.',
    breaks: ['a call that has not settled after timeout ms rejects with a TimeoutError'],
    edits: [
      {
        find: 'timer = setTimeout(() => finish(false, () => reject(new TimeoutError(`The call did not settle within ${ms} ms`))), ms);',
        replace: "timer = setTimeout(() => finish(false, () => reject(Object.assign(new Error(`Timed out after ${ms} ms`), { code: 'ETIMEDOUT' }))), ms);",
      },
    ],
  },
  {
    name: 'timeout-timer-counts-anyway',
    story: 'The timeout timer is never cleared and counts a failure even for a call that already settled.',
    breaks: ['a call that settles before its timeout is not affected by the timer'],
    edits: [
      {
        find: '        settled = true;\n        clearTimeout(timer);\n',
        replace: '        settled = true;\n',
      },
      {
        find: 'timer = setTimeout(() => finish(false, () => reject(new TimeoutError(`The call did not settle within ${ms} ms`))), ms);',
        replace: 'timer = setTimeout(() => {\n          if (!settled) {\n            settled = true;\n            reject(new TimeoutError(`The call did not settle within ${ms} ms`));\n          }\n          this.#record(generation, false);\n        }, ms);',
      },
    ],
  },
  {
    name: 'timeout-zero-accepted',
    story: 'Timeout is only checked not to be negative, so 0 and Infinity are accepted.',
    breaks: ['throws a TypeError or RangeError for a timeout that is neither false nor a positive finite number'],
    edits: [
      {
        find: 'if (timeout !== false && !(Number.isFinite(timeout) && timeout > 0)) {',
        replace: 'if (timeout !== false && !(timeout >= 0)) {',
      },
    ],
  },
  {
    name: 'trial-mark-kept-after-trial-timeout',
    story: 'The "trial running" mark is cleared only when the trial action settles, so a trial that times out and never settles blocks every later trial.',
    breaks: ['the late outcome of a call that timed out changes nothing'],
    edits: [
      {
        find: '    this.#generation++;\n    this.#trialRunning = false;\n',
        replace: '    this.#generation++;\n',
      },
      {
        find: 'const generation = this.#generation;',
        replace: "const generation = this.#generation;\n    const isTrial = this.#state === 'half-open';",
      },
      {
        find: '(value) => finish(true, () => resolve(value)),',
        replace: '(value) => {\n          if (isTrial) this.#trialRunning = false; // cleared only when the trial action settles\n          finish(true, () => resolve(value));\n        },',
      },
      {
        find: '(error: unknown) => finish(this.#errorFilter?.(error) === true, () => reject(error)),',
        replace: '(error: unknown) => {\n          if (isTrial) this.#trialRunning = false;\n          finish(this.#errorFilter?.(error) === true, () => reject(error));\n        },',
      },
    ],
  },
  {
    name: 'trial-sync-throw-filtered-reopens',
    story: 'A half-open trial that throws synchronously an error errorFilter accepts reopens the circuit instead of closing it.',
    breaks: ['a trial success closes the circuit with the failure count back at 0'],
    edits: [
      {
        find: 'new Promise<Awaited<R>>((resolveAction) => resolveAction(this.#action(...args) as Awaited<R>)).then(',
        replace: "new Promise<Awaited<R>>((resolveAction) => {\n        try {\n          resolveAction(this.#action(...args) as Awaited<R>);\n        } catch (error) {\n          // a trial that throws at once has failed: reopen without asking errorFilter\n          if (this.#state === 'half-open') finish(false, () => reject(error));\n          else throw error;\n        }\n      }).then(",
      },
    ],
  },
  {
    name: 'wraps-action-errors',
    story: "Rejects with a new Error that wraps the action's error instead of the error itself.",
    breaks: ['rejects with the very error the action throws or rejects with, and fire never throws'],
    edits: [
      {
        find: '(error: unknown) => finish(this.#errorFilter?.(error) === true, () => reject(error)),',
        replace: '(error: unknown) =>\n          finish(this.#errorFilter?.(error) === true, () => reject(new Error(`The action failed: ${String(error)}`, { cause: error }))),',
      },
    ],
  },
  {
    name: 'writes-defaults-into-options',
    story: "Fills the defaults into the caller's options object.",
    breaks: ['never changes the options object, and one options object can serve many breakers'],
    edits: [
      {
        find: 'const { failureThreshold = 5, resetTimeout = 30_000, timeout = false, errorFilter, onStateChange } = options;',
        replace: 'options.failureThreshold ??= 5;\n    options.resetTimeout ??= 30_000;\n    options.timeout ??= false;\n    const { failureThreshold, resetTimeout, timeout, errorFilter, onStateChange } = options;',
      },
    ],
  },
] satisfies SmallBug[];
