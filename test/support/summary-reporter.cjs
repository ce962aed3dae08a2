/**
 * Prints the plain closing line CI reads: `N passed, N failed` (plus skipped).
 * A suite that failed to run (syntax error, failed beforeAll) counts as failed.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line =
      `${results.numPassedTests} passed, ${failed} failed` +
      (results.numPendingTests + results.numTodoTests > 0
        ? `, ${results.numPendingTests + results.numTodoTests} skipped`
        : '');
    process.stdout.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;
