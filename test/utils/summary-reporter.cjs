/**
 * Prints the plain closing line CI reads: `N passed, N failed` (plus skipped), last.
 * Before it, one line per Celery version of the live interop matrix (tests named
 * `… [Celery X.Y.Z]` by describeWithCelery): `Celery X.Y.Z interop: N passed, N failed`.
 * A suite that failed to run (syntax error, failed beforeAll) counts as failed.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const perVersion = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        const m = /\[Celery (\d+\.\d+\.\d+)\]/.exec(
          test.ancestorTitles.join(' '),
        );
        if (!m) continue;
        const count = perVersion.get(m[1]) ?? {
          passed: 0,
          failed: 0,
          skipped: 0,
        };
        if (test.status === 'passed') count.passed++;
        else if (test.status === 'failed') count.failed++;
        else count.skipped++;
        perVersion.set(m[1], count);
      }
    }
    const lines = [...perVersion.keys()].sort().map((version) => {
      const c = perVersion.get(version);
      return (
        `Celery ${version} interop: ${c.passed} passed, ${c.failed} failed` +
        (c.skipped > 0 ? `, ${c.skipped} skipped` : '')
      );
    });
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line =
      `${results.numPassedTests} passed, ${failed} failed` +
      (results.numPendingTests + results.numTodoTests > 0
        ? `, ${results.numPendingTests + results.numTodoTests} skipped`
        : '');
    process.stdout.write(`\n${[...lines, line].join('\n')}\n`);
  }
}
module.exports = SummaryReporter;
