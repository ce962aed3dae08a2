/**
 * Prints the plain closing line CI reads: `N passed, N failed` (plus skipped), last.
 * Before it, one line per Celery version of the live interop matrix (tests named
 * `… [Celery X.Y.Z]` by describeWithCelery): `Celery X.Y.Z interop: N passed, N failed`; and
 * one per django-celery-results version (`… [django-celery-results X.Y.Z, Celery …]` by
 * describeWithDjangoResults, also counted for its Celery): `django-celery-results X.Y.Z interop: …`.
 * A suite that failed to run (syntax error, failed beforeAll) counts as failed.
 */
/** Grace after the run before a process kept alive by open handles is failed (ms). */
const EXIT_GRACE_MS = 20000;

/** `<label> X.Y.Z interop: N passed, N failed` per version `pattern` finds in the block names. */
function tally(results, pattern, label) {
  const perVersion = new Map();
  for (const file of results.testResults) {
    for (const test of file.testResults) {
      const m = pattern.exec(test.ancestorTitles.join(' '));
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
  return [...perVersion.keys()].sort().map((version) => {
    const c = perVersion.get(version);
    return (
      `${label} ${version} interop: ${c.passed} passed, ${c.failed} failed` +
      (c.skipped > 0 ? `, ${c.skipped} skipped` : '')
    );
  });
}

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const lines = [
      ...tally(results, /\bCelery (\d+\.\d+\.\d+)[\],]/, 'Celery'),
      ...tally(
        results,
        /\[django-celery-results (\d+\.\d+\.\d+),/,
        'django-celery-results',
      ),
    ];
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line =
      `${results.numPassedTests} passed, ${failed} failed` +
      (results.numPendingTests + results.numTodoTests > 0
        ? `, ${results.numPendingTests + results.numTodoTests} skipped`
        : '');
    process.stdout.write(`\n${[...lines, line].join('\n')}\n`);
    // A handle left open (a client a failed test never closed) keeps Jest alive after the run,
    // and CI would hang until its own timeout. Turn that into a loud, prompt failure instead.
    // The timer is unref'd: a clean run exits at once and never sees it.
    setTimeout(() => {
      process.stderr.write(
        `\n!!! open handles kept Jest alive ${EXIT_GRACE_MS / 1000} s after the run: exiting 1\n`,
      );
      process.exit(1);
    }, EXIT_GRACE_MS).unref();
  }
}
module.exports = SummaryReporter;
