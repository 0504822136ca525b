/**
 * A vitest reporter that keeps what the grader needs and prints nothing:
 * each behaviour's outcome and learner-facing message, per candidate
 * (vitest project) and exercise (test module).
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { FeedbackKind } from '../harness/feedback.ts';
import type { RawTest } from './run-result.ts';

export interface ModuleReport {
  candidateId: string;
  moduleId: string;
  tests: RawTest[];
  errors: string[];
  ended: boolean;
}

interface SerializedFeedbackError {
  message?: string;
  graderFeedback?: { kind?: FeedbackKind };
}

function rawTest(testCase: TestCase): RawTest {
  const result = testCase.result();
  const parent = testCase.parent;
  const base: RawTest = {
    name: testCase.name,
    task: parent.type === 'suite' ? parent.name : '',
    points: testCase.meta().points ?? 1,
    state: result.state,
  };
  if (result.state !== 'failed') return base;
  const error = (result.errors?.[0] ?? {}) as SerializedFeedbackError;
  return {
    ...base,
    // Set by the harness's Feedback; absent only if something other than a behaviour failed the test.
    kind: error.graderFeedback?.kind,
    message: error.message ?? 'failed',
  };
}

/** Suite order as written, whatever order the behaviours ran in. */
function testsInSuiteOrder(testModule: TestModule): RawTest[] {
  return [...testModule.children.allTests()]
    .sort((a, b) => (a.meta().order ?? 0) - (b.meta().order ?? 0))
    .map(rawTest);
}

export class Collector implements Reporter {
  readonly modules = new Map<string, ModuleReport>();
  readonly runErrors: string[] = [];
  onModuleEnd: (report: ModuleReport) => void = () => {};

  private entry(testModule: TestModule): ModuleReport {
    const key = `${testModule.project.name}\0${testModule.moduleId}`;
    let report = this.modules.get(key);
    if (!report) {
      report = { candidateId: testModule.project.name, moduleId: testModule.moduleId, tests: [], errors: [], ended: false };
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
    report.tests = testsInSuiteOrder(testModule);
    report.errors = testModule.errors().map((error) => error.message);
    this.onModuleEnd(report);
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<{ message?: string; VITEST_TEST_PATH?: string }>,
  ): void {
    for (const testModule of testModules) {
      const report = this.entry(testModule);
      if (!report.ended) report.tests = testsInSuiteOrder(testModule);
    }
    for (const error of unhandledErrors) this.runErrors.push(error.message ?? String(error));
  }
}
