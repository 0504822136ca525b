/**
 * A vitest reporter that keeps what the grader needs and prints nothing:
 * each behaviour's outcome and learner-facing message, per candidate
 * (vitest project) and exercise (test module).
 */
import type { UserConsoleLog } from 'vitest';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { FeedbackKind } from '../harness/feedback.ts';
import type { RawTest } from './run-result.ts';
import { verdictToken } from './worker-protocol.ts';

export interface ModuleReport {
  candidateId: string;
  moduleId: string;
  tests: RawTest[];
  errors: string[];
  ended: boolean;
  /** What the learner's code printed outside any behaviour (while loading, say). */
  output: string;
}

/** Keep at most this much of what one behaviour printed: enough to help, never a flood. */
const OUTPUT_LIMIT = 4_000;

function appendOutput(previous: string, content: string): string {
  if (previous.length >= OUTPUT_LIMIT) return previous;
  return (previous + content).slice(0, OUTPUT_LIMIT);
}

interface SerializedFeedbackError {
  message?: string;
  graderFeedback?: { kind?: FeedbackKind };
}

/** vitest's own test timeout, in a learner's words: the behaviour never got back to the suite. */
const REAL_TIME_OUT =
  'this behaviour did not finish in 5 seconds of real time, although the suite runs on a fake clock: something in your code ' +
  'keeps the event loop busy or waits on real time (an endless chain of promises or process.nextTick calls?)';

/** Also the exercise's message, so it names the behaviour. */
function forgedPass(name: string): string {
  return (
    `“${name}” was reported as passing although the grader's checks did not pass: your code interfered with the test runner. ` +
    'Remove whatever reaches into it; the grader only trusts its own checks'
  );
}

function rawTest(testCase: TestCase, outputs: ReadonlyMap<string, string>): RawTest {
  const result = testCase.result();
  const parent = testCase.parent;
  const output = outputs.get(testCase.id);
  const base: RawTest = {
    name: testCase.name,
    task: parent.type === 'suite' ? parent.name : '',
    points: testCase.meta().points ?? 1,
    state: result.state,
    ...(output ? { output } : {}),
  };
  if (result.state === 'passed' && testCase.meta().graderVerdict !== verdictToken()) {
    return { ...base, state: 'failed', kind: 'tampered', message: forgedPass(testCase.name) };
  }
  if (result.state !== 'failed') return base;
  const error = (result.errors?.[0] ?? {}) as SerializedFeedbackError;
  if (error.graderFeedback === undefined && /^Test timed out in \d+ms/.test(error.message ?? '')) {
    return { ...base, kind: 'never-settled', message: REAL_TIME_OUT };
  }
  return {
    ...base,
    // Set by the harness's Feedback; absent only if something other than a behaviour failed the test.
    kind: error.graderFeedback?.kind,
    message: error.message ?? 'failed',
  };
}

/** Suite order as written, whatever order the behaviours ran in. */
function testsInSuiteOrder(testModule: TestModule, outputs: ReadonlyMap<string, string>): RawTest[] {
  return [...testModule.children.allTests()]
    .sort((a, b) => (a.meta().order ?? 0) - (b.meta().order ?? 0))
    .map((testCase) => rawTest(testCase, outputs));
}

export class Collector implements Reporter {
  /**
   * `candidateOf(moduleId, projectName)`: which candidate a test module grades. By default its project's
   * name (a project per candidate); a shared project names the candidate by the module's generated file.
   */
  constructor(private readonly candidateOf: (moduleId: string, projectName: string) => string = (_, project) => project) {}

  readonly modules = new Map<string, ModuleReport>();
  readonly runErrors: string[] = [];
  /** What the workers printed, by task id (a test's, or its module's for output outside any test). */
  private readonly outputs = new Map<string, string>();
  onModuleEnd: (report: ModuleReport) => void = () => {};

  private entry(testModule: TestModule): ModuleReport {
    const key = `${testModule.project.name}\0${testModule.moduleId}`;
    let report = this.modules.get(key);
    if (!report) {
      report = {
        candidateId: this.candidateOf(testModule.moduleId, testModule.project.name),
        moduleId: testModule.moduleId,
        tests: [],
        errors: [],
        ended: false,
        output: '',
      };
      this.modules.set(key, report);
    }
    return report;
  }

  onTestModuleQueued(testModule: TestModule): void {
    this.entry(testModule);
  }

  onTestModuleEnd(testModule: TestModule): void {
    const report = this.entry(testModule);
    report.ended = true;
    report.tests = testsInSuiteOrder(testModule, this.outputs);
    report.output = this.outputs.get(testModule.id) ?? '';
    report.errors = testModule.errors().map((error) => error.message);
    this.onModuleEnd(report);
  }

  onUserConsoleLog(log: UserConsoleLog): void {
    if (log.taskId === undefined) return;
    this.outputs.set(log.taskId, appendOutput(this.outputs.get(log.taskId) ?? '', log.content));
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<{ message?: string; VITEST_TEST_PATH?: string }>,
  ): void {
    for (const testModule of testModules) {
      const report = this.entry(testModule);
      if (!report.ended) report.tests = testsInSuiteOrder(testModule, this.outputs);
    }
    for (const error of unhandledErrors) this.runErrors.push(error.message ?? String(error));
  }
}
